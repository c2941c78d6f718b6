"""What the probes measure now: each component's measured state, and the upstream pages' states.

A location counts while its latest check is at most `stale_after` old. A probe measures
down (or degraded) when at least its quorum of those locations say so; the quorum is by
default a majority of them, so one flaky runner cannot paint the page red. A component
whose probes all measure down is in a major outage, one with some of them down in a partial
outage, one with any degraded in degraded performance.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import NamedTuple
from urllib.parse import urlsplit

from .enums import ComponentState
from .probes import CheckResult, Measured, Probe, ProbeHistory, ProbeType


class Reading(NamedTuple):
    """What one probe measures now, over the locations whose latest check is fresh."""

    probe: str
    measured: Measured
    since: datetime | None  # when enough locations to decide began to measure it
    locations: int  # fresh locations
    agreeing: int  # of which measure `measured` (or worse)


class Measurement(NamedTuple):
    """A component's state as its probes measure it now."""

    state: ComponentState
    probe: str  # the probe that measured it: the first, in statuspage.yaml's order, of the worst
    since: datetime | None


class Upstream(NamedTuple):
    """An upstream page a statuspage probe follows, and the states of its components."""

    probe: str
    name: str  # the probe's show_as, or the page's host name
    url: str
    components: tuple[tuple[str, ComponentState | None], ...]  # None: not read, or unknown
    checked_at: datetime | None  # when the newest fresh check read it; None: none is fresh
    reason: str  # why states are missing, if they are: the check's own words

    @property
    def state(self) -> ComponentState | None:
        """The worst of its components' states; None when any could not be read."""
        states = [state for _, state in self.components]
        if not states or None in states:
            return None
        return max((s for s in states if s is not None), key=lambda s: s.severity)


_STATE_WORDS = {state.value: state for state in ComponentState}


def fresh(
    latest: Mapping[str, CheckResult], now: datetime, stale_after_s: int
) -> list[CheckResult]:
    """The latest results that still count at `now`, by location name."""
    oldest = now - timedelta(seconds=stale_after_s)
    return [result for _, result in sorted(latest.items()) if oldest <= result.at <= now]


def reading(
    probe: Probe, history: ProbeHistory | None, now: datetime, stale_after_s: int
) -> Reading | None:
    """What `probe` measures now; None when no location has checked it lately."""
    if history is None:
        return None
    results = fresh(history.latest, now, stale_after_s)
    if not results:
        return None
    quorum = probe.quorum or len(results) // 2 + 1
    for measured in (Measured.DOWN, Measured.DEGRADED):
        agreeing = [r for r in results if r.measured.severity >= measured.severity]
        if len(agreeing) >= quorum:
            # It measures so since the quorum-th location began to: the run starts of the
            # agreeing locations, in order, and the quorum-th of them.
            starts = sorted(r.since or r.at for r in agreeing)
            return Reading(probe.id, measured, starts[quorum - 1], len(results), len(agreeing))
    ups = [r for r in results if r.measured is Measured.UP]
    since = min((r.since or r.at for r in ups), default=None)
    return Reading(probe.id, Measured.UP, since, len(results), len(ups))


def measurement(readings: Iterable[Reading]) -> Measurement | None:
    """A component's measured state from the readings of its probes (in config order)."""
    found = list(readings)
    if not found:
        return None
    down = [r for r in found if r.measured is Measured.DOWN]
    degraded = [r for r in found if r.measured is Measured.DEGRADED]
    if down:
        state = (
            ComponentState.MAJOR_OUTAGE
            if len(down) == len(found)
            else ComponentState.PARTIAL_OUTAGE
        )
        first = down[0]
    elif degraded:
        state, first = ComponentState.DEGRADED_PERFORMANCE, degraded[0]
    else:
        state, first = ComponentState.OPERATIONAL, found[0]
    return Measurement(state, first.probe, first.since)


def measured_states(
    probes: Iterable[Probe],
    histories: Mapping[str, ProbeHistory],
    now: datetime,
    stale_after_s: int,
) -> dict[str, Measurement]:
    """Each component's measured state, for the components whose state probes may change."""
    by_component: dict[str, list[Reading]] = {}
    for probe in probes:
        if probe.component is None or not probe.affects_state:
            continue
        read = reading(probe, histories.get(probe.id), now, stale_after_s)
        if read is not None:
            by_component.setdefault(probe.component, []).append(read)
    states: dict[str, Measurement] = {}
    for cid, readings in by_component.items():
        found = measurement(readings)
        if found is not None:
            states[cid] = found
    return states


def upstreams(
    probes: Iterable[Probe],
    histories: Mapping[str, ProbeHistory],
    now: datetime,
    stale_after_s: int,
) -> list[Upstream]:
    """The upstream pages the site's statuspage probes follow, in statuspage.yaml's order."""
    found: list[Upstream] = []
    for probe in probes:
        if probe.type is not ProbeType.STATUSPAGE or probe.url is None:
            continue
        history = histories.get(probe.id)
        results = fresh(history.latest, now, stale_after_s) if history else []
        newest = max(results, key=lambda r: r.at, default=None)
        read = dict(newest.upstream) if newest is not None else {}
        components = tuple(
            (name, _STATE_WORDS.get(read.get(name, ""))) for name in probe.components
        )
        if newest is None:
            reason = "not checked lately"
        elif None in (state for _, state in components):
            reason = newest.reason
        else:
            reason = ""
        name = probe.show_as or urlsplit(probe.url).hostname or probe.url
        found.append(
            Upstream(
                probe.id,
                name,
                probe.url,
                components,
                newest.at if newest is not None else None,
                reason,
            )
        )
    return found

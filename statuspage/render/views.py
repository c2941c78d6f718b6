"""The site index: what pages, feeds, the API and badges all ask of the site, computed once.

One `SiteIndex` per build (and per worker process): the component lookup, every component's
current state, the incidents by component and by section of the status page, the order of
their newest entries, and each incident's text rendered from Markdown once, however many
pages and feeds show it.
"""

from __future__ import annotations

import hashlib
import marshal
import operator
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import NamedTuple, cast

from markupsafe import Markup

from ..model import (
    Component,
    ComponentState,
    Impact,
    Incident,
    IncidentSummary,
    Site,
    Status,
    worst,
)
from ..model.checks import postmortem_due
from ..model.measured import Measurement, Upstream, measured_states, upstreams
from ..model.probes import MEDIAN_AND_P95, DayCounters, DayTotals, Probe, ProbeHistory
from ..model.uptime import (
    BAR_DAYS,
    ComponentUptime,
    every_uptime,
    first_bar_day,
    first_day,
    in_window,
    window_start,
)
from .jobs import digest
from .richtext import MarkdownRenderer

UPDATE_HEADING_LEVEL = 4  # messages sit under an <h3> per update
SECTION_HEADING_LEVEL = 3  # transparency sections sit under an <h2>


class UpdateView(NamedTuple):
    """An update with its message as HTML and the component states it changed."""

    number: int
    at: datetime
    status: Status
    html: Markup
    transitions: tuple[tuple[Component, ComponentState, ComponentState], ...]
    next_update: datetime | None  # when it promised the next update by


class IncidentView(NamedTuple):
    """An incident with everything its pages show already rendered."""

    incident: Incident
    components: tuple[Component, ...]
    updates: tuple[UpdateView, ...]
    admission: Markup | None
    cause: Markup | None
    fix: Markup | None
    prevention: Markup | None
    postmortem_due: datetime | None  # when the postmortem is promised by, until published

    @property
    def latest(self) -> UpdateView:
        """The newest update."""
        return self.updates[-1]

    @property
    def state(self) -> ComponentState:
        """The worst state it gives its components now; operational once it is over."""
        if not self.incident.is_open:
            return ComponentState.OPERATIONAL
        return worst(state for _, state in self.incident.states)

    @property
    def components_in_state(self) -> tuple[Component, ...]:
        """The affected components in that worst state; none when it is operational."""
        state = self.state
        if state is ComponentState.OPERATIONAL:
            return ()
        in_state = {cid for cid, shown in self.incident.states if shown is state}
        return tuple(c for c in self.components if c.id in in_state)


_ID, _DIGEST = operator.attrgetter("id"), operator.attrgetter("digest")

EntryKey = tuple[datetime, str, int]
"""The order of feed entries: (time, incident id, entry number; 1 << 30 for a postmortem)."""
POSTMORTEM_LAST = 1 << 30  # a postmortem's place among entries of the same time: after updates


class ResponseDay(NamedTuple):
    """One UTC day of a probe's response times, every location's answers together."""

    day: date
    p50_ms: float | None  # None: no check got an answer that day
    p95_ms: float | None
    answered: int


IMPACT_STATES = {
    Impact.NONE: ComponentState.OPERATIONAL,
    Impact.MINOR: ComponentState.DEGRADED_PERFORMANCE,
    Impact.MAJOR: ComponentState.PARTIAL_OUTAGE,
    Impact.CRITICAL: ComponentState.MAJOR_OUTAGE,
}
"""The state an open incident's declared impact stands for, in the page's overall state."""


class SiteIndex:
    """Lookups, states and orders of one site, made once and shared by every renderer.

    `states` are the shown states: for each component the worse of what open incidents
    declare (`declared`) and what its probes measure now (`measured`); `measured_notes`
    holds the measurements that made a state worse than declared, for the page to say so.
    """

    def __init__(self, site: Site, now: datetime) -> None:
        site = site.at(now)  # maintenance follows its window where nobody updated it
        self.site = site
        self.now = now
        self.config = site.config
        # What every renderer's keys depend on: the whole config, made into a key once.
        self.config_key = digest(repr(site.config))
        self.components = {c.id: c for c in site.components}
        uptime = site.inputs.get("uptime")
        self.histories: Mapping[str, ProbeHistory] = (
            cast("Mapping[str, ProbeHistory]", uptime.value) if uptime is not None else {}
        )
        settings = self.config.uptime
        self.declared = current_states(site)
        self.measured: dict[str, Measurement] = measured_states(
            self.config.probes, self.histories, now, settings.stale_after_s
        )
        self.states = dict(self.declared)
        self.measured_notes: dict[str, Measurement] = {}
        for cid, measurement in self.measured.items():
            if measurement.state.severity > self.states[cid].severity:
                self.states[cid] = measurement.state
                self.measured_notes[cid] = measurement
        self.upstreams: list[Upstream] = upstreams(
            self.config.probes, self.histories, now, settings.stale_after_s
        )
        self.probes_of: dict[str, list[Probe]] = {c.id: [] for c in site.components}
        for probe in self.config.probes:
            if probe.component is not None:
                self.probes_of[probe.component].append(probe)
        self._uptime: dict[str, ComponentUptime] | None = None
        self._windows: dict[str, dict[date, DayCounters]] = {}
        self._uptime_keys: dict[str, str] | None = None
        self.by_component: dict[str, list[IncidentSummary]] = {c.id: [] for c in site.components}
        for incident in site.incidents:  # newest first, and so are the lists
            for cid in incident.components:
                self.by_component[cid].append(incident)
        # The sections of the status page, which the API's live endpoints list too.
        self.active = [i for i in site.open if not i.is_maintenance]
        self.in_progress = [i for i in site.open if i.is_maintenance and i.has_begun]
        # The page's one overall state, which the banner, the status badge and the API's
        # indicator all show: the worst of the components' states, of the impact the open
        # incidents declare, and of maintenance under way (as Statuspage has it).
        impacts = [IMPACT_STATES[i.impact] for i in self.active]
        under_way = [ComponentState.UNDER_MAINTENANCE] if self.in_progress else []
        self.overall = worst([*self.states.values(), *impacts, *under_way])
        self.upcoming = sorted(
            (i for i in site.open if not i.has_begun), key=lambda i: (i.sort_at, i.id)
        )
        # Those whose duration grows with the clock: the pages that show them follow it.
        self.ongoing = frozenset(i.id for i in site.open if i.is_ongoing)
        self.ongoing_by_component = {
            c.id: frozenset(i.id for i in site.open if i.is_ongoing and c.id in i.components)
            for c in site.components
        }
        self.markdown = MarkdownRenderer()
        self._views: dict[str, IncidentView] = {}
        self._by_latest: list[IncidentSummary] | None = None
        self._digests: dict[str, str] | None = None

    def uptime(self) -> dict[str, ComponentUptime]:
        """Every component's last BAR_DAYS days and uptime figures (made on first use)."""
        if self._uptime is None:
            since = self.config.uptime.since or first_day(self.site.incidents)
            first, histories = first_bar_day(self.now), self.histories
            counters: dict[str, list[tuple[DayTotals | None, ...]]] = {}
            for cid, probes in self.probes_of.items():
                counters[cid] = [
                    histories[probe.id].window_totals(first, BAR_DAYS)
                    for probe in probes
                    if probe.affects_state and probe.id in histories  # else it counted nothing
                ]
            self._uptime = every_uptime(
                list(self.components),
                in_window(self.site.incidents, window_start(self.now)),
                counters,
                self.config.uptime,
                since,
                self.now,
            )
        return self._uptime

    def uptime_key(self, component: str | None = None) -> str:
        """Changes whenever any component's days or figures do (as the window moves, say);
        with `component`, whenever that one's do."""
        if self._uptime_keys is None:
            self._uptime_keys = {
                cid: hashlib.blake2b(marshal.dumps(uptime.plain()), digest_size=16).hexdigest()
                for cid, uptime in self.uptime().items()
            }
            self._uptime_keys[""] = digest(sorted(self._uptime_keys.items()))
        return self._uptime_keys[component or ""]

    def measured_key(self) -> str:
        """Changes whenever a measured state, its probe or its start, or an upstream does."""
        return digest(sorted(self.measured.items()), self.upstreams)

    def _window(self, probe: str) -> dict[date, DayCounters]:
        """A probe's day counters over the last BAR_DAYS UTC days, by day, without their
        latest results (made once)."""
        window = self._windows.get(probe)
        if window is None:
            history = self.histories.get(probe)
            days = history.counts_from(first_bar_day(self.now)) if history is not None else ()
            window = self._windows[probe] = {row.day: row for row in days}
        return window

    def responses_key(self, probe: str) -> str:
        """Changes whenever the probe's response-time chart may: when the window moves, or
        the content of a history file of its months changes (the chart is not made for it)."""
        history = self.histories.get(probe)
        first = first_bar_day(self.now)
        return digest(probe, first.toordinal(), history and history.window_digest(first))

    def responses(self, probe: str) -> list[ResponseDay]:
        """A probe's response times over the last BAR_DAYS UTC days, oldest first."""
        rows = self._window(probe)
        first = first_bar_day(self.now)
        found = []
        for number in range(BAR_DAYS):
            day = first + timedelta(days=number)
            row = rows.get(day)
            if row is None:
                found.append(ResponseDay(day, None, None, 0))
            else:
                p50, p95 = row.percentiles(MEDIAN_AND_P95)
                found.append(ResponseDay(day, p50, p95, sum(row.histogram)))
        return found

    def digests(self) -> dict[str, str]:
        """Every incident's digest by id (made on first use)."""
        if self._digests is None:
            self._digests = dict(
                zip(map(_ID, self.site.incidents), map(_DIGEST, self.site.incidents), strict=True)
            )
        return self._digests

    def by_latest(self) -> list[IncidentSummary]:
        """Every incident by its newest feed entry, newest first (made on first use)."""
        if self._by_latest is None:
            self._by_latest = sorted(self.site.incidents, key=latest_entry, reverse=True)
        return self._by_latest

    def view(self, incident: Incident) -> IncidentView:
        """The incident with its Markdown rendered, made once per build."""
        cached = self._views.get(incident.id)
        if cached is not None:
            return cached
        render = self.markdown.render
        updates = tuple(
            UpdateView(
                number=update.number,
                at=update.at,
                status=update.status,
                html=render(update.message, UPDATE_HEADING_LEVEL),
                transitions=tuple((self.components[cid], old, new) for cid, old, new in changes),
                next_update=update.next_update,
            )
            for update, changes in zip(incident.updates, incident.transitions(), strict=True)
        )

        def section(text: str | None) -> Markup | None:
            return render(text, SECTION_HEADING_LEVEL) if text else None

        view = IncidentView(
            incident=incident,
            components=tuple(self.components[cid] for cid in incident.components),
            updates=updates,
            admission=section(incident.admission),
            cause=section(incident.cause),
            fix=section(incident.fix),
            prevention=section(incident.prevention_text),
            postmortem_due=postmortem_due(incident, self.config.checks),
        )
        self._views[incident.id] = view
        return view


def current_states(site: Site) -> dict[str, ComponentState]:
    """Each component's declared state now: the worst any open incident or maintenance gives it."""
    states = dict.fromkeys((c.id for c in site.components), ComponentState.OPERATIONAL)
    for incident in site.open:
        for cid, state in incident.states:
            if state.severity > states[cid].severity:
                states[cid] = state
    return states


def latest_entry(incident: IncidentSummary) -> EntryKey:
    """The order key of an incident's newest feed entry (updates are oldest first).

    Spelt out, since this runs for every incident: a postmortem published at the time of
    the last update sorts after it.
    """
    times = incident.update_times
    postmortem = incident.postmortem_at
    if postmortem is not None and postmortem >= times[-1]:
        return (postmortem, incident.id, POSTMORTEM_LAST)
    return (times[-1], incident.id, len(times))

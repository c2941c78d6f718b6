"""Uptime: each component's days over the last 90, and its figures over 30 and 90 days.

Where every uptime figure of the site is made, from incidents and from probes, by one rule
(the README's "How uptime is computed" says it in words):

- Days are UTC days, as the probes' counters are; the last one is today, up to `now`.
- Incidents count from `UptimeSettings.since` (by default the UTC day of the site's first
  incident): each moment of a day weighs what the worst state any open incident gives the
  component then weighs (a major outage 1, a partial outage 0.3, degraded performance 0).
  Moments in maintenance (any incident or maintenance giving the component the state
  `under_maintenance`) are left out of the day altogether.
- Probes count the day's down checks over all its checks, over every probe of the
  component that may change its state, at every location.
- A day's downtime is the worse of the two (what was declared, what was measured), as for
  the shown state, times the day's counted time; a day with neither has no data, and is
  shown as such rather than as up.
- A window's uptime is 1 - its days' downtime / their counted time: time-weighted, so today
  weighs as much as it has lasted.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from .enums import ComponentState, Labelled, worst
from .incident import IncidentSummary
from .probes import DayCounters

BAR_DAYS = 90
"""Days the bars show, and the longest window."""
WINDOWS = (30, 90)
"""The windows uptime is given over, in days ending today."""
DAY_S = 86_400.0


@dataclass(frozen=True, slots=True)
class UptimeSettings:
    """The `uptime:` settings of statuspage.yaml: where data starts, and what downtime weighs."""

    since: date | None = None  # the first UTC day incidents count; None: the first incident's
    major_outage: float = 1.0
    partial_outage: float = 0.3  # the weight Statuspage and Instatus give a partial outage
    degraded_performance: float = 0.0
    stale_after_s: int = 3600  # a location's latest check older than this measures nothing

    def weight(self, state: ComponentState) -> float:
        """How much a moment in `state` counts as down, from 0 to 1."""
        if state is ComponentState.MAJOR_OUTAGE:
            return self.major_outage
        if state is ComponentState.PARTIAL_OUTAGE:
            return self.partial_outage
        if state is ComponentState.DEGRADED_PERFORMANCE:
            return self.degraded_performance
        return 0.0


class UptimeSource(Labelled):
    """What a figure was computed from."""

    INCIDENTS = "incidents"
    PROBES = "probes"
    PROBES_AND_INCIDENTS = "probes_and_incidents"


class Span(NamedTuple):
    """A stretch of time in which one incident gave a component one state."""

    start: datetime
    end: datetime
    state: ComponentState
    incident: str


class DayUptime(NamedTuple):
    """One UTC day of one component: what the bar shows and what the figures add up."""

    day: date
    state: ComponentState | None  # the worst declared or measured that day; None: no data
    uptime: float | None  # 0 to 1; None: no data, or the whole day in maintenance
    counted_s: float  # the seconds the day counts: tracked, up to now, not in maintenance
    downtime_s: float  # weighted, within counted_s
    maintenance_s: float
    incidents: tuple[str, ...]  # the incidents and maintenance that touched it, by id
    checks: int  # the probes' checks that day (0: none)
    down: int  # of which down
    declared: bool  # whether incidents count that day (it is on or after `since`)

    @property
    def has_data(self) -> bool:
        """Whether the day counts towards a window's figure."""
        return self.uptime is not None


class UptimeFigure(NamedTuple):
    """A component's uptime over a window of days ending today."""

    days: int  # the window's length
    uptime: float | None  # 0 to 1; None when no day of the window has data
    days_with_data: int
    probe_days: int  # days on which probes checked: the probes' coverage
    source: UptimeSource | None  # None without data

    @property
    def percent(self) -> str | None:
        """The figure as pages show it: 99.95 %, cut (never rounded up) to two decimals."""
        return None if self.uptime is None else format_percent(self.uptime)


class ComponentUptime(NamedTuple):
    """A component's last BAR_DAYS days, oldest first, and its figures over WINDOWS."""

    component: str
    days: tuple[DayUptime, ...]
    figures: tuple[UptimeFigure, ...]  # one per window of WINDOWS, in that order

    def plain(self) -> tuple[Any, ...]:
        """Every fact of it as plain values (marshal-able): for keys, quickly made."""
        return (
            self.component,
            tuple(
                (
                    d.day.toordinal(),
                    d.state.value if d.state is not None else None,
                    d.uptime,
                    d.counted_s,
                    d.downtime_s,
                    d.maintenance_s,
                    d.incidents,
                    d.checks,
                    d.down,
                    d.declared,
                )
                for d in self.days
            ),
            tuple(
                (f.days, f.uptime, f.days_with_data, f.probe_days, f.source and f.source.value)
                for f in self.figures
            ),
        )

    def figure(self, days: int) -> UptimeFigure:
        """The figure over the last `days` days (one of WINDOWS)."""
        return self.figures[WINDOWS.index(days)]


def format_percent(uptime: float) -> str:
    """'99.95': a fraction as a percentage cut to two decimals, so 100 means no downtime."""
    hundredths = int(uptime * 10_000 + 1e-9)  # cut; the epsilon absorbs float error only
    return f"{hundredths // 100}.{hundredths % 100:02}"


def first_day(incidents: Iterable[IncidentSummary]) -> date | None:
    """The UTC day of the earliest incident: where incidents start counting by default."""
    earliest = min(map(_created, incidents), default=None)
    return None if earliest is None else earliest.astimezone(UTC).date()


def first_bar_day(now: datetime) -> date:
    """The first UTC day of the bars: BAR_DAYS - 1 days before today."""
    return now.astimezone(UTC).date() - timedelta(days=BAR_DAYS - 1)


def window_start(now: datetime) -> datetime:
    """When the first day of the bars begins: its UTC midnight."""
    return _midnight(first_bar_day(now))


def in_window(incident: IncidentSummary, start: datetime) -> bool:
    """Whether `incident` may touch the window beginning at `start`: it ended since, or is open."""
    return incident.resolved_at is None or incident.resolved_at >= start


def _created(incident: IncidentSummary) -> datetime:
    return incident.created_at


def spans(incident: IncidentSummary, component: str, now: datetime) -> list[Span]:
    """The stretches of time in which `incident` gave `component` a state other than operational.

    From its timeline: each state lasts until the next change, its resolution, or `now`.
    """
    times = incident.update_times
    found: list[Span] = []
    timeline = incident.timeline
    for position, (number, states) in enumerate(timeline):
        state = next((s for cid, s in states if cid == component), ComponentState.OPERATIONAL)
        if state is ComponentState.OPERATIONAL:
            continue
        start = times[number]
        if position + 1 < len(timeline):
            end = times[timeline[position + 1][0]]
        else:
            end = incident.resolved_at or now
        end = min(end, now)
        if start < end:
            found.append(Span(start, end, state, incident.id))
    return found


def component_uptime(
    component: str,
    incidents: Iterable[IncidentSummary],
    counters: Sequence[Mapping[date, DayCounters]],
    settings: UptimeSettings,
    since: date | None,
    now: datetime,
) -> ComponentUptime:
    """The component's days and figures.

    `incidents` are those that affect it; `counters` the day counters (by UTC day, every
    location added up) of each of its probes that may change its state; `since` the first
    day incidents count (None: they count on no day).
    """
    first = first_bar_day(now)
    start = _midnight(first)
    # What touches each day of the window, found once: most days have nothing.
    day_spans: list[list[Span]] = [[] for _ in range(BAR_DAYS)]
    day_touching: list[list[tuple[datetime, datetime, str]]] = [[] for _ in range(BAR_DAYS)]
    for incident in incidents:
        end = incident.resolved_at or now
        if end > now:
            end = now
        if end < start or not incident.has_begun:
            continue
        touched = (incident.started_at, end, incident.id)
        for n in _day_numbers(incident.started_at, end, start):
            day_touching[n].append(touched)
        for span in spans(incident, component, now):
            for n in _day_numbers(span.start, span.end, start):
                day_spans[n].append(span)
    days = tuple(
        _day(
            first + timedelta(days=n), day_spans[n], day_touching[n], counters, settings, since, now
        )
        for n in range(BAR_DAYS)
    )
    figures = tuple(_figure(days[-length:], length) for length in WINDOWS)
    return ComponentUptime(component, days, figures)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def _day_numbers(start: datetime, end: datetime, window_start: datetime) -> range:
    """The days of the window (0 for its first) that the time from start to end touches.

    A moment alone (start == end) touches its day; an end at midnight not the next one.
    """
    first = max(int((start - window_start) // _ONE_DAY), 0)
    last = min(int((end - window_start) // _ONE_DAY), BAR_DAYS - 1)
    if end > start and (end - window_start) % _ONE_DAY == _NO_TIME:
        last -= 1
    return range(first, last + 1)


_ONE_DAY = timedelta(days=1)
_UP = ComponentState.OPERATIONAL
_NO_TIME = timedelta(0)


def _day(
    day: date,
    all_spans: Sequence[Span],
    touching: Sequence[tuple[datetime, datetime, str]],
    counters: Sequence[Mapping[date, DayCounters]],
    settings: UptimeSettings,
    since: date | None,
    now: datetime,
) -> DayUptime:
    start = _midnight(day)
    end = min(start + _ONE_DAY, now)
    length = max((end - start).total_seconds(), 0.0)
    tracked = since is not None and day >= since
    if not all_spans and not touching and not any(day in by_day for by_day in counters):
        if tracked and length > 0:  # most days: nothing happened, and it counts
            return DayUptime(day, _UP, 1.0, length, 0.0, 0.0, (), 0, 0, True)
        return DayUptime(day, None, None, 0.0, 0.0, 0.0, (), 0, 0, tracked)
    clipped = [
        Span(max(s.start, start), min(s.end, end), s.state, s.incident)
        for s in all_spans
        if s.start < end and s.end > start
    ]
    ids = sorted({iid for a, b, iid in touching if a < end and (b > start or start <= a == b)})
    maintenance_s, downtime_s = _weigh(clipped, start, end, settings)
    counted_s = length - maintenance_s
    checks = down = degraded = 0
    for by_day in counters:
        row = by_day.get(day)
        if row is not None:
            checks += row.checks
            down += row.down
            degraded += row.degraded
    fractions = []
    if tracked and counted_s > 0:
        fractions.append(downtime_s / counted_s)
    if checks:
        fractions.append(down / checks)
    states = [s.state for s in clipped] if tracked or checks else []
    if checks:
        states.append(_measured_day(checks, down, degraded))
    if not fractions or counted_s <= 0:
        state = worst(states) if states else None
        if maintenance_s > 0 and length > 0 and counted_s <= 0:
            state = worst([*states, ComponentState.UNDER_MAINTENANCE])
        return DayUptime(
            day, state, None, 0.0, 0.0, maintenance_s, tuple(ids), checks, down, tracked
        )
    fraction = max(fractions)
    return DayUptime(
        day,
        worst(states),
        1.0 - fraction,
        counted_s,
        fraction * counted_s,
        maintenance_s,
        tuple(ids),
        checks,
        down,
        tracked,
    )


def _measured_day(checks: int, down: int, degraded: int) -> ComponentState:
    """A day's measured state, for the bar: every check down, some, some slow, or none."""
    if down == checks:
        return ComponentState.MAJOR_OUTAGE
    if down:
        return ComponentState.PARTIAL_OUTAGE
    if degraded:
        return ComponentState.DEGRADED_PERFORMANCE
    return ComponentState.OPERATIONAL


def _weigh(
    clipped: Sequence[Span], start: datetime, end: datetime, settings: UptimeSettings
) -> tuple[float, float]:
    """The seconds in maintenance, and the weighted downtime of the rest, from start to end.

    At each moment the worst state of the spans then counts, so overlapping incidents are
    counted once; a moment in maintenance counts for nothing, whatever else is open.
    """
    if not clipped:
        return 0.0, 0.0
    edges = sorted({start, end, *(s.start for s in clipped), *(s.end for s in clipped)})
    maintenance = downtime = 0.0
    for left, right in itertools.pairwise(edges):
        seconds = (right - left).total_seconds()
        active = [s.state for s in clipped if s.start <= left and s.end >= right]
        if not active or seconds <= 0:
            continue
        if ComponentState.UNDER_MAINTENANCE in active:
            maintenance += seconds
        else:
            downtime += seconds * max(settings.weight(state) for state in active)
    return maintenance, downtime


def _figure(days: Sequence[DayUptime], length: int) -> UptimeFigure:
    counted = [d for d in days if d.has_data]
    probe_days = sum(1 for d in days if d.checks)
    total = sum(d.counted_s for d in counted)
    if not counted or total <= 0:
        return UptimeFigure(length, None, 0, probe_days, None)
    downtime = sum(d.downtime_s for d in counted)
    from_incidents = any(d.declared for d in counted)
    if probe_days and from_incidents:
        source = UptimeSource.PROBES_AND_INCIDENTS
    elif probe_days:
        source = UptimeSource.PROBES
    else:
        source = UptimeSource.INCIDENTS
    return UptimeFigure(length, 1.0 - downtime / total, len(counted), probe_days, source)

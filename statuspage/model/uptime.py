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
import operator
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, NamedTuple

from .enums import ComponentState, Labelled, worst
from .incident import IncidentSummary
from .probes import DayCounters, DayTotals, day_totals

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
    earliest = min(map(_CREATED, incidents), default=None)
    return None if earliest is None else earliest.astimezone(UTC).date()


_CREATED = operator.attrgetter("created_at")


def first_bar_day(now: datetime) -> date:
    """The first UTC day of the bars: BAR_DAYS - 1 days before today."""
    return now.astimezone(UTC).date() - timedelta(days=BAR_DAYS - 1)


def window_start(now: datetime) -> datetime:
    """When the first day of the bars begins: its UTC midnight."""
    return _midnight(first_bar_day(now))


def in_window(incidents: Iterable[IncidentSummary], start: datetime) -> list[IncidentSummary]:
    """Those of `incidents` that may touch the window beginning at `start`: ended since, or open."""
    return [i for i in incidents if i.resolved_at is None or i.resolved_at >= start]


def spans(
    incident: IncidentSummary, components: Collection[str], now: datetime
) -> dict[str, list[Span]]:
    """For each of `components`, the stretches of time in which `incident` gave it a state
    other than operational.

    From its timeline, read once for all of them: each state lasts until the next change,
    its resolution, or `now`.
    """
    times = incident.update_times
    found: dict[str, list[Span]] = {cid: [] for cid in components}
    timeline = incident.timeline
    last = len(timeline) - 1
    for position, (number, states) in enumerate(timeline):
        # The first states hold from when impact began (began_at, or a window's start).
        start = times[number] if number else incident.started_at
        end = times[timeline[position + 1][0]] if position < last else incident.resolved_at or now
        if end > now:
            end = now
        if start >= end:
            continue
        for cid, state in states:
            if state is not _UP and cid in found:
                found[cid].append(Span(start, end, state, incident.id))
    return found


def component_uptime(
    component: str,
    incidents: Iterable[IncidentSummary],
    counters: Sequence[Mapping[date, DayCounters]],
    settings: UptimeSettings,
    since: date | None,
    now: datetime,
) -> ComponentUptime:
    """The component's days and figures: `every_uptime` for one component, whose probes
    counted `counters` (each probe's days by UTC day, every location added up)."""
    first = first_bar_day(now)
    totals = [day_totals(rows.values(), first, BAR_DAYS) for rows in counters]
    return every_uptime([component], incidents, {component: totals}, settings, since, now)[
        component
    ]


def every_uptime(
    components: Sequence[str],
    incidents: Iterable[IncidentSummary],
    counters: Mapping[str, Sequence[Sequence[DayTotals | None]]],
    settings: UptimeSettings,
    since: date | None,
    now: datetime,
) -> dict[str, ComponentUptime]:
    """Each of `components`' days and figures, by id, from one pass over `incidents`.

    `incidents` are those that may affect them (any others are passed over); `counters`
    the totals (`day_totals` of the window's UTC days, every location added up) of each
    probe of a component that may change its state; `since` the first day incidents count
    (None: they count on no day).
    """
    window = _Window(now, since)
    wanted = set(components)
    # What touches each day of the window, found once: most days have nothing.
    touched: dict[str, dict[int, _Touched]] = {cid: {} for cid in components}
    for incident in incidents:
        end = incident.resolved_at or now
        if end > now:
            end = now
        if end < window.start or not incident.has_begun:
            continue
        mine = [cid for cid in incident.components if cid in wanted]
        if not mine:
            continue
        touching = (incident.started_at, end, incident.id)
        numbers = window.numbers(incident.started_at, end)
        found = spans(incident, mine, now)
        for cid in mine:
            by_day = touched[cid]
            for n in numbers:
                seen = by_day.get(n)
                if seen is None:
                    seen = by_day[n] = _Touched([], [])
                seen.touching.append(touching)
            for span in found[cid]:
                for n in window.numbers(span.start, span.end):
                    seen = by_day.get(n)
                    if seen is None:
                        seen = by_day[n] = _Touched([], [])
                    seen.spans.append(span)
    made: dict[str, ComponentUptime] = {}
    for cid in components:
        by_day = touched[cid]
        measured = _measured_totals(counters.get(cid, ()))
        days = list(window.quiet)
        for n, totals in measured.items():
            if n in by_day:
                continue
            if totals[0]:  # most days, with probes: only what they measured
                days[n] = _probed_day(window, n, *totals)
            else:  # a row of no checks
                days[n] = _day(window, n, (), (), totals, settings)
        for n, seen in by_day.items():
            days[n] = _day(window, n, seen.spans, seen.touching, measured.get(n), settings)
        figures = tuple(_figure(days[-length:], length) for length in WINDOWS)
        made[cid] = ComponentUptime(cid, tuple(days), figures)
    return made


def _measured_totals(
    counters: Sequence[Sequence[DayTotals | None]],
) -> dict[int, tuple[int, int, int]]:
    """The checks, down and degraded checks of every probe, added up for each day of the
    window (by its number) that has any."""
    if len(counters) == 1:
        return {n: totals for n, totals in enumerate(counters[0]) if totals is not None}
    found: dict[int, tuple[int, int, int]] = {}
    for n, day in enumerate(zip(*counters, strict=True)):  # each probe's totals of day n
        measured = [totals for totals in day if totals is not None]
        if len(measured) == 1:
            found[n] = measured[0]
        elif measured:
            checks, down, degraded = map(sum, zip(*measured, strict=True))
            found[n] = (checks, down, degraded)
    return found


class _Touched(NamedTuple):
    """What touches one day of a component: its spans, and its incidents' whole stretches."""

    spans: list[Span]
    touching: list[tuple[datetime, datetime, str]]


class _Window:
    """The window's days, once for every component: their bounds, and each as a day on
    which nothing happened looks."""

    def __init__(self, now: datetime, since: date | None) -> None:
        self.first = first_bar_day(now)
        self.start = _midnight(self.first)
        self.days = [self.first + timedelta(days=n) for n in range(BAR_DAYS)]
        self.starts = [self.start + n * _ONE_DAY for n in range(BAR_DAYS)]
        self.ends = [min(start + _ONE_DAY, now) for start in self.starts]
        self.lengths = [
            max((end - start).total_seconds(), 0.0)
            for start, end in zip(self.starts, self.ends, strict=True)
        ]
        self.tracked = [since is not None and day >= since for day in self.days]
        self.quiet = [
            DayUptime(day, _UP, 1.0, length, 0.0, 0.0, (), 0, 0, True)
            if tracked and length > 0
            else DayUptime(day, None, None, 0.0, 0.0, 0.0, (), 0, 0, tracked)
            for day, length, tracked in zip(self.days, self.lengths, self.tracked, strict=True)
        ]

    def numbers(self, start: datetime, end: datetime) -> range:
        """The days of the window that the time from start to end touches.

        A moment alone (start == end) touches its day; an end at midnight not the next one.
        """
        first = max(int((start - self.start) // _ONE_DAY), 0)
        last = min(int((end - self.start) // _ONE_DAY), BAR_DAYS - 1)
        if end > start and (end - self.start) % _ONE_DAY == _NO_TIME:
            last -= 1
        return range(first, last + 1)


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


_ONE_DAY = timedelta(days=1)
_UP = ComponentState.OPERATIONAL
_NO_TIME = timedelta(0)


def _day(
    window: _Window,
    n: int,
    all_spans: Sequence[Span],
    touching: Sequence[tuple[datetime, datetime, str]],
    measured: tuple[int, int, int] | None,
    settings: UptimeSettings,
) -> DayUptime:
    checks, down, degraded = measured or (0, 0, 0)
    if checks and not all_spans and not touching:  # only probes: what they measured
        return _probed_day(window, n, checks, down, degraded)
    day, start, end = window.days[n], window.starts[n], window.ends[n]
    length, tracked = window.lengths[n], window.tracked[n]
    clipped = [
        Span(max(s.start, start), min(s.end, end), s.state, s.incident)
        for s in all_spans
        if s.start < end and s.end > start
    ]
    ids = sorted({iid for a, b, iid in touching if a < end and (b > start or start <= a == b)})
    maintenance_s, downtime_s = _weigh(clipped, start, end, settings)
    counted_s = length - maintenance_s
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


def _probed_day(window: _Window, n: int, checks: int, down: int, degraded: int) -> DayUptime:
    """Day `n` of the window, which only probes measured (`checks` of them)."""
    day, length, tracked = window.days[n], window.lengths[n], window.tracked[n]
    probed = _measured_day(checks, down, degraded)
    if length <= 0:
        return DayUptime(day, probed, None, 0.0, 0.0, 0.0, (), checks, down, tracked)
    fraction = down / checks
    return DayUptime(
        day, probed, 1.0 - fraction, length, fraction * length, 0.0, (), checks, down, tracked
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
    if len(clipped) == 1:  # most days: one span, nothing overlapping
        only = clipped[0]
        seconds = max((only.end - only.start).total_seconds(), 0.0)
        if only.state is ComponentState.UNDER_MAINTENANCE:
            return seconds, 0.0
        return 0.0, seconds * settings.weight(only.state)
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

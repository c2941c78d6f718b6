"""The uptime bars and response-time charts of the pages, as values the templates draw.

Everything is worked out at build time (each day's words, a chart's lines and axis), so the
templates write plain HTML and inline SVG and a page needs no script. Words are plain text:
the templates escape them like any other.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from ..i18n import N_
from ..i18n.language import Language
from ..model import ComponentState, IncidentSummary
from ..model.probes import MEDIAN_AND_P95, RESPONSE_BUCKETS_MS, DayCounters, ProbeHistory
from ..model.uptime import ComponentUptime, DayUptime, UptimeFigure, UptimeSource, format_percent

if TYPE_CHECKING:
    from .views import ResponseDay

NO_DATA = "no_data"
"""The class a bar's day without data takes where others take their state's value."""

CHART_HEIGHT = 100  # user units of a chart's SVG; a day is one unit wide
HEADROOM = 1.1  # the top of a chart's axis is at least this times its highest value


class BarDay(NamedTuple):
    """One day of a component's bar: its figures, the incidents that touched it, its words."""

    uptime: DayUptime
    incidents: tuple[IncidentSummary, ...]  # the incidents and maintenance that day, by start
    words: str  # '99.50 % uptime, partial outage', 'no data'


class DayRun(NamedTuple):
    """Days in a row that the bar draws as one piece and says in one line: the same words,
    no incident; a day with incidents is a run of its own."""

    first: date
    last: date
    days: int
    state: ComponentState | None  # None: no data
    words: str
    incidents: tuple[IncidentSummary, ...]  # only ever those of a day alone
    label: str  # 'First to last UTC (n days): words', and the incidents' titles

    @property
    def css(self) -> str:
        """The class of its cells: the state's value, or NO_DATA."""
        return NO_DATA if self.state is None else self.state.value


class FigureLine(NamedTuple):
    """One uptime figure as a page says it: '99.95 % uptime over 90 days (from probes; ...)'."""

    days: int
    percent: str | None  # '99.95'; None: no data in the window
    about: str  # what it comes from and how well probes covered it; '' when nothing to say


_SOURCE_WORDS = {
    UptimeSource.INCIDENTS: N_("from incidents"),
    UptimeSource.PROBES: N_("from probes"),
    UptimeSource.PROBES_AND_INCIDENTS: N_("from probes and incidents"),
}


def figure_line(figure: UptimeFigure, probed: bool, words: Language) -> FigureLine:
    """The figure in words; `probed`: whether probes may change the component's state.

    Says the probes' coverage where there are probes, and the days with data where fewer
    than the window's have some and the coverage does not already say so.
    """
    about: list[str] = []
    if figure.source is not None:
        about.append(words.gettext(_SOURCE_WORDS[figure.source]))
    if probed:
        checked = words.gettext("probes checked %(checked)s of %(days)s days")
        about.append(checked % {"checked": figure.probe_days, "days": figure.days})
    partial = figure.days_with_data < figure.days and figure.days_with_data != figure.probe_days
    if figure.uptime is not None and partial:
        data = words.gettext("data on %(with_data)s of %(days)s days")
        about.append(data % {"with_data": figure.days_with_data, "days": figure.days})
    return FigureLine(figure.days, figure.percent, words.gettext("; ").join(about))


class UptimeView(NamedTuple):
    """What a page shows of one component's uptime: figures, the bar and its text."""

    component: str
    figures: tuple[UptimeFigure, ...]  # over model.uptime.WINDOWS, shortest first
    lines: tuple[FigureLine, ...]  # the same in words
    days: tuple[BarDay, ...]  # oldest first
    runs: tuple[DayRun, ...]  # the same days, oldest first, equal neighbours together
    probed: bool  # whether any probe may change its state: its coverage is worth saying

    @property
    def first(self) -> date:
        """The bar's first UTC day."""
        return self.days[0].uptime.day

    @property
    def has_figures(self) -> bool:
        """Whether any window has a figure."""
        return any(f.uptime is not None for f in self.figures)

    @property
    def has_days(self) -> bool:
        """Whether any day of the bar has data (a state)."""
        return any(d.uptime.state is not None for d in self.days)


def day_words(day: DayUptime, words: Language) -> str:
    """What one day was, in words: '99.50 % uptime, partial outage', or 'no data'."""
    state = day.state
    if day.uptime is not None and state is not None:
        shown = words.gettext("%(percent)s %% uptime, %(state)s")
        percent = words.percent(format_percent(day.uptime))
        return shown % {"percent": percent, "state": words.label(state).lower()}
    if state is None:
        return words.gettext("no data")
    # Maintenance all day long.
    return words.gettext("%(state)s, no uptime counted") % {"state": words.label(state).lower()}


def uptime_view(
    uptime: ComponentUptime,
    incidents: Mapping[str, IncidentSummary],
    probed: bool,
    words: Language,
) -> UptimeView:
    """The component's bar and its words; `incidents` holds at least those its days name."""
    days = [
        BarDay(
            day,
            tuple(sorted((incidents[i] for i in day.incidents), key=_by_start)),
            day_words(day, words),
        )
        for day in uptime.days
    ]
    lines = tuple(figure_line(f, probed, words) for f in uptime.figures)
    return UptimeView(
        uptime.component, uptime.figures, lines, tuple(days), runs(days, words), probed
    )


def _by_start(incident: IncidentSummary) -> tuple[datetime, str]:
    return incident.started_at, incident.id


def runs(days: Iterable[BarDay], words: Language) -> tuple[DayRun, ...]:
    """The days in runs: neighbours with the same words and no incident together."""
    found: list[list[BarDay]] = []
    for bar in days:
        last = found[-1][-1] if found else None
        if (
            last is not None
            and not bar.incidents
            and not last.incidents
            and last.words == bar.words
            and last.uptime.day + timedelta(days=1) == bar.uptime.day
        ):
            found[-1].append(bar)
        else:
            found.append([bar])
    return tuple(_run(run, words) for run in found)


def _run(days: Sequence[BarDay], words: Language) -> DayRun:
    first, last = days[0], days[-1]
    start, end = first.uptime.day, last.uptime.day
    if len(days) == 1:
        when = words.gettext("%(day)s UTC") % {"day": words.day(start)}
    else:
        when = words.gettext("%(first)s to %(last)s UTC (%(num)s days)") % {
            "first": words.day(start),
            "last": words.day(end),
            "num": len(days),
        }
    label = f"{when}: {first.words}"
    if first.incidents:
        titles = "; ".join(i.title for i in first.incidents)
        named = words.npgettext("a day's incidents", "Incident", "Incidents", len(first.incidents))
        label += f". {named}: {titles}"
    return DayRun(start, end, len(days), first.uptime.state, first.words, first.incidents, label)


class ResponseRun(NamedTuple):
    """A line of a chart's table: one day with answers, or days in a row without any."""

    first: date
    last: date
    days: int
    p50_ms: float | None  # None: no answer on any of these days
    p95_ms: float | None
    answered: int


class ResponseChart(NamedTuple):
    """One probe's response times per UTC day, drawn as two step lines, p50 and p95."""

    probe: str
    days: tuple[ResponseDay, ...]  # oldest first
    runs: tuple[ResponseRun, ...]
    top_ms: float  # the value at the top of the chart: a round number at least the highest
    p50_path: str  # SVG path data, x in days, y from 0 (top_ms) to CHART_HEIGHT (0 ms)
    p95_path: str
    median_ms: float  # over every answer of the window
    p95_ms: float
    answered: int

    @property
    def width(self) -> int:
        """The chart's width in user units: one a day."""
        return len(self.days)

    @property
    def ticks(self) -> tuple[float, float, float]:
        """The values of the axis's labels, top to bottom."""
        return (self.top_ms, self.top_ms / 2, 0.0)


def round_up(value: float) -> float:
    """A round number at least `value` (> 0) whose half is round too: 1, 2, 3, 4, 5, 6 or 8
    times a power of ten."""
    scale = 10.0 ** math.floor(math.log10(value))
    return next(s * scale for s in (1, 2, 3, 4, 5, 6, 8, 10) if s * scale >= value)


def response_chart(
    probe: str, days: Sequence[ResponseDay], history: ProbeHistory | None
) -> ResponseChart | None:
    """The chart of a probe's `days` (from SiteIndex.responses); None when none has answers.

    `history` gives the whole window's median and p95, from every answer's bucket.
    """
    answered = sum(d.answered for d in days)
    if not answered or history is None:
        return None
    highest = max(d.p95_ms or 0.0 for d in days)
    top = round_up(max(highest, 1.0) * HEADROOM)
    first, last = days[0].day, days[-1].day
    window = [row for row in history.counts_from(first) if row.day <= last]
    total = DayCounters(
        last,
        0,
        0,
        0,
        0,
        0.0,
        max(row.response_ms_max for row in window),
        tuple(sum(column) for column in zip(*(row.histogram for row in window), strict=True))
        if window
        else (0,) * (len(RESPONSE_BUCKETS_MS) + 1),
        None,
    )
    median, p95 = total.percentiles(MEDIAN_AND_P95)
    return ResponseChart(
        probe,
        tuple(days),
        response_runs(days),
        top,
        step_path([d.p50_ms for d in days], top),
        step_path([d.p95_ms for d in days], top),
        median or 0.0,
        p95 or 0.0,
        answered,
    )


def response_runs(days: Iterable[ResponseDay]) -> tuple[ResponseRun, ...]:
    """The table's lines: each day with answers, and each stretch of days without."""
    found: list[ResponseRun] = []
    for day in days:
        last = found[-1] if found else None
        if last is not None and not day.answered and not last.answered:
            found[-1] = last._replace(last=day.day, days=last.days + 1)
        else:
            found.append(ResponseRun(day.day, day.day, 1, day.p50_ms, day.p95_ms, day.answered))
    return tuple(found)


def step_path(values: Sequence[float | None], top: float) -> str:
    """SVG path data of a step line: a flat step across each day with a value, gaps elsewhere."""
    parts: list[str] = []
    previous: str | None = None  # the last day's height; None after a day without a value
    for x, value in enumerate(values):
        if value is None:
            previous = None
            continue
        y = _number(CHART_HEIGHT * (1 - min(value, top) / top))
        if previous is None:
            parts.append(f"M{x} {y}H{x + 1}")
        elif y == previous:
            parts[-1] = parts[-1].rsplit("H", 1)[0] + f"H{x + 1}"  # the same step, longer
        else:
            parts.append(f"V{y}H{x + 1}")
        previous = y
    return "".join(parts)


def _number(value: float) -> str:
    """A coordinate with at most two decimals, without trailing zeros."""
    return f"{value:.2f}".rstrip("0").rstrip(".")

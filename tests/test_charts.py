"""The uptime bars and response-time charts as values: words, groups of days, lines, axes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from statuspage.i18n.language import language
from statuspage.model import ComponentState
from statuspage.model.probes import RESPONSE_BUCKETS_MS, DayCounters, ProbeHistory
from statuspage.model.uptime import ComponentUptime, DayUptime, UptimeFigure, UptimeSource
from statuspage.render.charts import (
    day_words,
    figure_line,
    response_chart,
    response_runs,
    round_up,
    step_path,
    uptime_view,
)
from statuspage.render.views import ResponseDay
from tests.conftest import RESOLVED, MakeSite, day_counters

DAY = date(2026, 11, 20)
OP = ComponentState.OPERATIONAL
MAINT = ComponentState.UNDER_MAINTENANCE

EN = language("en")


def day(
    n: int, state: ComponentState | None, uptime: float | None, incidents: tuple[str, ...] = ()
) -> DayUptime:
    return DayUptime(DAY + timedelta(days=n), state, uptime, 0.0, 0.0, 0.0, incidents, 0, 0, True)


def test_a_day_in_words() -> None:
    assert day_words(day(0, ComponentState.PARTIAL_OUTAGE, 0.99949), EN) == (
        "99.94 % uptime, partial outage"  # cut, never rounded up
    )
    assert day_words(day(0, OP, 1.0), EN) == "100.00 % uptime, operational"
    assert day_words(day(0, None, None), EN) == "no data"
    assert day_words(day(0, MAINT, None), EN) == "under maintenance, no uptime counted"


def uptime_of(days: list[DayUptime]) -> ComponentUptime:
    none = UptimeFigure(30, None, 0, 0, None)
    return ComponentUptime("api", tuple(days), (none, none._replace(days=90)))


def test_days_with_the_same_words_and_no_incident_are_one_run(make_site: MakeSite) -> None:
    summary = (
        make_site(incidents={"x": RESOLVED.replace("Elevated error rates", "x")})
        .load()
        .incidents[0]
    )
    view = uptime_view(
        uptime_of(
            [day(0, None, None), day(1, None, None), day(2, OP, 1.0), day(3, OP, 1.0, ("x",))]
        ),
        {"x": summary},
        probed=False,
        words=EN,
    )
    assert [(r.first.day, r.last.day, r.days, r.css, r.label) for r in view.runs] == [
        (20, 21, 2, "no_data", "20 Nov 2026 to 21 Nov 2026 UTC (2 days): no data"),
        (22, 22, 1, "operational", "22 Nov 2026 UTC: 100.00 % uptime, operational"),
        (23, 23, 1, "operational", "23 Nov 2026 UTC: 100.00 % uptime, operational. Incident: x"),
    ]
    assert not view.has_figures and view.has_days


FIGURE = UptimeFigure(90, 0.9995, 90, 84, UptimeSource.PROBES_AND_INCIDENTS)


@pytest.mark.parametrize(
    ("figure", "probed", "about"),
    [
        (FIGURE, True, "from probes and incidents; probes checked 84 of 90 days"),
        (
            FIGURE._replace(source=UptimeSource.PROBES, days_with_data=84),
            True,
            "from probes; probes checked 84 of 90 days",
        ),
        (
            FIGURE._replace(source=UptimeSource.INCIDENTS, days_with_data=40, probe_days=0),
            False,
            "from incidents; data on 40 of 90 days",
        ),
        (
            FIGURE._replace(source=UptimeSource.INCIDENTS, probe_days=0),
            True,
            "from incidents; probes checked 0 of 90 days",
        ),
        (UptimeFigure(30, None, 0, 0, None), True, "probes checked 0 of 30 days"),
        (UptimeFigure(30, None, 0, 0, None), False, ""),
    ],
)
def test_a_figure_says_where_it_comes_from(figure: UptimeFigure, probed: bool, about: str) -> None:
    assert figure_line(figure, probed, EN).about == about


def test_round_numbers_at_the_top_of_an_axis_halve_round() -> None:
    assert [round_up(v) for v in (1.0, 1.1, 96.25, 101, 350, 601, 0.4)] == [
        1,
        2,
        100,
        200,
        400,
        800,
        0.4,
    ]


def test_a_step_line_has_a_step_a_day_and_gaps_for_days_without_answers() -> None:
    assert step_path([None, 31.25, 31.25, None, 30, 30, 40, 500], 100) == (
        "M1 68.75H3M4 70H6V60H7V0H8"  # the last above the top: drawn at the top
    )
    assert step_path([None, None], 100) == ""


def response_day(n: int, p50: float | None, p95: float | None, answered: int) -> ResponseDay:
    return ResponseDay(DAY + timedelta(days=n), p50, p95, answered)


def test_days_without_answers_are_one_line_of_the_table() -> None:
    days = [
        response_day(0, None, None, 0),
        response_day(1, None, None, 0),
        response_day(2, 30, 85, 48),
    ]
    assert [(r.first.day, r.last.day, r.days, r.answered) for r in response_runs(days)] == [
        (20, 21, 2, 0),
        (22, 22, 1, 48),
    ]


def test_a_chart_takes_its_window_figures_from_every_answer() -> None:
    rows = (
        day_counters(DAY, 100, 0, (80, 20)),
        day_counters(DAY + timedelta(days=1), 4, 0, (0, 0, 4)),
    )
    history = ProbeHistory(rows, {})
    days = [response_day(0, 31.25, 87.5, 100), response_day(1, 150, 195, 4)]
    chart = response_chart("api-health", days, history)
    assert chart is not None
    # 104 answers: the median (the 52nd) in the first bucket, the p95 (98.8th) in the second.
    assert (chart.median_ms, chart.p95_ms, chart.answered) == (32.5, 97.0, 104)
    assert chart.top_ms == 300 and chart.ticks == (300, 150, 0)
    assert response_chart("api-health", [response_day(0, None, None, 0)], history) is None


def _one_percentile(row: DayCounters, fraction: float) -> float | None:
    """A percentile as the docstring of DayCounters.percentiles says, bucket by bucket."""
    answered = sum(row.histogram)
    if not answered:
        return None
    rank, below = fraction * answered, 0
    for position, count in enumerate(row.histogram):
        if count and below + count >= rank:
            low = RESPONSE_BUCKETS_MS[position - 1] if position else 0
            high = min(
                RESPONSE_BUCKETS_MS[position]
                if position < len(RESPONSE_BUCKETS_MS)
                else row.response_ms_max,
                row.response_ms_max,
            )
            low = min(low, high)
            return low + (high - low) * max(rank - below, 0) / count
        below += count
    raise AssertionError("the counts add up to the answers")


@given(
    st.lists(
        st.integers(0, 50),
        min_size=len(RESPONSE_BUCKETS_MS) + 1,
        max_size=len(RESPONSE_BUCKETS_MS) + 1,
    ),
    st.floats(1, 20_000),
    st.lists(st.floats(0, 1), min_size=1, max_size=4),
)
def test_percentiles_in_one_pass_are_each_percentile(
    histogram: list[int], slowest: float, fractions: list[float]
) -> None:
    answered = sum(histogram)
    row = DayCounters(DAY, answered, answered, 0, 0, 0.0, slowest, tuple(histogram), None)
    fractions.sort()
    expected = tuple(_one_percentile(row, f) for f in fractions)
    assert row.percentiles(fractions) == expected

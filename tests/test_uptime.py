"""Uptime arithmetic: exact figures from incidents and probes (statuspage.model.uptime)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from statuspage.model import ComponentState, Site
from statuspage.model.probes import RESPONSE_BUCKETS_MS, DayCounters
from statuspage.model.uptime import (
    ComponentUptime,
    DayUptime,
    UptimeSettings,
    UptimeSource,
    component_uptime,
    first_day,
    format_percent,
)
from tests.conftest import MakeSite

NOW = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)  # the last day counts half
HOUR = 3600.0
# The 30-day window ends at NOW: 29 whole days (November 1 to 29) and half of the 30th.
WINDOW_30 = 29.5 * 24 * HOUR
MAJOR = ComponentState.MAJOR_OUTAGE
PARTIAL = ComponentState.PARTIAL_OUTAGE
DEGRADED = ComponentState.DEGRADED_PERFORMANCE
MAINT = ComponentState.UNDER_MAINTENANCE
OP = ComponentState.OPERATIONAL

CONFIG = """\
title: Uptime
url: https://status.test.example
timezone: {zone}
components:
  - {{id: api, name: API}}
  - {{id: web, name: Web}}
"""


def outage(start: str, end: str, state: str = "major_outage", component: str = "api") -> str:
    """An incident giving `component` `state` from `start` to `end` (UTC times)."""
    return f"""\
title: Outage
impact: minor
components: [{component}]
updates:
  - at: {start}
    status: investigating
    message: Broken.
    components: {{{component}: {state}}}
  - at: {end}
    status: resolved
    message: Fixed.
"""


def maintenance(start: str, end: str) -> str:
    return f"""\
title: Upgrade
kind: maintenance
components: [api]
scheduled_for: {start}
scheduled_until: {end}
updates:
  - at: 2026-11-01T08:00:00Z
    status: scheduled
    message: Planned.
  - at: {start}
    status: in_progress
    message: Started.
  - at: {end}
    status: completed
    message: Done.
"""


def load(make_site: MakeSite, zone: str = "UTC", **incidents: str) -> Site:
    return make_site(CONFIG.format(zone=zone), incidents).load()


def uptime_of(
    site: Site,
    component: str = "api",
    *,
    counters: list[dict[date, DayCounters]] | None = None,
    since: date | None = date(2026, 9, 1),
    settings: UptimeSettings | None = None,
    now: datetime = NOW,
) -> ComponentUptime:
    affecting = [i for i in site.incidents if component in i.components]
    return component_uptime(
        component, affecting, counters or [], settings or UptimeSettings(), since, now
    )


def day_of(uptime: ComponentUptime, day: date) -> DayUptime:
    found = [d for d in uptime.days if d.day == day]
    assert len(found) == 1
    return found[0]


def counters(day: date, checks: int, down: int, degraded: int = 0) -> DayCounters:
    histogram = [0] * (len(RESPONSE_BUCKETS_MS) + 1)
    answered = checks - down
    histogram[1] = answered
    up = checks - down - degraded
    return DayCounters(
        day, checks, up, degraded, down, 80.0 * answered, 80.0, tuple(histogram), None
    )


def test_a_major_outage_counts_fully_and_a_partial_one_at_30_percent(make_site: MakeSite) -> None:
    site = load(
        make_site,
        major=outage("2026-11-10T09:00:00Z", "2026-11-10T12:00:00Z"),
        partial=outage("2026-11-12T06:00:00Z", "2026-11-12T16:00:00Z", "partial_outage"),
    )
    uptime = uptime_of(site)
    downtime = 3 * HOUR + 0.3 * 10 * HOUR
    month = uptime.figure(30)
    assert month.uptime == pytest.approx(1 - downtime / WINDOW_30, abs=1e-12)
    assert month.percent == "99.15"  # 99.1525...: cut, not rounded
    assert (month.days_with_data, month.probe_days, month.source) == (
        30,
        0,
        UptimeSource.INCIDENTS,
    )
    quarter = uptime.figure(90)
    assert quarter.uptime == pytest.approx(1 - downtime / (89.5 * 24 * HOUR), abs=1e-12)
    ten = day_of(uptime, date(2026, 11, 10))
    assert (ten.state, ten.uptime, ten.incidents) == (MAJOR, pytest.approx(1 - 3 / 24), ("major",))
    twelve = day_of(uptime, date(2026, 11, 12))
    assert (twelve.state, twelve.uptime) == (PARTIAL, pytest.approx(1 - 3 / 24))
    assert day_of(uptime, date(2026, 11, 11)) == DayUptime(
        date(2026, 11, 11), OP, 1.0, 24 * HOUR, 0.0, 0.0, (), 0, 0, True
    )


def test_degraded_performance_counts_as_up_unless_weighted(make_site: MakeSite) -> None:
    site = load(
        make_site,
        slow=outage("2026-11-10T00:00:00Z", "2026-11-10T12:00:00Z", "degraded_performance"),
    )
    assert uptime_of(site).figure(30).uptime == 1.0
    weighted = uptime_of(site, settings=UptimeSettings(degraded_performance=0.5))
    assert weighted.figure(30).uptime == pytest.approx(1 - 6 * HOUR / WINDOW_30, abs=1e-12)
    assert day_of(weighted, date(2026, 11, 10)).state is DEGRADED


def test_overlapping_incidents_count_the_worst_state_at_each_moment_once(
    make_site: MakeSite,
) -> None:
    site = load(
        make_site,
        a=outage("2026-11-10T10:00:00Z", "2026-11-10T13:00:00Z"),
        b=outage("2026-11-10T12:00:00Z", "2026-11-10T16:00:00Z", "partial_outage"),
        c=outage("2026-11-10T11:00:00Z", "2026-11-10T12:30:00Z"),  # within a: adds nothing
    )
    day = day_of(uptime_of(site), date(2026, 11, 10))
    # Major 10:00-13:00 (3 h), then partial alone 13:00-16:00 (3 h at 30 %).
    assert day.downtime_s == pytest.approx(3 * HOUR + 0.9 * HOUR)
    assert day.uptime == pytest.approx(1 - 3.9 / 24)
    assert day.incidents == ("a", "b", "c")


def test_maintenance_is_left_out_of_the_time_counted(make_site: MakeSite) -> None:
    site = load(
        make_site,
        upgrade=maintenance("2026-11-15T02:00:00Z", "2026-11-15T04:00:00Z"),
        crash=outage("2026-11-15T03:00:00Z", "2026-11-15T05:00:00Z"),
    )
    uptime = uptime_of(site)
    day = day_of(uptime, date(2026, 11, 15))
    # 02:00-04:00 is maintenance, whatever else is open then; the outage counts 04:00-05:00.
    assert (day.maintenance_s, day.counted_s, day.downtime_s) == (2 * HOUR, 22 * HOUR, HOUR)
    assert day.uptime == pytest.approx(1 - 1 / 22)
    assert day.state is MAJOR
    assert day.incidents == ("crash", "upgrade")
    assert uptime.figure(30).uptime == pytest.approx(1 - HOUR / (WINDOW_30 - 2 * HOUR), abs=1e-12)


def test_a_day_wholly_in_maintenance_has_no_figure(make_site: MakeSite) -> None:
    site = load(make_site, long=maintenance("2026-11-15T00:00:00Z", "2026-11-16T00:00:00Z"))
    uptime = uptime_of(site)
    day = day_of(uptime, date(2026, 11, 15))
    assert (day.state, day.uptime, day.has_data) == (MAINT, None, False)
    assert uptime.figure(30).days_with_data == 29
    assert uptime.figure(30).uptime == 1.0


def test_days_before_data_starts_are_no_data_not_up(make_site: MakeSite) -> None:
    site = load(make_site, crash=outage("2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z"))
    uptime = uptime_of(site, since=date(2026, 11, 20))
    before = day_of(uptime, date(2026, 11, 19))
    assert (before.state, before.uptime, before.has_data) == (None, None, False)
    month = uptime.figure(30)
    assert month.days_with_data == 11  # November 20 to 30
    assert month.uptime == pytest.approx(1 - HOUR / (10.5 * 24 * HOUR), abs=1e-12)
    # Nothing counts at all: no figure, rather than 100 %.
    nothing = uptime_of(site, since=None)
    assert nothing.figure(90).uptime is None
    assert nothing.figure(90).percent is None
    assert nothing.figure(90).source is None
    assert all(d.state is None for d in nothing.days)


def test_incidents_count_from_the_site_s_first_incident_by_default(make_site: MakeSite) -> None:
    site = load(
        make_site,
        first=outage("2026-11-20T23:00:00Z", "2026-11-21T01:00:00Z", component="web"),
        later=outage("2026-11-25T10:00:00Z", "2026-11-25T11:00:00Z"),
    )
    assert first_day(site.incidents) == date(2026, 11, 20)
    uptime = uptime_of(site, since=first_day(site.incidents))
    assert uptime.figure(30).days_with_data == 11
    assert first_day(()) is None


def test_an_open_incident_counts_until_now(make_site: MakeSite) -> None:
    text = """\
title: Down
impact: critical
components: [api]
updates:
  - at: 2026-11-30T10:00:00Z
    status: investigating
    message: Down.
"""
    site = load(make_site, down=text)
    today = day_of(uptime_of(site), date(2026, 11, 30))
    assert (today.counted_s, today.downtime_s) == (12 * HOUR, 2 * HOUR)
    assert today.uptime == pytest.approx(1 - 2 / 12)
    later = uptime_of(site, now=NOW + timedelta(hours=6))
    assert day_of(later, date(2026, 11, 30)).downtime_s == 8 * HOUR


def test_probes_count_down_checks_over_all_and_the_worse_of_both_counts(
    make_site: MakeSite,
) -> None:
    site = load(make_site, crash=outage("2026-11-10T09:00:00Z", "2026-11-10T12:00:00Z"))
    ten, eleven, early = date(2026, 11, 10), date(2026, 11, 11), date(2026, 10, 1)
    # Two probes; two locations of one probe already added up (DayCounters.__add__).
    first = {ten: counters(ten, 288, 1), eleven: counters(eleven, 288, 9, degraded=5)}
    eu_us = counters(eleven, 288, 0) + counters(eleven, 288, 3)
    second = {eleven: eu_us, early: counters(early, 100, 100)}
    uptime = uptime_of(site, counters=[first, second], since=date(2026, 11, 1))
    # The 10th: the incident's 3 h (12.5 %) is worse than the probe's 1 of 288.
    assert day_of(uptime, ten).uptime == pytest.approx(1 - 3 / 24)
    # The 11th: no incident; 12 of 864 checks down. Degraded checks count as up.
    day = day_of(uptime, eleven)
    assert (day.checks, day.down) == (864, 12)
    assert day.uptime == pytest.approx(1 - 12 / 864)
    assert day.state is PARTIAL  # some checks down; slow ones only degrade
    # October 1st: before incidents count, but probes checked: every check down.
    october = day_of(uptime, early)
    assert (october.state, october.uptime, october.declared) == (MAJOR, 0.0, False)
    quarter = uptime.figure(90)
    counted = 29.5 * 24 * HOUR + 24 * HOUR  # November (incidents count), and October 1st
    downtime = 3 * HOUR + 12 / 864 * 24 * HOUR + 24 * HOUR
    assert quarter.uptime == pytest.approx(1 - downtime / counted, abs=1e-12)
    assert (quarter.days_with_data, quarter.probe_days) == (31, 3)
    assert quarter.source is UptimeSource.PROBES_AND_INCIDENTS
    only_probes = uptime_of(site, counters=[second], since=None, component="web")
    assert only_probes.figure(90).source is UptimeSource.PROBES
    assert only_probes.figure(90).days_with_data == 2


def test_a_day_whose_row_counts_no_checks_is_as_a_day_without_one(make_site: MakeSite) -> None:
    site = load(make_site)
    twelfth, october = date(2026, 11, 12), date(2026, 10, 1)
    rows = {twelfth: counters(twelfth, 0, 0), october: counters(october, 0, 0)}
    with_rows = uptime_of(site, counters=[rows], since=date(2026, 11, 1))
    without = uptime_of(site, counters=[], since=date(2026, 11, 1))
    assert day_of(with_rows, twelfth) == day_of(without, twelfth)
    assert day_of(with_rows, twelfth).uptime == 1.0
    assert day_of(with_rows, october).uptime is None  # before incidents count: no data
    assert with_rows.figures == without.figures


def test_days_are_utc_days_whatever_the_site_s_zone(make_site: MakeSite) -> None:
    # 09:00 on the 11th in Auckland (UTC+13) is 20:00 on the 10th in UTC: the bar of the 10th.
    site = load(
        make_site,
        zone="Pacific/Auckland",
        late=outage("2026-11-11T09:00:00+13:00", "2026-11-11T11:00:00+13:00"),
        midnight=outage("2026-11-14T22:00:00Z", "2026-11-15T02:00:00Z"),
    )
    uptime = uptime_of(site)
    assert day_of(uptime, date(2026, 11, 10)).incidents == ("late",)
    assert day_of(uptime, date(2026, 11, 11)).incidents == ()
    # An outage across UTC midnight counts in each day for its own hours.
    assert day_of(uptime, date(2026, 11, 14)).downtime_s == 2 * HOUR
    assert day_of(uptime, date(2026, 11, 15)).downtime_s == 2 * HOUR


def test_the_bars_cover_90_days_ending_today() -> None:
    uptime = component_uptime("api", [], [], UptimeSettings(), date(2026, 1, 1), NOW)
    assert len(uptime.days) == 90
    assert (uptime.days[0].day, uptime.days[-1].day) == (date(2026, 9, 2), date(2026, 11, 30))
    assert uptime.days[-1].counted_s == 12 * HOUR


@pytest.mark.parametrize(
    ("fraction", "shown"),
    [(1.0, "100.00"), (0.99999, "99.99"), (0.9995, "99.95"), (0.5, "50.00"), (0.0, "0.00")],
)
def test_percentages_are_cut_never_rounded_up_to_100(fraction: float, shown: str) -> None:
    assert format_percent(fraction) == shown


def test_weights_and_start_are_read_from_statuspage_yaml(make_site: MakeSite) -> None:
    config = CONFIG.format(zone="UTC") + (
        "uptime:\n  since: 2026-11-01\n  weights: {partial_outage: 0.5, major_outage: 1}\n"
        "  stale_after: 30m\n"
    )
    settings = make_site(config).load().config.uptime
    assert settings == UptimeSettings(
        since=date(2026, 11, 1), major_outage=1.0, partial_outage=0.5, stale_after_s=1800
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("uptime: {weights: {partial_outage: 30%}}", "7:36: 'partial_outage' must be a number"),
        ("uptime: {weights: {partial: 0.3}}", "7:20: unknown key 'partial'"),
        ("uptime: {since: yesterday}", "7:17: 'since' must be a date such as 2026-12-15"),
        ("uptime: {stale_after: 10s}", "7:23: 'stale_after' must be a duration from 1m to 168h"),
        ("uptime: {weights: {major_outage: 2}}", "7:34: 'major_outage' must be a number from 0"),
    ],
)
def test_bad_uptime_settings_are_located(make_site: MakeSite, text: str, expected: str) -> None:
    problems = make_site(CONFIG.format(zone="UTC") + text + "\n").problems()
    assert len(problems) == 1
    assert problems[0].startswith(f"statuspage.yaml:{expected}"), problems

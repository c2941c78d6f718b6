"""Times and durations as pages show them."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from statuspage.render.timefmt import (
    format_date,
    format_day,
    format_duration,
    format_month,
    format_ms,
    format_time,
    iso,
)

BERLIN = ZoneInfo("Europe/Berlin")


def test_times_show_in_the_site_zone_with_its_name() -> None:
    winter = datetime(2026, 11, 20, 14, 10, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 22, 30, tzinfo=UTC)
    assert format_time(winter, BERLIN) == "20 Nov 2026, 15:10 CET"
    assert format_time(summer, BERLIN) == "2 Jul 2026, 00:30 CEST"
    assert iso(winter, BERLIN) == "2026-11-20T15:10:00+01:00"
    assert format_date(summer, BERLIN) == "2 Jul 2026"
    assert format_month(summer, BERLIN) == "July 2026"
    assert format_day(date(2026, 12, 15)) == "15 Dec 2026"


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(seconds=30), "under a minute"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(minutes=45), "45 minutes"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=1, minutes=42), "1 hour 42 minutes"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=3, hours=4, minutes=59), "3 days 4 hours"),
    ],
)
def test_durations(span: timedelta, text: str) -> None:
    assert format_duration(span) == text


@pytest.mark.parametrize(
    ("ms", "text"),
    [
        (0.0, "0 ms"),
        (3.0, "3 ms"),
        (3.44, "3.4 ms"),
        (9.96, "10 ms"),
        (120.4, "120 ms"),
        (1250.0, "1,250 ms"),
    ],
)
def test_response_times_in_whole_ms_and_tenths_under_ten(ms: float, text: str) -> None:
    assert format_ms(ms) == text

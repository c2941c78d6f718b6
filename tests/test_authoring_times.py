"""authoring.times: the times people type, made into full ISO 8601 times with their offset."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from statuspage.authoring.times import format_time, read_time
from statuspage.errors import UsageError

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
NOW = datetime(2026, 12, 3, 13, 20, 45, 123456, tzinfo=UTC)  # 14:20:45 in Berlin


def written(text: str, zone: ZoneInfo = BERLIN, now: datetime = NOW) -> str:
    return format_time(read_time(text, now, zone))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("now", "2026-12-03T14:20:45+01:00"),
        ("NOW", "2026-12-03T14:20:45+01:00"),
        ("-10m", "2026-12-03T14:10:45+01:00"),
        ("-1h30m", "2026-12-03T12:50:45+01:00"),
        ("+2d", "2026-12-05T14:20:45+01:00"),
        ("14:05", "2026-12-03T14:05:00+01:00"),
        ("14:05:30", "2026-12-03T14:05:30+01:00"),
        ("2:05pm", "2026-12-03T14:05:00+01:00"),
        ("12:10 am", "2026-12-03T00:10:00+01:00"),
        ("14:05 CET", "2026-12-03T14:05:00+01:00"),
        ("14:05 cest", "2026-12-03T14:05:00+02:00"),
        ("09:30 PST", "2026-12-03T09:30:00-08:00"),
        ("14:05 UTC", "2026-12-03T14:05:00+00:00"),
        ("14:05Z", "2026-12-03T14:05:00+00:00"),
        ("14:05 +05:30", "2026-12-03T14:05:00+05:30"),
        ("14:05-0500", "2026-12-03T14:05:00-05:00"),
        ("14:05 America/New_York", "2026-12-03T14:05:00-05:00"),
        ("2026-07-01 14:05", "2026-07-01T14:05:00+02:00"),  # summer time in Berlin
        ("2026-07-01T14:05 Asia/Tokyo", "2026-07-01T14:05:00+09:00"),
        ("2026-12-03T14:05:00+01:00", "2026-12-03T14:05:00+01:00"),
        ("2026-12-03 14:05:00-03:00", "2026-12-03T14:05:00-03:00"),
    ],
)
def test_friendly_forms_become_full_times(text: str, expected: str) -> None:
    assert written(text) == expected


def test_the_site_zone_decides_the_offset_of_a_bare_clock_time() -> None:
    assert written("14:05", NEW_YORK) == "2026-12-03T14:05:00-05:00"
    assert written("now", NEW_YORK) == "2026-12-03T08:20:45-05:00"
    # "Today" is the site's day: at 01:00 UTC it is still yesterday in New York.
    early = datetime(2026, 12, 4, 1, 0, tzinfo=UTC)
    assert written("23:30", NEW_YORK, early) == "2026-12-03T23:30:00-05:00"


def test_relative_times_cross_a_change_of_daylight_saving_time() -> None:
    # Sunday 25 October 2026, 03:00 CEST becomes 02:00 CET: an hour ago is 02:30 CEST.
    now = datetime(2026, 10, 25, 1, 30, tzinfo=UTC)  # 02:30 CET
    assert written("now", BERLIN, now) == "2026-10-25T02:30:00+01:00"
    assert written("-1h", BERLIN, now) == "2026-10-25T02:30:00+02:00"
    assert written("-2h", BERLIN, now) == "2026-10-25T01:30:00+02:00"


def test_a_time_the_clocks_skip_or_show_twice_is_refused_with_what_to_write() -> None:
    with pytest.raises(UsageError) as skipped:
        written("2026-03-29 02:30")  # Berlin jumps from 02:00 to 03:00
    assert "02:30 does not exist in Europe/Berlin on 2026-03-29" in str(skipped.value)
    assert "2026-03-29T02:30:00+01:00" in str(skipped.value)
    with pytest.raises(UsageError) as twice:
        written("2026-10-25 02:30")  # Berlin shows 02:00 to 03:00 twice
    assert str(twice.value) == (
        "--at '2026-10-25 02:30' is no time: 02:30 happens twice in Europe/Berlin on "
        "2026-10-25: write 2026-10-25T02:30:00+02:00 or 2026-10-25T02:30:00+01:00; write one "
        "of: now, -10m, 14:05, 14:05 CET, 2026-12-03 14:05 or 2026-12-03T14:05:00+01:00"
    )
    with pytest.raises(UsageError, match="01:30 happens twice in America/New_York"):
        written("2026-11-01 01:30", NEW_YORK)
    # With a zone of fixed offset there is nothing to choose.
    assert written("2026-10-25 02:30 CET") == "2026-10-25T02:30:00+01:00"


@pytest.mark.parametrize(
    ("text", "why"),
    [
        ("yesterday", "is no time; write one of"),
        ("25:00", "25:00 is no time of day"),
        ("13:05pm", "13 is no hour of a 12-hour clock"),
        ("2026-02-30 10:00", "there is no day 2026-02-30"),
        ("14:05 IST", "'IST' is no time zone this knows"),
        ("14:05 Mars/Olympus", "'Mars/Olympus' is no time zone this knows"),
        ("-10", "is no time"),
    ],
)
def test_what_is_no_time_is_refused_naming_the_option(text: str, why: str) -> None:
    with pytest.raises(UsageError, match=why) as refused:
        read_time(text, NOW, BERLIN, option="--from")
    assert str(refused.value).startswith(f"--from {text!r} is no time")

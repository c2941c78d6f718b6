"""Times as input files and --now write them: an offset always, and years a build can handle."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta, timezone

import pytest

from statuspage.sources.times import parse_time
from tests.conftest import CONFIG, MakeSite, cold_build


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-11-20T14:10:00Z", datetime(2026, 11, 20, 14, 10, tzinfo=UTC)),
        (" 2026-11-20t14:10:00z ", datetime(2026, 11, 20, 14, 10, tzinfo=UTC)),
        (
            "2026-11-20 14:10:00+05:30",
            datetime(2026, 11, 20, 14, 10, tzinfo=timezone(timedelta(hours=5, minutes=30))),
        ),
        ("1970-01-01T00:00:00+14:00", datetime(1970, 1, 1, tzinfo=timezone(timedelta(hours=14)))),
        (
            "9000-12-31T23:59:59-12:00",
            datetime(9000, 12, 31, 23, 59, 59, tzinfo=timezone(timedelta(hours=-12))),
        ),
        (
            "2026-11-20T14:10:00",
            "time '2026-11-20T14:10:00' has no UTC offset; "
            "add Z for UTC or an offset such as +01:00",
        ),
        (
            "2026-11-20",
            "'at' is a date without a time; write the time and its UTC offset, "
            "such as 2026-11-20T09:00:00Z",
        ),
        (
            "0001-01-01T00:00:00Z",
            "'at' must be in the years 1970 to 9000, not '0001-01-01T00:00:00Z'",
        ),
        (
            "9999-12-31T23:59:59-01:00",
            "'at' must be in the years 1970 to 9000, not '9999-12-31T23:59:59-01:00'",
        ),
        (
            "2016-12-31T23:59:60Z",
            "'at' must be a time such as 2026-11-20T14:10:00Z, not '2016-12-31T23:59:60Z'",
        ),
        (
            "soon\n" + "x" * 80,
            "'at' must be a time such as 2026-11-20T14:10:00Z, not 'soon " + "x" * 52 + "...'",
        ),
    ],
)
def test_parse_time(raw: str, expected: datetime | str) -> None:
    assert parse_time(raw, "at") == expected


def test_times_at_both_ends_of_the_range_build_in_a_zone_far_from_utc(make_site: MakeSite) -> None:
    site = make_site(config=CONFIG.replace("timezone: UTC", "timezone: Pacific/Kiritimati"))
    site.incident(
        "edges",
        """\
        title: At the edges of time
        impact: minor
        components: [api]
        updates:
          - at: 1970-01-01T00:00:00+14:00
            status: investigating
            message: Early.
          - at: 9000-12-31T23:59:59-12:00
            status: resolved
            message: Late.
        """,
    )
    # A clock past the last update: a build refuses times after its clock.
    end_of_time = datetime(9001, 1, 1, 12, 0, tzinfo=UTC)
    feed = cold_build(site, end_of_time)["incidents/edges/feed.rss"].decode()
    # Kiritimati was at -10:40 in 1969, and is at +14:00 since 1995.
    assert re.findall(r"<pubDate>([^<]*)</pubDate>", feed) == [
        "Fri, 02 Jan 9001 01:59:59 +1400",
        "Tue, 30 Dec 1969 23:20:00 -1040",
    ]

"""Maintenance nobody updated follows its window: scheduled, in progress, then completed
(statuspage.model.incident.as_at, through the pages, the API and incremental builds)."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import lxml.html
import pytest

from statuspage.engine.build import build_site
from statuspage.model import ComponentState, Status
from statuspage.model.incident import as_at
from tests.conftest import MakeSite, cold_build, snapshot

UPGRADE = """\
title: Database upgrade
kind: maintenance
components: [api, dashboard]
scheduled_for: 2026-11-23T02:00:00Z
scheduled_until: 2026-11-23T04:00:00Z
updates:
  - at: 2026-11-16T12:00:00Z
    status: scheduled
    message: We upgrade the database on 23 November, 02:00 to 04:00 UTC.
"""

BEFORE = datetime(2026, 11, 23, 1, 0, tzinfo=UTC)
DURING = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
AFTER = datetime(2026, 11, 23, 5, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "status", "states", "resolved"),
    [
        (BEFORE, Status.SCHEDULED, ComponentState.OPERATIONAL, None),
        (DURING, Status.IN_PROGRESS, ComponentState.UNDER_MAINTENANCE, None),
        (AFTER, Status.COMPLETED, ComponentState.OPERATIONAL, "2026-11-23T04:00:00+00:00"),
    ],
)
def test_the_window_decides_the_state_of_a_maintenance_nobody_updated(
    make_site: MakeSite,
    now: datetime,
    status: Status,
    states: ComponentState,
    resolved: str | None,
) -> None:
    site = make_site(incidents={"upgrade": UPGRADE}).load().at(now)
    summary = site.incidents[0]
    assert summary.status is status
    assert summary.states == (("api", states), ("dashboard", states))
    assert (summary.resolved_at and summary.resolved_at.isoformat()) == resolved
    assert site.incident("upgrade").status is status  # the whole text says the same


def test_the_pages_and_the_api_follow_the_window(make_site: MakeSite) -> None:
    site = make_site(incidents={"upgrade": UPGRADE})
    out = site.root / "public"
    seen = {}
    for now in (BEFORE, DURING, AFTER):
        build_site(site.root, out, now)
        index = lxml.html.fromstring((out / "index.html").read_bytes())
        headings = [h.text_content() for h in index.cssselect("h2")]
        page = lxml.html.fromstring((out / "incidents/upgrade/index.html").read_bytes())
        active = json.loads((out / "api/v2/scheduled-maintenances/active.json").read_bytes())
        upcoming = json.loads((out / "api/v2/scheduled-maintenances/upcoming.json").read_bytes())
        seen[now] = (
            "Upcoming maintenance" in headings,
            "Maintenance in progress" in headings,
            page.cssselect(".facts .status")[0].text_content(),
            [m["status"] for m in active["scheduled_maintenances"]],
            [m["status"] for m in upcoming["scheduled_maintenances"]],
        )
        # Each incremental build writes what a cold build at its clock writes.
        assert snapshot(out) == cold_build(site, now)
    assert seen == {
        BEFORE: (True, False, "Scheduled", [], ["scheduled"]),
        DURING: (False, True, "In progress", ["in_progress"], []),
        AFTER: (False, False, "Completed", [], []),
    }


def test_an_update_takes_over_from_the_window(make_site: MakeSite) -> None:
    started = UPGRADE + (
        "  - at: 2026-11-23T02:05:00Z\n    status: in_progress\n    message: Started.\n"
    )
    site = make_site(incidents={"upgrade": started}).load()
    after = site.at(AFTER).incidents[0]
    assert after.status is Status.IN_PROGRESS  # overrunning: nobody has said it is done
    assert after.started_at == datetime(2026, 11, 23, 2, 5, tzinfo=UTC)
    assert as_at(site.incidents[0], AFTER) is site.incidents[0]


def test_the_window_counts_as_maintenance_in_uptime(make_site: MakeSite) -> None:
    site = make_site(incidents={"upgrade": UPGRADE}).load().at(AFTER)
    assert site.incidents[0].timeline == (
        (
            0,
            (
                ("api", ComponentState.UNDER_MAINTENANCE),
                ("dashboard", ComponentState.UNDER_MAINTENANCE),
            ),
        ),
    )
    assert site.incidents[0].started_at == datetime(2026, 11, 23, 2, 0, tzinfo=UTC)

"""The warnings of `check` about what a site tells its readers (statuspage.checks)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from click.testing import CliRunner

from statuspage.cli import main
from statuspage.model.probes import CheckResult, DayCounters, Measured
from statuspage.sources import history
from tests.conftest import MakeSite, SiteDir

NOW = datetime(2026, 11, 30, 14, 30, tzinfo=UTC)

CONFIG = """\
title: Checks
url: https://status.test.example
timezone: Europe/Berlin
components:
  - {id: api, name: Public API}
  - {id: web, name: Web}
probes:
  - id: api-health
    component: api
    type: http
    url: https://api.test.example/
  - id: web-home
    component: web
    type: http
    url: https://web.test.example/
    affects_state: false
"""

OPEN = """\
title: Errors
impact: major
components: [api]
updates:
  - at: 2026-11-30T14:20:00Z
    status: investigating
    message: Errors.
"""


def down_since(site: SiteDir, probe: str, minutes: int, location: str = "eu") -> None:
    """Write a history in which `probe` at `location` is down, since `minutes` before NOW."""
    latest = CheckResult(
        probe,
        NOW - timedelta(minutes=1),
        Measured.DOWN,
        None,
        "HTTP 503",
        (),
        NOW - timedelta(minutes=minutes),
    )
    row = DayCounters(latest.at.date(), 1, 0, 0, 1, 0.0, 0.0, (0,) * history.BUCKETS, latest)
    site.write(f"uptime/{probe}/2026-11.{location}.csv", history.serialise([row]))


def check(site: SiteDir, now: datetime = NOW) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["check", "--root", str(site.root), "--now", now.isoformat()])
    return result.exit_code, result.stdout, result.stderr


def test_an_outage_measured_for_over_15_minutes_with_no_incident_is_a_warning(
    make_site: MakeSite,
) -> None:
    site = make_site(CONFIG)
    down_since(site, "api-health", 25)
    code, out, err = check(site)
    assert code == 0  # a warning, not a problem
    assert err == (
        "statuspage.yaml:8:5: warning[unadmitted-outage]: probe api-health has measured api "
        "(Public API) down since 30 Nov 2026, 15:05 CET (25 minutes, at its only location) and "
        "no open incident names api; open one in incidents/ so that the page admits it, or fix "
        "the probe\n"
    )
    assert out.startswith("No problems:")


def test_no_warning_within_15_minutes_with_an_open_incident_or_for_a_quiet_probe(
    make_site: MakeSite,
) -> None:
    site = make_site(CONFIG)
    down_since(site, "api-health", 15)
    down_since(site, "web-home", 90)  # affects_state: false
    assert check(site)[2] == ""
    down_since(site, "api-health", 16)
    assert "warning[unadmitted-outage]" in check(site)[2]
    site.incident("errors", OPEN)
    assert check(site)[2] == ""


def test_the_warning_counts_locations_as_the_page_does(make_site: MakeSite) -> None:
    site = make_site(CONFIG)
    down_since(site, "api-health", 40, "eu")
    two_ago = NOW - timedelta(minutes=2)
    ok = CheckResult("api-health", two_ago, Measured.UP, 50.0, "HTTP 200", (), two_ago)
    counters = DayCounters(ok.at.date(), 1, 1, 0, 0, 50.0, 50.0, (0, 1) + (0,) * 8, ok)
    site.write("uptime/api-health/2026-11.us.csv", history.serialise([counters]))
    assert check(site)[2] == ""  # one of two locations: no majority
    down_since(site, "api-health", 30, "us")
    assert "(30 minutes, at 2 of 2 locations)" in check(site)[2]
    # Two hours on, nothing is fresh: no probe measures anything.
    assert check(site, NOW + timedelta(hours=2))[2] == ""

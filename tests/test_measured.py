"""Measured states: quorum over fresh locations, components, upstream pages (model.measured)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from statuspage.model import ComponentState
from statuspage.model.measured import (
    Measurement,
    Reading,
    Upstream,
    measured_states,
    measurement,
    reading,
    upstreams,
)
from statuspage.model.probes import CheckResult, Measured, Probe, ProbeHistory, ProbeType
from statuspage.render.views import SiteIndex
from statuspage.sources import history
from tests.conftest import MakeSite

NOW = datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
UP, DEGRADED, DOWN = Measured.UP, Measured.DEGRADED, Measured.DOWN
HOUR = 3600


def at(minutes_ago: int) -> datetime:
    return NOW - timedelta(minutes=minutes_ago)


def result(measured: Measured, minutes_ago: int, since_ago: int | None = None) -> CheckResult:
    since = at(since_ago) if since_ago is not None else None
    return CheckResult("api-health", at(minutes_ago), measured, 40.0, "x", (), since)


def probe(quorum: int | None = None, **more: object) -> Probe:
    return Probe("api-health", ProbeType.HTTP, "api", quorum=quorum, **more)  # type: ignore[arg-type]


def history_of(**latest: CheckResult) -> ProbeHistory:
    return ProbeHistory((), latest)


def test_one_location_of_three_cannot_paint_the_page_red() -> None:
    found = reading(
        probe(), history_of(eu=result(DOWN, 1, 30), us=result(UP, 2), ap=result(UP, 1)), NOW, HOUR
    )
    assert found == Reading("api-health", UP, at(2), 3, 2)


def test_a_majority_is_down_since_the_second_location_went_down() -> None:
    latest = history_of(eu=result(DOWN, 1, 30), us=result(DOWN, 2, 20), ap=result(UP, 1))
    assert reading(probe(), latest, NOW, HOUR) == Reading("api-health", DOWN, at(20), 3, 2)
    # A quorum of one: the first location that went down decides, from when it did.
    assert reading(probe(quorum=1), latest, NOW, HOUR) == Reading("api-health", DOWN, at(30), 3, 2)
    # A quorum more than the fresh locations can give is never reached.
    assert reading(probe(quorum=3), latest, NOW, HOUR) == Reading("api-health", UP, at(1), 3, 1)


def test_degraded_counts_with_down_towards_degraded() -> None:
    latest = history_of(eu=result(DOWN, 1, 10), us=result(DEGRADED, 1, 5))
    assert reading(probe(), latest, NOW, HOUR) == Reading("api-health", DEGRADED, at(5), 2, 2)


def test_stale_locations_measure_nothing() -> None:
    latest = history_of(eu=result(DOWN, 61, 90), us=result(UP, 5, 100))
    assert reading(probe(), latest, NOW, HOUR) == Reading("api-health", UP, at(100), 1, 1)
    assert reading(probe(), history_of(eu=result(DOWN, 61)), NOW, HOUR) is None
    assert reading(probe(), None, NOW, HOUR) is None
    # A result from after the build's clock is not counted either.
    assert reading(probe(), history_of(eu=result(DOWN, -5)), NOW, HOUR) is None


def test_a_component_is_in_major_outage_when_every_probe_is_down() -> None:
    down = Reading("a", DOWN, at(9), 1, 1)
    other_down = Reading("b", DOWN, at(4), 1, 1)
    up = Reading("c", UP, at(50), 1, 1)
    slow = Reading("d", DEGRADED, at(3), 1, 1)
    assert measurement([up, down]) == Measurement(ComponentState.PARTIAL_OUTAGE, "a", at(9))
    assert measurement([down, other_down]) == Measurement(ComponentState.MAJOR_OUTAGE, "a", at(9))
    assert measurement([up, slow]) == Measurement(ComponentState.DEGRADED_PERFORMANCE, "d", at(3))
    assert measurement([up]) == Measurement(ComponentState.OPERATIONAL, "c", at(50))
    assert measurement([]) is None


def test_probes_that_may_not_change_the_state_measure_no_state() -> None:
    quiet = probe(affects_state=False)
    histories = {"api-health": history_of(eu=result(DOWN, 1, 20))}
    assert measured_states([quiet], histories, NOW, HOUR) == {}
    assert measured_states([probe()], histories, NOW, HOUR) == {
        "api": Measurement(ComponentState.MAJOR_OUTAGE, "api-health", at(20))
    }


def test_upstream_pages_give_their_components_states() -> None:
    github = Probe(
        "github",
        ProbeType.STATUSPAGE,
        None,
        url="https://www.githubstatus.com",
        components=("Git Operations", "API Requests", "Pages"),
        show_as="GitHub (upstream)",
    )
    states = (("Git Operations", "partial_outage"), ("API Requests", "operational"))
    latest = CheckResult("github", at(3), DOWN, 80.0, 'no component named "Pages"', states)
    older = CheckResult("github", at(9), UP, 80.0, "all operational", ())
    found = upstreams([github], {"github": history_of(eu=latest, us=older)}, NOW, HOUR)
    assert found == [
        Upstream(
            "github",
            "GitHub (upstream)",
            "https://www.githubstatus.com",
            (
                ("Git Operations", ComponentState.PARTIAL_OUTAGE),
                ("API Requests", ComponentState.OPERATIONAL),
                ("Pages", None),
            ),
            at(3),
            'no component named "Pages"',
        )
    ]
    assert found[0].state is None  # one could not be read
    unnamed = Probe("gh", ProbeType.STATUSPAGE, None, url="https://x.test", components=("A",))
    [never] = upstreams([unnamed], {}, NOW, HOUR)
    assert (never.name, never.checked_at, never.reason, never.state) == (
        "x.test",
        None,
        "not checked lately",
        None,
    )


CONFIG = """\
title: Measured
url: https://status.test.example
components:
  - {id: api, name: API}
  - {id: web, name: Web}
probes:
  - {id: api-health, component: api, type: http, url: "https://api.test.example/"}
  - {id: web-home, component: web, type: http, url: "https://web.test.example/"}
"""

INCIDENT = """\
title: Slow pages
impact: minor
components: [web]
updates:
  - at: 2026-11-30T14:00:00Z
    status: investigating
    message: Slow.
    components: {web: partial_outage}
"""


def test_the_shown_state_is_the_worse_of_declared_and_measured(make_site: MakeSite) -> None:
    site_dir = make_site(CONFIG, {"slow": INCIDENT})
    for probe_id in ("api-health", "web-home"):
        down = CheckResult(probe_id, at(2), DOWN, None, "timed out after 10 s", (), at(25))
        row = history.serialise([_day(down)])
        site_dir.write(f"uptime/{probe_id}/2026-11.eu.csv", row)
    index = SiteIndex(site_dir.load(), NOW)
    # api: nothing declared, measured down: the probes decide and the page says so.
    assert index.declared["api"] is ComponentState.OPERATIONAL
    assert index.states["api"] is ComponentState.MAJOR_OUTAGE
    # web: declared partial, measured major: shown major, from the probe too.
    assert index.measured_notes == {
        "api": Measurement(ComponentState.MAJOR_OUTAGE, "api-health", at(25)),
        "web": Measurement(ComponentState.MAJOR_OUTAGE, "web-home", at(25)),
    }
    assert index.states["web"] is ComponentState.MAJOR_OUTAGE
    assert index.overall is ComponentState.MAJOR_OUTAGE
    # An hour later nothing is fresh: the declared states alone.
    later = SiteIndex(site_dir.load(), NOW + timedelta(hours=2))
    assert later.states == {"api": ComponentState.OPERATIONAL, "web": ComponentState.PARTIAL_OUTAGE}
    assert later.measured_notes == {}


def _day(latest: CheckResult) -> history.DayCounters:
    histogram = (0,) * history.BUCKETS
    return history.DayCounters(latest.at.date(), 1, 0, 0, 1, 0.0, 0.0, histogram, latest)

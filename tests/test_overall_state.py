"""One overall state: the index banner, the status badge and the API's indicator agree, for
every component state and every impact an open incident declares."""

from __future__ import annotations

import itertools
import json

import lxml.html
import pytest

from statuspage.model import ComponentState, Impact
from statuspage.render.outputs import SiteRenderer
from statuspage.sources.theme import Theme
from tests.conftest import NOW, MakeSite, SiteDir

# What each output says for each overall state.
BANNER = {
    ComponentState.OPERATIONAL: "All systems operational",
    ComponentState.UNDER_MAINTENANCE: "Maintenance in progress",
    ComponentState.DEGRADED_PERFORMANCE: "Degraded performance",
    ComponentState.PARTIAL_OUTAGE: "Partial system outage",
    ComponentState.MAJOR_OUTAGE: "Major system outage",
}
BADGE = {
    ComponentState.OPERATIONAL: "all systems operational",
    ComponentState.UNDER_MAINTENANCE: "maintenance in progress",
    ComponentState.DEGRADED_PERFORMANCE: "degraded performance",
    ComponentState.PARTIAL_OUTAGE: "partial outage",
    ComponentState.MAJOR_OUTAGE: "major outage",
}
INDICATOR = {
    ComponentState.OPERATIONAL: "none",
    ComponentState.UNDER_MAINTENANCE: "maintenance",
    ComponentState.DEGRADED_PERFORMANCE: "minor",
    ComponentState.PARTIAL_OUTAGE: "major",
    ComponentState.MAJOR_OUTAGE: "critical",
}
IMPACT = {  # the state an open incident's impact counts as
    Impact.NONE: ComponentState.OPERATIONAL,
    Impact.MINOR: ComponentState.DEGRADED_PERFORMANCE,
    Impact.MAJOR: ComponentState.PARTIAL_OUTAGE,
    Impact.CRITICAL: ComponentState.MAJOR_OUTAGE,
}


def rendered(site: SiteDir, *paths: str) -> dict[str, bytes]:
    """Only the outputs at `paths`: the rest of the site is not needed here."""
    renderer = SiteRenderer(site.load(), NOW, Theme.load(site.root))
    return {job.path: renderer.render(job) for job in renderer.plan() if job.path in paths}


SHOWN = ("index.html", "badges/status.json", "api/v2/status.json", "api/v2/summary.json")


def incident(impact: Impact, state: ComponentState) -> str:
    return (
        f"title: Trouble\nimpact: {impact.value}\ncomponents: [api]\nupdates:\n"
        "  - at: 2026-11-23T09:00:00Z\n    status: investigating\n    message: On it.\n"
        f"    components: {{api: {state.value}}}\n"
    )


@pytest.mark.parametrize(
    ("state", "impact"),
    list(
        itertools.product(
            [s for s in ComponentState if s is not ComponentState.UNDER_MAINTENANCE],
            [None, *Impact],
        )
    ),
)
def test_the_banner_the_badge_and_the_api_say_the_same(
    make_site: MakeSite, state: ComponentState, impact: Impact | None
) -> None:
    if impact is None:  # no open incident: the states alone (operational)
        site = make_site(incidents={})
        expected = ComponentState.OPERATIONAL
    else:
        site = make_site(incidents={"trouble": incident(impact, state)})
        expected = max(state, IMPACT[impact], key=lambda s: s.severity)
    files = rendered(site, *SHOWN)
    banner = lxml.html.fromstring(files["index.html"]).cssselect("p.banner")[0]
    assert banner.text_content().strip() == BANNER[expected]
    badge = json.loads(files["badges/status.json"])
    assert badge["message"] == BADGE[expected]
    status = json.loads(files["api/v2/status.json"])["status"]
    assert status["indicator"] == INDICATOR[expected]
    summary = json.loads(files["api/v2/summary.json"])["status"]
    assert summary == status


def test_maintenance_under_way_is_the_overall_state_when_nothing_is_worse(
    make_site: MakeSite,
) -> None:
    from tests.conftest import RUNNING

    site = make_site(incidents={"reindex": RUNNING})
    files = rendered(site, *SHOWN)
    assert json.loads(files["badges/status.json"])["message"] == "maintenance in progress"
    assert json.loads(files["api/v2/status.json"])["status"]["indicator"] == "maintenance"
    banner = lxml.html.fromstring(files["index.html"]).cssselect("p.banner")[0]
    assert banner.text_content().strip() == "Maintenance in progress"


def test_an_incident_of_no_impact_says_so_in_words(make_site: MakeSite) -> None:
    site = make_site(incidents={"quiet": incident(Impact.NONE, ComponentState.OPERATIONAL)})
    files = rendered(site, "index.html", "history/index.html")
    for page in ("index.html", "history/index.html"):
        text = files[page].decode()
        assert "No impact" in text and "None impact" not in text, page


STATES = [s for s in ComponentState if s is not ComponentState.UNDER_MAINTENANCE]
IMPACTS = list(Impact)


def two_incidents() -> list[tuple[ComponentState, ComponentState, Impact, Impact, bool]]:
    """Every pair of component states, each with a pair of impacts chosen so that every pair
    of impacts also comes up (a, b -> a + b, a + 2b is one-to-one modulo 4), with and without
    maintenance under way."""
    assert len(STATES) == len(IMPACTS) == 4
    return [
        (STATES[a], STATES[b], IMPACTS[(a + b) % 4], IMPACTS[(a + 2 * b) % 4], maintenance)
        for a, b in itertools.product(range(4), repeat=2)
        for maintenance in (False, True)
    ]


@pytest.mark.parametrize(("api", "dashboard", "first", "second", "maintenance"), two_incidents())
def test_two_open_incidents_and_maintenance_give_one_overall_state(
    make_site: MakeSite,
    api: ComponentState,
    dashboard: ComponentState,
    first: Impact,
    second: Impact,
    maintenance: bool,
) -> None:
    from tests.conftest import RUNNING

    second_file = incident(second, dashboard).replace("[api]", "[dashboard]")
    second_file = second_file.replace("{api:", "{dashboard:")
    incidents = {"first": incident(first, api), "second": second_file}
    if maintenance:
        incidents["reindex"] = RUNNING
    files = rendered(make_site(incidents=incidents), *SHOWN)
    candidates = [api, dashboard, IMPACT[first], IMPACT[second]]
    if maintenance:
        candidates.append(ComponentState.UNDER_MAINTENANCE)
    expected = max(candidates, key=lambda s: s.severity)
    banner = lxml.html.fromstring(files["index.html"]).cssselect("p.banner")[0]
    assert banner.text_content().strip() == BANNER[expected]
    assert json.loads(files["badges/status.json"])["message"] == BADGE[expected]
    status = json.loads(files["api/v2/status.json"])["status"]
    assert status["indicator"] == INDICATOR[expected]
    assert json.loads(files["api/v2/summary.json"])["status"] == status
    components = {
        c["id"]: c["status"] for c in json.loads(files["api/v2/summary.json"])["components"]
    }
    assert components["api"] == api.value and components["dashboard"] == dashboard.value

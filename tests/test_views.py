"""The site index: current states, the status page's sections, lookups and orders, and each
incident's text rendered once for every page and feed that shows it."""

from __future__ import annotations

from statuspage.model import Impact, worst
from statuspage.render.views import SiteIndex, current_states, latest_entry
from tests.conftest import (
    DEGRADED,
    MAINT,
    MAJOR,
    NOW,
    OP,
    PARTIAL,
    RESOLVED,
    RUNNING,
    SLOW_API,
    UPCOMING,
    MakeSite,
)

LATER = UPCOMING.replace("2026-12-06", "2026-12-09").replace("Planned.", "Planned later.")


def test_open_incidents_put_components_in_the_state_of_their_impact(make_site: MakeSite) -> None:
    for impact, state in [
        ("none", OP),
        ("minor", DEGRADED),
        ("major", PARTIAL),
        ("critical", MAJOR),
    ]:
        site = make_site(incidents={"x": SLOW_API.format(impact=impact)}).load()
        assert site.incidents[0].impact is Impact(impact)
        assert site.incidents[0].latest.states == (("api", state), ("dashboard", state))
        assert current_states(site) == {
            "api": state,
            "dashboard": state,
            "webhooks": OP,
            "docs": OP,
        }


def test_the_worst_open_incident_sets_the_current_state(make_site: MakeSite) -> None:
    site = make_site(
        incidents={
            "minor": SLOW_API.format(impact="minor"),
            "major": SLOW_API.format(impact="major").replace("[api, dashboard]", "[dashboard]"),
            "old": RESOLVED,
        }
    ).load()
    assert current_states(site) == {
        "api": DEGRADED,
        "dashboard": PARTIAL,
        "webhooks": OP,
        "docs": OP,
    }
    assert worst(current_states(site).values()) is PARTIAL
    assert worst([]) is OP


def test_the_index_sorts_incidents_into_the_status_page_s_sections(make_site: MakeSite) -> None:
    site = make_site(
        incidents={
            "slow": SLOW_API.format(impact="minor"),
            "old": RESOLVED,
            "reindex": RUNNING,
            "later": LATER,
            "upgrade": UPCOMING,
        }
    ).load()
    index = SiteIndex(site, NOW)
    assert [i.id for i in index.active] == ["slow"]
    assert [i.id for i in index.in_progress] == ["reindex"]
    assert [i.id for i in index.upcoming] == ["upgrade", "later"]  # soonest first
    assert index.states == current_states(site)
    assert index.states["docs"] is MAINT and index.overall is DEGRADED
    assert index.components["api"].name == "Public API"
    # Newest first, as the site lists them.
    assert [i.id for i in index.by_component["dashboard"]] == ["later", "upgrade", "slow"]
    assert index.by_component["webhooks"] == []
    by_latest = index.by_latest()
    assert [latest_entry(i) for i in by_latest] == sorted(map(latest_entry, by_latest))[::-1]


def test_an_incident_s_text_is_rendered_once_per_build(make_site: MakeSite) -> None:
    site = make_site(incidents={"old": RESOLVED, "slow": SLOW_API.format(impact="major")}).load()
    index = SiteIndex(site, NOW)
    rendered: list[str] = []
    real = index.markdown.render
    index.markdown.render = lambda text, level=1: (rendered.append(text), real(text, level))[1]  # type: ignore[method-assign]
    first = index.view(site.incident("old"))
    assert index.view(site.incident("old")) is first
    assert rendered == ["We are seeing errors.", "Fixed."]
    assert [str(u.html) for u in first.updates] == ["<p>We are seeing errors.</p>", "<p>Fixed.</p>"]
    assert first.components == (index.components["api"],)
    assert first.updates[0].transitions == ((index.components["api"], OP, PARTIAL),)


def test_an_incident_s_view_has_the_worst_state_it_gives_while_open(make_site: MakeSite) -> None:
    site = make_site(
        incidents={"slow": SLOW_API.format(impact="major"), "old": RESOLVED, "reindex": RUNNING}
    ).load()
    index = SiteIndex(site, NOW)
    slow, old, reindex = (index.view(site.incident(i)) for i in ("slow", "old", "reindex"))
    assert (slow.state, slow.components_in_state) == (
        PARTIAL,
        (index.components["api"], index.components["dashboard"]),
    )
    assert (old.state, old.components_in_state) == (OP, ())
    assert (reindex.state, reindex.components_in_state) == (MAINT, (index.components["docs"],))
    assert slow.postmortem_due is None  # not computed yet: pages leave the date out

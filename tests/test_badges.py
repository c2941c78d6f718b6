"""Status badges: the page's and each component's state, in SVG and as shields.io endpoints."""

from __future__ import annotations

import json

import lxml.etree
import pytest

from statuspage.engine.build import build_site
from tests.conftest import API_OUTAGE, NOW, RUNNING, MakeSite, SiteDir


@pytest.fixture
def site(make_site: MakeSite) -> SiteDir:
    return make_site(incidents={"open": API_OUTAGE, "reindex": RUNNING})


def test_badges(site: SiteDir) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    svg = (out / "badges/status.svg").read_bytes()
    assert len(svg) < 600
    root = lxml.etree.fromstring(svg)
    assert root.get("role") == "img"
    # The page's headline: the worst state of any component (the API's indicator also
    # weighs the impact of open incidents).
    assert root.get("aria-label") == "status: degraded performance"
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "status: degraded performance"
    api_badge = lxml.etree.fromstring((out / "badges/api.svg").read_bytes())
    assert api_badge.get("aria-label") == "Public API: degraded performance"
    assert json.loads((out / "badges/status.json").read_text()) == {
        "schemaVersion": 1,
        "label": "status",
        "message": "degraded performance",
        "color": "yellow",
    }
    assert json.loads((out / "badges/docs.json").read_text()) == {
        "schemaVersion": 1,
        "label": "Documentation",
        "message": "under maintenance",
        "color": "blue",
    }


def test_a_name_s_tabs_and_line_breaks_survive_in_the_badge() -> None:
    from statuspage.model import ComponentState
    from statuspage.render.badges import badge_svg

    badge = lxml.etree.fromstring(badge_svg("a\tb\nc\rd <&>", ComponentState.MAJOR_OUTAGE))
    label = "a\tb\nc\rd <&>: major outage"
    assert (badge.get("aria-label"), badge.findtext("{*}title")) == (label, label)

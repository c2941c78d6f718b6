"""Status badges: the page's and each component's state, in SVG and as shields.io endpoints."""

from __future__ import annotations

import json
import re

import lxml.etree
import pytest

from statuspage.engine.build import build_site
from statuspage.render.badges import (
    NO_DATA_COLOURS,
    UPTIME_COLOURS,
    uptime_badge_svg,
    uptime_colours,
)
from tests.conftest import (
    API_OUTAGE,
    MEASURED,
    NOW,
    REPO,
    RUNNING,
    THREE_HOURS_DOWN,
    MakeSite,
    SiteDir,
    write_dash_history,
)


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
    # The page's overall state: the API degraded, but the open incident declares a major
    # impact, which counts as a partial outage (as the banner and the API's indicator say).
    assert root.get("aria-label") == "status: partial outage"
    assert root.findtext("{http://www.w3.org/2000/svg}title") == "status: partial outage"
    api_badge = lxml.etree.fromstring((out / "badges/api.svg").read_bytes())
    assert api_badge.get("aria-label") == "Public API: degraded performance"
    assert json.loads((out / "badges/status.json").read_text()) == {
        "schemaVersion": 1,
        "label": "status",
        "message": "partial outage",
        "color": "orange",
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


def test_uptime_badges_show_the_last_90_days(make_site: MakeSite) -> None:
    site = make_site(config=MEASURED, incidents={"down": THREE_HOURS_DOWN})
    write_dash_history(site)
    out = site.root / "public"
    build_site(site.root, out, NOW)
    # The figures of components.json's 90d (tests/test_api.py says how they are made).
    svg = (out / "badges/api-uptime.svg").read_bytes()
    assert len(svg) < 600
    badge = lxml.etree.fromstring(svg)
    assert (badge.get("role"), badge.get("aria-label"), badge.findtext("{*}title")) == (
        "img",
        "Public API uptime: 99.85%",
        "Public API uptime: 99.85%",
    )
    assert [r.get("fill") for r in badge.iter("{*}rect")] == ["#555", "#4d7a00"]
    assert [t.text for t in badge.iter("{*}text")] == ["Public API uptime", "99.85%"]
    assert {
        name: json.loads((out / f"badges/{name}-uptime.json").read_text())
        for name in ("api", "dashboard")
    } == {
        "api": {
            "schemaVersion": 1,
            "label": "Public API uptime",
            "message": "99.85%",
            "color": "yellowgreen",
        },
        "dashboard": {
            "schemaVersion": 1,
            "label": "Dashboard uptime",
            "message": "99.98%",
            "color": "brightgreen",
        },
    }


def test_an_uptime_badge_without_data_says_so(make_site: MakeSite) -> None:
    out = make_site().root / "public"
    build_site(out.parent, out, NOW)
    badge = lxml.etree.fromstring((out / "badges/docs-uptime.svg").read_bytes())
    assert (badge.get("aria-label"), [r.get("fill") for r in badge.iter("{*}rect")]) == (
        "Documentation uptime: no data",
        ["#555", "#6a737d"],
    )
    assert json.loads((out / "badges/docs-uptime.json").read_text()) == {
        "schemaVersion": 1,
        "label": "Documentation uptime",
        "message": "no data",
        "color": "lightgrey",
    }


@pytest.mark.parametrize(
    ("percent", "colours"),
    [
        ("100.00", ("#1a7f37", "brightgreen")),
        ("99.90", ("#1a7f37", "brightgreen")),
        ("99.89", ("#4d7a00", "yellowgreen")),
        ("99.00", ("#4d7a00", "yellowgreen")),
        ("98.99", ("#a0410d", "orange")),
        ("95.00", ("#a0410d", "orange")),
        ("94.99", ("#b31d28", "red")),
        ("0.00", ("#b31d28", "red")),
        (None, ("#6a737d", "lightgrey")),
    ],
)
def test_uptime_colours_follow_the_shown_figure(
    percent: str | None, colours: tuple[str, str]
) -> None:
    assert uptime_colours(percent) == colours


def test_the_readme_shows_the_uptime_colours_as_they_are() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (.+?) \| [a-z-]+ `(#[0-9a-f]{6})` \| `([a-z]+)` \|$", readme, re.M)

    def floor(text: str) -> int | None:
        if text == "no data":
            return None
        return 0 if text.startswith("below") else round(float(text.split()[0]) * 100)

    assert [(floor(text), svg, name) for text, svg, name in rows] == [
        *UPTIME_COLOURS,
        (None, *NO_DATA_COLOURS),
    ]


def test_an_uptime_badge_s_label_is_escaped() -> None:
    label = 'a\tb\nc\rd <&> "x" uptime'
    badge = lxml.etree.fromstring(uptime_badge_svg(label, "99.95"))
    assert (badge.get("aria-label"), badge.findtext("{*}title")) == (
        f"{label}: 99.95%",
        f"{label}: 99.95%",
    )
    assert [t.text for t in badge.iter("{*}text")] == [label, "99.95%"]

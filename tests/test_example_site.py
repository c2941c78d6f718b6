"""The repository root is an example site: it must check clean and show every kind of incident."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from statuspage.cli import main
from statuspage.engine.build import build_site
from statuspage.model import Impact
from statuspage.sources.loader import load_site
from tests.conftest import API_ENDPOINTS, NOW, REPO


def test_the_example_site_checks_clean() -> None:
    result = CliRunner().invoke(main, ["check", "--root", str(REPO)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("No problems: ")


def test_the_example_site_shows_every_kind_of_incident() -> None:
    site = load_site(REPO)
    incidents = [i for i in site.incidents if not i.is_maintenance]
    assert len(site.incidents) >= 8
    assert any(i.is_open for i in incidents), "an ongoing incident"
    resolved_impacts = {i.impact for i in incidents if not i.is_open}
    assert resolved_impacts == set(Impact), "resolved incidents of each impact"
    assert any(i.postmortem_at and i.action_items for i in incidents), "a full postmortem"
    assert any(i.is_maintenance and not i.has_begun for i in site.incidents), (
        "an upcoming maintenance"
    )
    offsets = {u.at.utcoffset() for i in site.incidents for u in i.updates}
    assert len(offsets) >= 3, "times written in several offsets"
    assert any(len(i.components) >= 3 for i in incidents), "one touching several components"
    assert len({i.path.split("/")[1] for i in site.incidents}) >= 2, "incidents in subfolders"


def test_the_example_site_builds(tmp_path: Path) -> None:
    result = build_site(REPO, tmp_path / "public", NOW, use_cache=False)
    site = load_site(REPO)
    written = {p.relative_to(result.out).as_posix() for p in result.out.rglob("*") if p.is_file()}
    pages = ["index.html", "feed.rss", "feed.atom", "feed.json"]
    assert written == {
        ".statuspage-build",
        *pages,
        "404.html",
        "history/index.html",
        "style.css",
        "favicon.svg",
        *(f"incidents/{i.id}/{name}" for i in site.incidents for name in pages),
        *(f"components/{c.id}/{name}" for c in site.components for name in pages),
        *(f"api/v2/{name}" for name in API_ENDPOINTS),
        *(
            f"badges/{b}.{fmt}"
            for b in ["status", *(c.id for c in site.components)]
            for fmt in ("svg", "json")
        ),
        *(f"badges/{c.id}-uptime.{fmt}" for c in site.components for fmt in ("svg", "json")),
        "social/manifest.json",
    }

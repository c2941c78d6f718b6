"""The repository root is an example site: it must check clean and show every kind of incident."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from statuspage.cli import main
from statuspage.engine.build import build_site
from statuspage.model import Impact
from statuspage.sources.loader import load_site
from tests.conftest import API_ENDPOINTS, NOW, REPO, example_copy


def test_the_example_site_checks_clean() -> None:
    result = CliRunner().invoke(main, ["check", "--root", str(REPO)])
    assert result.exit_code == 0, result.stdout
    assert result.stdout.startswith("No problems: ")


@pytest.mark.parametrize("now", [None, "2026-11-23T10:35:00+01:00", "2027-06-01T12:00:00Z"])
def test_the_example_site_passes_strict_at_any_clock(now: str | None) -> None:
    """Its communication checks pass, or carry a silence saying why, whenever it is built."""
    options = ["--now", now] if now else []
    result = CliRunner().invoke(main, ["check", "--strict", "--root", str(REPO), *options])
    assert result.exit_code == 0, result.output
    assert "warning[" not in result.output


def test_the_readme_shows_what_check_says_of_the_open_incident_unsilenced(
    tmp_path: Path,
) -> None:
    """The README's example warning: the example's open incident, its silence taken out."""
    site = example_copy(tmp_path / "site").root
    open_incident = site / "incidents/2026/webhook-delays.yaml"
    text = open_incident.read_text(encoding="utf-8")
    open_incident.write_text(
        "".join(line for line in text.splitlines(True) if not line.startswith("#")),
        encoding="utf-8",
    )
    result = CliRunner().invoke(
        main, ["check", "--root", str(site), "--now", "2026-11-23T10:35:00+01:00"]
    )
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "$ statuspage check --now 2026-11-23T10:35:00+01:00\n"
    shown = readme.split(command, 1)[1].split("```", 1)[0]
    assert result.output == shown


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

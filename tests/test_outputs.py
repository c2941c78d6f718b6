"""The renderers behind one plan: the pure `render_site` every build is held to, and files
whose number per incident follows its updates."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

import pytest

from statuspage.engine import parallel
from statuspage.engine.build import build_site
from statuspage.errors import ThemeError
from statuspage.model import IncidentSummary
from statuspage.render import outputs
from statuspage.render.jobs import Job, KeyMaker, RenderContext
from statuspage.render.outputs import SiteRenderer, render_site
from statuspage.render.views import SiteIndex
from statuspage.sources.loader import load_site
from statuspage.sources.theme import Theme
from tests.conftest import NOW, OPEN, RESOLVED, MakeSite, SiteDir, cold_build, snapshot


class DraftRenderer:
    """One file per update of every incident, as social drafts will be: a renderer whose
    files for one incident come and go with its updates."""

    kinds: ClassVar[Mapping[str, float]] = {"draft": 0.2}

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        self.site = index.site
        self.keys = KeyMaker("drafts")

    def incident_base(self) -> str:
        return self.keys.base

    def plan_incident(self, incident: IncidentSummary) -> list[Job]:
        return [
            self.keys.job(
                f"incidents/{incident.id}/drafts/{number}.txt",
                "draft",
                (incident.id, number),
                needs=(incident.id,),
                depends=[incident.digest],
                unit=incident.id,
            )
            for number in range(1, len(incident.update_times) + 1)
        ]

    def plan_site(self) -> list[Job]:
        return []

    def render(self, job: Job) -> bytes:
        incident = self.site.incident(str(job.args[0]))
        update = incident.updates[int(job.args[1]) - 1]
        return f"{update.status.label}: {incident.title}\n{update.message}\n".encode()


def pure(site: SiteDir, now: datetime) -> dict[str, bytes]:
    """The files render_site makes of the site: the reference for every build."""
    files = render_site(load_site(site.root), now, Theme.load(site.root))
    return {output.path: output.content for output in files}


MORE = """\
  - at: 2026-11-23T09:20:00Z
    status: identified
    message: A queue is stuck.
"""
RESOLVING = """\
  - at: 2026-11-23T09:50:00Z
    status: resolved
    message: Deliveries are on time again.
"""


def drafts_of(folder: Path, incident_id: str) -> list[str]:
    return sorted(p.name for p in (folder / "incidents" / incident_id / "drafts").glob("*"))


@pytest.mark.parametrize("workers", [1, 2])
def test_files_that_follow_an_incident_s_updates_stay_right_across_edits(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(outputs, "RENDERERS", (*outputs.RENDERERS, DraftRenderer))
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)  # fork even for this small site
    site = make_site(incidents={"db": RESOLVED, "hooks": OPEN})
    out = site.root / "public"
    steps = [
        ("first build", lambda: None, ["1.txt"]),
        ("add an update", lambda: site.incident("hooks", OPEN + MORE), ["1.txt", "2.txt"]),
        (
            "resolve it",
            lambda: site.incident("hooks", OPEN + MORE + RESOLVING),
            ["1.txt", "2.txt", "3.txt"],
        ),
        ("remove two updates", lambda: site.incident("hooks", OPEN), ["1.txt"]),
        (
            "edit the only one",
            lambda: site.incident("hooks", OPEN.replace("late", "slow")),
            ["1.txt"],
        ),
        ("delete the incident", lambda: (site.root / "incidents/hooks.yaml").unlink(), []),
    ]
    for name, change, drafts in steps:
        change()
        build_site(site.root, out, NOW, workers=workers)
        assert drafts_of(out, "hooks") == drafts, name
        assert drafts_of(out, "db") == ["1.txt", "2.txt"], name
        assert snapshot(out) == cold_build(site, NOW) == pure(site, NOW), name
    assert not (out / "incidents" / "hooks").exists()  # its folder went with its last file


def test_a_build_writes_what_render_site_makes(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED, "hooks": OPEN + MORE})
    out = site.root / "public"
    for now in (NOW, NOW + timedelta(days=1)):
        build_site(site.root, out, now)
        assert snapshot(out) == pure(site, now)


def test_two_renderers_may_not_make_the_same_kind(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "RENDERERS", (*outputs.RENDERERS, DraftRenderer, DraftRenderer))
    site = make_site(incidents={"db": RESOLVED})
    with pytest.raises(ValueError, match="two renderers make jobs of kind 'draft'"):
        SiteRenderer(load_site(site.root), NOW, Theme.load(site.root))


@pytest.mark.parametrize("name", ["feed.rss", "badges/status.svg", "incidents/db/feed.json"])
def test_a_theme_file_named_as_a_file_of_the_site_is_named_before_anything_is_written(
    make_site: MakeSite, tmp_path: Path, name: str
) -> None:
    site = make_site(incidents={"db": RESOLVED})
    site.write(f"site-template/{name}", "mine")
    with pytest.raises(ThemeError) as error:
        build_site(site.root, tmp_path / "out", NOW)
    assert str(error.value) == (
        f"site-template/{name}: the site itself writes {name}; rename or remove this file"
    )
    assert not (tmp_path / "out").exists()

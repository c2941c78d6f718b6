"""The input kinds: finding their files by name and stat, the fingerprint of a build's inputs,
and a kind registered later reaching the scan, the build, the output check and the preview."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import pytest

from statuspage.engine.build import build_site
from statuspage.engine.cache import CACHE_DIR
from statuspage.errors import OutputError, SourceError
from statuspage.model import IncidentSummary, InputData
from statuspage.render import outputs
from statuspage.render.jobs import Job, KeyMaker, RenderContext, digest
from statuspage.render.views import SiteIndex
from statuspage.serve.preview import PreviewServer
from statuspage.sources import inputs
from statuspage.sources.inputs import InputFile, InputKind, scan
from tests.conftest import NOW, RESOLVED, MakeSite, cold_build, fetch, snapshot, wait_for


def test_scan_finds_incidents_sorted_and_skips_hidden_files(make_site: MakeSite) -> None:
    site = make_site()
    site.incident("b", RESOLVED, folder="incidents/2026")
    site.incident("a", RESOLVED, folder="incidents/2025")
    site.write("incidents/.drafts/c.yaml", RESOLVED)
    site.write("incidents/notes.txt", "not an incident")
    sources = scan(site.root)
    assert [(f.display, f.stem) for f in sources.incidents] == [
        ("incidents/2025/a.yaml", "a"),
        ("incidents/2026/b.yaml", "b"),
    ]
    assert sources.config is not None and sources.config.display == "statuspage.yaml"
    assert sources.problems == ()
    assert "site-template (default theme)/base.html" in [f.display for f in sources.theme]


def test_the_fingerprint_follows_every_input_and_the_extras(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED})
    first = scan(site.root).fingerprint("now-1")
    assert scan(site.root).fingerprint("now-1") == first
    assert scan(site.root).fingerprint("now-2") != first
    path = site.root / "incidents/db.yaml"
    os.utime(path, ns=(0, 0))
    assert scan(site.root).fingerprint("now-1") != first
    site.write("site-template/logo.svg", "<svg/>")
    assert "site-template/logo.svg" in [f.display for f in scan(site.root).theme]


def test_the_stamp_changes_even_when_size_and_mtime_are_put_back(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED})
    path = site.root / "incidents/db.yaml"
    before = scan(site.root).incidents[0]
    with path.open("r+b") as handle:  # same size, same inode
        handle.write(b"TITLE")
    os.utime(path, ns=(before.mtime_ns, before.mtime_ns))
    after = scan(site.root).incidents[0]
    assert (after.size, after.mtime_ns, after.inode) == (before.size, before.mtime_ns, before.inode)
    assert after.stamp != before.stamp  # the change time cannot be put back
    assert scan(site.root).newest_change_ns() >= after.ctime_ns


def test_the_fingerprint_is_the_same_in_another_process(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED, "api": RESOLVED})
    code = (
        "import sys, pathlib; from statuspage.sources.inputs import scan; "
        "print(scan(pathlib.Path(sys.argv[1])).fingerprint('x'))"
    )
    elsewhere = subprocess.run(
        [sys.executable, "-c", code, str(site.root)], capture_output=True, text=True, check=True
    )
    assert elsewhere.stdout.strip() == scan(site.root).fingerprint("x")


# -- one registry of input kinds: a kind added here reaches every part of a build ------------


def read_notes(files: tuple[InputFile, ...]) -> tuple[InputData | None, list[SourceError]]:
    """A reader for the test's 'notes' kind: each note's text by file name."""
    notes = {entry.display.split("/", 1)[1]: Path(entry.path).read_text() for entry in files}
    return InputData(notes, digest(sorted(notes.items()))), []


NOTES = InputKind("notes", "notes", folder=True, suffixes=(".txt",), read=read_notes)


class NotesRenderer:
    """Publishes each note at notes/<name>: a renderer that shows the extra kind's data."""

    kinds: ClassVar[Mapping[str, float]] = {"note": 0.1}

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        data = index.site.inputs.get("notes")
        self.notes: dict[str, str] = data.value if data is not None else {}  # type: ignore[assignment]
        self.keys = KeyMaker("notes")

    def incident_base(self) -> str:
        return ""

    def plan_incident(self, incident: IncidentSummary) -> list[Job]:
        return []

    def plan_site(self) -> list[Job]:
        return [
            self.keys.job(f"notes/{name}", "note", (name,), depends=[text])
            for name, text in sorted(self.notes.items())
        ]

    def render(self, job: Job) -> bytes:
        return self.notes[str(job.args[0])].encode()


@pytest.fixture
def with_notes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Register the notes kind and its renderer, as a new capability would."""
    monkeypatch.setattr(inputs, "INPUT_KINDS", (*inputs.INPUT_KINDS, NOTES))
    monkeypatch.setattr(outputs, "RENDERERS", (*outputs.RENDERERS, NotesRenderer))


def notes_in(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in sorted((folder / "notes").glob("*"))}


@pytest.mark.usefixtures("with_notes")
def test_an_extra_input_kind_is_scanned_fingerprinted_built_and_kept_fresh(
    make_site: MakeSite,
) -> None:
    site = make_site(incidents={"db": RESOLVED})
    notes = site.root / "notes"
    out = site.root / "public"
    assert scan(site.root).files["notes"] == ()
    build_site(site.root, out, NOW)
    assert build_site(site.root, out, NOW).unchanged  # the no-op shortcut
    steps = [
        ("add a note", lambda: site.write("notes/a.txt", "first"), {"a.txt": "first"}),
        ("edit it", lambda: site.write("notes/a.txt", "second"), {"a.txt": "second"}),
        ("add another", lambda: site.write("notes/b.txt", "b"), {"a.txt": "second", "b.txt": "b"}),
        ("delete one", lambda: (notes / "a.txt").unlink(), {"b.txt": "b"}),
    ]
    for name, change, expected in steps:
        before = scan(site.root)
        change()
        after = scan(site.root)
        assert after.fingerprint() != before.fingerprint(), name
        assert [f.display for f in after.files["notes"]] == [f"notes/{n}" for n in expected], name
        result = build_site(site.root, out, NOW)
        assert not result.unchanged and result.rendered <= 1, name
        assert notes_in(out) == expected, name
        assert snapshot(out) == cold_build(site, NOW), name
    (notes / "ignored.md").write_text("not a .txt file")
    assert build_site(site.root, out, NOW).unchanged


@pytest.mark.usefixtures("with_notes")
def test_an_extra_input_kind_s_folder_is_protected_from_the_output(make_site: MakeSite) -> None:
    site = make_site()
    with pytest.raises(OutputError, match=r"is inside notes/; choose another --out"):
        build_site(site.root, site.root / "notes" / "public", NOW)


@pytest.mark.usefixtures("with_notes")
def test_the_preview_notices_an_extra_input_kind(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED})
    preview = PreviewServer(site.root, port=0, now=NOW, report=lambda _: None)
    preview.start()
    try:
        site.write("notes/a.txt", "made while serving")  # its folder too
        wait_for(lambda: fetch(preview.url + "notes/a.txt") == (200, "made while serving"))
        assert site.root / "notes" in {Path(e.watch.path) for e in preview._observer.emitters}
        site.write("notes/a.txt", "edited")
        wait_for(lambda: fetch(preview.url + "notes/a.txt") == (200, "edited"))
        (site.root / "notes" / "a.txt").unlink()
        wait_for(lambda: fetch(preview.url + "notes/a.txt")[0] == 404)
    finally:
        preview.stop()


def test_every_kind_of_input_lives_at_the_site_root() -> None:
    """The watcher and the output check look at top-level names: keep every kind there."""
    for kind in inputs.INPUT_KINDS:
        assert "/" not in kind.path and kind.path not in (".", "..", CACHE_DIR), kind
        assert (kind.read is None) == (kind.name in ("config", "incidents", "theme")), kind

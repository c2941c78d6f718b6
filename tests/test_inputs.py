"""The input kinds: finding their files by name and stat, the fingerprint of a build's inputs,
and a kind registered later reaching the scan, the build, the output check and the preview."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import ClassVar

import pytest

from statuspage.engine.build import build_site
from statuspage.engine.cache import CACHE_DIR
from statuspage.errors import OutputError, SourceError, ValidationFailed
from statuspage.model import InputData
from statuspage.render import outputs
from statuspage.render.jobs import Job, KeyMaker, RenderContext, digest
from statuspage.render.views import SiteIndex
from statuspage.serve.preview import PreviewServer
from statuspage.sources import inputs
from statuspage.sources.inputs import FileMemo, InputFile, InputKind, Sources, scan
from tests.conftest import (
    CONFIG,
    NOW,
    RESOLVED,
    MakeSite,
    SiteFilesOnly,
    cold_build,
    fetch,
    sandbox,
    snapshot,
    wait_for,
)


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


def read_notes(
    files: tuple[InputFile, ...], memo: FileMemo | None
) -> tuple[InputData | None, list[SourceError]]:
    """A reader for the test's 'notes' kind: each note's text by file name."""
    notes = {entry.display.split("/", 1)[1]: Path(entry.path).read_text() for entry in files}
    return InputData(notes, digest(sorted(notes.items()))), []


NOTES = InputKind("notes", "notes", folder=True, suffixes=(".txt",), read=read_notes)


class NotesRenderer(SiteFilesOnly):
    """Publishes each note at notes/<name>: a renderer that shows the extra kind's data."""

    kinds: ClassVar[Mapping[str, float]] = {"note": 0.1}

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        data = index.site.inputs.get("notes")
        self.notes: dict[str, str] = data.value if data is not None else {}  # type: ignore[assignment]
        self.keys = KeyMaker("notes")

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
        assert (kind.read is None) == (kind.name in ("config", "incidents", "theme", "brand")), kind


# -- finding inputs safely: symlinks, loops, unreadable folders, files that are not read ------


def problems_of(root: Path) -> list[str]:
    return [str(problem) for problem in scan(root).problems]


def warnings_of(root: Path) -> list[str]:
    return [str(warning) for warning in scan(root).warnings]


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A folder beside the site, with a secret, an incident and a folder of incidents."""
    folder = tmp_path / "outside"
    (folder / "more").mkdir(parents=True)
    (folder / "secret.txt").write_text("SECRET")
    (folder / "x.yaml").write_text(RESOLVED)
    (folder / "more" / "y.yaml").write_text(RESOLVED)
    (folder / "statuspage.yaml").write_text(CONFIG)
    return folder


def link(path: Path, target: str | Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.symlink_to(target)


def test_symlinks_out_of_the_site_are_refused_and_nothing_is_published(
    make_site: MakeSite, outside: Path
) -> None:
    site = make_site(incidents={"db": RESOLVED})
    link(site.root / "incidents/stolen.yaml", "../../outside/x.yaml")
    link(site.root / "incidents/2026", outside / "more")
    link(site.root / "site-template/secret.txt", outside / "secret.txt")
    link(site.root / "site-template/assets", "../../outside")
    link(site.root / "incidents/notes.txt", outside / "secret.txt")  # read by nothing: let be
    expected = [
        f"incidents/2026: symlink to {outside / 'more'} points outside the site; "
        "replace it with the folder itself",
        f"incidents/stolen.yaml:1:1: symlink to {outside / 'x.yaml'} points outside the site; "
        "replace it with the file itself",
        f"site-template/assets: symlink to {outside} points outside the site; "
        "replace it with the folder itself",
        f"site-template/secret.txt:1:1: symlink to {outside / 'secret.txt'} points outside "
        "the site; replace it with the file itself",
    ]
    assert problems_of(site.root) == expected
    out = site.root / "public"
    before = sandbox(outside.parent, out, site.root / CACHE_DIR)
    with pytest.raises(ValidationFailed) as failure:
        build_site(site.root, out, NOW)
    assert [str(p) for p in failure.value.problems] == expected
    assert not out.exists()
    assert sandbox(outside.parent, out, site.root / CACHE_DIR) == before


def test_a_symlinked_config_or_input_folder_out_of_the_site_is_refused(
    make_site: MakeSite, outside: Path
) -> None:
    site = make_site()
    (site.root / "statuspage.yaml").unlink()
    link(site.root / "statuspage.yaml", outside / "statuspage.yaml")
    link(site.root / "incidents", outside / "more")
    link(site.root / "site-template", outside)
    assert problems_of(site.root) == [
        f"incidents: symlink to {outside / 'more'} points outside the site; "
        "replace it with the folder itself",
        f"site-template: symlink to {outside} points outside the site; "
        "replace it with the folder itself",
        f"statuspage.yaml:1:1: symlink to {outside / 'statuspage.yaml'} points outside the "
        "site; replace it with the file itself",
    ]
    assert scan(site.root).config is None
    # Refused, not missing: the problem is not also reported as statuspage.yaml not found.
    assert [p for p in site.problems() if p.startswith("statuspage.yaml")] == [
        problems_of(site.root)[2]
    ]


def test_symlinks_within_the_site_are_followed(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site()
    config = site.root / "statuspage.yaml"
    site.write("config/status.yaml", config.read_text())
    config.unlink()
    link(config, "config/status.yaml")
    site.incident("db", RESOLVED, folder="common")
    site.incident("api", RESOLVED, folder="archive/2025")
    link(site.root / "incidents/2026/db.yaml", "../../common/db.yaml")
    link(site.root / "incidents/2025", "../archive/2025")
    site.write("assets/logo.svg", "<svg>linked</svg>")
    link(site.root / "site-template/logo.svg", "../assets/logo.svg")
    # Reached through a symlink to the site, the site is the same.
    link(tmp_path / "to-site", site.root)
    sources = scan(tmp_path / "to-site")
    assert (sources.problems, sources.warnings) == ((), ())
    assert [(f.display, f.path) for f in sources.incidents] == [
        ("incidents/2025/api.yaml", str(site.root / "archive/2025/api.yaml")),
        ("incidents/2026/db.yaml", str(site.root / "common/db.yaml")),
    ]
    out = site.root / "public"
    before = sandbox(tmp_path, out, site.root / CACHE_DIR)
    build_site(site.root, out, NOW)
    assert sandbox(tmp_path, out, site.root / CACHE_DIR) == before  # links and targets alike
    assert (out / "incidents/db/index.html").is_file()
    assert (out / "incidents/api/index.html").is_file()
    assert (out / "logo.svg").read_text() == "<svg>linked</svg>"


def test_a_symlink_into_a_hidden_place_of_the_site_is_refused(make_site: MakeSite) -> None:
    site = make_site()
    site.write(".env", "TOKEN=SECRET")
    site.incident("x", RESOLVED, folder=".git")
    link(site.root / "site-template/env.txt", "../.env")
    link(site.root / "incidents/x.yaml", "../.git/x.yaml")
    assert problems_of(site.root) == [
        "incidents/x.yaml:1:1: symlink to .git/x.yaml points into a hidden place, which holds "
        "no inputs; replace it with the file itself",
        "site-template/env.txt:1:1: symlink to .env points into a hidden place, which holds no "
        "inputs; replace it with the file itself",
    ]


def test_symlink_loops_give_a_message_and_end_the_walk(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED})
    incidents = site.root / "incidents"
    link(incidents / "a.yaml", "b.yaml")
    link(incidents / "b.yaml", "a.yaml")
    link(incidents / "2026/up", "..")  # its own parent
    link(incidents / "site", "..")  # the site's root, which holds it
    link(incidents / "elsewhere", "../other")  # and from there back again
    link(site.root / "other/back", "../incidents")
    link(site.root / "site-template", ".")
    loop = "symlink loop (or too long a chain of symlinks); replace it with the file itself"
    assert problems_of(site.root) == [
        "incidents/2026/up: symlink to incidents makes a loop: that folder holds the link; "
        "remove it",
        f"incidents/a.yaml:1:1: {loop}",
        f"incidents/b.yaml:1:1: {loop}",
        "incidents/elsewhere/back: symlink to incidents makes a loop: that folder holds the "
        "link; remove it",
        "incidents/site: symlink to the site's own folder makes a loop: that folder holds the "
        "link; remove it",
        "site-template: symlink to the site's own folder makes a loop: that folder holds the "
        "link; remove it",
    ]
    assert [f.display for f in scan(site.root).incidents] == ["incidents/db.yaml"]


def test_many_links_to_one_folder_are_read_once(make_site: MakeSite) -> None:
    """Two links to each next folder: followed every time, 2**12 ways to one incident."""
    site = make_site()
    depth = 12
    for level in range(depth):
        for name in ("a", "b"):
            link(site.root / f"levels/{level}/{name}", f"../{level + 1}")
    site.incident("deep", RESOLVED, folder=f"levels/{depth}")
    link(site.root / "incidents/start", "../levels/0")
    sources = scan(site.root)
    assert [f.display for f in sources.incidents] == [
        "incidents/start/" + "a/" * depth + "deep.yaml"
    ]
    assert len(sources.problems) == depth
    assert str(sources.problems[0]) == (
        f"incidents/start/{'a/' * (depth - 1)}b: symlink to levels/{depth}, a folder read "
        f"already through incidents/start/{'a/' * depth}"[:-1]
        + "; remove one of the two"
    )


def test_a_folder_that_cannot_be_listed_is_a_problem(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the tests may run as root, whom no permission stops."""
    site = make_site(incidents={"db": RESOLVED})
    site.incident("api", RESOLVED, folder="incidents/2026")
    locked = str(site.root / "incidents/2026")
    real_scandir = os.scandir

    def scandir(path: str) -> Iterator[os.DirEntry[str]]:
        if str(path) == locked:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    assert problems_of(site.root) == [
        "incidents/2026: cannot be listed: Permission denied; give the user who runs "
        "statuspage read access"
    ]
    assert [str(p) for p in ValidationFailed(scan(site.root).problems).problems] == site.problems()


def test_files_that_are_not_read_are_named_with_why(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED})
    for name in ("x.YAML", "y.Yml", ".hidden.yaml", "notes.txt"):
        site.write(f"incidents/{name}", RESOLVED)
    for name in (".db.yaml.swp", "db.yaml~", "#db.yaml#", ".#db.yaml"):  # an editor's
        site.write(f"incidents/{name}", "")
    link(site.root / "incidents/gone.yaml", "nowhere/gone.yaml")
    link(site.root / "incidents/.#api.yaml", "root@host.4242:1700000000")  # Emacs' lock
    os.mkfifo(site.root / "incidents/pipe.yaml")
    site.write("outage.yml", RESOLVED)  # an incident at the root
    site.write("docker-compose.yml", "services:\n  web:\n    image: nginx\n")
    site.write("mkdocs.yml", "site_name: Docs\n")
    site.write(".github/workflows/ci.yml", RESOLVED)
    site.write("statuspage.yml", "title: Old\n")
    site.write("site-template/.DS_Store", "")
    expected = [
        "incidents/.hidden.yaml:1:1: warning: not read: hidden files are skipped; rename it "
        "to hidden.yaml to have it read, or keep drafts in a hidden folder such as .drafts/",
        "incidents/gone.yaml:1:1: warning: not read: symlink to nowhere/gone.yaml, which does "
        "not exist; remove it or restore what it points to",
        "incidents/pipe.yaml:1:1: warning: not read: not a regular file; replace it with one",
        "incidents/x.YAML:1:1: warning: not read: files in incidents/ end in lowercase .yaml; "
        "rename it to x.yaml",
        "incidents/y.Yml:1:1: warning: not read: files in incidents/ end in lowercase .yaml; "
        "rename it to y.yaml",
        "outage.yml:1:1: warning: not read: it looks like an incident, but incidents are read "
        "from incidents/ only; move it to incidents/outage.yaml",
        "statuspage.yml:1:1: warning: not read: the site reads statuspage.yaml, spelt so; "
        "rename it to statuspage.yaml",
    ]
    assert warnings_of(site.root) == expected
    assert problems_of(site.root) == []
    warned: list[str] = []
    build_site(site.root, site.root / "public", NOW, warn=warned.append)
    assert warned == expected


def test_sources_travel_as_plain_values_and_come_back_the_same(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED, "Bad Id": RESOLVED})
    site.write("incidents/x.YAML", RESOLVED)
    sources = scan(site.root)
    assert sources.problems and sources.warnings and sources.incidents
    plain = marshal.loads(marshal.dumps(sources.plain()))  # as a forked scan sends them
    back = Sources.from_plain(site.root, plain)
    assert back == sources
    assert all(type(entry) is InputFile for entry in back.every_file())
    assert any(entry.path != f"{site.root}/{entry.display}" for entry in back.theme)  # bundled


def test_a_config_that_is_no_file_is_a_problem(make_site: MakeSite) -> None:
    site = make_site()
    (site.root / "statuspage.yaml").unlink()
    os.mkfifo(site.root / "statuspage.yaml")  # reading it would wait for ever
    assert problems_of(site.root) == [
        "statuspage.yaml:1:1: not a regular file; statuspage.yaml must be one"
    ]
    assert site.problems() == problems_of(site.root)


def test_a_refused_file_stops_a_build_that_had_nothing_to_do(
    make_site: MakeSite, outside: Path
) -> None:
    site = make_site(incidents={"db": RESOLVED})
    out = site.root / "public"
    build_site(site.root, out, NOW)
    assert build_site(site.root, out, NOW).unchanged
    link(site.root / "incidents/2026/x.yaml", outside / "x.yaml")  # the files are as they were
    with pytest.raises(ValidationFailed, match="points outside the site"):
        build_site(site.root, out, NOW)


def test_names_that_could_forge_or_hide_lines_of_a_message_are_refused(
    make_site: MakeSite,
) -> None:
    site = make_site(incidents={"db": RESOLVED})
    incidents = site.root / "incidents"
    (incidents / "a\nb.yaml").write_text(RESOLVED)
    (incidents / "x\ty").mkdir()
    (incidents / "x\ty" / "c.yaml").write_text(RESOLVED)
    os.close(os.open(bytes(incidents) + b"/\xff\x1b[31m.yaml", os.O_CREAT | os.O_WRONLY))
    (incidents / "notes\n.txt").write_text("not an input: left alone")
    message = "the name holds a character that is not printable, or not UTF-8; rename it"
    assert [str(problem) for problem in scan(site.root).problems] == [
        f"incidents/\\xff\\x1b[31m.yaml: {message}",
        f"incidents/a\\nb.yaml: {message}",
        f"incidents/x\\ty: {message}",
    ]
    assert [entry.stem for entry in scan(site.root).incidents] == ["db"]

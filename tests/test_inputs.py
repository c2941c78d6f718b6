"""Finding input files by name and stat, and the fingerprint of a build's inputs."""

from __future__ import annotations

import os
import subprocess
import sys

from statuspage.sources.inputs import scan
from tests.conftest import RESOLVED, MakeSite


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

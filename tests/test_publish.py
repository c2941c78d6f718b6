"""The output folder and its spare: what a build must write, and the swap."""

from __future__ import annotations

import marshal
import os
import shutil
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from statuspage.engine import publish
from statuspage.engine.cache import TreeState, UnitEntry
from statuspage.engine.publish import (
    OutputTrees,
    file_count,
    identity,
    manifest_of,
    tree_state,
    unit_files,
)
from statuspage.errors import OutputError
from statuspage.render.jobs import MARKER, MARKER_TEXT, Job


def job(path: str, key: str, unit: str = "") -> Job:
    return Job(path, "page", (), (), key, unit)


def unit_paths(unit: str) -> list[str]:
    return [f"incidents/{unit}/index.html", f"incidents/{unit}/feed.rss"]


def changes_for(trees: OutputTrees, *jobs: Job) -> publish.Changes:
    return trees.changes(jobs, manifest_of(jobs))


def tree(folder: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)


def contents(folder: Path) -> dict[str, str]:
    """The files in `folder` but the marker, which every folder a build writes holds."""
    assert (folder / MARKER).read_bytes() == MARKER_TEXT
    return {
        p.relative_to(folder).as_posix(): p.read_text()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MARKER
    }


def test_changes_compare_the_plan_with_both_folders(tmp_path: Path) -> None:
    trees = OutputTrees(
        tmp_path / "out", tmp_path / "spare", {"a": "1", "b": "2"}, {"a": "0", "c": "3"}
    )
    changes = changes_for(trees, job("a", "1"), job("b", "9"), job("d", "4"))
    assert [j.path for j in changes.render] == ["b", "d"]  # new keys
    assert changes.link == ["a"]  # the live site has it right; the spare does not
    assert changes.remove == ["c"]
    assert not changes.unchanged
    assert changes_for(trees, job("a", "1"), job("b", "2")).unchanged


def test_an_incident_s_own_files_share_one_manifest_entry(tmp_path: Path) -> None:
    page, feed = unit_paths("x")
    jobs = [job("index.html", "i"), job(page, "p1", "x"), job(feed, "f1", "x")]
    manifest = manifest_of(jobs)
    assert manifest.keys() == {"index.html", "@x"}
    assert unit_files("x", manifest["@x"]) == {page: "p1", feed: "f1"}
    assert file_count(manifest) == 3

    def entry(unit: str, page_key: str, feed_key: str) -> str | UnitEntry:
        y_page, y_feed = unit_paths(unit)
        return manifest_of([job(y_page, page_key, unit), job(y_feed, feed_key, unit)])["@" + unit]

    # The live site has the page right, the spare has the feed right; y is gone.
    trees = OutputTrees(
        tmp_path / "out",
        tmp_path / "spare",
        {"index.html": "i", "@x": entry("x", "p1", "f0")},
        {"index.html": "i", "@x": entry("x", "p0", "f1"), "@y": entry("y", "p0", "f0")},
    )
    changes = trees.changes(jobs, manifest)
    assert changes.render == []
    assert changes.link == [page]
    assert changes.remove == sorted(unit_paths("y"))
    new = [job(page, "p2", "x"), job(feed, "f1", "x")]
    changes = trees.changes(new, manifest_of(new, {"index.html": "i"}))
    assert ([j.path for j in changes.render], changes.link) == ([page], [])
    with pytest.raises(ValueError, match="without spaces"):
        manifest_of([job("incidents/x/a b.txt", "k", "x")])


def test_incidents_whose_files_have_the_same_paths_share_one_string_of_them() -> None:
    jobs = [job(path, f"k{unit}", unit) for unit in ("ab", "cd") for path in unit_paths(unit)]
    manifest = manifest_of(jobs)
    ab, cd = manifest["@ab"], manifest["@cd"]
    assert isinstance(ab, tuple) and isinstance(cd, tuple)
    assert ab[0] is cd[0]  # marshal writes it once, and reads it back as one object
    loaded = marshal.loads(marshal.dumps(manifest))
    assert loaded == manifest and loaded["@ab"][0] is loaded["@cd"][0]
    assert (
        len(marshal.dumps(manifest))
        < len(marshal.dumps({**manifest, "@cd": (cd[0] + "", cd[1])})) + 1
    )


def test_an_incident_s_files_may_come_and_go_with_its_updates(tmp_path: Path) -> None:
    def drafts(*numbers: int) -> list[Job]:
        return [job(f"incidents/x/draft-{n}.txt", f"k{n}", "x") for n in numbers]

    spare = manifest_of(drafts(1, 2, 3))
    trees = OutputTrees(tmp_path / "out", tmp_path / "spare", spare, spare)
    fewer = trees.changes(drafts(1, 2), manifest_of(drafts(1, 2)))
    assert (fewer.render, fewer.link, fewer.remove) == ([], [], ["incidents/x/draft-3.txt"])
    more = trees.changes(drafts(1, 2, 3, 4), manifest_of(drafts(1, 2, 3, 4)))
    assert ([j.path for j in more.render], more.remove) == (["incidents/x/draft-4.txt"], [])
    assert file_count(manifest_of(drafts(1, 2, 3, 4))) == 4


def test_writing_into_the_spare_never_touches_a_file_the_live_site_shares(tmp_path: Path) -> None:
    out, spare = tmp_path / "out", tmp_path / "spare"
    tree(out, {"incidents/x/index.html": "live", MARKER: MARKER_TEXT.decode()})
    (spare / "incidents/x").mkdir(parents=True)
    os.link(out / "incidents/x/index.html", spare / "incidents/x/index.html")  # one inode
    trees = OutputTrees(
        out, spare, {"incidents/x/index.html": "k"}, {"incidents/x/index.html": "k"}
    )
    trees.prepare().write("incidents/x/index.html", b"new")
    assert contents(out) == {"incidents/x/index.html": "live"}
    assert contents(spare) == {"incidents/x/index.html": "new"}


def test_the_swap_exchanges_the_folders(tmp_path: Path) -> None:
    out, spare = tmp_path / "out", tmp_path / "spare"
    tree(out, {"index.html": "old", MARKER: MARKER_TEXT.decode()})
    trees = OutputTrees(out, spare, {"index.html": "k1"}, None)
    trees.prepare().write("index.html", b"new")
    trees.swap()
    assert (contents(out), contents(spare)) == ({"index.html": "new"}, {"index.html": "old"})


def test_the_swap_without_renameat2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    out, spare = tmp_path / "out", tmp_path / "spare"
    tree(out, {"index.html": "old", MARKER: MARKER_TEXT.decode()})
    trees = OutputTrees(out, spare, {"index.html": "k1"}, None)
    trees.prepare().write("index.html", b"new")
    trees.swap()
    assert (contents(out), contents(spare)) == ({"index.html": "new"}, {"index.html": "old"})
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "spare"]


def test_a_spare_of_unknown_contents_is_emptied(tmp_path: Path) -> None:
    spare = tmp_path / "spare"
    tree(spare, {"stale.html": "?", "index.html": "?", MARKER: MARKER_TEXT.decode()})
    trees = OutputTrees(tmp_path / "out", spare, None, None)
    trees.prepare().write("index.html", b"fresh")
    assert contents(spare) == {"index.html": "fresh"}


def test_a_first_build_leaves_no_spare_and_the_next_links_one(tmp_path: Path) -> None:
    out, spare = tmp_path / "out", tmp_path / "spare"
    trees = OutputTrees(out, spare, None, None)
    writer = trees.prepare()
    writer.write("index.html", b"site")
    writer.write("incidents/x/index.html", b"page")
    trees.swap()
    assert not spare.exists()
    manifest = {"index.html": "k1", "incidents/x/index.html": "k2"}
    trees = OutputTrees(out, spare, manifest, None)
    changes = changes_for(trees, job("index.html", "k3"), job("incidents/x/index.html", "k2"))
    assert ([j.path for j in changes.render], changes.link) == (
        ["index.html"],
        ["incidents/x/index.html"],
    )
    writer = trees.prepare()
    writer.write("index.html", b"new site")
    assert writer.link(out, changes.link) == 1
    trees.swap()
    assert contents(out) == {"index.html": "new site", "incidents/x/index.html": "page"}
    assert contents(spare) == {"index.html": "site", "incidents/x/index.html": "page"}
    assert (out / "incidents/x/index.html").stat().st_ino == (
        spare / "incidents/x/index.html"
    ).stat().st_ino


def test_removing_prunes_folders_left_empty(tmp_path: Path) -> None:
    spare = tmp_path / "spare"
    tree(spare, {"incidents/x/index.html": "x", "incidents/y/index.html": "y"})
    trees = OutputTrees(tmp_path / "out", spare, None, {"incidents/x/index.html": "k"})
    trees.remove(["incidents/x/index.html"])
    assert sorted(p.name for p in (spare / "incidents").iterdir()) == ["y"]


def test_saved_states_are_trusted_only_for_the_same_folder(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    state = tree_state(out, {"index.html": "k"})
    assert state is not None and state.identity == identity(out)
    assert OutputTrees.open(out, tmp_path / "spare", state, None).live == {"index.html": "k"}
    (out / "index.html").write_text("a file added by hand")
    assert OutputTrees.open(out, tmp_path / "spare", state, None).live is None
    state = tree_state(out, {"index.html": "k"})
    (out / "index.html").unlink()  # emptied by hand: the inode is the same
    assert OutputTrees.open(out, tmp_path / "spare", state, None).live is None
    state = tree_state(out, {})
    out.rmdir()
    out.mkdir()  # made anew, perhaps with the same inode number
    assert OutputTrees.open(out, tmp_path / "spare", state, None).live is None
    assert tree_state(tmp_path / "missing", {}) is None
    assert tree_state(out, None) is None
    assert isinstance(state, TreeState)


def foreign_folder(place: Path) -> None:
    tree(place, {"notes.txt": "mine"})


def symlinked_folder(place: Path) -> None:
    target = place.with_name("elsewhere")
    tree(target, {MARKER: MARKER_TEXT.decode()})
    place.symlink_to(target)


def linked_marker(place: Path) -> None:
    tree(place.with_name("elsewhere"), {MARKER: MARKER_TEXT.decode()})
    place.mkdir()
    (place / MARKER).symlink_to(place.with_name("elsewhere") / MARKER)


def other_marker(place: Path) -> None:
    tree(place, {MARKER: "a file of the same name, written by someone else\n"})


def marker_pipe(place: Path) -> None:
    place.mkdir()
    os.mkfifo(place / MARKER)  # opening it to read would wait for a writer


def a_file(place: Path) -> None:
    place.write_text("not a folder")


@pytest.mark.parametrize(
    "make", [foreign_folder, symlinked_folder, linked_marker, other_marker, marker_pipe, a_file]
)
def test_a_spare_that_is_not_ours_is_refused_and_left_as_it_was(
    tmp_path: Path, make: Callable[[Path], None]
) -> None:
    out, spare = tmp_path / "out", tmp_path / ".out.spare"
    make(spare)
    before = listing(tmp_path)
    trees = OutputTrees(out, spare, None, None)
    with pytest.raises(OutputError) as error:
        trees.prepare()
    assert str(error.value) == (
        f"{spare} is in the way of building {out} and was not written by statuspage "
        f"(no .statuspage-build); move it away, or choose another --out"
    )
    assert listing(tmp_path) == before


def listing(folder: Path) -> dict[str, tuple[str, int]]:
    """Every path below `folder` with its type and its size, links not followed."""
    found = {}
    for path in sorted(folder.rglob("*")):
        info = path.lstat()
        found[path.relative_to(folder).as_posix()] = (oct(info.st_mode), info.st_size)
    return found


def test_an_empty_folder_or_one_in_the_cache_may_be_taken(tmp_path: Path) -> None:
    spare = tmp_path / "spare"
    spare.mkdir()
    OutputTrees(tmp_path / "out", spare, None, None).prepare().write("index.html", b"new")
    assert contents(spare) == {"index.html": "new"}
    shutil.rmtree(spare)
    tree(spare, {"stale.html": "from a build before builds marked their folders"})
    # In the cache, every folder is the build's own: it is emptied, marker or not.
    OutputTrees(tmp_path / "out", spare, None, None, spare_owned=True).prepare()
    assert contents(spare) == {}


def test_the_marker_is_written_before_anything_else(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    spare = tmp_path / "spare"
    writer = OutputTrees(tmp_path / "out", spare, None, None).prepare()
    assert [p.name for p in spare.iterdir()] == [MARKER]  # a build killed now leaves it ours
    assert publish.owned(spare)
    writer.write("index.html", b"new")
    # A marker that cannot be written leaves no folder behind.
    shutil.rmtree(spare)

    def full_disk(self: publish.TreeWriter, path: str, content: bytes) -> int:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish.TreeWriter, "write", full_disk)
    with pytest.raises(OSError, match="No space left"):
        OutputTrees(tmp_path / "out", spare, None, None).prepare()
    assert list(tmp_path.iterdir()) == []


def dead_pid() -> int:
    """The number of a process that has ended (and that no other process has taken yet)."""
    child = subprocess.Popen(["true"])
    child.wait()
    return child.pid


def test_staging_folders_of_killed_builds_are_removed_if_ours(tmp_path: Path) -> None:
    out = tmp_path / "public"
    dead, other_dead = dead_pid(), dead_pid()
    ours = {MARKER: MARKER_TEXT.decode(), "index.html": "half"}
    tree(tmp_path / f".public.tmp-{dead}", ours)  # killed: removed
    (tmp_path / f".public.tmp-{other_dead}").mkdir()  # killed before its marker: removed
    tree(tmp_path / f".public.tmp-{os.getppid()}", ours)  # its build still runs
    tree(tmp_path / ".public.tmp-99999999999999999999", {"notes.txt": "someone's"})
    tree(tmp_path / f".public.tmp-{dead}x", ours)  # not a staging folder's name
    tree(tmp_path / f".other.tmp-{dead}", ours)  # another output's
    publish.remove_abandoned(out)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [
            f".public.tmp-{os.getppid()}",
            ".public.tmp-99999999999999999999",
            f".public.tmp-{dead}x",
            f".other.tmp-{dead}",
        ]
    )
    publish.remove_abandoned(tmp_path / "missing" / "public")  # no parent: nothing to do


def test_the_staging_folder_of_a_killed_build_not_yet_reaped_is_removed(tmp_path: Path) -> None:
    """A build killed by its CI runner is a zombie until the runner reaps it: it has ended."""
    child = subprocess.Popen(["sleep", "60"])
    try:
        child.kill()
        deadline = time.monotonic() + 10
        while Path(f"/proc/{child.pid}/stat").read_bytes().rpartition(b")")[2].split()[0] != b"Z":
            assert time.monotonic() < deadline, "the child did not end"
            time.sleep(0.01)
        tree(tmp_path / f".public.tmp-{child.pid}", {MARKER: MARKER_TEXT.decode()})
        publish.remove_abandoned(tmp_path / "public")
        assert list(tmp_path.iterdir()) == []
    finally:
        child.wait()

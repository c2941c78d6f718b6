"""The build cache: what it keeps, when it forgets, and how builds take turns."""

from __future__ import annotations

import fcntl
import marshal
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuspage.cli import main
from statuspage.engine import cache as cache_module
from statuspage.engine.cache import (
    _SHARDS,
    CACHE_DIR,
    BuildCache,
    FileRecord,
    SavedFiles,
    TreeState,
    _place,
    _shard,
)
from statuspage.errors import SiteLocked, SourceError
from statuspage.sources.inputs import InputFile, Remembered
from tests.conftest import REPO, RESOLVED, MakeSite

PROBLEM = SourceError("incidents/b.yaml", 3, 9, "unknown impact 'huge'")


def records(count: int) -> dict[str, FileRecord]:
    return {
        f"incidents/i{n}.yaml": FileRecord((n, n, n, n), f"digest{n}", ("summary", n), ())
        for n in range(count)
    }


def test_file_records_round_trip_for_the_same_context(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path / "cache")
    saved = records(40) | {"incidents/b.yaml": FileRecord((1, 2, 3, 4), "d", None, (PROBLEM,))}
    assert cache.files("ids-1") == SavedFiles("ids-1", {}, None)
    cache.save_files(cache.files("ids-1"), saved, saved)
    cache.close()
    reopened = BuildCache(tmp_path / "cache")
    assert reopened.files("ids-1").records == saved
    # Other component ids: the records no longer hold, and the next save replaces them all.
    assert reopened.files("ids-2") == SavedFiles("ids-2", {}, None)
    reopened.save_files(reopened.files("ids-2"), records(3), [])
    assert reopened.files("ids-2").records == records(3)
    assert reopened.files("ids-1").records == {}


def test_records_read_ahead_are_given_once_and_for_their_context_only(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.read_files_ahead()  # nothing saved yet: nothing read
    assert cache.files("ids") == SavedFiles("ids", {}, None)
    saved = records(5)
    cache.save_files(cache.files("ids"), saved, saved)
    cache.read_files_ahead()
    ahead = cache.files("ids")
    assert ahead.records == saved
    assert cache.files("ids") is not ahead  # read again: the next caller may change its own
    assert cache.files("ids").records == saved
    cache.read_files_ahead()
    assert cache.files("other ids") == SavedFiles("other ids", {}, None)  # ids changed
    assert cache.files("ids").records == saved  # and what was read ahead is dropped
    asked: list[int] = []
    cache.read_files_ahead(enough=lambda: asked.append(1) or True)  # one shard, then stop
    assert asked == [1]
    ahead = cache.files("ids")  # the rest read now
    assert ahead.records == saved
    assert ahead.shards is not None and sorted(ahead.shards) == list(range(_SHARDS))


def test_saving_one_change_rewrites_only_its_shard(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    saved = records(200)
    cache.save_files(cache.files("ids"), saved, saved)
    before = {n: cache.get(f"files {n}") for n in range(_SHARDS)}
    changed = "incidents/i7.yaml"
    saved[changed] = FileRecord((9, 9, 9, 9), "new", ("summary", 7), ())
    writes: list[str] = []
    real_put = cache.put
    cache.put = lambda key, value: (writes.append(key), real_put(key, value))  # type: ignore[method-assign]
    cache.save_files(cache.files("ids"), saved, [changed])
    assert writes == [f"files {_shard(changed)}"]
    assert cache.files("ids").records == saved
    after = {n: cache.get(f"files {n}") for n in range(_SHARDS)}
    assert [n for n in range(_SHARDS) if before[n] != after[n]] == [_shard(changed)]


def test_after_loading_one_change_is_saved_without_visiting_every_record(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    saved = records(200)
    cache.save_files(cache.files("ids"), saved, saved)
    read = cache.files("ids")
    loaded = dict(read.records)
    changed, gone = "incidents/i7.yaml", "incidents/i8.yaml"
    loaded[changed] = FileRecord((9, 9, 9, 9), "new", ("summary", 7), ())
    del loaded[gone]

    class OnlyLookups(dict[str, FileRecord]):
        def items(self):  # type: ignore[no-untyped-def]
            raise AssertionError("every record visited")

    cache.save_files(read, OnlyLookups(loaded), [changed, gone])
    assert BuildCache(tmp_path).files("ids").records == loaded


def test_forgotten_files_disappear(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    saved = records(5)
    cache.save_files(cache.files("ids"), saved, saved)
    gone = "incidents/i3.yaml"
    del saved[gone]
    cache.save_files(cache.files("ids"), saved, [gone])
    assert cache.files("ids").records == saved


def test_tree_states(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    state = TreeState((1, 2, 3, 4), {"index.html": "k1"})
    cache.save_trees({"live x": state, "spare x": None})
    assert (cache.tree("live x"), cache.tree("spare x")) == (state, None)
    cache.save_trees({"live x": None})
    assert cache.tree("live x") is None


def test_a_cache_of_another_version_is_started_afresh(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    cache.put("last", ("x", 1, 2))
    cache.put("schema", "statuspage 0.0.1 cache 0")
    cache._db.executescript(  # tables of another shape, as an older version made them
        "DROP TABLE trees; CREATE TABLE trees (name TEXT, device INTEGER, inode INTEGER);"
    )
    cache.close()
    fresh = BuildCache(tmp_path)
    assert fresh.get("last") is None
    state = TreeState((1, 2), {"index.html": "k"})
    fresh.save_trees({"live x": state})
    assert fresh.tree("live x") == state


OLD = (10, 1_000, 2_000, 7)  # a file's stamp from long before the last build's scan
RECENT = (10, 9_980, 9_990, 8)  # changed in the tick of that scan, at 10_000: not to trust
VALUE = ("a", 1, (2.5, None), [{"k": b"v"}])


def saved_memo(tmp_path: Path, version: str = "v1") -> BuildCache:
    """A cache holding a memo of two files, a.txt and b.txt, saved at time 10_000."""
    cache = BuildCache(tmp_path)
    memo = cache.memo("notes", version, racy_ns=50)
    assert memo.get("notes/a.txt", OLD) is None
    memo.put("notes/a.txt", OLD, "digest-a", VALUE)
    memo.put("notes/b.txt", RECENT, "digest-b", "b")
    cache.save_memo(memo, ["notes/a.txt", "notes/b.txt"], checked_at=10_000)
    return cache


def unpacked(remembered: Remembered | None) -> tuple[str, object] | None:
    """What a memo gave: the digest, and the value, made from what it kept."""
    return None if remembered is None else (remembered.digest, remembered.load())


def test_a_memo_gives_back_a_value_for_the_same_stamp_or_the_same_bytes(tmp_path: Path) -> None:
    saved_memo(tmp_path).close()
    cache = BuildCache(tmp_path)
    memo = cache.memo("notes", "v1", racy_ns=50)
    assert unpacked(memo.get("notes/a.txt", OLD)) == ("digest-a", VALUE)
    assert memo.get("notes/b.txt", RECENT) is None  # its stamp may not have shown a change
    assert unpacked(memo.get("notes/b.txt", RECENT, "digest-b")) == ("digest-b", "b")
    moved = (10, 3_000, 3_000, 9)
    assert memo.get("notes/a.txt", moved) is None
    assert memo.get("notes/a.txt", moved, "digest-other") is None
    assert unpacked(memo.get("notes/a.txt", moved, "digest-a")) == ("digest-a", VALUE)
    assert memo.get("notes/c.txt", OLD, "digest-a") is None
    assert cache.memo("other", "v1", racy_ns=50).get("notes/a.txt", OLD) is None
    # The same bytes under a new stamp: the new stamp is saved, and trusted from then on.
    cache.save_memo(memo, ["notes/a.txt"], checked_at=20_000)
    memo = cache.memo("notes", "v1", racy_ns=50)
    assert unpacked(memo.get("notes/a.txt", moved)) == ("digest-a", VALUE)
    assert unpacked(memo.get("notes/a.txt", OLD, "digest-a")) == ("digest-a", VALUE)
    assert memo.get("notes/b.txt", RECENT, "digest-b") is None  # gone: forgotten


def test_a_memo_of_other_code_is_empty_and_replaced(tmp_path: Path) -> None:
    cache = saved_memo(tmp_path)
    memo = cache.memo("notes", "v2", racy_ns=50)
    assert memo.get("notes/a.txt", OLD) is None
    memo.put("notes/b.txt", OLD, "digest-b2", "b2")
    cache.save_memo(memo, ["notes/a.txt", "notes/b.txt"], checked_at=10_000)
    again = cache.memo("notes", "v2", racy_ns=50)
    assert again.get("notes/a.txt", OLD, "digest-a") is None  # v1's, not kept
    assert unpacked(again.get("notes/b.txt", OLD)) == ("digest-b2", "b2")
    assert cache.memo("notes", "v1", racy_ns=50).get("notes/b.txt", OLD) is None


@pytest.mark.parametrize(
    "damage",
    [
        "UPDATE memos SET value = substr(value, 1, length(value) - 1)",  # cut short
        "UPDATE memos SET value = CAST(X'e9' || substr(value, 2) AS BLOB)",  # another type
        "UPDATE memos SET value = X'e9' || 'x'",  # a text, not even UTF-8
        "UPDATE memos SET value = NULL",
        "UPDATE memos SET digest = 'digest-x'",
        "UPDATE memos SET stamp = X'00'",
        "UPDATE memos SET checksum = checksum + 1",
    ],
)
def test_a_damaged_memo_entry_is_not_given_back(tmp_path: Path, damage: str) -> None:
    cache = saved_memo(tmp_path)
    cache._db.execute(damage + " WHERE path = 'notes/a.txt'")
    memo = cache.memo("notes", "v1", racy_ns=50)
    assert not given_back(memo.get("notes/a.txt", OLD))
    assert not given_back(memo.get("notes/a.txt", OLD, "digest-a"))
    assert unpacked(memo.get("notes/b.txt", RECENT, "digest-b")) == ("digest-b", "b")
    moved = (10, 3_000, 3_000, 9)  # the value is read at once to be saved with a new stamp
    assert memo.get("notes/a.txt", moved, "digest-a") is None


def given_back(remembered: Remembered | None) -> bool:
    """Whether a memo gave back a value: a damaged one is found by the time it is loaded."""
    if remembered is None:
        return False
    try:
        remembered.load()
    except ValueError:
        return False
    return True


def files_of(*stamps: tuple[str, tuple[int, int, int, int]]) -> list[InputFile]:
    return [InputFile(display, f"/site/{display}", stamp, "x") for display, stamp in stamps]


def test_a_memo_gives_back_what_was_made_of_all_the_files_while_they_stay_the_same(
    tmp_path: Path,
) -> None:
    both = files_of(("notes/a.txt", OLD), ("notes/b.txt", OLD))
    cache = BuildCache(tmp_path)
    memo = cache.memo("notes", "v1", racy_ns=50)
    assert memo.whole(both) is None
    memo.put("notes/a.txt", OLD, "digest-a", "a")
    memo.put("notes/b.txt", OLD, "digest-b", "b")
    memo.put_whole(both, ("all", ["a", "b"]))
    cache.save_memo(memo, ["notes/a.txt", "notes/b.txt"], checked_at=10_000)
    memo = cache.memo("notes", "v1", racy_ns=50)
    assert memo.whole(both) == ("all", ["a", "b"])
    assert not isinstance(memo._saved, dict)  # taken whole: the entries are not even read
    cache.save_memo(memo, ["notes/a.txt", "notes/b.txt"], checked_at=20_000)
    memo = cache.memo("notes", "v1", racy_ns=50)
    assert memo.whole(both) == ("all", ["a", "b"])  # kept while the files are the same
    assert unpacked(memo.get("notes/b.txt", OLD)) == ("digest-b", "b")  # and so are entries
    # Another stamp, a file more or fewer, another order, a stamp too recent to trust:
    moved = (10, 3_000, 3_000, 9)
    assert memo.whole(files_of(("notes/a.txt", OLD), ("notes/b.txt", moved))) is None
    assert memo.whole([*both, *files_of(("notes/c.txt", OLD))]) is None
    assert memo.whole(both[:1]) is None
    assert memo.whole(both[::-1]) is None
    assert memo.whole([]) is None
    recent = (10, 19_980, 19_990, 8)  # in the tick of the last scan, at 20_000
    assert memo.whole(files_of(("notes/a.txt", OLD), ("notes/b.txt", recent))) is None
    assert cache.memo("notes", "v2", racy_ns=50).whole(both) is None  # other code's: none
    # A build with other files that keeps nothing of them all: what was kept goes.
    memo = cache.memo("notes", "v1", racy_ns=50)
    assert memo.whole(both[:1]) is None
    cache.save_memo(memo, ["notes/a.txt"], checked_at=30_000)
    assert cache.memo("notes", "v1", racy_ns=50).whole(both) is None
    assert cache.memo("notes", "v1", racy_ns=50).get("notes/b.txt", OLD) is None  # gone


def test_a_damaged_whole_is_not_given_back(tmp_path: Path) -> None:
    both = files_of(("notes/a.txt", OLD), ("notes/b.txt", OLD))
    cache = BuildCache(tmp_path)
    memo = cache.memo("notes", "v1", racy_ns=50)
    memo.put_whole(both, "all")
    cache.save_memo(memo, [], checked_at=10_000)
    listing, value, checksum = cache.get("memo whole notes")
    cache.put("memo whole notes", (listing, b"\xe9 not marshal", checksum))
    assert cache.memo("notes", "v1", racy_ns=50).whole(both) is None
    cache.put("memo whole notes", (listing, value[:-1], checksum))  # cut short
    assert cache.memo("notes", "v1", racy_ns=50).whole(both) is None
    cache.put("memo whole notes", (listing, value, checksum))
    assert cache.memo("notes", "v1", racy_ns=50).whole(both) == "all"
    cache.put("memo whole notes", "neither a listing nor a value")
    assert cache.memo("notes", "v1", racy_ns=50).whole(both) is None


def test_a_memo_that_cannot_be_read_is_started_afresh(tmp_path: Path) -> None:
    cache = saved_memo(tmp_path)
    cache._db.execute("UPDATE memos SET digest = X'e9' || 'x' WHERE path = 'notes/a.txt'")
    memo = cache.memo("notes", "v1", racy_ns=50)  # a text that is not UTF-8: no memo at all
    assert memo.get("notes/b.txt", RECENT, "digest-b") is None
    memo.put("notes/c.txt", OLD, "digest-c", "c")
    cache.save_memo(memo, ["notes/a.txt", "notes/b.txt", "notes/c.txt"], checked_at=10_000)
    assert cache._db.execute("SELECT path FROM memos").fetchall() == [("notes/c.txt",)]


def test_memos_of_another_schema_are_dropped(tmp_path: Path) -> None:
    cache = saved_memo(tmp_path)
    cache.put("schema", "statuspage 0.0.1 cache 11")
    cache.close()
    fresh = BuildCache(tmp_path)
    assert fresh._db.execute("SELECT count(*) FROM memos").fetchone() == (0,)
    assert fresh.memo("notes", "v1", racy_ns=50).get("notes/a.txt", OLD, "digest-a") is None


def test_the_cache_folder_ignores_itself_for_git(tmp_path: Path) -> None:
    BuildCache(tmp_path / "c")
    assert (tmp_path / "c" / ".gitignore").read_text().splitlines()[-1] == "*"


def test_the_lock_makes_a_second_build_wait(tmp_path: Path) -> None:
    first, second = BuildCache(tmp_path), BuildCache(tmp_path)
    order: list[str] = []
    holding = threading.Event()

    def hold() -> None:
        with first.lock():
            holding.set()
            time.sleep(0.3)
            order.append("first done")

    thread = threading.Thread(target=hold)
    thread.start()
    holding.wait()
    with second.lock():
        order.append("second in")
    thread.join()
    assert order == ["first done", "second in"]


def test_a_damaged_cache_is_replaced(tmp_path: Path) -> None:
    (tmp_path / "cache.sqlite3").write_bytes(b"this is not a database" * 100)
    cache = BuildCache(tmp_path)
    cache.put("last", ("x", 1, 2))
    assert cache.get("last") == ("x", 1, 2)


def test_rotating_trees_makes_the_live_state_the_spare_s(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    old = TreeState((1, 1), {"index.html": "old"}, memo=("bases",))
    cache.save_trees({"live x": old, "spare x": TreeState((2, 2), {"index.html": "older"})})
    new = TreeState((2, 3), {"index.html": "new"}, memo=("bases 2",))
    cache.rotate_trees("live x", "spare x", new, (1, 4))
    assert cache.tree("live x") == new
    assert cache.tree("spare x") == TreeState((1, 4), {"index.html": "old"}, memo=None)
    # The old live manifest was renamed, not copied, and the spare's was dropped.
    assert cache._db.execute("SELECT count(*) FROM manifests").fetchone() == (2,)
    cache.save_trees({"spare x": None, "live x": new})
    assert cache._db.execute("SELECT count(*) FROM manifests").fetchone() == (1,)


def test_a_manifest_is_saved_as_its_few_changes_from_a_kept_one(tmp_path: Path) -> None:
    cache = BuildCache(tmp_path)
    first: dict[str, str | tuple[str, str]] = {f"page{n}.html": f"k{n}" for n in range(32)}
    first["@db"] = ("incidents/\0/index.html", "u1")
    cache.save_trees({"live x": TreeState((1, 1), first)})
    changed = {**first, "page3.html": "new", "added.html": "a", "@db": ("incidents/\0/x", "u2")}
    del changed["page5.html"]
    live = TreeState((2, 2), changed, memo=("bases",))
    cache.rotate_trees("live x", "spare x", live, (1, 3))
    assert cache._db.execute("SELECT count(*) FROM manifests").fetchone() == (1,)  # shared
    (delta,) = cache._db.execute("SELECT delta FROM trees WHERE name = 'live x'").fetchone()
    assert marshal.loads(delta) == {
        "page3.html": "new",
        "added.html": "a",
        "@db": ("incidents/\0/x", "u2"),
        "page5.html": None,
    }
    cache.close()
    fresh = BuildCache(tmp_path)  # read back by a process that never held the manifests
    assert fresh.tree("live x") == live
    assert fresh.tree("spare x") == TreeState((1, 3), first)
    # More changes than an eighth: saved whole, and the old one goes with the last tree on it.
    rewritten = {path: f"{entry}!" for path, entry in changed.items()}
    fresh.rotate_trees("live x", "spare x", TreeState((3, 3), rewritten), (2, 4))
    assert fresh.tree("live x") == TreeState((3, 3), rewritten)
    assert fresh.tree("spare x") == TreeState((2, 4), changed)
    assert fresh._db.execute("SELECT count(*) FROM manifests").fetchone() == (2,)
    fresh.rotate_trees("live x", "spare x", TreeState((4, 4), first), (3, 5))
    assert fresh._db.execute("SELECT count(*) FROM manifests").fetchone() == (2,)
    assert fresh.tree("spare x") == TreeState((3, 5), rewritten)
    assert fresh.tree("live x") == TreeState((4, 4), first)


def _python(script: str, *args: str) -> subprocess.Popen[str]:
    """Run `script` in another Python process that imports this statuspage; stdout piped."""
    return subprocess.Popen(
        [sys.executable, "-c", script, *args],
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )


HOLD = """\
import sys, time
from pathlib import Path
from statuspage.engine.cache import BuildCache
with BuildCache(Path(sys.argv[1])).lock():
    print("held", flush=True)
    time.sleep(60)
"""


@pytest.fixture
def holder(tmp_path: Path) -> Iterator[int]:
    """A live process holding the build lock of the site at tmp_path/site; yields its pid."""
    process = _python(HOLD, str(tmp_path / "site" / CACHE_DIR))
    try:
        assert process.stdout is not None
        assert process.stdout.readline() == "held\n"
        yield process.pid
    finally:
        process.kill()
        process.wait()


def test_a_lock_held_by_a_live_process_is_waited_for_a_bounded_time(
    tmp_path: Path, holder: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "LOCK_WAIT_SECONDS", 0.5)
    cache = BuildCache(tmp_path / "site" / CACHE_DIR)
    started = time.monotonic()
    with pytest.raises(SiteLocked) as raised, cache.lock():
        pass
    assert 0.5 <= time.monotonic() - started < 1.5
    assert str(raised.value) == (
        f"another build or check of this site is running (process {holder}); waited 0.5 s: "
        f"let it finish and build again, or stop it (kill {holder})"
    )


@pytest.mark.parametrize("command", ["build", "check"])
def test_the_commands_fail_with_the_holder_named(
    make_site: MakeSite, holder: int, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    site = make_site(incidents={"db": RESOLVED})
    monkeypatch.setattr(cache_module, "LOCK_WAIT_SECONDS", 0.1)
    result = CliRunner().invoke(main, [command, "--root", str(site.root)])
    assert (result.exit_code, result.stdout, result.stderr) == (
        1,
        "",
        f"error: another build or check of this site is running (process {holder}); "
        f"waited 0.1 s: let it finish and build again, or stop it (kill {holder})\n",
    )
    assert not (site.root / "public").exists()


def test_a_lock_that_names_no_holder_is_waited_for_then_reported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "LOCK_WAIT_SECONDS", 0.1)
    cache = BuildCache(tmp_path)
    with (tmp_path / "lock").open("w") as other:  # as an older version holds it: no pid written
        fcntl.flock(other, fcntl.LOCK_EX)
        with pytest.raises(SiteLocked) as raised, cache.lock():
            pass
    lock = tmp_path / "lock"
    assert str(raised.value) == (
        f"another build or check of this site holds its lock, {lock}; waited 0.1 s: "
        f"let it finish and build again, or stop it (fuser {lock} names it)"
    )


# Takes the lock, records itself as holder, then forks a child that keeps the lock (as
# workers of older versions did) and ends.
ORPHAN = """\
import fcntl, os, sys, time
from statuspage.engine.cache import _place
handle = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT)
fcntl.flock(handle, fcntl.LOCK_EX)
os.write(handle, f"{os.getpid()} {_place()}\\n".encode())
child = os.fork()
if child == 0:
    time.sleep(60)
    os._exit(0)
print(child, flush=True)
"""


@pytest.mark.parametrize("reaped", [True, False])
def test_a_lock_whose_holder_died_is_taken_over_at_once(tmp_path: Path, reaped: bool) -> None:
    cache = BuildCache(tmp_path)
    process = _python(ORPHAN, str(tmp_path / "lock"))
    assert process.stdout is not None
    orphan = int(process.stdout.readline())
    try:
        if reaped:
            process.wait()
        else:  # a zombie: ended, not yet waited for
            stat = Path(f"/proc/{process.pid}/stat")
            deadline = time.monotonic() + 10
            while stat.read_text().rpartition(")")[2].split()[0] != "Z":
                assert time.monotonic() < deadline
                time.sleep(0.01)
        started = time.monotonic()
        with cache.lock():
            assert time.monotonic() - started < 0.5
            assert (tmp_path / "lock").read_text() == f"{os.getpid()} {_place()}\n"
            assert cache_module._try_lock(tmp_path) == cache_module.Holder(os.getpid(), _place())
    finally:
        os.kill(orphan, 9)
        process.wait()


def test_a_lock_is_not_taken_over_while_its_taker_holds_the_guard(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cache_module, "LOCK_WAIT_SECONDS", 0.1)
    cache = BuildCache(tmp_path)
    ended = _python("pass")
    ended.wait()
    lock = tmp_path / "lock"
    with (tmp_path / "lock.guard").open("w") as guard, lock.open("w") as taker:
        # A build that has locked the lock file and not yet written itself over the record
        # of the build before it, which ended: the guard it holds says so.
        fcntl.flock(guard, fcntl.LOCK_EX)
        fcntl.flock(taker, fcntl.LOCK_EX)
        taker.write(f"{ended.pid} {_place()}\n")
        taker.flush()
        with pytest.raises(SiteLocked), cache.lock():
            pass
        assert lock.stat().st_ino == os.fstat(taker.fileno()).st_ino

"""The build cache: what it keeps, when it forgets, and how builds take turns."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from statuspage.engine.cache import _SHARDS, BuildCache, FileRecord, SavedFiles, TreeState, _shard
from statuspage.errors import SourceError

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

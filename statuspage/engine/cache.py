"""The build cache in .statuspage-cache/: what each input held and what each output tree holds.

One SQLite file, so a build that is interrupted leaves the cache as it was before it. The
cache only ever saves work: deleting the folder makes the next build a cold one, nothing else.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import operator
import os
import sqlite3
import time
import zlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from .. import __version__
from ..errors import SiteLocked, SourceError
from ..model import SummaryRecord
from ..sources.inputs import Remembered

if TYPE_CHECKING:
    from ..sources.inputs import InputFile, Stamp

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows: builds of one site are not serialised
    fcntl = None  # type: ignore[assignment]

CACHE_DIR = ".statuspage-cache"
_SCHEMA = f"statuspage {__version__} cache 17"


class FileRecord(NamedTuple):
    """What a build learnt from one incident file: its summary, or the problems in it.

    A named tuple: a build loads one for every incident file, and a tuple is made in a
    fraction of the time a dataclass takes.
    """

    stamp: tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode when it was read
    digest: str
    summary: SummaryRecord | None
    problems: tuple[SourceError, ...]


class SavedFiles(NamedTuple):
    """The file records saved for one context, as `BuildCache.files` read them.

    `shards` keeps what was read shard by shard, so that saving a few changed records
    rewrites only their shards without visiting every record.
    """

    context: str
    records: dict[str, FileRecord]
    shards: dict[int, dict[str, Any]] | None  # None: none were saved for this context


UnitEntry = tuple[str, str]
"""The files made for one incident alone, in its manifest entry: their paths, then their keys.

The paths are joined with spaces and have the incident's id put as NUL: most incidents'
files have the same paths but for the id, so the strings are one object, which marshal
writes once and reads back once. The keys are joined in the same order.
"""

Manifest = dict[str, str | UnitEntry]
"""What an output folder holds: the job key of each file, by path.

The files made for one incident alone (its page and feeds, however many) share one entry,
`@<id>`, a UnitEntry: their number may differ from incident to incident, and one entry for
them all is a fraction of the time spent loading, comparing and saving manifests.
"""


class TreeState(NamedTuple):
    """An output folder as the last build left it: its identity and each file's job key."""

    identity: tuple[int, ...]  # see publish.identity
    manifest: Manifest
    # What the files made for one incident alone were planned from: the renderers' bases
    # and each incident's digest. A build that finds the same skips planning them again.
    memo: tuple[Any, ...] | None = None


class BuildCache:
    """Read and write the cache of one site; `lock` serialises builds of the same site."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# Made by statuspage: the build cache, safe to delete.\n*\n")
        database = folder / "cache.sqlite3"
        self._fetches: list[_MemoValues] = []
        # The whole manifests read or written by this process, by id: a tree's manifest is
        # saved as its changes from one of them, while they are few (see _write_tree).
        self._bases: dict[int, Manifest] = {}
        self._files_ahead: SavedFiles | None = None  # see read_files_ahead
        try:
            self._db = self._open(database)
        except sqlite3.Error:  # damaged, or not a database at all: it only ever saved work
            for leftover in folder.glob("cache.sqlite3*"):
                leftover.unlink()
            self._db = self._open(database)

    @staticmethod
    def _open(database: Path) -> sqlite3.Connection:
        db = sqlite3.connect(database, isolation_level=None)
        try:
            db.executescript(
                """
                PRAGMA journal_mode = WAL;
                PRAGMA synchronous = NORMAL;
                CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB);
                """
            )
            row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
            if row is None or marshal.loads(row[0]) != _SCHEMA:  # another version's: afresh
                db.executescript(
                    """
                    DELETE FROM meta;
                    DROP TABLE IF EXISTS trees;
                    DROP TABLE IF EXISTS manifests;
                    DROP TABLE IF EXISTS files;
                    DROP TABLE IF EXISTS memos;
                    CREATE TABLE trees (
                        name TEXT PRIMARY KEY, identity BLOB, manifest INTEGER, delta BLOB,
                        memo BLOB);
                    CREATE TABLE manifests (id INTEGER PRIMARY KEY, data BLOB);
                    CREATE TABLE memos (
                        kind TEXT, path TEXT, stamp BLOB, digest TEXT, value BLOB,
                        checksum INTEGER, PRIMARY KEY (kind, path));
                    """
                )
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (marshal.dumps(_SCHEMA),))
            db.execute("SELECT name, identity, manifest, delta, memo FROM trees LIMIT 0")
            db.execute("SELECT id, data FROM manifests LIMIT 0")
            db.execute("SELECT kind, path, stamp, digest, value, checksum FROM memos LIMIT 0")
        except BaseException:
            db.close()
            raise
        return db

    def close(self) -> None:
        """Close the database, and the connections this process opened to fetch memo values."""
        for fetch in self._fetches:
            fetch.close()
        self._db.close()

    @contextlib.contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the site's build lock: a second build of the same site waits for the first.

        It waits LOCK_WAIT_SECONDS at most, then raises SiteLocked naming the holder's process.
        A lock whose holder is dead, yet kept by a process it left behind, is taken over.
        """
        if fcntl is None:  # pragma: no cover
            yield
            return
        handle = _take_lock(self.folder)
        try:
            yield
        finally:
            _close(handle)

    def get(self, key: str) -> Any:
        """A value saved with `put`, or None."""
        row = self._db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else marshal.loads(row[0])

    def put(self, key: str, value: Any) -> None:
        """Save a plain value (str, int, tuples and dicts of those)."""
        self._db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, marshal.dumps(value)))

    def files(self, context: str) -> SavedFiles:
        """The records of incident files saved for the same `context` (the config's ids)."""
        ahead, self._files_ahead = self._files_ahead, None
        if ahead is not None and ahead.context == context:
            return self._read_files(ahead)  # the rest of them
        if self.get("files_context") != context:
            return SavedFiles(context, {}, None)
        return self._read_files(SavedFiles(context, {}, {}))

    def read_files_ahead(self, enough: Callable[[], bool] = lambda: False) -> None:
        """Read the saved records now, whatever their context, for the next `files` to give
        if its context is theirs: a build reads them while a child scans the site. Stops
        when `enough()` (asked after each shard): `files` reads the rest."""
        context = self.get("files_context")
        if isinstance(context, str):
            self._files_ahead = self._read_files(SavedFiles(context, {}, {}), enough)

    def _read_files(
        self, saved: SavedFiles, enough: Callable[[], bool] = lambda: False
    ) -> SavedFiles:
        """`saved` with the records of every shard it does not hold yet (until `enough()`)."""
        records, shards = saved.records, saved.shards
        assert shards is not None
        make = FileRecord._make
        rows = self._db.execute(
            "SELECT key, value FROM meta WHERE key LIKE 'files %'"
            f" AND key NOT IN ({', '.join('?' * len(shards))})",
            [f"files {number}" for number in shards],
        )
        for key, blob in rows:
            shard = shards[int(key.split()[1])] = marshal.loads(blob)
            for path, kept in shard.items():
                if kept[3]:  # problems, saved as plain fields
                    kept = (*kept[:3], tuple(SourceError(*p) for p in kept[3]))
                records[path] = make(kept)
            if enough():
                break
        rows.close()  # a statement left half read would hold its read transaction open
        return saved

    def save_files(
        self, saved: SavedFiles, records: Mapping[str, FileRecord], changed: Iterable[str]
    ) -> None:
        """Save the records of every incident file, where `saved` is what `files` read.

        `changed` names the files whose record is new, and the files that are gone: only
        the shards holding them are written, unless `saved` holds none for its context.
        """
        if saved.shards is None:
            self._db.execute("DELETE FROM meta WHERE key LIKE 'files %'")
            self.put("files_context", saved.context)
            shards: dict[int, dict[str, tuple[Any, ...]]] = {n: {} for n in range(_SHARDS)}
            for path, record in records.items():
                shards[_shard(path)][path] = _saved(record)
        else:
            # The shards that were read, with the changed records put in.
            shards = {n: dict(saved.shards.get(n, {})) for n in {_shard(p) for p in changed}}
            for path in changed:
                if path in records:
                    shards[_shard(path)][path] = _saved(records[path])
                else:
                    shards[_shard(path)].pop(path, None)
        with self._transaction():
            for number, shard in shards.items():
                self.put(f"files {number}", shard)

    def memo(self, kind: str, version: str, racy_ns: int) -> Memo:
        """The memo of an input kind's reader, as the last build left it.

        `version` names the reader's code: a memo saved by other code is empty. An entry is
        trusted for a file whose stat is older than `racy_ns` before the last build's scan,
        as incident records are (see `engine.incidents.reusable_records`).
        """
        saved = self.get(f"memo {kind}")
        if not (isinstance(saved, tuple) and len(saved) == 2 and saved[0] == version):
            return Memo(kind, version, {}, 0, fresh=True)
        # The values wait in the database until a reader asks for one: a build needs a few
        # months of years of probe history. So do the entries (`fetch.entries`), until a
        # reader asks for one of them: one that takes what it made of all its files asks
        # for none. That is kept while every build since it was put had the same files
        # (see save_memo).
        whole = self.get(f"memo whole {kind}")
        if not (
            isinstance(whole, tuple)
            and len(whole) == 3
            and isinstance(whole[1], bytes)
            and zlib.crc32(whole[1]) == whole[2]
        ):
            whole = None  # damaged since it was saved: as good as none
        else:
            whole = whole[:2]
        fetch = _MemoValues(self.folder / "cache.sqlite3", kind)
        self._fetches.append(fetch)
        trusted_before = int(saved[1]) - racy_ns
        return Memo(
            kind,
            version,
            fetch.entries,
            trusted_before,
            fresh=False,
            fetch=fetch,
            whole=whole,
        )

    def save_memo(self, memo: Memo, present: Iterable[str], checked_at: int) -> None:
        """Save what a reader put in `memo`, and forget the entries of files not `present`.

        `checked_at` is when the scan that found the files began: the entries kept describe
        the files as they were then.
        """
        # Taken whole, the files are those of the last build, which has an entry for each.
        gone = set() if memo.whole_matched and not memo.new else memo.saved.keys() - set(present)
        with self._transaction():
            if memo.fresh:
                self._db.execute("DELETE FROM memos WHERE kind = ?", (memo.kind,))
            self._db.executemany(
                "DELETE FROM memos WHERE kind = ? AND path = ?",
                ((memo.kind, path) for path in gone),
            )
            self._db.executemany(
                "INSERT OR REPLACE INTO memos VALUES (?, ?, ?, ?, ?, ?)",
                (
                    (memo.kind, path, stamp, digest, value, _checksum(stamp, digest, value))
                    for path, (stamp, digest, value) in memo.new.items()
                ),
            )
            self.put(f"memo {memo.kind}", (memo.version, checked_at))
            # What was made of all the files is kept only while they stay the same, so that
            # stamps are trusted for it as for the entries: against the last build's scan.
            if memo.new_whole is not None:
                listing, value = memo.new_whole
                self.put(f"memo whole {memo.kind}", (listing, value, zlib.crc32(value)))
            elif not memo.whole_matched:
                self._db.execute("DELETE FROM meta WHERE key = ?", (f"memo whole {memo.kind}",))

    def tree(self, name: str) -> TreeState | None:
        """The saved state of an output tree, or None."""
        row = self._db.execute(
            "SELECT identity, id, data, delta, memo FROM trees JOIN manifests ON manifest = id"
            " WHERE name = ?",
            (name,),
        ).fetchone()
        if row is None:
            return None
        identity, base_id, data, delta, memo = row
        base = self._bases.get(base_id)
        if base is None:
            base = self._bases[base_id] = marshal.loads(data)
        manifest = dict(base)
        if delta is not None:
            for path, entry in marshal.loads(delta).items():
                if entry is None:
                    del manifest[path]
                else:
                    manifest[path] = entry
        kept = marshal.loads(memo) if memo is not None else None
        return TreeState(marshal.loads(identity), manifest, kept)

    def save_trees(self, states: dict[str, TreeState | None]) -> None:
        """Save (or, for None, forget) the states of output trees, all at once."""
        with self._transaction():
            for name, state in states.items():
                self._forget_tree(name)
                if state is not None:
                    self._write_tree(name, state)

    def rotate_trees(
        self, live: str, spare: str, new_live: TreeState | None, spare_identity: Any
    ) -> None:
        """After a swap: the live tree's saved state becomes the spare's, `new_live` the live's.

        The old manifest is not read or written again, not even moved: on a large site it is
        the biggest thing a small build would otherwise save. Only the small row naming it
        changes, and the new live manifest is saved as its changes from a kept one.
        """
        with self._transaction():
            self._forget_tree(spare)
            if spare_identity is not None:
                self._db.execute(
                    "UPDATE trees SET name = ?, identity = ?, memo = NULL WHERE name = ?",
                    (spare, marshal.dumps(spare_identity), live),
                )
            self._forget_tree(live)
            if new_live is not None:
                self._write_tree(live, new_live)

    def _forget_tree(self, name: str) -> None:
        self._db.execute("DELETE FROM trees WHERE name = ?", (name,))
        self._db.execute("DELETE FROM manifests WHERE id NOT IN (SELECT manifest FROM trees)")

    def _write_tree(self, name: str, state: TreeState) -> None:
        """Save a tree's state: its manifest as its changes from a whole one that is kept
        (the live tree's, most often, whose next state differs by the files a build wrote),
        while they are at most an eighth of it; else whole, to be the next one's base."""
        manifest = state.manifest
        kept = {row[0] for row in self._db.execute("SELECT id FROM manifests")}
        delta: dict[str, str | UnitEntry | None] | None = None
        base_id = None
        for candidate in sorted(self._bases.keys() & kept, reverse=True):  # the newest first
            base = self._bases[candidate]
            changes: dict[str, str | UnitEntry | None] = dict(manifest.items() - base.items())
            changes.update(dict.fromkeys(base.keys() - manifest.keys()))
            if len(changes) <= len(manifest) // _MOST_CHANGES:
                delta, base_id = changes, candidate
                break
        if base_id is None:
            base_id = self._db.execute(
                "INSERT INTO manifests (data) VALUES (?)", (marshal.dumps(manifest),)
            ).lastrowid
            assert base_id is not None
            self._bases[base_id] = dict(manifest)
        self._db.execute(
            "INSERT INTO trees VALUES (?, ?, ?, ?, ?)",
            (
                name,
                marshal.dumps(state.identity),
                base_id,
                None if delta is None else marshal.dumps(delta),
                None if state.memo is None else marshal.dumps(state.memo),
            ),
        )

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[None]:
        self._db.execute("BEGIN")
        try:
            yield
        except BaseException:
            self._db.execute("ROLLBACK")
            raise
        self._db.execute("COMMIT")


class Memo:
    """What an input kind's reader made of each file at earlier builds: a FileMemo.

    Each entry is kept with its file's stamp and content digest, and a checksum of all: an
    entry damaged since it was saved is as good as none, and the reader reads the file.
    Values are fetched from the database only when a reader loads one.
    """

    def __init__(
        self,
        kind: str,
        version: str,
        saved: dict[str, tuple[bytes, str, int]]
        | Callable[[], dict[str, tuple[bytes, str, int]] | None],
        trusted_before: int,
        *,
        fresh: bool,
        fetch: Callable[[str], bytes | None] | None = None,
        whole: tuple[str, bytes] | None = None,
    ) -> None:
        self.kind, self.version = kind, version
        self._saved = saved  # or what reads it when first asked for
        self.trusted_before = trusted_before
        self.fresh = fresh  # saved by other code, or never: none of it is kept
        self.new: dict[str, tuple[bytes, str, bytes]] = {}  # to save: new, or with a new stamp
        self._fetch = fetch or _nothing
        self._whole = whole  # the listing's digest and the value put_whole kept (marshalled)
        self.whole_matched = False  # whether `whole` gave it back
        self.new_whole: tuple[str, bytes] | None = None  # to save

    def get(self, display: str, stamp: Stamp, digest: str | None = None) -> Remembered | None:
        """What was put for the file at `display`, if it still describes the file.

        Without `digest`, only for the same `stamp`, and one that can be trusted (a change
        in the clock tick of the last build's scan may have kept the stamp). With the
        digest of the file's bytes as they are now, for the same content, whatever stamp.
        """
        entry = self.saved.get(display)
        if entry is None:
            return None
        saved_stamp, saved_digest, checksum = entry
        stamp_bytes = _stamp_bytes(stamp)
        if digest is None:
            if saved_stamp != stamp_bytes or max(stamp[1], stamp[2]) >= self.trusted_before:
                return None
        elif digest != saved_digest:
            return None
        if saved_stamp != stamp_bytes:  # the same bytes with a new stamp: remember the new one
            value = self._fetch(display)
            if value is None or _checksum(saved_stamp, saved_digest, value) != checksum:
                return None
            self.new[display] = (stamp_bytes, saved_digest, value)
            return Remembered(saved_digest, functools.partial(marshal.loads, value))
        load = functools.partial(self._load, display, saved_stamp, saved_digest, checksum)
        return Remembered(saved_digest, load)

    def put(self, display: str, stamp: Stamp, digest: str, value: Any) -> None:
        """Keep `value`, what the reader made of the file at `display` with that `stamp`
        and the content of that `digest`."""
        self.new[display] = (_stamp_bytes(stamp), digest, marshal.dumps(value))

    @property
    def saved(self) -> dict[str, tuple[bytes, str, int]]:
        """The entries by path: stamp (marshalled), digest, checksum."""
        if callable(self._saved):
            entries = self._saved()
            if entries is None:  # as good as none: the next save keeps none of them
                entries, self.fresh = {}, True
            self._saved = entries
        return self._saved

    def whole(self, files: Sequence[InputFile]) -> Any:
        """What `put_whole` kept at the last build, if it had these very files with the same
        stamps, and every stamp can be trusted (see `get`); else None."""
        if self._whole is None or not files:
            return None
        stamps = [f.stamp for f in files]
        newest = max(max(map(_MTIME, stamps)), max(map(_CTIME, stamps)))
        listing, value = self._whole
        if newest >= self.trusted_before or _listing(files, stamps) != listing:
            return None
        try:
            made = marshal.loads(value)
        except (ValueError, EOFError, TypeError):
            return None
        self.whole_matched = True
        return made

    def put_whole(self, files: Sequence[InputFile], value: Any) -> None:
        """Keep `value`, made of all of `files`, for `whole` at the next build."""
        self.new_whole = (_listing(files), marshal.dumps(value))

    def _load(self, display: str, stamp: bytes, digest: str, checksum: int) -> Any:
        value = self._fetch(display)
        if value is None or _checksum(stamp, digest, value) != checksum:
            raise ValueError(f"the build cache's memo of {display} is gone or damaged")
        return marshal.loads(value)


def _nothing(display: str) -> None:
    return None


class _MemoValues:
    """Fetches a memo's values from the database, each process over its own connection
    (opened on first use, read-only): a forked worker may load what its parent did not."""

    def __init__(self, database: Path, kind: str) -> None:
        self.database, self.kind = database, kind
        self._connections: dict[int, sqlite3.Connection] = {}

    def __call__(self, display: str) -> bytes | None:
        try:
            query = "SELECT value FROM memos WHERE kind = ? AND path = ?"
            row = self._connection().execute(query, (self.kind, display)).fetchone()
        except sqlite3.Error:
            return None
        return None if row is None or not isinstance(row[0], bytes) else row[0]

    def entries(self) -> dict[str, tuple[bytes, str, int]] | None:
        """The memo's entries by path (stamp, digest, checksum); None when unreadable."""
        query = "SELECT path, stamp, digest, checksum FROM memos WHERE kind = ?"
        try:
            return {
                path: (stamp, digest, check)
                for path, stamp, digest, check in self._connection().execute(query, (self.kind,))
            }
        except sqlite3.Error:  # a text that is not UTF-8 where the memo has bytes, say
            return None

    def _connection(self) -> sqlite3.Connection:
        db = self._connections.get(os.getpid())
        if db is None:
            uri = f"{self.database.resolve().as_uri()}?mode=ro"
            db = self._connections[os.getpid()] = sqlite3.connect(uri, uri=True)
        return db

    def close(self) -> None:
        """Close this process's connection, if it opened one."""
        db = self._connections.pop(os.getpid(), None)
        if db is not None:
            db.close()


def _listing(files: Sequence[InputFile], stamps: Sequence[Stamp] | None = None) -> str:
    """What changes when a file of `files` comes, goes, or gets another stamp."""
    facts = [[f.display for f in files], stamps or [f.stamp for f in files]]
    return hashlib.blake2b(marshal.dumps(facts, 2), digest_size=16).hexdigest()


_MTIME, _CTIME = operator.itemgetter(1), operator.itemgetter(2)  # of a stamp


def _stamp_bytes(stamp: Stamp) -> bytes:
    # Version 2, without back-references: the same stamp gives the same bytes always.
    return marshal.dumps(stamp, 2)


def _checksum(stamp: bytes, digest: str, value: bytes) -> int:
    return zlib.crc32(value, zlib.crc32(digest.encode(), zlib.crc32(stamp)))


_MOST_CHANGES = 8  # a manifest is saved as its changes while they are at most 1/8 of it

_SHARDS = 64  # file records are saved in shards, so one edit rewrites a 64th of them


def _shard(path: str) -> int:
    return zlib.crc32(path.encode()) % _SHARDS


def _saved(record: FileRecord) -> tuple[Any, ...]:
    problems = tuple(map(SourceError.plain, record.problems))
    return (record.stamp, record.digest, record.summary, problems)


LOCK_WAIT_SECONDS = 5.0  # how long a build waits for another build of the same site
_LOCK_POLL_SECONDS = 0.05

# The descriptors of lock files this process has open. A fork gets copies of them, and a
# copy keeps a flock held for as long as the child lives, even after this process died.
_lock_handles: set[int] = set()


class Holder(NamedTuple):
    """The process a lock file names as its holder, and the machine and PID namespace it ran in."""

    pid: int
    place: str

    def is_dead(self) -> bool:
        """Whether the process has surely ended: never for one seen from another place."""
        return self.place == _place() and process_ended(self.pid)


def process_ended(pid: int) -> bool:
    """Whether process `pid` of this PID namespace has surely ended (or never was).

    A zombie has ended: killed, and not yet reaped by its parent. A process of another user
    counts as running.
    """
    if pid <= 0:
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # another user's process
        return False
    except (OverflowError, OSError):  # no such number
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat.rpartition(b")")[2].split()[:1] == [b"Z"]


def _take_lock(folder: Path) -> int:
    """The descriptor of the site's lock file, locked; waits LOCK_WAIT_SECONDS at most."""
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        taken = _try_lock(folder)
        if isinstance(taken, int):
            return taken
        if time.monotonic() >= deadline:
            raise SiteLocked(_busy(folder / "lock", taken))
        time.sleep(_LOCK_POLL_SECONDS)


def _try_lock(folder: Path) -> int | Holder | None:
    """The lock's descriptor, locked; else the holder it names (None: it names none).

    A guard, `lock.guard`, is held around each attempt: a lock file is never taken over
    between its locking and the writing of its holder, nor by two builds at once.
    """
    assert fcntl is not None
    guard = _open(folder / "lock.guard")
    try:
        if not _flock(guard):
            return None  # another build is taking the lock or looking at it this moment
        while True:
            handle = _open(folder / "lock")
            if _flock(handle):
                os.ftruncate(handle, 0)
                os.write(handle, f"{os.getpid()} {_place()}\n".encode())
                return handle
            holder = _holder(handle)
            _close(handle)
            if holder is None or not holder.is_dead():
                return holder
            # Held by what a dead build left behind: a new lock file is free of it.
            (folder / "lock").unlink()
    finally:
        _close(guard)


def _open(path: Path) -> int:
    handle = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    _lock_handles.add(handle)
    return handle


def _close(handle: int) -> None:
    _lock_handles.discard(handle)
    os.close(handle)


def _flock(handle: int) -> bool:
    """Lock `handle` if no other open file holds the lock; whether it did."""
    assert fcntl is not None
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True


def _holder(handle: int) -> Holder | None:
    """The holder a lock file names, or None (written by an older version, or unreadable)."""
    pid, _, place = os.pread(handle, 4096, 0).decode(errors="replace").strip().partition(" ")
    if not pid.isascii() or not pid.isdigit() or int(pid) <= 0:
        return None
    return Holder(int(pid), place)


def _place() -> str:
    """Where a process id means something: this machine and its PID namespace."""
    try:
        namespace = str(Path("/proc/self/ns/pid").readlink())
    except OSError:
        namespace = ""
    return f"{os.uname().nodename} {namespace}".strip()


def _busy(lock: Path, holder: Holder | None) -> str:
    """What to tell a build that waited for the lock in vain."""
    waited = f"waited {LOCK_WAIT_SECONDS:g} s"
    if holder is None:
        return (
            f"another build or check of this site holds its lock, {lock}; {waited}: "
            f"let it finish and build again, or stop it (fuser {lock} names it)"
        )
    where = "" if holder.place == _place() else f" on {holder.place}"
    return (
        f"another build or check of this site is running (process {holder.pid}{where}); "
        f"{waited}: let it finish and build again, or stop it (kill {holder.pid})"
    )


def _let_go_in_child() -> None:
    """In a forked child: point the copies of lock descriptors at /dev/null, releasing none."""
    if _lock_handles:
        null = os.open(os.devnull, os.O_RDWR | os.O_CLOEXEC)
        for handle in _lock_handles:
            os.dup2(null, handle, inheritable=False)  # the number stays valid, the lock is not kept
        os.close(null)
        _lock_handles.clear()


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_let_go_in_child)

"""Adding check results to the uptime history files: locked, atomic and additive.

`record` takes the lock of the site's `uptime/` folder, reads the files a batch of results
goes to, adds the results to their day counters and replaces each file in one rename. Two
runs at once wait for each other and lose no count; a run killed at any moment leaves every
file as it was before or after the batch (file by file), and never half-written.
"""

from __future__ import annotations

import bisect
import contextlib
import fcntl
import os
import time
from collections.abc import Iterable, Iterator
from datetime import UTC, date
from pathlib import Path

from ..errors import HistoryLocked, SourceError, ValidationFailed
from ..model.ids import id_problem
from ..model.probes import RESPONSE_BUCKETS_MS, CheckResult, DayCounters, Measured
from ..sources import history

LOCK_FILE = ".lock"
TEMP_SUFFIX = ".tmp"  # with a leading dot, temporary files are hidden: no build reads one
LOCK_WAIT_S = 10.0
"""How long `record` waits for another run's lock: a record holds it for milliseconds."""

# Kept out of git by uptime/.gitignore, which record writes once: runners commit uptime/.
_GITIGNORE = f"{LOCK_FILE}\n.*{TEMP_SUFFIX}\n"


def counters_of(result: CheckResult) -> DayCounters:
    """The day counters of one check: what adding `result` to its day adds."""
    response = None if result.response_ms is None else round(result.response_ms, 1)
    histogram = [0] * (len(RESPONSE_BUCKETS_MS) + 1)
    if response is not None:
        histogram[bisect.bisect_left(RESPONSE_BUCKETS_MS, response)] = 1
    measured = result.measured
    latest = CheckResult(
        result.probe,
        result.at.astimezone(UTC).replace(microsecond=0),  # the files keep seconds
        measured,
        response,
        history.clean_text(result.reason),
        tuple((history.clean_text(n), history.clean_text(s)) for n, s in result.upstream),
    )
    return DayCounters(
        latest.at.date(),
        1,
        int(measured is Measured.UP),
        int(measured is Measured.DEGRADED),
        int(measured is Measured.DOWN),
        response or 0.0,
        response or 0.0,
        tuple(histogram),
        latest,
    )


def record(
    root: Path, location: str, results: Iterable[CheckResult], wait_s: float = LOCK_WAIT_S
) -> list[str]:
    """Add `results`, checked at `location`, to the site's history files; the files changed.

    Each file is replaced in one rename, after its new text is on disk. A file that does not
    parse is left alone and reported (ValidationFailed): adding to it would lose its counts.
    """
    problem = id_problem(location, "location")
    if problem:
        raise ValueError(problem)
    batch: dict[tuple[str, str], list[DayCounters]] = {}
    for result in results:
        if result.at.tzinfo is None:
            raise ValueError(f"the time of a check of {result.probe} has no time zone")
        problem = id_problem(result.probe, "probe id")
        if problem:
            raise ValueError(problem)
        counters = counters_of(result)
        batch.setdefault((result.probe, f"{counters.day:%Y-%m}"), []).append(counters)
    if not batch:
        return []
    folder = root / history.UPTIME_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder / LOCK_FILE, wait_s):
        gitignore = folder / ".gitignore"
        if not gitignore.exists():
            _replace(gitignore, _GITIGNORE)
        texts: dict[str, str] = {}
        for (probe, month), rows in sorted(batch.items()):
            name = history.file_name(month, location)
            texts[f"{probe}/{name}"] = _added(folder, probe, name, month, rows)
        for probe in {probe for probe, _ in batch}:
            # Left by a run killed mid-write: with the lock held, no other run is writing.
            for stale in (folder / probe).glob(f".*{TEMP_SUFFIX}"):
                stale.unlink(missing_ok=True)
        # Every new text is on disk before the first rename: a kill leaves the least undone.
        written = [(_written(folder / name, text), folder / name) for name, text in texts.items()]
        for temporary, path in written:
            temporary.replace(path)
        for parent in {path.parent for _, path in written}:
            _sync_folder(parent)
    return [f"{history.UPTIME_DIR}/{name}" for name in texts]


def _added(folder: Path, probe: str, name: str, month: str, rows: list[DayCounters]) -> str:
    """The text of the history file `probe/name` with `rows` added to what it holds."""
    path = folder / probe / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    by_day: dict[date, DayCounters] = {}
    if data:
        display = f"{history.UPTIME_DIR}/{probe}/{name}"
        try:
            text = data.decode()
        except UnicodeDecodeError:
            raise ValidationFailed([SourceError(display, 1, 1, "not UTF-8 text")]) from None
        existing, problems = history.parse(text, display, probe, month)
        if problems:
            raise ValidationFailed(problems)
        by_day = {row.day: row for row in existing}
    for row in rows:
        had = by_day.get(row.day)
        by_day[row.day] = row if had is None else had + row
    return history.serialise(by_day.values())


@contextlib.contextmanager
def _locked(path: Path, wait_s: float) -> Iterator[None]:
    """Hold the exclusive lock of the history, waiting up to `wait_s` for another run's."""
    handle = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait_s
        pause = 0.001
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise HistoryLocked(
                        f"{history.UPTIME_DIR}/{LOCK_FILE} is held by another probe run, for "
                        f"more than {wait_s:g} s; wait for it to end, or end it, and run again"
                    ) from None
                time.sleep(pause)
                pause = min(pause * 2, 0.05)
        yield
    finally:
        os.close(handle)  # which releases the lock


def _written(path: Path, text: str) -> Path:
    """A temporary file beside `path` holding `text`, flushed to disk."""
    path.parent.mkdir(exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}{TEMP_SUFFIX}")
    handle = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(handle, text.encode())
        os.fsync(handle)
    finally:
        os.close(handle)
    return temporary


def _replace(path: Path, text: str) -> None:
    _written(path, text).replace(path)


def _sync_folder(folder: Path) -> None:
    """Make the renames in `folder` durable (a crash after them keeps the new files)."""
    handle = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)

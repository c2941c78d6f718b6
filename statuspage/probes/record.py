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
from datetime import UTC, date, datetime
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
    """The day counters of one check: what adding `result` to its day adds.

    Its latest result is `result` as the files keep it, beginning a run of its own (`since`
    its own time): `record` carries on the run it continues, if any.
    """
    response = None if result.response_ms is None else round(result.response_ms, 1)
    histogram = [0] * (len(RESPONSE_BUCKETS_MS) + 1)
    if response is not None:
        histogram[bisect.bisect_left(RESPONSE_BUCKETS_MS, response)] = 1
    measured = result.measured
    at = result.at.astimezone(UTC).replace(microsecond=0)  # the files keep seconds
    latest = CheckResult(
        result.probe,
        at,
        measured,
        response,
        history.clean_text(result.reason),
        tuple((history.clean_text(n), history.clean_text(s)) for n, s in result.upstream),
        at,
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
    batch: dict[str, list[DayCounters]] = {}
    for result in results:
        if result.at.tzinfo is None:
            raise ValueError(f"the time of a check of {result.probe} has no time zone")
        problem = id_problem(result.probe, "probe id")
        if problem:
            raise ValueError(problem)
        batch.setdefault(result.probe, []).append(counters_of(result))
    if not batch:
        return []
    folder = root / history.UPTIME_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with _locked(folder / LOCK_FILE, wait_s):
        gitignore = folder / ".gitignore"
        if not gitignore.exists():
            _replace(gitignore, _GITIGNORE)
        texts: dict[str, str] = {}
        for probe, added in sorted(batch.items()):
            months = _Months(folder, probe, location)
            months.add(added)
            for month, by_day in months.changed():
                name = history.file_name(month, location)
                texts[f"{probe}/{name}"] = history.serialise(by_day.values())
        for probe in batch:
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


class _Months:
    """The history files of one probe at one location, read as a batch needs them."""

    def __init__(self, folder: Path, probe: str, location: str) -> None:
        self.folder, self.probe, self.location = folder, probe, location
        self.read: dict[str, dict[date, DayCounters]] = {}
        self.touched: set[str] = set()

    def add(self, added: list[DayCounters]) -> None:
        """Add the counters of single checks, in time order, each carrying on its run."""
        added = sorted(added, key=_by_time)
        first = added[0].day
        # The location's newest check before the batch: in the first month's file, or for
        # the first row of a month, in the month before's.
        previous = self.newest(f"{first:%Y-%m}") or self.newest(_month_before(first))
        for row in added:
            month = f"{row.day:%Y-%m}"
            by_day = self.rows(month)
            latest = row.latest
            assert latest is not None
            if previous is None or latest.at > previous.at:
                if previous is not None and previous.measured is latest.measured:
                    row = row._replace(latest=latest._replace(since=previous.since))
                previous = row.latest
            # Else a check older than the newest one, late: it begins a run of its own, and
            # the newest check's run goes on as it was.
            had = by_day.get(row.day)
            by_day[row.day] = row if had is None else had + row
            self.touched.add(month)

    def changed(self) -> list[tuple[str, dict[date, DayCounters]]]:
        """The months added to, in order, with their rows."""
        return [(month, self.read[month]) for month in sorted(self.touched)]

    def newest(self, month: str) -> CheckResult | None:
        """The newest check a month's file holds, if any."""
        checks = [row.latest for row in self.rows(month).values() if row.latest is not None]
        return max(checks, key=_at, default=None)

    def rows(self, month: str) -> dict[date, DayCounters]:
        """The rows of the month's file by day (none when there is no file)."""
        if month not in self.read:
            self.read[month] = _existing(self.folder, self.probe, self.location, month)
        return self.read[month]


def _existing(folder: Path, probe: str, location: str, month: str) -> dict[date, DayCounters]:
    """The rows of the history file of `probe` at `location` in `month`, by day."""
    name = history.file_name(month, location)
    path = folder / probe / name
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    if not data:
        return {}
    display = f"{history.UPTIME_DIR}/{probe}/{name}"
    try:
        text = data.decode()
    except UnicodeDecodeError:
        raise ValidationFailed([SourceError(display, 1, 1, "not UTF-8 text")]) from None
    existing, problems = history.parse(text, display, probe, month)
    if problems:
        raise ValidationFailed(problems)
    return {row.day: row for row in existing}


def _by_time(row: DayCounters) -> datetime:
    assert row.latest is not None  # the counters of one check
    return row.latest.at


def _at(result: CheckResult) -> datetime:
    return result.at


def _month_before(day: date) -> str:
    """The month before the one of `day`, as '2026-10'."""
    return f"{day.year - 1:04}-12" if day.month == 1 else f"{day.year:04}-{day.month - 1:02}"


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

"""Recording check results: additive, locked against another run, and safe from a kill."""

from __future__ import annotations

import fcntl
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from statuspage.errors import HistoryLocked, ValidationFailed
from statuspage.model.probes import CheckResult, Measured, ProbeHistory
from statuspage.probes.record import record
from statuspage.sources import history
from statuspage.sources.inputs import UPTIME, find

AT = datetime(2026, 11, 3, 23, 59, 30, tzinfo=UTC)


def result(probe: str, at: datetime, measured: Measured, ms: float | None) -> CheckResult:
    return CheckResult(probe, at, measured, ms, f"{measured.value} check")


def read_all(root: Path) -> dict[str, ProbeHistory]:
    data, problems = history.read(tuple(find(root, UPTIME)))
    assert problems == []
    return {} if data is None else data.value  # type: ignore[return-value]


def test_results_go_to_their_day_month_and_location(tmp_path: Path) -> None:
    changed = record(
        tmp_path,
        "eu",
        [
            result("api", AT, Measured.UP, 40.04),
            result("api", AT - timedelta(hours=1), Measured.DOWN, None),
            result("api", AT + timedelta(minutes=1), Measured.DEGRADED, 900),  # Nov 4th
            result("db", AT + timedelta(days=30), Measured.UP, 5000.01),  # December
        ],
    )
    assert changed == ["uptime/api/2026-11.eu.csv", "uptime/db/2026-12.eu.csv"]
    assert (tmp_path / "uptime/api/2026-11.eu.csv").read_text() == (
        f"{history.HEADER_LINE}\n"
        "2026-11-03,2,1,0,1,40,40,1 0 0 0 0 0 0 0 0 0,2026-11-03T23:59:30Z,up,40,up check,,"
        "2026-11-03T23:59:30Z\n"
        "2026-11-04,1,0,1,0,900,900,0 0 0 0 0 0 1 0 0 0,2026-11-04T00:00:30Z,degraded,900,"
        "degraded check,,2026-11-04T00:00:30Z\n"
    )
    assert (tmp_path / "uptime/db/2026-12.eu.csv").read_text().splitlines()[1] == (
        "2026-12-03,1,1,0,0,5000,5000,0 0 0 0 0 0 0 0 1 0,2026-12-03T23:59:30Z,up,5000,up check,,"
        "2026-12-03T23:59:30Z"
    )
    record(tmp_path, "eu", [result("api", AT - timedelta(hours=2), Measured.UP, 60)])
    day = read_all(tmp_path)["api"].days[0]
    assert (day.checks, day.up, day.response_ms_sum, day.histogram[:2]) == (3, 2, 100.0, (1, 1))
    assert day.latest is not None and day.latest.at == AT  # still the newest of the day
    assert (tmp_path / "uptime/.gitignore").read_text() == ".lock\n.*.tmp\n"


def latest_of(root: Path, probe: str = "api", location: str = "eu") -> CheckResult:
    return read_all(root)[probe].latest[location]


def test_since_is_the_first_check_of_the_run_the_latest_ends(tmp_path: Path) -> None:
    start = datetime(2026, 11, 3, 12, tzinfo=UTC)
    times = [start + timedelta(minutes=5 * n) for n in range(4)]
    runs = [Measured.UP, Measured.UP, Measured.DOWN, Measured.DOWN]
    seen = []
    for at, measured in zip(times, runs, strict=True):
        record(tmp_path, "eu", [result("api", at, measured, None)])
        seen.append(latest_of(tmp_path).since)
    assert seen == [times[0], times[0], times[2], times[2]]
    # In one batch, in any order, the results are taken in time order.
    batch = [result("api", at, measured, None) for at, measured in zip(times, runs, strict=True)]
    record(tmp_path, "us", batch[::-1])
    assert latest_of(tmp_path, location="us").since == times[2]
    assert latest_of(tmp_path, location="us").at == times[3]
    # Another location's run is its own: the run at eu goes on, whatever us measured.
    record(tmp_path, "us", [result("api", times[3] + timedelta(minutes=5), Measured.UP, 1)])
    record(tmp_path, "eu", [result("api", times[3] + timedelta(minutes=5), Measured.DOWN, 1)])
    assert latest_of(tmp_path, location="us").since == times[3] + timedelta(minutes=5)
    assert latest_of(tmp_path).since == times[2]


def test_a_late_result_leaves_the_newest_run_as_it_was(tmp_path: Path) -> None:
    record(tmp_path, "eu", [result("api", AT - timedelta(minutes=10), Measured.UP, 1)])
    record(tmp_path, "eu", [result("api", AT, Measured.UP, 1)])
    record(tmp_path, "eu", [result("api", AT - timedelta(minutes=5), Measured.DOWN, 1)])
    latest = latest_of(tmp_path)
    assert (latest.at, latest.since) == (AT, AT - timedelta(minutes=10))


def test_since_carries_over_a_month_boundary(tmp_path: Path) -> None:
    end_of_november = datetime(2026, 11, 30, 23, 55, tzinfo=UTC)
    record(tmp_path, "eu", [result("api", end_of_november, Measured.DEGRADED, 900)])
    assert latest_of(tmp_path).since == end_of_november  # nothing before it
    december = end_of_november + timedelta(minutes=5)
    record(tmp_path, "eu", [result("api", december, Measured.DEGRADED, 900)])
    assert (
        (tmp_path / "uptime/api/2026-12.eu.csv")
        .read_text()
        .splitlines()[1]
        .endswith(",2026-12-01T00:00:00Z,degraded,900,degraded check,,2026-11-30T23:55:00Z")
    )
    # A new year too, and in one batch across the boundary.
    new_year = datetime(2026, 12, 31, 23, 59, tzinfo=UTC)
    record(tmp_path, "eu", [result("db", new_year + timedelta(minutes=1), Measured.UP, 1)])
    record(tmp_path, "eu", [result("db", new_year, Measured.DOWN, None)])  # late: its own run
    record(tmp_path, "eu", [result("db", new_year + timedelta(minutes=2), Measured.UP, 1)])
    assert latest_of(tmp_path, "db").since == new_year + timedelta(minutes=1)
    batch = [result("web", new_year + timedelta(minutes=n), Measured.DOWN, None) for n in (0, 1)]
    record(tmp_path, "eu", batch)
    assert latest_of(tmp_path, "web").since == new_year
    assert [day.latest.since for day in read_all(tmp_path)["web"].days if day.latest] == [
        new_year,
        new_year,
    ]


def test_a_broken_file_is_left_alone_and_reported(tmp_path: Path) -> None:
    path = tmp_path / "uptime/api/2026-11.eu.csv"
    path.parent.mkdir(parents=True)
    path.write_text("day\n")
    with pytest.raises(ValidationFailed) as failed:
        record(tmp_path, "eu", [result("api", AT, Measured.UP, 1)])
    assert str(failed.value) == (
        f"uptime/api/2026-11.eu.csv:1:1: the first line must be the header {history.HEADER_LINE}"
    )
    assert path.read_text() == "day\n"


def test_a_held_lock_is_waited_for_then_refused(tmp_path: Path) -> None:
    (tmp_path / "uptime").mkdir()
    with (tmp_path / "uptime/.lock").open("w") as holder:
        fcntl.flock(holder, fcntl.LOCK_EX)
        with pytest.raises(HistoryLocked) as locked:
            record(tmp_path, "eu", [result("api", AT, Measured.UP, 1)], wait_s=0.05)
    assert str(locked.value) == (
        "uptime/.lock is held by another probe run, for more than 0.05 s; "
        "wait for it to end, or end it, and run again"
    )
    assert not (tmp_path / "uptime/api").exists()


def test_a_bad_location_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="location 'EU West' must be lowercase"):
        record(tmp_path, "EU West", [result("api", AT, Measured.UP, 1)])


LOOP = """
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from statuspage.model.probes import CheckResult, Measured
from statuspage.probes.record import record
root, batches, size = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
at = datetime(2026, 11, 3, 12, tzinfo=UTC)
for n in range(batches):
    batch = [
        CheckResult(probe, at + timedelta(seconds=n), Measured.UP, 12.3, "ok")
        for probe in ("api", "db")
        for _ in range(size)
    ]
    record(root, "eu", batch)
    print(n, flush=True)
"""


def run_loop(root: Path, batches: int, size: int) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    command = [sys.executable, "-c", LOOP, str(root), str(batches), str(size)]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True)


def test_two_runs_at_once_lose_no_count(tmp_path: Path) -> None:
    runs = [run_loop(tmp_path, 50, 4) for _ in range(2)]  # 200 results a probe each
    for run in runs:
        run.communicate(timeout=120)
        assert run.returncode == 0
    counted = read_all(tmp_path)
    assert [counted[p].days[0].checks for p in ("api", "db")] == [400, 400]
    assert counted["api"].days[0].response_ms_sum == pytest.approx(400 * 12.3)


def test_a_killed_run_leaves_every_file_parseable(tmp_path: Path) -> None:
    size = 7
    for _ in range(3):
        run = run_loop(tmp_path, 10_000, size)
        assert run.stdout is not None
        run.stdout.readline()  # at least one batch is in
        time.sleep(random.uniform(0, 0.05))
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        counted = read_all(tmp_path)  # parseable, or it fails here
        for probe in ("api", "db"):
            assert counted[probe].days[0].checks % size == 0  # whole batches, file by file
    record(tmp_path, "eu", [result("api", AT, Measured.UP, 1)])
    assert not list((tmp_path / "uptime/api").glob(".*.tmp"))  # what a kill left is cleaned up

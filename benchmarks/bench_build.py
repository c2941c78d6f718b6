"""Measure `statuspage build` on a synthetic site; print one `name value` figure a line.

    python benchmarks/bench_build.py --incidents 10000 [--repeat 3] [--probes 100 --months 24]

Each build runs as its own process, as a user runs it, so start-up and imports count and
peak memory is the process's own (its workers are processes of their own, and their peak
is printed apart). Every time is the best of --repeat runs: this machine is a shared VM
whose speed varies from run to run, and the best run is the one least disturbed. The
package is byte-compiled first, as an installed package is.

- cold_seconds, cold_peak_rss_mb, cold_largest_process_rss_mb: a first build, no cache, no
  previous output;
- unchanged_seconds: the same build again with nothing changed;
- first_edit_seconds: the first build after editing one incident's message: it also makes
  the spare copy of the site that later builds update (a link for every file);
- one_edit_seconds: later builds after editing one message (what a writer waits for);
- with --probes: probes, history_files, history_rows (the site has that many http probes,
  each with --months of history at one location, a check every five minutes);
  probe_run_seconds, a build after a probe run added one check to each probe's history
  (what a site that probes every few minutes waits for); and history_read_cold_seconds,
  history_read_first_seconds and history_read_warm_seconds, the reading of the history in
  this process as a build reads it: without a cache, filling an empty one, and with the
  cache the builds left;
- incremental_identical: whether the incremental output equals a cold build of that input;
- files, output_mb, index_kb, index_gzip_kb, largest_page_kb, largest_page (of the HTML
  pages), social_manifest_kb (the social drafts of the last 30 days);
- disk_wait_seconds: how long the cold builds waited for file creation to be quick again
  (see wait_for_quick_file_creation).
"""

from __future__ import annotations

import argparse
import compileall
import filecmp
import gzip
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from sitegen import LOCATION, NOW, probe_id, write_site

PACKAGE = Path(__file__).resolve().parent.parent / "statuspage"
sys.path.insert(0, str(PACKAGE.parent))


def run_build(root: Path, out: Path, extra: tuple[str, ...] = ()) -> tuple[float, float]:
    """Build once in a child process; return wall seconds and the child's peak RSS in MB."""
    command = [sys.executable, "-m", "statuspage", "build", "--root", str(root), "--out", str(out)]
    command += ["--now", NOW.isoformat(), *extra]
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        if child.returncode != 0:
            errors.seek(0)
            raise SystemExit(f"build failed:\n{errors.read().decode()}")
    return elapsed, usage.ru_maxrss / 1024  # KiB on Linux


def settle(quiet_seconds: float = 2.0, limit: float = 180.0) -> None:
    """Let the disk finish what earlier runs left (deletions, discards, write-back).

    Waits until the kernel reports no task stalled on I/O over the last ten seconds and no
    block device has done anything for `quiet_seconds` (Linux), else just sleeps: deleting a
    large output tree keeps this VM's disk busy for tens of seconds, and a build timed
    meanwhile runs up to twice as slow.
    """
    os.sync()
    deadline = time.monotonic() + limit
    quiet_since = time.monotonic()
    last = _disk_activity()
    while time.monotonic() < deadline:
        time.sleep(0.2)
        now = _disk_activity()
        if now != last:
            quiet_since, last = time.monotonic(), now
        elif time.monotonic() - quiet_since >= quiet_seconds and _io_pressure() <= 0.5:
            return


PROBE_FILES = 200
QUICK_CREATE_SECONDS = 50e-6  # a file; this VM makes one in 10 to 20 us when undisturbed


def wait_for_quick_file_creation(folder: Path, limit: float = 330.0) -> float:
    """Wait until creating a file is quick again, probing with empty files kept in `folder`.

    On an ext4 file system without a journal, as on this VM, the kernel looks at every inode
    deleted in the last one to five minutes, one by one, before it reuses any: after a large
    deletion (an earlier run's scratch folder) creating a file costs ten times as much, for
    minutes. A user's first build follows no such purge, so a timed build waits it out. The
    probes are not deleted (that would start it again); they go with the scratch folder.
    Returns the seconds waited.
    """
    began = time.monotonic()
    deadline = began + limit
    while True:
        probe = folder / f"probe-{time.monotonic_ns()}"
        probe.mkdir(parents=True)
        started = time.perf_counter()
        for number in range(PROBE_FILES):
            os.close(os.open(probe / str(number), os.O_WRONLY | os.O_CREAT | os.O_EXCL))
        each = (time.perf_counter() - started) / PROBE_FILES
        if each <= QUICK_CREATE_SECONDS or time.monotonic() > deadline:
            return time.monotonic() - began
        time.sleep(10)


def _io_pressure() -> float:
    """The share of the last ten seconds some task waited on I/O, in percent (0 if unknown)."""
    try:
        line = Path("/proc/pressure/io").read_text().splitlines()[0]
    except (OSError, IndexError):
        return 0.0
    return float(line.split("avg10=")[1].split()[0])


def _disk_activity() -> tuple[str, ...]:
    """The I/O counters of every block device (empty where /sys/block is missing)."""
    devices = Path("/sys/block")
    if not devices.is_dir():
        return ()
    return tuple(
        (d / "stat").read_text() for d in sorted(devices.iterdir()) if (d / "stat").exists()
    )


def same_tree(a: Path, b: Path) -> bool:
    """True when both folders hold the same files with the same bytes."""
    files_a = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    files_b = sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file())
    if files_a != files_b:
        return False
    return all(filecmp.cmp(a / f, b / f, shallow=False) for f in files_a)


def edit_one_incident(root: Path, times: int) -> None:
    """Change the message of an incident from the middle of the history."""
    files = sorted((root / "incidents").rglob("*.yaml"))
    target = files[len(files) // 2]
    text = target.read_text(encoding="utf-8")
    edit = f"    message: |\n      Edited for the benchmark ({times}).\n"
    target.write_text(text.replace("    message: |\n", edit, 1), encoding="utf-8")


def run_probes(root: Path, probes: int, times: int) -> None:
    """Add one check of every probe to its history, as `statuspage probe` does each run."""
    from statuspage.model.probes import CheckResult, Measured
    from statuspage.probes.record import record

    at = NOW - timedelta(minutes=4) + timedelta(seconds=times)
    results = [CheckResult(probe_id(n), at, Measured.UP, 42.0, "HTTP 200") for n in range(probes)]
    record(root, LOCATION, results)


def time_history_reads(root: Path, scratch: Path, repeat: int) -> dict[str, str]:
    """The seconds reading the site's history takes in this process, as a build reads it."""
    from statuspage.cli import _collect_less
    from statuspage.engine.build import load_inputs
    from statuspage.engine.cache import CACHE_DIR, BuildCache
    from statuspage.sources.inputs import scan

    _collect_less()  # as the command does for a build
    sources = scan(root)

    def best(read: Callable[[], object]) -> str:
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            read()
            times.append(time.perf_counter() - started)
        return f"{min(times):.3f}"

    def first() -> str:
        times = []
        for number in range(repeat):
            empty = BuildCache(scratch / f"empty-cache-{number}")
            try:
                started = time.perf_counter()
                load_inputs(sources, empty, time.time_ns())
                times.append(time.perf_counter() - started)
            finally:
                empty.close()
        return f"{min(times):.3f}"

    cache = BuildCache(root / CACHE_DIR)
    try:
        return {
            "history_read_cold_seconds": best(lambda: load_inputs(sources, None, 0)),
            "history_read_first_seconds": first(),
            "history_read_warm_seconds": best(lambda: load_inputs(sources, cache, time.time_ns())),
        }
    finally:
        cache.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--incidents", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the best of")
    parser.add_argument("--probes", type=int, default=0, help="http probes with a history")
    parser.add_argument("--months", type=int, default=24, help="months of each probe's history")
    parser.add_argument("--keep", type=Path, help="build here and keep the site afterwards")
    parser.add_argument(
        "--wait",
        type=float,
        default=330.0,
        help="most seconds to wait for a quiet disk and quick file creation before timed builds "
        "(0: no waiting at all, for a smoke test)",
    )
    args = parser.parse_args()

    def wait_for_the_disk() -> None:
        if args.wait > 0:
            settle(limit=min(180.0, args.wait))

    compileall.compile_dir(PACKAGE, quiet=1)
    scratch = args.keep or Path(tempfile.mkdtemp(prefix="statuspage-bench-"))
    root = scratch / "site"
    out = root / "public"
    try:
        shutil.rmtree(root, ignore_errors=True)
        write_site(root, args.incidents, probes=args.probes, months=args.months)
        figures: dict[str, object] = {"incidents": args.incidents}
        if args.probes:
            histories = sorted((root / "uptime").rglob("*.csv"))
            figures["probes"] = args.probes
            figures["history_files"] = len(histories)
            figures["history_rows"] = sum(len(p.read_bytes().splitlines()) - 1 for p in histories)

        cold: list[tuple[float, float]] = []
        waited = 0.0
        trash = scratch / "trash"
        for run in range(args.repeat):
            # Moved aside, deleted at the end: deleting tens of thousands of files keeps this
            # VM's kernel busy (discards, journal) long after, and slows the next build's
            # file creation several times over; a user's first build follows no such purge.
            trash.mkdir(exist_ok=True)
            for leftover in (out, root / ".statuspage-cache"):
                if leftover.exists():
                    leftover.rename(trash / f"{leftover.name}-{run}")
            wait_for_the_disk()
            if args.wait > 0:
                waited += wait_for_quick_file_creation(trash / "probes", args.wait)
            cold.append(run_build(root, out))
        figures["cold_seconds"] = f"{min(s for s, _ in cold):.3f}"
        figures["disk_wait_seconds"] = f"{waited:.0f}"
        figures["cold_peak_rss_mb"] = f"{max(r for _, r in cold):.1f}"
        workers = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        figures["cold_largest_process_rss_mb"] = f"{workers:.1f}"

        pages = [p for p in out.rglob("*") if p.is_file()]
        largest = max((p for p in pages if p.suffix == ".html"), key=lambda p: p.stat().st_size)
        manifest = out / "social" / "manifest.json"
        index = (out / "index.html").read_bytes()
        figures["files"] = len(pages)
        figures["output_mb"] = f"{sum(p.stat().st_size for p in pages) / 1e6:.1f}"
        figures["index_kb"] = f"{len(index) / 1024:.1f}"
        figures["index_gzip_kb"] = f"{len(gzip.compress(index, 9)) / 1024:.1f}"
        figures["largest_page_kb"] = f"{largest.stat().st_size / 1024:.1f}"
        figures["largest_page"] = largest.relative_to(out).as_posix()
        if manifest.exists():
            figures["social_manifest_kb"] = f"{manifest.stat().st_size / 1024:.1f}"

        wait_for_the_disk()
        unchanged = [run_build(root, out)[0] for _ in range(args.repeat)]
        figures["unchanged_seconds"] = f"{min(unchanged):.3f}"
        edit_one_incident(root, 0)
        figures["first_edit_seconds"] = f"{run_build(root, out)[0]:.3f}"
        wait_for_the_disk()
        edits = []
        for times in range(1, args.repeat + 1):
            edit_one_incident(root, times)
            edits.append(run_build(root, out)[0])
        figures["one_edit_seconds"] = f"{min(edits):.3f}"
        if args.probes:
            wait_for_the_disk()
            runs = []
            for times in range(args.repeat):
                run_probes(root, args.probes, times)
                runs.append(run_build(root, out)[0])
            figures["probe_run_seconds"] = f"{min(runs):.3f}"
            figures.update(time_history_reads(root, scratch, args.repeat))

        fresh = scratch / "cold-check"
        shutil.rmtree(fresh, ignore_errors=True)
        run_build(root, fresh, ("--no-cache",))
        figures["incremental_identical"] = str(same_tree(out, fresh)).lower()
        shutil.rmtree(fresh, ignore_errors=True)

        for name, value in figures.items():
            print(name, value, flush=True)
    finally:
        if args.keep is None:
            shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()

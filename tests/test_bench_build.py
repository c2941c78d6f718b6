"""The build benchmark runs end to end (a smoke test: its figures go to RESULTS.md, not here)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_the_benchmark_runs_and_incremental_output_equals_cold_output() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/bench_build.py",
            "--incidents",
            "500",
            "--repeat",
            "1",
            "--wait",
            "0",
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert list(figures) == [
        "incidents",
        "cold_seconds",
        "disk_wait_seconds",
        "cold_peak_rss_mb",
        "cold_largest_process_rss_mb",
        "files",
        "output_mb",
        "index_kb",
        "index_gzip_kb",
        "largest_page_kb",
        "largest_page",
        "social_manifest_kb",
        "unchanged_seconds",
        "first_edit_seconds",
        "one_edit_seconds",
        "incremental_identical",
    ]
    assert figures["incidents"] == "500"
    assert figures["incremental_identical"] == "true"
    assert int(figures["files"]) > 500
    for name in ("cold_seconds", "unchanged_seconds", "one_edit_seconds", "cold_peak_rss_mb"):
        assert float(figures[name]) > 0


def test_the_benchmark_times_a_site_with_probes_and_their_history() -> None:
    result = subprocess.run(
        [
            sys.executable,
            "benchmarks/bench_build.py",
            *("--incidents", "20", "--probes", "3", "--months", "2"),
            *("--repeat", "1", "--wait", "0"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert list(figures)[:4] == ["incidents", "probes", "history_files", "history_rows"]
    assert list(figures)[-5:] == [
        "probe_run_seconds",
        "history_read_cold_seconds",
        "history_read_first_seconds",
        "history_read_warm_seconds",
        "incremental_identical",
    ]
    # October and November 2026 up to the 23rd, NOW: 54 days of 3 probes, in 6 files.
    assert (figures["probes"], figures["history_files"], figures["history_rows"]) == (
        "3",
        "6",
        "162",
    )
    assert figures["incremental_identical"] == "true"
    for name in ("probe_run_seconds", "history_read_cold_seconds", "history_read_warm_seconds"):
        assert float(figures[name]) > 0

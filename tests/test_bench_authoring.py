"""The authoring benchmark runs end to end (a smoke test: its figures go to RESULTS.md)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import REPO


def test_the_authoring_benchmark_runs_an_incident_to_its_postmortem() -> None:
    result = subprocess.run(
        [sys.executable, "benchmarks/bench_authoring.py", "--repeat", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    figures = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert list(figures) == [
        f"{step}_{figure}"
        for step in ("new", "update", "resolve", "postmortem")
        for figure in ("seconds", "build_seconds", "to_built_seconds")
    ]
    assert all(float(value) > 0 for value in figures.values())

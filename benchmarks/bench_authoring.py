"""Time an incident's life on the example site, command by command, as a user runs them.

    python benchmarks/bench_authoring.py [--repeat 3]

Copies the repository's example site (statuspage.yaml and incidents/) to a scratch folder,
builds it once, then times, each as a process of its own (start-up and imports count), the
commands of one incident from first post to postmortem, each followed by a build:
new_seconds, new_build_seconds and new_to_built_seconds (the two: the first post on the
page), then update_*, resolve_* and postmortem_*. Every time is the best of --repeat runs of
the whole sequence, on a fresh copy each.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
NOW = "2026-11-23T12:00:00+01:00"

STEPS = [
    ("new", ["new", "Checkout payments fail", "--impact", "major", "--component", "api",
             "--at", "11:40", "--message", "Some payments fail at checkout. We are on it."]),
    ("update", ["update", "2026-11-23-checkout-payments-fail", "--status", "identified",
                "--message", "A bad deploy of the payment service; rolling back.",
                "--component", "api=partial_outage", "--at", "11:50"]),
    ("resolve", ["resolve", "2026-11-23-checkout-payments-fail", "--at", "11:58"]),
    ("postmortem", ["postmortem", "2026-11-23-checkout-payments-fail"]),
]  # fmt: skip


def timed(command: list[str], cwd: Path) -> float:
    """Run `statuspage COMMAND` in `cwd`; its wall seconds."""
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "statuspage", *command, "--now", NOW],
        cwd=cwd,
        check=True,
        capture_output=True,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin"},
    )
    return time.perf_counter() - started


def run_once(scratch: Path) -> dict[str, float]:
    site = scratch / "site"
    shutil.rmtree(site, ignore_errors=True)
    site.mkdir()
    shutil.copy(REPO / "statuspage.yaml", site)
    shutil.copytree(REPO / "incidents", site / "incidents")
    timed(["build", "--root", str(site)], REPO)  # the site as it was: built and cached
    figures: dict[str, float] = {}
    for name, command in STEPS:
        figures[f"{name}_seconds"] = timed([*command, "--root", str(site)], REPO)
        figures[f"{name}_build_seconds"] = timed(["build", "--root", str(site)], REPO)
        figures[f"{name}_to_built_seconds"] = (
            figures[f"{name}_seconds"] + figures[f"{name}_build_seconds"]
        )
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the best of")
    args = parser.parse_args()
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(REPO / "statuspage")], check=True)
    with tempfile.TemporaryDirectory(prefix="statuspage-bench-") as folder:
        runs = [run_once(Path(folder)) for _ in range(args.repeat)]
    for name in runs[0]:
        print(name, f"{min(run[name] for run in runs):.3f}")


if __name__ == "__main__":
    main()

"""Kill `statuspage build` at random moments, hundreds of times; print what came of it.

    python tests/stress/kill_builds.py [--kills 300] [--every 1] [--seed 1] [-- OPTION...]

The rounds of tests/test_crash.py, by the hundred: each builds the next state of a site over
the live one and SIGKILLs the build at a random moment of a build's duration, then checks
that the output folder holds the old site or the new one exactly, that no process of the
build is left and its pipes are closed; after every `--every` kills, the next build and a
check run to their end within a bound. Build options after `--` replace `--jobs 2` (add
`--no-cache`, say). Exits 1 if anything went wrong. Not collected by pytest: its name does
not start with test_.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.test_crash import CrashSite, Tally, kill_builds


def _progress(tally: Tally) -> None:
    if tally.kills % 25 == 0:
        print(f"  {tally.kills} kills, {len(tally.problems)} problems", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=300, help="builds to kill")
    parser.add_argument("--every", type=int, default=1, help="build to the end after every N")
    parser.add_argument("--seed", type=int, default=1, help="of the random delays")
    parser.add_argument("options", nargs="*", default=["--jobs", "2"], help="build options")
    arguments = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="statuspage-kills-") as scratch:
        site = CrashSite(Path(scratch) / "site", tuple(arguments.options))
        # Each kill comes at a random moment of a build's time, the median of those so far.
        print(f"A build takes {site.seconds:.2f} s here.", flush=True)
        rng = random.Random(arguments.seed)
        tally = kill_builds(site, rng, arguments.kills, arguments.every, _progress)
    seconds = tally.next_build_seconds
    print(f"Kills: {tally.kills} in {time.monotonic() - started:.0f} s.")
    for outcome, count in sorted(tally.outcomes.items()):
        print(f"  {outcome}: {count}")
    if seconds:
        print(
            f"Next builds: {len(seconds)}, {statistics.median(seconds):.2f} s median, "
            f"{max(seconds):.2f} s at most."
        )
    # Staging folders of killed builds, which the next build removes (a problem if it does not).
    print(f"Left beside the output by kills: {len(tally.leftovers)} folders.")
    print(f"Problems: {len(tally.problems)}.")
    for problem in tally.problems:
        print(f"  {problem}")
    return 1 if tally.problems else 0


if __name__ == "__main__":
    sys.exit(main())

"""Killed builds: a SIGKILL at any moment leaves the old site or the new, no process, no hang.

Each build runs as a user runs it, `python -m statuspage build`, in a session of its own, so
that every process it forked can be found afterwards. The site is large enough that
`--jobs 2` forks a worker both to parse and to render. tests/stress/kill_builds.py runs the
same rounds by the hundred.
"""

from __future__ import annotations

import os
import random
import signal
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from statuspage.engine import parallel
from statuspage.engine.cache import CACHE_DIR
from tests.conftest import CONFIG, REPO, RESOLVED, snapshot

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers fork: Linux only")

NOW = "2026-11-23T12:00:00Z"
INCIDENTS = 2 * parallel.MIN_ITEMS_PER_WORKER + 20  # `--jobs 2` forks to parse and to render
STATES = "ABC"  # built in turn: the spare (the site before the live one) is never the next
SHIFT = 10  # each state drops the last one's first SHIFT incidents, adds as many, words all anew
TIMEOUT = 30.0  # seconds a build or check may take before the test calls it hung
SETTLE = 2.0  # seconds a killed build's workers may take to be gone


def _environment() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(REPO)}


def _session(session: int) -> list[int]:
    """The processes of `session` still running (a zombie, ended, awaits only its reaping)."""
    alive = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue  # ended meanwhile
        if int(fields[3]) == session and fields[0] != "Z":
            alive.append(int(entry.name))
    return alive


class CrashSite:
    """A site whose incident files switch between the STATES, each with its output.

    `outputs` holds what a normal build of each state writes; `took` how long each build
    run to its end took. `state` is the state of the input files, `live` the one the output
    folder holds.
    """

    def __init__(self, root: Path, options: tuple[str, ...] = ("--jobs", "2")) -> None:
        self.root = root
        self.out = root / "public"
        self.options = options
        self.state = self.live = ""
        self.outputs: dict[str, dict[str, bytes]] = {}
        self.took: list[float] = []
        root.mkdir(parents=True, exist_ok=True)
        (root / "statuspage.yaml").write_text(CONFIG)
        for state in STATES:
            self.switch(state)
            self.run("build").check_returncode()
            self.outputs[state] = snapshot(self.out)
            self.live = state
        del self.took[0]  # it made everything from nothing

    @property
    def seconds(self) -> float:
        """How long a build takes on this machine now: the median of those run to the end."""
        return statistics.median(self.took)

    def switch(self, state: str) -> None:
        """Write the incident files of `state`, removing the last state's."""
        folder = self.root / "incidents"
        folder.mkdir(exist_ok=True)
        first = SHIFT * STATES.index(state)
        for old in folder.iterdir():
            old.unlink()  # then a new file: ext4 flushes a file truncated and written again
        for n in range(first, first + INCIDENTS):
            text = RESOLVED.replace("Fixed.", f"Fixed {state}{n}.")
            (folder / f"i{n:04d}.yaml").write_text(text)
        self.state = state

    def next_state(self) -> str:
        """The state after the current one."""
        return STATES[(STATES.index(self.state) + 1) % len(STATES)]

    def command(self, name: str) -> list[str]:
        """The command line of `statuspage <name>` for this site."""
        line = [sys.executable, "-m", "statuspage", name, "--root", str(self.root)]
        return [*line, "--now", NOW, *self.options] if name == "build" else line

    def start_build(self) -> subprocess.Popen[str]:
        """A build of this site started in a session of its own, its output piped."""
        return subprocess.Popen(
            self.command("build"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            env=_environment(),
        )

    def leftovers(self) -> list[str]:
        """What is in the site's folder besides its inputs, its output and its cache."""
        made = {"statuspage.yaml", "incidents", self.out.name, CACHE_DIR}
        return sorted(entry.name for entry in self.root.iterdir() if entry.name not in made)

    def run(self, name: str) -> subprocess.CompletedProcess[str]:
        """Run `statuspage <name>` to its end; fails the caller beyond TIMEOUT seconds."""
        started = time.monotonic()
        done = subprocess.run(
            self.command(name), capture_output=True, text=True, timeout=TIMEOUT, env=_environment()
        )
        if name == "build":
            self.took.append(time.monotonic() - started)
        return done

    def which(self) -> str:
        """The state whose output the output folder holds exactly, or "" for none."""
        built = snapshot(self.out)
        return next((state for state, files in self.outputs.items() if files == built), "")


@dataclass
class Tally:
    """What a series of killed builds came to."""

    kills: int = 0
    outcomes: Counter[str] = field(default_factory=Counter)  # old site, new site, finished
    next_build_seconds: list[float] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    leftovers: set[str] = field(default_factory=set)  # beside the output, right after a kill


def kill_build(site: CrashSite, delay: float, tally: Tally) -> None:
    """Build the next state over the live one, SIGKILL the build after `delay` seconds,
    then check the output folder, the processes left and the pipes; problems go to `tally`."""
    before = site.live
    site.switch(site.next_state())
    build = site.start_build()
    time.sleep(delay)
    finished = build.poll() is not None
    build.send_signal(signal.SIGKILL)
    tally.kills += 1
    where = f"kill {tally.kills} of a build of {site.state} over {before}, after {delay:.3f} s"
    try:
        build.communicate(timeout=SETTLE)  # EOF: nothing of the build holds its pipes open
    except subprocess.TimeoutExpired:
        tally.problems.append(f"{where}: its output pipes stayed open")
    deadline = time.monotonic() + SETTLE
    while (left := _session(build.pid)) and time.monotonic() < deadline:
        time.sleep(0.01)
    if left:
        tally.problems.append(f"{where}: processes {left} outlived it")
        for pid in left:
            os.kill(pid, signal.SIGKILL)
    site.live = site.which()
    if site.live not in (before, site.state):
        shown = f"site {site.live}" if site.live else "no whole site"
        tally.problems.append(f"{where}: the output folder holds {shown}")
    outcome = "finished" if finished else "new site" if site.live == site.state else "old site"
    tally.outcomes[outcome] += 1
    tally.leftovers.update(site.leftovers())


def build_again(site: CrashSite, tally: Tally) -> None:
    """Build and check the current state to their end, as the next user would."""
    try:
        built = site.run("build")
    except subprocess.TimeoutExpired:
        tally.problems.append(f"after kill {tally.kills}: the next build hung")
        return
    tally.next_build_seconds.append(site.took[-1])
    if built.returncode != 0:
        tally.problems.append(f"after kill {tally.kills}: the next build failed: {built.stderr}")
    site.live = site.which()
    if built.returncode == 0 and site.live != site.state:
        tally.problems.append(f"after kill {tally.kills}: the next build's output is wrong")
    left = site.leftovers()
    if built.returncode == 0 and left:  # staging folders of killed builds are removed
        tally.problems.append(f"after kill {tally.kills}: the next build left {', '.join(left)}")
    try:
        checked = site.run("check")
    except subprocess.TimeoutExpired:
        tally.problems.append(f"after kill {tally.kills}: the next check hung")
        return
    if checked.returncode != 0:
        tally.problems.append(f"after kill {tally.kills}: the next check failed: {checked.stderr}")


def kill_builds(
    site: CrashSite,
    rng: random.Random,
    kills: int,
    every: int,
    progress: Callable[[Tally], None] | None = None,
) -> Tally:
    """`kills` builds killed at random moments of a build; after each `every`-th, build again
    (and show `progress`)."""
    tally = Tally()
    for number in range(1, kills + 1):
        kill_build(site, rng.uniform(0, site.seconds), tally)
        if number % every == 0 or number == kills:
            build_again(site, tally)
            if progress is not None:
                progress(tally)
    return tally


@pytest.fixture(scope="module")
def crash_site(tmp_path_factory: pytest.TempPathFactory) -> CrashSite:
    return CrashSite(tmp_path_factory.mktemp("crash") / "site")


def test_a_build_killed_at_any_moment_leaves_a_whole_site_and_nothing_behind(
    crash_site: CrashSite,
) -> None:
    # Twelve moments of a build, drawn at random (tests/stress/kill_builds.py kills hundreds).
    tally = kill_builds(crash_site, random.Random(12), kills=12, every=4)
    assert tally.problems == []
    assert tally.kills == 12
    assert max(tally.next_build_seconds) < TIMEOUT


def test_killed_builds_without_cache_leave_no_staging_folder_to_the_next(
    crash_site: CrashSite,
) -> None:
    options = crash_site.options
    crash_site.options = (*options, "--no-cache")  # each writes a staging folder beside --out
    try:
        tally = kill_builds(crash_site, random.Random(7), kills=6, every=3)
    finally:
        crash_site.options = options
    assert tally.problems == []


def test_a_worker_killed_mid_build_fails_the_build_with_what_happened(
    crash_site: CrashSite,
) -> None:
    before = crash_site.live
    crash_site.switch(crash_site.next_state())
    build = crash_site.start_build()
    try:
        deadline = time.monotonic() + TIMEOUT
        while not (workers := set(_session(build.pid)) - {build.pid}):
            assert build.poll() is None and time.monotonic() < deadline, "no worker was forked"
            time.sleep(0.001)
        os.kill(workers.pop(), signal.SIGKILL)  # as the out-of-memory killer does
        out, err = build.communicate(timeout=TIMEOUT)
    finally:
        build.kill()
        build.wait()
    assert (build.returncode, out, err) == (
        1,
        "",
        "error: a worker process died (signal 9); build again, "
        "or with fewer --jobs if memory ran short\n",
    )
    assert _session(build.pid) == []
    assert crash_site.which() == before

"""Workers: parsing and rendering spread over forked processes, in order, errors surfaced."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import ClassVar

import pytest

from statuspage.engine import parallel
from statuspage.engine.cache import BuildCache
from statuspage.engine.parallel import Workers, WorkerState, _Birth, worker_count
from statuspage.engine.publish import TreeWriter
from statuspage.errors import StatuspageError, ThemeError
from statuspage.render.jobs import Job
from statuspage.sources.inputs import scan
from statuspage.sources.loader import load_config, load_inputs
from tests.conftest import REPO, RESOLVED, MakeSite

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="workers fork: Linux only")


class FakeRenderer:
    """Renders a job as its path and the worker process that rendered it; may fail on 'b'.

    With `slow_away`, a forked worker takes that many seconds a job. With failure "kill",
    the worker rendering 'b' is killed as the out-of-memory killer would; with "interrupt",
    it gets a SIGINT.
    """

    costs: ClassVar[dict[str, float]] = {}  # every kind costs the same

    def __init__(self, failure: str | None = None, slow_away: float = 0.0) -> None:
        self.failure = failure
        self.slow_away = slow_away
        self.home = os.getpid()

    def render(self, job: Job) -> bytes:
        if self.slow_away and os.getpid() != self.home:
            time.sleep(self.slow_away)
        if job.path == "b" and self.failure == "theme":
            raise ThemeError("site-template/x.html:1: broken")
        if job.path == "b" and self.failure == "crash":
            raise ZeroDivisionError("boom")
        if job.path == "b" and self.failure == "kill":
            os.kill(os.getpid(), signal.SIGKILL)
        if job.path == "b" and self.failure == "interrupt":
            os.kill(os.getpid(), signal.SIGINT)  # as Ctrl+C at a terminal reaches every process
        return f"{job.path} by {os.getpid()}".encode()


def state_for(make_site: MakeSite, count: int, failure: str | None = None) -> WorkerState:
    site = make_site(
        incidents={f"i{n:02d}": RESOLVED.replace("Fixed.", f"Fixed {n}.") for n in range(count)}
    )
    sources = scan(site.root)
    config = load_config(sources)
    return WorkerState(
        config=config.config,
        known=config.known,
        files={e.stem: e for e in sources.incidents},
        make_renderer=lambda _site: FakeRenderer(failure),  # type: ignore[arg-type,return-value]
    )


def test_parsing_in_three_processes_keeps_the_order(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_PARSE_CHUNK", 1)
    state = state_for(make_site, 10)
    entries = list(state.files.values())
    workers = Workers(state, 3)
    done: list[str] = []
    try:
        results = workers.parse(entries, meanwhile=lambda: done.append("meanwhile"))
    finally:
        workers.close()
    assert done == ["meanwhile"]
    assert [r.stamp for r in results] == [e.stamp for e in entries]
    assert [r.summary[0] if r.summary else None for r in results] == [
        f"i{n:02d}" for n in range(10)
    ]
    assert sorted(workers.owner) == [f"i{n:02d}" for n in range(10)]
    # Each forked worker was sent two files before this process took any.
    assert {1, 2} <= set(workers.owner.values())
    held_here = sorted(i for i, worker in workers.owner.items() if worker == 0)
    assert sorted(state.details) == held_here


def test_rendering_goes_where_the_incident_was_parsed(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statuspage.sources.loader import assemble

    monkeypatch.setattr(parallel, "MIN_PARSE_CHUNK", 1)  # both processes parse some
    state = state_for(make_site, 6)
    entries = list(state.files.values())
    workers = Workers(state, 2)
    try:
        parsed = workers.parse(entries)
        sources = scan(next(iter(state.files.values())).path and Path(entries[0].path).parents[1])
        summaries = [
            state.details.get(r.summary[0])
            or __import__("statuspage.model").model.IncidentSummary.from_record(r.summary)
            for r in parsed
            if r.summary
        ]
        config, inputs = load_config(sources), load_inputs(sources)
        site = assemble(sources, config, inputs, summaries, [], state.details)
        jobs = [
            Job(f"incidents/{i}/index.html", "incident", (i,), (i,), "k")
            for i in sorted(state.files)
        ]
        writer = TreeWriter(str(tmp_path / "out"), True)
        (tmp_path / "out").mkdir()
        written = workers.render(site, jobs, writer)
    finally:
        workers.close()
    texts = {p.parent.name: p.read_text() for p in (tmp_path / "out").rglob("index.html")}
    assert written == sum(len(t) for t in texts.values())
    rendered_here = {i for i, text in texts.items() if text.endswith(f" by {os.getpid()}")}
    assert rendered_here == {i for i, worker in workers.owner.items() if worker == 0}
    assert len({text.split(" by ")[1] for text in texts.values()}) == 2


def test_a_fast_worker_takes_the_last_chunks_of_a_slow_one(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statuspage.model import Site

    monkeypatch.setattr(parallel, "MIN_CHUNK", 4)
    state = state_for(make_site, 1)
    assert state.config is not None
    site = Site(state.config, (), {})
    # Made here, so slow in the forked worker only; slow enough that this process, even on a
    # loaded machine, is through all the rest before the worker is through its first chunks.
    state.site, state.renderer = site, FakeRenderer(slow_away=0.1)  # type: ignore[assignment]
    workers = Workers(state, 2)
    jobs = [Job(f"page{n:03d}", "x", (), (), "k") for n in range(128)]
    (tmp_path / "out").mkdir()
    try:
        written = workers.render(site, jobs, TreeWriter(str(tmp_path / "out"), True))
    finally:
        workers.close()
    texts = {p.name: p.read_text() for p in (tmp_path / "out").iterdir()}
    assert sorted(texts) == [job.path for job in jobs]  # each written once
    assert written == sum(len(t) for t in texts.values())
    here = sum(text.endswith(f" by {os.getpid()}") for text in texts.values())
    # The forked worker's share is 64 jobs at 100 ms each; this process does its own 64 at
    # once, then takes the other's chunks but the two it was sent first (4 jobs each).
    assert here >= 120


@pytest.mark.parametrize(
    ("failure", "error", "message"),
    [
        ("theme", ThemeError, "site-template/x.html:1: broken"),
        ("crash", StatuspageError, "a build worker failed:\nTraceback"),
    ],
)
def test_errors_in_a_worker_reach_the_build(
    make_site: MakeSite, tmp_path: Path, failure: str, error: type[Exception], message: str
) -> None:
    from statuspage.model import Site

    state = state_for(make_site, 1, failure)
    assert state.config is not None
    site = Site(state.config, (), {})
    state.site = site
    state.renderer = FakeRenderer(failure)  # type: ignore[assignment]
    workers = Workers(state, 2)
    jobs = [Job(path, "x", (), (), "k") for path in ("a", "b")]  # 'b' goes to the forked worker
    (tmp_path / "out").mkdir()
    try:
        with pytest.raises(error) as raised:
            workers.render(site, jobs, TreeWriter(str(tmp_path / "out"), True))
    finally:
        workers.close()
    assert str(raised.value).startswith(message)


def test_worker_count(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 100)
    assert [worker_count(n, 4) for n in (0, 99, 100, 250, 10_000)] == [1, 1, 1, 2, 4]


def test_work_is_shared_by_what_each_worker_holds_then_by_load(make_site: MakeSite) -> None:
    state = state_for(make_site, 1)
    workers = Workers(state, 1)  # no fork: only the sharing is tested
    workers._children = [None, None]  # type: ignore[list-item]  # pretend to three workers
    workers.owner = {"a": 0, "b": 1, "c": 1, "d": 2}
    jobs = [
        Job("incidents/a/index.html", "incident", ("a",), ("a",), "k"),
        Job("incidents/d/index.html", "incident", ("d",), ("d",), "k"),
        Job("feed.rss", "feed", (), ("a", "b", "c"), "k"),
        Job("feed.atom", "feed", (), ("a", "b", "c"), "k"),
        *(Job(f"history/page/{n}/index.html", "history", (n,), (), "k") for n in range(1, 4)),
    ]
    shares = workers._share(jobs, {"incident": 1.0, "feed": 0.3, "history": 3.0})
    assert [sorted(j.path for j in share) for share in shares] == [
        ["history/page/1/index.html", "incidents/a/index.html"],
        ["feed.atom", "feed.rss", "history/page/2/index.html"],  # b and c are there
        ["history/page/3/index.html", "incidents/d/index.html"],
    ]
    workers._children = []


def test_a_worker_killed_mid_build_is_reported_as_such(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statuspage.model import Site

    monkeypatch.setattr(parallel, "MIN_CHUNK", 1)  # 'd' waits unread in its pipe: a reset
    state = state_for(make_site, 1, "kill")
    assert state.config is not None
    state.site = site = Site(state.config, (), {})
    state.renderer = FakeRenderer("kill")  # type: ignore[assignment]
    workers = Workers(state, 2)
    jobs = [Job(path, "x", (), (), "k") for path in "abcd"]  # 'b' and 'd' go to the fork
    (tmp_path / "out").mkdir()
    try:
        with pytest.raises(StatuspageError) as raised:
            workers.render(site, jobs, TreeWriter(str(tmp_path / "out"), True))
    finally:
        workers.close()
    assert str(raised.value) == (
        "a worker process died (signal 9); build again, or with fewer --jobs if memory ran short"
    )


def test_ctrl_c_is_for_the_build_to_handle_not_its_workers(
    make_site: MakeSite, tmp_path: Path
) -> None:
    from statuspage.model import Site

    state = state_for(make_site, 1, "interrupt")
    assert state.config is not None
    state.site = site = Site(state.config, (), {})
    state.renderer = FakeRenderer("interrupt")  # type: ignore[assignment]
    workers = Workers(state, 2)
    jobs = [Job(path, "x", (), (), "k") for path in "ab"]  # 'b' goes to the fork
    (tmp_path / "out").mkdir()
    try:
        written = workers.render(site, jobs, TreeWriter(str(tmp_path / "out"), True))
    finally:
        workers.close()
    assert written == sum(len(p.read_bytes()) for p in (tmp_path / "out").iterdir())
    assert (tmp_path / "out" / "b").read_text().startswith("b by ")


class SlowOnC(FakeRenderer):
    """Takes a minute to render 'c'."""

    def render(self, job: Job) -> bytes:
        if job.path == "c":
            time.sleep(60)
        return super().render(job)


def test_an_error_in_one_worker_stops_the_others_at_once(
    make_site: MakeSite, tmp_path: Path
) -> None:
    from statuspage.model import Site

    state = state_for(make_site, 1)
    assert state.config is not None
    state.site = site = Site(state.config, (), {})
    state.renderer = SlowOnC("theme")  # type: ignore[assignment]
    workers = Workers(state, 3)
    children = [process for process, _ in workers._children]
    jobs = [Job(path, "x", (), (), "k") for path in "abc"]  # one for each process
    (tmp_path / "out").mkdir()
    started = time.monotonic()
    with pytest.raises(ThemeError):
        workers.render(site, jobs, TreeWriter(str(tmp_path / "out"), True))
    assert time.monotonic() - started < 5
    assert [process.exitcode for process in children] == [-signal.SIGKILL] * 2
    assert workers.count == 1


def _open_files(pid: int) -> dict[int, str]:
    """What each descriptor of process `pid` refers to."""
    folder = Path(f"/proc/{pid}/fd")
    return {int(fd.name): str(fd.readlink()) for fd in folder.iterdir()}


def test_a_worker_holds_nothing_of_the_parents_it_does_not_need(
    make_site: MakeSite, tmp_path: Path
) -> None:
    state = state_for(make_site, 1)
    cache = BuildCache(tmp_path / "cache")
    with cache.lock():
        workers = Workers(state, 3)
        try:
            workers.link(tmp_path, [], TreeWriter(str(tmp_path), True))  # each has settled
            held = [_open_files(process.pid) for process, _ in workers._children]
        finally:
            workers.close()
    for files in held:
        # Not the terminal or a CI log, not the build lock, no pipe end but its own.
        assert [files[stream] for stream in (0, 1, 2)] == [os.devnull] * 3
        assert str(tmp_path / "cache" / "lock") not in files.values()
        assert sum(target.startswith("socket:") for target in files.values()) == 1


def _gone(pid: int) -> bool:
    """Whether process `pid` has ended (a zombie waiting to be reaped has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    return stat.rpartition(")")[2].split()[0] == "Z"


BUSY_PARENT = """\
import sys, time
from pathlib import Path
from statuspage.engine.parallel import Workers, WorkerState

def parse(state, entries):
    Path(sys.argv[1]).write_text("busy")
    time.sleep(60)

WorkerState.parse = parse
workers = Workers(WorkerState(None, None, {}), 2)
workers._send(0, ("parse", []))
print(workers._children[0][0].pid, flush=True)
time.sleep(60)
"""


def test_a_busy_worker_dies_with_its_parent(tmp_path: Path) -> None:
    marker = tmp_path / "busy"
    parent = subprocess.Popen(
        [sys.executable, "-c", BUSY_PARENT, str(marker)],
        stdout=subprocess.PIPE,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    assert parent.stdout is not None
    worker = int(parent.stdout.readline())
    try:
        deadline = time.monotonic() + 10
        while not marker.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        assert marker.read_text() == "busy"  # in its minute of parsing
        parent.kill()
        parent.wait()
        deadline = time.monotonic() + 2
        while not _gone(worker) and time.monotonic() < deadline:
            time.sleep(0.01)
        assert _gone(worker)
    finally:
        parent.kill()
        parent.wait()
        if not _gone(worker):
            os.kill(worker, signal.SIGKILL)


def test_a_worker_whose_parent_ended_before_it_settled_ends_at_once() -> None:
    child = os.fork()
    if child == 0:  # pragma: no cover - runs in the child
        try:
            _Birth(parent=os.getppid() + 1, parent_ends=[], kill_with_parent=None).settle()
        finally:
            os._exit(0)
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 1

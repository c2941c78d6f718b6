"""Parse and render on every core: forked workers that keep what they parsed for rendering.

A worker is a fork of the build process, so it starts with the config, the theme and the
output folder already set up. Asked to parse, it reads a chunk of the incident files, keeps
the incidents and reports their summaries; asked to render, it renders a chunk of jobs
(those showing the incidents it holds, mostly), writes the files itself and reports the
bytes written. Full incidents never travel between processes. Chunks go out as workers
finish them, and a worker that runs out of its own takes the last of another's, so a core
that runs slower for a while holds no one up. This process is worker 0; on platforms without
fork, or for little work, it is the only one.

A worker dies with this process: the kernel kills it when this process ends (however it
ends), and it holds no descriptor of this process's that it does not need (the other ends of
the pipes, the build lock, the standard streams), so nothing of a killed build stays behind.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import traceback
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from ..errors import StatuspageError, ThemeError
from ..model import Config, Incident, IncidentSummary, InputData, Site, SummaryRecord
from ..model.incident import file_digest
from ..render.jobs import Job
from .cache import FileRecord

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from pathlib import Path

    from ..render.outputs import SiteRenderer
    from ..sources.inputs import InputFile
    from .publish import TreeWriter

T = TypeVar("T")  # a chunk of work, as `Workers._dispatch` hands them out
MIN_ITEMS_PER_WORKER = 150  # below this a fork costs more than it saves


@dataclass
class WorkerState:
    """What a worker holds: set up before the fork, then grown by parsing and rendering."""

    config: Config | None
    known: frozenset[str] | None  # component ids, for parsing
    files: dict[str, InputFile]  # every incident file, by id
    inputs: dict[str, InputData] = field(default_factory=dict)  # the other input kinds' data
    make_renderer: Callable[[Site], SiteRenderer] | None = None  # None: parsing only
    details: dict[str, Incident] = field(default_factory=dict)
    renderer: SiteRenderer | None = None
    site: Site | None = None
    _digests: dict[str, str] = field(default_factory=dict)

    def parse(self, entries: Sequence[InputFile]) -> list[FileRecord]:
        """Parse files, keep their incidents, return what the build caches of each."""
        from ..sources.loader import parse_incident

        results = []
        for entry in entries:
            parsed = parse_incident(entry, self.known)
            incident = parsed.incident
            if incident is not None:
                self.details[incident.id] = incident
            summary = incident.to_record() if incident is not None else None
            results.append(FileRecord(entry.stamp, parsed.digest, summary, parsed.problems))
        return results

    def use_site(self, items: Sequence[str | SummaryRecord]) -> None:
        """Render from now on for the site of `items`: ids of incidents held, others' records."""
        assert self.config is not None and self.make_renderer is not None
        summaries = tuple(
            self.details[item] if isinstance(item, str) else IncidentSummary.from_record(item)
            for item in items
        )
        self.site = Site(self.config, summaries, self.details, self.inputs)
        self.renderer = self.make_renderer(self.site)

    def render(self, jobs: Sequence[Job], writer: TreeWriter) -> int:
        """Render and write jobs; load the text of incidents they need and nobody parsed here."""
        assert self.site is not None and self.renderer is not None
        written = 0
        for job in jobs:
            for need in job.needs:
                if need not in self.details:
                    self.details[need] = self._load(need)
            written += writer.write(job.path, self.renderer.render(job))
        return written

    def _load(self, incident_id: str) -> Incident:
        from ..sources.loader import parse_incident

        assert self.site is not None
        if not self._digests:
            self._digests = {i.id: i.digest for i in self.site.incidents}
        entry = self.files[incident_id]
        parsed = parse_incident(entry, self.known)
        if parsed.incident is None or parsed.digest != file_digest(self._digests[incident_id]):
            raise StatuspageError(f"{entry.display} changed during the build; build again")
        return parsed.incident


def _cost(costs: dict[str, float], job: Job) -> float:
    """A job's rough cost: its kind's, times the incidents it shows."""
    return costs.get(job.kind, 1.0) * max(1, len(job.needs))


def _order(costs: dict[str, float]) -> Callable[[Job], tuple[float, str]]:
    """Costly jobs first; the files of one incident together (an incident page's cost each),
    so a worker that takes the last chunks of another's share loads few incidents for them."""
    unit_cost = -costs.get("incident", 1.0)

    def order(job: Job) -> tuple[float, str]:
        if job.unit:
            return (unit_cost, job.unit)
        return (-_cost(costs, job), "")

    return order


def default_workers() -> int:
    """How many processes to work with: the cores this process may use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)  # pragma: no cover - not Linux


def worker_count(items: int, limit: int) -> int:
    """How many workers `items` pieces of work deserve, at most `limit`."""
    if sys.platform != "linux":
        return 1
    return max(1, min(limit, items // MIN_ITEMS_PER_WORKER))


class Workers:
    """This process and `count - 1` forks of it, each with its own WorkerState."""

    def __init__(self, state: WorkerState, count: int) -> None:
        self.state = state
        self._children: list[tuple[BaseProcess, Connection]] = []
        self._with_site: list[bool] = []
        self.owner: dict[str, int] = {}  # which worker holds each incident it parsed
        self._records: dict[str, SummaryRecord] = {}  # of what was parsed, for other workers
        if count > 1:
            import multiprocessing  # only for builds with a lot to do

            context = multiprocessing.get_context("fork")
            kill_with_parent = _kill_with_parent()
            try:
                for _ in range(count - 1):
                    here, there = context.Pipe()
                    # The child gets copies of this process's ends of every pipe: it drops them.
                    ends = [*(connection for _, connection in self._children), here]
                    birth = _Birth(os.getpid(), ends, kill_with_parent)
                    process = context.Process(
                        target=_serve, args=(state, there, birth), daemon=True
                    )
                    process.start()
                    there.close()
                    self._children.append((process, here))
                    self._with_site.append(state.site is not None)
            except BaseException:
                self.abort()
                raise

    @property
    def count(self) -> int:
        """How many processes work, this one included."""
        return 1 + len(self._children)

    def parse(
        self, entries: Sequence[InputFile], meanwhile: Callable[[], None] | None = None
    ) -> list[FileRecord]:
        """Parse `entries`, spread over the workers; results in the order of `entries`.

        The files go out in chunks (see `_dispatch`), each worker taking the next as it
        finishes one; this process does `meanwhile` first, then takes its part.
        """
        results: list[FileRecord | None] = [None] * len(entries)
        size = max(MIN_PARSE_CHUNK, -(-len(entries) // (self.count * CHUNKS_PER_SHARE)))
        queue = deque(range(0, len(entries), size))  # where each chunk starts

        def send(worker: int, start: int) -> None:
            self._send(worker - 1, ("parse", entries[start : start + size]))

        def keep(worker: int, start: int, part: list[FileRecord]) -> None:
            results[start : start + len(part)] = part
            for record in part:
                if record.summary is not None:
                    self.owner[str(record.summary[0])] = worker
                    self._records[str(record.summary[0])] = record.summary

        self._dispatch(
            lambda worker, steal: queue.popleft() if queue else None,
            send,
            lambda start: keep(0, start, self.state.parse(entries[start : start + size])),
            keep,
            meanwhile,
        )
        done = [record for record in results if record is not None]
        assert len(done) == len(entries), "every chunk was answered"
        return done

    def render(self, site: Site, jobs: Sequence[Job], writer: TreeWriter) -> int:
        """Render and write `jobs`, each where the incidents it shows are held, if it can.

        Each worker's share goes out in chunks (see `_dispatch`). A worker that runs out
        takes the last chunks of the one with the most left (loading the incidents they
        need): on a machine whose cores do not all run at the same speed, no core waits for
        a slower one's share.
        """
        if self.state.site is not site or self.state.renderer is None:
            assert self.state.make_renderer is not None
            self.state.site = site
            self.state.renderer = self.state.make_renderer(site)
        queues = [deque(_chunks(share)) for share in self._share(jobs, self.state.renderer.costs)]
        written = 0

        def send(worker: int, chunk: list[Job]) -> None:
            index = worker - 1
            items = None if self._with_site[index] else self._site_for(site, worker)
            self._send(index, ("render", items, chunk, writer))
            self._with_site[index] = True

        def add(size: int) -> None:
            nonlocal written
            written += size

        self._dispatch(
            lambda worker, steal: _take(queues, worker, steal),
            send,
            lambda chunk: add(self.state.render(chunk, writer)),
            lambda worker, chunk, size: add(int(size)),
        )
        return written

    def _dispatch(
        self,
        next_for: Callable[[int, bool], T | None],
        send: Callable[[int, T], None],
        here: Callable[[T], None],
        answered: Callable[[int, T, Any], None],
        meanwhile: Callable[[], None] | None = None,
    ) -> None:
        """Work through chunks: two in flight per forked worker, so it never waits for the
        next, and this process doing its own (`here`) between looks at their answers.

        Workers are numbered from 0, this process. `next_for(worker, steal)` gives a worker's
        next chunk, or None; without `steal`, only one of its own (the first two each forked
        worker is sent). `send(worker, chunk)` sends it; `answered(worker, chunk, value)`
        takes a forked worker's answer. `meanwhile` runs once the first are sent. On any
        error the workers are stopped at once: none goes on with work nobody waits for.
        """
        try:
            self._work_through(next_for, send, here, answered, meanwhile)
        except BaseException:
            self.abort()
            raise

    def _work_through(
        self,
        next_for: Callable[[int, bool], T | None],
        send: Callable[[int, T], None],
        here: Callable[[T], None],
        answered: Callable[[int, T, Any], None],
        meanwhile: Callable[[], None] | None,
    ) -> None:
        sent: list[deque[T]] = [deque() for _ in self._children]

        def give(index: int, steal: bool = True) -> None:
            chunk = next_for(index + 1, steal)
            if chunk is not None:
                send(index + 1, chunk)
                sent[index].append(chunk)

        def receive(index: int) -> None:
            process, connection = self._children[index]
            answered(index + 1, sent[index].popleft(), _answer(process, connection))
            give(index)

        for index in range(len(self._children)):
            give(index, steal=False)
            give(index, steal=False)
        if meanwhile is not None:
            meanwhile()
        while (chunk := next_for(0, True)) is not None:
            here(chunk)
            for index, (_, connection) in enumerate(self._children):
                while sent[index] and connection.poll():
                    receive(index)
        for index in range(len(self._children)):
            while sent[index]:
                receive(index)

    def _site_for(self, site: Site, worker: int) -> list[str | SummaryRecord]:
        """The site's incidents for `worker`: the id of those it holds, the record of others."""
        items: list[str | SummaryRecord] = []
        for incident in site.incidents:
            held = self.owner.get(incident.id) == worker
            items.append(
                incident.id if held else self._records.get(incident.id) or incident.to_record()
            )
        return items

    def link(self, live: Path, paths: Sequence[str], writer: TreeWriter) -> int:
        """Link the live site's files at `paths` into the spare, spread over the workers.

        A spare made anew takes a link of every file the build did not render: on a large
        site, tens of thousands of system calls worth sharing.
        """
        shares = [list(paths[i :: self.count]) for i in range(self.count)]
        try:
            for index, share in enumerate(shares[1:]):
                self._send(index, ("link", live, share, writer))
            done = writer.link(live, shares[0])
            for process, connection in self._children:
                done += int(_answer(process, connection))
        except BaseException:
            self.abort()
            raise
        return done

    def _send(self, index: int, message: tuple[Any, ...]) -> None:
        """Send forked worker `index` (from 0) a message; a worker that died raises the why."""
        process, connection = self._children[index]
        try:
            connection.send(message)
        except OSError:
            raise _died(process) from None

    def _share(self, jobs: Sequence[Job], costs: dict[str, float]) -> list[list[Job]]:
        """Give each job to the worker holding most of what it shows, else the least loaded.

        Jobs for one incident go where it was parsed; a feed of many incidents goes where
        most of them are (the others it parses); the rest evens out the estimated work.
        """
        shares: list[list[Job]] = [[] for _ in range(self.count)]
        load = [0.0] * self.count
        placed: dict[tuple[str, ...], int] = {}  # a scope's formats stay together
        owner = self.owner
        for job in sorted(jobs, key=_order(costs)):
            if job.unit and job.unit in owner:  # most jobs: spelt out, it runs for each
                worker = owner[job.unit]
            elif job.needs in placed:
                worker = placed[job.needs]
            elif job.needs:
                held = [0] * self.count
                for need in job.needs:
                    holder = owner.get(need)
                    if holder is not None:
                        held[holder] += 1
                best = max(held)
                worker = min(
                    (w for w in range(self.count) if held[w] == best), key=lambda w: load[w]
                )
                placed[job.needs] = worker
            else:
                worker = min(range(self.count), key=lambda w: load[w])
            shares[worker].append(job)
            load[worker] += _cost(costs, job)
        return shares

    def close(self) -> None:
        """Stop the workers once they are done; every one has ended when this returns."""
        for _, connection in self._children:
            with contextlib.suppress(OSError):  # one that died needs no telling
                connection.send(("stop",))
        for process, connection in self._children:
            _end(process)
            connection.close()
        self._children = []

    def abort(self) -> None:
        """Kill the workers, whatever they are doing; every one has ended when this returns."""
        for process, _ in self._children:
            process.kill()
        for process, connection in self._children:
            process.join()
            connection.close()
        self._children = []


STOP_SECONDS = 2.0  # how long an idle worker may take to stop before it is killed
CHUNKS_PER_SHARE = 16  # enough for a slow worker's last chunks to be taken by a fast one
MIN_CHUNK = 48  # jobs: a chunk costs a message each way
MIN_PARSE_CHUNK = 16  # files


def _chunks(share: list[Job]) -> list[list[Job]]:
    """`share` in order, cut in up to CHUNKS_PER_SHARE pieces of at least MIN_CHUNK jobs."""
    size = max(MIN_CHUNK, -(-len(share) // CHUNKS_PER_SHARE))
    return [share[i : i + size] for i in range(0, len(share), size)]


def _take(queues: list[deque[list[Job]]], worker: int, steal: bool = True) -> list[Job] | None:
    """The next chunk for `worker`: its own first, else (`steal`) the longest queue's last."""
    if queues[worker]:
        return queues[worker].popleft()
    longest = max(queues, key=len)
    return longest.pop() if longest and steal else None


PR_SET_PDEATHSIG = 1  # from <linux/prctl.h>: the signal a process gets when its parent ends


def _kill_with_parent() -> Callable[[], bool] | None:
    """What a forked child calls to be killed when its parent ends; None where there is none.

    Loaded before the fork, so that no child loads the C library again.
    """
    if sys.platform != "linux":  # pragma: no cover - workers fork on Linux only
        return None
    import ctypes

    prctl = ctypes.CDLL(None, use_errno=True).prctl
    prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    prctl.restype = ctypes.c_int
    return lambda: prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0


@dataclass(frozen=True, slots=True)
class _Birth:
    """What a worker needs right after the fork to tie its life to its parent's."""

    parent: int  # the process id of the build, taken before the fork
    parent_ends: list[Connection]  # the build's ends of the pipes, copied by the fork
    kill_with_parent: Callable[[], bool] | None

    def settle(self) -> None:
        """Die with the parent, or now if it is gone; drop the copies of what is the parent's."""
        if self.kill_with_parent is not None:
            self.kill_with_parent()
        if os.getppid() != self.parent:  # it ended before the line above could take effect
            os._exit(1)
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C: the build stops its workers
        for end in self.parent_ends:  # else the parent's end lives on here: no EOF when it dies
            end.close()
        # Its answers go through the pipe: a worker does not keep a terminal or a CI log open.
        null = os.open(os.devnull, os.O_RDWR)
        for stream in (0, 1, 2):
            os.dup2(null, stream)
        os.close(null)


def _serve(state: WorkerState, connection: Connection, birth: _Birth) -> None:
    """The loop of a worker process: answer commands until told to stop, or the build ends."""
    birth.settle()
    while True:
        try:
            message = connection.recv()
        except (EOFError, OSError):
            return  # the build has gone: no one waits for an answer
        if message[0] == "stop":
            return
        try:
            connection.send(_reply(state, message))
        except OSError:
            return


def _reply(state: WorkerState, message: tuple[Any, ...]) -> tuple[str, Any]:
    """A worker's answer to one command: ("ok", result), or the error it met."""
    try:
        if message[0] == "parse":
            return ("ok", state.parse(message[1]))
        if message[0] == "link":
            live, paths, writer = message[1:]
            return ("ok", writer.link(live, paths))
        items, jobs, writer = message[1:]  # "render"
        if items is not None:
            state.use_site(items)
        return ("ok", state.render(jobs, writer))
    except ThemeError as error:
        return ("theme", str(error))
    except StatuspageError as error:
        return ("error", str(error))
    except BaseException:
        return ("crash", traceback.format_exc())


def _answer(process: BaseProcess, connection: Connection) -> Any:
    try:
        status, value = connection.recv()
    except (EOFError, OSError):  # EOF, or "connection reset" when it died with a message unread
        raise _died(process) from None
    if status == "theme":
        raise ThemeError(value)
    if status == "error":
        raise StatuspageError(value)
    if status == "crash":
        raise StatuspageError(f"a build worker failed:\n{value}")
    return value


def _end(process: BaseProcess) -> None:
    """Give `process` STOP_SECONDS to end, then kill it: nothing it still does is wanted."""
    process.join(STOP_SECONDS)
    if process.exitcode is None:
        process.kill()
        process.join()


def _died(process: BaseProcess) -> StatuspageError:
    """The error for a worker whose pipe broke: how it ended (killed, if it had not yet)."""
    _end(process)
    code = process.exitcode or 0
    how = f"signal {-code}" if code < 0 else f"exit code {code}"
    return StatuspageError(
        f"a worker process died ({how}); build again, or with fewer --jobs if memory ran short"
    )

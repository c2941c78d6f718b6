"""Parse and render on every core: forked workers that keep what they parsed for rendering.

A worker is a fork of the build process, so it starts with the config, the theme and the
output folder already set up. Asked to parse, it reads its share of the incident files,
keeps the incidents and reports their summaries; asked to render, it renders its share of
the jobs (those showing the incidents it holds, mostly), writes the files itself and reports
the bytes written. Full incidents never travel between processes. This process is worker 0;
on platforms without fork, or for little work, it is the only one.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .cache import FileRecord
from .errors import StatuspageError, ThemeError
from .jobs import Job
from .models import Config, Incident, IncidentSummary, Site

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess
    from pathlib import Path

    from .outputs import SiteRenderer
    from .publish import TreeWriter
    from .sources import InputFile

MIN_ITEMS_PER_WORKER = 150  # below this a fork costs more than it saves
# Rough relative cost of a job by kind (times the incidents it shows), for sharing out work.
_COST = {"incident": 1.0, "feed": 0.3, "history": 3.0, "component": 3.0, "index": 5.0}


@dataclass
class WorkerState:
    """What a worker holds: set up before the fork, then grown by parsing and rendering."""

    config: Config | None
    known: frozenset[str] | None  # component ids, for parsing
    files: dict[str, InputFile]  # every incident file, by id
    make_renderer: Callable[[Site], SiteRenderer] | None = None  # None: parsing only
    details: dict[str, Incident] = field(default_factory=dict)
    renderer: SiteRenderer | None = None
    site: Site | None = None
    _digests: dict[str, str] = field(default_factory=dict)

    def parse(self, entries: Sequence[InputFile]) -> list[FileRecord]:
        """Parse files, keep their incidents, return what the build caches of each."""
        from .loader import parse_incident

        results = []
        for entry in entries:
            parsed = parse_incident(entry, self.known)
            incident = parsed.incident
            if incident is not None:
                self.details[incident.id] = incident
            summary = incident.to_record() if incident is not None else None
            results.append(FileRecord(entry.stamp, parsed.digest, summary, parsed.problems))
        return results

    def use_site(self, summaries: tuple[IncidentSummary, ...]) -> None:
        """Render from now on for the site of `summaries`, with this worker's incidents."""
        assert self.config is not None and self.make_renderer is not None
        self.site = Site(self.config, summaries, self.details)
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
        from .loader import parse_incident

        assert self.site is not None
        if not self._digests:
            self._digests = {i.id: i.digest for i in self.site.incidents}
        entry = self.files[incident_id]
        parsed = parse_incident(entry, self.known)
        if parsed.incident is None or parsed.digest != self._digests[incident_id]:
            raise StatuspageError(f"{entry.display} changed during the build; build again")
        return parsed.incident


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
        if count > 1:
            import multiprocessing  # only for builds with a lot to do

            context = multiprocessing.get_context("fork")
            for _ in range(count - 1):
                here, there = context.Pipe()
                process = context.Process(target=_serve, args=(state, there), daemon=True)
                process.start()
                there.close()
                self._children.append((process, here))
                self._with_site.append(state.site is not None)

    @property
    def count(self) -> int:
        """How many processes work, this one included."""
        return 1 + len(self._children)

    def parse(self, entries: Sequence[InputFile]) -> list[FileRecord]:
        """Parse `entries`, spread over the workers; results in the order of `entries`."""
        shards = [list(entries[i :: self.count]) for i in range(self.count)]
        for (_, connection), shard in zip(self._children, shards[1:], strict=True):
            connection.send(("parse", shard))
        parts = [self.state.parse(shards[0])]
        parts.extend(_answer(process, connection) for process, connection in self._children)
        for worker, part in enumerate(parts):
            for record in part:
                if record.summary is not None:
                    self.owner[str(record.summary[0])] = worker
        ordered: list[FileRecord] = []
        for i in range(len(entries)):
            ordered.append(parts[i % self.count][i // self.count])
        return ordered

    def render(self, site: Site, jobs: Sequence[Job], writer: TreeWriter) -> int:
        """Render and write `jobs`, each where the incidents it shows are held."""
        shares = self._share(jobs)
        records = None
        for index, ((_, connection), share) in enumerate(
            zip(self._children, shares[1:], strict=True)
        ):
            if not self._with_site[index] and records is None:
                records = [incident.to_record() for incident in site.incidents]
            connection.send(("render", None if self._with_site[index] else records, share, writer))
            self._with_site[index] = True
        if self.state.site is not site:
            assert self.state.make_renderer is not None
            self.state.site = site
            self.state.renderer = self.state.make_renderer(site)
        written = self.state.render(shares[0], writer)
        for process, connection in self._children:
            written += int(_answer(process, connection))
        return written

    def link(self, live: Path, paths: Sequence[str], writer: TreeWriter) -> int:
        """Link the live site's files at `paths` into the spare, spread over the workers.

        A spare made anew takes a link of every file the build did not render: on a large
        site, tens of thousands of system calls worth sharing.
        """
        shares = [list(paths[i :: self.count]) for i in range(self.count)]
        for (_, connection), share in zip(self._children, shares[1:], strict=True):
            connection.send(("link", live, share, writer))
        done = writer.link(live, shares[0])
        for process, connection in self._children:
            done += int(_answer(process, connection))
        return done

    def _share(self, jobs: Sequence[Job]) -> list[list[Job]]:
        """Give each job to the worker holding most of what it shows, else the least loaded.

        Jobs for one incident go where it was parsed; a feed of many incidents goes where
        most of them are (the others it parses); the rest evens out the estimated work.
        """
        shares: list[list[Job]] = [[] for _ in range(self.count)]
        load = [0.0] * self.count
        placed: dict[tuple[str, ...], int] = {}  # a scope's formats stay together
        for job in sorted(jobs, key=lambda j: -_COST.get(j.kind, 1.0) * len(j.needs or "x")):
            if job.needs in placed:
                worker = placed[job.needs]
            elif job.needs:
                held = [0] * self.count
                for need in job.needs:
                    owner = self.owner.get(need)
                    if owner is not None:
                        held[owner] += 1
                best = max(held)
                worker = min(
                    (w for w in range(self.count) if held[w] == best), key=lambda w: load[w]
                )
                placed[job.needs] = worker
            else:
                worker = min(range(self.count), key=lambda w: load[w])
            shares[worker].append(job)
            load[worker] += _COST.get(job.kind, 1.0) * max(1, len(job.needs))
        return shares

    def close(self) -> None:
        """Stop the workers."""
        for process, connection in self._children:
            if process.is_alive():
                try:
                    connection.send(("stop",))
                except OSError:
                    process.terminate()
            process.join()
            connection.close()
        self._children = []


def _serve(state: WorkerState, connection: Connection) -> None:
    """The loop of a worker process: answer commands until told to stop."""
    while True:
        try:
            message = connection.recv()
        except EOFError:
            return
        try:
            if message[0] == "parse":
                connection.send(("ok", state.parse(message[1])))
            elif message[0] == "link":
                live, paths, writer = message[1:]
                connection.send(("ok", writer.link(live, paths)))
            elif message[0] == "render":
                records, jobs, writer = message[1:]
                if records is not None:
                    state.use_site(tuple(IncidentSummary.from_record(r) for r in records))
                connection.send(("ok", state.render(jobs, writer)))
            else:
                return
        except ThemeError as error:
            connection.send(("theme", str(error)))
        except StatuspageError as error:
            connection.send(("error", str(error)))
        except BaseException:
            connection.send(("crash", traceback.format_exc()))


def _answer(process: BaseProcess, connection: Connection) -> Any:
    try:
        status, value = connection.recv()
    except EOFError:
        process.join()
        raise StatuspageError(f"a build worker died (exit code {process.exitcode})") from None
    if status == "theme":
        raise ThemeError(value)
    if status == "error":
        raise StatuspageError(value)
    if status == "crash":
        raise StatuspageError(f"a build worker failed:\n{value}")
    return value

"""Every incident's summary for a build: cached records where files are unchanged, the rest
parsed, by workers when there are many.

The steps, each its own function: find which cached records still describe their files
(`reusable_records`), parse the others (`parse_changed`), put the summaries and problems
together (`summaries_of`), save what changed to the cache, and assemble the Site.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from ..errors import SourceError
from ..model import Incident, IncidentSummary, Site, SummaryRecord
from ..render.jobs import digest
from ..sources.inputs import InputFile, Sources
from .cache import BuildCache, FileRecord

if TYPE_CHECKING:  # loaded only once a build has work to do, to keep no-op builds fast
    from ..sources.loader import LoadedConfig, LoadedInputs
    from .parallel import Workers, WorkerState

FINE_RACY_NS = 50_000_000  # a file this close to a scan may change without its stat showing it
COARSE_RACY_NS = 2_000_000_000  # ... on file systems that keep whole seconds only


class Reuse(NamedTuple):
    """What the cache still knows of the incident files, and what must be read again."""

    current: dict[str, FileRecord]  # by display path: records that still describe their file
    to_parse: list[InputFile]  # files to read again: new, or changed since their record
    changed: list[str]  # display paths whose record is new or gone, for the cache to save


def load_incidents(
    sources: Sources,
    config: LoadedConfig,
    inputs: LoadedInputs,
    state: WorkerState,
    cache: BuildCache | None,
    scanned_at: int,
    max_workers: int | None,
    meanwhile: Callable[[], None] | None = None,
) -> tuple[Site, Workers | None]:
    """The Site with every summary; the files that changed are parsed, by workers if many.

    Returns the workers when it started some: they hold what they parsed, for rendering.
    Raises ValidationFailed (having stopped any workers) when any file has a problem.
    `meanwhile` is done while forked workers parse, or else after parsing.
    """
    from ..sources.loader import assemble

    context = digest(sorted(config.known) if config.known is not None else None)
    saved = cache.files(context) if cache is not None else None
    checked_at = cache.get("files_checked_at") if cache is not None else None
    trusted_before = (checked_at or 0) - racy_ns(sources)
    reuse = reusable_records(sources, saved.records if saved else {}, trusted_before)
    parsed, workers = parse_changed(reuse.to_parse, state, max_workers, meanwhile)
    records = reuse.current
    for entry, record in zip(reuse.to_parse, parsed, strict=True):
        records[entry.display] = record
    changed = [*reuse.changed, *(entry.display for entry in reuse.to_parse)]
    try:
        summaries, problems = summaries_of(records, state.details)
        if cache is not None and saved is not None:
            if changed:
                cache.save_files(saved, records, changed)
            cache.put("files_checked_at", scanned_at)
        site = assemble(sources, config, inputs, summaries, problems, state.details)
    except BaseException:
        if workers is not None:
            workers.close()
        raise
    return site, workers


def reusable_records(
    sources: Sources, records: Mapping[str, FileRecord], trusted_before: int
) -> Reuse:
    """Which cached records still describe their files, and which files to read again.

    The records were all checked against their files at the last load: a record is trusted
    when its file's stat is unchanged and older than `trusted_before` (a change made in the
    same clock tick as that check could keep the stat). Otherwise the file's bytes decide.
    """
    current: dict[str, FileRecord] = {}
    to_parse: list[InputFile] = []
    changed: list[str] = []
    known = 0  # files with a record
    for entry in sources.incidents:
        record = records.get(entry.display)
        if record is None:
            to_parse.append(entry)
            continue
        known += 1
        stamp = entry.stamp
        if record.stamp == stamp and stamp[1] < trusted_before and stamp[2] < trusted_before:
            current[entry.display] = record  # same stat, old enough to trust: most files
        elif _same_bytes(entry, record):
            if record.stamp != stamp:  # same bytes, new stat: remember the new one
                record = record._replace(stamp=stamp)
                changed.append(entry.display)
            current[entry.display] = record
        else:
            to_parse.append(entry)
    if known < len(records):  # some files are gone
        present = {entry.display for entry in sources.incidents}
        changed += [path for path in records if path not in present]
    return Reuse(current, to_parse, changed)


def parse_changed(
    entries: Sequence[InputFile],
    state: WorkerState,
    max_workers: int | None,
    meanwhile: Callable[[], None] | None,
) -> tuple[list[FileRecord], Workers | None]:
    """Parse `entries`, in workers when there are enough; the workers, if any, stay up."""
    workers = start_workers(state, len(entries), max_workers) if len(entries) > 1 else None
    if workers is not None:
        return workers.parse(entries, meanwhile), workers
    parsed = state.parse(entries)
    if meanwhile is not None:
        meanwhile()
    return parsed, None


def summaries_of(
    records: Mapping[str, FileRecord], held: Mapping[str, Incident]
) -> tuple[list[IncidentSummary], list[SourceError]]:
    """Every incident's summary and every problem found in the files, in no set order (the
    Site sorts the incidents, ValidationFailed the problems).

    Where this process holds the incident itself (it parsed it), the incident stands for
    its summary; otherwise the summary is rebuilt from its record.
    """
    kept: list[SummaryRecord] = []
    problems: list[SourceError] = []
    standing: list[Incident] = []  # held incidents that stand for their records
    for record in records.values():
        if record.problems:
            problems.extend(record.problems)
        summary = record.summary
        if summary is None:
            continue
        incident = held.get(summary[0]) if held else None
        if incident is not None and incident.digest == record.digest:
            standing.append(incident)
        else:
            kept.append(summary)
    summaries: list[IncidentSummary] = list(map(IncidentSummary.from_record, kept))
    summaries += standing
    return summaries, problems


def start_workers(state: WorkerState, items: int, limit: int | None) -> Workers:
    """Workers for `items` pieces of work: more than this process only for a lot of it."""
    from .parallel import Workers, default_workers, worker_count

    return Workers(state, worker_count(items, limit or default_workers()))


def racy_ns(sources: Sources, files: Sequence[InputFile] | None = None) -> int:
    """How close to a scan a change may go unseen: longer where the file system keeps seconds.

    Told by `files`, by default the incident files.
    """
    stamps = [f.mtime_ns for f in (sources.incidents if files is None else files)[:50]]
    if stamps and all(ns % 1_000_000_000 == 0 for ns in stamps):
        return COARSE_RACY_NS
    return FINE_RACY_NS


def _same_bytes(entry: InputFile, record: FileRecord) -> bool:
    """Whether a cached record whose stat cannot be trusted still describes the file."""
    if record.stamp[0] != entry.size:
        return False
    from ..sources.textfile import content_digest

    try:
        with open(entry.path, "rb") as handle:  # noqa: PTH123 - str paths: no Path per file
            return content_digest(handle.read()) == record.digest
    except OSError:
        return False

"""Load a site from its root folder: every file read, every problem collected, or one Site."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from ..errors import SourceError, ValidationFailed
from ..model import Config, Incident, IncidentSummary, InputData, Site
from .config import AskComponentFiles, read_config
from .incidentfile import read_incident
from .inputs import BRAND, CONFIG_FILE, FileMemo, InputFile, Sources, scan
from .textfile import content_digest, decode, read_bytes
from .yamlio import SourceFile


class ParsedFile(NamedTuple):
    """One incident file, read: its content digest, and the incident or its problems."""

    display: str
    digest: str
    incident: Incident | None
    problems: tuple[SourceError, ...]


class LoadedConfig(NamedTuple):
    """statuspage.yaml, read: the Config (None when it has problems) and its digest."""

    config: Config | None
    digest: str
    problems: tuple[SourceError, ...]

    @property
    def known(self) -> frozenset[str] | None:
        """The component ids incidents may name; None when the config could not be read."""
        if self.config is None:
            return None
        return frozenset(c.id for c in self.config.components)


class LoadedInputs(NamedTuple):
    """The input kinds beyond config, incidents and theme, read: their data by kind name."""

    data: dict[str, InputData]
    problems: tuple[SourceError, ...]


def load_site(root: Path) -> Site:
    """Read statuspage.yaml, every incident and every other input under `root`, in full.

    Raises ValidationFailed listing every problem found, sorted.
    """
    sources = scan(root)
    config = load_config(sources)
    inputs = load_inputs(sources)
    parsed = [parse_incident(entry, config.known) for entry in sources.incidents]
    return assemble(
        sources,
        config,
        inputs,
        [p.incident for p in parsed if p.incident is not None],
        [problem for p in parsed for problem in p.problems],
    )


def missing_config(root: Path) -> SourceError:
    """The problem of a folder without statuspage.yaml."""
    message = f"not found in {root}; run statuspage in the site's folder or pass --root"
    return SourceError(CONFIG_FILE, 0, 0, message)


def load_config(sources: Sources, component_files: AskComponentFiles | None = None) -> LoadedConfig:
    """Read statuspage.yaml, or report that it is missing; `component_files` as for
    `read_config`."""
    file = SourceFile(CONFIG_FILE)
    if sources.config is None:
        refused = any(problem.path == CONFIG_FILE for problem in sources.problems)
        return LoadedConfig(None, "", () if refused else (missing_config(sources.root),))
    data = read_bytes(sources.config.path, file)
    text = decode(data, file) if data is not None else None
    brand = brand_files(sources)
    config = read_config(text, file, component_files, brand) if text is not None else None
    return LoadedConfig(config, content_digest(data or b""), tuple(file.problems))


def brand_files(sources: Sources) -> dict[str, str]:
    """The files of the site's brand/ folder, for read_config: by the path messages show,
    the path to read."""
    return {entry.display: entry.path for entry in sources.files.get(BRAND.name, ())}


def load_inputs(sources: Sources, memos: Mapping[str, FileMemo] | None = None) -> LoadedInputs:
    """Read the files of every input kind that names its own reader.

    `memos` holds, by kind name, what the readers made of files at earlier builds (see
    FileMemo); without, every file is read.
    """
    data: dict[str, InputData] = {}
    problems: list[SourceError] = []
    for kind in sources.kinds:
        if kind.read is None:
            continue
        memo = memos.get(kind.name) if memos is not None else None
        value, found = kind.read(sources.files[kind.name], memo)
        problems.extend(found)
        if value is not None:
            data[kind.name] = value
    return LoadedInputs(data, tuple(problems))


def parse_incident(entry: InputFile, known: frozenset[str] | None) -> ParsedFile:
    """Read and check one incident file."""
    file = SourceFile(entry.display)
    data = read_bytes(entry.path, file)
    if data is None:
        return ParsedFile(entry.display, "", None, tuple(file.problems))
    digest = content_digest(data)
    text = decode(data, file)
    incident = read_incident(text, file, entry.stem, digest, known) if text is not None else None
    return ParsedFile(entry.display, digest, incident, tuple(file.problems))


def assemble(
    sources: Sources,
    config: LoadedConfig,
    inputs: LoadedInputs,
    summaries: Iterable[IncidentSummary],
    problems: Iterable[SourceError],
    details: Mapping[str, Incident] | None = None,
) -> Site:
    """The Site; or ValidationFailed with the problems of the files, names and config.

    `details` holds the incidents read in full; by default the summaries that are.
    """
    found = [*sources.problems, *config.problems, *inputs.problems, *problems]
    if found or config.config is None:
        raise ValidationFailed(found)
    ordered = sorted(summaries, key=_newest_first, reverse=True)
    if details is None:
        details = {i.id: i for i in ordered if isinstance(i, Incident)}
    return Site(config=config.config, incidents=tuple(ordered), details=details, inputs=inputs.data)


def _newest_first(incident: IncidentSummary) -> tuple[datetime, str]:
    """The order of lists: by `sort_at`, then id (spelt out: this runs for every incident)."""
    return (incident.scheduled_for or incident.created_at, incident.id)

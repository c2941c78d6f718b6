"""Load a site from its root folder: every file read, every problem collected, or one Site."""

from __future__ import annotations

import codecs
import hashlib
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import NamedTuple

from ..errors import SourceError, ValidationFailed
from ..model import Config, Incident, IncidentSummary, InputData, Site
from .config import ReservedIds, read_config
from .incidentfile import read_incident
from .inputs import CONFIG_FILE, InputFile, Sources, scan
from .limits import MAX_FILE_BYTES
from .yamlio import SourceFile


def content_digest(data: bytes) -> str:
    """The digest that identifies a file's content in caches and output keys."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


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


def load_config(sources: Sources, reserved: ReservedIds | None = None) -> LoadedConfig:
    """Read statuspage.yaml, or report that it is missing; `reserved` as for `read_config`."""
    file = SourceFile(CONFIG_FILE)
    if sources.config is None:
        refused = any(problem.path == CONFIG_FILE for problem in sources.problems)
        return LoadedConfig(None, "", () if refused else (missing_config(sources.root),))
    data = read_bytes(sources.config.path, file)
    text = decode(data, file) if data is not None else None
    config = read_config(text, file, reserved) if text is not None else None
    return LoadedConfig(config, content_digest(data or b""), tuple(file.problems))


def load_inputs(sources: Sources) -> LoadedInputs:
    """Read the files of every input kind that names its own reader."""
    data: dict[str, InputData] = {}
    problems: list[SourceError] = []
    for kind in sources.kinds:
        if kind.read is None:
            continue
        value, found = kind.read(sources.files[kind.name])
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


def read_bytes(path: str, file: SourceFile) -> bytes | None:
    """A file's bytes, or None having reported why it cannot be read (or is too large)."""
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - str paths: no Path per file
            # Never more than the limit plus one byte: the file may be gigabytes, or endless
            # (a device). Asking for the size read saves allocating the limit for every file.
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, MAX_FILE_BYTES) + 1)
            if len(data) > size:  # it grew, or has no size (a device): read on, up to the limit
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
            if len(data) > MAX_FILE_BYTES:
                what = f"{size:,} bytes, more than" if size > MAX_FILE_BYTES else "more than"
                file.report(
                    None,
                    f"the file is {what} the limit of {MAX_FILE_BYTES:,} bytes; "
                    f"shorten it, or link to long texts instead of including them",
                )
                return None
            return data
    except OSError as exc:
        file.report(None, f"cannot be read: {exc.strerror}")
        return None


# Byte-order marks of the encodings a Windows editor may save in, longest first.
_OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode(data: bytes, file: SourceFile) -> str | None:
    """UTF-8 text (a byte-order mark allowed), or None having reported where it is not."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # its object is the data after a byte-order mark
        file.report_at(*_decode_problem(data, exc.object, exc.start))
        return None
    if "\x00" in text and _looks_like_utf16(data):  # UTF-16 without a mark may decode
        file.report(None, "the file looks like UTF-16 text; save it as UTF-8")
        return None
    return text


def _decode_problem(data: bytes, body: bytes, start: int) -> tuple[int, int, str]:
    """Line, column and message for text that is not UTF-8: `body[start]` is the first bad byte.

    `body` is `data` without its UTF-8 byte-order mark, if it has one.
    """
    for mark, name in _OTHER_ENCODINGS:
        if data.startswith(mark):
            return 1, 1, f"the file is {name} text; save it as UTF-8"
    if _looks_like_utf16(data):
        return 1, 1, "the file looks like UTF-16 text; save it as UTF-8"
    head = body[:start]
    line_start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
    line = 1 + head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n")
    column = 1 + len(head[line_start:].decode("utf-8"))
    return (
        line,
        column,
        f"byte 0x{body[start]:02x} is not UTF-8 (the file may be in Latin-1 or Windows-1252); "
        f"save it as UTF-8",
    )


def _looks_like_utf16(data: bytes) -> bool:
    """Whether mostly-ASCII text is saved as UTF-16: a zero byte in every other place."""
    head = data[:64]
    return head[1::2].count(0) * 4 > len(head) or head[0::2].count(0) * 4 > len(head)

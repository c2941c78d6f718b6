"""Find a site's input files and what their names alone say: ids, and the fingerprint of the lot."""

from __future__ import annotations

import hashlib
import marshal
import os
from pathlib import Path
from typing import NamedTuple

from .errors import SourceError
from .ids import id_problem
from .theme import THEME_DIR, default_theme_dir

CONFIG_FILE = "statuspage.yaml"

INCIDENTS_DIR = "incidents"


class InputFile(NamedTuple):
    """One input file and the stat facts that tell whether it changed since a build.

    A named tuple: a build makes one for every file, and a tuple is made in a fraction of
    the time a dataclass takes.
    """

    display: str  # relative to the site root, with forward slashes
    path: str
    # What changes when the file is written: size, modification and change times, inode.
    # The change time is in it because no program can set it back: a file rewritten with
    # its old size and mtime still shows as changed.
    stamp: tuple[int, int, int, int]
    incident_id: str  # for an incident file, its name without .yaml

    @property
    def size(self) -> int:
        """The size in bytes, when stat'ed."""
        return self.stamp[0]

    @property
    def mtime_ns(self) -> int:
        """The modification time, when stat'ed."""
        return self.stamp[1]

    @property
    def ctime_ns(self) -> int:
        """The change time, when stat'ed."""
        return self.stamp[2]

    @property
    def inode(self) -> int:
        """The inode number, when stat'ed."""
        return self.stamp[3]

    @classmethod
    def of(cls, display: str, path: str, info: os.stat_result) -> InputFile:
        """The InputFile for a file found at `path` with stat `info`."""
        stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
        name = display.rsplit("/", 1)[-1]
        return cls(display, path, stamp, name.removesuffix(".yaml"))


class Sources(NamedTuple):
    """Every input of a build, found by name and stat, before any is read."""

    root: Path
    config: InputFile | None
    incidents: tuple[InputFile, ...]  # sorted by path
    theme: tuple[InputFile, ...]  # the default theme's files, then the site's own
    problems: tuple[SourceError, ...]  # from names alone: bad and duplicate ids, .yml files

    def fingerprint(self, *extra: str) -> str:
        """A digest of every input's path and stamp, and of `extra` (the clock, options)."""
        files = (*((self.config,) if self.config else ()), *self.incidents, *self.theme)
        facts = (extra, [(entry.display, entry.stamp) for entry in files])
        # Version 2 has no back-references, whose use depends on reference counts: the same
        # facts give the same bytes in every process.
        return hashlib.blake2b(marshal.dumps(facts, 2), digest_size=16).hexdigest()

    def newest_change_ns(self) -> int:
        """The latest modification or change time among the inputs (0 when there are none)."""
        files = (*((self.config,) if self.config else ()), *self.incidents, *self.theme)
        return max((max(f.mtime_ns, f.ctime_ns) for f in files), default=0)


def scan(root: Path) -> Sources:
    """Find statuspage.yaml, every incident file and every theme file under `root`."""
    problems: list[SourceError] = []
    config = _stat(str(root / CONFIG_FILE), CONFIG_FILE)
    incidents: list[InputFile] = []
    for entry in _walk(str(root / INCIDENTS_DIR), INCIDENTS_DIR):
        if entry.display.endswith(".yaml"):
            incidents.append(entry)
        elif entry.display.endswith(".yml"):
            stem = entry.display.rsplit("/", 1)[-1].removesuffix(".yml")
            message = f"incident files end in .yaml; rename it to {stem}.yaml"
            problems.append(SourceError(entry.display, 1, 1, message))
    incidents.sort(key=lambda f: f.display)
    problems.extend(_id_problems(incidents))
    theme = [
        *_walk(str(default_theme_dir()), "(default theme)"),
        *_walk(str(root / THEME_DIR), THEME_DIR),
    ]
    return Sources(root, config, tuple(incidents), tuple(theme), tuple(problems))


def _walk(folder: str, shown: str) -> list[InputFile]:
    """The files below `folder`, shown as paths starting with `shown`; hidden ones skipped."""
    found: list[InputFile] = []
    stack = [(folder, shown)]
    while stack:
        current, prefix = stack.pop()
        try:
            entries = list(os.scandir(current))
        except (FileNotFoundError, NotADirectoryError):
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            display = f"{prefix}/{entry.name}"
            if entry.is_dir():
                stack.append((entry.path, display))
            elif entry.is_file():
                found.append(InputFile.of(display, entry.path, entry.stat()))
    return found


def _stat(path: str, display: str) -> InputFile | None:
    try:
        info = os.stat(path)  # noqa: PTH116 - str paths: thousands of files, no Path each
    except OSError:
        return None
    return InputFile.of(display, path, info)


def _id_problems(incidents: list[InputFile]) -> list[SourceError]:
    problems: list[SourceError] = []
    first: dict[str, str] = {}
    for entry in incidents:
        incident_id = entry.incident_id
        problem = id_problem(incident_id, "incident id")
        if problem:
            message = f"{problem}; the id is the file name, so rename the file"
            problems.append(SourceError(entry.display, 1, 1, message))
        elif incident_id in first:
            message = (
                f"duplicate incident id '{incident_id}' (also {first[incident_id]}); "
                f"ids are file names and must be unique across {INCIDENTS_DIR}/"
            )
            problems.append(SourceError(entry.display, 1, 1, message))
        else:
            first[incident_id] = entry.display
    return problems

"""A site's inputs: the one registry of input kinds, and the scan that finds their files.

Everything that must know what a site's inputs are derives it from INPUT_KINDS: the scan, the
fingerprint and the newest-change check behind a build's no-op shortcut, the preview
server's watcher, and the output locations a build refuses to replace. A new kind of input
(uptime history, say) is one entry here with a reader that puts its data in `Site.inputs`.
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

from ..errors import SourceError
from ..model.ids import ID_PATTERN, id_problem
from ..model.site import InputData
from .theme import THEME_DIR, default_theme_dir


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
    stem: str  # the file's name without its suffix: an incident file's id

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
        name = display.rpartition("/")[2]
        return cls(display, path, stamp, name.rpartition(".")[0] or name)


Screen = Callable[[list[InputFile]], tuple[list[InputFile], list[SourceError]]]
"""Keeps the files of a kind that are inputs, and reports those whose names alone are wrong."""

Reader = Callable[[tuple[InputFile, ...]], tuple[InputData | None, Sequence[SourceError]]]
"""Reads the files of a kind into its data for `Site.inputs`, or reports their problems."""


class InputKind(NamedTuple):
    """One kind of input: where a site keeps it, which files count, and what reads them.

    The config, incidents and theme are read by the loader and the build themselves (the
    incidents file by file, with the cache); every other kind names its `read`er.
    """

    name: str
    path: str  # at the site root: a file, or a folder whose files at any depth are inputs
    folder: bool
    suffixes: tuple[str, ...] = ()  # in a folder, the endings of the files that count; () all
    screen: Screen | None = None
    # Default files from the package, which the site's own files override by name.
    bundled: Callable[[], Path] | None = None
    bundled_as: str = ""  # how paths of bundled files start in messages: 'site-template (...)'
    read: Reader | None = None


CONFIG_FILE = "statuspage.yaml"
INCIDENTS_DIR = "incidents"


def _screen_incidents(found: list[InputFile]) -> tuple[list[InputFile], list[SourceError]]:
    """Incident files are `<id>.yaml` with an id unique across the tree."""
    problems: list[SourceError] = []
    incidents: list[InputFile] = []
    first: dict[str, str] = {}
    valid = ID_PATTERN.fullmatch  # checked here first: this runs for every incident file
    for entry in found:
        display, stem = entry.display, entry.stem
        if display.endswith(".yml"):
            message = f"incident files end in .yaml; rename it to {stem}.yaml"
            problems.append(SourceError(display, 1, 1, message))
            continue
        incidents.append(entry)
        problem = None if valid(stem) else id_problem(stem, "incident id")
        if problem:
            message = f"{problem}; the id is the file name, so rename the file"
            problems.append(SourceError(display, 1, 1, message))
        elif stem in first:
            message = (
                f"duplicate incident id '{stem}' (also {first[stem]}); "
                f"ids are file names and must be unique across {INCIDENTS_DIR}/"
            )
            problems.append(SourceError(display, 1, 1, message))
        else:
            first[stem] = display
    return incidents, problems


CONFIG = InputKind("config", CONFIG_FILE, folder=False)
INCIDENTS = InputKind(
    "incidents", INCIDENTS_DIR, folder=True, suffixes=(".yaml", ".yml"), screen=_screen_incidents
)
THEME = InputKind(
    "theme",
    THEME_DIR,
    folder=True,
    bundled=default_theme_dir,
    bundled_as=f"{THEME_DIR} (default theme)",
)

INPUT_KINDS: tuple[InputKind, ...] = (CONFIG, INCIDENTS, THEME)
"""Every kind of input a site has. Code that needs the list reads it here when it runs."""


def input_kinds() -> tuple[InputKind, ...]:
    """The registered input kinds, as they are now (tests register more)."""
    return INPUT_KINDS


class Sources(NamedTuple):
    """Every input of a build, found by name and stat, before any is read."""

    root: Path
    files: dict[str, tuple[InputFile, ...]]  # by kind name, each kind's sorted by path
    problems: tuple[SourceError, ...]  # from names alone: bad and duplicate ids, .yml files
    kinds: tuple[InputKind, ...]
    warnings: tuple[SourceError, ...] = ()  # files found and not read, each with why

    @property
    def config(self) -> InputFile | None:
        """statuspage.yaml, when it exists."""
        found = self.files[CONFIG.name]
        return found[0] if found else None

    @property
    def incidents(self) -> tuple[InputFile, ...]:
        """The incident files, sorted by path."""
        return self.files[INCIDENTS.name]

    @property
    def theme(self) -> tuple[InputFile, ...]:
        """The default theme's files, then the site's own."""
        return self.files[THEME.name]

    def every_file(self) -> list[InputFile]:
        """The files of every kind, in the order of the registry."""
        return [entry for kind in self.kinds for entry in self.files[kind.name]]

    def fingerprint(self, *extra: str) -> str:
        """A digest of every input's path and stamp, and of `extra` (the clock, options)."""
        facts = (extra, [(entry.display, entry.stamp) for entry in self.every_file()])
        # Version 2 has no back-references, whose use depends on reference counts: the same
        # facts give the same bytes in every process.
        return hashlib.blake2b(marshal.dumps(facts, 2), digest_size=16).hexdigest()

    def newest_change_ns(self) -> int:
        """The latest modification or change time among the inputs (0 when there are none)."""
        return max((max(f.mtime_ns, f.ctime_ns) for f in self.every_file()), default=0)


def scan(root: Path) -> Sources:
    """Find the files of every input kind under `root`, by name and stat alone."""
    kinds = input_kinds()
    files: dict[str, tuple[InputFile, ...]] = {}
    problems: list[SourceError] = []
    for kind in kinds:
        found = find(root, kind)
        if kind.screen is not None:
            found, wrong = kind.screen(found)
            problems.extend(wrong)
        files[kind.name] = tuple(found)
    return Sources(root, files, tuple(problems), kinds)


def find(root: Path, kind: InputKind) -> list[InputFile]:
    """The files of one kind below `root` (its bundled ones first), by name and stat."""
    if not kind.folder:
        found = _stat(str(root / kind.path), kind.path)
        return [found] if found is not None else []
    own = _walk(str(root / kind.path), kind.path, kind.suffixes)
    own.sort(key=_by_display)
    if kind.bundled is None:
        return own
    bundled = _walk(str(kind.bundled()), kind.bundled_as, kind.suffixes)
    return [*sorted(bundled, key=_by_display), *own]


def _by_display(entry: InputFile) -> str:
    return entry.display


def input_location(relative: Sequence[str]) -> InputKind | None:
    """The kind whose input a path below the site root (given as its parts) is, if any."""
    if not relative:
        return None
    for kind in input_kinds():
        if relative[0] != kind.path:
            continue
        if not kind.folder:
            return kind if len(relative) == 1 else None
        return kind
    return None


def _walk(folder: str, shown: str, suffixes: tuple[str, ...]) -> list[InputFile]:
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
            elif entry.is_file() and (not suffixes or entry.name.endswith(suffixes)):
                found.append(InputFile.of(display, entry.path, entry.stat()))
    return found


def _stat(path: str, display: str) -> InputFile | None:
    try:
        info = os.stat(path)  # noqa: PTH116 - str paths: thousands of files, no Path each
    except OSError:
        return None
    return InputFile.of(display, path, info)

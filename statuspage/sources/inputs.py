"""A site's inputs: the one registry of input kinds, and the scan that finds their files.

Everything that must know what a site's inputs are derives it from INPUT_KINDS: the scan, the
fingerprint and the newest-change check behind a build's no-op shortcut, the preview
server's watcher, and the output locations a build refuses to replace. A new kind of input
(uptime history, say) is one entry here with a reader that puts its data in `Site.inputs`.
"""

from __future__ import annotations

import errno
import hashlib
import itertools
import marshal
import operator
import os
import re
import stat
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple, Protocol

from ..errors import SourceError
from ..model.ids import ID_PATTERN, id_problem, printable
from ..model.site import InputData
from . import history
from .theme import THEME_DIR, default_theme_dir

Stamp = tuple[int, int, int, int]
"""An InputFile's stamp: size, modification and change times, inode."""
_MTIME, _CTIME = operator.itemgetter(1), operator.itemgetter(2)  # of a Stamp


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
    stamp: Stamp
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


_DISPLAY, _STAMP = operator.attrgetter("display"), operator.attrgetter("stamp")  # of an InputFile
_STEM = operator.attrgetter("stem")
_ENDS_YML = operator.methodcaller("endswith", ".yml")

Screen = Callable[[list[InputFile]], tuple[list[InputFile], list[SourceError]]]
"""Keeps the files of a kind that are inputs, and reports those whose names alone are wrong."""


class Remembered(NamedTuple):
    """What a FileMemo holds for a file: its content's digest, and its reader's value."""

    digest: str  # content_digest of the file's bytes
    # Gives the value, made from what the cache keeps when first called: a build may never
    # need the value of an old file. May raise ValueError, EOFError or TypeError when what
    # was kept cannot be read back (another version of Python wrote it, say).
    load: Callable[[], Any]


class FileMemo(Protocol):
    """What a kind's reader made of each of its files at earlier builds, kept by the cache.

    A reader puts a plain value for a file it read (str, numbers, None, and tuples, lists
    and dicts of those), with the digest of the file's bytes; a later build gets it back
    instead of reading the file again, as for incident files: for the same path and stamp
    when the stamp is old enough to trust, else for the same content, which the reader
    reads to tell. Nothing is given back that other code (another version of the reader)
    put, nor anything damaged since it was put (found as late as when its value is loaded:
    then `Remembered.load` raises ValueError).
    """

    def get(self, display: str, stamp: Stamp, digest: str | None = None) -> Remembered | None:
        """What was put for the file at `display`, if it still describes the file.

        Without `digest`, only for the same `stamp`, and one that can be trusted (a change
        in the clock tick of the last build's scan may have kept the stamp). With the
        digest of the file's bytes as they are now, for the same content, whatever stamp.
        """

    def put(self, display: str, stamp: Stamp, digest: str, value: Any) -> None:
        """Keep `value`, what the reader made of the file at `display` with that `stamp`
        and the content of that `digest`."""

    def whole(self, files: Sequence[InputFile]) -> Any:
        """What the reader put with `put_whole` at the last build, if that build had these
        very `files`, each with the same stamp, and every stamp can be trusted; else None.

        For a reader whose files are many and seldom change: what it made of them all.
        """

    def put_whole(self, files: Sequence[InputFile], value: Any) -> None:
        """Keep `value`, a plain value the reader made of all of `files`, for `whole`."""


Reader = Callable[
    [tuple[InputFile, ...], FileMemo | None], tuple[InputData | None, Sequence[SourceError]]
]
"""Reads the files of a kind into its data for `Site.inputs`, or reports their problems.

With a memo (a build with its cache), it may take what it made of unchanged files from
there, and puts there what it made of the others. Its data's digest must change whenever
the content of any of its files does, memo or not: it goes into the keys of outputs.
"""


class InputKind(NamedTuple):
    """One kind of input: where a site keeps it, which files count, and what reads them.

    The config, incidents and theme are read by the loader and the build themselves (the
    incidents file by file, with the cache), and the brand's files with the config; every
    other kind names its `read`er.
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
BRAND_DIR = "brand"


def _screen_incidents(found: list[InputFile]) -> tuple[list[InputFile], list[SourceError]]:
    """Incident files are `<id>.yaml` with an id unique across the tree."""
    valid = ID_PATTERN.fullmatch  # checked here first: this runs for every incident file
    stems = list(map(_STEM, found))
    if (  # mostly: all good, told by loops in C
        len(set(stems)) == len(stems)
        and all(map(valid, stems))
        and not any(map(_ENDS_YML, map(_DISPLAY, found)))
    ):
        return found, []
    problems: list[SourceError] = []
    incidents: list[InputFile] = []
    first: dict[str, str] = {}
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

# Read only when the site has an uptime/ folder: one missing entry at the root costs nothing.
UPTIME = InputKind(
    "uptime",
    history.UPTIME_DIR,
    folder=True,
    suffixes=(history.SUFFIX,),
    screen=history.screen,
    read=history.read,
)

# The logo statuspage.yaml names (`brand: logo:`) is read with the config, which says which.
BRAND = InputKind("brand", BRAND_DIR, folder=True, suffixes=(".svg",))

INPUT_KINDS: tuple[InputKind, ...] = (CONFIG, INCIDENTS, THEME, UPTIME, BRAND)
"""Every kind of input a site has. Code that needs the list reads it here when it runs."""


def input_kinds() -> tuple[InputKind, ...]:
    """The registered input kinds, as they are now (tests register more)."""
    return INPUT_KINDS


class Sources(NamedTuple):
    """Every input of a build, found by name and stat, before any is read."""

    root: Path
    files: dict[str, tuple[InputFile, ...]]  # by kind name, each kind's sorted by path
    # From names and links alone: bad and duplicate ids, .yml files, symlinks that lead out of
    # the site or in a circle, folders that cannot be listed.
    problems: tuple[SourceError, ...]
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
        return list(itertools.chain.from_iterable(self.files[kind.name] for kind in self.kinds))

    def fingerprint(self, *extra: str) -> str:
        """A digest of every input's path and stamp, and of `extra` (the clock, options)."""
        # The problems too: a file refused since the last build must not make a no-op of it.
        problems = list(map(SourceError.plain, self.problems))
        files = self.every_file()
        facts = (extra, list(zip(map(_DISPLAY, files), map(_STAMP, files), strict=True)), problems)
        # Version 2 has no back-references, whose use depends on reference counts: the same
        # facts give the same bytes in every process.
        return hashlib.blake2b(marshal.dumps(facts, 2), digest_size=16).hexdigest()

    def plain(self) -> tuple[Any, ...]:
        """The files, problems and warnings as plain values (marshal-able): `from_plain`
        makes these Sources again, in another process, say."""
        prefix = _as_prefix(str(self.root))
        return (
            {name: _plain_files(prefix, found) for name, found in self.files.items()},
            list(map(SourceError.plain, self.problems)),
            list(map(SourceError.plain, self.warnings)),
        )

    @classmethod
    def from_plain(cls, root: Path, plain: tuple[Any, ...]) -> Sources:
        """The Sources of `root` whose `plain` values these are."""
        files, problems, warnings = plain
        prefix = _as_prefix(str(root))
        return cls(
            root,
            {name: _files_of(prefix, columns) for name, columns in files.items()},
            tuple(SourceError(*problem) for problem in problems),
            input_kinds(),
            tuple(SourceError(*warning) for warning in warnings),
        )

    def newest_change_ns(self) -> int:
        """The latest modification or change time among the inputs (0 when there are none)."""
        stamps = list(map(_STAMP, self.every_file()))
        return max(max(map(_MTIME, stamps), default=0), max(map(_CTIME, stamps), default=0))


def scan(root: Path) -> Sources:
    """Find the files of every input kind under `root`, by name and stat alone.

    Symlinks count only where they lead to a place inside the site that is not hidden, and
    never in a circle; the others are problems. Files that look meant as inputs and are not
    read (a name in the wrong case, a hidden or dangling one) are warnings.
    """
    kinds = input_kinds()
    finder = _Finder(root)
    listing = finder.list_root()
    files: dict[str, tuple[InputFile, ...]] = {}
    for kind in kinds:
        found = finder.find(kind, listing)
        if kind.screen is not None:
            found, wrong = kind.screen(found)
            finder.problems.extend(wrong)
        files[kind.name] = tuple(found)
    finder.look_for_strays(listing)
    problems, warnings = tuple(sorted(finder.problems)), tuple(sorted(finder.warnings))
    return Sources(root, files, problems, kinds, warnings)


def find(root: Path, kind: InputKind) -> list[InputFile]:
    """The files of one kind below `root` (its bundled ones first), by name and stat."""
    finder = _Finder(root)
    return finder.find(kind, finder.list_root())


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


SNIFF_BYTES = 65536
"""How much of a stray YAML file at the site root is read to tell whether it is an incident."""

_INCIDENT_KEY = re.compile(rb"^updates:", re.MULTILINE)  # every incident has it; other YAML not

# Where a walk stands: a folder's path, how it is shown, its real path, and the real paths of
# the folders the walk left through symlinks to get there (a link back to one is a loop).
_Place = tuple[str, str, str, tuple[str, ...]]


class _Finder:
    """One scan of a site: its real root, and the problems and warnings found on the way.

    Only symlinks cost more than the listing of their folder: a DirEntry tells a file from a
    folder without a system call, and a symlink is resolved to see where it leads.
    """

    def __init__(self, root: Path) -> None:
        self.root = root
        self.real = os.path.realpath(root)
        self.prefix = _as_prefix(self.real)
        self.problems: list[SourceError] = []
        self.warnings: list[SourceError] = []

    def list_root(self) -> dict[str, os.DirEntry[str]]:
        """The entries at the site root by name (none when it does not exist)."""
        try:
            return {entry.name: entry for entry in os.scandir(self.root)}
        except (FileNotFoundError, NotADirectoryError):
            return {}
        except OSError as error:
            self._problem(str(self.root), 0, f"the site's folder cannot be listed: {_why(error)}")
            return {}

    def find(self, kind: InputKind, listing: Mapping[str, os.DirEntry[str]]) -> list[InputFile]:
        """The files of one kind (its bundled ones first), given the entries at the root."""
        own: list[InputFile] = []
        entry = listing.get(kind.path)
        if entry is not None:
            path = str(self.root / kind.path)
            if kind.folder:
                self._find_folder(kind, entry, path, own)
            else:
                self._find_file(kind, entry, path, own)
        if not kind.folder:
            return own
        own.sort(key=_DISPLAY)
        if kind.bundled is None:
            return own
        bundled: list[InputFile] = []
        folder = os.path.realpath(kind.bundled())
        self._walk((folder, kind.bundled_as, folder, ()), kind.suffixes, bundled, guarded=False)
        return [*sorted(bundled, key=_DISPLAY), *own]

    def look_for_strays(self, listing: Mapping[str, os.DirEntry[str]]) -> None:
        """Warn of what at the root looks meant as an input: a name misspelt, an incident."""
        meant = {spelling: kind.path for kind in input_kinds() for spelling in _spellings(kind)}
        for name, entry in listing.items():
            if name[0] == ".":
                continue
            wanted = meant.get(name.lower())
            if wanted is not None and name != wanted:
                message = f"not read: the site reads {wanted}, spelt so; rename it to {wanted}"
                self._warn(name, 0 if entry.is_dir() else 1, message)
            elif (
                name.endswith(INCIDENTS.suffixes)
                and wanted is None
                and entry.is_file(follow_symlinks=False)
                and _looks_like_incident(entry.path)
            ):
                moved = f"{INCIDENTS.path}/{name.rpartition('.')[0]}{INCIDENTS.suffixes[0]}"
                message = (
                    f"not read: it looks like an incident, but incidents are read from "
                    f"{INCIDENTS.path}/ only; move it to {moved}"
                )
                self._warn(name, 1, message)

    def _find_file(
        self, kind: InputKind, entry: os.DirEntry[str], path: str, found: list[InputFile]
    ) -> None:
        if entry.is_file(follow_symlinks=False):
            info = self._stat(entry, kind.path)
            if info is not None:
                found.append(InputFile.of(kind.path, path, info))
        elif not entry.is_symlink():
            self._problem(kind.path, 1, f"not a regular file; {kind.path} must be one")
        elif (target := self._follow(path, kind.path)) is not None:
            real, info = target
            if not stat.S_ISREG(info.st_mode):
                message = f"symlink to {self._shown(real)}, which is not a regular file"
                self._problem(kind.path, 1, message)
            elif not self._refused(kind.path, real, "file"):
                found.append(InputFile.of(kind.path, real, info))

    def _find_folder(
        self, kind: InputKind, entry: os.DirEntry[str], path: str, found: list[InputFile]
    ) -> None:
        here: _Place = (path, kind.path, f"{self.prefix}{kind.path}", ())
        if entry.is_symlink():
            target = self._follow(path, kind.path)
            if target is None:
                return
            real, info = target
            if not stat.S_ISDIR(info.st_mode):
                message = f"not read: symlink to {self._shown(real)}, which is not a folder"
                self._warn(kind.path, 0, message)
                return
            if self._refused(kind.path, real, "folder") or self._loops(
                kind.path, real, (self.real,), {}
            ):
                return
            here = (real, kind.path, real, (self.real,))
        elif not entry.is_dir(follow_symlinks=False):
            message = f"not read: not a folder; keep these inputs in a folder named {kind.path}"
            self._warn(kind.path, 0, message)
            return
        self._walk(here, kind.suffixes, found, guarded=True)

    def _walk(
        self, start: _Place, suffixes: tuple[str, ...], found: list[InputFile], guarded: bool
    ) -> None:
        """Add the files below the folder at `start`; hidden ones skipped, symlinks checked.

        `guarded`: symlinks must lead to places inside the site (not so in the package).
        """
        stack = [start]
        # The real folders entered through symlinks, with the first symlink to each: without
        # it, links to links to one folder would make the walk grow exponentially.
        entered: dict[str, str] = {}
        while stack:
            current, prefix, real, jumps = stack.pop()
            try:
                entries = list(os.scandir(current))
            except FileNotFoundError:
                continue  # deleted since its folder was listed
            except OSError as error:
                self._problem(prefix, 0, f"cannot be listed: {_why(error)}")
                continue
            folders: list[tuple[str, str]] = []
            links: list[tuple[str, str]] = []
            make = InputFile._make
            for entry in entries:
                name = entry.name
                if name[0] == ".":
                    if suffixes and name.endswith(suffixes) and entry.is_file():
                        self._warn_hidden(f"{prefix}/{name}", name)
                    continue
                display = f"{prefix}/{name}"
                if not name.isprintable() and (
                    not suffixes or name.endswith(suffixes) or entry.is_dir()
                ):
                    # A newline or an escape sequence in a message would forge or hide lines.
                    message = "the name holds a character that is not printable, or not UTF-8"
                    self._problem(printable(display), 0, f"{message}; rename it")
                    continue
                if entry.is_file(follow_symlinks=False):
                    if not suffixes or name.endswith(suffixes):
                        # _stat and InputFile.of, spelt out: this runs for every file.
                        try:
                            info = entry.stat(follow_symlinks=False)
                        except OSError as error:
                            self._unreadable(error, display)
                            continue
                        stamp = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
                        stem = name.rpartition(".")[0] or name
                        found.append(make((display, entry.path, stamp, stem)))
                    elif name.lower().endswith(suffixes):
                        self._warn_case(display, name, suffixes[0])
                elif entry.is_dir(follow_symlinks=False):
                    folders.append((name, entry.path))
                elif entry.is_symlink():
                    links.append((name, entry.path))
                elif not suffixes or name.endswith(suffixes):
                    self._warn(display, 1, "not read: not a regular file; replace it with one")
            # In an order of their names, so that which of two links to a folder is the one
            # refused is the same on every file system.
            for name, path in sorted(folders, reverse=True):
                stack.append((path, f"{prefix}/{name}", f"{real}{os.sep}{name}", jumps))
            for name, path in sorted(links):
                place = (f"{prefix}/{name}", real, jumps)
                self._walk_link(path, place, suffixes, found, stack, entered, guarded)

    def _walk_link(
        self,
        path: str,
        place: tuple[str, str, tuple[str, ...]],
        suffixes: tuple[str, ...],
        found: list[InputFile],
        stack: list[_Place],
        entered: dict[str, str],
        guarded: bool,
    ) -> None:
        """Follow a symlink met in a walk: to a file to add, or a folder to walk, if allowed."""
        display, real, jumps = place
        target = self._follow(path, display)
        if target is None:
            return
        to, info = target
        if stat.S_ISDIR(info.st_mode):
            holders = (real, *jumps)
            if guarded and self._refused(display, to, "folder"):
                return
            if not self._loops(display, to, holders, entered):
                stack.append((to, display, to, holders))
        elif suffixes and not display.endswith(suffixes):
            return  # not an input, whatever it leads to
        elif not stat.S_ISREG(info.st_mode):
            message = f"not read: symlink to {self._shown(to)}, which is not a regular file"
            self._warn(display, 1, message)
        elif not (guarded and self._refused(display, to, "file")):
            found.append(InputFile.of(display, to, info))

    def _follow(self, path: str, display: str) -> tuple[str, os.stat_result] | None:
        """The real path a symlink leads to, and its stat; None, reported, when it cannot be."""
        try:
            real = os.path.realpath(path, strict=True)
            return real, os.lstat(real)
        except (FileNotFoundError, NotADirectoryError):
            message = (
                f"not read: symlink to {_link_text(path)}, which does not exist; "
                f"remove it or restore what it points to"
            )
            self._warn(display, 1, message)
        except OSError as error:
            if error.errno == errno.ELOOP:
                message = (
                    "symlink loop (or too long a chain of symlinks); "
                    "replace it with the file itself"
                )
            else:
                message = f"cannot be read: {_why(error)}"
            self._problem(display, 1, message)
        return None

    def _refused(self, display: str, real: str, what: str) -> bool:
        """Report a symlink to a place no input may come from: outside the site, or hidden."""
        if not _holds(self.real, real):
            message = (
                f"symlink to {real} points outside the site; replace it with the {what} itself"
            )
        elif f"{os.sep}." in os.sep + real[len(self.prefix) :]:
            message = (
                f"symlink to {self._shown(real)} points into a hidden place, which holds no "
                f"inputs; replace it with the {what} itself"
            )
        else:
            return False
        self._problem(display, 0 if what == "folder" else 1, message)
        return True

    def _loops(
        self, display: str, real: str, holders: tuple[str, ...], entered: dict[str, str]
    ) -> bool:
        """Report a symlink to a folder that holds it, or to one entered through another link."""
        if any(_holds(real, folder) for folder in holders):
            message = (
                f"symlink to {self._shown(real)} makes a loop: that folder holds the link; "
                f"remove it"
            )
        elif real in entered:
            message = (
                f"symlink to {self._shown(real)}, a folder read already through "
                f"{entered[real]}; remove one of the two"
            )
        else:
            entered[real] = display
            return False
        self._problem(display, 0, message)
        return True

    def _stat(self, entry: os.DirEntry[str], display: str) -> os.stat_result | None:
        try:
            return entry.stat(follow_symlinks=False)
        except OSError as error:
            self._unreadable(error, display)
            return None

    def _unreadable(self, error: OSError, display: str) -> None:
        """Report a file whose stat failed, unless it was deleted since its folder was listed."""
        if not isinstance(error, FileNotFoundError):
            self._problem(display, 1, f"cannot be read: {_why(error)}")

    def _shown(self, real: str) -> str:
        """A real path as messages show it: relative to the site root when inside it."""
        if real == self.real:
            return "the site's own folder"
        if real.startswith(self.prefix):
            return real[len(self.prefix) :].replace(os.sep, "/")
        return real

    def _warn_hidden(self, display: str, name: str) -> None:
        message = (
            f"not read: hidden files are skipped; rename it to {name.lstrip('.')} to have it "
            f"read, or keep drafts in a hidden folder such as .drafts/"
        )
        if not name.startswith(".#"):  # an editor's lock file (Emacs), not a user's
            self._warn(display, 1, message)

    def _warn_case(self, display: str, name: str, suffix: str) -> None:
        folder = display.partition("/")[0]
        renamed = f"{name.rpartition('.')[0]}{suffix}"
        message = f"not read: files in {folder}/ end in lowercase {suffix}; rename it to {renamed}"
        self._warn(display, 1, message)

    def _warn(self, display: str, line: int, message: str) -> None:
        self.warnings.append(SourceError(display, line, line, f"warning: {message}"))

    def _problem(self, display: str, line: int, message: str) -> None:
        self.problems.append(SourceError(display, line, line, message))


def _plain_files(prefix: str, found: Sequence[InputFile]) -> tuple[Any, ...]:
    """A kind's files as four columns, made by C code: their paths relative to the root,
    the full paths that are not the root's prefix and that (by number), stamps and stems."""
    if not found:
        return ((), {}, (), ())
    displays, paths, stamps, stems = zip(*found, strict=True)
    derived = map(prefix.__add__, displays)
    moved = itertools.compress(itertools.count(), map(operator.ne, paths, derived))
    return (displays, {n: paths[n] for n in moved}, stamps, stems)


def _files_of(prefix: str, columns: tuple[Any, ...]) -> tuple[InputFile, ...]:
    """The files `_plain_files` made `columns` of."""
    displays, moved, stamps, stems = columns
    paths = list(map(prefix.__add__, displays))
    for number, path in moved.items():
        paths[number] = path
    return tuple(map(InputFile._make, zip(displays, paths, stamps, stems, strict=True)))


def _as_prefix(folder: str) -> str:
    return folder if folder.endswith(os.sep) else folder + os.sep


def _holds(folder: str, other: str) -> bool:
    """Whether `other` is `folder` or inside it (both real paths)."""
    return other == folder or other.startswith(_as_prefix(folder))


def _spellings(kind: InputKind) -> set[str]:
    """The lowercase names at the root a user may have meant for the kind's own."""
    lower = kind.path.lower()
    if lower.endswith(".yaml"):
        return {lower, lower.removesuffix(".yaml") + ".yml"}
    return {lower}


def _looks_like_incident(path: str) -> bool:
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - str paths, as the scan has them
            head = handle.read(SNIFF_BYTES)
    except OSError:
        return False
    return _INCIDENT_KEY.search(head) is not None


def _link_text(path: str) -> str:
    try:
        return os.readlink(path)  # noqa: PTH115 - str paths, as the scan has them
    except OSError:
        return "a place"


def _why(error: OSError) -> str:
    reason = error.strerror or type(error).__name__
    if isinstance(error, PermissionError):
        return f"{reason}; give the user who runs statuspage read access"
    return reason

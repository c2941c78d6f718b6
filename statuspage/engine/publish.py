"""Publish a build: bring a spare copy of the site up to date, then swap it in at once.

The output folder has a spare twin that holds the build before the current one. A build
writes only the files whose key differs from the spare's, links those the live site already
has right, then exchanges the two folders in one rename: readers see the old site or the new
one, never a mix, and a build that fails leaves the live site as it was. After the swap the
old site becomes the spare for the next build. A folder whose contents are not known is never
trusted: it is emptied and written in full.

Only folders of ours are ever emptied, replaced or removed: those holding the marker file,
which a build writes into a folder first of all, empty ones, and those known from the cache.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from ..errors import OutputRefused
from ..render.jobs import MARKER, MARKER_HEAD, MARKER_TEXT, Job
from .cache import Manifest, TreeState, UnitEntry, process_ended

UNIT = "@"  # starts the manifest entry of an incident's own files; no output path does
_ID = "\0"  # stands for the incident's id in the paths of its manifest entry


def manifest_of(jobs: Iterable[Job], carried: Manifest | None = None) -> Manifest:
    """The manifest of the files `jobs` make, with the entries of `carried` besides."""
    manifest = dict(carried) if carried else {}
    units: dict[str, tuple[list[str], list[str]]] = {}
    for job in jobs:
        if job.unit:
            paths, keys = units.setdefault(job.unit, ([], []))
            paths.append(job.path)
            keys.append(job.key)
        else:
            manifest[job.path] = job.key
    shapes: dict[str, str] = {}  # one object for each distinct string of paths
    for unit, (paths, keys) in units.items():
        joined = " ".join(paths)
        if joined.count(" ") != len(paths) - 1 or _ID in joined:
            raise ValueError(f"an incident's own files need paths without spaces: {paths}")
        shape = joined.replace(unit, _ID)
        manifest[UNIT + unit] = (shapes.setdefault(shape, shape), " ".join(keys))
    return manifest


def unit_files(unit: str, entry: str | UnitEntry | None) -> dict[str, str]:
    """The files of an incident's manifest entry (None: none), with their keys, by path."""
    if not isinstance(entry, tuple):
        return {}
    shape, keys = entry
    paths = shape.replace(_ID, unit).split(" ")
    return dict(zip(paths, keys.split(" "), strict=True))


def file_count(manifest: Manifest) -> int:
    """How many files a folder with `manifest` holds."""
    return sum(
        value[1].count(" ") + 1 if name[0] == UNIT else 1 for name, value in manifest.items()
    )


class Changes(NamedTuple):
    """What turning the spare folder into the new site takes."""

    render: list[Job]  # new bytes: render and write
    link: list[str]  # the live site has these right: link them
    remove: list[str]  # the spare has these and the new site does not
    unchanged: bool  # the live site already is the new site


def identity(path: Path) -> tuple[int, ...] | None:
    """What tells a folder from another, or from itself once changed; None when it is absent.

    Device and inode move with the folder when it is swapped; its times change when an
    entry is added to or removed from it, so a folder emptied by hand, or made anew with a
    reused inode, is not taken for the one a build left. (Changes deeper down go unseen:
    the output folder is the build's own.)
    """
    try:
        info = path.stat()
    except FileNotFoundError:
        return None
    return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_ctime_ns)


def marked(folder: Path) -> bool:
    """Whether `folder` holds our marker: a file (not a link) that starts as ours do."""
    # Not through a link, and without waiting on a pipe of that name.
    flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0)
    try:
        handle = os.open(folder / MARKER, flags)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(handle).st_mode):
            return False
        return os.read(handle, len(MARKER_HEAD)) == MARKER_HEAD
    except OSError:
        return False
    finally:
        os.close(handle)


def owned(folder: Path) -> bool:
    """Whether a build may empty, replace or remove `folder`: an empty folder, or a marked one."""
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        with os.scandir(folder) as entries:
            if next(entries, None) is None:
                return True
    except OSError:
        return False
    return marked(folder)


def foreign(folder: Path, out: Path) -> OutputRefused:
    """The error for a folder in the way of building `out` that is not ours to empty."""
    return OutputRefused(
        f"{folder} is in the way of building {out} and was not written by statuspage "
        f"(no {MARKER}); move it away, or choose another --out"
    )


def staging_folder(out: Path, pid: int) -> Path:
    """Where the build in process `pid` writes the new site when it keeps no spare."""
    return out.with_name(f".{out.name}.tmp-{pid}")


def remove_abandoned(out: Path) -> None:
    """Remove the staging folders of killed builds of `out`: their process is gone, and ours."""
    prefix = staging_folder(out, 0).name.removesuffix("0")
    try:
        entries = list(os.scandir(out.parent))
    except OSError:  # no parent yet: nothing to remove
        return
    for entry in entries:
        pid = entry.name[len(prefix) :]
        if entry.name.startswith(prefix) and pid.isascii() and pid.isdigit():
            folder = Path(entry.path)
            if process_ended(int(pid)) and owned(folder):
                shutil.rmtree(folder, ignore_errors=True)


def _known(path: Path, state: TreeState | None) -> Manifest | None:
    """The manifest of `path` when the saved state is of that very folder, else None."""
    if state is None or identity(path) != state.identity:
        return None
    return state.manifest


@dataclass
class OutputTrees:
    """The live output folder and its spare, with what each is known to hold."""

    out: Path
    spare: Path
    live: Manifest | None  # None when unknown
    spare_files: Manifest | None
    spare_owned: bool = False  # the spare's place is the build's own (in the cache)

    @classmethod
    def open(
        cls,
        out: Path,
        spare: Path,
        live: TreeState | None,
        spare_state: TreeState | None,
        *,
        spare_owned: bool = False,
    ) -> OutputTrees:
        """The trees at `out` and `spare`, trusting saved states only for the same folders."""
        return cls(out, spare, _known(out, live), _known(spare, spare_state), spare_owned)

    def changes(self, jobs: Iterable[Job], target: Manifest) -> Changes:
        """Compare the new site's manifest `target` with both folders; `jobs` make its files.

        `target` may hold entries the jobs do not make: files known unchanged since the last
        build, whose bytes the live site already has.
        """
        live = self.live or {}
        if self.live is not None and live == target:
            return Changes([], [], [], unchanged=True)
        spare = self.spare_files or {}
        # Set operations on the manifests' items run in C: most of a large site is the same
        # in the spare, the live folder and the plan, and only the differences are visited.
        to_render: set[str] = set()
        link: list[str] = []
        remove: list[str] = []
        for name, key in target.items() - spare.items():  # what the spare lacks or has wrong
            if not name.startswith(UNIT):
                if live.get(name) == key:
                    link.append(name)
                else:
                    to_render.add(name)
                continue
            unit = name[1:]
            wanted = unit_files(unit, key)
            had = unit_files(unit, spare.get(name))
            shown = unit_files(unit, live.get(name))
            for path, file_key in wanted.items():
                if had.get(path) == file_key:
                    continue
                if shown.get(path) == file_key:
                    link.append(path)
                else:
                    to_render.add(path)
            remove.extend(had.keys() - wanted.keys())  # files the incident no longer makes
        render = [job for job in jobs if job.path in to_render]
        for name in spare.keys() - target.keys():
            if name.startswith(UNIT):
                remove.extend(unit_files(name[1:], spare[name]))
            else:
                remove.append(name)
        return Changes(render, sorted(link), sorted(remove), unchanged=False)

    def prepare(self) -> TreeWriter:
        """Make the spare folder ready to be written; one of unknown contents is emptied.

        Raises OutputRefused, having changed nothing, when a folder of unknown contents that is
        not ours is in the spare's place. The marker is written first of all: a build killed
        afterwards leaves a folder that the next one knows as its own.
        """
        if self.spare_files is None and os.path.lexists(self.spare):
            if not (self.spare_owned and not self.spare.is_symlink()) and not owned(self.spare):
                raise foreign(self.spare, self.out)
            shutil.rmtree(self.spare)
        fresh = not self.spare.exists() or not any(self.spare.iterdir())
        made = not self.spare.exists()
        self.spare.mkdir(parents=True, exist_ok=True)
        writer = TreeWriter(str(self.spare), fresh)
        try:
            writer.write(MARKER, MARKER_TEXT)
        except BaseException:
            if made:
                shutil.rmtree(self.spare, ignore_errors=True)
            raise
        return writer

    def remove(self, paths: Iterable[str]) -> None:
        """Delete `paths` from the spare folder, and the folders that this leaves empty."""
        parents: set[Path] = set()
        for path in paths:
            target = self.spare / path
            with contextlib.suppress(FileNotFoundError):
                target.unlink()
            parents.add(target.parent)
        for folder in sorted(parents, key=lambda p: len(p.parts), reverse=True):
            while folder != self.spare:
                try:
                    folder.rmdir()
                except OSError:
                    break  # not empty: kept
                folder = folder.parent

    def swap(self) -> None:
        """Put the spare folder in the live one's place; the old live site becomes the spare.

        Where there was no live site there is no spare afterwards: the next build makes one,
        linking the live site's files.
        """
        if not self.out.exists():
            self.spare.rename(self.out)
            return
        if exchange(self.spare, self.out):
            return
        # Without an atomic exchange (not Linux): three renames, a moment without a site.
        parked = self.out.with_name(f".{self.out.name}.swap")
        self.out.rename(parked)
        self.spare.rename(self.out)
        parked.rename(self.spare)


@dataclass
class TreeWriter:
    """Writes files into a prepared spare folder; picklable, so workers write for themselves."""

    spare: str
    fresh: bool  # the spare was empty: no old file to remove first
    _made: set[str] = field(default_factory=lambda: {""})  # folders made so far

    def write(self, path: str, content: bytes) -> int:
        """Put `content` at `path` in the spare folder; return its size."""
        target = self._place(path)
        # O_EXCL: never write through an old inode that the live site may share.
        handle = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        try:
            os.write(handle, content)
        finally:
            os.close(handle)
        return len(content)

    def link(self, live: Path, paths: Iterable[str]) -> int:
        """Give the spare folder the live site's files at `paths`, as hard links."""
        count = 0
        for path in paths:
            os.link(os.path.join(live, path), self._place(path))
            count += 1
        return count

    def _place(self, path: str) -> str:
        """The spare's file at `path` as a string, its folder made and any old file removed."""
        folder, _, _ = path.rpartition("/")
        if folder not in self._made:
            where = os.path.join(self.spare, folder)
            try:  # mostly the parent exists: one mkdir, without makedirs' stat of each part
                os.mkdir(where)
            except FileNotFoundError:
                os.makedirs(where, exist_ok=True)
            except FileExistsError:
                pass  # made by another worker
            self._made.add(folder)
        target = os.path.join(self.spare, path)
        if not self.fresh:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(target)
        return target


def tree_state(
    path: Path, manifest: Manifest | None, memo: tuple[Any, ...] | None = None
) -> TreeState | None:
    """The state to save for the folder at `path`, or None when it is absent or unknown."""
    found = identity(path)
    if found is None or manifest is None:
        return None
    return TreeState(found, manifest, memo)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with Linux's renameat2; False where that is not available."""
    import ctypes  # only builds that publish need it

    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
        renameat2.argtypes = [
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_uint,
        ]
        result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
        return bool(result == 0)
    return False

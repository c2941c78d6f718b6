"""A renderer's stash: bytes it made in an earlier build, kept by key in the build cache, so
that a file made of many parts renders again only the parts whose key is new.

A key must cover everything the bytes depend on, as a job's key does; the stash also keys
its folder by the code that made them (`code_stamp`), so a changed renderer never reads what
an older one stashed. Reading and writing never fail a build: a part that cannot be read is
made again, one that cannot be written is not kept. Each renderer has a folder of its own,
and only the job that uses it reads, writes and prunes it, once a build (builds hold the
cache's lock), so workers never share one.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path

from .. import __version__
from .jobs import digest


def code_stamp(*folders: Path) -> str:
    """A digest of the code in `folders`: the name, size and time of each module."""
    stamps = [__version__]
    for folder in folders:
        for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
            if entry.name.endswith(".py"):
                info = entry.stat()
                stamps.append(f"{folder.name}/{entry.name} {info.st_size} {info.st_mtime_ns}")
    return digest(*stamps)


class Stash:
    """One renderer's stash in `folder` (made on first write)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def get(self, key: str) -> bytes | None:
        """What was put under `key`, or None."""
        try:
            return (self.folder / key).read_bytes()
        except OSError:
            return None

    def kept(self) -> frozenset[str]:
        """The keys something is kept under (whether it reads is `get`'s to say)."""
        try:
            names = os.listdir(self.folder)  # noqa: PTH208 - names, not a Path object each
        except OSError:
            return frozenset()
        return frozenset(name for name in names if not name.startswith("."))

    def put(self, key: str, data: bytes) -> None:
        """Keep `data` under `key`, whole or not at all."""
        path = self.folder / key
        temporary = self.folder / f".{key}.{os.getpid()}"
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            temporary.write_bytes(data)
            temporary.replace(path)
        except OSError:
            temporary.unlink(missing_ok=True)

    def keep(self, keys: set[str]) -> None:
        """Forget everything but `keys`."""
        try:
            stale = [path for path in self.folder.iterdir() if path.name not in keys]
        except OSError:
            return
        for path in stale:
            with contextlib.suppress(OSError):
                path.unlink(missing_ok=True)

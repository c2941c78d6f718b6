"""Build a site: load, render, then write the output folder in one atomic swap."""

from __future__ import annotations

import contextlib
import ctypes
import os
import secrets
import shutil
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .errors import OutputError
from .loader import INCIDENTS_DIR, load_site
from .models import Site
from .outputs import Output
from .render import render_pages
from .theme import THEME_DIR, Theme

DEFAULT_OUT = "public"


@dataclass(frozen=True, slots=True)
class BuildResult:
    """What a build wrote, for the command to report."""

    site: Site
    out: Path
    files: int
    size: int
    seconds: float


def render_site(site: Site, now: datetime, theme: Theme) -> list[Output]:
    """Every output file of the site: a pure function of the site, the clock and the theme."""
    return render_pages(site, now, theme)


def build_site(root: Path, out: Path, now: datetime) -> BuildResult:
    """Validate and render the site at `root`, then replace `out` with the result atomically.

    Raises ValidationFailed (nothing written), ThemeError (nothing written) or OutputError
    (the old output untouched).
    """
    started = time.perf_counter()
    root = root.resolve()
    out = out.resolve()
    check_output_location(root, out)
    site = load_site(root)
    outputs = render_site(site, now, Theme.load(root))
    size = write_atomically(outputs, out)
    return BuildResult(site, out, len(outputs), size, time.perf_counter() - started)


def check_output_location(root: Path, out: Path) -> None:
    """Refuse an output folder whose replacement would destroy the site's own files."""
    if out == root or out in root.parents:
        raise OutputError(f"{out} holds the site's own files; choose another --out, such as public")
    for protected in (INCIDENTS_DIR, THEME_DIR):
        folder = root / protected
        if out == folder or folder in out.parents:
            raise OutputError(f"{out} is inside {protected}/; choose another --out, such as public")
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out} exists and is not a folder; remove it or choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / "index.html").is_file():
        raise OutputError(
            f"{out} is not empty and does not look like a statuspage build (no index.html); "
            f"empty it or choose another --out"
        )


def write_atomically(outputs: Iterable[Output], out: Path) -> int:
    """Write `outputs` into a sibling temporary folder, then swap it in place of `out`.

    Returns the bytes written. A reader sees the old site or the new one, never a mix;
    on any failure the old output stays as it was and the temporary folder is removed.
    """
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.tmp-{os.getpid()}-{secrets.token_hex(4)}"
    try:
        staging.mkdir()
        size = _write_tree(outputs, staging)
        _swap_in(staging, out)
    except BaseException as exc:
        shutil.rmtree(staging, ignore_errors=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {out}: {exc}") from exc
        raise
    return size


def _write_tree(outputs: Iterable[Output], folder: Path) -> int:
    size = 0
    made: set[str] = set()
    written: set[str] = set()
    for output in outputs:
        if output.path in written:
            raise OutputError(f"two outputs claim the same file {output.path}")  # a renderer bug
        written.add(output.path)
        parent, _, _ = output.path.rpartition("/")
        if parent and parent not in made:
            (folder / parent).mkdir(parents=True, exist_ok=True)
            made.add(parent)
        (folder / output.path).write_bytes(output.content)
        size += len(output.content)
    return size


def _swap_in(staging: Path, out: Path) -> None:
    """Put `staging` where `out` is; the old `out`, if any, is removed afterwards."""
    if not out.exists():
        staging.rename(out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging)  # it holds the old output now
        return
    retired = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    out.rename(retired)
    try:
        staging.rename(out)
    except OSError:
        retired.rename(out)
        raise
    shutil.rmtree(retired, ignore_errors=True)


_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step with Linux's renameat2; False where that is not available."""
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

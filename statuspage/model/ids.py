"""Ids of components and incidents: lowercase letters, digits and hyphens."""

from __future__ import annotations

import re

# Names Windows keeps for devices: no file or folder may have one (with any extension), so a
# repository holding `incidents/con.yaml` or writing `components/aux/` cannot be checked out
# or built there.
WINDOWS_DEVICE_NAMES = frozenset(
    ["con", "prn", "aux", "nul", *(f"{port}{n}" for port in ("com", "lpt") for n in range(10))]
)

MAX_ID_CHARS = 100
"""Characters in an id: it names files and folders (`components/<id>/`, `badges/<id>.svg`),
and file systems allow 255 bytes a name, Windows 260 a whole path."""

_CHARACTERS = r"[a-z0-9][a-z0-9-]"
ID_PATTERN = re.compile(
    rf"(?!(?:con|prn|aux|nul|com[0-9]|lpt[0-9])\Z){_CHARACTERS}{{0,{MAX_ID_CHARS - 1}}}"
)
"""What a valid id matches in full: device names and long ids fail it, so one match is the
whole check."""


def id_problem(value: str, what: str) -> str | None:
    """Why `value` is not a valid id, or None when it is one."""
    if ID_PATTERN.fullmatch(value):
        return None
    if value.lower() in WINDOWS_DEVICE_NAMES:
        return (
            f"{what} '{value}' is a device name on Windows, where no file or folder can have "
            f"it; choose another, such as '{value.lower()}-1'"
        )
    if len(value) > MAX_ID_CHARS and re.fullmatch(f"{_CHARACTERS}*", value):
        return (
            f"{what} '{value[:20]}...' is {len(value):,} characters long, more than the limit "
            f"of {MAX_ID_CHARS}; choose a shorter one"
        )
    shown = printable(value)  # a file name may hold anything
    shown = shown if len(shown) <= _SHOWN else f"{shown[: _SHOWN - 3]}..."
    hint = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
    good = hint and len(hint) <= _SHOWN and id_problem(hint, what) is None
    better = f"; for example '{hint}'" if good else ""
    return (
        f"{what} '{shown}' must be lowercase letters, digits and hyphens, "
        f"starting with a letter or digit{better}"
    )


_SHOWN = 60  # characters of a wrong id a message quotes


def printable(text: str) -> str:
    """`text` with every character that is not printable written as its escape.

    A byte that is not UTF-8 (which Python holds as a lone surrogate) is shown as `\\xff`.
    """
    return "".join(
        c
        if c.isprintable()
        else f"\\x{ord(c) - 0xDC00:02x}"
        if 0xDC80 <= ord(c) <= 0xDCFF
        else repr(c)[1:-1]
        for c in text
    )

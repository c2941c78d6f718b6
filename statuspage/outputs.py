"""The unit every renderer produces: a file's path in the output and its bytes."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Output:
    """One file of the built site; `path` is relative to the output folder, with forward slashes."""

    path: str
    content: bytes

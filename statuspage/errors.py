"""The exceptions statuspage raises; every one a user can cause carries a message to act on."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


class StatuspageError(Exception):
    """Base of every error statuspage raises on purpose."""


@dataclass(frozen=True, slots=True, order=True)
class SourceError:
    """One problem in an input file at a 1-based line and column (0: the whole file)."""

    path: str
    line: int
    column: int
    message: str

    def plain(self) -> tuple[str, int, int, str]:
        """Its fields as plain values, which marshal keeps: `SourceError(*plain)` is it again."""
        return (self.path, self.line, self.column, self.message)

    def __str__(self) -> str:
        if self.line:
            return f"{self.path}:{self.line}:{self.column}: {self.message}"
        return f"{self.path}: {self.message}"


class ValidationFailed(StatuspageError):
    """The site's files hold one or more problems; all of them are listed, sorted."""

    def __init__(self, problems: Iterable[SourceError]) -> None:
        self.problems: tuple[SourceError, ...] = tuple(sorted(set(problems)))
        super().__init__("\n".join(str(p) for p in self.problems))

    @property
    def summary(self) -> str:
        """A one-line count such as '3 problems in 2 files'."""
        files = len({p.path for p in self.problems})
        count = len(self.problems)
        return (
            f"{count} problem{'s' if count != 1 else ''} in {files} file{'s' if files != 1 else ''}"
        )


class ThemeError(StatuspageError):
    """A template of the theme is broken: a syntax error or a name it does not have."""


class OutputError(StatuspageError):
    """The output directory cannot be written or replaced safely."""


class UsageError(StatuspageError):
    """The command was asked for what it refuses: it must be run otherwise, and exits with 2."""


class OutputRefused(OutputError, UsageError):
    """The output folder, or one a build needs beside it, is not statuspage's to replace.

    Nothing was changed; the command must name another --out (a usage error).
    """


class SiteLocked(StatuspageError):
    """Another build or check of the same site held its lock for longer than one waits."""


class HistoryLocked(StatuspageError):
    """Another probe run held the uptime history's lock for longer than one waits."""


class PostFailed(StatuspageError):
    """A channel could not be reached or refused a post: the message names the channel's
    address with every secret masked, and what it answered; nothing was marked posted."""

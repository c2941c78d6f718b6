"""Output jobs and the Renderer protocol: each file of the site, planned with a key that changes
exactly when its bytes may.

Planning is cheap: it needs only incident summaries. A build compares the keys with those of
the files already written and renders just the jobs whose key is new, loading in full only
the incidents those jobs `need`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple, Protocol

from .. import __version__

if TYPE_CHECKING:
    from ..model import IncidentSummary
    from ..sources.theme import Theme
    from .templates import TemplateCache

JobArg = str | int

MARKER = ".statuspage-build"
"""A file of ours in every output folder: only folders that hold it are ever emptied or replaced."""
MARKER_HEAD = b"statuspage build output"  # how a marker is recognised, whatever follows it
MARKER_TEXT = MARKER_HEAD + b": each build replaces this whole folder; keep nothing else in it.\n"


class Job(NamedTuple):
    """One output file to render: which renderer makes it, from what, and its key.

    A named tuple: a build plans one for every file of the site (40,000 at 10,000
    incidents) and sends thousands to its workers, and tuples are made and pickled fast.
    """

    path: str  # relative to the output folder, with forward slashes
    kind: str  # which render function makes it: 'incident', 'history', 'asset', ...
    args: tuple[JobArg, ...]  # what that function is given besides the site
    needs: tuple[str, ...]  # incidents whose whole text it shows
    key: str  # changes whenever anything the output depends on does
    unit: str = ""  # the incident it is made for alone (its page, its feeds), if any


def digest(*parts: object) -> str:
    """A short stable digest of `parts` (by their repr), for keys."""
    text = "\0".join(map(repr, parts))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


class KeyMaker:
    """Makes job keys: a base shared by every job, plus what each job itself depends on."""

    def __init__(self, *base: object) -> None:
        self.base = digest(__version__, *base)

    def job(
        self,
        path: str,
        kind: str,
        args: tuple[JobArg, ...] = (),
        needs: Iterable[str] = (),
        depends: Iterable[object] = (),
        unit: str = "",
    ) -> Job:
        """A Job whose key covers the base, its own path and arguments and `depends`."""
        needed = tuple(needs)
        return Job(path, kind, args, needed, digest(self.base, path, kind, args, *depends), unit)


class RenderContext(NamedTuple):
    """What renderers are given besides the site: the build's clock and the theme, and
    where they may keep parts of their files between builds (see render.stash)."""

    now: datetime
    theme: Theme
    templates: TemplateCache  # compiled templates and what each reads, shared by renderers
    stashes: Path | None = None  # a folder for each renderer's Stash; None: nothing is kept


class Renderer(Protocol):
    """Plans and renders one part of the site's output (pages, feeds, the API, badges...).

    A renderer's files are of two sorts. Those made for one incident alone (its page, its
    feeds) come from `plan_incident`, with the incident's id as their `unit`; how many there
    are may depend on the incident (one per update, say). Those of a closed incident depend
    on nothing but the incident and `incident_base()`, so a build whose bases are unchanged
    carries the keys of unchanged closed incidents' files over from the last build without
    planning them; open incidents are planned on every build. Every other file comes from
    `plan_site`.
    """

    @property
    def kinds(self) -> Mapping[str, float]:
        """The job kinds it makes, each with its rough cost relative to an incident page."""
        ...

    def incident_base(self) -> str:
        """What every file made for one incident depends on besides that incident."""
        ...

    def plan_site(self) -> list[Job]:
        """The files that are not made for one incident alone, each with its key."""
        ...

    def plan_incident(self, incident: IncidentSummary) -> list[Job]:
        """The files made for `incident` alone, each with its key and the incident as unit."""
        ...

    def render(self, job: Job) -> bytes:
        """The bytes of one of its planned files."""
        ...

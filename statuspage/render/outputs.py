"""Every output of a site: the list of renderers behind one plan, and the pure `render_site`."""

from __future__ import annotations

import functools
import re
import types
from collections.abc import Callable, Container, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

from ..errors import ThemeError
from ..model import Component, Config, Site
from ..model.ids import ID_PATTERN
from ..social.manifest import SocialRenderer
from ..sources.config import ID_SLOT, ComponentFiles
from ..sources.theme import THEME_DIR, Theme
from .api import ApiRenderer
from .badges import BadgeRenderer
from .feeds import FeedRenderer
from .jobs import MARKER, MARKER_TEXT, Job, RenderContext, Renderer
from .pages import PageRenderer
from .templates import PAGE_TEMPLATES, TemplateCache
from .views import SiteIndex

RendererFactory = Callable[[SiteIndex, RenderContext], Renderer]

RENDERERS: tuple[RendererFactory, ...] = (
    PageRenderer,
    FeedRenderer,
    ApiRenderer,
    BadgeRenderer,
    SocialRenderer,
)
"""Every part of the site's output. Code that needs the list reads it here when it runs."""


class Output(NamedTuple):
    """One file of the built site; `path` is relative to the output folder, with forward slashes."""

    path: str
    content: bytes


class SiteRenderer:
    """Plans and renders every output of one site at one moment, through its renderers."""

    def __init__(
        self,
        site: Site,
        now: datetime,
        theme: Theme,
        templates: TemplateCache | None = None,
        stashes: Path | None = None,
    ) -> None:
        self.index = SiteIndex(site, now)
        context = RenderContext(now, theme, templates or TemplateCache(), stashes)
        self.context = context
        self.renderers: list[Renderer] = [make(self.index, context) for make in RENDERERS]
        self._by_kind: dict[str, Renderer] = {}
        self.costs: dict[str, float] = {}
        for renderer in self.renderers:
            for kind, cost in renderer.kinds.items():
                if kind in self._by_kind:
                    raise ValueError(f"two renderers make jobs of kind {kind!r}")
                self._by_kind[kind] = renderer
                self.costs[kind] = cost

    def plan(self, skip: Container[str] = ()) -> list[Job]:
        """Every output file as a Job, in a stable order.

        Leaves out the files made for the incidents in `skip` alone, whose keys a build knows
        from the last one when `incident_bases` are the same.
        """
        jobs = [job for renderer in self.renderers for job in renderer.plan_site()]
        for incident in self.index.site.incidents:
            if incident.id not in skip:
                for renderer in self.renderers:
                    jobs += renderer.plan_incident(incident)
        if len({job.path for job in jobs}) != len(jobs):
            raise _clash(jobs, self.context.theme)
        return jobs

    def incident_bases(self) -> tuple[str, ...]:
        """What the files made for one incident depend on besides that incident."""
        return tuple(renderer.incident_base() for renderer in self.renderers)

    def render(self, job: Job) -> bytes:
        """The bytes of one planned output."""
        return self._by_kind[job.kind].render(job)


def _clash(jobs: list[Job], theme: Theme) -> Exception:
    """The error for two planned files at one path: a theme file named as a file of the site's."""
    seen: set[str] = set()
    for job in jobs:
        if job.path in seen:
            if job.path in theme.assets:
                return ThemeError(
                    f"{THEME_DIR}/{job.path}: the site itself writes {job.path}; "
                    f"rename or remove this file"
                )
            return ValueError(f"two renderers plan {job.path}")  # a bug of ours
        seen.add(job.path)
    raise AssertionError("no path is planned twice")


def render_site(site: Site, now: datetime, theme: Theme) -> list[Output]:
    """Every output file of the site: a pure function of the site, the clock and the theme.

    The reference a build is held to: whatever a build reuses from earlier ones, its output
    is what this returns. The marker file belongs to every output too; a build writes it
    itself, first of all, so that even a folder it left half-written is known as its own.
    """
    renderer = SiteRenderer(site, now, theme)
    outputs = [Output(job.path, renderer.render(job)) for job in renderer.plan()]
    return [Output(MARKER, MARKER_TEXT), *outputs]


_PROBE = ID_SLOT  # a component id no site has: it marks the paths made for one component


def site_files() -> tuple[str, ...]:
    """The files every site has, whatever its components, incidents and theme."""
    return tuple(path for path in _probe_plan(RENDERERS) if _PROBE not in path)


def component_files() -> ComponentFiles:
    """Each component's files, with its id as ID_SLOT, and the ids they rule out.

    From what the renderers plan for a site with one component: `check` refuses an id
    whose files would be the site's own (`reserved_ids`) or another component's.
    """
    return _component_files(RENDERERS)


@functools.cache
def _component_files(renderers: tuple[RendererFactory, ...]) -> ComponentFiles:
    patterns = tuple(path for path in _probe_plan(renderers) if _PROBE in path)
    return ComponentFiles(patterns, _reserved_ids(renderers))


def reserved_ids() -> Mapping[str, str]:
    """Component ids whose own files would be the site's, each with the site's file it hits.

    Derived from what the renderers plan for a site with one component: the paths that
    hold its id are made per component, the others once per site (`badges/status.svg`).
    An id is reserved when a path of its own would be one of the site's, or a folder where
    the site has a file, or a file where the site has a folder.
    """
    return _reserved_ids(RENDERERS)


@functools.cache
def _probe_plan(renderers: tuple[RendererFactory, ...]) -> tuple[str, ...]:
    """The paths `renderers` plan for a site with one component, `_PROBE`, and no incident."""
    probe = Component(_PROBE, "Probe", None, None, 1)
    config = Config("Probe", "https://probe.invalid", "UTC", "en", None, (probe,), 1)
    # Empty page templates: planning reads what they use, and paths do not depend on it.
    templates = dict.fromkeys(PAGE_TEMPLATES, "")
    theme = Theme(templates=templates, assets={}, origins={name: name for name in templates})
    index = SiteIndex(Site(config, (), {}), datetime(2000, 1, 1, tzinfo=UTC))
    context = RenderContext(datetime(2000, 1, 1, tzinfo=UTC), theme, TemplateCache())
    return tuple(job.path for make in renderers for job in make(index, context).plan_site())


@functools.cache
def _reserved_ids(renderers: tuple[RendererFactory, ...]) -> Mapping[str, str]:
    paths = _probe_plan(renderers)
    own = [path for path in paths if _PROBE in path]
    site_paths = [path for path in paths if _PROBE not in path]
    reserved: dict[str, str] = {}
    for pattern in own:
        for prefix in _places(pattern):
            if _PROBE not in prefix:  # a folder all components share
                continue
            matcher = _matcher(prefix)
            for path in site_paths:
                for place in _places(path):
                    # Two folders on the way to a file of each do not collide.
                    if prefix == pattern or place == path:
                        found = matcher.fullmatch(place)
                        if found:
                            reserved.setdefault(found["id"], path)
    return types.MappingProxyType(reserved)


def _places(path: str) -> list[str]:
    """The folders on the way to `path`, then `path`: a/b/c gives a, a/b, a/b/c."""
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts) + 1)]


def _matcher(pattern: str) -> re.Pattern[str]:
    """Matches `pattern` with one and the same valid id wherever the probe id stands."""
    first, *rest = (re.escape(piece) for piece in pattern.split(_PROBE))
    return re.compile(first + f"(?P<id>{ID_PATTERN.pattern})" + "(?P=id)".join(rest))

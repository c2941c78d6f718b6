"""Every output of a site: the list of renderers behind one plan, and the pure `render_site`."""

from __future__ import annotations

from collections.abc import Callable, Container
from datetime import datetime
from typing import NamedTuple

from ..model import Site
from ..sources.theme import Theme
from .api import ApiRenderer
from .badges import BadgeRenderer
from .feeds import FeedRenderer
from .jobs import Job, RenderContext, Renderer
from .pages import PageRenderer
from .templates import TemplateCache
from .views import SiteIndex

RendererFactory = Callable[[SiteIndex, RenderContext], Renderer]

RENDERERS: tuple[RendererFactory, ...] = (PageRenderer, FeedRenderer, ApiRenderer, BadgeRenderer)
"""Every part of the site's output. Code that needs the list reads it here when it runs."""


class Output(NamedTuple):
    """One file of the built site; `path` is relative to the output folder, with forward slashes."""

    path: str
    content: bytes


class SiteRenderer:
    """Plans and renders every output of one site at one moment, through its renderers."""

    def __init__(
        self, site: Site, now: datetime, theme: Theme, templates: TemplateCache | None = None
    ) -> None:
        self.index = SiteIndex(site)
        context = RenderContext(now, theme, templates or TemplateCache())
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
        return jobs

    def incident_bases(self) -> tuple[str, ...]:
        """What the files made for one incident depend on besides that incident."""
        return tuple(renderer.incident_base() for renderer in self.renderers)

    def render(self, job: Job) -> bytes:
        """The bytes of one planned output."""
        return self._by_kind[job.kind].render(job)


def render_site(site: Site, now: datetime, theme: Theme) -> list[Output]:
    """Every output file of the site: a pure function of the site, the clock and the theme.

    The reference a build is held to: whatever a build reuses from earlier ones, its output
    is what this returns.
    """
    renderer = SiteRenderer(site, now, theme)
    return [Output(job.path, renderer.render(job)) for job in renderer.plan()]

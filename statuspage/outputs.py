"""Every output of a site: the renderers behind one plan, and the pure `render_site`."""

from __future__ import annotations

from collections.abc import Container
from datetime import datetime
from typing import NamedTuple

from .api import ApiRenderer
from .feeds import FeedRenderer
from .jobs import Job
from .models import Site
from .render import PageRenderer, TemplateCache
from .theme import Theme


class Output(NamedTuple):
    """One file of the built site; `path` is relative to the output folder, with forward slashes."""

    path: str
    content: bytes


class SiteRenderer:
    """Plans and renders every output of one site at one moment."""

    def __init__(
        self, site: Site, now: datetime, theme: Theme, templates: TemplateCache | None = None
    ) -> None:
        self.pages = PageRenderer(site, now, theme, templates)
        self.feeds = FeedRenderer(site, self.pages)
        self.api = ApiRenderer(site)

    def plan(self, skip: Container[str] = ()) -> list[Job]:
        """Every output file as a Job, in a stable order.

        Leaves out the files made for the incidents in `skip` alone (see `incident_paths`),
        whose keys a build knows from the last one when `incident_bases` are the same.
        """
        return [*self.pages.plan(skip), *self.feeds.plan(skip), *self.api.plan()]

    def incident_bases(self) -> tuple[str, ...]:
        """What the files made for one incident depend on besides that incident."""
        return (self.pages.incident_base(), self.feeds.incident_base())

    def incident_paths(self, incident_id: str) -> list[str]:
        """The files made for one incident alone."""
        return [*self.pages.incident_paths(incident_id), *self.feeds.incident_paths(incident_id)]

    def render(self, job: Job) -> bytes:
        """The bytes of one planned output."""
        if job.kind in FeedRenderer.KINDS:
            return self.feeds.render(job)
        if job.kind in ApiRenderer.KINDS:
            return self.api.render(job)
        return self.pages.render(job)


def render_site(site: Site, now: datetime, theme: Theme) -> list[Output]:
    """Every output file of the site: a pure function of the site, the clock and the theme."""
    renderer = SiteRenderer(site, now, theme)
    return [Output(job.path, renderer.render(job)) for job in renderer.plan()]

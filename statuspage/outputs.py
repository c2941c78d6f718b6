"""Every output of a site: the renderers behind one plan, and the pure `render_site`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from .feeds import FeedRenderer
from .jobs import Job
from .models import Site
from .render import PageRenderer, TemplateCache
from .theme import Theme


@dataclass(frozen=True, slots=True)
class Output:
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

    def plan(self) -> list[Job]:
        """Every output file as a Job, in a stable order."""
        return [*self.pages.plan(), *self.feeds.plan()]

    def render(self, job: Job) -> bytes:
        """The bytes of one planned output."""
        if job.kind in FeedRenderer.KINDS:
            return self.feeds.render(job)
        return self.pages.render(job)


def render_site(site: Site, now: datetime, theme: Theme) -> list[Output]:
    """Every output file of the site: a pure function of the site, the clock and the theme."""
    renderer = SiteRenderer(site, now, theme)
    return [Output(job.path, renderer.render(job)) for job in renderer.plan()]

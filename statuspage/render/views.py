"""The site index: what pages, feeds, the API and badges all ask of the site, computed once.

One `SiteIndex` per build (and per worker process): the component lookup, every component's
current state, the incidents by component and by section of the status page, the order of
their newest entries, and each incident's text rendered from Markdown once, however many
pages and feeds show it.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from markupsafe import Markup

from ..model import (
    Component,
    ComponentState,
    Incident,
    IncidentSummary,
    Site,
    Status,
    worst,
)
from .richtext import MarkdownRenderer

UPDATE_HEADING_LEVEL = 4  # messages sit under an <h3> per update
SECTION_HEADING_LEVEL = 3  # transparency sections sit under an <h2>


class UpdateView(NamedTuple):
    """An update with its message as HTML and the component states it changed."""

    number: int
    at: datetime
    status: Status
    html: Markup
    transitions: tuple[tuple[Component, ComponentState, ComponentState], ...]


class IncidentView(NamedTuple):
    """An incident with everything its pages show already rendered."""

    incident: Incident
    components: tuple[Component, ...]
    updates: tuple[UpdateView, ...]
    admission: Markup | None
    cause: Markup | None
    fix: Markup | None
    prevention: Markup | None

    @property
    def latest(self) -> UpdateView:
        """The newest update."""
        return self.updates[-1]


EntryKey = tuple[datetime, str, int]
"""The order of feed entries: (time, incident id, entry number; 1 << 30 for a postmortem)."""
POSTMORTEM_LAST = 1 << 30  # a postmortem's place among entries of the same time: after updates


class SiteIndex:
    """Lookups, states and orders of one site, made once and shared by every renderer."""

    def __init__(self, site: Site) -> None:
        self.site = site
        self.config = site.config
        self.components = {c.id: c for c in site.components}
        self.states = current_states(site)
        self.overall = worst(self.states.values())
        self.by_component: dict[str, list[IncidentSummary]] = {c.id: [] for c in site.components}
        for incident in site.incidents:  # newest first, and so are the lists
            for cid in incident.components:
                self.by_component[cid].append(incident)
        # The sections of the status page, which the API's live endpoints list too.
        self.active = [i for i in site.open if not i.is_maintenance]
        self.in_progress = [i for i in site.open if i.is_maintenance and i.has_begun]
        self.upcoming = sorted(
            (i for i in site.open if not i.has_begun), key=lambda i: (i.sort_at, i.id)
        )
        # Those whose duration grows with the clock: the pages that show them follow it.
        self.ongoing = frozenset(i.id for i in site.open if i.is_ongoing)
        self.ongoing_by_component = {
            c.id: frozenset(i.id for i in site.open if i.is_ongoing and c.id in i.components)
            for c in site.components
        }
        self.markdown = MarkdownRenderer()
        self._views: dict[str, IncidentView] = {}
        self._by_latest: list[IncidentSummary] | None = None

    def by_latest(self) -> list[IncidentSummary]:
        """Every incident by its newest feed entry, newest first (made on first use)."""
        if self._by_latest is None:
            self._by_latest = sorted(self.site.incidents, key=latest_entry, reverse=True)
        return self._by_latest

    def view(self, incident: Incident) -> IncidentView:
        """The incident with its Markdown rendered, made once per build."""
        cached = self._views.get(incident.id)
        if cached is not None:
            return cached
        render = self.markdown.render
        updates = tuple(
            UpdateView(
                number=update.number,
                at=update.at,
                status=update.status,
                html=render(update.message, UPDATE_HEADING_LEVEL),
                transitions=tuple((self.components[cid], old, new) for cid, old, new in changes),
            )
            for update, changes in zip(incident.updates, incident.transitions(), strict=True)
        )

        def section(text: str | None) -> Markup | None:
            return render(text, SECTION_HEADING_LEVEL) if text else None

        view = IncidentView(
            incident=incident,
            components=tuple(self.components[cid] for cid in incident.components),
            updates=updates,
            admission=section(incident.admission),
            cause=section(incident.cause),
            fix=section(incident.fix),
            prevention=section(incident.prevention_text),
        )
        self._views[incident.id] = view
        return view


def current_states(site: Site) -> dict[str, ComponentState]:
    """Each component's state now: the worst any open incident or maintenance gives it."""
    states = dict.fromkeys((c.id for c in site.components), ComponentState.OPERATIONAL)
    for incident in site.open:
        for cid, state in incident.states:
            if state.severity > states[cid].severity:
                states[cid] = state
    return states


def latest_entry(incident: IncidentSummary) -> EntryKey:
    """The order key of an incident's newest feed entry (updates are oldest first).

    Spelt out, since this runs for every incident: a postmortem published at the time of
    the last update sorts after it.
    """
    times = incident.update_times
    postmortem = incident.postmortem_at
    if postmortem is not None and postmortem >= times[-1]:
        return (postmortem, incident.id, POSTMORTEM_LAST)
    return (times[-1], incident.id, len(times))

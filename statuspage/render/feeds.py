"""Feeds for followers: RSS 2.0, Atom and JSON Feed 1.1, one entry per update.

Three scopes, each in the three formats: the whole site (`feed.rss` at the root), one
component (`components/<id>/feed.rss`) and one incident (`incidents/<id>/feed.rss`). The
site and component feeds hold the newest `feeds.limit` entries; an incident's feed holds all
of its own. An entry's id is the link to its update (`.../incidents/<id>/#update-3`), so it
stays the same when its text is edited or other incidents are added.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import ClassVar, NamedTuple

from markupsafe import Markup, escape

from ..i18n import N_
from ..i18n.language import Language, words_for
from ..model import Incident, IncidentSummary
from .feedwriters import FORMAT_NAMES, FORMATS, WRITERS, Entry, FeedHead
from .jobs import Job, KeyMaker, RenderContext, digest
from .views import POSTMORTEM_LAST, EntryKey, SiteIndex, latest_entry

POSTMORTEM = 0  # the entry number that stands for an incident's postmortem


def feed_path(scope: str, scope_id: str, fmt: str) -> str:
    """Where a feed is written: feed.rss, components/<id>/feed.rss, incidents/<id>/feed.rss."""
    if scope == "site":
        return f"feed.{fmt}"
    return f"{scope}s/{scope_id}/feed.{fmt}"


# The feeds' own words: their descriptions, the entries' titles and scaffolding.
FEED_WORDS = {
    "site": N_("Every update of every incident on %(site)s."),
    "component": N_("Every update of the incidents that affect %(component)s on %(site)s."),
    "incident": N_("Every update of this incident."),
    "maintenance": N_("Every update of this maintenance."),
    "postmortem": N_("Postmortem: %(title)s"),
    "entry": N_("%(status)s: %(title)s"),
    "next update": N_("Next update by %(time)s."),
    "components": N_("Components:"),
}


class FeedLink(NamedTuple):
    """A feed as pages link it: for <link rel="alternate"> and the visible Subscribe links."""

    name: str  # RSS, Atom, JSON Feed
    type: str  # its media type
    path: str  # relative to the site root
    # Made once here rather than pieced together in templates, where every piece costs an
    # escape on every page:
    href: str = ""  # from the page that links it
    title: str = ""  # for <link rel="alternate">: what the feed follows, and its format


def feed_links(scope: str, scope_id: str = "", root: str = "", about: str = "") -> list[FeedLink]:
    """The three formats of one feed, linked from a page at `root`; `about` says what it follows."""
    links = []
    for fmt, media in FORMATS.items():
        path, name = feed_path(scope, scope_id, fmt), FORMAT_NAMES[fmt]
        links.append(FeedLink(name, media, path, root + path, f"{about} ({name})"))
    return links


class FeedRenderer:
    """Plans and renders the feeds of one site; the entries' HTML is the pages' (the index's)."""

    kinds: ClassVar[Mapping[str, float]] = {"feed": 0.3}

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        self.index = index
        self.site = index.site
        self.config = index.config
        self.zone = self.config.zone
        self.limit = self.config.feed_limit
        self._keys = KeyMaker("feeds", index.config_key)
        self._entries: dict[str, list[Entry]] = {}
        self._escaped_names = {c.id: str(escape(c.name)) for c in self.site.components}
        self._categories: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}
        self.words = words_for(self.config.language)
        self._text = {key: self.words.gettext(text) for key, text in FEED_WORDS.items()}

    # -- planning ------------------------------------------------------------

    def incident_base(self) -> str:
        """What every incident's feed depends on besides the incident itself."""
        return self._keys.base

    def plan_incident(self, incident: IncidentSummary) -> list[Job]:
        """The three formats of the incident's own feed, which holds all of its entries."""
        return self._plan_scope("incident", incident.id, [], {incident.id: incident.digest})

    def plan_site(self) -> list[Job]:
        """The three formats of the site's feed and of each component's."""
        # Incidents by their newest entry: the newest entries of a feed come from the first
        # few, so choosing them need not look at every entry of every incident.
        by_latest = self.index.by_latest()
        digests = self.index.digests()
        jobs = self._plan_scope("site", "", newest(by_latest, self.limit), digests)
        for component in self.site.components:
            touched = (i for i in by_latest if component.id in i.components)
            chosen = newest(touched, self.limit)
            jobs += self._plan_scope("component", component.id, chosen, digests)
        return jobs

    def _plan_scope(
        self,
        scope: str,
        scope_id: str,
        chosen: list[tuple[datetime, str, int]],
        digests: dict[str, str],
    ) -> list[Job]:
        """Jobs for a scope's three files; an incident's feed holds all of its entries."""
        needs = (scope_id,) if scope == "incident" else tuple(sorted({e[1] for e in chosen}))
        # One key for the three formats: each file is known by its path in the manifests.
        key = digest(self._keys.base, scope, scope_id, chosen, [digests[i] for i in needs])
        unit = scope_id if scope == "incident" else ""
        return [
            Job(feed_path(scope, scope_id, fmt), "feed", (scope, scope_id, fmt), needs, key, unit)
            for fmt in FORMATS
        ]

    # -- rendering -----------------------------------------------------------

    def render(self, job: Job) -> bytes:
        """The bytes of one feed file."""
        scope, scope_id, fmt = (str(arg) for arg in job.args)
        entries = self.entries(scope, scope_id, job.needs)
        title, home, description = self._describe(scope, scope_id)
        url = f"{self.config.url}/{feed_path(scope, scope_id, fmt)}"
        head = FeedHead(title, home, url, description, self.config.title, self.config.language)
        return WRITERS[fmt](head, entries)

    def entries(self, scope: str, scope_id: str, needs: Iterable[str]) -> list[Entry]:
        """A scope's entries, newest first."""
        key = f"{scope} {scope_id}"
        if key not in self._entries:
            if len(self._entries) >= 64:  # a scope's jobs come together: keep only recent ones
                del self._entries[next(iter(self._entries))]
            if scope == "incident":
                chosen = all_entries(self.site.incident(scope_id))
            else:
                candidates = sorted((self.site.incident(i) for i in needs), key=latest_entry)
                chosen = newest(reversed(candidates), self.limit)
            self._entries[key] = [self._entry(self.site.incident(i), n) for _, i, n in chosen]
        return self._entries[key]

    def _describe(self, scope: str, scope_id: str) -> tuple[str, str, str]:
        site, text = self.config.title, self._text
        if scope == "site":
            return site, f"{self.config.url}/", text["site"] % {"site": site}
        if scope == "component":
            component = self.index.components[scope_id]
            return (
                f"{component.name} · {site}",
                f"{self.config.url}/components/{scope_id}/",
                text["component"] % {"component": component.name, "site": site},
            )
        incident = self.site.incident(scope_id)
        return (
            f"{incident.title} · {site}",
            f"{self.config.url}/incidents/{scope_id}/",
            text["maintenance" if incident.is_maintenance else "incident"],
        )

    def _entry(self, incident: Incident, number: int) -> Entry:
        page = f"{self.config.url}/incidents/{incident.id}/"
        view = self.index.view(incident)
        kind = "maintenance" if incident.is_maintenance else incident.impact.value
        categories = self._categories.get((kind, incident.components))
        if categories is None:
            names = tuple(self.index.components[cid].name for cid in incident.components)
            categories = self._categories[kind, incident.components] = (kind, *names)
        if number == POSTMORTEM:
            assert incident.postmortem_at is not None
            at = incident.postmortem_at.astimezone(self.zone)
            return Entry(
                id=f"{page}#admission",
                title=self._text["postmortem"] % {"title": incident.title},
                published=at,
                updated=at,
                html=postmortem_html(
                    incident, view.admission, view.cause, view.fix, view.prevention, self.words
                ),
                categories=categories,
            )
        update = incident.updates[number - 1]
        html = view.updates[number - 1].html
        if update.next_update is not None:
            promise = self.words.promise(update.next_update, update.at, self.zone)
            line = self._text["next update"] % {"time": promise}
            html = Markup(f"{html}\n<p>{escape(line)}</p>")
        label = self.words.label
        if update.states:
            # An f-string of names escaped once: Markup.format is slow, and this runs for
            # every update.
            escaped = self._escaped_names
            states = "".join(
                f"<li>{escaped[cid]}: {label(state)}</li>" for cid, state in update.states
            )
            html = Markup(f"{html}\n<p>{self._text['components']}</p>\n<ul>{states}</ul>")
        published = update.at.astimezone(self.zone)
        return Entry(
            id=f"{page}#update-{number}",
            title=self._text["entry"] % {"status": label(update.status), "title": incident.title},
            published=published,
            updated=(update.edited_at or update.at).astimezone(self.zone),
            html=html,
            categories=categories,
        )


def entry_times(incident: IncidentSummary) -> Iterator[tuple[datetime, str, int]]:
    """(time, incident id, entry number) of each entry of an incident; 0 is the postmortem."""
    for number, at in enumerate(incident.update_times, start=1):
        yield (at, incident.id, number)
    if incident.postmortem_at is not None:
        yield (incident.postmortem_at, incident.id, POSTMORTEM)


def all_entries(incident: IncidentSummary) -> list[tuple[datetime, str, int]]:
    """Every entry of one incident, newest first."""
    return sorted(entry_times(incident), key=entry_order, reverse=True)


def newest(by_latest: Iterable[IncidentSummary], limit: int) -> list[tuple[datetime, str, int]]:
    """The `limit` newest entries, newest first, of incidents given by their newest entry.

    It stops at the first incident whose newest entry is older than all those chosen.
    """
    heap: list[tuple[EntryKey, tuple[datetime, str, int]]] = []
    for incident in by_latest:
        if len(heap) == limit and latest_entry(incident) < heap[0][0]:
            break
        for entry in entry_times(incident):
            key = entry_order(entry)
            if len(heap) < limit:
                heapq.heappush(heap, (key, entry))
            elif key > heap[0][0]:
                heapq.heapreplace(heap, (key, entry))
    return [entry for _, entry in sorted(heap, reverse=True)]


def entry_order(entry: tuple[datetime, str, int]) -> EntryKey:
    """Newer first; for the same time, a postmortem after the updates, then by id."""
    at, incident_id, number = entry
    return (at, incident_id, number if number != POSTMORTEM else POSTMORTEM_LAST)


def postmortem_html(
    incident: Incident,
    admission: Markup | None,
    cause: Markup | None,
    fix: Markup | None,
    prevention: Markup | None,
    words: Language,
) -> Markup:
    """The four transparency sections as one piece of HTML, headed in `words`' language."""
    # f-strings with escape(): Markup.format is several times slower, and a third of all
    # incidents have a postmortem.
    if prevention is None and incident.action_items:
        owned = words.gettext("owner: %(owner)s; %(state)s")
        due = words.gettext("; due %(date)s")
        items = "".join(
            f"<li>{escape(item.action)} "
            f"({escape(owned % {'owner': item.owner, 'state': words.label(item.state).lower()})}"
            f"{escape(due % {'date': item.due.isoformat()}) if item.due else ''})</li>"
            for item in incident.action_items
        )
        prevention = Markup(f"<ul>{items}</ul>")
    heads = [escape(words.gettext(h)) for h in ("Admission", "Cause", "Fix", "Prevention")]
    return Markup(
        f"<h2>{heads[0]}</h2>\n{admission or ''}\n<h2>{heads[1]}</h2>\n{cause or ''}\n"
        f"<h2>{heads[2]}</h2>\n{fix or ''}\n<h2>{heads[3]}</h2>\n{prevention or ''}"
    )

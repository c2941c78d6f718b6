"""Feeds for followers: RSS 2.0, Atom and JSON Feed 1.1, one entry per update.

Three scopes, each in the three formats: the whole site (`feed.rss` at the root), one
component (`components/<id>/feed.rss`) and one incident (`incidents/<id>/feed.rss`). The
site and component feeds hold the newest `feeds.limit` entries; an incident's feed holds all
of its own. An entry's id is the link to its update (`.../incidents/<id>/#update-3`), so it
stays the same when its text is edited or other incidents are added.
"""

from __future__ import annotations

import heapq
import json
import re
from collections.abc import Container, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING, NamedTuple

from markupsafe import Markup, escape

from . import __version__
from .jobs import Job, KeyMaker, digest
from .models import Incident, IncidentSummary, Site

if TYPE_CHECKING:
    from .render import PageRenderer

FORMATS = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
EMPTY_FEED_TIME = datetime(1970, 1, 1, tzinfo=UTC)  # the updated time of a feed with no entry
POSTMORTEM = 0  # the entry number that stands for an incident's postmortem
_POSTMORTEM_LAST = 1 << 30  # its place in the order: after updates of the same time


def feed_path(scope: str, scope_id: str, fmt: str) -> str:
    """Where a feed is written: feed.rss, components/<id>/feed.rss, incidents/<id>/feed.rss."""
    if scope == "site":
        return f"feed.{fmt}"
    return f"{scope}s/{scope_id}/feed.{fmt}"


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


@dataclass(frozen=True)  # no slots: the formatted forms are computed once and kept
class Entry:
    """One entry of a feed: an update, or the publication of a postmortem."""

    id: str  # also its link: the update's place on the incident's page
    title: str
    published: datetime
    updated: datetime
    html: Markup
    categories: tuple[str, ...]

    @cached_property
    def xml(self) -> XmlEntry:
        """The entry's text escaped for XML, once for both the RSS and the Atom document."""
        link = _text(self.id)
        return XmlEntry(
            id=link,
            url_attribute=_attribute(self.id),
            title=_text(self.title),
            html=_text(str(self.html)),
            categories=_categories(self.categories),
            published=self.published.isoformat(),
            updated=self.updated.isoformat(),
            pub_date=rfc822(self.published),
        )


class XmlEntry(NamedTuple):
    """An Entry's strings as XML character data, attribute values and dates."""

    id: str
    url_attribute: str  # with its quotes
    title: str
    html: str
    categories: tuple[str, str]  # as RSS <category> and as Atom <category term> elements
    published: str  # RFC 3339, also for JSON Feed
    updated: str
    pub_date: str  # the published time in RFC 822, for RSS


@lru_cache(maxsize=256)  # an incident's entries share theirs; there are few combinations
def _categories(categories: tuple[str, ...]) -> tuple[str, str]:
    rss = "".join(f"\n      <category>{_text(c)}</category>" for c in categories)
    atom = "".join(f"\n    <category term={_attribute(c)}/>" for c in categories)
    return rss, atom


class FeedRenderer:
    """Plans and renders the feeds of one site; shares rendered Markdown with the pages."""

    KINDS = frozenset({"feed"})

    def __init__(self, site: Site, pages: PageRenderer) -> None:
        self.site = site
        self.config = site.config
        self.pages = pages
        self.zone = site.config.zone
        self.limit = site.config.feed_limit
        self.components = {c.id: c for c in site.components}
        self._keys = KeyMaker("feeds", repr(self.config))
        self._entries: dict[str, list[Entry]] = {}
        self._escaped_names = {c.id: str(escape(c.name)) for c in site.components}
        self._categories: dict[tuple[str, tuple[str, ...]], tuple[str, ...]] = {}

    # -- planning ------------------------------------------------------------

    def incident_base(self) -> str:
        """What every incident's feed depends on besides the incident itself."""
        return self._keys.base

    @staticmethod
    def incident_paths(incident_id: str) -> list[str]:
        """The files made for one incident alone."""
        return [feed_path("incident", incident_id, fmt) for fmt in FORMATS]

    def plan(self, skip: Container[str] = ()) -> list[Job]:
        """The three formats of the site's feed, and of each component's and incident's.

        The feeds of the incidents in `skip` are left out: the caller knows their keys.
        """
        # Incidents by their newest entry: the newest entries of a feed come from the first
        # few, so choosing them need not look at every entry of every incident.
        by_latest = sorted(self.site.incidents, key=_latest, reverse=True)
        digests = {incident.id: incident.digest for incident in self.site.incidents}
        jobs = self._plan_scope("site", "", newest(by_latest, self.limit), digests)
        for component in self.site.components:
            touched = (i for i in by_latest if component.id in i.components)
            chosen = newest(touched, self.limit)
            jobs += self._plan_scope("component", component.id, chosen, digests)
        for incident in self.site.incidents:
            if incident.id not in skip:
                jobs += self._plan_scope("incident", incident.id, [], digests)
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
                candidates = sorted((self.site.incident(i) for i in needs), key=_latest)
                chosen = newest(reversed(candidates), self.limit)
            self._entries[key] = [self._entry(self.site.incident(i), n) for _, i, n in chosen]
        return self._entries[key]

    def _describe(self, scope: str, scope_id: str) -> tuple[str, str, str]:
        site = self.config.title
        if scope == "site":
            return site, f"{self.config.url}/", f"Every update of every incident on {site}."
        if scope == "component":
            component = self.components[scope_id]
            return (
                f"{component.name} · {site}",
                f"{self.config.url}/components/{scope_id}/",
                f"Every update of the incidents that affect {component.name} on {site}.",
            )
        incident = self.site.incident(scope_id)
        return (
            f"{incident.title} · {site}",
            f"{self.config.url}/incidents/{scope_id}/",
            f"Every update of this {'maintenance' if incident.is_maintenance else 'incident'}.",
        )

    def _entry(self, incident: Incident, number: int) -> Entry:
        page = f"{self.config.url}/incidents/{incident.id}/"
        view = self.pages.view(incident)
        kind = "maintenance" if incident.is_maintenance else incident.impact.value
        categories = self._categories.get((kind, incident.components))
        if categories is None:
            names = tuple(self.components[cid].name for cid in incident.components)
            categories = self._categories[kind, incident.components] = (kind, *names)
        if number == POSTMORTEM:
            assert incident.postmortem_at is not None
            at = incident.postmortem_at.astimezone(self.zone)
            return Entry(
                id=f"{page}#admission",
                title=f"Postmortem: {incident.title}",
                published=at,
                updated=at,
                html=postmortem_html(
                    incident, view.admission, view.cause, view.fix, view.prevention
                ),
                categories=categories,
            )
        update = incident.updates[number - 1]
        html = view.updates[number - 1].html
        if update.states:
            # An f-string of names escaped once: Markup.format is slow, and this runs for
            # every update.
            escaped = self._escaped_names
            states = "".join(
                f"<li>{escaped[cid]}: {state.label}</li>" for cid, state in update.states
            )
            html = Markup(f"{html}\n<p>Components:</p>\n<ul>{states}</ul>")
        published = update.at.astimezone(self.zone)
        return Entry(
            id=f"{page}#update-{number}",
            title=f"{update.status.label}: {incident.title}",
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
    return sorted(entry_times(incident), key=_order, reverse=True)


EntryKey = tuple[datetime, str, int]


def newest(by_latest: Iterable[IncidentSummary], limit: int) -> list[tuple[datetime, str, int]]:
    """The `limit` newest entries, newest first, of incidents given by their newest entry.

    It stops at the first incident whose newest entry is older than all those chosen.
    """
    heap: list[tuple[EntryKey, tuple[datetime, str, int]]] = []
    for incident in by_latest:
        if len(heap) == limit and _latest(incident) < heap[0][0]:
            break
        for entry in entry_times(incident):
            key = _order(entry)
            if len(heap) < limit:
                heapq.heappush(heap, (key, entry))
            elif key > heap[0][0]:
                heapq.heapreplace(heap, (key, entry))
    return [entry for _, entry in sorted(heap, reverse=True)]


def _order(entry: tuple[datetime, str, int]) -> EntryKey:
    """Newer first; for the same time, a postmortem after the updates, then by id."""
    at, incident_id, number = entry
    return (at, incident_id, number if number != POSTMORTEM else _POSTMORTEM_LAST)


def _latest(incident: IncidentSummary) -> EntryKey:
    """The order key of an incident's newest entry (updates are oldest first).

    `_order` spelt out, since this runs for every incident: a postmortem published at the
    time of the last update sorts after it.
    """
    times = incident.update_times
    postmortem = incident.postmortem_at
    if postmortem is not None and postmortem >= times[-1]:
        return (postmortem, incident.id, _POSTMORTEM_LAST)
    return (times[-1], incident.id, len(times))


def postmortem_html(
    incident: Incident,
    admission: Markup | None,
    cause: Markup | None,
    fix: Markup | None,
    prevention: Markup | None,
) -> Markup:
    """The four transparency sections as one piece of HTML."""
    # f-strings with escape(): Markup.format is several times slower, and a third of all
    # incidents have a postmortem.
    if prevention is None and incident.action_items:
        items = "".join(
            f"<li>{escape(item.action)} (owner: {escape(item.owner)}; "
            f"{item.state.label.lower()}{f'; due {item.due.isoformat()}' if item.due else ''})</li>"
            for item in incident.action_items
        )
        prevention = Markup(f"<ul>{items}</ul>")
    return Markup(
        f"<h2>Admission</h2>\n{admission or ''}\n<h2>Cause</h2>\n{cause or ''}\n"
        f"<h2>Fix</h2>\n{fix or ''}\n<h2>Prevention</h2>\n{prevention or ''}"
    )


def _updated(entries: list[Entry]) -> datetime:
    """The newest entry's time: an unchanged site gives unchanged feeds."""
    return max((e.updated for e in entries), default=EMPTY_FEED_TIME)


# Characters XML 1.0 forbids; YAML's escapes can put them in a message.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN = re.compile("[^&<>\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*")


# Written here rather than taken from xml.sax.saxutils and email.utils, whose imports pull in
# urllib, http.client and ssl: 30 ms of start-up that every rebuild would pay.


def _text(value: str) -> str:
    """`value` as XML character data."""
    if _PLAIN.fullmatch(value):  # most titles, names and links: nothing to do
        return value
    value = _NOT_XML.sub("", value)
    return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attribute(value: str) -> str:
    """`value` as a double-quoted XML attribute value, quotes included; line breaks and tabs
    as character references, since XML would fold them into spaces."""
    value = _text(value).replace('"', "&quot;").replace("\n", "&#10;")
    return '"' + value.replace("\r", "&#13;").replace("\t", "&#9;") + '"'


_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def rfc822(moment: datetime) -> str:
    """`moment` as RSS 2.0 wants dates (RFC 822 with a four-digit year), offset kept."""
    day, month = _DAYS[moment.weekday()], _MONTHS[moment.month - 1]
    offset = moment.utcoffset()
    assert offset is not None, "feed times carry their offset"
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    zone = f"{sign}{abs(minutes) // 60:02d}{abs(minutes) % 60:02d}"
    clock = f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    return f"{day}, {moment.day:02d} {month} {moment.year:04d} {clock} {zone}"


class FeedHead(NamedTuple):
    """What a feed says of itself, whatever its format."""

    title: str
    home: str  # the page the feed follows
    url: str  # where the feed itself is served
    description: str
    author: str
    language: str


def rss_document(head: FeedHead, entries: list[Entry]) -> bytes:
    """An RSS 2.0 document, with the Atom self link validators ask for.

    RSS wants an email address in <author>, so the author is given as dc:creator.
    """
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        '<rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/">\n'
        "  <channel>\n"
        f"    <title>{_text(head.title)}</title>\n"
        f"    <link>{_text(head.home)}</link>\n"
        f"    <description>{_text(head.description)}</description>\n"
        f'    <atom:link href={_attribute(head.url)} rel="self" type="{FORMATS["rss"]}"/>\n'
        f"    <language>{_text(head.language)}</language>\n"
        f"    <lastBuildDate>{rfc822(_updated(entries))}</lastBuildDate>\n"
        f"    <generator>statuspage {__version__}</generator>\n"
        "    <docs>https://www.rssboard.org/rss-specification</docs>"
    ]
    creator = _text(head.author)
    for entry in entries:
        xml = entry.xml
        parts.append(
            "    <item>\n"
            f"      <title>{xml.title}</title>\n"
            f"      <link>{xml.id}</link>\n"
            f"      <description>{xml.html}</description>\n"
            f'      <guid isPermaLink="true">{xml.id}</guid>\n'
            f"      <pubDate>{xml.pub_date}</pubDate>\n"
            f"      <dc:creator>{creator}</dc:creator>{xml.categories[0]}\n"
            "    </item>"
        )
    parts.append("  </channel>\n</rss>\n")
    return "\n".join(parts).encode()


def atom_document(head: FeedHead, entries: list[Entry]) -> bytes:
    """An Atom 1.0 document."""
    author = _text(head.author)
    parts = [
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={_attribute(head.language)}>\n'
        f"  <id>{_text(head.url)}</id>\n"
        f"  <title>{_text(head.title)}</title>\n"
        f"  <subtitle>{_text(head.description)}</subtitle>\n"
        f"  <updated>{_updated(entries).isoformat()}</updated>\n"
        f"  <author><name>{author}</name></author>\n"
        f'  <link href={_attribute(head.url)} rel="self" type="{FORMATS["atom"]}"/>\n'
        f'  <link href={_attribute(head.home)} rel="alternate" type="text/html"/>\n'
        f'  <generator version="{__version__}">statuspage</generator>'
    ]
    for entry in entries:
        xml = entry.xml
        parts.append(
            "  <entry>\n"
            f"    <id>{xml.id}</id>\n"
            f"    <title>{xml.title}</title>\n"
            f'    <link href={xml.url_attribute} rel="alternate" type="text/html"/>\n'
            f"    <published>{xml.published}</published>\n"
            f"    <updated>{xml.updated}</updated>\n"
            f"    <author><name>{author}</name></author>\n"
            f'    <content type="html">{xml.html}</content>{xml.categories[1]}\n'
            "  </entry>"
        )
    parts.append("</feed>\n")
    return "\n".join(parts).encode()


def json_document(head: FeedHead, entries: list[Entry]) -> bytes:
    """A JSON Feed 1.1 document."""
    authors = [{"name": head.author}]
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": head.title,
        "home_page_url": head.home,
        "feed_url": head.url,
        "description": head.description,
        "language": head.language,
        "authors": authors,
        "items": [
            {
                "id": entry.id,
                "url": entry.id,
                "title": entry.title,
                "content_html": str(entry.html),
                "date_published": entry.xml.published,
                "date_modified": entry.xml.updated,
                "authors": authors,
                "tags": list(entry.categories),
            }
            for entry in entries
        ],
    }
    # Compact: with an indent, the json module falls back from its C encoder to Python.
    return (json.dumps(document, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


WRITERS = {"rss": rss_document, "atom": atom_document, "json": json_document}

"""Feed documents: RSS 2.0, Atom 1.0 and JSON Feed 1.1, written from their entries.

Written here rather than with a feed library: building an XML tree for each of 20,000 feeds
would cost a large build most of its time. The tests hold these against feedgen's output and
parse them with feedparser.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cached_property, lru_cache
from typing import NamedTuple

from markupsafe import Markup

from .. import __version__

FORMATS = {
    "rss": "application/rss+xml",
    "atom": "application/atom+xml",
    "json": "application/feed+json",
}
FORMAT_NAMES = {"rss": "RSS", "atom": "Atom", "json": "JSON Feed"}
EMPTY_FEED_TIME = datetime(1970, 1, 1, tzinfo=UTC)  # the updated time of a feed with no entry


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


def _updated(entries: list[Entry]) -> datetime:
    """The newest entry's time: an unchanged site gives unchanged feeds."""
    return max((e.updated for e in entries), default=EMPTY_FEED_TIME)


# Characters XML 1.0 forbids; YAML's escapes can put them in a message.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
_PLAIN = re.compile("[^&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]*")


# Written here rather than taken from xml.sax.saxutils and email.utils, whose imports pull in
# urllib, http.client and ssl: 30 ms of start-up that every rebuild would pay.


def _text(value: str) -> str:
    """`value` as XML character data."""
    if _PLAIN.fullmatch(value):  # most titles, names and links: nothing to do
        return value
    value = _NOT_XML.sub("", value).replace("&", "&amp;").replace("<", "&lt;")
    # A CR as such would be read back as a newline: XML normalises line ends.
    return value.replace(">", "&gt;").replace("\r", "&#13;")


def _attribute(value: str) -> str:
    """`value` as a double-quoted XML attribute value, quotes included; line breaks and tabs
    as character references, since XML would fold them into spaces."""
    value = _text(value).replace('"', "&quot;").replace("\n", "&#10;")
    return '"' + value.replace("\t", "&#9;") + '"'


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

"""Drafts of posts for every update and postmortem, one per network, ready to post.

A draft says the status and the title, the gist of the message in plain text and the link to
the update on the page (`incidents/<id>/#update-N`, or `#admission` for the postmortem). Its
words come from the theme's plain-text templates (`social/<network>.txt`), rendered without
HTML escaping, then cleaned of every character that could hide or disguise part of it.

A draft never goes over its network's limit. When one is too long, its message is cut after
a word with an ellipsis (never inside a character, an emoji or a link); then the hashtags
go, then the end of the title; the status and the link always stay. With `thread: true` a
long message is split instead into a numbered thread ("1/3", "2/3"...) whose first post has
the status, the title and the link, and whose later posts reply to it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar
from urllib.parse import urlsplit

import jinja2

from ..errors import ThemeError
from ..i18n.language import words_for
from ..model import Config
from ..render.feeds import POSTMORTEM
from ..render.templates import theme_error
from ..render.views import IncidentView
from ..sources.theme import TEXT_TEMPLATE_DIR, TEXT_TEMPLATE_SUFFIX, Theme
from .networks import Length, Network, network
from .plain import html_to_plain
from .text import ELLIPSIS, clean, shorten, split, utf8_span

MAX_THREAD = 10  # posts in one thread at most; a longer message ends the last with …
LINK_FACET = "app.bsky.richtext.facet#link"

_SLOT = "\ue000"  # stands for the link while a post is made (a private-use character)
_MESSAGE = "\ue001"  # stands for the message while a cut is searched for

T = TypeVar("T", str, tuple[str, str])
Cut = Callable[[str, Callable[[str], bool]], T]  # shorten or split
_THREAD_ROOM = " 10/10"  # as wide as any thread number a thread of at most 10 posts has
_BLANK_LINES = re.compile(r"\n{3,}")
# A web address written out in a message, up to a space or what cannot be in one; the
# punctuation after it is the sentence's, not the address's (as Bluesky's app has it).
_WEB_ADDRESS = re.compile(r"https?://[^\s<>\"'`]+", re.IGNORECASE)
_NOT_LAST = ".,;:!?)]}"
_LINE_ENDS = re.compile(r" +\n| +$")


@dataclass(frozen=True, slots=True)
class Facet:
    """A Bluesky link facet: the UTF-8 bytes of the link text [start, end) and its address."""

    byte_start: int
    byte_end: int
    uri: str

    def plain(self) -> dict[str, Any]:
        """As app.bsky.richtext.facet has it in a post record."""
        return {
            "index": {"byteStart": self.byte_start, "byteEnd": self.byte_end},
            "features": [{"$type": LINK_FACET, "uri": self.uri}],
        }


@dataclass(frozen=True, slots=True)
class Draft:
    """One post ready for one network: a whole announcement, or one post of a thread."""

    incident: str
    update: int  # its number from 1; POSTMORTEM for the postmortem
    network: str
    text: str
    url: str  # the update on the status page
    intent: str | None  # opens the post ready to send; None where the network has none
    length: Length
    facets: tuple[Facet, ...] = ()
    position: int = 1  # in its thread, from 1
    count: int = 1  # posts in its thread

    def plain(self) -> dict[str, Any]:
        """The draft as the manifest and `announce --json` give it."""
        record: dict[str, Any] = {
            "incident": self.incident,
            "update": self.update,
            "kind": "postmortem" if self.update == POSTMORTEM else "update",
            "network": self.network,
            "text": self.text,
            "url": self.url,
            "intent": self.intent,
            "length": self.length.plain(),
        }
        if self.network == "bluesky":
            record["bytes"] = len(self.text.encode("utf-8"))
            record["facets"] = [facet.plain() for facet in self.facets]
        record["thread"] = {
            "position": self.position,
            "of": self.count,
            "root": 1 if self.position > 1 else None,
            "reply_to": self.position - 1 if self.position > 1 else None,
        }
        return record


def text_environment(theme: Theme) -> jinja2.Environment:
    """A Jinja2 environment over the theme's plain-text templates: no HTML escaping (a post
    is plain text; what could disguise it is cleaned out after), unknown names fail."""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name not in theme.texts:
            return None
        return theme.texts[name], theme.origins[name], lambda: True

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=False,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def template_name(network_name: str) -> str:
    """The theme file a network's posts are made from."""
    return f"{TEXT_TEMPLATE_DIR}{network_name}{TEXT_TEMPLATE_SUFFIX}"


class DraftWriter:
    """Writes the drafts of one site's updates, for the networks its config names."""

    def __init__(self, config: Config, theme: Theme) -> None:
        self.config = config
        self.theme = theme
        self.networks = [network(settings) for settings in config.social.networks]
        self._environment = text_environment(theme)
        self._templates: dict[str, jinja2.Template] = {}

    def drafts(self, view: IncidentView, number: int) -> list[Draft]:
        """The drafts of update `number` (or POSTMORTEM) of the incident, network by network."""
        entry = EntryWords.of(view, number, self.config)
        found: list[Draft] = []
        for net in self.networks:
            found += _NetworkDrafts(net, self._template(net.name), entry).make()
        return found

    def _template(self, name: str) -> _Template:
        path = template_name(name)
        if path not in self._templates:
            try:
                self._templates[path] = self._environment.get_template(path)
            except jinja2.TemplateNotFound as error:
                raise ThemeError(
                    f"site-template/{path}: missing; the theme needs it ({error.name})"
                ) from None
            except jinja2.TemplateError as error:
                raise theme_error(error, path, self.theme) from error
        return _Template(self._templates[path], path, self.theme)


def _facets(text: str, link: tuple[int, int], url: str) -> tuple[Facet, ...]:
    """Bluesky's link facets of a post: the link to the update where it is (`link`, or
    (-1, -1) in a later post of a thread), and each web address the message writes out,
    which Bluesky shows as text unless a facet makes it a link."""
    spans = [(*link, url)] if link[0] >= 0 else []
    for found in _WEB_ADDRESS.finditer(text):
        address, start = found.group().rstrip(_NOT_LAST), found.start()
        if "." in _host(address) and not link[0] <= start < link[1]:
            spans.append((start, start + len(address), address))
    spans.sort()
    return tuple(Facet(*utf8_span(text, start, end), uri) for start, end, uri in spans)


def _host(address: str) -> str:
    """The host of a web address; "" if it has none or is not one (a bad [IPv6])."""
    try:
        return urlsplit(address).hostname or ""
    except ValueError:
        return ""


@dataclass(frozen=True, slots=True)
class EntryWords:
    """What the posts of one update or postmortem say, before any network's rules: its
    status, the incident's title, the message in plain text and the link to it, each
    cleaned of what could disguise it. Chat messages and mail are made from it too."""

    incident: str
    number: int
    url: str
    status: str
    title: str
    message: str
    context: dict[str, Any]

    @classmethod
    def of(cls, view: IncidentView, number: int, config: Config) -> EntryWords:
        incident = view.incident
        words = words_for(config.language)
        promise = ""
        if number == POSTMORTEM:
            status, anchor = words.gettext("Postmortem"), "admission"
            sections = (view.admission, view.cause, view.fix, view.prevention)
            html = next((str(section) for section in sections if section), "")
        else:
            update = view.updates[number - 1]
            status, anchor, html = words.label(update.status), f"update-{number}", str(update.html)
            said = incident.updates[number - 1]
            if said.next_update is not None:
                promised = words.promise(said.next_update, said.at, config.zone)
                promise = words.gettext("Next update by %(time)s.") % {"time": promised}
        url = f"{config.url}/incidents/{incident.id}/#{anchor}"
        context = {
            "site": _value(config.title),
            "components": _value(", ".join(c.name for c in view.components)),
            "kind": "maintenance" if incident.is_maintenance else "incident",
            "impact": incident.impact.value,
            "update": number,
            "url": url,
            "next_update": promise,
        }
        return cls(
            incident=incident.id,
            number=number,
            url=url,
            status=status,
            title=_value(incident.title),
            message=_value(html_to_plain(html)),
            context=context,
        )


def _value(text: str) -> str:
    """A value for a template: cleaned, and never holding the link's stand-in."""
    return clean(text).replace(_SLOT, "").replace(_MESSAGE, "")


class _Template:
    """A network's template, rendered into a post with the link standing at one place."""

    def __init__(self, template: jinja2.Template, path: str, theme: Theme) -> None:
        self.template = template
        self.path = path
        self.theme = theme

    def render(self, context: dict[str, Any]) -> str:
        """The post, cleaned and tidied, with _SLOT where the link goes."""
        try:
            raw = self.template.render(context)
        except jinja2.TemplateError as error:
            raise theme_error(error, self.path, self.theme) from error
        text = _BLANK_LINES.sub("\n\n", _LINE_ENDS.sub("\n", clean(raw).strip()))
        if text.count(_SLOT) != 1:
            raise ThemeError(f"{self.where}: a post must show its link once: write {{{{ link }}}}")
        return text.rstrip()

    @property
    def where(self) -> str:
        """The template's file, for messages: the site's own or the default theme's."""
        return self.theme.origins.get(self.path, self.path)


class _NetworkDrafts:
    """The drafts of one entry for one network, within its rules."""

    def __init__(self, net: Network, template: _Template, entry: EntryWords) -> None:
        self.net = net
        self.template = template
        self.entry = entry
        self.link = net.link_text(entry.url)
        settings = net.settings
        self.base = {
            **entry.context,
            "status": entry.status,
            "handle": settings.handle or "",
            "network": net.name,
            "link": _SLOT,
        }
        self.hashtags = " ".join(f"#{tag}" for tag in settings.hashtags)

    def post(self, message: str, title: str, hashtags: str, after: str = "") -> str:
        """The post with `message`, `title` and `hashtags`, and `after` at its end."""
        context = {**self.base, "message": message, "title": title, "hashtags": hashtags}
        return self.template.render(context) + after

    def fits(self, text: str) -> bool:
        return self.net.fits(text.replace(_SLOT, self.link))

    def make(self) -> list[Draft]:
        entry = self.entry
        whole = self.post(entry.message, entry.title, self.hashtags)
        if self.fits(whole):
            return [self.draft(whole)]
        if self.net.settings.thread:
            thread = self.thread()
            if thread:
                return thread
        return [self.draft(self.shortened())]

    def cut(self, way: Cut[T], title: str, hashtags: str, after: str = "") -> T:
        """`way` (shorten or split) of the message, to fit in the post with `title`,
        `hashtags` and `after`.

        The search renders the template once, with a stand-in where the message goes, and
        puts each candidate there; the post it finds is then rendered for real. Where the two
        differ (a template that does more with the message than show it: a filter, a test),
        the search is made again, rendering every candidate."""
        frame = self.post(_MESSAGE, title, hashtags, after)
        if frame.count(_MESSAGE) == 1:
            found = way(self.entry.message, lambda m: self.fits(frame.replace(_MESSAGE, m)))
            head = found if isinstance(found, str) else found[0]
            if head in ("", ELLIPSIS) or frame.replace(_MESSAGE, head) == self.post(
                head, title, hashtags, after
            ):
                return found
        return way(self.entry.message, lambda m: self.fits(self.post(m, title, hashtags, after)))

    def shortened(self) -> str:
        """One post: the message cut to fit, then without hashtags, then the title cut."""
        entry = self.entry
        for hashtags in (self.hashtags, ""):
            message = self.cut(shorten, entry.title, hashtags)
            if message not in ("", ELLIPSIS):
                return self.post(message, entry.title, hashtags)
            if self.fits(self.post("", entry.title, hashtags)):
                return self.post("", entry.title, hashtags)
        title = shorten(entry.title, lambda t: self.fits(self.post("", t, "")))
        post = self.post("", title, "")
        if not self.fits(post):
            raise ThemeError(
                f"{self.template.where}: "
                f"even with no message and no title, the post for {self.net.title} is over "
                f"its limit of {self.net.limit} {self.net.unit}; make the template shorter"
            )
        return post

    def thread(self) -> list[Draft]:
        """The message split over a numbered thread, or [] when not even its first word
        fits in the first post."""
        entry = self.entry
        first, rest = self.cut(split, entry.title, self.hashtags, _THREAD_ROOM)
        if not first:
            return []
        chunks = [first]
        while rest:
            if len(chunks) == MAX_THREAD - 1:
                chunks.append(shorten(rest, lambda m: self.fits(m + _THREAD_ROOM)))
                break
            chunk, rest = split(rest, lambda m: self.fits(m + _THREAD_ROOM))
            if not chunk:  # a word too long for any post: not reached with real limits
                return []
            chunks.append(chunk)
        count = len(chunks)
        posts = [self.post(first, entry.title, self.hashtags, f" 1/{count}")]
        posts += [f"{chunk} {n}/{count}" for n, chunk in enumerate(chunks[1:], start=2)]
        if not all(self.fits(post) for post in posts):
            return []
        return [self.draft(post, n, count) for n, post in enumerate(posts, start=1)]

    def draft(self, post: str, position: int = 1, count: int = 1) -> Draft:
        """The Draft of a post made with _SLOT for the link (a later post of a thread has none)."""
        entry, net = self.entry, self.net
        at = post.find(_SLOT)
        text = post.replace(_SLOT, self.link)
        facets: tuple[Facet, ...] = ()
        intent_text = text
        span = (at, at + len(self.link)) if at >= 0 else (-1, -1)
        if at >= 0:
            intent_text = net.intent_text(text, span, entry.url)
        if net.name == "bluesky":
            facets = _facets(text, span, entry.url)
        return Draft(
            incident=entry.incident,
            update=entry.number,
            network=net.name,
            text=text,
            url=entry.url,
            intent=net.intent(intent_text),
            length=net.length(text),
            facets=facets,
            position=position,
            count=count,
        )

"""What every channel shares: the entry it posts, the thread it posts into, the ids it gets
back, and the protocol each channel's module follows.

A channel `compose`s the texts it sends for one entry (a network's drafts as they are, or
one message in the chat's own formatting), then `send`s them through an Outbox, telling
the run each post's id as soon as it has it, so that what was posted is recorded at once.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from ..model import Config
from ..render.feeds import POSTMORTEM
from ..social.drafts import Draft, EntryWords
from .outbox import Outbox


@dataclass(frozen=True, slots=True)
class Announcement:
    """What is said of one update (or postmortem): the same words the drafts are made from."""

    incident: str
    update: int  # from 1; POSTMORTEM for the postmortem
    status: str  # in the site's language: Investigating, Postmortem...
    title: str
    message: str  # plain text, cleaned (social.plain, social.text.clean); then any promise
    url: str  # the update on the status page
    language: str  # the site's, as a BCP 47 tag: en, pt-BR

    @classmethod
    def of(cls, words: EntryWords, language: str) -> Announcement:
        """The announcement of the entry `words` describes; its message ends with the time of
        the next update, when the update promises one, as the drafts do."""
        promise = words.context.get("next_update") or ""
        message = f"{words.message}\n\n{promise}" if words.message and promise else words.message
        return cls(
            words.incident,
            words.number,
            words.status,
            words.title,
            message or promise,
            words.url,
            language,
        )

    @property
    def heading(self) -> str:
        """'Investigating: Errors on the API'."""
        return f"{self.status}: {self.title}"

    @property
    def entry_name(self) -> str:
        """'update 2' or 'postmortem', for messages."""
        return "postmortem" if self.update == POSTMORTEM else f"update {self.update}"


@dataclass(frozen=True, slots=True)
class RemoteId:
    """A post as its channel knows it: an id (a Bluesky uri), and Bluesky's cid beside it."""

    id: str
    cid: str | None = None


@dataclass(frozen=True, slots=True)
class Thread:
    """Where an entry goes on a channel: a reply to the last post of the incident's previous
    entry there (`parent`), in the thread that starts at the incident's first post (`root`)."""

    root: RemoteId | None = None
    parent: RemoteId | None = None
    earlier: tuple[RemoteId, ...] = ()  # every earlier post of the incident, oldest first


@dataclass(frozen=True, slots=True)
class Composed:
    """The posts one channel sends for one announcement, text by text."""

    announcement: Announcement
    texts: tuple[str, ...]  # one per post, as sent (formatting included)
    drafts: tuple[Draft, ...] = ()  # a network's drafts, one per post; () for the others

    @property
    def digest(self) -> str:
        """What changes when any text sent would: kept in posted.yaml to find edits."""
        joined = "\x1e".join(self.texts).encode("utf-8")
        return "sha256:" + hashlib.sha256(joined).hexdigest()


Posted = Callable[[RemoteId], None]  # told of each post as soon as it is made


@dataclass(frozen=True, slots=True)
class Delivery:
    """Where one entry's posts go on a channel, and what is known of them."""

    thread: Thread  # the posts of the incident's earlier entries there
    done: tuple[RemoteId, ...]  # this entry's posts that went out on an earlier run
    posted: Posted


class Channel:
    """One place posts go: its settings, its secrets, and how it makes and sends them."""

    name: ClassVar[str]
    title: ClassVar[str]  # as people write it

    def __init__(
        self, config: Config, secrets: Mapping[str, str], clock: Callable[[], datetime]
    ) -> None:
        self.config = config
        self.secrets = secrets
        self.clock = clock  # when a post is made: Bluesky's createdAt, a mail's Date

    def compose(self, announcement: Announcement, drafts: tuple[Draft, ...]) -> Composed:
        """The posts of one announcement (`drafts`: this network's, for those that use them)."""
        raise NotImplementedError

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        """Send the posts of `composed` after those in `delivery.done` (which went out on an
        earlier run), telling `delivery.posted` each one's id; PostFailed on a failure."""
        raise NotImplementedError

    def key(self, composed: Composed, position: int) -> str:
        """A key that is the same on every run for the same post: an idempotency key, a
        transaction id, a Message-ID. It changes with the text, so an edited update that is
        posted again is a new post."""
        a = composed.announcement
        parts = (self.config.url, a.incident, str(a.update), self.name, str(position))
        joined = "\n".join((*parts, composed.digest))
        return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:40]

    def ready(self) -> str | None:
        """Why this channel is skipped on this run (X without a token), or None."""
        return None


class DraftsChannel(Channel):
    """A social network: it posts its drafts as they are, a thread as replies."""

    def compose(self, announcement: Announcement, drafts: tuple[Draft, ...]) -> Composed:
        return Composed(announcement, tuple(draft.text for draft in drafts), drafts)

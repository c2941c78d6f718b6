"""Where the site announces its updates: the social networks and each one's settings, and
the channels `statuspage announce --post` posts to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum

NETWORKS = ("x", "mastodon", "bluesky")
"""Every network drafts can be written for, in the order drafts and pages list them."""

CHATS = ("slack", "discord", "teams", "matrix", "telegram")
"""The chat channels: each gets one message per update, in its own formatting."""

CHANNELS = (*NETWORKS, *CHATS, "email")
"""Every channel `announce --post` can post to: the networks (their drafts), chats, email."""

DEFAULT_DAYS = 30  # drafts are made for open incidents and updates of the last 30 days
# `announce --post` posts entries at most this old: a first run on a site with a long
# history, or one after a long pause, does not flood followers with old news.
DEFAULT_POST_WITHIN = timedelta(hours=24)


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """One network's settings from `social:` in statuspage.yaml.

    `limit` and `url_length` are Mastodon's, which each instance may set; `instance` is the
    Mastodon server whose share page the drafts' intent links open. `api` is the address
    posts are sent to (Mastodon's `api`, Bluesky's `service`, X's `api`); None: the
    network's own (see publishers).
    """

    name: str  # one of NETWORKS
    handle: str | None = (
        None  # the site's account there, for templates: @status, status.example.com
    )
    hashtags: tuple[str, ...] = ()  # without the '#'
    thread: bool = False  # split a draft too long for one post into a numbered thread
    limit: int | None = None
    url_length: int | None = None
    instance: str | None = None
    api: str | None = None  # an absolute address without a trailing slash


class MailTls(StrEnum):
    """How the connection to the mail server is secured."""

    STARTTLS = "starttls"  # plain, then upgraded to TLS before anything is said (port 587)
    SSL = "ssl"  # TLS from the start (port 465)
    NONE = "none"  # in the clear: only to a server on this machine, for tests


DEFAULT_MAIL_PORTS = {MailTls.STARTTLS: 587, MailTls.SSL: 465, MailTls.NONE: 25}


@dataclass(frozen=True, slots=True)
class MatrixSettings:
    """The Matrix room posts go to, and its homeserver (https://matrix.example.org)."""

    homeserver: str  # an absolute address without a trailing slash
    room: str  # a room id (!abc:example.org) or alias (#status:example.org)


@dataclass(frozen=True, slots=True)
class TelegramSettings:
    """The Telegram channel posts go to (@examplestatus, or its numeric id)."""

    chat: str
    api: str | None = None  # the Bot API's address; None: https://api.telegram.org


@dataclass(frozen=True, slots=True)
class EmailSettings:
    """The mailing list each update is mailed to, and the server that sends it."""

    to: str
    sender: str  # the From address
    host: str
    port: int
    tls: MailTls = MailTls.STARTTLS


@dataclass(frozen=True, slots=True)
class SocialSettings:
    """The networks drafts are written for, how far back they go, and where posts go."""

    networks: tuple[NetworkSettings, ...] = field(
        default_factory=lambda: tuple(NetworkSettings(name) for name in NETWORKS)
    )
    days: int = DEFAULT_DAYS  # closed incidents' updates older than this get no drafts
    post: tuple[str, ...] = ()  # the channels `announce --post` posts to, in this order
    post_within: timedelta = DEFAULT_POST_WITHIN  # older entries are not posted
    matrix: MatrixSettings | None = None
    telegram: TelegramSettings | None = None
    email: EmailSettings | None = None

    def network(self, name: str) -> NetworkSettings | None:
        """The settings of the network called `name`, if drafts are written for it."""
        return next((n for n in self.networks if n.name == name), None)

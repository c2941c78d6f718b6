"""Read `social:` in statuspage.yaml: which networks drafts are written for, and their settings.

    social:
      days: 30                      # updates older than this get no drafts (open ones always do)
      networks: [x, mastodon, bluesky]
      x: {handle: "@examplestatus", hashtags: [status]}
      mastodon: {instance: mastodon.social, limit: 500, url_length: 23, thread: true}

Without `networks`, drafts are written for the networks that have settings, or for all three
when none has; `networks: []` turns drafts off.

`post` lists the channels `statuspage announce --post` posts to; without it, nothing is
posted. Each channel listed must have what posting there needs that is no secret (a
Mastodon server, a Bluesky handle, `matrix`, `telegram` or `email` settings); secrets come
from the environment only (publishers.credentials).

    social:
      post: [mastodon, bluesky, slack, matrix, email]
      post_within: 24h              # older entries are not posted
      bluesky: {handle: status.example.com, service: https://bsky.social}
      matrix: {homeserver: https://matrix.example.org, room: "!abc:example.org"}
      telegram: {chat: "@examplestatus"}
      email: {to: status@lists.example.com, from: status@example.com, host: smtp.example.com}
"""

from __future__ import annotations

import ipaddress
import re
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

import regex
from yaml.nodes import ScalarNode

from ..model.social import (
    CHANNELS,
    DEFAULT_DAYS,
    DEFAULT_MAIL_PORTS,
    DEFAULT_POST_WITHIN,
    NETWORKS,
    EmailSettings,
    MailTls,
    MatrixSettings,
    NetworkSettings,
    SocialSettings,
    TelegramSettings,
)
from .limits import shown
from .yamlio import Mapping, describe, read_address, unknown_message

SETTINGS_SECTIONS = ("matrix", "telegram", "email")  # the channels beyond networks with settings
SOCIAL_KEYS = ("days", "networks", *NETWORKS, "post", "post_within", *SETTINGS_SECTIONS)
COMMON_KEYS = ("handle", "hashtags", "thread")
NETWORK_KEYS = {
    "x": (*COMMON_KEYS, "api"),
    "mastodon": (*COMMON_KEYS, "instance", "limit", "url_length", "api"),
    "bluesky": (*COMMON_KEYS, "service"),
}
API_KEYS = {"x": "api", "mastodon": "api", "bluesky": "service"}  # where posts are sent
MATRIX_KEYS = ("homeserver", "room")
TELEGRAM_KEYS = ("chat", "api")
EMAIL_KEYS = ("to", "from", "host", "port", "tls")
_LOOPBACK_NAMES = frozenset({"localhost", "localhost.localdomain"})
_DURATION = re.compile(r"([0-9]{1,5})\s*(m|h|d)", re.ASCII)
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
_ROOM = re.compile(r"[!#][^\s:]+:[A-Za-z0-9.:\[\]-]+")
_CHAT = re.compile(r"@[A-Za-z][A-Za-z0-9_]{3,31}|-?[0-9]{1,20}")
_MAIL_ADDRESS = re.compile(r"[^@\s<>\"(),;:]+@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?")
MAX_DAYS = 3_650
MAX_HASHTAGS = 10
# Mastodon's own default is 500; forks and instances raise it, none to more than this.
MAX_MASTODON_LIMIT = 100_000
MAX_URL_LENGTH = 1_000

_HASHTAG = regex.compile(r"[\p{L}\p{M}\p{Nd}_]*[\p{L}\p{M}_][\p{L}\p{M}\p{Nd}_]*")
_HANDLES = {
    "x": (re.compile(r"@?[A-Za-z0-9_]{1,15}"), "@examplestatus"),
    "mastodon": (
        re.compile(r"@?[A-Za-z0-9_]+(?:[.-]+[A-Za-z0-9_]+)*(?:@[A-Za-z0-9.-]+\.[A-Za-z]{2,})?"),
        "@status@mastodon.social",
    ),
    "bluesky": (
        re.compile(r"@?(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,}"),
        "status.example.com",
    ),
}
_HOST = re.compile(r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}")


def read_social(top: Mapping) -> SocialSettings | None:
    """The `social:` settings under `top`, or None after reporting what is wrong."""
    if "social" not in top:
        return SocialSettings()
    section = Mapping.read(top.file, top.get("social"), "'social'", SOCIAL_KEYS)
    if section is None:
        return None
    ok = True
    days = DEFAULT_DAYS
    if "days" in section:
        value = section.integer("days", minimum=1, maximum=MAX_DAYS)
        ok = value is not None
        days = value or DEFAULT_DAYS
    chosen = _read_names(section)
    if chosen is None:
        return None
    networks = []
    for name in NETWORKS:
        settings = _read_network(section, name) if name in section else NetworkSettings(name)
        if settings is None:
            ok = False
        elif name in chosen:
            networks.append(settings)
        elif name in section and "networks" in section:
            top.file.report(
                section.keys[name],
                f"'{name}' has settings but is not in 'networks'; add it there, or remove them",
            )
            ok = False
    problems = len(top.file.problems)
    post_within = _read_post_within(section)
    matrix = _read_matrix(section) if "matrix" in section else None
    telegram = _read_telegram(section) if "telegram" in section else None
    email = _read_email(section) if "email" in section else None
    if not ok or post_within is None or len(top.file.problems) > problems:
        return None
    networks.sort(key=lambda n: chosen.index(n.name))
    post = _read_post(section, networks)
    if post is None:
        return None
    return SocialSettings(
        networks=tuple(networks),
        days=days,
        post=post,
        post_within=post_within,
        matrix=matrix,
        telegram=telegram,
        email=email,
    )


def _read_names(section: Mapping) -> list[str] | None:
    """The networks to write drafts for, in the order given."""
    if "networks" not in section:
        if "networks" in section.keys:  # `networks:` with nothing after it
            return []
        named = [name for name in NETWORKS if name in section]
        return named or list(NETWORKS)
    seq = section.sequence("networks", "[x, mastodon, bluesky]")
    if seq is None:
        return None
    names: list[str] = []
    ok = True
    for node in seq.value:
        if not isinstance(node, ScalarNode) or node.value not in NETWORKS:
            written = node.value if isinstance(node, ScalarNode) else describe(node)
            section.file.report(node, unknown_message("network", str(written), NETWORKS))
            ok = False
        elif node.value in names:
            section.file.report(node, f"'{node.value}' is listed twice in 'networks'")
            ok = False
        else:
            names.append(node.value)
    return names if ok else None


def _read_network(section: Mapping, name: str) -> NetworkSettings | None:
    """One network's settings, or None after reporting what is wrong."""
    entry = Mapping.read(section.file, section.get(name), f"'{name}'", NETWORK_KEYS[name])
    if entry is None:
        return None
    problems = len(entry.file.problems)
    handle = _read_handle(entry, name)
    hashtags = _read_hashtags(entry)
    thread = entry.flag("thread")
    limit = url_length = None
    instance = None
    if name == "mastodon":
        limit = entry.integer("limit", minimum=100, maximum=MAX_MASTODON_LIMIT)
        url_length = entry.integer("url_length", minimum=1, maximum=MAX_URL_LENGTH)
        instance = _read_instance(entry, handle)
    api = _read_base(entry, API_KEYS[name], _API_EXAMPLES[name])
    if len(entry.file.problems) > problems:
        return None
    return NetworkSettings(
        name=name,
        handle=handle,
        hashtags=hashtags,
        thread=bool(thread),
        limit=limit,
        url_length=url_length,
        instance=instance,
        api=api,
    )


def _read_handle(entry: Mapping, name: str) -> str | None:
    handle = entry.text("handle")
    if handle is None:
        return None
    handle = handle.strip()
    pattern, example = _HANDLES[name]
    if not pattern.fullmatch(handle):
        entry.file.report(
            entry.get("handle"),
            f"'handle' must be an account name on {name} such as {example}, not '{shown(handle)}'",
        )
        return None
    return handle


def _read_hashtags(entry: Mapping) -> tuple[str, ...]:
    seq = entry.sequence("hashtags", "[status, outage]")
    if seq is None:
        return ()
    if len(seq.value) > MAX_HASHTAGS:
        entry.file.report(seq, f"'hashtags' lists {len(seq.value)}; keep at most {MAX_HASHTAGS}")
        return ()
    tags: list[str] = []
    for node in seq.value:
        written = node.value.strip() if isinstance(node, ScalarNode) else ""
        tag = written.removeprefix("#")
        if not _HASHTAG.fullmatch(tag):
            what = f"'{shown(written)}'" if isinstance(node, ScalarNode) else describe(node)
            entry.file.report(
                node,
                f"a hashtag holds letters, digits and _ (not only digits), such as status; "
                f"not {what}",
            )
        elif tag not in tags:
            tags.append(tag)
    return tuple(tags)


def _read_instance(entry: Mapping, handle: str | None) -> str | None:
    """The Mastodon server: `instance`, else the server part of an @user@server handle."""
    if "instance" not in entry:
        if handle is not None and handle.lstrip("@").count("@") == 1:
            return handle.rsplit("@", 1)[1].lower()
        return None
    written = entry.text("instance")
    if written is None:
        return None
    host = written.strip().removeprefix("https://").rstrip("/")
    if not _HOST.fullmatch(host):
        entry.file.report(
            entry.get("instance"),
            f"'instance' must be the host name of a Mastodon server such as mastodon.social, "
            f"not '{shown(written)}'",
        )
        return None
    return host.lower()


_API_EXAMPLES = {
    "x": "https://api.x.com",
    "mastodon": "https://mastodon.social",
    "bluesky": "https://bsky.social",
}


def _read_base(entry: Mapping, key: str, example: str) -> str | None:
    """An https:// address that requests are sent below, without a trailing slash; http://
    only to this machine (a token must not cross a network in the clear)."""
    address = read_address(entry, key, example)
    if address is None:
        return None
    parts = urlsplit(address)
    if parts.query or parts.fragment:
        entry.file.report(
            entry.get(key), f"'{key}' must be an address without ? or #, such as {example}"
        )
        return None
    if parts.scheme == "http" and not is_loopback(parts.hostname or ""):
        entry.file.report(
            entry.get(key),
            f"'{key}' must be an https:// address such as {example}: http:// would send the "
            f"token in the clear (it is allowed only to this machine, for tests)",
        )
        return None
    return address.rstrip("/")


def is_loopback(host: str) -> bool:
    """Whether `host` names this machine: localhost, 127.0.0.0/8, ::1."""
    host = host.strip("[]").lower()
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _read_post_within(section: Mapping) -> timedelta | None:
    """`post_within`: how old an entry may be to be posted (30m, 24h, 7d)."""
    node = section.get("post_within")
    if node is None:
        return DEFAULT_POST_WITHIN
    match = _DURATION.fullmatch(node.value.strip()) if isinstance(node, ScalarNode) else None
    value = int(match[1]) * _UNITS[match[2]] if match else None
    if value is None or not timedelta(minutes=1) <= value <= timedelta(days=MAX_DAYS):
        written = f"'{shown(node.value)}'" if isinstance(node, ScalarNode) else describe(node)
        section.file.report(
            node,
            f"'post_within' must be a duration from 1m to {MAX_DAYS}d such as 30m, 24h or 7d, "
            f"not {written}",
        )
        return None
    return value


def _read_post(section: Mapping, networks: list[NetworkSettings]) -> tuple[str, ...] | None:
    """The channels to post to, each with what posting there needs; None after reporting."""
    chosen: list[str] = []
    ok = True
    if "post" in section:
        seq = section.sequence("post", "[mastodon, bluesky, slack]")
        if seq is None:
            return None
        drafted = {n.name: n for n in networks}
        for node in seq.value:
            name = node.value if isinstance(node, ScalarNode) else None
            if name is None or name not in CHANNELS:
                written = name if name is not None else describe(node)
                problem: str | None = unknown_message("channel", str(written), CHANNELS)
            elif name in chosen:
                problem = f"'{name}' is listed twice in 'post'"
            elif name in NETWORKS and name not in drafted:
                problem = f"'post' lists {name}, which gets no drafts: add it to 'networks'" + (
                    "" if "networks" in section else f", or give it settings ({name}: {{}})"
                )
            else:
                problem = _missing_for_posting(section, name, drafted)
            if problem is not None:
                section.file.report(node, problem)
                ok = False
            elif name is not None:
                chosen.append(name)
    for name in SETTINGS_SECTIONS:
        if ok and name in section and name not in chosen:
            section.file.report(
                section.keys[name],
                f"'{name}' has settings but is not in 'post'; add it there, or remove them",
            )
            ok = False
    return tuple(chosen) if ok else None


def _missing_for_posting(
    section: Mapping, name: str, drafted: dict[str, NetworkSettings]
) -> str | None:
    """What posting to channel `name` needs that the settings lack, or None."""
    if name == "mastodon" and drafted[name].instance is None and drafted[name].api is None:
        return (
            "posting to mastodon needs its server: set 'instance' under 'mastodon' "
            "(or a handle such as @status@mastodon.social)"
        )
    if name == "bluesky" and drafted[name].handle is None:
        return (
            "posting to bluesky needs the account: set 'handle' under 'bluesky' "
            "(such as status.example.com)"
        )
    if name in SETTINGS_SECTIONS and name not in section:
        example = _SECTION_EXAMPLES[name]
        return f"posting to {name} needs its settings: add '{name}:' to 'social' ({example})"
    return None


_SECTION_EXAMPLES = {
    "matrix": "{homeserver: https://matrix.example.org, room: '!abc:example.org'}",
    "telegram": "{chat: '@examplestatus'}",
    "email": "{to: status@lists.example.com, from: status@example.com, host: smtp.example.com}",
}


def _read_matrix(section: Mapping) -> MatrixSettings | None:
    entry = Mapping.read(
        section.file, section.get("matrix"), "'matrix'", MATRIX_KEYS, required=MATRIX_KEYS
    )
    if entry is None:
        return None
    homeserver = _read_base(entry, "homeserver", "https://matrix.example.org")
    room = entry.text("room")
    if room is not None and not _ROOM.fullmatch(room.strip()):
        entry.file.report(
            entry.get("room"),
            f"'room' must be a room id such as '!abc:example.org' or an alias such as "
            f"'#status:example.org' (in quotes: YAML reads # as a comment), not '{shown(room)}'",
        )
        room = None
    if homeserver is None or room is None:
        return None
    return MatrixSettings(homeserver=homeserver, room=room.strip())


def _read_telegram(section: Mapping) -> TelegramSettings | None:
    entry = Mapping.read(
        section.file, section.get("telegram"), "'telegram'", TELEGRAM_KEYS, required=("chat",)
    )
    if entry is None:
        return None
    problems = len(entry.file.problems)
    chat = entry.text("chat")
    if chat is not None and not _CHAT.fullmatch(chat.strip()):
        entry.file.report(
            entry.get("chat"),
            f"'chat' must be a channel's name such as '@examplestatus' or its numeric id, "
            f"not '{shown(chat)}'",
        )
    api = _read_base(entry, "api", "https://api.telegram.org")
    if chat is None or len(entry.file.problems) > problems:
        return None
    return TelegramSettings(chat=chat.strip(), api=api)


def _read_email(section: Mapping) -> EmailSettings | None:
    entry = Mapping.read(
        section.file, section.get("email"), "'email'", EMAIL_KEYS, required=("to", "from", "host")
    )
    if entry is None:
        return None
    problems = len(entry.file.problems)
    to = _read_mail_address(entry, "to", "status@lists.example.com")
    sender = _read_mail_address(entry, "from", "Example Status <status@example.com>")
    host = entry.text("host")
    if host is not None:
        host = host.strip()
        if not (_HOST.fullmatch(host) or is_loopback(host)):
            entry.file.report(
                entry.get("host"),
                f"'host' must be the mail server's host name such as smtp.example.com, "
                f"not '{shown(host)}'",
            )
    tls = entry.choice("tls", MailTls, list(MailTls), "tls") or MailTls.STARTTLS
    if tls is MailTls.NONE and host is not None and not is_loopback(host):
        entry.file.report(
            entry.get("tls"),
            "'tls: none' sends the login and the mail in the clear: it is only for a server "
            "on this machine (localhost, 127.0.0.1), for tests; use starttls or ssl",
        )
    port = entry.integer("port", minimum=1, maximum=65_535) or DEFAULT_MAIL_PORTS[tls]
    if to is None or sender is None or host is None or len(entry.file.problems) > problems:
        return None
    return EmailSettings(to=to, sender=sender, host=host, port=port, tls=tls)


def _read_mail_address(entry: Mapping, key: str, example: str) -> str | None:
    """An address for a mail header: `name@example.com`, or `Name <name@example.com>`."""
    written = entry.text(key)
    if written is None:
        return None
    value = written.strip()
    _, address = parseaddr(value)
    if "\n" in value or "\r" in value or not _MAIL_ADDRESS.fullmatch(address):
        message = f"'{key}' must be a mail address such as {example}, not '{shown(written)}'"
        entry.file.report(entry.get(key), message)
        return None
    return value

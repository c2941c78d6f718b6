"""Read `social:` in statuspage.yaml: which networks drafts are written for, and their settings.

    social:
      days: 30                      # updates older than this get no drafts (open ones always do)
      networks: [x, mastodon, bluesky]
      x: {handle: "@examplestatus", hashtags: [status]}
      mastodon: {instance: mastodon.social, limit: 500, url_length: 23, thread: true}

Without `networks`, drafts are written for the networks that have settings, or for all three
when none has; `networks: []` turns drafts off.
"""

from __future__ import annotations

import re

import regex
from yaml.nodes import ScalarNode

from ..model.social import DEFAULT_DAYS, NETWORKS, NetworkSettings, SocialSettings
from .limits import shown
from .yamlio import Mapping, describe, unknown_message

SOCIAL_KEYS = ("days", "networks", *NETWORKS)
COMMON_KEYS = ("handle", "hashtags", "thread")
NETWORK_KEYS = {
    "x": COMMON_KEYS,
    "mastodon": (*COMMON_KEYS, "instance", "limit", "url_length"),
    "bluesky": COMMON_KEYS,
}
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
    if not ok:
        return None
    networks.sort(key=lambda n: chosen.index(n.name))
    return SocialSettings(networks=tuple(networks), days=days)


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

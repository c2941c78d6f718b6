"""Where the site announces its updates: the social networks and each one's settings."""

from __future__ import annotations

from dataclasses import dataclass, field

NETWORKS = ("x", "mastodon", "bluesky")
"""Every network drafts can be written for, in the order drafts and pages list them."""

DEFAULT_DAYS = 30  # drafts are made for open incidents and updates of the last 30 days


@dataclass(frozen=True, slots=True)
class NetworkSettings:
    """One network's settings from `social:` in statuspage.yaml.

    `limit` and `url_length` are Mastodon's, which each instance may set; `instance` is the
    Mastodon server whose share page the drafts' intent links open.
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


@dataclass(frozen=True, slots=True)
class SocialSettings:
    """The networks drafts are written for, and how far back they go."""

    networks: tuple[NetworkSettings, ...] = field(
        default_factory=lambda: tuple(NetworkSettings(name) for name in NETWORKS)
    )
    days: int = DEFAULT_DAYS  # closed incidents' updates older than this get no drafts

    def network(self, name: str) -> NetworkSettings | None:
        """The settings of the network called `name`, if drafts are written for it."""
        return next((n for n in self.networks if n.name == name), None)

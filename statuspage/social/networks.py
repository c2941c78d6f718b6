"""Each network's rules for a post: its length limit and unit, how it shows a link, and the
web intent link that opens a post ready to send, without any API key.

- X counts twitter-text v3's weighted length (`xlength`): at most 280, every URL as 23.
- Mastodon counts grapheme clusters (`mastodon`): at most the instance's limit (500 by
  default), every URL with a scheme as the instance's URL length (23), a mention as @user.
- Bluesky counts grapheme clusters and UTF-8 bytes: at most 300 and 3,000. A link is shown
  as the Bluesky app shows it (host and the start of the path) and carried in full by a
  link facet, placed by UTF-8 byte offsets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import quote, urlsplit

from ..model.social import NetworkSettings
from .text import grapheme_count

# The counters (xlength, mastodon) are imported where a post is counted: they compile large
# patterns, which a build that only reads these rules should not wait for.
X_LIMIT = 280
MASTODON_LIMIT = 500  # an instance's own may differ: social.mastodon.limit
MASTODON_URL_LENGTH = 23  # ...and social.mastodon.url_length
BLUESKY_GRAPHEMES = 300
BLUESKY_BYTES = 3_000
BLUESKY_LINK_PATH = 15  # the Bluesky app shows at most this much of a link's path, then ...


@dataclass(frozen=True, slots=True)
class Length:
    """A post's length as its network counts it, and that network's limit."""

    value: int
    limit: int
    unit: str

    def plain(self) -> dict[str, int | str]:
        """As the manifest and `announce --json` give it."""
        return {"value": self.value, "limit": self.limit, "unit": self.unit}


class Network:
    """One network's rules; `settings` are the site's for it (hashtags, handle, limits)."""

    name: ClassVar[str]
    title: ClassVar[str]  # as people write it
    unit: ClassVar[str]  # what its limit counts

    def __init__(self, settings: NetworkSettings) -> None:
        self.settings = settings
        self._last = ("", 0)  # the text counted last, and its count: a draft is counted once

    def counted(self, text: str) -> int:
        """`count(text)`, remembered for the text counted last."""
        if text != self._last[0]:
            self._last = (text, self.count(text))
        return self._last[1]

    @property
    def limit(self) -> int:
        """The most a post may count."""
        raise NotImplementedError

    def count(self, text: str) -> int:
        """The length of `text` as the network counts it."""
        raise NotImplementedError

    def fits(self, text: str) -> bool:
        """Whether the network takes `text` as one post."""
        return 0 < self.counted(text) <= self.limit

    def length(self, text: str) -> Length:
        """The length of `text` with its limit and unit."""
        return Length(self.counted(text), self.limit, self.unit)

    def link_text(self, url: str) -> str:
        """How a post shows the link to `url`."""
        return url

    def intent_text(self, text: str, link: tuple[int, int], url: str) -> str:
        """The text an intent link carries for `text`, whose link text is at `link`."""
        return text

    def intent(self, text: str) -> str | None:
        """The address that opens `text` ready to post, or None where there is none."""
        raise NotImplementedError


class X(Network):
    """X, formerly Twitter: the intent link is the way to post without a paid API plan."""

    name, title, unit = "x", "X", "weighted characters"

    @property
    def limit(self) -> int:
        return X_LIMIT

    def count(self, text: str) -> int:
        from .xlength import weighted_length

        return weighted_length(text)

    def intent(self, text: str) -> str | None:
        return f"https://x.com/intent/post?text={quote(text, safe='')}"


class Mastodon(Network):
    """Mastodon: the limit and the length of a link are the instance's."""

    name, title, unit = "mastodon", "Mastodon", "characters"

    @property
    def limit(self) -> int:
        return self.settings.limit or MASTODON_LIMIT

    def count(self, text: str) -> int:
        from .mastodon import mastodon_length

        return mastodon_length(text, self.settings.url_length or MASTODON_URL_LENGTH)

    def intent(self, text: str) -> str | None:
        # The share page of the instance the site's account is on: it asks the reader to
        # sign in there first. Without an instance there is no one address for everyone.
        if self.settings.instance is None:
            return None
        return f"https://{self.settings.instance}/share?text={quote(text, safe='')}"


class Bluesky(Network):
    """Bluesky: the link text is short, the facet carries the whole address."""

    name, title, unit = "bluesky", "Bluesky", "graphemes"

    @property
    def limit(self) -> int:
        return BLUESKY_GRAPHEMES

    def count(self, text: str) -> int:
        return grapheme_count(text)

    def fits(self, text: str) -> bool:
        return 0 < self.counted(text) <= BLUESKY_GRAPHEMES and (
            len(text.encode("utf-8")) <= BLUESKY_BYTES
        )

    def link_text(self, url: str) -> str:
        """The link as the Bluesky app shows one: its host and path, the path cut to 13
        characters and ... when it is longer than 15 (the app's own `toShortUrl`)."""
        parts = urlsplit(url)
        path = (parts.path if parts.path != "/" else "") + (parts.query and f"?{parts.query}")
        path += parts.fragment and f"#{parts.fragment}"
        if len(path) > BLUESKY_LINK_PATH:
            return f"{parts.netloc}{path[:13]}..."
        return f"{parts.netloc}{path}"

    def intent_text(self, text: str, link: tuple[int, int], url: str) -> str:
        # An intent cannot carry a facet, so it gets the whole address; the composer finds
        # the link in the text and shortens it as link_text does.
        return text[: link[0]] + url + text[link[1] :]

    def intent(self, text: str) -> str | None:
        return f"https://bsky.app/intent/compose?text={quote(text, safe='')}"


NETWORK_TYPES: dict[str, type[Network]] = {kind.name: kind for kind in (X, Mastodon, Bluesky)}


def network(settings: NetworkSettings) -> Network:
    """The rules of the network `settings` are for."""
    return NETWORK_TYPES[settings.name](settings)

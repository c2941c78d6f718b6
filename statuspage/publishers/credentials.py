"""The secrets each channel needs, read from the environment alone, and masked everywhere else.

A secret is never in statuspage.yaml, never printed, logged or written: `Scrubber` takes
every secret a run read (and those it was given on the way, a Bluesky session's token) out
of any text before it is shown, in their URL-encoded forms too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from urllib.parse import quote, quote_plus, urlsplit

from ..errors import PostFailed

MASK = "***"


@dataclass(frozen=True, slots=True)
class Secret:
    """An environment variable a channel reads, and what it must hold."""

    variable: str
    holds: str  # for the README's table and the message when it is missing
    optional: bool = False


SECRETS: dict[str, tuple[Secret, ...]] = {
    "x": (
        Secret(
            "STATUSPAGE_X_TOKEN",
            "an OAuth 2.0 user-context access token with the tweet.write scope; without it "
            "X is skipped (its API bills per post)",
            optional=True,
        ),
    ),
    "mastodon": (
        Secret("STATUSPAGE_MASTODON_TOKEN", "an access token with the write:statuses scope"),
    ),
    "bluesky": (
        Secret(
            "STATUSPAGE_BLUESKY_APP_PASSWORD",
            "an app password of the account social.bluesky.handle names",
        ),
    ),
    "slack": (Secret("STATUSPAGE_SLACK_WEBHOOK", "the incoming webhook's address"),),
    "discord": (Secret("STATUSPAGE_DISCORD_WEBHOOK", "the channel webhook's address"),),
    "teams": (
        Secret(
            "STATUSPAGE_TEAMS_WEBHOOK",
            "the address of a Workflows webhook that posts cards to a channel",
        ),
    ),
    "matrix": (Secret("STATUSPAGE_MATRIX_TOKEN", "an access token of an account in the room"),),
    "telegram": (
        Secret("STATUSPAGE_TELEGRAM_TOKEN", "the bot's token; the bot is an admin of the channel"),
    ),
    "email": (
        Secret(
            "STATUSPAGE_SMTP_USERNAME",
            "the login at the mail server, if it asks for one",
            optional=True,
        ),
        Secret("STATUSPAGE_SMTP_PASSWORD", "its password, with the login", optional=True),
    ),
}
"""Every channel's secrets: the channels' code reads them from here, the README lists them."""


def read_secrets(channel: str, environ: Mapping[str, str]) -> dict[str, str]:
    """The channel's secrets that `environ` sets, by variable; PostFailed naming the first
    one required and missing (or empty)."""
    found: dict[str, str] = {}
    for secret in SECRETS[channel]:
        value = environ.get(secret.variable, "").strip()
        if value:
            if secret.variable.endswith("_WEBHOOK") and not _is_address(value):
                raise PostFailed(
                    f"{secret.variable} must hold {secret.holds}, an https:// address "
                    f"(http:// only to this machine, for tests)"
                )
            found[secret.variable] = value
        elif not secret.optional:
            raise PostFailed(f"{secret.variable} is not set: it must hold {secret.holds}")
    return found


def _is_address(value: str) -> bool:
    """Whether a webhook's address can be posted to: https://, or http:// on loopback."""
    from ..sources.socialconfig import is_loopback

    try:
        parts = urlsplit(value)
        host = parts.hostname or ""
    except ValueError:
        return False
    if any(character.isspace() for character in value) or not host:
        return False
    return parts.scheme == "https" or (parts.scheme == "http" and is_loopback(host))


class Scrubber:
    """Takes secrets out of text that is about to be shown."""

    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: set[str] = set()
        self.add(*secrets)

    def add(self, *secrets: str) -> None:
        """Mask these too from now on (and their URL-encoded forms)."""
        for secret in secrets:
            if len(secret) >= 4:  # a shorter one would mask ordinary words: none is that short
                self._secrets.update({secret, quote(secret, safe=""), quote_plus(secret)})

    def __call__(self, text: str) -> str:
        """`text` with every secret replaced by ***, longest first."""
        for secret in sorted(self._secrets, key=len, reverse=True):
            text = text.replace(secret, MASK)
        return text

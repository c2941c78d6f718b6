"""Discord: one message per update through a channel webhook: the status and title in bold
as a Markdown link, then its words with every Markdown character escaped, and
`allowed_mentions: {parse: []}` so that no text from a file can ever ping @everyone, a role
or a user. `?wait=true` makes Discord answer with the message, and so its id.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import urlsplit, urlunsplit

from .channel import Announcement, Channel, Composed, Delivery, RemoteId
from .chat import fit, markdown_escape, utf16_length
from .outbox import Outbox, Request
from .webhooks import shown_webhook

WEBHOOK = "STATUSPAGE_DISCORD_WEBHOOK"
LIMIT = 2_000  # characters of `content`


def discord_content(announcement: Announcement) -> str:
    """The message in Discord's Markdown, within LIMIT."""
    link = f"**[{markdown_escape(announcement.heading)}]({announcement.url})**"

    def make(message: str) -> str:
        return f"{link}\n\n{markdown_escape(message)}" if message else link

    return fit(announcement.message, make, lambda text: utf16_length(text) <= LIMIT)


class Discord(Channel):
    """Posts one message per update to a Discord channel's webhook."""

    name: ClassVar[str] = "discord"
    title: ClassVar[str] = "Discord"

    def compose(self, announcement: Announcement, drafts: tuple[Any, ...]) -> Composed:
        return Composed(announcement, (discord_content(announcement),))

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        url = _waiting(self.secrets[WEBHOOK])
        body = {"content": composed.texts[0], "allowed_mentions": {"parse": []}}
        stand_in = f"(the id of {composed.announcement.entry_name}'s message)"
        answer = outbox.send(
            Request("POST", url, shown_webhook(url), json=body, dry_answer={"id": stand_in})
        )
        message_id = answer.get("id") if isinstance(answer, dict) else None
        delivery.posted(RemoteId(str(message_id) if message_id is not None else ""))


def _waiting(url: str) -> str:
    """The webhook's address with wait=true, so Discord answers with the message."""
    parts = urlsplit(url)
    query = "&".join(q for q in (parts.query, "wait=true") if q)
    return urlunsplit(parts._replace(query=query))

"""Telegram: one message per update into a channel through the Bot API
(`POST /bot<token>/sendMessage`), in its HTML: the status and title in bold as a link, then
the words, escaped, with a preview of the update's page; an incident's later messages reply
to the one before. The token is in the address's
path, so the address is shown with it masked.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import PostFailed
from .channel import Announcement, Channel, Composed, Delivery, RemoteId
from .chat import fit, html_text, utf16_length
from .credentials import MASK
from .outbox import Outbox, Request

TOKEN = "STATUSPAGE_TELEGRAM_TOKEN"
API = "https://api.telegram.org"
LIMIT = 4_096  # characters of the text once its HTML is read, in UTF-16 code units


def telegram_text(announcement: Announcement) -> str:
    """The message in Telegram's HTML, its visible text within LIMIT."""
    link = f'<b><a href="{html_text(announcement.url)}">{html_text(announcement.heading)}</a></b>'

    def make(message: str) -> tuple[str, str]:
        if not message:
            return link, announcement.heading
        return f"{link}\n\n{html_text(message)}", f"{announcement.heading}\n\n{message}"

    made, _ = fit(announcement.message, make, lambda pair: utf16_length(pair[1]) <= LIMIT)
    return made


class Telegram(Channel):
    """Posts one message per update to the channel social.telegram names."""

    name: ClassVar[str] = "telegram"
    title: ClassVar[str] = "Telegram"

    def compose(self, announcement: Announcement, drafts: tuple[Any, ...]) -> Composed:
        return Composed(announcement, (telegram_text(announcement),))

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        settings = self.config.social.telegram
        assert settings is not None  # socialconfig: posting to telegram needs its settings
        base = settings.api or API
        body: dict[str, Any] = {
            "chat_id": settings.chat,
            "text": composed.texts[0],
            "parse_mode": "HTML",
            "link_preview_options": {"url": composed.announcement.url},
        }
        parent = delivery.thread.parent
        if parent is not None:  # an incident's later messages reply to the one before
            replied: int | str = int(parent.id) if parent.id.isdigit() else parent.id
            body["reply_parameters"] = {
                "message_id": replied,
                "allow_sending_without_reply": True,
            }
        stand_in = f"(the id of {composed.announcement.entry_name}'s message)"
        answer = outbox.send(
            Request(
                "POST",
                f"{base}/bot{self.secrets[TOKEN]}/sendMessage",
                f"{base}/bot{MASK}/sendMessage",
                json=body,
                dry_answer={"ok": True, "result": {"message_id": stand_in}},
            )
        )
        result = answer.get("result") if isinstance(answer, dict) else None
        message_id = result.get("message_id") if isinstance(result, dict) else None
        if message_id is None:
            raise PostFailed(f"{base}/bot{MASK}/sendMessage answered without the message's id")
        delivery.posted(RemoteId(str(message_id)))

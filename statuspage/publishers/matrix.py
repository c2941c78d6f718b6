"""Matrix: one `m.notice` per update into a room, through the client-server API
(`PUT /_matrix/client/v3/rooms/{room}/send/m.room.message/{txnId}`): a plain `body` and an
HTML `formatted_body`, every text from files escaped. An incident's later notices are a
thread under its first (`m.thread`, falling back to a reply to the notice before). The
transaction id is the same on every run for the same message, so a repeat of a request that
reached the homeserver posts once.
"""

from __future__ import annotations

from typing import Any, ClassVar
from urllib.parse import quote

from ..errors import PostFailed
from .channel import Announcement, Channel, Composed, Delivery, RemoteId
from .chat import fit, html_paragraphs, html_text, json_bytes
from .outbox import Outbox, Request

TOKEN = "STATUSPAGE_MATRIX_TOKEN"
LIMIT_BYTES = 60_000  # of the content: an event is at most 65,536 bytes with its envelope


def matrix_content(announcement: Announcement) -> dict[str, str]:
    """The event's content, within LIMIT_BYTES."""
    url = announcement.url

    def make(message: str) -> dict[str, str]:
        words = f"\n\n{message}" if message else ""
        link = f'<a href="{html_text(url)}">{html_text(announcement.heading)}</a>'
        return {
            "msgtype": "m.notice",
            "body": f"{announcement.heading}{words}\n\n{url}",
            "format": "org.matrix.custom.html",
            "formatted_body": f"<p><strong>{link}</strong></p>{html_paragraphs(message)}",
        }

    return fit(announcement.message, make, lambda value: json_bytes(value) <= LIMIT_BYTES)


class Matrix(Channel):
    """Posts one notice per update into the room social.matrix names."""

    name: ClassVar[str] = "matrix"
    title: ClassVar[str] = "Matrix"

    def compose(self, announcement: Announcement, drafts: tuple[Any, ...]) -> Composed:
        content = matrix_content(announcement)
        return Composed(announcement, (content["body"], content["formatted_body"]))

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        settings = self.config.social.matrix
        assert settings is not None  # socialconfig: posting to matrix needs its settings
        body, formatted = composed.texts
        room = quote(settings.room, safe="")
        url = (
            f"{settings.homeserver}/_matrix/client/v3/rooms/{room}/send/m.room.message/"
            f"{self.key(composed, 1)}"
        )
        content: dict[str, Any] = {
            "msgtype": "m.notice",
            "body": body,
            "format": "org.matrix.custom.html",
            "formatted_body": formatted,
        }
        thread = delivery.thread
        if thread.root is not None and thread.parent is not None:
            # A thread under the incident's first notice; clients without threads show
            # it as a reply to the notice before.
            content["m.relates_to"] = {
                "rel_type": "m.thread",
                "event_id": thread.root.id,
                "is_falling_back": True,
                "m.in_reply_to": {"event_id": thread.parent.id},
            }
        stand_in = f"(the event id of {composed.announcement.entry_name}'s notice)"
        answer = outbox.send(
            Request(
                "PUT",
                url,
                url,
                json=content,
                headers={"Authorization": f"Bearer {self.secrets[TOKEN]}"},
                idempotent=True,
                dry_answer={"event_id": stand_in},
            )
        )
        event_id = answer.get("event_id") if isinstance(answer, dict) else None
        if not isinstance(event_id, str):
            raise PostFailed(f"{settings.homeserver} answered without the event's id")
        delivery.posted(RemoteId(event_id))

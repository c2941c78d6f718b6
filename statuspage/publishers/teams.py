"""Microsoft Teams: one Adaptive Card (1.4) per update through a Workflows webhook: the
status and title, the words (TextBlocks, their Markdown characters escaped), and a button
that opens the update, named by the page's host. The webhook's address is the secret.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar
from urllib.parse import urlsplit

from .channel import Announcement, Channel, Composed, Delivery, RemoteId
from .chat import fit, json_bytes, markdown_escape
from .outbox import Outbox, Request
from .webhooks import shown_webhook

WEBHOOK = "STATUSPAGE_TEAMS_WEBHOOK"
LIMIT_BYTES = 27_000  # Teams refuses a message over about 28 KB
CARD = "application/vnd.microsoft.card.adaptive"


def teams_message(announcement: Announcement) -> dict[str, Any]:
    """The webhook's message: one Adaptive Card, within LIMIT_BYTES."""

    def make(message: str) -> dict[str, Any]:
        body: list[dict[str, Any]] = [
            {
                "type": "TextBlock",
                "text": markdown_escape(announcement.heading),
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            }
        ]
        if message:
            body.append({"type": "TextBlock", "text": markdown_escape(message), "wrap": True})
        card = {
            "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
            "type": "AdaptiveCard",
            "version": "1.4",
            "body": body,
            "actions": [
                {
                    "type": "Action.OpenUrl",
                    "title": _host(announcement.url),
                    "url": announcement.url,
                }
            ],
        }
        return {"type": "message", "attachments": [{"contentType": CARD, "content": card}]}

    return fit(announcement.message, make, lambda value: json_bytes(value) <= LIMIT_BYTES)


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


class Teams(Channel):
    """Posts one card per update to a Teams channel's Workflows webhook."""

    name: ClassVar[str] = "teams"
    title: ClassVar[str] = "Microsoft Teams"

    def compose(self, announcement: Announcement, drafts: tuple[Any, ...]) -> Composed:
        text = json.dumps(teams_message(announcement), ensure_ascii=False)
        return Composed(announcement, (text,))

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        url = self.secrets[WEBHOOK]
        outbox.send(Request("POST", url, shown_webhook(url), json=json.loads(composed.texts[0])))
        delivery.posted(RemoteId(""))  # a workflow answers 202 Accepted, with no id

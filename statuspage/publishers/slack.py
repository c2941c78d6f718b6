"""Slack: one message per update through an incoming webhook, in mrkdwn: the status and
title in bold as a link to the update (`<url|text>`), then its words, with `&`, `<` and `>`
escaped so nothing in them becomes a link or a mention. The webhook's address is the secret.
"""

from __future__ import annotations

from typing import Any, ClassVar

from .channel import Announcement, Channel, Composed, Delivery, RemoteId
from .chat import fit, slack_escape, utf16_length
from .outbox import Outbox, Request
from .webhooks import shown_webhook

WEBHOOK = "STATUSPAGE_SLACK_WEBHOOK"
LIMIT = 40_000  # characters of `text`: Slack cuts a longer message there


def slack_text(announcement: Announcement) -> str:
    """The message in Slack's mrkdwn, within LIMIT."""
    link = f"*<{announcement.url}|{slack_escape(announcement.heading)}>*"

    def make(message: str) -> str:
        return f"{link}\n\n{slack_escape(message)}" if message else link

    return fit(announcement.message, make, lambda text: utf16_length(text) <= LIMIT)


class Slack(Channel):
    """Posts one message per update to a Slack channel's incoming webhook."""

    name: ClassVar[str] = "slack"
    title: ClassVar[str] = "Slack"

    def compose(self, announcement: Announcement, drafts: tuple[Any, ...]) -> Composed:
        return Composed(announcement, (slack_text(announcement),))

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        url = self.secrets[WEBHOOK]
        outbox.send(Request("POST", url, shown_webhook(url), json={"text": composed.texts[0]}))
        delivery.posted(RemoteId(""))  # an incoming webhook gives no id back

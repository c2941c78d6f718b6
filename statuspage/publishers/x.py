"""X: each draft through API v2 (`POST /2/tweets`), a thread as replies, only when the user
gives an OAuth 2.0 user-context token: X's API bills per post. Without one X is skipped,
and the drafts' intent links (which `announce` prints) post them by hand for free.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import PostFailed
from .channel import Composed, Delivery, DraftsChannel, RemoteId
from .outbox import Outbox, Request

TOKEN = "STATUSPAGE_X_TOKEN"
API = "https://api.x.com"


class X(DraftsChannel):
    """Posts a network's drafts to the site's X account, with the user's own API access."""

    name: ClassVar[str] = "x"
    title: ClassVar[str] = "X"

    @property
    def base(self) -> str:
        settings = self.config.social.network("x")
        return (settings.api if settings is not None else None) or API

    def ready(self) -> str | None:
        if TOKEN in self.secrets:
            return None
        return (
            f"{TOKEN} is not set, so X is not posted to through its API (which bills per "
            f"post); post each by hand with its intent link"
        )

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        thread, done, posted = delivery.thread, delivery.done, delivery.posted
        parent = done[-1] if done else thread.parent
        url = f"{self.base}/2/tweets"
        for position, text in enumerate(composed.texts, start=1):
            if position <= len(done):
                continue
            body: dict[str, Any] = {"text": text}
            if parent is not None:
                body["reply"] = {"in_reply_to_tweet_id": parent.id}
            where = f"{composed.announcement.entry_name}'s post {position}"
            answer = outbox.send(
                Request(
                    "POST",
                    url,
                    url,
                    json=body,
                    headers={"Authorization": f"Bearer {self.secrets[TOKEN]}"},
                    dry_answer={"data": {"id": f"(the id of {where})"}},
                )
            )
            data = answer.get("data") if isinstance(answer, dict) else None
            post_id = data.get("id") if isinstance(data, dict) else None
            if not isinstance(post_id, str):
                raise PostFailed(f"{url} answered without the post's id")
            parent = RemoteId(post_id)
            posted(parent)

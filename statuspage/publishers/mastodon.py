"""Mastodon: each draft as a status (`POST /api/v1/statuses`), a thread as replies.

Every status carries an `Idempotency-Key` made from the site, the entry, the post's place
and its text, so a run that crashed after Mastodon took a status and is run again (within
the hour Mastodon keeps keys) gets the same status back instead of a second one. Before the
first post, the instance's own limits are read (`GET /api/v2/instance`) when it answers: a
draft the instance counts as too long is refused here, with what to set, not sent.
"""

from __future__ import annotations

from typing import Any, ClassVar

from ..errors import PostFailed
from ..social.mastodon import mastodon_length
from ..social.networks import MASTODON_URL_LENGTH
from .channel import Composed, Delivery, DraftsChannel, RemoteId
from .outbox import Outbox, Request

TOKEN = "STATUSPAGE_MASTODON_TOKEN"


class Mastodon(DraftsChannel):
    """Posts a network's drafts to the site's Mastodon account."""

    name: ClassVar[str] = "mastodon"
    title: ClassVar[str] = "Mastodon"
    _limits: tuple[int, int] | None = None  # the instance's, read once a run (0: unknown)

    @property
    def base(self) -> str:
        settings = self.config.social.network("mastodon")
        assert settings is not None  # socialconfig: posting to mastodon needs its drafts
        return settings.api or f"https://{settings.instance}"

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        thread, done, posted = delivery.thread, delivery.done, delivery.posted
        self._check_limits(outbox, composed)
        parent = done[-1] if done else thread.parent
        headers = {"Authorization": f"Bearer {self.secrets.get(TOKEN, '')}"}
        language = composed.announcement.language.split("-")[0]
        for position, text in enumerate(composed.texts, start=1):
            if position <= len(done):
                continue
            body: dict[str, Any] = {"status": text, "visibility": "public", "language": language}
            if parent is not None:
                body["in_reply_to_id"] = parent.id
            stand_in = f"(the id of {composed.announcement.entry_name}'s post {position})"
            answer = outbox.send(
                Request(
                    "POST",
                    f"{self.base}/api/v1/statuses",
                    f"{self.base}/api/v1/statuses",
                    json=body,
                    headers={**headers, "Idempotency-Key": self.key(composed, position)},
                    idempotent=True,
                    dry_answer={"id": stand_in},
                )
            )
            status_id = answer.get("id") if isinstance(answer, dict) else None
            if not isinstance(status_id, str | int):
                raise PostFailed(f"{self.base}/api/v1/statuses answered without a status id")
            parent = RemoteId(str(status_id))
            posted(parent)

    def _check_limits(self, outbox: Outbox, composed: Composed) -> None:
        """Refuse a post longer than the instance's own limit, when it says what that is."""
        if self._limits is None:
            url = f"{self.base}/api/v2/instance"
            statuses = _dig(outbox.look(Request("GET", url, url)), "configuration", "statuses")
            limit = statuses.get("max_characters") if isinstance(statuses, dict) else None
            url_length = statuses.get("characters_reserved_per_url") if statuses else None
            self._limits = (
                limit if isinstance(limit, int) else 0,
                url_length if isinstance(url_length, int) else MASTODON_URL_LENGTH,
            )
        limit, url_length = self._limits
        if not limit:  # the instance did not say: the drafts' own limit holds
            return
        for position, text in enumerate(composed.texts, start=1):
            length = mastodon_length(text, url_length)
            if length > limit:
                post = f"post {position} of " if len(composed.texts) > 1 else ""
                raise PostFailed(
                    f"{post}{composed.announcement.entry_name} counts {length} characters on "
                    f"{self.base}, over its limit of {limit}; not sent: set social.mastodon."
                    f"limit: {limit} and url_length: {url_length} in statuspage.yaml, so "
                    f"drafts fit it"
                )


def _dig(value: Any, *keys: str) -> Any:
    for key in keys:
        if not isinstance(value, dict):
            return None
        value = value.get(key)
    return value

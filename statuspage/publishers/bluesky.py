"""Bluesky: a session from the handle and an app password (`com.atproto.server.createSession`),
then each draft as an `app.bsky.feed.post` record (`com.atproto.repo.createRecord`), with
its link facets and language; a thread as replies (`reply.root`, `reply.parent`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar

from ..errors import PostFailed
from ..model import Config
from .channel import Composed, Delivery, DraftsChannel, RemoteId
from .outbox import Outbox, Request

APP_PASSWORD = "STATUSPAGE_BLUESKY_APP_PASSWORD"
SERVICE = "https://bsky.social"
POST_TYPE = "app.bsky.feed.post"


class Bluesky(DraftsChannel):
    """Posts a network's drafts to the site's Bluesky account."""

    name: ClassVar[str] = "bluesky"
    title: ClassVar[str] = "Bluesky"

    def __init__(
        self, config: Config, secrets: Mapping[str, str], clock: Callable[[], datetime]
    ) -> None:
        super().__init__(config, secrets, clock)
        self._session: tuple[str, str] | None = None  # did, access token: one session a run

    @property
    def base(self) -> str:
        settings = self.config.social.network("bluesky")
        return (settings.api if settings is not None else None) or SERVICE

    def send(self, outbox: Outbox, composed: Composed, delivery: Delivery) -> None:
        thread, done, posted = delivery.thread, delivery.done, delivery.posted
        did, token = self._sign_in(outbox)
        root = thread.root or (done[0] if done else None)
        parent = done[-1] if done else thread.parent
        url = f"{self.base}/xrpc/com.atproto.repo.createRecord"
        for position, draft in enumerate(composed.drafts, start=1):
            if position <= len(done):
                continue
            record: dict[str, Any] = {
                "$type": POST_TYPE,
                "text": draft.text,
                "createdAt": _timestamp(self.clock()),
                "langs": [composed.announcement.language],
            }
            if draft.facets:
                record["facets"] = [facet.plain() for facet in draft.facets]
            if parent is not None:
                record["reply"] = {"root": _ref(root or parent), "parent": _ref(parent)}
            where = f"{composed.announcement.entry_name}'s post {position}"
            answer = outbox.send(
                Request(
                    "POST",
                    url,
                    url,
                    json={"repo": did, "collection": POST_TYPE, "record": record},
                    headers={"Authorization": f"Bearer {token}"},
                    dry_answer={"uri": f"(the uri of {where})", "cid": f"(the cid of {where})"},
                )
            )
            uri = answer.get("uri") if isinstance(answer, dict) else None
            cid = answer.get("cid") if isinstance(answer, dict) else None
            if not isinstance(uri, str) or not isinstance(cid, str):
                raise PostFailed(f"{url} answered without the post's uri and cid")
            parent = RemoteId(uri, cid)
            root = root or parent
            posted(parent)

    def _sign_in(self, outbox: Outbox) -> tuple[str, str]:
        if self._session is not None:
            return self._session
        settings = self.config.social.network("bluesky")
        handle = (settings.handle if settings is not None else None) or ""
        url = f"{self.base}/xrpc/com.atproto.server.createSession"
        answer = outbox.send(
            Request(
                "POST",
                url,
                url,
                json={"identifier": handle.lstrip("@"), "password": self.secrets[APP_PASSWORD]},
                dry_answer={"did": "(the account's did)", "accessJwt": "(the session's token)"},
            )
        )
        did = answer.get("did") if isinstance(answer, dict) else None
        token = answer.get("accessJwt") if isinstance(answer, dict) else None
        if not isinstance(did, str) or not isinstance(token, str):
            raise PostFailed(f"{url} answered without a session (did and accessJwt)")
        outbox.scrub.add(token)
        self._session = (did, token)
        return self._session


def _ref(post: RemoteId) -> dict[str, str]:
    """A strong reference to a post, as a reply names its root and parent."""
    return {"uri": post.id, "cid": post.cid or ""}


def _timestamp(moment: datetime) -> str:
    """`createdAt` as Bluesky writes it: UTC, milliseconds, Z."""
    utc = moment.astimezone(UTC)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"

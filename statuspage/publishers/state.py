"""`social/posted.yaml`: what `announce --post` has posted, kept in the site and committed
with it, so that a run posts only what no run has posted before.

One entry per update (or postmortem) and channel: the incident, the update, the network,
the ids the channel gave back, when, and a digest of the text sent (to tell an edited
update). A thread that failed half-way is kept as far as it went (`thread: 1 of 3`), and
the next run goes on from there. The file is replaced whole after every post, through a
temporary file and a rename: a crash leaves it as it was before that post or after it,
never half-written, and nothing is in it that was not posted.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import ScalarNode

from ..errors import OutputError, ValidationFailed
from ..model.social import CHANNELS
from ..render.feeds import POSTMORTEM
from ..sources.limits import shown
from ..sources.yamlio import Mapping, SourceFile, parse, unknown_message
from .channel import RemoteId, Thread

POSTED_PATH = "social/posted.yaml"
HEADER = """\
# What `statuspage announce --post` has posted: one entry per update and channel, written
# after every post. Commit it with the site: a run posts only what is not here. An edited
# update is not posted again (unless --repost-edited); remove its entry to post it again.
"""
ENTRY_KEYS = ("incident", "update", "network", "posted_at", "digest", "ids", "thread")
REQUIRED = ("incident", "update", "network", "posted_at", "digest")
POSTMORTEM_NAME = "postmortem"
_THREAD = re.compile(r"([0-9]{1,2}) of ([0-9]{1,2})")
_POSTMORTEM_LAST = 1_000_000  # in an incident's order of entries, after every update


@dataclass(frozen=True, slots=True)
class PostedEntry:
    """One update (or postmortem) posted to one channel, or a thread of it partly posted."""

    incident: str
    update: int  # from 1; POSTMORTEM for the postmortem
    network: str  # the channel: one of CHANNELS
    posted_at: datetime  # of its latest post
    digest: str  # of the texts sent (Composed.digest)
    ids: tuple[RemoteId, ...] = ()  # of its posts, where the channel gives one back
    made: int = 1  # posts made
    posts: int = 1  # posts it has: more than made while a thread is partly posted

    @property
    def complete(self) -> bool:
        """Whether every post of it went out."""
        return self.made >= self.posts

    def plain(self) -> dict[str, Any]:
        """As posted.yaml has it."""
        record: dict[str, Any] = {
            "incident": self.incident,
            "update": POSTMORTEM_NAME if self.update == POSTMORTEM else self.update,
            "network": self.network,
            "posted_at": self.posted_at.astimezone(UTC).isoformat().replace("+00:00", "Z"),
            "digest": self.digest,
            "ids": [
                post.id if post.cid is None else {"uri": post.id, "cid": post.cid}
                for post in self.ids
            ],
        }
        if not self.complete:
            record["thread"] = f"{self.made} of {self.posts}"
        return record


def entry_rank(update: int) -> int:
    """An entry's place among its incident's: the updates in order, then the postmortem."""
    return _POSTMORTEM_LAST if update == POSTMORTEM else update


class PostedLog:
    """The entries of posted.yaml, and the file they are written to (None: a dry run)."""

    def __init__(self, path: Path | None, entries: Iterable[PostedEntry] = ()) -> None:
        self.path = path
        self._entries = {(e.incident, e.update, e.network): e for e in entries}

    @classmethod
    def load(cls, root: Path, *, write: bool = True) -> PostedLog:
        """The log kept in `root`; empty when there is none yet. ValidationFailed listing
        every problem of a file that cannot be read."""
        path = root / POSTED_PATH
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return cls(path if write else None)
        except (OSError, UnicodeDecodeError) as error:
            raise OutputError(f"{POSTED_PATH}: cannot be read ({error})") from None
        return cls(path if write else None, read_entries(text))

    def find(self, incident: str, update: int, network: str) -> PostedEntry | None:
        """What was posted of one entry to one channel, if anything."""
        return self._entries.get((incident, update, network))

    def thread(self, incident: str, update: int, network: str) -> Thread:
        """Where entry `update` goes on `network`: after the incident's entries before it."""
        earlier = sorted(
            (
                e
                for e in self._entries.values()
                if e.incident == incident
                and e.network == network
                and entry_rank(e.update) < entry_rank(update)
                and e.complete
            ),
            key=lambda e: entry_rank(e.update),
        )
        posts = tuple(post for e in earlier for post in e.ids if post.id)
        if not posts:
            return Thread()
        return Thread(root=posts[0], parent=posts[-1], earlier=posts)

    def record(self, entry: PostedEntry) -> None:
        """Keep `entry` (in place of what was kept of the same entry and channel) and write
        the file at once."""
        self._entries[(entry.incident, entry.update, entry.network)] = entry
        self.save()

    def entries(self) -> list[PostedEntry]:
        """Every entry, by incident, then in the incident's order, then by channel."""
        return sorted(
            self._entries.values(),
            key=lambda e: (e.incident, entry_rank(e.update), CHANNELS.index(e.network)),
        )

    def save(self) -> None:
        """Replace the file whole: a temporary file beside it, then one rename."""
        if self.path is None:
            return
        records = [entry.plain() for entry in self.entries()]
        body = yaml.safe_dump({"posted": records}, sort_keys=False, allow_unicode=True, width=1_000)
        folder = self.path.parent
        temporary = folder / f".{self.path.name}.{os.getpid()}.tmp"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            with temporary.open("w", encoding="utf-8", newline="\n") as file:
                file.write(HEADER + body)
                file.flush()
                os.fsync(file.fileno())
            temporary.replace(self.path)  # atomic: one rename over the old file
        except OSError as error:
            with contextlib.suppress(OSError):
                temporary.unlink()
            raise OutputError(f"{POSTED_PATH}: cannot be written ({error.strerror})") from None


def with_post(entry: PostedEntry, post: RemoteId, at: datetime) -> PostedEntry:
    """`entry` with one more post made."""
    ids = (*entry.ids, post) if post.id else entry.ids
    return replace(entry, ids=ids, made=entry.made + 1, posted_at=at)


def read_entries(text: str) -> list[PostedEntry]:
    """The entries of posted.yaml's text; ValidationFailed with every problem in it."""
    file = SourceFile(POSTED_PATH)
    root = parse(text, file)
    entries: list[PostedEntry] = []
    if root is not None:
        top = Mapping.read(file, root, POSTED_PATH, ("posted",), ("posted",))
        seq = top.sequence("posted", "[{incident: api, update: 1, ...}]") if top else None
        for node in seq.value if seq is not None else ():
            entry = _read_entry(file, node)
            if entry is not None:
                entries.append(entry)
    if file.problems:
        raise ValidationFailed(file.problems)
    return entries


def _read_entry(file: SourceFile, node: Any) -> PostedEntry | None:
    entry = Mapping.read(file, node, "each entry of 'posted'", ENTRY_KEYS, REQUIRED)
    if entry is None:
        return None
    problems = len(file.problems)
    incident = entry.text("incident")
    network = entry.text("network")
    if network is not None and network not in CHANNELS:
        file.report(entry.get("network"), unknown_message("network", network, CHANNELS))
    update = _read_update(entry)
    posted_at = entry.time("posted_at")
    digest = entry.text("digest")
    ids = _read_ids(entry)
    made = posts = max(1, len(ids))
    thread_node = entry.get("thread")
    if thread_node is not None:
        found = (
            _THREAD.fullmatch(thread_node.value.strip())
            if isinstance(thread_node, ScalarNode)
            else None
        )
        if found is None or not 0 < int(found[1]) < int(found[2]):
            file.report(thread_node, "'thread' must say how far a thread went, such as 1 of 3")
        else:
            made, posts = int(found[1]), int(found[2])
    if len(file.problems) > problems:
        return None
    assert incident and network and update is not None and posted_at and digest
    return PostedEntry(incident, update, network, posted_at, digest, ids, made, posts)


def _read_update(entry: Mapping) -> int | None:
    node = entry.get("update")
    written = node.value.strip() if isinstance(node, ScalarNode) else ""
    if written == POSTMORTEM_NAME:
        return POSTMORTEM
    if written.isdigit() and 0 < int(written[:6]) <= 1_000:
        return int(written)
    entry.file.report(
        node, f"'update' must be an update's number or postmortem, not '{shown(written)}'"
    )
    return None


def _read_ids(entry: Mapping) -> tuple[RemoteId, ...]:
    seq = entry.sequence("ids", "['109876543210']")
    if seq is None:
        return ()
    ids: list[RemoteId] = []
    for node in seq.value:
        if isinstance(node, ScalarNode) and node.value.strip():
            ids.append(RemoteId(node.value.strip()))
            continue
        pair = Mapping.read(entry.file, node, "an id", ("uri", "cid"), ("uri", "cid"))
        uri = pair.text("uri") if pair else None
        cid = pair.text("cid") if pair else None
        if uri and cid:
            ids.append(RemoteId(uri, cid))
    return tuple(ids)

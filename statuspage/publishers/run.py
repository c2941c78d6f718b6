"""`statuspage announce --post`: post every entry that has drafts and was not posted yet, to
every channel `social.post` lists, recording each post in social/posted.yaml as it is made.

Which entries: those the drafts manifest holds (social.manifest.drafted_entries), oldest
first, that are at most `social.post_within` old (24 hours by default) at `now`: a first run
on a site with a long history, or a run after a long pause, lists the older ones as skipped
instead of flooding followers with old news. An entry posted already is not posted again;
one whose text changed since (an edited update) only with `repost_edited`.

A channel that fails (unreachable, refusing, out of retries) is reported, and the run goes
on with the others; that channel posts nothing more on this run, so that an incident's
updates never go out of order, and the next run posts what it left.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from ..errors import PostFailed, UsageError
from ..model import Site
from ..render.feeds import POSTMORTEM, entry_order
from ..render.views import SiteIndex
from ..social.drafts import Draft, DraftWriter, EntryWords
from ..social.manifest import drafted_entries
from ..sources.theme import Theme
from .bluesky import Bluesky
from .channel import Announcement, Channel, Composed, Delivery, RemoteId
from .credentials import SECRETS, read_secrets
from .discord import Discord
from .mail import Mail
from .mastodon import Mastodon
from .matrix import Matrix
from .outbox import Outbox
from .slack import Slack
from .state import PostedEntry, PostedLog, with_post
from .teams import Teams
from .telegram import Telegram
from .x import X

CHANNEL_TYPES: dict[str, type[Channel]] = {
    kind.name: kind
    for kind in (X, Mastodon, Bluesky, Slack, Discord, Teams, Matrix, Telegram, Mail)
}


@dataclass(slots=True)
class PostReport:
    """What a run did, channel by channel and entry by entry."""

    posted: list[tuple[str, str, str]] = field(default_factory=list)  # channel, incident, entry
    failed: list[tuple[str, str]] = field(default_factory=list)  # channel, why
    skipped: int = 0  # too old, edited, or a channel skipped (X without a token)
    already: int = 0  # posted by an earlier run


@dataclass(frozen=True, slots=True)
class _Item:
    """One entry to post: its announcement and the drafts of every network."""

    announcement: Announcement
    drafts: Mapping[str, tuple[Draft, ...]]


def secrets_of(channels: Sequence[str], environ: Mapping[str, str]) -> list[str]:
    """Every secret value `environ` holds for `channels`: what messages must never show."""
    return [
        environ[secret.variable]
        for name in channels
        for secret in SECRETS[name]
        if environ.get(secret.variable)
    ]


def post_updates(
    site: Site,
    root: Path,
    now: datetime,
    environ: Mapping[str, str],
    outbox: Outbox,
    report: Callable[[str], None],
    *,
    only: Sequence[str] = (),
    repost_edited: bool = False,
    clock: Callable[[], datetime] | None = None,
) -> PostReport:
    """Post what is due (see the module's docstring), saying each step with `report`.

    `only` names the channels to post to (default: every one social.post lists); `clock`
    gives the time of each post, for the records and Bluesky's createdAt (default: `now`).
    """
    settings = site.config.social
    names = _chosen(settings.post, only)
    when = clock or (lambda: now)
    log = PostedLog.load(root, write=not outbox.dry)
    result = PostReport()
    index = SiteIndex(site, now)
    entries = sorted(drafted_entries(index, settings.days), key=entry_order)
    due = [(i, n) for at, i, n in entries if now - at <= settings.post_within]
    old = [(i, n) for at, i, n in entries if now - at > settings.post_within]
    channels: dict[str, Channel] = {}
    for name in names:
        try:
            channels[name] = CHANNEL_TYPES[name](site.config, read_secrets(name, environ), when)
        except PostFailed as failure:
            _fail(result, report, name, str(failure))
            continue
        why = channels[name].ready()
        if why is not None:
            report(f"{name}: skipped: {why}")
    unposted_old = [
        (incident, number)
        for incident, number in old
        if any(log.find(incident, number, name) is None for name in channels)
    ]
    if unposted_old:
        listed = ", ".join(_entry_label(i, n) for i, n in unposted_old)
        within = _duration(settings.post_within)
        report(f"skipped, older than social.post_within ({within}): {listed}")
        result.skipped += len(unposted_old)
    writer = DraftWriter(site.config, Theme.load(root)) if due and channels else None
    failed = {name for name, _ in result.failed}
    for incident_id, number in due if writer is not None else ():
        assert writer is not None
        item = _item(site, index, writer, incident_id, number)
        for name, channel in channels.items():
            if name in failed:
                continue
            label = f"{name}: {_entry_label(incident_id, number)}"
            composed = channel.compose(item.announcement, item.drafts.get(name, ()))
            kept = log.find(incident_id, number, name)
            resumed: PostedEntry | None = None  # a thread an earlier run posted in part
            if kept is not None and kept.digest == composed.digest:
                if kept.complete:
                    result.already += 1
                    continue
                resumed = kept if kept.ids else None
            elif kept is not None and not repost_edited:
                report(
                    f"{label}: edited since it was posted at {_time(kept.posted_at)}; "
                    f"not posted again (--repost-edited posts it)"
                )
                result.skipped += 1
                continue
            if channel.ready() is not None:  # X without a token: the way to post by hand
                for draft in composed.drafts:
                    report(f"{label}: post it by hand: {draft.intent}")
                result.skipped += 1
                continue
            done = len(resumed.ids) if resumed is not None else 0
            posts = _count(len(composed.drafts or composed.texts[:1]) - done)
            if outbox.dry:
                report(f"{label}: would send{posts}:")
            try:
                _send(channel, outbox, log, composed, resumed)
            except PostFailed as failure:
                _fail(result, report, name, f"{_entry_label(incident_id, number)}: {failure}")
                failed.add(name)
                continue
            result.posted.append((name, incident_id, item.announcement.entry_name))
            if not outbox.dry:
                report(f"{label}: posted{posts}")
    return result


def _send(
    channel: Channel,
    outbox: Outbox,
    log: PostedLog,
    composed: Composed,
    resumed: PostedEntry | None,
) -> None:
    """Send one entry to one channel (after the posts of `resumed`, when an earlier run
    posted part of it), recording each post in the log as soon as it is made."""
    a = composed.announcement
    thread = log.thread(a.incident, a.update, channel.name)
    posts = len(composed.drafts) or 1
    progress = [
        resumed
        or PostedEntry(
            a.incident, a.update, channel.name, channel.clock(), composed.digest, (), 0, posts
        )
    ]
    done = resumed.ids if resumed is not None else ()

    def posted(post: RemoteId) -> None:
        progress[0] = with_post(progress[0], post, channel.clock())
        log.record(progress[0])

    channel.send(outbox, composed, Delivery(thread, done, posted))


def _item(
    site: Site, index: SiteIndex, writer: DraftWriter, incident_id: str, number: int
) -> _Item:
    view = index.view(site.incident(incident_id))
    words = EntryWords.of(view, number, site.config)
    drafts: dict[str, list[Draft]] = {}
    for draft in writer.drafts(view, number):
        drafts.setdefault(draft.network, []).append(draft)
    return _Item(
        Announcement.of(words, site.config.language),
        {name: tuple(found) for name, found in drafts.items()},
    )


def _chosen(post: Sequence[str], only: Sequence[str]) -> list[str]:
    if not post:
        raise UsageError(
            "social.post in statuspage.yaml lists no channel to post to; list them there, "
            "as in post: [mastodon, bluesky, slack] (see the README, Posting)"
        )
    unknown = [name for name in only if name not in post]
    if unknown:
        raise UsageError(
            f"--network {unknown[0]}: not a channel social.post lists ({', '.join(post)})"
        )
    return [name for name in post if not only or name in only]


def _fail(result: PostReport, report: Callable[[str], None], name: str, why: str) -> None:
    result.failed.append((name, why))
    report(f"{name}: failed: {why}; nothing more is posted there on this run")


def _entry_label(incident_id: str, number: int) -> str:
    return f"{incident_id} {'postmortem' if number == POSTMORTEM else f'update {number}'}"


def _count(posts: int) -> str:
    return f" ({posts} posts)" if posts > 1 else ""


def _time(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def _duration(value: timedelta) -> str:
    """24h, 7d, 30m: as social.post_within is written."""
    seconds = int(value.total_seconds())
    for unit, size in (("d", 86_400), ("h", 3_600), ("m", 60)):
        if seconds % size == 0 and (unit != "d" or seconds >= 2 * size):
            return f"{seconds // size}{unit}"
    return f"{seconds}s"

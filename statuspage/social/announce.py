"""`statuspage announce`: the drafts of one update, from the sources, ready to paste.

By default the latest entry (update or postmortem) of the open incident updated most
recently; any incident and any of its updates can be named. Works for old entries too:
drafts are made from the sources, not from the built manifest.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from ..errors import UsageError
from ..model import Site
from ..render.feeds import POSTMORTEM, all_entries
from ..render.views import SiteIndex, latest_entry
from ..sources.theme import Theme
from ..sources.yamlio import did_you_mean
from .drafts import Draft, DraftWriter
from .networks import BLUESKY_BYTES, NETWORK_TYPES

LATEST = "latest"
POSTMORTEM_NAME = "postmortem"


def choose_entry(site: Site, incident_id: str | None, update: str) -> tuple[str, int]:
    """The incident and the entry number (POSTMORTEM for the postmortem) to announce.

    Raises UsageError saying what to name instead when there is none such.
    """
    if incident_id is None:
        if not site.open:
            raise UsageError(
                "no incident or maintenance is open; name the one to announce, as in "
                "statuspage announce api-errors"
            )
        incident = max(site.open, key=latest_entry)
    else:
        known = {i.id: i for i in site.incidents}
        if incident_id not in known:
            hint = did_you_mean(incident_id, sorted(known), "give the incident's file name")
            raise UsageError(f"no incident '{incident_id}'; {hint}")
        incident = known[incident_id]
    if update == LATEST:
        return incident.id, all_entries(incident)[0][2]
    count = len(incident.update_times)
    if update == POSTMORTEM_NAME:
        if incident.postmortem_at is None:
            raise UsageError(f"incident '{incident.id}' has no postmortem yet")
        return incident.id, POSTMORTEM
    if not update.isdigit() or not 1 <= int(update) <= count:
        raise UsageError(
            f"--update must be latest, {POSTMORTEM_NAME} or a number from 1 to {count} "
            f"(incident '{incident.id}' has {count} update{'s' if count != 1 else ''}), "
            f"not '{update}'"
        )
    return incident.id, int(update)


def drafts_for(
    site: Site,
    root: Path,
    now: datetime,
    incident_id: str,
    number: int,
    networks: Sequence[str] = (),
) -> list[Draft]:
    """The drafts of one entry, for `networks` (default: those the site writes drafts for)."""
    theme = Theme.load(root)
    writer = DraftWriter(site.config, theme)
    if networks:
        names = [n.name for n in writer.networks]
        unknown = [name for name in networks if name not in names]
        if unknown:
            configured = ", ".join(names) or "none"
            raise UsageError(
                f"--network {unknown[0]}: not one the site writes drafts for "
                f"(social.networks in statuspage.yaml: {configured}); "
                f"the networks are {', '.join(NETWORK_TYPES)}"
            )
        writer.networks = [n for n in writer.networks if n.name in networks]
    index = SiteIndex(site, now)
    return writer.drafts(index.view(site.incident(incident_id)), number)


def as_text(drafts: Sequence[Draft]) -> str:
    """The drafts as `announce` prints them: a heading with the length, the text, the link."""
    blocks = []
    for draft in drafts:
        title = NETWORK_TYPES[draft.network].title
        length = draft.length
        heading = f"{title} · {length.value}/{length.limit} {length.unit}"
        if draft.network == "bluesky":
            heading += f", {len(draft.text.encode('utf-8'))}/{BLUESKY_BYTES} bytes"
        if draft.count > 1:
            heading += f" · post {draft.position} of {draft.count}"
            if draft.position > 1:
                heading += f", a reply to post {draft.position - 1}"
        rule = "─" * min(72, max(len(heading), 20))
        post = draft.intent or "no share link: set social.mastodon.instance in statuspage.yaml"
        blocks.append(f"{heading}\n{rule}\n{draft.text}\n{rule}\nPost it: {post}\n")
    return "\n".join(blocks)


def as_json(drafts: Sequence[Draft]) -> str:
    """The drafts as the manifest has them, one JSON array."""
    return json.dumps([draft.plain() for draft in drafts], ensure_ascii=False, indent=1)

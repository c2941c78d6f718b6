"""`social/manifest.json`: every draft of the updates followers may still need to hear about.

It covers every update of the open incidents and maintenance, and the updates (and
postmortems) of the last `social.days` days of the others, newest first, one record per
draft. Planned like the feeds: from the incident summaries, with a key over the entries it
holds and those incidents' digests, so an edit to an incident outside it renders nothing and
the moving clock changes it only when an entry leaves it. Each incident's drafts are kept in
the renderer's stash (render.stash): an edit to one incident in it drafts that one again,
and takes the others' drafts as they were.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime, timedelta
from pathlib import Path
from typing import ClassVar

from ..errors import OutputError
from ..model import Incident, IncidentSummary
from ..render.feeds import entry_order, entry_times
from ..render.jobs import Job, KeyMaker, RenderContext, digest
from ..render.stash import Stash, code_stamp
from ..render.views import SiteIndex, latest_entry

MANIFEST = "social/manifest.json"

Entry = tuple[datetime, str, int]  # (time, incident id, entry number: 0 for the postmortem)


class SocialRenderer:
    """Plans and renders the drafts manifest of one site."""

    kinds: ClassVar[Mapping[str, float]] = {"social": 40.0}

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        self.index = index
        self.context = context
        self.config = index.config
        self.settings = self.config.social
        self._keys = KeyMaker("social", index.config_key, context.theme.text_digest)
        self._stamp: str | None = None

    def incident_base(self) -> str:
        """No file is made for one incident alone."""
        return self._keys.base

    def plan_incident(self, incident: IncidentSummary) -> list[Job]:
        """No file is made for one incident alone."""
        return []

    def plan_site(self) -> list[Job]:
        """The manifest, keyed by the entries it holds and their incidents' digests."""
        if not self.settings.networks:
            return []
        chosen = self.entries()
        shown = sorted({incident_id for _, incident_id, _ in chosen})
        digests = self.index.digests()
        key = digest(self._keys.base, chosen, [digests[i] for i in shown])
        # Only the incidents whose drafts are not in the stash are loaded for it.
        stash = self._stash()
        keys = self._incident_keys(_by_incident(chosen))
        kept = stash.kept() if stash is not None else frozenset()
        needs = tuple(i for i in shown if keys[i] not in kept)
        return [Job(MANIFEST, "social", (), needs, key)]

    def _incident_keys(self, numbers: dict[str, list[int]]) -> dict[str, str]:
        """The stash key of each incident's drafts: its digest and entries (`numbers`), the
        base, and the code that drafts (see render.stash)."""
        if self._stamp is None:
            self._stamp = code_stamp(Path(__file__).parent, Path(__file__).parent.parent / "render")
        digests = self.index.digests()
        return {
            incident_id: digest(
                self._keys.base, self._stamp, incident_id, digests[incident_id], wanted
            )
            for incident_id, wanted in numbers.items()
        }

    def entries(self) -> list[Entry]:
        """The entries the manifest holds, newest first."""
        return drafted_entries(self.index, self.settings.days)

    def render(self, job: Job) -> bytes:
        """The manifest's bytes: the drafts of each incident come from the stash where its
        entries and digest are the same as when they were made, and are made otherwise."""
        # Here, not at the top: drafting needs the regex module and, to count, patterns
        # that take long to compile, which a build that renders no manifest (most rebuilds
        # after an edit) should not load.
        from .networks import network

        entries = self.entries()
        numbers = _by_incident(entries)
        stash = self._stash()
        keys = self._incident_keys(numbers)
        lines: dict[str, dict[int, list[str]]] = {}
        writer = None
        for incident_id, wanted in numbers.items():
            key = keys[incident_id]
            stashed = _stashed(stash, key)
            if stashed is not None:
                lines[incident_id] = stashed
                continue
            if writer is None:
                from .drafts import DraftWriter

                writer = DraftWriter(self.config, self.context.theme)
            view = self.index.view(self._incident(incident_id, stash, key))
            made = {
                number: [
                    json.dumps(d.plain(), ensure_ascii=False) for d in writer.drafts(view, number)
                ]
                for number in wanted
            }
            lines[incident_id] = made
            if stash is not None:
                stash.put(key, json.dumps(made, ensure_ascii=False).encode())
        if stash is not None:
            stash.keep(set(keys.values()))
        head = {
            "version": 1,
            "site": f"{self.config.url}/",
            "days": self.settings.days,
            "networks": [
                {"name": net.name, "title": net.title, "limit": net.limit, "unit": net.unit}
                for net in map(network, self.settings.networks)
            ],
        }
        # One draft a line: easy to read and to diff, and written by json's C encoder (an
        # indent makes json.dumps use its Python one, at a quarter of the speed).
        drafts = [line for _, incident_id, n in entries for line in lines[incident_id][n]]
        body = json.dumps(head, ensure_ascii=False)[:-1] + ', "drafts": [\n'
        return (body + ",\n".join(drafts) + "\n]}\n").encode()

    def _incident(self, incident_id: str, stash: Stash | None, key: str) -> Incident:
        """The incident's whole text: loaded for this job unless its drafts were stashed
        when it was planned, and those can no longer be read (something else wrote there)."""
        try:
            return self.index.site.incident(incident_id)
        except LookupError:
            if stash is None:
                raise
            stash.keep(set())  # what else is in it cannot be trusted either
            raise OutputError(
                f"{stash.folder / key}: the stashed drafts of incident {incident_id!r} "
                "changed during the build (something else writes in the build cache); "
                "the stash is emptied: build again"
            ) from None

    def _stash(self) -> Stash | None:
        stashes = self.context.stashes
        return Stash(stashes / "social") if stashes is not None else None


def drafted_entries(index: SiteIndex, days: int) -> list[Entry]:
    """The entries that get drafts, newest first: every entry of the open incidents and
    maintenance, and the others' of the last `days` days (what `announce --post` posts)."""
    cutoff = index.now - timedelta(days=days)
    chosen: list[Entry] = []
    seen: set[str] = set()
    for incident in index.site.open:
        seen.add(incident.id)
        chosen += _entries(incident, None)
    for incident in index.by_latest():
        if latest_entry(incident)[0] < cutoff:
            break
        if incident.id not in seen:
            chosen += _entries(incident, cutoff)
    chosen.sort(key=entry_order, reverse=True)
    return chosen


def _by_incident(entries: list[Entry]) -> dict[str, list[int]]:
    """The entry numbers of each incident in `entries`, in their order."""
    numbers: dict[str, list[int]] = {}
    for _, incident_id, number in entries:
        numbers.setdefault(incident_id, []).append(number)
    return numbers


def _stashed(stash: Stash | None, key: str) -> dict[int, list[str]] | None:
    """The drafts' lines kept under `key`, or None (also for what is not as it was put)."""
    data = stash.get(key) if stash is not None else None
    if data is None:
        return None
    try:
        return {int(number): lines for number, lines in json.loads(data).items()}
    except (ValueError, AttributeError):
        return None


def _entries(incident: IncidentSummary, cutoff: datetime | None) -> list[Entry]:
    """The incident's entries (as its feed has them) at or after `cutoff`; all for None."""
    return [entry for entry in entry_times(incident) if cutoff is None or entry[0] >= cutoff]

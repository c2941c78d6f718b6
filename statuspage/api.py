"""A Statuspage-compatible API (v2, public endpoints) and status badges, as static files.

Tools that read Atlassian Statuspage's public API (exporters, dashboards, chat bots, other
status pages) read ours unchanged: the same paths under api/v2/, the same objects with the
same keys and value types. Ids are ours: a component's id, an incident's file name, an
update's incident id and number (`api-errors.3`), a group's name (`group.platform`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from markupsafe import escape

from .jobs import Job, KeyMaker
from .models import (
    Component,
    ComponentState,
    Impact,
    Incident,
    IncidentSummary,
    Kind,
    Site,
    Status,
    worst,
)

API = "api/v2"
LIST_LIMIT = 50  # incidents.json and scheduled-maintenances.json hold the newest 50
NO_TIME = datetime(1970, 1, 1, tzinfo=UTC)  # the page's updated_at before any incident

# Statuspage's status indicator and its description, from the worst current state.
INDICATORS = {
    ComponentState.OPERATIONAL: "none",
    ComponentState.UNDER_MAINTENANCE: "maintenance",
    ComponentState.DEGRADED_PERFORMANCE: "minor",
    ComponentState.PARTIAL_OUTAGE: "major",
    ComponentState.MAJOR_OUTAGE: "critical",
}
LEVELS = ("none", "minor", "major", "critical")
INDICATOR_OF_IMPACT = {impact: impact.value for impact in Impact}
DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major Service Outage",
    "maintenance": "Service Under Maintenance",
}

# Badge colours: each passes WCAG AA (4.5:1) with white text; shields.io names alike.
BADGE_COLOURS = {
    ComponentState.OPERATIONAL: ("#1a7f37", "brightgreen"),
    ComponentState.UNDER_MAINTENANCE: ("#0550ae", "blue"),
    ComponentState.DEGRADED_PERFORMANCE: ("#7d4e00", "yellow"),
    ComponentState.PARTIAL_OUTAGE: ("#a0410d", "orange"),
    ComponentState.MAJOR_OUTAGE: ("#b31d28", "red"),
}
BADGE_MESSAGES = {
    ComponentState.OPERATIONAL: "all systems operational",
    ComponentState.UNDER_MAINTENANCE: "maintenance in progress",
    ComponentState.DEGRADED_PERFORMANCE: "degraded performance",
    ComponentState.PARTIAL_OUTAGE: "partial outage",
    ComponentState.MAJOR_OUTAGE: "major outage",
}


def api_time(moment: datetime | None, zone: Any) -> str | None:
    """Statuspage's time format: milliseconds and the offset, Z for UTC."""
    if moment is None:
        return None
    local = moment.astimezone(zone)
    text = local.isoformat(timespec="milliseconds")
    return text.removesuffix("+00:00") + "Z" if local.utcoffset() == UTC.utcoffset(None) else text


def default_page_id(url: str) -> str:
    """The page id when statuspage.yaml sets none: the site's host name."""
    return urlsplit(url).hostname or "statuspage"


def group_id(name: str) -> str:
    """The id of a component group, from its name: group.platform."""
    return "group." + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "group")


class ApiRenderer:
    """Plans and renders the API's JSON files and the badges of one site."""

    KINDS = frozenset({"api", "badge"})

    def __init__(self, site: Site) -> None:
        self.site = site
        self.config = site.config
        self.zone = site.config.zone
        self.page_id = site.config.page_id or default_page_id(site.config.url)
        self.states = site.current_states()
        self.components = {c.id: c for c in site.components}
        self._keys = KeyMaker("api", repr(self.config))
        self._component_times = self._times_by_component()
        self._component_objects: list[dict[str, Any]] | None = None

    # -- planning ------------------------------------------------------------

    def endpoints(self) -> dict[str, list[IncidentSummary]]:
        """Each JSON file under api/v2/ with the incidents it shows in full."""
        incidents = [i for i in self.site.incidents if i.kind is Kind.INCIDENT]
        maintenance = [i for i in self.site.incidents if i.kind is Kind.MAINTENANCE]
        unresolved = [i for i in self.site.open if not i.is_maintenance]
        upcoming = sorted((m for m in self.site.open if not m.has_begun), key=_by_schedule)
        active = [m for m in self.site.open if m.is_maintenance and m.has_begun]
        return {
            "summary.json": [*unresolved, *upcoming, *active],
            "status.json": [],
            "components.json": [],
            # The site lists newest first by start (creation, for an incident), then id.
            "incidents.json": incidents[:LIST_LIMIT],
            "incidents/unresolved.json": unresolved,
            "scheduled-maintenances.json": maintenance[:LIST_LIMIT],
            "scheduled-maintenances/upcoming.json": upcoming,
            "scheduled-maintenances/active.json": active,
        }

    def plan(self) -> list[Job]:
        """The API's files and the badges, each keyed by what it shows."""
        common = [self.page_updated_at(), sorted(self.states.items()), self._component_times]
        jobs = []
        for name, shown in self.endpoints().items():
            needs = tuple(i.id for i in shown)
            digests = [i.digest for i in shown]
            jobs.append(self._keys.job(f"{API}/{name}", "api", (name,), needs, [*common, digests]))
        overall = self.overall()
        for stem, label, state in [
            ("status", "status", overall),
            *((c.id, c.name, self.states[c.id]) for c in self.site.components),
        ]:
            for fmt in ("svg", "json"):
                path = f"badges/{stem}.{fmt}"
                jobs.append(self._keys.job(path, "badge", (stem, fmt), depends=[label, state]))
        return jobs

    # -- rendering -----------------------------------------------------------

    def render(self, job: Job) -> bytes:
        """The bytes of one API file or badge."""
        if job.kind == "badge":
            stem, fmt = str(job.args[0]), str(job.args[1])
            if stem == "status":
                label, state = "status", self.overall()
            else:
                label, state = self.components[stem].name, self.states[stem]
            return badge_svg(label, state) if fmt == "svg" else badge_json(label, state)
        name = str(job.args[0])
        shown = [self.site.incident(i) for i in job.needs]
        body: dict[str, Any] = {"page": self.page()}
        if name in ("summary.json", "components.json"):
            body["components"] = self.component_objects()
        if name == "summary.json":
            body["incidents"] = [self.incident(i) for i in shown if not i.is_maintenance]
            body["scheduled_maintenances"] = [self.incident(i) for i in shown if i.is_maintenance]
        elif name.startswith("incidents"):
            body["incidents"] = [self.incident(i) for i in shown]
        elif name.startswith("scheduled-maintenances"):
            body["scheduled_maintenances"] = [self.incident(i) for i in shown]
        if name in ("summary.json", "status.json"):
            indicator = self.indicator()
            body["status"] = {"indicator": indicator, "description": DESCRIPTIONS[indicator]}
        return (json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n").encode()

    def overall(self) -> ComponentState:
        """The worst state of any component now."""
        return worst(self.states.values())

    def indicator(self) -> str:
        """Statuspage's indicator: the worst of the components' states and open impacts;
        'maintenance' while a maintenance is in progress and nothing is worse."""
        by_state = INDICATORS[self.overall()]
        rank = LEVELS.index(by_state) if by_state in LEVELS else 0
        in_maintenance = False
        for incident in self.site.open:
            if incident.is_maintenance:
                in_maintenance = in_maintenance or incident.has_begun
            else:
                rank = max(rank, LEVELS.index(INDICATOR_OF_IMPACT[incident.impact]))
        if rank == 0 and in_maintenance:
            return "maintenance"
        return LEVELS[rank]

    def page_updated_at(self) -> datetime:
        """When anything on the page last changed: the newest update, edit or postmortem."""
        times = [
            moment
            for incident in self.site.incidents
            for moment in (incident.update_times[-1], incident.postmortem_at)
            if moment is not None
        ]
        return max(times, default=NO_TIME)

    def page(self) -> dict[str, Any]:
        """The page object every endpoint starts with."""
        return {
            "id": self.page_id,
            "name": self.config.title,
            "url": self.config.url,
            "time_zone": self.config.timezone,
            "updated_at": api_time(self.page_updated_at(), self.zone),
        }

    def _times_by_component(self) -> dict[str, tuple[datetime, datetime]]:
        """For each component, its first and latest incident time (created_at, updated_at)."""
        spans: dict[str, tuple[datetime, datetime]] = {}
        for incident in self.site.incidents:
            times = incident.update_times
            for cid in incident.components:
                span = spans.get(cid)
                if span is None:
                    spans[cid] = (times[0], times[-1])
                elif times[0] < span[0] or times[-1] > span[1]:
                    spans[cid] = (min(span[0], times[0]), max(span[1], times[-1]))
        return spans

    def component_objects(self) -> list[dict[str, Any]]:
        """Every component, a group's object before its first member's, in page order."""
        if self._component_objects is None:
            self._component_objects = self._make_component_objects()
        return self._component_objects

    def _make_component_objects(self) -> list[dict[str, Any]]:
        fallback = self.page_updated_at()
        objects: list[dict[str, Any]] = []
        groups: dict[str, dict[str, Any]] = {}
        for component in self.site.components:
            if component.group is not None and component.group not in groups:
                members = [c for c in self.site.components if c.group == component.group]
                group = self._component_object(
                    group_id(component.group),
                    component.group,
                    worst(self.states[c.id] for c in members),
                    None,
                    self._span(members, fallback),
                    len(objects) + 1,
                    None,
                )
                group["group"] = True
                group["components"] = [c.id for c in members]
                groups[component.group] = group
                objects.append(group)
            objects.append(
                self._component_object(
                    component.id,
                    component.name,
                    self.states[component.id],
                    component.description,
                    self._span([component], fallback),
                    len(objects) + 1,
                    group_id(component.group) if component.group is not None else None,
                )
            )
        return objects

    def _span(
        self, components: Iterable[Component], fallback: datetime
    ) -> tuple[datetime, datetime]:
        spans = [self._component_times[c.id] for c in components if c.id in self._component_times]
        if not spans:
            return (fallback, fallback)
        return (min(s[0] for s in spans), max(s[1] for s in spans))

    def _component_object(
        self,
        cid: str,
        name: str,
        state: ComponentState,
        description: str | None,
        span: tuple[datetime, datetime],
        position: int,
        parent: str | None,
    ) -> dict[str, Any]:
        return {
            "id": cid,
            "name": name,
            "status": state.value,
            "created_at": api_time(span[0], self.zone),
            "updated_at": api_time(span[1], self.zone),
            "position": position,
            "description": description,
            "showcase": False,
            "start_date": None,
            "group_id": parent,
            "page_id": self.page_id,
            "group": False,
            "only_show_if_degraded": False,
        }

    def incident(self, incident: Incident) -> dict[str, Any]:
        """An incident or scheduled maintenance as Statuspage gives it."""
        zone = self.zone
        monitoring = next((u.at for u in incident.updates if u.status is Status.MONITORING), None)
        status = incident.status.value
        if incident.postmortem_at is not None and incident.status is Status.RESOLVED:
            status = "postmortem"
        last = incident.updates[-1]
        updated = max((u.edited_at or u.at for u in incident.updates), default=last.at)
        if incident.postmortem_at is not None:
            updated = max(updated, incident.postmortem_at)
        body: dict[str, Any] = {
            "id": incident.id,
            "name": incident.title,
            "status": status,
            "created_at": api_time(incident.created_at, zone),
            "updated_at": api_time(updated, zone),
            "monitoring_at": api_time(monitoring, zone),
            "resolved_at": api_time(incident.resolved_at, zone),
            "impact": "maintenance" if incident.is_maintenance else incident.impact.value,
            "shortlink": f"{self.config.url}/incidents/{incident.id}/",
            "started_at": api_time(incident.started_at, zone),
            "page_id": self.page_id,
            "incident_updates": self._updates(incident),
            "components": [
                obj for obj in self.component_objects() if obj["id"] in incident.components
            ],
        }
        if incident.is_maintenance:
            body["scheduled_for"] = api_time(incident.scheduled_for, zone)
            body["scheduled_until"] = api_time(incident.scheduled_until, zone)
        return body

    def _updates(self, incident: Incident) -> list[dict[str, Any]]:
        """The incident's updates, newest first, as Statuspage orders them."""
        zone = self.zone
        updates = []
        for update, changes in zip(incident.updates, incident.transitions(), strict=True):
            affected = [
                {
                    "code": cid,
                    "name": self.components[cid].name,
                    "old_status": old.value,
                    "new_status": new.value,
                }
                for cid, old, new in changes
            ]
            updates.append(
                {
                    "id": f"{incident.id}.{update.number}",
                    "status": update.status.value,
                    "body": update.message.strip(),
                    "incident_id": incident.id,
                    "created_at": api_time(update.at, zone),
                    "updated_at": api_time(update.edited_at or update.at, zone),
                    "display_at": api_time(update.at, zone),
                    "affected_components": affected or None,
                    "deliver_notifications": True,
                    "custom_tweet": None,
                    "tweet_id": None,
                }
            )
        return updates[::-1]


def _by_schedule(incident: IncidentSummary) -> tuple[datetime, str]:
    return (incident.sort_at, incident.id)


def _text_width(text: str) -> int:
    """The width of `text` in 11-pixel Verdana, near enough to size a badge."""
    narrow, wide = "fijlrt.,:;!|' ", "mwMW@%"
    return round(sum(3.5 if c in narrow else 9.5 if c in wide else 7 for c in text))


def badge_svg(label: str, state: ComponentState) -> bytes:
    """A small flat badge: the label on grey, the state in its colour; readable and named."""
    message = BADGE_MESSAGES[state] if label == "status" else state.label.lower()
    colour = BADGE_COLOURS[state][0]
    left, right = _text_width(label) + 12, _text_width(message) + 12
    title = escape(f"{label}: {message}")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + right}" height="20" '
        f'role="img" aria-label="{title}"><title>{title}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" '
        f'text-anchor="middle"><text x="{left / 2:g}" y="14">{escape(label)}</text>'
        f'<text x="{left + right / 2:g}" y="14">{escape(message)}</text></g></svg>\n'
    )
    return svg.encode()


def badge_json(label: str, state: ComponentState) -> bytes:
    """A shields.io endpoint document, for badges in shields.io's styles."""
    message = BADGE_MESSAGES[state] if label == "status" else state.label.lower()
    document = {
        "schemaVersion": 1,
        "label": label,
        "message": message,
        "color": BADGE_COLOURS[state][1],
    }
    return (json.dumps(document, ensure_ascii=False) + "\n").encode()

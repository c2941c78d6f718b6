"""A Statuspage-compatible API (v2, public endpoints), as static files.

Tools that read Atlassian Statuspage's public API (exporters, dashboards, chat bots, other
status pages) read ours unchanged: the same paths under api/v2/, the same objects with the
same keys and value types. Ids are ours: a component's id, an incident's file name, an
update's incident id and number (`api-errors.3`), a group's name (`group.platform`).

One addition, which Statuspage's clients ignore as they do any key they do not know: in
components.json, each component's `uptime` over the site's windows (summary.json, which
every client reads, keeps Statuspage's shape exactly).
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

from ..model import (
    Component,
    ComponentState,
    Incident,
    IncidentSummary,
    Kind,
    Status,
    worst,
)
from ..model.uptime import WINDOWS, UptimeFigure
from .jobs import Job, KeyMaker, RenderContext
from .views import SiteIndex

API = "api/v2"
LIST_LIMIT = 50  # incidents.json and scheduled-maintenances.json hold the newest 50
NO_TIME = datetime(1970, 1, 1, tzinfo=UTC)  # the page's updated_at before any incident
_UPDATE_TIMES = operator.attrgetter("update_times")
_POSTMORTEM_AT = operator.attrgetter("postmortem_at")
_FIRST, _LAST = operator.itemgetter(0), operator.itemgetter(-1)

# Statuspage's status indicator and its description, from the worst current state.
INDICATORS = {
    ComponentState.OPERATIONAL: "none",
    ComponentState.UNDER_MAINTENANCE: "maintenance",
    ComponentState.DEGRADED_PERFORMANCE: "minor",
    ComponentState.PARTIAL_OUTAGE: "major",
    ComponentState.MAJOR_OUTAGE: "critical",
}
DESCRIPTIONS = {
    "none": "All Systems Operational",
    "minor": "Minor Service Outage",
    "major": "Partial System Outage",
    "critical": "Major Service Outage",
    "maintenance": "Service Under Maintenance",
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


def uptime_object(figure: UptimeFigure) -> dict[str, Any]:
    """A figure as components.json gives it: the percentage the pages show, as a number."""
    percent = figure.percent
    return {
        "percent": None if percent is None else float(percent),
        "days_with_data": figure.days_with_data,
        "probe_days": figure.probe_days,
        "source": None if figure.source is None else figure.source.value,
    }


def group_id(name: str) -> str:
    """The id of a component group, from its name: group.platform."""
    return "group." + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "group")


class ApiRenderer:
    """Plans and renders the API's JSON files of one site."""

    kinds: ClassVar[Mapping[str, float]] = {"api": 2.0}

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        self.index = index
        self.site = index.site
        self.config = index.config
        self.zone = self.config.zone
        self.page_id = self.config.page_id or default_page_id(self.config.url)
        self.states = index.states
        self.components = index.components
        self._keys = KeyMaker("api", index.config_key)
        self._updated_at, self._component_times = self._times()
        self._component_objects: list[dict[str, Any]] | None = None
        self._uptime_objects: dict[str, dict[str, Any]] | None = None

    # -- planning ------------------------------------------------------------

    def endpoints(self) -> dict[str, list[IncidentSummary]]:
        """Each JSON file under api/v2/ with the incidents it shows in full."""
        incidents = [i for i in self.site.incidents if i.kind is Kind.INCIDENT]
        maintenance = [i for i in self.site.incidents if i.kind is Kind.MAINTENANCE]
        index = self.index
        return {
            "summary.json": [*index.active, *index.upcoming, *index.in_progress],
            "status.json": [],
            "components.json": [],
            # The site lists newest first by start (creation, for an incident), then id.
            "incidents.json": incidents[:LIST_LIMIT],
            "incidents/unresolved.json": index.active,
            "scheduled-maintenances.json": maintenance[:LIST_LIMIT],
            "scheduled-maintenances/upcoming.json": index.upcoming,
            "scheduled-maintenances/active.json": index.in_progress,
        }

    def incident_base(self) -> str:
        """Nothing: no API file is made for one incident."""
        return ""

    def plan_incident(self, incident: IncidentSummary) -> list[Job]:
        """No API file is made for one incident."""
        return []

    def plan_site(self) -> list[Job]:
        """The API's files, each keyed by what it shows."""
        common = [self.page_updated_at(), sorted(self.states.items()), self._component_times]
        jobs = []
        for name, shown in self.endpoints().items():
            needs = tuple(i.id for i in shown)
            depends = [*common, [i.digest for i in shown]]
            if name == "components.json":
                depends.append(sorted(self.uptime_objects().items()))
            jobs.append(self._keys.job(f"{API}/{name}", "api", (name,), needs, depends))
        return jobs

    # -- rendering -----------------------------------------------------------

    def render(self, job: Job) -> bytes:
        """The bytes of one API file."""
        name = str(job.args[0])
        shown = [self.site.incident(i) for i in job.needs]
        body: dict[str, Any] = {"page": self.page()}
        if name == "summary.json":
            body["components"] = self.component_objects()
        if name == "components.json":
            uptime = self.uptime_objects()
            body["components"] = [
                {**obj, "uptime": None if obj["group"] else uptime[obj["id"]]}
                for obj in self.component_objects()
            ]
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

    def indicator(self) -> str:
        """Statuspage's indicator: the page's overall state (see SiteIndex.overall), the one
        the banner and the status badge show too."""
        return INDICATORS[self.index.overall]

    def page_updated_at(self) -> datetime:
        """When anything on the page last changed: the newest update, edit or postmortem."""
        return self._updated_at

    def page(self) -> dict[str, Any]:
        """The page object every endpoint starts with."""
        return {
            "id": self.page_id,
            "name": self.config.title,
            "url": self.config.url,
            "time_zone": self.config.timezone,
            "updated_at": api_time(self.page_updated_at(), self.zone),
        }

    def _times(self) -> tuple[datetime, dict[str, tuple[datetime, datetime]]]:
        """The page's `page_updated_at`, and each component's first and latest incident time
        (created_at, updated_at): in C loops over every incident (`map`, `max`), as this is
        made for every build."""
        incidents = self.site.incidents
        newest = max(map(_LAST, map(_UPDATE_TIMES, incidents)), default=NO_TIME)
        published = max(filter(None, map(_POSTMORTEM_AT, incidents)), default=newest)
        spans: dict[str, tuple[datetime, datetime]] = {}
        for cid, touching in self.index.by_component.items():
            if touching:
                times = list(map(_UPDATE_TIMES, touching))
                spans[cid] = (min(map(_FIRST, times)), max(map(_LAST, times)))
        return max(newest, published), spans

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

    def uptime_objects(self) -> dict[str, dict[str, Any]]:
        """Each component's `uptime` in components.json: its figure over each window."""
        if self._uptime_objects is None:
            self._uptime_objects = {
                cid: {f"{days}d": uptime_object(uptime.figure(days)) for days in WINDOWS}
                for cid, uptime in self.index.uptime().items()
            }
        return self._uptime_objects

    def incident(self, incident: Incident) -> dict[str, Any]:
        """An incident or scheduled maintenance as Statuspage gives it."""
        zone = self.zone
        monitoring = next((u.at for u in incident.updates if u.status is Status.MONITORING), None)
        status = incident.status.value
        if incident.postmortem_at is not None and incident.status is Status.RESOLVED:
            status = "postmortem"
        body: dict[str, Any] = {
            "id": incident.id,
            "name": incident.title,
            "status": status,
            "created_at": api_time(incident.created_at, zone),
            "updated_at": api_time(incident.updated_at, zone),
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

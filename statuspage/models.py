"""The loaded site: frozen values, with every derived fact computed from the updates."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo


class Impact(StrEnum):
    """How badly an incident hurts users, as declared by its author."""

    NONE = "none"
    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"


class Kind(StrEnum):
    """An unplanned incident or a scheduled maintenance."""

    INCIDENT = "incident"
    MAINTENANCE = "maintenance"


class Status(StrEnum):
    """The status an update sets; incidents and maintenance each use their own four."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"

    @property
    def label(self) -> str:
        """The status as a reader sees it: 'In progress'."""
        return self.value.replace("_", " ").capitalize()

    @property
    def is_closed(self) -> bool:
        """True once nothing more happens: resolved or completed."""
        return self in (Status.RESOLVED, Status.COMPLETED)


INCIDENT_STATUSES = (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING, Status.RESOLVED)
MAINTENANCE_STATUSES = (Status.SCHEDULED, Status.IN_PROGRESS, Status.VERIFYING, Status.COMPLETED)


class ComponentState(StrEnum):
    """A component's state, ordered from best to worst by `severity`."""

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

    @property
    def label(self) -> str:
        """The state as a reader sees it: 'Partial outage'."""
        return self.value.replace("_", " ").capitalize()

    @property
    def severity(self) -> int:
        """0 for operational up to 4 for a major outage."""
        return _SEVERITY[self]


_SEVERITY = {state: rank for rank, state in enumerate(ComponentState)}

# The state an open incident of each impact puts its components in, unless an update says.
IMPACT_STATE = {
    Impact.NONE: ComponentState.OPERATIONAL,
    Impact.MINOR: ComponentState.DEGRADED_PERFORMANCE,
    Impact.MAJOR: ComponentState.PARTIAL_OUTAGE,
    Impact.CRITICAL: ComponentState.MAJOR_OUTAGE,
}


class ActionState(StrEnum):
    """How far a prevention action item has come."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        """The state as a reader sees it: 'In progress'."""
        return self.value.replace("_", " ").capitalize()


@dataclass(frozen=True, slots=True)
class Component:
    """One part of the service whose state the page shows."""

    id: str
    name: str
    description: str | None
    group: str | None
    position: int


@dataclass(frozen=True, slots=True)
class Config:
    """The site's settings, from statuspage.yaml."""

    title: str
    url: str  # absolute, without a trailing slash
    timezone: str
    language: str
    description: str | None
    components: tuple[Component, ...]

    @property
    def zone(self) -> ZoneInfo:
        """The time zone pages show times in (ZoneInfo caches one instance per key)."""
        return ZoneInfo(self.timezone)


@dataclass(frozen=True, slots=True)
class Update:
    """One dated post on an incident's timeline.

    `states` holds the state of every affected component from this update on, already
    derived (explicit where the update says, from impact or the closing status otherwise);
    `changes` lists only the components this update named.
    """

    number: int  # from 1, oldest first; the page anchor is update-<number>
    at: datetime
    status: Status
    message: str  # Markdown
    states: tuple[tuple[str, ComponentState], ...]
    changes: tuple[str, ...]
    line: int


@dataclass(frozen=True, slots=True)
class ActionItem:
    """One thing that will stop the incident recurring, with who owns it."""

    action: str
    owner: str
    state: ActionState
    due: date | None


@dataclass(frozen=True, slots=True)
class Incident:
    """An incident or a scheduled maintenance, as written in one file."""

    id: str
    path: str  # relative to the site root, with forward slashes
    kind: Kind
    title: str
    impact: Impact
    components: tuple[str, ...]  # affected: listed ones first, then those only updates name
    updates: tuple[Update, ...]  # oldest first, at least one
    postmortem_at: datetime | None = None
    admission: str | None = None
    cause: str | None = None
    fix: str | None = None
    prevention_text: str | None = None
    action_items: tuple[ActionItem, ...] = ()
    scheduled_for: datetime | None = None
    scheduled_until: datetime | None = None

    @property
    def is_maintenance(self) -> bool:
        """True for a scheduled maintenance."""
        return self.kind is Kind.MAINTENANCE

    @property
    def latest(self) -> Update:
        """The newest update."""
        return self.updates[-1]

    @property
    def status(self) -> Status:
        """The current status: the newest update's."""
        return self.updates[-1].status

    @property
    def is_open(self) -> bool:
        """True until resolved or completed."""
        return not self.status.is_closed

    @property
    def started_at(self) -> datetime:
        """When it began: the first update (for maintenance, the first in-progress one)."""
        if self.is_maintenance:
            for update in self.updates:
                if update.status is not Status.SCHEDULED:
                    return update.at
            assert self.scheduled_for is not None
            return self.scheduled_for
        return self.updates[0].at

    @property
    def resolved_at(self) -> datetime | None:
        """When it was resolved or completed, or None while open."""
        last = self.updates[-1]
        return last.at if last.status.is_closed else None

    @property
    def sort_at(self) -> datetime:
        """The time lists order by: the start, or the scheduled start of a maintenance."""
        if self.is_maintenance:
            assert self.scheduled_for is not None
            return self.scheduled_for
        return self.updates[0].at

    def duration(self, now: datetime) -> timedelta:
        """How long it lasted, or has lasted so far at `now` when still open."""
        end = self.resolved_at or now
        return max(end - self.started_at, timedelta(0))

    @property
    def has_begun(self) -> bool:
        """False for a maintenance still only scheduled."""
        return not (self.is_maintenance and self.status is Status.SCHEDULED)

    @property
    def has_postmortem(self) -> bool:
        """True when any of the four transparency sections is written."""
        return bool(
            self.admission or self.cause or self.fix or self.prevention_text or self.action_items
        )

    def transitions(self) -> tuple[tuple[tuple[str, ComponentState, ComponentState], ...], ...]:
        """Per update, the (component, old state, new state) it changed; all start operational."""
        previous = dict.fromkeys(self.components, ComponentState.OPERATIONAL)
        result = []
        for update in self.updates:
            changed = tuple(
                (cid, previous[cid], state)
                for cid, state in update.states
                if previous[cid] != state
            )
            previous.update(update.states)
            result.append(changed)
        return tuple(result)

    def state_of(self, component_id: str) -> ComponentState:
        """The component's current state as far as this incident goes."""
        for cid, state in self.updates[-1].states:
            if cid == component_id:
                return state
        return ComponentState.OPERATIONAL


@dataclass(frozen=True, slots=True)
class Site:
    """Everything loaded from a site's files: config and incidents, newest first."""

    config: Config
    incidents: tuple[Incident, ...]

    @property
    def components(self) -> tuple[Component, ...]:
        """The components, in the order statuspage.yaml lists them."""
        return self.config.components

    def current_states(self) -> dict[str, ComponentState]:
        """Each component's state now: the worst any open incident or maintenance gives it."""
        states = dict.fromkeys((c.id for c in self.components), ComponentState.OPERATIONAL)
        for incident in self.incidents:
            if not incident.is_open:
                continue
            for cid, state in incident.latest.states:
                if state.severity > states[cid].severity:
                    states[cid] = state
        return states


def worst(states: Iterable[ComponentState]) -> ComponentState:
    """The most severe of `states`, operational when there are none."""
    return max(states, key=lambda s: s.severity, default=ComponentState.OPERATIONAL)

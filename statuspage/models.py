"""The loaded site: frozen values, with every derived fact computed from the updates."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from functools import cached_property
from typing import Any
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

    @cached_property  # pages and feeds ask for it thousands of times
    def label(self) -> str:
        """The status as a reader sees it: 'In progress'."""
        return self.value.replace("_", " ").capitalize()

    @cached_property  # asked of every update and incident, many times a build
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

    @cached_property  # pages and feeds ask for it thousands of times
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

    @cached_property  # pages and feeds ask for it thousands of times
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
    feed_limit: int  # entries in the site-wide and per-component feeds
    page_id: str | None = None  # the API's page id; None: the site's host name

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
    edited_at: datetime | None = None  # when its text was last corrected, if it was


@dataclass(frozen=True, slots=True)
class ActionItem:
    """One thing that will stop the incident recurring, with who owns it."""

    action: str
    owner: str
    state: ActionState
    due: date | None


SummaryRecord = tuple[Any, ...]
"""An IncidentSummary as plain values (marshal-able), for the build cache and worker processes."""


@dataclass(frozen=True, slots=True)
class IncidentSummary:
    """What lists, keys and the overall state need of an incident, without its text.

    Every field after `components` is derived from the updates by `Incident.create`, once.
    """

    id: str
    path: str  # relative to the site root, with forward slashes
    digest: str  # hash of the file's bytes: it changes whenever anything in the file does
    kind: Kind
    title: str
    impact: Impact
    components: tuple[str, ...]  # affected: listed ones first, then those only updates name
    status: Status  # the newest update's
    created_at: datetime  # the first update's time
    started_at: datetime  # the first update's, or a maintenance's first one past scheduled
    resolved_at: datetime | None  # the closing update's time, None while open
    scheduled_for: datetime | None
    scheduled_until: datetime | None
    postmortem_at: datetime | None
    states: tuple[tuple[str, ComponentState], ...]  # of the affected components, now
    has_postmortem: bool  # any of the four sections is written
    update_times: tuple[datetime, ...]  # when each update was posted, oldest first

    @property
    def is_maintenance(self) -> bool:
        """True for a scheduled maintenance."""
        return self.kind is Kind.MAINTENANCE

    @property
    def is_open(self) -> bool:
        """True until resolved or completed."""
        return not self.status.is_closed

    @property
    def has_begun(self) -> bool:
        """False for a maintenance still only scheduled."""
        return not (self.is_maintenance and self.status is Status.SCHEDULED)

    @property
    def sort_at(self) -> datetime:
        """The time lists order by: the first update, or the scheduled start of a maintenance."""
        return self.scheduled_for or self.created_at

    def duration(self, now: datetime) -> timedelta:
        """How long it lasted, or has lasted so far at `now` when still open."""
        end = self.resolved_at or now
        return max(end - self.started_at, timedelta(0))

    def state_of(self, component_id: str) -> ComponentState:
        """The component's current state as far as this incident goes."""
        for cid, state in self.states:
            if cid == component_id:
                return state
        return ComponentState.OPERATIONAL

    def to_record(self) -> SummaryRecord:
        """This summary as plain values; `IncidentSummary.from_record` reverses it."""
        return (
            self.id,
            self.path,
            self.digest,
            self.kind.value,
            self.title,
            self.impact.value,
            self.components,
            self.status.value,
            _iso(self.created_at),
            _iso(self.started_at),
            _iso(self.resolved_at),
            _iso(self.scheduled_for),
            _iso(self.scheduled_until),
            _iso(self.postmortem_at),
            tuple((cid, state.value) for cid, state in self.states),
            self.has_postmortem,
            tuple(moment.isoformat() for moment in self.update_times),
        )

    @classmethod
    def from_record(cls, record: SummaryRecord) -> IncidentSummary:
        """Rebuild a summary from `to_record`'s plain values.

        Positional and without helpers: a build rebuilds every incident's summary this way.
        """
        (iid, path, digest, kind, title, impact, components, status, created, started) = record[:10]
        resolved, scheduled_for, scheduled_until, postmortem, states, has_postmortem = record[10:16]
        iso = datetime.fromisoformat
        texts = record[16]
        update_times = tuple(map(iso, texts))
        # Creation, start and resolution are mostly the first and last update's times.
        first, last = texts[0], texts[-1]
        known = {first: update_times[0], last: update_times[-1]}
        shown = _SHOWN_STATES.get(states)
        if shown is None:  # few distinct combinations: converted once each
            shown = tuple([(cid, _STATES[state]) for cid, state in states])
            if len(_SHOWN_STATES) < 4096:
                _SHOWN_STATES[states] = shown
        return cls(
            iid,
            path,
            digest,
            _KINDS[kind],
            title,
            _IMPACTS[impact],
            components,
            _STATUSES[status],
            known.get(created) or iso(created),
            known.get(started) or iso(started),
            resolved and (known.get(resolved) or iso(resolved)),
            scheduled_for and iso(scheduled_for),
            scheduled_until and iso(scheduled_until),
            postmortem and iso(postmortem),
            shown,
            has_postmortem,
            update_times,
        )


# Enum(value) goes through the metaclass; a dict is several times faster for many records.
_KINDS = {k.value: k for k in Kind}
_IMPACTS = {i.value: i for i in Impact}
_STATUSES = {s.value: s for s in Status}
_STATES = {s.value: s for s in ComponentState}
_SHOWN_STATES: dict[tuple[tuple[str, str], ...], tuple[tuple[str, ComponentState], ...]] = {}


def _iso(moment: datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


@dataclass(frozen=True, slots=True)
class Incident(IncidentSummary):
    """An incident or a scheduled maintenance with its whole text, as written in one file."""

    updates: tuple[Update, ...]  # oldest first, at least one
    admission: str | None
    cause: str | None
    fix: str | None
    prevention_text: str | None
    action_items: tuple[ActionItem, ...]

    @classmethod
    def create(
        cls,
        *,
        id: str,
        path: str,
        digest: str,
        kind: Kind,
        title: str,
        impact: Impact,
        components: tuple[str, ...],
        updates: tuple[Update, ...],
        scheduled_for: datetime | None = None,
        scheduled_until: datetime | None = None,
        postmortem_at: datetime | None = None,
        admission: str | None = None,
        cause: str | None = None,
        fix: str | None = None,
        prevention_text: str | None = None,
        action_items: tuple[ActionItem, ...] = (),
    ) -> Incident:
        """An Incident with its status, times and current states derived from `updates`."""
        last = updates[-1]
        started = updates[0].at
        if kind is Kind.MAINTENANCE:
            begun = [u.at for u in updates if u.status is not Status.SCHEDULED]
            started = begun[0] if begun else (scheduled_for or started)
        return cls(
            id=id,
            path=path,
            digest=digest,
            kind=kind,
            title=title,
            impact=impact,
            components=components,
            status=last.status,
            created_at=updates[0].at,
            started_at=started,
            resolved_at=last.at if last.status.is_closed else None,
            scheduled_for=scheduled_for,
            scheduled_until=scheduled_until,
            postmortem_at=postmortem_at,
            states=last.states,
            has_postmortem=bool(admission or cause or fix or prevention_text or action_items),
            update_times=tuple(u.at for u in updates),
            updates=updates,
            admission=admission,
            cause=cause,
            fix=fix,
            prevention_text=prevention_text,
            action_items=action_items,
        )

    @property
    def latest(self) -> Update:
        """The newest update."""
        return self.updates[-1]

    def summary(self) -> IncidentSummary:
        """The same incident without its text."""
        return IncidentSummary.from_record(self.to_record())

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


@dataclass(frozen=True, slots=True)
class Site:
    """Everything loaded from a site's files.

    `incidents` summarises every incident and maintenance, newest first. `details` holds
    their whole text: all of them after a full load; an incremental build loads only those
    whose pages it renders, and asking for another is a bug that `incident` reports.
    """

    config: Config
    incidents: tuple[IncidentSummary, ...]
    details: Mapping[str, Incident]
    # The incidents and maintenance still open, newest first: what the status page, the
    # API's live endpoints and the components' states look at, found in one pass.
    open: tuple[IncidentSummary, ...] = field(init=False)

    def __post_init__(self) -> None:
        open_ = tuple(i for i in self.incidents if not i.status.is_closed)
        object.__setattr__(self, "open", open_)

    @property
    def components(self) -> tuple[Component, ...]:
        """The components, in the order statuspage.yaml lists them."""
        return self.config.components

    def incident(self, incident_id: str) -> Incident:
        """The whole text of one incident."""
        try:
            return self.details[incident_id]
        except KeyError:
            raise LookupError(f"incident {incident_id!r} was not loaded for this build") from None

    def current_states(self) -> dict[str, ComponentState]:
        """Each component's state now: the worst any open incident or maintenance gives it."""
        states = dict.fromkeys((c.id for c in self.components), ComponentState.OPERATIONAL)
        for incident in self.open:
            for cid, state in incident.states:
                if state.severity > states[cid].severity:
                    states[cid] = state
        return states


def worst(states: Iterable[ComponentState]) -> ComponentState:
    """The most severe of `states`, operational when there are none."""
    return max(states, key=lambda s: s.severity, default=ComponentState.OPERATIONAL)

"""Incidents and maintenance: frozen values, with every derived fact computed from the updates."""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, datetime, timedelta
from typing import Any, TypeVar

from .enums import ActionState, ComponentState, Impact, Kind, Status
from .values import quick_maker


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
    next_update: datetime | None = None  # when the next word was promised, on an open update


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
    # When impact began: `began_at` if the file says, else the first update's; a
    # maintenance's first update past scheduled (or its window's start, once under way).
    started_at: datetime
    resolved_at: datetime | None  # the closing update's time, None while open
    scheduled_for: datetime | None
    scheduled_until: datetime | None
    postmortem_at: datetime | None
    states: tuple[tuple[str, ComponentState], ...]  # of the affected components, now
    has_postmortem: bool  # any of the four sections is written
    update_times: tuple[datetime, ...]  # when each update was posted, oldest first
    updated_at: (
        datetime  # when anything in it last changed: an update, a correction, the postmortem
    )
    # The affected components' states over time, for uptime and the daily bars, written
    # compactly: a build reads every summary and uptime looks at the last 90 days' only.
    # See `timeline`, which reads it.
    state_changes: str

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

    @property
    def is_ongoing(self) -> bool:
        """True once begun and until over: while its duration grows with the clock."""
        return self.has_begun and not self.status.is_closed

    def duration(self, now: datetime) -> timedelta:
        """How long it lasted, or has lasted so far at `now` when still open."""
        end = self.resolved_at or now
        return max(end - self.started_at, timedelta(0))

    @property
    def timeline(self) -> tuple[tuple[int, tuple[tuple[str, ComponentState], ...]], ...]:
        """Where the affected components' states changed: (number of the update that set
        them, from 0, and the states from then on); all start operational. The states in
        force at a moment are those of the last entry before it."""
        return (
            tuple(
                (int(number), tuple(_state_pair(pair) for pair in pairs))
                for number, *pairs in (
                    change.split(" ") for change in self.state_changes.split(";")
                )
            )
            if self.state_changes
            else ()
        )

    def state_of(self, component_id: str) -> ComponentState:
        """The component's current state as far as this incident goes."""
        for cid, state in self.states:
            if cid == component_id:
                return state
        return ComponentState.OPERATIONAL

    def to_record(self) -> SummaryRecord:
        """This summary as plain values in the order of RECORD_FIELDS; `from_record` reverses it."""
        return (
            self.id,
            self.path,
            self.digest,
            self.kind.value,
            self.title,
            self.impact.value,
            self.components,
            self.status.value,
            # Mostly the first, first and last update's times: then None, None and True,
            # which take no room nor parsing.
            None if self.created_at == self.update_times[0] else _iso(self.created_at),
            None if self.started_at == self.created_at else _iso(self.started_at),
            _resolved_record(self.resolved_at, self.update_times[-1]),
            _iso(self.scheduled_for),
            _iso(self.scheduled_until),
            _iso(self.postmortem_at),
            tuple((cid, state.value) for cid, state in self.states),
            self.has_postmortem,
            tuple(moment.isoformat() for moment in self.update_times),
            # Mostly the last update's time: then None, which takes no room nor parsing.
            None if self.updated_at == self.update_times[-1] else _iso(self.updated_at),
            self.state_changes,
        )

    @staticmethod
    def from_record(record: SummaryRecord) -> IncidentSummary:
        """Rebuild a summary from `to_record`'s plain values.

        Positional, without helpers and past the frozen `__init__` (`quick_maker`), since a
        build rebuilds every incident's summary this way (keyword arguments cost 50 % more,
        the frozen `__init__` five times); the import-time check below RECORD_FIELDS keeps
        the positions and the fields in step.
        """
        (
            iid,
            path,
            digest,
            kind,
            title,
            impact,
            components,
            status,
            created,
            started,
            resolved,
            scheduled_for,
            scheduled_until,
            postmortem,
            states,
            has_postmortem,
            texts,
            updated,
            changes,
        ) = record
        iso = datetime.fromisoformat
        update_times = tuple(map(iso, texts))
        created_at = update_times[0] if created is None else iso(created)
        if resolved is not None:
            resolved = update_times[-1] if resolved is True else iso(resolved)
        shown = _SHOWN_STATES.get(states)
        if shown is None:  # few distinct combinations: converted once each
            shown = tuple([(cid, _STATES[state]) for cid, state in states])
            if len(_SHOWN_STATES) < 4096:
                _SHOWN_STATES[states] = shown
        postmortem_at = postmortem and iso(postmortem)
        if updated is None:  # the last update's time
            updated_at = update_times[-1]
        else:
            updated_at = postmortem_at if updated == postmortem else iso(updated)
        return _make_summary(
            iid,
            path,
            digest,
            _KINDS[kind],
            title,
            _IMPACTS[impact],
            components,
            _STATUSES[status],
            created_at,
            created_at if started is None else iso(started),
            resolved,
            scheduled_for and iso(scheduled_for),
            scheduled_until and iso(scheduled_until),
            postmortem_at,
            shown,
            has_postmortem,
            update_times,
            updated_at,
            changes,
        )


# The fields of a summary in the order of its record and of the dataclass.
RECORD_FIELDS = (
    "id",
    "path",
    "digest",
    "kind",
    "title",
    "impact",
    "components",
    "status",
    "created_at",
    "started_at",
    "resolved_at",
    "scheduled_for",
    "scheduled_until",
    "postmortem_at",
    "states",
    "has_postmortem",
    "update_times",
    "updated_at",
    "state_changes",
)
if tuple(f.name for f in fields(IncidentSummary)) != RECORD_FIELDS:  # pragma: no cover
    raise TypeError("IncidentSummary's fields moved: update to_record, from_record, RECORD_FIELDS")

_make_summary = quick_maker(IncidentSummary)

# Enum(value) goes through the metaclass; a dict is several times faster for many records.
_KINDS = {k.value: k for k in Kind}
_IMPACTS = {i.value: i for i in Impact}
_STATUSES = {s.value: s for s in Status}
_STATES = {s.value: s for s in ComponentState}
_SHOWN_STATES: dict[tuple[tuple[str, str], ...], tuple[tuple[str, ComponentState], ...]] = {}


def _state_pair(pair: str) -> tuple[str, ComponentState]:
    """'api=major_outage' as a component id and its state (ids never hold '=', ' ' or ';')."""
    cid, _, state = pair.partition("=")
    return cid, _STATES[state]


def _resolved_record(resolved_at: datetime | None, last_update: datetime) -> str | bool | None:
    """How a record keeps the resolution time: True for the last update's, as it mostly is."""
    return True if resolved_at == last_update else _iso(resolved_at)


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
    began_at: datetime | None  # when impact began, when the file says (before the first post)
    detected_at: datetime | None  # when the team noticed, when the file says
    language: str | None = None  # the language its text is written in, when not the site's

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
        began_at: datetime | None = None,
        detected_at: datetime | None = None,
        language: str | None = None,
    ) -> Incident:
        """An Incident with its status, times and current states derived from `updates`."""
        last = updates[-1]
        started = began_at or updates[0].at
        if kind is Kind.MAINTENANCE:
            begun = [u.at for u in updates if u.status is not Status.SCHEDULED]
            started = begun[0] if begun else (scheduled_for or started)
        changed = [u.edited_at or u.at for u in updates]
        if postmortem_at is not None:
            changed.append(postmortem_at)
        changes: list[str] = []
        in_force = tuple((cid, ComponentState.OPERATIONAL) for cid, _ in updates[0].states)
        for number, update in enumerate(updates):
            if update.states != in_force:
                pairs = " ".join(f"{cid}={state.value}" for cid, state in update.states)
                changes.append(f"{number} {pairs}" if pairs else str(number))
                in_force = update.states
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
            updated_at=max(changed),
            state_changes=";".join(changes),
            updates=updates,
            admission=admission,
            cause=cause,
            fix=fix,
            prevention_text=prevention_text,
            action_items=action_items,
            began_at=began_at,
            detected_at=detected_at,
            language=language,
        )

    @property
    def first_post_delay(self) -> timedelta | None:
        """How long after the team noticed the first public post came, when the file says."""
        return None if self.detected_at is None else self.created_at - self.detected_at

    @property
    def next_update(self) -> datetime | None:
        """When the next update is promised by, while open: the newest update's promise."""
        return self.latest.next_update if self.is_open else None

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


def file_digest(digest: str) -> str:
    """The digest of an incident's file, from its digest as it stands at a time (`as_at`)."""
    return digest.partition("/")[0]


AnyIncident = TypeVar("AnyIncident", bound=IncidentSummary)


def as_at(incident: AnyIncident, now: datetime) -> AnyIncident:
    """The incident as it stands at `now`: a maintenance nobody updated follows its window.

    Shown in progress from `scheduled_for` and completed at `scheduled_until` while its
    newest update still says scheduled; any other update takes over from the window. The
    digest changes with the phase, so that what shows the incident is made again.
    """
    if incident.status is not Status.SCHEDULED:  # most: first, since this runs for each
        return incident
    start, end = incident.scheduled_for, incident.scheduled_until
    if start is None or now < start:
        return incident
    done = end is not None and now >= end
    status = Status.COMPLETED if done else Status.IN_PROGRESS
    working = " ".join(
        f"{cid}={ComponentState.UNDER_MAINTENANCE.value}" for cid in incident.components
    )
    return replace(
        incident,
        digest=f"{incident.digest}/{status.value}",
        status=status,
        started_at=start,
        resolved_at=end if done else None,
        states=tuple(
            (cid, ComponentState.OPERATIONAL if done else ComponentState.UNDER_MAINTENANCE)
            for cid in incident.components
        ),
        state_changes=f"0 {working}" if working else "",
    )

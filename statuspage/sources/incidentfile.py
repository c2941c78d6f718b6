"""Read one incident or maintenance file into an `Incident`, reporting every problem in it."""

from __future__ import annotations

import re
from collections.abc import Collection
from datetime import datetime, timedelta

from yaml.nodes import Node, ScalarNode

from ..i18n import LANGUAGE_TAG
from ..model import (
    IMPACT_STATE,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    ActionItem,
    ActionState,
    ComponentState,
    Impact,
    Incident,
    Kind,
    Status,
    Update,
)
from .limits import shown
from .yamlio import (
    Mapping,
    SourceFile,
    describe,
    is_null,
    parse,
    report_duplicate,
    unknown_message,
)

INCIDENT_KEYS = (
    "title",
    "kind",
    "impact",
    "components",
    "scheduled_for",
    "scheduled_until",
    "began_at",
    "detected_at",
    "updates",
    "postmortem_at",
    "admission",
    "cause",
    "fix",
    "prevention",
    "language",
)
# The words of each set of statuses, to tell a status of the other kind from a typo.
_VALUES = {
    statuses: frozenset(s.value for s in statuses)
    for statuses in (INCIDENT_STATUSES, MAINTENANCE_STATUSES)
}
UPDATE_KEYS = ("at", "edited_at", "status", "message", "components", "next_update")
# A promised next update as a time after the update: 30m, 1h, 1h30m, 45 minutes, 2 hours.
_AFTER = re.compile(
    r"(?:(?P<h>\d{1,2})\s*(?:h|hours?))?\s*(?:(?P<m>\d{1,4})\s*(?:m|min|minutes?))?", re.ASCII
)
ACTION_KEYS = ("action", "owner", "status", "due")
SECTIONS = ("admission", "cause", "fix", "prevention")


def read_incident(
    text: str, file: SourceFile, incident_id: str, digest: str, known: Collection[str] | None
) -> Incident | None:
    """Build the Incident in `text`; `known` holds the valid component ids (None: unknown).

    `digest` identifies the file's content, for caches and output keys.
    """
    root = parse(text, file)
    if root is None:
        if not file.problems:
            file.report(None, "file is empty; an incident needs title, impact and updates")
        return None
    hint = "start it with keys such as title:, impact: and updates:, each on a line of its own"
    top = Mapping.read(
        file, root, "an incident file", INCIDENT_KEYS, ("title", "updates"), hint=hint
    )
    if top is None:
        return None
    return _IncidentReader(top, known).read(incident_id, digest)


class _IncidentReader:
    """Reads the parts of one incident in order, since later checks need earlier values."""

    def __init__(self, top: Mapping, known: Collection[str] | None) -> None:
        self.top = top
        self.file = top.file
        self.known = known

    def read(self, incident_id: str, digest: str) -> Incident | None:
        top, file = self.top, self.file
        title = top.text("title")
        kind = top.choice("kind", Kind, list(Kind), "kind") if "kind" in top else Kind.INCIDENT
        if kind is None:
            return None
        impact = self._read_impact(kind)
        listed = self._read_component_list()
        scheduled_for, scheduled_until = self._read_schedule(kind)
        updates = self._read_updates(kind, impact or Impact.NONE, listed or [])
        began_at, detected_at = self._read_detection(kind, updates)
        postmortem_at = top.time("postmortem_at")
        language = self._read_language()
        admission, cause, fix = top.text("admission"), top.text("cause"), top.text("fix")
        prevention_text, action_items = self._read_prevention()
        if updates and postmortem_at is not None:
            self._check_postmortem(postmortem_at, updates)
        if file.problems or title is None or impact is None or listed is None or not updates:
            return None
        named = [cid for update in updates for cid in update.changes]
        components = tuple(dict.fromkeys([*listed, *named]))
        return Incident.create(
            id=incident_id,
            path=file.path,
            digest=digest,
            kind=kind,
            title=title.strip(),
            impact=impact,
            components=components,
            updates=tuple(updates),
            postmortem_at=postmortem_at,
            admission=admission,
            cause=cause,
            fix=fix,
            prevention_text=prevention_text,
            action_items=action_items,
            scheduled_for=scheduled_for,
            scheduled_until=scheduled_until,
            began_at=began_at,
            detected_at=detected_at,
            language=language,
        )

    def _read_language(self) -> str | None:
        """`language`: the tag of the language the incident is written in (its page marks
        its text so), when it is not the site's."""
        if "language" not in self.top:
            return None
        tag = self.top.text("language")
        if tag is not None and not LANGUAGE_TAG.fullmatch(tag):
            self.file.report(
                self.top.get("language"),
                f"'language' must be a language tag such as en or pt-BR, not '{shown(tag)}'",
            )
            return None
        return tag

    def _read_impact(self, kind: Kind) -> Impact | None:
        if "impact" not in self.top:
            if kind is Kind.MAINTENANCE:
                return Impact.NONE
            if "impact" not in self.top.values:  # a present but empty one is reported already
                self.file.report(self.top.node, "missing required key 'impact'")
            return None
        return self.top.choice("impact", Impact, list(Impact), "impact")

    def _check_component(self, node: ScalarNode) -> str | None:
        cid: str = node.value
        if self.known is not None and cid not in self.known:
            self.file.report(node, unknown_message("component", cid, sorted(self.known)))
            return None
        return cid

    def _read_component_list(self) -> list[str] | None:
        seq = self.top.sequence("components", "[api, dashboard]")
        if seq is None:
            return None if self.top.get("components") is not None else []
        listed: list[str] = []
        ok = True
        for node in seq.value:
            if not isinstance(node, ScalarNode) or is_null(node):
                self.file.report(node, f"each component must be an id, not {describe(node)}")
                ok = False
                continue
            cid = self._check_component(node)
            if cid is None:
                ok = False
            elif cid in listed:
                self.file.report(node, f"component '{cid}' is listed twice")
            else:
                listed.append(cid)
        return listed if ok else None

    def _read_schedule(self, kind: Kind) -> tuple[datetime | None, datetime | None]:
        top, file = self.top, self.file
        if kind is Kind.INCIDENT:
            for key in ("scheduled_for", "scheduled_until"):
                if key in top.values:
                    file.report(top.keys[key], f"'{key}' only applies to kind: maintenance")
            return None, None
        for key in ("scheduled_for", "scheduled_until"):
            if key not in top:
                file.report(top.node, f"missing required key '{key}' (a maintenance needs both)")
        start, end = top.time("scheduled_for"), top.time("scheduled_until")
        if start is not None and end is not None and end < start:
            file.report(
                top.get("scheduled_until"),
                f"scheduled_until ({end.isoformat()}) is before scheduled_for "
                f"({start.isoformat()})",
            )
        return start, end

    def _read_detection(
        self, kind: Kind, updates: list[Update]
    ) -> tuple[datetime | None, datetime | None]:
        """`began_at` and `detected_at`: when impact began and when the team noticed, in order."""
        top, file = self.top, self.file
        if kind is Kind.MAINTENANCE:
            for key in ("began_at", "detected_at"):
                if key in top.values:
                    file.report(
                        top.keys[key],
                        f"'{key}' only applies to incidents; a maintenance begins at "
                        f"scheduled_for, or at its first update in progress",
                    )
            return None, None
        began, detected = top.time("began_at"), top.time("detected_at")
        if began is not None and detected is not None and detected < began:
            file.report(
                top.get("detected_at"),
                f"detected_at ({detected.isoformat()}) is before began_at "
                f"({began.isoformat()}); the team notices an impact after it begins",
            )
        if updates:
            first = updates[0]
            for key, moment, why in (
                ("began_at", began, "impact begins before the first post says so"),
                ("detected_at", detected, "the team had noticed by the time it posted"),
            ):
                if moment is not None and moment > first.at:
                    file.report(
                        top.get(key),
                        f"{key} ({moment.isoformat()}) is after the first update "
                        f"(line {first.line}, {first.at.isoformat()}); {why}",
                    )
        return began, detected

    def _read_updates(self, kind: Kind, impact: Impact, listed: list[str]) -> list[Update]:
        """Every update, oldest first; none at all when any of them has a problem."""
        seq = self.top.sequence("updates", "[{at: ..., status: ..., message: ...}]")
        if seq is None:
            return []
        if not seq.value:
            self.file.report(seq, "'updates' is empty; add at least one update")
            return []
        timeline = _Timeline(self.file, kind, impact, listed)
        updates = []
        for number, node in enumerate(seq.value, start=1):
            update = self._read_update(node, number, timeline)
            if update is not None:
                updates.append(update)
        return updates if len(updates) == len(seq.value) else []

    def _read_update(self, node: Node, number: int, timeline: _Timeline) -> Update | None:
        """One update, checked against those above it (`timeline`)."""
        entry = Mapping.read(
            self.file, node, "each update", UPDATE_KEYS, ("at", "status", "message")
        )
        if entry is None:
            return None
        line = entry.node.start_mark.line + 1
        timeline.check_open(entry)
        at = entry.time("at")
        if at is not None:
            timeline.check_order(entry, at, line)
        edited_at = self._read_edited_at(entry, at)
        status = self._read_status(entry, timeline.kind)
        message = entry.text("message")
        changes = self._read_states(entry, status)
        next_update = self._read_next_update(entry, at, status)
        if status is not None and status.is_closed:
            timeline.close(line)
        if at is None or status is None or message is None or changes is None:
            return None
        states = timeline.states_after(changes, status)
        return Update(
            number, at, status, message, states, tuple(changes), line, edited_at, next_update
        )

    def _read_next_update(
        self, entry: Mapping, at: datetime | None, status: Status | None
    ) -> datetime | None:
        """When the update promises the next one: a time, or how long after it (30m, 1h)."""
        node = entry.get("next_update")
        if node is None:
            return None
        if status is not None and status.is_closed:
            self.file.report(
                entry.keys["next_update"],
                f"a {status.value} update promises no next update; remove next_update",
            )
            return None
        after = _AFTER.fullmatch(node.value.strip()) if isinstance(node, ScalarNode) else None
        if after is not None and (after["h"] or after["m"]):
            if at is None:
                return None
            delay = timedelta(hours=int(after["h"] or 0), minutes=int(after["m"] or 0))
            return at + delay
        if isinstance(node, ScalarNode) and after is None and "-" not in node.value:
            self.file.report(
                node,
                f"next_update '{shown(node.value)}' is neither a delay nor a time; write how "
                f"long after the update, such as 30m, 1h or 1h30m, or a time such as "
                f"2026-11-20T15:30:00Z",
            )
            return None
        promised = entry.time("next_update")
        if promised is not None and at is not None and promised <= at:
            self.file.report(
                node,
                f"next_update ({promised.isoformat()}) is not after the update itself "
                f"({at.isoformat()}); promise a time to come",
            )
            return None
        return promised

    def _read_edited_at(self, entry: Mapping, at: datetime | None) -> datetime | None:
        edited_at = entry.time("edited_at")
        if edited_at is not None and at is not None and edited_at < at:
            self.file.report(
                entry.get("edited_at"),
                f"edited_at ({edited_at.isoformat()}) is before the update's own time "
                f"({at.isoformat()})",
            )
            return None
        return edited_at

    def _read_status(self, entry: Mapping, kind: Kind) -> Status | None:
        own, other = (
            (INCIDENT_STATUSES, MAINTENANCE_STATUSES)
            if kind is Kind.INCIDENT
            else (MAINTENANCE_STATUSES, INCIDENT_STATUSES)
        )
        node = entry.get("status")
        if isinstance(node, ScalarNode) and node.value in _VALUES[other]:
            names = ", ".join(s.value for s in own)
            if kind is Kind.INCIDENT:
                hint = f"an incident uses {names}; for a maintenance add kind: maintenance"
            else:
                hint = f"a maintenance uses {names}"
            whose = "maintenance" if kind is Kind.INCIDENT else "incidents"
            self.file.report(node, f"status '{node.value}' is for {whose}; {hint}")
            return None
        return entry.choice("status", Status, own, "status")

    def _read_states(
        self, entry: Mapping, status: Status | None
    ) -> dict[str, ComponentState] | None:
        node = entry.mapping("components", "{api: partial_outage}")
        if node is None:
            return None if entry.get("components") is not None else {}
        changes: dict[str, ComponentState] = {}
        first: dict[str, Node] = {}
        ok = True
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                self.file.report(key, f"a component id must be a plain word, not {describe(key)}")
                ok = False
                continue
            if report_duplicate(self.file, key, first):
                ok = False
                continue
            cid = self._check_component(key)
            state = _read_state(self.file, value)
            if cid is None or state is None:
                ok = False
                continue
            if status is not None and status.is_closed and state is not ComponentState.OPERATIONAL:
                self.file.report(
                    value,
                    f"'{cid}' cannot be {state.value} in a {status.value} update; "
                    f"{status.value} means every component is operational again",
                )
                ok = False
                continue
            changes[cid] = state
        return changes if ok else None

    def _read_prevention(self) -> tuple[str | None, tuple[ActionItem, ...]]:
        node = self.top.get("prevention")
        if node is None:
            return None, ()
        if isinstance(node, ScalarNode):
            return self.top.text("prevention"), ()
        seq = self.top.sequence("prevention", "[{action: ..., owner: ..., status: planned}]")
        if seq is None:
            return None, ()
        items: list[ActionItem] = []
        for item_node in seq.value:
            item = Mapping.read(
                self.file, item_node, "each action item", ACTION_KEYS, ("action", "owner")
            )
            if item is None:
                continue
            action, owner = item.text("action"), item.text("owner")
            state = (
                item.choice("status", ActionState, list(ActionState), "action status")
                if "status" in item
                else ActionState.PLANNED
            )
            due = item.date("due")
            if action is None or owner is None or state is None:
                continue
            items.append(ActionItem(action.strip(), owner.strip(), state, due))
        if not seq.value:
            self.file.report(seq, "'prevention' is empty; list action items or write text")
        return None, tuple(items)

    def _check_postmortem(self, postmortem_at: datetime, updates: list[Update]) -> None:
        top, file = self.top, self.file
        node = top.get("postmortem_at")
        if not updates[-1].status.is_closed:
            file.report(node, "postmortem_at is set but the incident is not resolved yet")
        elif postmortem_at < updates[-1].at:
            file.report(
                node,
                f"postmortem_at ({postmortem_at.isoformat()}) is before the resolution "
                f"({updates[-1].at.isoformat()})",
            )
        for section in SECTIONS:
            if section not in top:
                file.report(
                    node,
                    f"postmortem_at is set but '{section}' is missing; write it or remove "
                    f"postmortem_at until the postmortem is complete",
                )


class _Timeline:
    """What reading an incident's updates in order knows so far, to check and derive the next."""

    def __init__(self, file: SourceFile, kind: Kind, impact: Impact, listed: list[str]) -> None:
        self.file = file
        self.kind = kind
        self.impact = impact
        self.affected = list(listed)  # listed ones first, then those updates name
        self.explicit: dict[str, ComponentState] = {}  # the latest state each update named
        self.previous: tuple[datetime, int] | None = None  # the last dated update, and its line
        self.closed_line: int | None = None  # where it was resolved or completed

    def check_open(self, entry: Mapping) -> None:
        """Report an update that follows the closing one."""
        if self.closed_line is None:
            return
        closed = "resolved" if self.kind is Kind.INCIDENT else "completed"
        self.file.report(
            entry.node,
            f"update after the {self.kind.value} was {closed} (line {self.closed_line}); "
            f"a postmortem goes in postmortem_at and its sections, "
            f"a new problem in a new incident",
        )

    def check_order(self, entry: Mapping, at: datetime, line: int) -> None:
        """Report an update dated before the one above it."""
        if self.previous is not None and at < self.previous[0]:
            self.file.report(
                entry.get("at"),
                f"update is dated before the one above it (line {self.previous[1]}); "
                f"list updates oldest first",
            )
        self.previous = (at, line)

    def close(self, line: int) -> None:
        """Note where the incident was closed (the first closing update)."""
        if self.closed_line is None:
            self.closed_line = line

    def states_after(
        self, changes: dict[str, ComponentState], status: Status
    ) -> tuple[tuple[str, ComponentState], ...]:
        """Every affected component's state from an update on: as named, else by default."""
        self.explicit.update(changes)
        self.affected.extend(cid for cid in changes if cid not in self.affected)
        if status.is_closed:
            return tuple((cid, ComponentState.OPERATIONAL) for cid in self.affected)
        default = _default_state(self.kind, self.impact, status)
        return tuple((cid, self.explicit.get(cid, default)) for cid in self.affected)


def _read_state(file: SourceFile, node: Node) -> ComponentState | None:
    if not isinstance(node, ScalarNode) or is_null(node):
        names = ", ".join(s.value for s in ComponentState)
        file.report(node, f"a component state must be one of {names}, not {describe(node)}")
        return None
    for state in ComponentState:
        if state.value == node.value:
            return state
    file.report(
        node, unknown_message("component state", node.value, [s.value for s in ComponentState])
    )
    return None


def _default_state(kind: Kind, impact: Impact, status: Status) -> ComponentState:
    """The state components take when an update does not say: from impact, or maintenance."""
    if status.is_closed:
        return ComponentState.OPERATIONAL
    if kind is Kind.MAINTENANCE:
        if status is Status.SCHEDULED:
            return ComponentState.OPERATIONAL
        return ComponentState.UNDER_MAINTENANCE
    return IMPACT_STATE[impact]

"""The closed sets of the site model: impacts, kinds, statuses and states."""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum
from functools import cached_property


class Labelled(StrEnum):
    """An enum whose members read as words: the value 'in_progress' shows as 'In progress'."""

    @cached_property  # pages and feeds ask for it thousands of times
    def label(self) -> str:
        """The value as a reader sees it: 'In progress'."""
        return self.value.replace("_", " ").capitalize()


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


class Status(Labelled):
    """The status an update sets; incidents and maintenance each use their own four."""

    INVESTIGATING = "investigating"
    IDENTIFIED = "identified"
    MONITORING = "monitoring"
    RESOLVED = "resolved"
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    VERIFYING = "verifying"
    COMPLETED = "completed"

    @cached_property  # asked of every update and incident, many times a build
    def is_closed(self) -> bool:
        """True once nothing more happens: resolved or completed."""
        return self in (Status.RESOLVED, Status.COMPLETED)


INCIDENT_STATUSES = (Status.INVESTIGATING, Status.IDENTIFIED, Status.MONITORING, Status.RESOLVED)
MAINTENANCE_STATUSES = (Status.SCHEDULED, Status.IN_PROGRESS, Status.VERIFYING, Status.COMPLETED)


class ComponentState(Labelled):
    """A component's state, ordered from best to worst by `severity`."""

    OPERATIONAL = "operational"
    UNDER_MAINTENANCE = "under_maintenance"
    DEGRADED_PERFORMANCE = "degraded_performance"
    PARTIAL_OUTAGE = "partial_outage"
    MAJOR_OUTAGE = "major_outage"

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


class ActionState(Labelled):
    """How far a prevention action item has come."""

    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


def worst(states: Iterable[ComponentState]) -> ComponentState:
    """The most severe of `states`, operational when there are none."""
    return max(states, key=lambda s: s.severity, default=ComponentState.OPERATIONAL)

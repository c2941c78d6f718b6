"""The site model: frozen values for the config, components, incidents and their updates.

Every derived fact (an incident's status, times, current states) is computed once, from the
updates, when the model is made; nothing here reads a file or the clock.
"""

from .enums import (
    IMPACT_STATE,
    INCIDENT_STATUSES,
    MAINTENANCE_STATUSES,
    ActionState,
    ComponentState,
    Impact,
    Kind,
    Status,
    worst,
)
from .incident import ActionItem, Incident, IncidentSummary, SummaryRecord, Update
from .site import Component, Config, InputData, Site

__all__ = [
    "IMPACT_STATE",
    "INCIDENT_STATUSES",
    "MAINTENANCE_STATUSES",
    "ActionItem",
    "ActionState",
    "Component",
    "ComponentState",
    "Config",
    "Impact",
    "Incident",
    "IncidentSummary",
    "InputData",
    "Kind",
    "Site",
    "Status",
    "SummaryRecord",
    "Update",
    "worst",
]

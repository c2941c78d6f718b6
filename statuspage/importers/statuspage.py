"""`statuspage import statuspage`: Atlassian Statuspage's public API v2 JSON, as a Plan.

Reads `summary.json`, `incidents.json`, `scheduled-maintenances.json` and `components.json`,
as saved with curl or fetched from a page's address (its three main answers; the API gives
the latest 50 incidents). Each incident keeps its updates, oldest first, with the component
states their `affected_components` set (`new_status`), its impact, and a maintenance its
window. Components come with their groups and descriptions. What our files cannot hold as
Statuspage had it is noted with the file and line it came from:

- a postmortem is one text in Statuspage, four sections here: it goes into `admission:`,
  for its authors to split, and `postmortem_at` stays unset;
- an update with no text gets its status in words;
- a `resolved` before later updates (a reopened incident) becomes `monitoring`;
- `postmortem` updates, and statuses of neither kind, are left out.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from ..model import MAINTENANCE_STATUSES, ComponentState, Status
from .located import ImportFailed, Located, load_json
from .plan import ImportedIncident, ImportedUpdate, Plan

INCIDENT_STATUSES = ("investigating", "identified", "monitoring", "resolved")
MAINTENANCE = tuple(status.value for status in MAINTENANCE_STATUSES)
IMPACTS = ("none", "minor", "major", "critical")
STATES = tuple(state.value for state in ComponentState)
ENDPOINTS = ("summary.json", "incidents.json", "scheduled-maintenances.json")
"""What is fetched from a page's address, under /api/v2/."""
BEGAN_BEFORE = timedelta(minutes=1)  # a `started_at` this much before the first post is kept

Fetch = Callable[[str], str]


def read_sources(sources: Sequence[str], fetch: Fetch) -> list[tuple[str, Any]]:
    """Each source's JSON with the name messages give it: a file, a .json address, or a
    page's address (its ENDPOINTS)."""
    read: list[tuple[str, Any]] = []
    for source in sources:
        if source.startswith(("http://", "https://")):
            base = source.rstrip("/")
            urls = [base] if base.endswith(".json") else [f"{base}/api/v2/{e}" for e in ENDPOINTS]
            read += [(url, load_json(fetch(url), url)) for url in urls]
        else:
            path = Path(source)
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                why = error.strerror if isinstance(error, OSError) else "not UTF-8"
                raise ImportFailed(f"{source}: cannot be read ({why})") from None
            read.append((source, load_json(text, source)))
    return read


def plan(sources: Sequence[tuple[str, Any]]) -> Plan:
    """The Plan of every incident, maintenance and component the sources hold."""
    result = Plan()
    codes: dict[str, str] = {}  # component id in Statuspage -> its name
    seen: dict[str, tuple[str, Located]] = {}  # incident id -> the fullest answer of it
    for display, data in sources:
        if not isinstance(data, Located) or not any(
            key in data for key in ("components", "incidents", "scheduled_maintenances")
        ):
            raise ImportFailed(
                f"{display}: not a Statuspage API v2 answer (it has no components, incidents "
                "or scheduled_maintenances); give summary.json, incidents.json, "
                "scheduled-maintenances.json or components.json"
            )
        _components(display, data, result, codes)
        for key in ("incidents", "scheduled_maintenances"):
            for item in _objects(data, key):
                if not isinstance(item.get("id"), str):
                    continue
                known = seen.get(item["id"])
                if known is None or _updates(item) > _updates(known[1]):
                    seen[item["id"]] = (display, item)
    for display, item in seen.values():
        incident = _incident(display, item, codes, result)
        if incident is not None:
            result.incidents.append(incident)
    return result


def _objects(data: Located, key: str) -> list[Located]:
    items = data.get(key)
    return [item for item in items if isinstance(item, Located)] if isinstance(items, list) else []


def _updates(item: Located) -> int:
    updates = item.get("incident_updates")
    return len(updates) if isinstance(updates, list) else 0


def _components(display: str, data: Located, result: Plan, codes: dict[str, str]) -> None:
    """The page's components, members of a group with the group's name."""
    components = _objects(data, "components")
    groups = {c["id"]: c.get("name") for c in components if c.get("group") is True}
    for component in components:
        name = component.get("name")
        if not isinstance(name, str) or not name.strip() or component.get("group") is True:
            continue
        if isinstance(component.get("id"), str):
            codes[component["id"]] = name
        group = groups.get(component.get("group_id"))
        description = component.get("description")
        result.component(
            name,
            description if isinstance(description, str) and description.strip() else None,
            group if isinstance(group, str) and group.strip() else None,
        )


def _incident(
    display: str, item: Located, codes: dict[str, str], result: Plan
) -> ImportedIncident | None:
    maintenance = bool(item.get("scheduled_for")) or item.get("status") in MAINTENANCE
    title = item.get("name")
    incident = ImportedIncident(
        source=f"Statuspage {'maintenance' if maintenance else 'incident'} {item['id']}",
        file=display,
        line=item.line,
        title=title.strip() if isinstance(title, str) and title.strip() else "Untitled",
        updates=[],
        maintenance=maintenance,
    )
    if incident.title == "Untitled":
        result.notes.append(incident.note("it has no name; its title is 'Untitled'"))
    for component in _objects(item, "components"):
        if isinstance(component.get("id"), str) and isinstance(component.get("name"), str):
            codes.setdefault(component["id"], component["name"])
    allowed = MAINTENANCE if maintenance else INCIDENT_STATUSES
    raw = list(_objects(item, "incident_updates"))
    raw.sort(key=lambda u: _time(u.get("display_at") or u.get("created_at")) or datetime.max)
    for update in raw:
        made = _update(incident, update, allowed, codes, result)
        if made is not None:
            incident.updates.append(made)
    if not incident.updates:
        result.notes.append(
            incident.note("it has no update with a time and a status; not imported")
        )
        return None
    _close(incident, result)
    if maintenance:
        start, end = _time(item.get("scheduled_for")), _time(item.get("scheduled_until"))
        if start is None or end is None or end <= start:
            result.notes.append(
                incident.note(
                    "its window (scheduled_for, scheduled_until) is missing or empty; not imported"
                )
            )
            return None
        incident.scheduled_for, incident.scheduled_until = start, end
    else:
        impact = item.get("impact_override") or item.get("impact")
        incident.impact = impact if impact in IMPACTS else "minor"
        if impact not in IMPACTS:
            result.notes.append(
                incident.note(f"impact {impact!r} is not one of ours; written as minor")
            )
        began = _time(item.get("started_at"))
        if began is not None and began <= incident.updates[0].at - BEGAN_BEFORE:
            incident.began_at = began
    names = [name for update in incident.updates for name in update.components]
    incident.components = list(dict.fromkeys(names))
    for name in incident.components:
        result.component(name)
    postmortem = item.get("postmortem_body")
    if isinstance(postmortem, str) and postmortem.strip():
        incident.admission = _text(postmortem)
        result.notes.append(
            incident.note(
                "its postmortem is one text, ours four sections: it is in admission:; "
                "write cause:, fix: and prevention:, then set postmortem_at:"
            )
        )
    return incident


def _update(
    incident: ImportedIncident,
    update: Located,
    allowed: tuple[str, ...],
    codes: dict[str, str],
    result: Plan,
) -> ImportedUpdate | None:
    uid = update.get("id", "?")
    at = _time(update.get("display_at") or update.get("created_at"))
    status = update.get("status")
    where = f"update {uid}"
    if at is None:
        said = f"{where} has no time with an offset; left out"
        result.notes.append(incident.note(said, update.line))
        return None
    if status == "postmortem":  # Statuspage's mark of a published postmortem_body
        said = f"{where} says postmortem: left out (the postmortem is postmortem_body)"
        result.notes.append(incident.note(said, update.line))
        return None
    if status not in allowed:
        result.notes.append(
            incident.note(
                f"{where}: status {status!r} is not one of {', '.join(allowed)}; left out",
                update.line,
            )
        )
        return None
    body = update.get("body")
    message = _text(body) if isinstance(body, str) else ""
    if not message:
        message = Status(status).label + "."
        said = f"{where} has no text; written as {message!r}"
        result.notes.append(incident.note(said, update.line))
    states: dict[str, str] = {}
    for affected in _objects(update, "affected_components"):
        code, state = affected.get("code"), affected.get("new_status")
        name = codes.get(code) if isinstance(code, str) else None
        if name is None and isinstance(code, str) and isinstance(affected.get("name"), str):
            name = codes[code] = affected["name"]
        if name is not None and state in STATES:
            states[name] = state
    return ImportedUpdate(at, status, message, states)


def _close(incident: ImportedIncident, result: Plan) -> None:
    """A resolution only at the end, and one that leaves every component operational."""
    end = "completed" if incident.maintenance else "resolved"
    for update in incident.updates[:-1]:
        if update.status == end:
            update.status = "verifying" if incident.maintenance else "monitoring"
            result.notes.append(
                incident.note(
                    f"it was {end} at {update.at.isoformat()} and updated after; "
                    f"that update is written as {update.status}"
                )
            )
    last = incident.updates[-1]
    if last.status == end:
        states: dict[str, str] = {}
        for update in incident.updates:
            states.update(update.components)
        for name, state in states.items():
            if state != "operational":  # what a resolution must leave
                last.components[name] = "operational"


def _text(text: str) -> str:
    """An update's body as our files hold it: its lines, without carriage returns."""
    return "\n".join(line.rstrip() for line in text.replace("\r\n", "\n").split("\n")).strip()


def _time(value: Any) -> datetime | None:
    """A time of the API, which always carries its offset; None for anything else."""
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None

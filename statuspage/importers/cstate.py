"""`statuspage import cstate`: a cState site's issues, as a Plan.

cState (a Hugo theme) keeps one Markdown file per issue in `content/issues/`, its front
matter in YAML (`---`) or, in old sites, TOML (`+++`):

    title, date, resolved, resolvedWhen, severity (down | disrupted | notice; old sites:
    major-outage | partial-outage | degraded-performance), affected (old: affectedsystems),
    section, informational

and its systems, by name, in `config.yml` (`systems:` of names, or of `name`, `description`
and `category`, at the top or under `params:`). The body's dated lines become updates:
each text up to a `{{< track "2018-06-13 16:23:00" >}}` is one, its status from a leading
`*Investigating* -`, `**Update**:` or the like (a label that is no status keeps the status
before it); a `*Post-mortem*` part goes into `admission:`. A body without a tracked time is
one update at `date`; a resolved issue ends with `resolvedWhen` if no update resolves it.
Times without an offset are read in the site's Hugo `timeZone` (default UTC), as Hugo
reads them.
"""

from __future__ import annotations

import re
import tomllib
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from .located import ImportFailed
from .plan import ImportedIncident, ImportedUpdate, Note, Plan

CONFIGS = ("config.yml", "config.yaml", "config.toml", "hugo.yml", "hugo.yaml", "hugo.toml")
SEVERITIES = {  # cState's severity: our impact and the state of the systems it affects
    "down": ("major", "major_outage"),
    "major-outage": ("major", "major_outage"),
    "disrupted": ("minor", "partial_outage"),
    "partial-outage": ("minor", "partial_outage"),
    "degraded-performance": ("minor", "degraded_performance"),
    "notice": ("none", None),
}
STATUSES = {
    "investigating": "investigating",
    "identified": "identified",
    "monitoring": "monitoring",
    "resolved": "resolved",
    "fixed": "resolved",
}
POSTMORTEM = re.compile(r"post[- ]?mortem", re.IGNORECASE)

_TRACK = re.compile(r"\{\{[<%]\s*track\s+\"([^\"]+)\"\s*[>%]\}\}")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_LABEL = re.compile(
    r"\s*(?:(\*\*|\*|__|_)(?P<label>[^*_\n]{1,60}?)\1|#{1,6}[ \t]+(?P<heading>[^\n]{1,60}))"
    r"[ \t]*(?:[-\u2013\u2014:][ \t]*)?\n?"
)
_RULE = re.compile(r"^[ \t]*(?:-{3,}|\*{3,}|_{3,})[ \t]*$", re.MULTILINE)
_TIME = re.compile(r"(\d{4}-\d\d-\d\d)[T ](\d\d:\d\d(?::\d\d(?:\.\d+)?)?)[ \t]*(Z|[+-]\d\d:?\d\d)?")


def plan(folder: Path) -> Plan:
    """The Plan of the cState site in `folder`."""
    issues = folder / "content" / "issues"
    if not issues.is_dir():
        raise ImportFailed(f"{folder}: no content/issues/ folder; give the root of a cState site")
    result = Plan()
    settings, config_name = _site_config(folder)
    zone = _zone(settings, config_name, result)
    for system in _systems(settings):
        result.component(*system)
    for path in sorted(issues.rglob("*.md")):
        if path.name.startswith("_"):
            continue
        display = path.relative_to(folder).as_posix()
        incident = _issue(path, display, zone, result)
        if incident is not None:
            result.incidents.append(incident)
    return result


def _site_config(folder: Path) -> tuple[dict[str, Any], str]:
    for name in CONFIGS:
        path = folder / name
        if path.is_file():
            text = path.read_text(encoding="utf-8-sig")
            try:
                data = tomllib.loads(text) if name.endswith(".toml") else yaml.safe_load(text)
            except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
                raise ImportFailed(f"{name}: cannot be read: {error}") from None
            return (data if isinstance(data, dict) else {}), name
    return {}, ""


def _zone(settings: dict[str, Any], name: str, result: Plan) -> ZoneInfo:
    key = settings.get("timeZone") or settings.get("timezone")
    if isinstance(key, str):
        try:
            return ZoneInfo(key)
        except (ZoneInfoNotFoundError, ValueError):
            result.notes.append(
                Note(name, 0, f"timeZone {key!r} is no IANA zone; times read in UTC")
            )
    return ZoneInfo("UTC")


def _systems(settings: dict[str, Any]) -> list[tuple[str, str | None, str | None]]:
    """Each system: its name, description and category (our group)."""
    params = settings.get("params")
    found = settings.get("systems")
    if found is None and isinstance(params, dict):
        found = params.get("systems")
    systems: list[tuple[str, str | None, str | None]] = []
    for system in found if isinstance(found, list) else []:
        if isinstance(system, str) and system.strip():
            systems.append((system, None, None))
        elif isinstance(system, dict) and isinstance(system.get("name"), str):
            description, category = system.get("description"), system.get("category")
            systems.append(
                (
                    system["name"],
                    description if isinstance(description, str) and description.strip() else None,
                    category if isinstance(category, str) and category.strip() else None,
                )
            )
    return systems


def _issue(path: Path, display: str, zone: ZoneInfo, result: Plan) -> ImportedIncident | None:
    text = path.read_text(encoding="utf-8-sig").replace("\r\n", "\n")
    front, body, body_line = _front_matter(text, display)
    incident = ImportedIncident(
        source=f"cState issue {display}",
        file=display,
        line=1,
        title=str(front.get("title") or path.stem).strip(),
        updates=[],
    )

    def line_of(key: str) -> int:  # the line of a front matter key
        match = re.search(rf"^{key}[ \t]*[:=]", text[: len(text) - len(body)], re.MULTILINE)
        return text.count("\n", 0, match.start()) + 1 if match else 1

    started = _moment(front.get("date"), zone)
    if started is None:
        result.notes.append(incident.note("its date: has no time; not imported", line_of("date")))
        return None
    severity = str(front.get("severity", "disrupted")).strip().lower()
    impact, state = SEVERITIES.get(severity, ("minor", "partial_outage"))
    if severity not in SEVERITIES:
        result.notes.append(
            incident.note(
                f"severity {severity!r} is not cState's; written as disrupted", line_of("severity")
            )
        )
    if front.get("informational") is True:
        impact, state = "none", None
    incident.impact = impact
    affected = front.get("affected", front.get("affectedsystems")) or []
    names = [str(name) for name in affected] if isinstance(affected, list) else [str(affected)]
    incident.components = [name for name in names if name.strip()]
    for name in incident.components:
        result.component(name)
    section = front.get("section", "issue")
    if section != "issue":
        said = f"section {section!r}: imported as an incident"
        result.notes.append(incident.note(said, line_of("section")))
    _updates(incident, body, body_line, started, zone, result)
    resolved = front.get("resolved") is True
    ended = _moment(front.get("resolvedWhen"), zone)
    last = incident.updates[-1]
    if resolved and last.status != "resolved":
        if ended is None or ended <= last.at:  # the last update is the resolution
            last.status = "resolved"
        else:
            incident.updates.append(ImportedUpdate(ended, "resolved", "Resolved."))
            said = "no update says it was resolved: one saying 'Resolved.' is added at resolvedWhen"
            result.notes.append(incident.note(said, line_of("resolvedWhen")))
    elif not resolved and incident.updates[-1].status == "resolved":
        incident.updates[-1].status = "monitoring"
        result.notes.append(
            incident.note(
                "resolved: is false; its last update is written as monitoring", line_of("resolved")
            )
        )
    for update in incident.updates[:-1]:
        if update.status == "resolved":
            update.status = "monitoring"
    if state is not None and incident.components:
        incident.updates[0].components = dict.fromkeys(incident.components, state)
        if incident.updates[-1].status == "resolved":
            incident.updates[-1].components = dict.fromkeys(incident.components, "operational")
    return incident


def _front_matter(text: str, display: str) -> tuple[dict[str, Any], str, int]:
    """The front matter's keys, the body, and the line the body starts on."""
    fence = text[:3]
    if fence not in ("---", "+++"):
        raise ImportFailed(f"{display}:1: no front matter (a first line of --- or +++)")
    end = text.find(f"\n{fence}", 3)
    if end < 0:
        raise ImportFailed(f"{display}:1: its front matter has no closing {fence}")
    raw = text[3:end]
    try:
        data = tomllib.loads(raw) if fence == "+++" else yaml.load(raw, Loader=yaml.BaseLoader)
    except (tomllib.TOMLDecodeError, yaml.YAMLError) as error:
        raise ImportFailed(f"{display}: its front matter cannot be read: {error}") from None
    if not isinstance(data, dict):
        raise ImportFailed(f"{display}:2: its front matter is not a mapping of keys")
    for key in ("resolved", "informational"):  # BaseLoader keeps every scalar a string
        if isinstance(data.get(key), str):
            data[key] = data[key].strip().lower() == "true"
    rest = text.index("\n", end + 1) + 1 if "\n" in text[end + 1 :] else len(text)
    return data, text[rest:], text.count("\n", 0, rest) + 1


def _updates(
    incident: ImportedIncident,
    body: str,
    first_line: int,
    started: datetime,
    zone: ZoneInfo,
    result: Plan,
) -> None:
    """The body's tracked parts as updates, oldest first; the post-mortem as admission."""
    body = _COMMENT.sub(lambda m: "\n" * m.group().count("\n"), body)
    tracked: list[ImportedUpdate] = []
    position = 0
    for match in _TRACK.finditer(body):
        part = body[position : match.start()]
        line = first_line + body.count("\n", 0, match.start())
        position = match.end()
        pieces = _RULE.split(part)
        if len(pieces) > 1 and POSTMORTEM.search(pieces[0][:80]):
            incident.admission = _unlabelled(pieces[0]) or None
            part = "\n".join(pieces[1:])
        at = _moment(match.group(1), zone)
        if at is None:
            result.notes.append(
                incident.note(f"track time {match.group(1)!r} is no time; left out", line)
            )
            continue
        label, message = _label(part)
        tracked.append(ImportedUpdate(at, label or "", message or "Update."))
    rest = body[position:].strip()
    if rest and POSTMORTEM.search(rest[:80]):
        incident.admission = _unlabelled(rest)
    elif rest and tracked:
        line = first_line + body.count("\n", 0, position + body[position:].index(rest))
        result.notes.append(
            incident.note("text after the last tracked time belongs to no update; left out", line)
        )
    elif rest:
        label, message = _label(rest)
        tracked.append(ImportedUpdate(started, label or "", message))
    if not tracked:
        tracked.append(ImportedUpdate(started, "investigating", incident.title))
        result.notes.append(incident.note("its body is empty: its one update says its title"))
    tracked.sort(key=lambda update: update.at)
    status = "investigating"
    for update in tracked:
        status = STATUSES.get(update.status.strip().lower(), status)
        update.status = status
    incident.updates = tracked


def _label(part: str) -> tuple[str | None, str]:
    """A part's leading label, if it is a status, and its text (a label that is no status
    stays in it)."""
    match = _LABEL.match(part)
    text = part.strip()
    if match:
        label = (match["label"] or match["heading"] or "").strip()
        if label.lower() in STATUSES or label.lower() == "update":
            rest = part[match.end() :].strip()
            return label, rest or label
    return None, text


def _unlabelled(text: str) -> str:
    match = _LABEL.match(text)
    return (text[match.end() :] if match else text).strip()


def _moment(value: Any, zone: ZoneInfo) -> datetime | None:
    """A time as cState writes it, in `zone` when it has no offset."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=zone)
    if not isinstance(value, str):
        return None
    match = _TIME.fullmatch(value.strip())
    if not match:
        return None
    day, clock, offset = match.groups()
    if len(clock) == 5:
        clock += ":00"
    moment = datetime.fromisoformat(f"{day}T{clock}")
    if offset is None:
        return moment.replace(tzinfo=zone)
    offset = "+00:00" if offset == "Z" else offset
    return datetime.fromisoformat(f"{day}T{clock}{offset}")

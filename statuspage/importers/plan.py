"""What an import makes, before anything is written: components, incidents, notes.

An importer turns its source into a `Plan`; `incident_text` writes one incident as the
authoring commands write theirs, with a first line that names its source, by which a later
import knows the file as its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from ..authoring.text import message_lines, scalar
from ..authoring.times import format_time

IMPORTED = re.compile(r"# Imported from (?P<source>.+?) by statuspage import\.")
"""The first line of an imported file: the source it came from."""


@dataclass(frozen=True, slots=True)
class Note:
    """Something of the source that could not be mapped as it was, and what was done."""

    file: str
    line: int  # 1-based; 0: the whole file
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class ImportedComponent:
    """A component of the source, by its name there."""

    name: str
    description: str | None = None
    group: str | None = None


@dataclass(slots=True)
class ImportedUpdate:
    at: datetime
    status: str
    message: str
    components: dict[str, str] = field(default_factory=dict)  # component name -> state


@dataclass(slots=True)
class ImportedIncident:
    """One incident or maintenance of the source; components by their names there."""

    source: str  # as the first line says it: "Statuspage incident ljwdk6qml8z8"
    file: str
    line: int
    title: str
    updates: list[ImportedUpdate]
    impact: str | None = None  # None for maintenance
    components: list[str] = field(default_factory=list)
    maintenance: bool = False
    scheduled_for: datetime | None = None
    scheduled_until: datetime | None = None
    began_at: datetime | None = None
    admission: str | None = None
    language: str | None = None

    def note(self, message: str, line: int | None = None) -> Note:
        """A Note about this incident, at `line` of its file (default: where it starts)."""
        return Note(self.file, self.line if line is None else line, f"{self.source}: {message}")


@dataclass(slots=True)
class Plan:
    """Everything one import read: components in the source's order, incidents, notes."""

    components: list[ImportedComponent] = field(default_factory=list)
    incidents: list[ImportedIncident] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)

    def component(
        self, name: str, description: str | None = None, group: str | None = None
    ) -> None:
        """Know the component `name`; what its first mention said stays."""
        if not any(folded(c.name) == folded(name) for c in self.components):
            self.components.append(ImportedComponent(" ".join(name.split()), description, group))


def folded(name: str) -> str:
    """A component's name as names are compared: case and runs of spaces aside."""
    return " ".join(name.split()).casefold()


def incident_text(incident: ImportedIncident, ids: dict[str, str]) -> str:
    """The incident file's text, components named by their ids in the site (`ids`: by the
    casefolded name)."""

    def cid(name: str) -> str:
        return ids[folded(name)]

    lines = [
        f"# Imported from {incident.source} by statuspage import.",
        f"title: {scalar(incident.title)}",
    ]
    if incident.maintenance:
        lines.append("kind: maintenance")
    if incident.impact is not None:
        lines.append(f"impact: {incident.impact}")
    if incident.components:
        lines.append(f"components: [{', '.join(cid(name) for name in incident.components)}]")
    if incident.scheduled_for is not None and incident.scheduled_until is not None:
        lines += [
            f"scheduled_for: {format_time(incident.scheduled_for)}",
            f"scheduled_until: {format_time(incident.scheduled_until)}",
        ]
    if incident.began_at is not None:
        lines.append(f"began_at: {format_time(incident.began_at)}")
    if incident.language is not None:
        lines.append(f"language: {incident.language}")
    lines.append("updates:")
    for update in incident.updates:
        lines += [f"  - at: {format_time(update.at)}", f"    status: {update.status}"]
        lines += message_lines(update.message, "    ")
        if update.components:
            states = ", ".join(f"{cid(name)}: {state}" for name, state in update.components.items())
            lines.append(f"    components: {{{states}}}")
    if incident.admission:
        lines += message_lines(incident.admission, "", "admission")
    return "\n".join(lines) + "\n"

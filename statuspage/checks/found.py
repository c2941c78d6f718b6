"""What the rules of `check` look at (`Subject`), and what each finding is (`Found`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import datetime
from pathlib import Path

from ..model import Incident, IncidentSummary, Site
from ..model.checks import CheckSettings
from ..model.incident import as_at
from ..sources.inputs import InputFile
from ..sources.positions import FilePositions

Found = tuple[str, int, int, str]
"""One finding of a rule: path, line, column and the warning's text."""


class Subject:
    """The site at the check's clock, with each incident's whole text and positions on demand.

    A build keeps only summaries of unchanged files; rules that read text load the files
    they need, once each.
    """

    def __init__(
        self,
        site: Site,
        now: datetime,
        files: Mapping[str, InputFile],
        load: Callable[[InputFile], Incident | None],
        config_text: str | None,
    ) -> None:
        self.site = site
        self.now = now
        self.zone = site.config.zone
        self.settings: CheckSettings = site.config.checks
        self.config_text = config_text
        self._files = files
        self._load = load
        self._full: dict[str, Incident | None] = {}
        self._positions: dict[str, FilePositions | None] = {}
        self._paths = {entry.display: entry for entry in files.values()}

    def incidents(self) -> Iterator[IncidentSummary]:
        """Every incident and maintenance, as it stands at the clock, newest first."""
        return iter(self.site.incidents)

    def file_incident(self, incident: IncidentSummary) -> Incident | None:
        """The incident's whole text as its file says (None: its file changed since)."""
        if incident.id not in self._full:
            entry = self._files.get(incident.id)
            self._full[incident.id] = self._load(entry) if entry is not None else None
        return self._full[incident.id]

    def full(self, incident: IncidentSummary) -> Incident | None:
        """The incident's whole text, as it stands at the clock (None: its file changed)."""
        loaded = self.file_incident(incident)
        return loaded if loaded is None or self.site.now is None else as_at(loaded, self.site.now)

    def forget(self, incident: IncidentSummary) -> None:
        """Let go of the incident's text and positions, read again if asked for once more: a
        check of a large site holds one file's at a time, not every file's."""
        self._full.pop(incident.id, None)
        self._positions.pop(incident.path, None)

    def positions(self, incident: IncidentSummary) -> FilePositions | None:
        """Where the parts of the incident's file are."""
        return self.positions_at(incident.path)

    def positions_at(self, path: str) -> FilePositions | None:
        """Where the parts of the incident file at `path` (as displayed) are."""
        if path not in self._positions:
            entry = self._paths.get(path)
            text = None
            if entry is not None:
                try:
                    text = Path(entry.path).read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    text = None
            self._positions[path] = FilePositions.read(path, text) if text is not None else None
        return self._positions[path]

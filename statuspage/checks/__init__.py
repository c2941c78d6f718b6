"""What `check` says beyond problems: warnings about what the site tells its readers.

A problem stops the build; a warning does not, and says what the page should say instead.
Each rule has an id, shown as `warning[id]`, by which statuspage.yaml's `checks:` tunes or
turns it off and a comment in a file silences it there (see `silence`). The rules and their
settings are listed once, in `model.checks.RULE_SPECS`; RULES gives each its code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from typing import Any, NamedTuple

from .. import __version__
from ..model import Incident, IncidentSummary, Site
from ..model.checks import RULE_IDS
from ..model.incident import file_digest
from ..render.jobs import digest
from ..sources.inputs import CONFIG_FILE, InputFile
from . import outages, text, timeliness
from .found import Found, Subject
from .silence import Silences


class Finding(NamedTuple):
    """One warning: where, which rule, and what to do."""

    path: str
    line: int
    column: int
    rule: str
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: warning[{self.rule}]: {self.text}"


SiteFinder = Callable[[Subject], list[Found]]
FileFinder = Callable[[Subject, Incident], list[Found]]


class Rule(NamedTuple):
    """A rule's code: a site rule looks at the site at the clock; a file rule at one
    incident's file alone, whatever the clock, so that its findings keep until the file
    changes."""

    site: SiteFinder | None = None
    file: FileFinder | None = None


RULES: Mapping[str, Rule] = {
    "unadmitted-outage": Rule(site=outages.unadmitted_outages),
    "stale-incident": Rule(site=timeliness.stale_incidents),
    "missed-next-update": Rule(site=timeliness.missed_next_updates),
    "late-first-post": Rule(file=timeliness.late_first_post),
    "postmortem-overdue": Rule(site=timeliness.overdue_postmortems),
    "maintenance-unannounced": Rule(site=timeliness.unannounced_maintenance),
    "maintenance-overrun": Rule(site=timeliness.overrun_maintenance),
    "admission-apology": Rule(file=text.admission_without_apology),
    "admission-scope": Rule(file=text.admission_without_scope),
    "resolution-impact": Rule(file=text.resolution_without_impact),
    "jargon": Rule(file=text.jargon),
    "blame": Rule(file=text.blame),
    "vague": Rule(file=text.vague),
}
if tuple(RULES) != RULE_IDS:  # pragma: no cover - a rule named in one list and not the other
    raise TypeError("statuspage.checks.RULES and model.checks.RULE_SPECS list other rules")

FileMemo = dict[str, Any]
"""What file rules found, kept between checks: {"key": ..., "files": {path: (digest, found)}}."""


def warnings(
    site: Site,
    now: datetime,
    files: Mapping[str, InputFile],
    load: Callable[[InputFile], Incident | None],
    config_text: str | None = None,
    memo: FileMemo | None = None,
) -> tuple[list[Finding], FileMemo]:
    """Every rule's warnings about `site` at `now`, sorted, but those turned off or silenced;
    and the memo of file rules' findings to give the next check.

    `files` holds each incident's file by id, and `load` reads one in full; `config_text`
    is statuspage.yaml's text, for the positions and silences of warnings about it. `memo`
    is what the last check returned: the files unchanged since are not read again.
    """
    subject = Subject(site.at(now), now, files, load, config_text)
    settings = site.config.checks
    key = digest(__version__, repr(settings))
    saved = memo["files"] if memo is not None and memo.get("key") == key else {}
    kept: dict[str, tuple[str, list[tuple[int, int, str, str]]]] = {}
    found: list[Finding] = []
    for incident in subject.incidents():
        file = file_digest(incident.digest)
        entry = saved.get(incident.path)
        if entry is None or entry[0] != file:
            entry = (file, _file_findings(subject, incident))
            subject.forget(incident)
        kept[incident.path] = entry
        found += [Finding(incident.path, *f) for f in entry[1]]
    silences: dict[str, Silences] = {}
    for rule, code in RULES.items():
        if code.site is None:
            continue
        for path, line, column, message in code.site(subject):
            if path not in silences:
                silences[path] = Silences.read(_text_of(subject, path))
            if not silences[path].silenced(rule, line):
                found.append(Finding(path, line, column, rule, message))
    found = [f for f in found if f.rule not in settings.off]
    return sorted(found), {"key": key, "files": kept}


def _file_findings(subject: Subject, summary: IncidentSummary) -> list[tuple[int, int, str, str]]:
    """The file rules' findings in one incident's file, silences applied: (line, column,
    rule, text) each, plain values for the memo."""
    incident = subject.file_incident(summary)
    if incident is None:
        return []
    found = [
        (rule, line, column, message)
        for rule, code in RULES.items()
        if code.file is not None
        for _, line, column, message in code.file(subject, incident)
    ]
    if not found:
        return []
    silences = Silences.read(_text_of(subject, summary.path))
    return [
        (line, column, rule, message)
        for rule, line, column, message in found
        if not silences.silenced(rule, line)
    ]


def _text_of(subject: Subject, path: str) -> str:
    if path == CONFIG_FILE:
        return subject.config_text or ""
    positions = subject.positions_at(path)
    return positions.text if positions is not None else ""


__all__ = ["RULES", "FileMemo", "Finding", "Found", "Rule", "Subject", "warnings"]

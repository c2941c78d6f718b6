"""Writing a Plan into the site: missing components into statuspage.yaml, then one file per
incident, each checked as `check` checks it.

statuspage.yaml keeps its every line and comment: the new components are inserted after the
last item of its `components:` list, in its indentation. An incident's file is
`incidents/YYYY/YYYY-MM-DD-<slug>.yaml`, named as `statuspage new` names files; where that
id is taken by a file imported from the same source, the incident was imported before and
is left alone, as is any other file (the new one then takes `-2`, `-3`...). Nothing is
written over a file, and nothing at all when statuspage.yaml would not read back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..authoring.new import slug
from ..authoring.text import checked, scalar
from ..authoring.update import create_whole, replace_whole
from ..errors import SourceError, UsageError, ValidationFailed
from ..model import Config
from ..sources.config import read_config
from ..sources.inputs import CONFIG_FILE, INCIDENTS_DIR, InputFile, scan
from ..sources.loader import brand_files
from ..sources.textfile import decode, read_bytes
from ..sources.yamlio import SourceFile
from .plan import IMPORTED, ImportedComponent, ImportedIncident, Note, Plan, folded, incident_text

_COMPONENTS = re.compile(r"components\s*:\s*(#.*)?")


@dataclass(slots=True)
class Report:
    """What an import did, or would do with dry_run."""

    written: list[tuple[str, str]] = field(default_factory=list)  # file, source
    kept: list[tuple[str, str]] = field(default_factory=list)  # file, source: imported before
    beside: list[tuple[str, str]] = field(default_factory=list)  # a file not ours; ours
    added: list[tuple[str, ImportedComponent]] = field(default_factory=list)  # id, component
    notes: list[Note] = field(default_factory=list)
    refused: list[tuple[str, tuple[SourceError, ...]]] = field(default_factory=list)


def apply(root: Path, plan: Plan, dry_run: bool = False) -> Report:
    """Write `plan` into the site at `root` (with dry_run: only say what would be written).

    ValidationFailed when statuspage.yaml has problems, or would have them with the new
    components; UsageError when its components: list is not one to add lines to.
    """
    sources = scan(root)
    if sources.config is None:
        raise UsageError(f"no {CONFIG_FILE} in {root}; run statuspage init first, or pass --root")
    text = _text(Path(sources.config.path))
    brand = brand_files(sources)
    config = _config(text, brand)
    report = Report(notes=list(plan.notes))
    ids = {folded(c.name): c.id for c in config.components}
    taken = {c.id for c in config.components}
    for component in plan.components:
        if folded(component.name) not in ids:
            cid = _unique(_component_id(component.name), taken)
            ids[folded(component.name)] = cid
            report.added.append((cid, component))
    if report.added:
        text = with_components(text, report.added)
        config = _config(text, brand)
    writes = _incident_files(root, config, plan.incidents, sources.incidents, ids, report)
    if dry_run:
        return report
    if report.added:
        replace_whole(Path(sources.config.path), text)
    for path, incident_file_text in writes:
        path.parent.mkdir(parents=True, exist_ok=True)
        create_whole(path, incident_file_text)
    return report


def _incident_files(
    root: Path,
    config: Config,
    incidents: list[ImportedIncident],
    existing: tuple[InputFile, ...],
    ids: dict[str, str],
    report: Report,
) -> list[tuple[Path, str]]:
    """The files to write, each checked; what is left alone or refused goes in `report`."""
    files = {entry.stem: entry for entry in existing}
    planned: dict[str, str] = {}  # the ids this import writes, and their sources

    def source(incident_id: str) -> str | None:
        if incident_id in planned:
            return planned[incident_id]
        return _source_of(files[incident_id].path)

    writes: list[tuple[Path, str]] = []
    for incident in sorted(incidents, key=lambda i: (i.updates[0].at, i.source)):
        day = incident.updates[0].at.astimezone(config.zone).date().isoformat()
        base = f"{day}-{slug(incident.title)}"
        incident_id, n = base, 1
        while (incident_id in files or incident_id in planned) and source(
            incident_id
        ) != incident.source:
            n += 1
            incident_id = f"{base}-{n}"
        if incident_id in files:
            report.kept.append((files[incident_id].display, incident.source))
            continue
        if incident_id in planned:  # the source holds it twice
            continue
        display = f"{INCIDENTS_DIR}/{day[:4]}/{incident_id}.yaml"
        if base in files and base != incident_id:
            report.beside.append((files[base].display, display))
        text = incident_text(incident, ids)
        try:
            checked(text, display, incident_id, config)
        except ValidationFailed as failure:
            report.refused.append((incident.source, failure.problems))
            continue
        planned[incident_id] = incident.source
        writes.append((root / display, text))
        report.written.append((display, incident.source))
    return writes


def _source_of(path: str) -> str | None:
    """The source an incident file was imported from, as its first line names it."""
    try:
        with Path(path).open(encoding="utf-8", errors="replace") as file:
            first = file.readline()
    except OSError:
        return None
    match = IMPORTED.match(first)
    return match["source"] if match else None


def with_components(text: str, added: list[tuple[str, ImportedComponent]]) -> str:
    """statuspage.yaml's `text` with the `added` components after the last of its list."""
    lines = text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if _COMPONENTS.fullmatch(line.rstrip())), None)
    if start is None:
        raise _by_hand(added, "it has no components: list written one item per line")
    indent: int | None = None
    last = start
    for i in range(start + 1, len(lines)):
        line = lines[i].rstrip()
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        at = len(line) - len(line.lstrip(" "))
        if indent is None:
            if not stripped.startswith("-"):
                raise _by_hand(added, "its components: list is not written one item per line")
            indent = at
        if at < indent or (at == indent and not stripped.startswith("-")):
            break
        last = i
    if indent is None:
        raise _by_hand(added, "its components: list is empty")
    newline = "\r\n" if "\r\n" in text else "\n"
    if not lines[last].endswith(("\n", "\r")):
        lines[last] += newline
    entries = "".join(
        "".join(line + newline for line in _entry(cid, component, " " * indent))
        for cid, component in added
    )
    return "".join(lines[: last + 1]) + entries + "".join(lines[last + 1 :])


def _entry(cid: str, component: ImportedComponent, indent: str) -> list[str]:
    lines = [f"{indent}- id: {cid}", f"{indent}  name: {scalar(component.name)}"]
    if component.description:
        lines.append(f"{indent}  description: {scalar(' '.join(component.description.split()))}")
    if component.group:
        lines.append(f"{indent}  group: {scalar(component.group)}")
    return lines


def _by_hand(added: list[tuple[str, ImportedComponent]], why: str) -> UsageError:
    entries = "\n".join(line for cid, c in added for line in _entry(cid, c, "  "))
    return UsageError(
        f"{CONFIG_FILE}: cannot add the imported components, as {why}; add these under "
        f"components: and import again (nothing was written):\n{entries}"
    )


def _component_id(name: str) -> str:
    made = slug(name)
    return made if made != "incident" or "incident" in name.lower() else "component"


def _unique(base: str, taken: set[str]) -> str:
    cid, n = base, 1
    while cid in taken:
        n += 1
        cid = f"{base}-{n}"
    taken.add(cid)
    return cid


def _text(path: Path) -> str:
    file = SourceFile(CONFIG_FILE)
    data = read_bytes(str(path), file)
    text = decode(data, file) if data is not None else None
    if text is None:
        raise ValidationFailed(file.problems)
    return text


def _config(text: str, brand: dict[str, str]) -> Config:
    file = SourceFile(CONFIG_FILE)
    config = read_config(text, file, brand_files=brand)
    if config is None:
        raise ValidationFailed(file.problems)
    return config


def describe(report: Report, dry_run: bool = False) -> tuple[list[str], bool]:
    """What `import` prints of `report`, and whether every incident could be written."""
    would = "Would write" if dry_run else "Wrote"
    lines = [f"{would} {path} ({source})." for path, source in report.written]
    lines += [f"Left {path} alone: imported before ({source})." for path, source in report.kept]
    lines += [
        f"Left {path} alone: it was not imported; the import is {ours}."
        for path, ours in report.beside
    ]
    if report.added:
        added = ", ".join(f"{cid} ({component.name})" for cid, component in report.added)
        verb = "Would add" if dry_run else "Added"
        count = len(report.added)
        lines.append(f"{verb} {count} component{'s' * (count != 1)} to {CONFIG_FILE}: {added}.")
    for source, problems in report.refused:
        lines.append(f"Could not write {source}; it would have these problems:")
        lines += [f"  {problem}" for problem in problems]
    if report.notes:
        lines.append("Not mapped as it was:")
        lines += [f"  {note}" for note in report.notes]
    lines.append(
        f"{len(report.written)} written, {len(report.kept)} left alone, "
        f"{len(report.refused)} refused, {len(report.notes)} notes."
        + (" Nothing was written (--dry-run)." if dry_run else "")
    )
    if report.written and not dry_run:
        lines.append("Next: statuspage check, then statuspage build.")
    return lines, not report.refused

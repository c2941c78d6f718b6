"""Load a site from its root folder: every file read, every problem collected, or one Site."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from .config import CONFIG_FILE, id_problem, read_config
from .errors import SourceError, ValidationFailed
from .incidentfile import read_incident
from .models import Config, Incident, Site
from .yamlio import SourceFile

INCIDENTS_DIR = "incidents"


def load_site(root: Path) -> Site:
    """Read statuspage.yaml and every incident under `root`.

    Raises ValidationFailed listing every problem found, sorted.
    """
    problems: list[SourceError] = []
    config = _load_config(root, problems)
    known = {c.id for c in config.components} if config is not None else None
    incidents: list[Incident] = []
    first_path: dict[str, str] = {}
    for path, display in incident_files(root, problems):
        incident_id = path.stem
        file = SourceFile(display)
        problem = id_problem(incident_id, "incident id")
        if problem:
            file.report(None, f"{problem}; the id is the file name, so rename the file")
        elif incident_id in first_path:
            file.report(
                None,
                f"duplicate incident id '{incident_id}' (also {first_path[incident_id]}); "
                f"ids are file names and must be unique across {INCIDENTS_DIR}/",
            )
        else:
            first_path[incident_id] = display
        text = _read_text(path, file)
        incident = read_incident(text, file, incident_id, known) if text is not None else None
        problems.extend(file.problems)
        if incident is not None and not file.problems:
            incidents.append(incident)
    if problems or config is None:
        raise ValidationFailed(problems)
    incidents.sort(key=lambda i: (i.sort_at, i.id), reverse=True)
    return Site(config=config, incidents=tuple(incidents))


def incident_files(root: Path, problems: list[SourceError]) -> Iterator[tuple[Path, str]]:
    """Each incident file under root/incidents, sorted, with its path as shown in messages."""
    base = root / INCIDENTS_DIR
    if not base.is_dir():
        return
    found: list[tuple[str, Path]] = []
    for path in base.rglob("*"):
        relative = path.relative_to(root)
        if any(part.startswith(".") for part in relative.parts) or not path.is_file():
            continue
        display = relative.as_posix()
        if path.suffix == ".yaml":
            found.append((display, path))
        elif path.suffix == ".yml":
            problems.append(
                SourceError(
                    display, 1, 1, f"incident files end in .yaml; rename it to {path.stem}.yaml"
                )
            )
    for display, path in sorted(found):
        yield path, display


def _load_config(root: Path, problems: list[SourceError]) -> Config | None:
    path = root / CONFIG_FILE
    file = SourceFile(CONFIG_FILE)
    if not path.is_file():
        problems.append(
            SourceError(
                CONFIG_FILE,
                0,
                0,
                f"not found in {root}; run statuspage in the site's folder or pass --root",
            )
        )
        return None
    text = _read_text(path, file)
    config = read_config(text, file) if text is not None else None
    problems.extend(file.problems)
    return config


def _read_text(path: Path, file: SourceFile) -> str | None:
    try:
        data = path.read_bytes()
    except OSError as exc:
        file.report(None, f"cannot be read: {exc.strerror}")
        return None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        file.report(
            None,
            f"is not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            f"save it as UTF-8",
        )
        return None

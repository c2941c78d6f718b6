"""`statuspage new`: the file of a new incident or maintenance, written for its author.

The file is `incidents/YYYY/YYYY-MM-DD-<slug>.yaml` (the day and year of its first update,
in the site's time zone; `-2`, `-3`... where that id is taken), in the layout of the
example site's files. Its text is checked exactly as `check` checks it before anything is
written; it is then written whole or not at all, and never over an existing file.
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import UsageError
from ..model import Config, Impact, Status
from ..sources.yamlio import did_you_mean
from .text import checked, in_words, message_lines, scalar
from .times import format_time
from .update import create_whole

INCIDENT_STATUSES = ("investigating", "identified", "monitoring", "resolved")
MAINTENANCE_STATUSES = ("scheduled", "in_progress", "completed")
SLUG_LENGTH = 50  # at most, cut after a word
TEMPLATE_WIDTH = 80  # the template's lines: with their indent, within 86 columns

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True, slots=True)
class NewIncident:
    """What `statuspage new` was told."""

    title: str
    components: tuple[str, ...]
    at: datetime
    message: str | None  # None: the template's
    impact: str = "minor"
    status: str | None = None  # None: investigating, or scheduled for maintenance
    maintenance: bool = False
    start: datetime | None = None  # maintenance only
    end: datetime | None = None


def slug(title: str) -> str:
    """The title as a file name: ASCII letters, digits and hyphens, at most SLUG_LENGTH."""
    ascii_title = unicodedata.normalize("NFKD", title).encode("ascii", "ignore").decode()
    words = _NOT_SLUG.sub(" ", ascii_title.lower()).split()
    kept: list[str] = []
    for word in words:
        if kept and len("-".join([*kept, word])) > SLUG_LENGTH:
            break
        kept.append(word[:SLUG_LENGTH])
    return "-".join(kept) or "incident"


def incident_file(root: Path, taken: set[str], day: str, title: str) -> tuple[str, Path]:
    """The new incident's id and file: the day and the title's slug, made unique."""
    base = f"{day}-{slug(title)}"
    incident_id, n = base, 1
    while incident_id in taken:
        n += 1
        incident_id = f"{base}-{n}"
    return incident_id, root / "incidents" / day[:4] / f"{incident_id}.yaml"


def write_new(root: Path, config: Config, taken: set[str], new: NewIncident) -> Path:
    """Write the new incident's file under `root` and return its path; UsageError for a
    request that cannot make a valid file, ValidationFailed if the text would not pass
    `check` (neither writes anything)."""
    _check_request(config, new)
    zone = config.zone
    day = new.at.astimezone(zone).date().isoformat()
    incident_id, path = incident_file(root, taken, day, new.title)
    text = incident_text(config, new)
    display = path.relative_to(root).as_posix()
    checked(text, display, incident_id, config)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        create_whole(path, text)
    except FileExistsError:
        raise UsageError(f"{display} exists already; nothing was written") from None
    return path


def incident_text(config: Config, new: NewIncident) -> str:
    """The YAML text of the new incident's file."""
    status = new.status or ("scheduled" if new.maintenance else "investigating")
    if new.message is not None:
        message = new.message
    else:  # wrapped as the example site's files are
        message = "\n".join(textwrap.wrap(template(config, new, status), TEMPLATE_WIDTH))
    lines = [f"title: {scalar(new.title)}"]
    if new.maintenance:
        assert new.start is not None and new.end is not None
        lines += [
            "kind: maintenance",
            f"components: [{', '.join(new.components)}]",
            f"scheduled_for: {format_time(new.start)}",
            f"scheduled_until: {format_time(new.end)}",
        ]
    else:
        lines += [f"impact: {new.impact}", f"components: [{', '.join(new.components)}]"]
    lines += [
        "updates:",
        f"  - at: {format_time(new.at)}",
        f"    status: {status}",
        *message_lines(message, "    "),
    ]
    return "\n".join(lines) + "\n"


def template(config: Config, new: NewIncident, status: str) -> str:
    """The first update's message when the author gave none: a plain start to edit."""
    what = in_words([c.name for c in config.components if c.id in new.components])
    if new.maintenance:
        assert new.start is not None and new.end is not None
        zone = config.zone
        start, end = new.start.astimezone(zone), new.end.astimezone(zone)
        return (
            f"We will carry out maintenance on {what} on {start:%A} {start.day} {start:%B} from "
            f"{start:%H:%M} to {end:%H:%M} ({start:%Z}). We will post here when it starts "
            "and when it is done."
        )
    if status == "investigating":
        return (
            f"We are investigating a problem with {what}. We will post an update within 30 minutes."
        )
    return (
        f"{Status(status).label}: a problem with {what}. We will post an update within 30 minutes."
    )


def _check_request(config: Config, new: NewIncident) -> None:
    known = [c.id for c in config.components]
    if not new.components:
        raise UsageError(
            "name the components it affects with --component, one or more of: " + ", ".join(known)
        )
    for component in new.components:
        if component not in known:
            hint = did_you_mean(component, known, "the site's are " + ", ".join(known))
            raise UsageError(f"--component {component}: no such component; {hint}")
    allowed: Sequence[str] = MAINTENANCE_STATUSES if new.maintenance else INCIDENT_STATUSES
    if new.status is not None and new.status not in allowed:
        kind = "maintenance" if new.maintenance else "an incident"
        raise UsageError(
            f"--status {new.status}: not a status of {kind}; one of {', '.join(allowed)}"
        )
    if new.maintenance:
        if new.start is None or new.end is None:
            raise UsageError("maintenance needs its window: --from TIME --until TIME")
        if new.end <= new.start:
            raise UsageError("--until must be after --from")
    elif new.start is not None or new.end is not None:
        raise UsageError("--from and --until are for maintenance: add --maintenance")
    if new.impact not in {i.value for i in Impact}:
        raise UsageError(f"--impact {new.impact}: one of {', '.join(i.value for i in Impact)}")
    if not new.title.strip():
        raise UsageError("the title is empty: say in a few words what is wrong")

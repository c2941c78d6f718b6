"""`statuspage update` and `statuspage resolve`: an update added to an incident's file as text.

The file is never read into YAML and written back (that would drop its comments and change
its layout): the new update's lines go in after the last line of its `updates:` list, in
the list's own indentation, and every other byte stays as it was. The new text is checked
as `check` checks it before the file is touched; it then replaces the file whole (a new
file renamed over it), so an update that is wrong, or a crash, leaves the file as it was.
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..errors import UsageError
from ..model import ComponentState, Config
from ..sources.inputs import InputFile
from ..sources.yamlio import did_you_mean
from .text import checked, in_words, message_lines
from .times import format_time

_UPDATES = re.compile(r"updates:[ \t]*(?:#.*)?\r?\n?")
_ITEM = re.compile(r"([ \t]*)-([ \t]+)\S")


@dataclass(frozen=True, slots=True)
class NewUpdate:
    """What `statuspage update` was told."""

    status: str
    message: str
    at: datetime
    states: Mapping[str, str]  # component id -> state, as the update sets them


def find_file(incidents: Sequence[InputFile], incident_id: str) -> InputFile:
    """The incident file whose id is `incident_id`; a UsageError naming the closest."""
    for entry in incidents:
        if entry.stem == incident_id:
            return entry
    ids = sorted(entry.stem for entry in incidents)
    hint = did_you_mean(incident_id, ids, "give the incident's file name, without .yaml")
    raise UsageError(f"no incident '{incident_id}'; {hint}")


def parse_states(pairs: Sequence[str], config: Config) -> dict[str, str]:
    """`--component api=partial_outage` options, checked against the site's components."""
    known = [c.id for c in config.components]
    states = [state.value for state in ComponentState]
    found: dict[str, str] = {}
    for pair in pairs:
        cid, equals, state = pair.partition("=")
        if not equals:
            raise UsageError(
                f"--component {pair}: write it as ID=STATE, such as api=partial_outage"
            )
        if cid not in known:
            hint = did_you_mean(cid, known, "the site's are " + ", ".join(known))
            raise UsageError(f"--component {pair}: no component '{cid}'; {hint}")
        if state not in states:
            hint = did_you_mean(state, states, "one of " + ", ".join(states))
            raise UsageError(f"--component {pair}: no state '{state}'; {hint}")
        found[cid] = state
    return found


def append_update(config: Config, entry: InputFile, update: NewUpdate) -> int:
    """Add `update` to the incident file `entry` and return its number; ValidationFailed
    (the file untouched) if the result would not pass `check`."""
    updated = with_update(file_text(entry), entry.display, update)
    incident = checked(updated, entry.display, entry.stem, config)
    replace_whole(Path(entry.path), updated)
    return len(incident.updates)


def with_update(text: str, display: str, update: NewUpdate) -> str:
    """`text` with `update`'s lines after the last line of its `updates:` list."""
    lines = text.splitlines(keepends=True)
    start = next((n for n, line in enumerate(lines) if _UPDATES.fullmatch(line)), None)
    if start is None:
        raise UsageError(
            f"{display}: found no 'updates:' line starting a list of updates; add the update "
            "by hand"
        )
    end = start + 1  # after the list's last line: blank lines and comments stay after it
    indent: str | None = None
    for n in range(start + 1, len(lines)):
        line = lines[n]
        if not line.strip() or line.startswith("#"):
            continue
        if not line[0].isspace() and not line.startswith("-"):
            break  # the next key of the file
        item = _ITEM.match(line)
        if indent is None and item:
            indent, gap = item.group(1), item.group(2)
        end = n + 1
    if indent is None:
        raise UsageError(f"{display}: the 'updates:' list has no update to follow; add it by hand")
    inner = " " * (len(indent) + 1 + len(gap))
    item_lines = [
        f"{indent}-{gap}at: {format_time(update.at)}",
        f"{inner}status: {update.status}",
        *message_lines(update.message, inner),
    ]
    if update.states:
        states = ", ".join(f"{cid}: {state}" for cid, state in update.states.items())
        item_lines.append(f"{inner}components: {{{states}}}")
    newline = "\r\n" if lines[start].endswith("\r\n") else "\n"
    before = lines[:end]
    if before and not before[-1].endswith("\n"):
        before[-1] += newline
    added = "".join(line + newline for line in item_lines)
    return "".join(before) + added + "".join(lines[end:])


def resolving(config: Config, entry: InputFile, message: str | None, at: datetime) -> NewUpdate:
    """The update that ends the incident in `entry`: resolved (completed, for maintenance),
    with every component it left in another state back to operational."""
    incident = checked(file_text(entry), entry.display, entry.stem, config)
    if not incident.is_open:
        raise UsageError(f"{entry.display}: '{entry.stem}' is not open; nothing to resolve")
    status = "completed" if incident.is_maintenance else "resolved"
    names = {c.id: c.name for c in config.components}
    affected = [names[cid] for cid in incident.components if cid in names]
    if message is None:
        what = in_words(affected)
        message = (
            "The maintenance is complete: everything works as usual."
            if incident.is_maintenance
            else f"This incident is resolved: {what} work normally again."
        )
    last = incident.updates[-1].states
    states = {cid: "operational" for cid, state in last if state is not ComponentState.OPERATIONAL}
    return NewUpdate(status, message, at, states)


def file_text(entry: InputFile) -> str:
    """The incident file's text as it is now."""
    return Path(entry.path).read_bytes().decode("utf-8")


def create_whole(path: Path, text: str) -> None:
    """Write `text` to the new file `path` at once, never over a file: FileExistsError when
    `path` exists."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        temporary.write_text(text, encoding="utf-8")
        os.link(temporary, path)  # whole at once, and never over another file
    finally:
        temporary.unlink(missing_ok=True)


def replace_whole(path: Path, text: str) -> None:
    """Write `text` to `path` at once: into a new file beside it, renamed over it, with its
    permissions."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as file:
            file.write(text)
        temporary.chmod(stat.S_IMODE(path.stat().st_mode))
        temporary.replace(path)
    finally:
        temporary.unlink(missing_ok=True)

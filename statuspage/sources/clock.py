"""Times after the build's clock: a page must not say that something happened in the future.

A time in the future is almost always a wrong UTC offset (14:00 written with +00:00 by
someone at +03:00), and a page showing it would say an update was posted hours from now.
The summaries a build keeps hold every time, so finding such an incident costs a look at
each summary's newest time; only the files found are read again, for the lines to name.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from ..errors import SourceError
from ..model import IncidentSummary
from .positions import FilePositions, Position
from .textfile import decode, read_bytes
from .yamlio import SourceFile

CLOCK_SKEW = timedelta(minutes=2)
"""How far past the build's clock a time may be: the clocks of the writer's machine and of
the one that builds may differ by this much."""

# The keys of an incident file that say when something has already happened.
_TOP_TIMES = ("began_at", "detected_at", "postmortem_at")
_UPDATE_TIMES = ("at", "edited_at")


def future_problems(
    incidents: Iterable[IncidentSummary], paths: Mapping[str, str], now: datetime
) -> list[SourceError]:
    """A problem at every time in `incidents`' files that is after `now` (give or take
    CLOCK_SKEW); `paths` holds each incident's file by id."""
    latest = now + CLOCK_SKEW
    problems: list[SourceError] = []
    for incident in incidents:
        if incident.updated_at > latest or incident.created_at > latest:
            problems += _in_file(incident.path, paths[incident.id], now, latest)
    return sorted(problems)


def _in_file(display: str, path: str, now: datetime, latest: datetime) -> list[SourceError]:
    file = SourceFile(display)
    data = read_bytes(path, file)
    text = decode(data, file) if data is not None else None
    positions = FilePositions.read(display, text) if text is not None else None
    if positions is None:  # changed since it was read: the next build reads it afresh
        return [SourceError(display, 1, 1, "changed during the build; build again")]
    found: list[tuple[Position, str, datetime]] = []
    entries = [(positions.top, _TOP_TIMES)] + [
        (entry, _UPDATE_TIMES) for entry in positions.updates
    ]
    for entry, keys in entries:
        for key in keys:
            node = entry.values.get(key)
            moment = _time(node.value) if node is not None and hasattr(node, "value") else None
            if isinstance(moment, datetime) and moment > latest:
                found.append((entry.value(key), key, moment))
    return [
        SourceError(display, line, column, _message(key, moment, now))
        for (line, column), key, moment in found
    ]


def _time(value: object) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = datetime.fromisoformat(value.strip().upper())
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def _message(key: str, moment: datetime, now: datetime) -> str:
    from ..render.timefmt import format_duration

    ahead = format_duration(moment - now)
    return (
        f"'{key}' ({moment.isoformat()}) is {ahead} in the future (the build's clock says "
        f"{now.isoformat()}); check the UTC offset, or build with --now"
    )

"""The rules about time: an open incident gone quiet, a promise broken, a late first post, a
postmortem overdue, a maintenance window that began or ended without a word.

Readers judge an incident by how soon and how often it is spoken of (PagerDuty's guidance:
post early, then at a steady cadence, and say when the next update will come).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from ..model import Incident, IncidentSummary
from ..model.checks import postmortem_due
from ..model.incident import file_digest
from ..render.timefmt import format_duration, format_promise, format_time
from .found import Found, Subject


def stale_incidents(subject: Subject) -> list[Found]:
    """Open incidents whose last update is older than the rule's `after` and promised no
    next one (a promise is missed-next-update's to keep)."""
    after = subject.settings.duration("stale-incident", "after")
    now, zone = subject.now, subject.zone
    found = []
    for incident in subject.site.open:
        if incident.is_maintenance:
            continue
        last = incident.update_times[-1]
        if now - last <= after:
            continue
        full = subject.full(incident)
        positions = subject.positions(incident)
        if full is None or positions is None:
            continue
        if full.next_update is not None:  # promised: missed-next-update's, once due
            continue
        line, column = positions.update(len(full.updates)).start
        text = (
            f"open for {format_duration(now - incident.started_at)} and not updated for "
            f"{format_duration(now - last)} (last at {format_time(last, zone)}); post an update "
            f"now, even to say the work goes on, and say when the next one will come"
        )
        found.append((incident.path, line, column, text))
    return found


def missed_next_updates(subject: Subject) -> list[Found]:
    """Open incidents and maintenance whose newest update promised the next by a time past."""
    now, zone = subject.now, subject.zone
    found = []
    for incident in subject.site.open:
        full = subject.full(incident)
        positions = subject.positions(incident)
        if full is None or positions is None or full.next_update is None:
            continue
        promised = full.next_update
        if promised >= now:
            continue
        latest = full.latest
        line, column = positions.update(latest.number).value("next_update")
        text = (
            f"the update at {format_time(latest.at, zone)} promised the next by "
            f"{format_promise(promised, latest.at, zone)}, {format_duration(now - promised)} "
            f"ago; post an update now, and promise a time you can keep"
        )
        found.append((incident.path, line, column, text))
    return found


def late_first_post(subject: Subject, incident: Incident) -> list[Found]:
    """An incident whose first post came later than the rule's `within` after detected_at."""
    within = subject.settings.duration("late-first-post", "within")
    if incident.is_maintenance or incident.detected_at is None:
        return []
    delay = incident.created_at - incident.detected_at
    positions = subject.positions(incident)
    if delay <= within or positions is None:
        return []
    line, column = positions.update(1).value("at")
    text = (
        f"the first post came {format_duration(delay)} after the team noticed "
        f"(detected_at {format_time(incident.detected_at, subject.zone)}); post within "
        f"{format_duration(within)} of noticing, even before the cause is known"
    )
    return [(incident.path, line, column, text)]


def overdue_postmortems(subject: Subject) -> list[Found]:
    """Resolved major and critical incidents still without a postmortem past its due time."""
    now, zone = subject.now, subject.zone
    found = []
    for incident in subject.incidents():
        due = postmortem_due(incident, subject.settings)
        if due is None or now <= due or incident.resolved_at is None:
            continue
        positions = subject.positions(incident)
        if positions is None:
            continue
        line, column = positions.update(len(incident.update_times)).start
        within = subject.settings.duration("postmortem-overdue", "within")
        text = (
            f"resolved {format_duration(now - incident.resolved_at)} ago "
            f"({format_time(incident.resolved_at, zone)}) and no postmortem yet; a "
            f"{incident.impact.value} incident's is due within {format_duration(within)}: "
            f"write admission, cause, fix and prevention, and set postmortem_at"
        )
        found.append((incident.path, line, column, text))
    return found


def unannounced_maintenance(subject: Subject) -> list[Found]:
    """Maintenance whose window began over the rule's `after` ago, still before its end,
    with no update saying the work started."""
    after = subject.settings.duration("maintenance-unannounced", "after")
    now, zone = subject.now, subject.zone

    def lapse(incident: IncidentSummary, start: datetime, end: datetime) -> str | None:
        if not (start + after < now < end) or not _by_window(incident):
            return None
        return (
            f"the window began at {format_time(start, zone)}, {format_duration(now - start)} "
            f"ago, and no update says the work started; post an update with status "
            f"in_progress (until then the page shows it in progress by the window)"
        )

    return _window_lapses(subject, "scheduled_for", lapse)


def overrun_maintenance(subject: Subject) -> list[Found]:
    """Maintenance whose window ended over the rule's `after` ago with no update saying done."""
    after = subject.settings.duration("maintenance-overrun", "after")
    now, zone = subject.now, subject.zone

    def lapse(incident: IncidentSummary, start: datetime, end: datetime) -> str | None:
        # Done by an update, or by the window (completed: nobody said it was done).
        closed_by_update = incident.status.is_closed and not _by_window(incident)
        if not end + after < now or closed_by_update:
            return None
        return (
            f"the window ended at {format_time(end, zone)}, {format_duration(now - end)} ago, "
            f"and no update says the work is done; post one with status completed, or say "
            f"how much longer it will take"
        )

    return _window_lapses(subject, "scheduled_until", lapse)


def _window_lapses(
    subject: Subject,
    key: str,
    lapse: Callable[[IncidentSummary, datetime, datetime], str | None],
) -> list[Found]:
    """A finding at `key` of each maintenance whose window `lapse` has a warning for."""
    found = []
    for incident, start, end in _windows(subject):
        text = lapse(incident, start, end)
        positions = subject.positions(incident) if text is not None else None
        if text is not None and positions is not None:
            line, column = positions.top.value(key)
            found.append((incident.path, line, column, text))
    return found


def _windows(subject: Subject) -> list[tuple[IncidentSummary, datetime, datetime]]:
    return [
        (incident, incident.scheduled_for, incident.scheduled_until)
        for incident in subject.incidents()
        if incident.scheduled_for is not None and incident.scheduled_until is not None
    ]


def _by_window(incident: IncidentSummary) -> bool:
    """True when the maintenance stands as its window says, no update having said otherwise."""
    return file_digest(incident.digest) != incident.digest

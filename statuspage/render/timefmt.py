"""Times and durations as readers see them, independent of the machine's locale."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def iso(moment: datetime, zone: ZoneInfo) -> str:
    """ISO 8601 in the site's zone, for <time datetime>: 2026-11-20T15:10:00+01:00."""
    return moment.astimezone(zone).isoformat()


def format_time(moment: datetime, zone: ZoneInfo) -> str:
    """'20 Nov 2026, 15:10 CET' in the site's zone."""
    return format_local_time(moment.astimezone(zone))


def format_local_time(local: datetime) -> str:
    """'20 Nov 2026, 15:10 CET' for a time already in the site's zone."""
    return (
        f"{local.day} {_MONTHS[local.month - 1]} {local.year}, "
        f"{local.hour:02d}:{local.minute:02d} {local.tzname()}"
    )


def format_date(moment: datetime, zone: ZoneInfo) -> str:
    """'20 Nov 2026' in the site's zone."""
    return format_day(moment.astimezone(zone).date())


def format_day(day: date) -> str:
    """'15 Dec 2026' for a calendar date."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def format_month(moment: datetime, zone: ZoneInfo) -> str:
    """'November 2026' in the site's zone."""
    local = moment.astimezone(zone)
    return f"{_MONTH_NAMES[local.month - 1]} {local.year}"


def format_duration(span: timedelta) -> str:
    """'1 hour 42 minutes', '3 days 4 hours', 'under a minute'."""
    minutes = int(span.total_seconds() // 60)
    if minutes < 1:
        return "under a minute"
    days, rest = divmod(minutes, 24 * 60)
    hours, minutes = divmod(rest, 60)
    if days:
        parts = [_plural(days, "day"), _plural(hours, "hour")]
    else:
        parts = [_plural(hours, "hour"), _plural(minutes, "minute")]
    return " ".join(p for p in parts if p)


def _plural(count: int, unit: str) -> str:
    if count == 0:
        return ""
    return f"{count} {unit}" if count == 1 else f"{count} {unit}s"


def format_ms(value: float) -> str:
    """'120 ms', '1,250 ms', '3.4 ms': a response time in whole milliseconds, tenths under ten."""
    if value < 10:
        return f"{value:.1f} ms".replace(".0 ms", " ms")
    return f"{value:,.0f} ms"


def format_promise(moment: datetime, said_at: datetime, zone: ZoneInfo) -> str:
    """'15:30 CET' for a time promised on the day it was said; '21 Nov 2026, 09:00 CET' else."""
    local, said = moment.astimezone(zone), said_at.astimezone(zone)
    if local.date() == said.date():
        return f"{local.hour:02d}:{local.minute:02d} {local.tzname()}"
    return format_local_time(local)

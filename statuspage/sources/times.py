"""Times as written in input files and options: ISO 8601, always with a UTC offset."""

from __future__ import annotations

import re
from datetime import date, datetime

from .limits import FIRST_YEAR, LAST_YEAR, shown

_DATE_ONLY = re.compile(r"\d{4}-\d\d-\d\d")


def parse_time(raw: str, key: str) -> datetime | str:
    """Parse an ISO 8601 time with a UTC offset; return a message instead when it is not one.

    Years are limited to FIRST_YEAR..LAST_YEAR, so that a build can convert any time to any
    zone, add durations to it and write it in every format without overflowing.
    """
    text = raw.strip()
    quoted = shown(raw)
    try:
        value = datetime.fromisoformat(text.upper())
    except ValueError:
        return f"'{key}' must be a time such as 2026-11-20T14:10:00Z, not '{quoted}'"
    if value.tzinfo is None:
        if _DATE_ONLY.fullmatch(text):
            return (
                f"'{key}' is a date without a time; write the time and its UTC offset, "
                f"such as {text}T09:00:00Z"
            )
        return f"time '{quoted}' has no UTC offset; add Z for UTC or an offset such as +01:00"
    return year_problem(value, key, quoted) or value


def year_problem(value: date, key: str, quoted: str) -> str | None:
    """Why a time or date is out of the years a build handles, or None when it is not."""
    if FIRST_YEAR <= value.year <= LAST_YEAR:
        return None
    return f"'{key}' must be in the years {FIRST_YEAR} to {LAST_YEAR}, not '{quoted}'"

"""Times as written in input files and options: ISO 8601, always with a UTC offset."""

from __future__ import annotations

import re
from datetime import datetime

_DATE_ONLY = re.compile(r"\d{4}-\d\d-\d\d")


def parse_time(raw: str, key: str) -> datetime | str:
    """Parse an ISO 8601 time with a UTC offset; return a message instead when it is not one."""
    text = raw.strip()
    try:
        value = datetime.fromisoformat(text.upper())
    except ValueError:
        return f"'{key}' must be a time such as 2026-11-20T14:10:00Z, not '{raw}'"
    if value.tzinfo is None:
        if _DATE_ONLY.fullmatch(text):
            return (
                f"'{key}' is a date without a time; write the time and its UTC offset, "
                f"such as {text}T09:00:00Z"
            )
        return f"time '{raw}' has no UTC offset; add Z for UTC or an offset such as +01:00"
    return value

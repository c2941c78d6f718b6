"""Times as people type them at 3 a.m., made into the full ISO 8601 times incident files hold.

Accepted, case-insensitively, with `now` the command's clock and `zone` the site's time zone:

- `now`;
- a time ago or ahead: `-10m`, `-2h`, `-1d`, `+30m`, `-1h30m`, `-90s`;
- a clock time today: `14:05`, `14:05:30`, `2:05pm`;
- a day and a time: `2026-12-03 14:05`, `2026-12-03T14:05`;
- any of the last two with a zone after it: an offset (`+01:00`, `-0500`, `Z`), a zone name
  (`Europe/Berlin`, `UTC`), or an abbreviation with one meaning (`CET`, `CEST`, `PST`...);
- a full ISO 8601 time with its offset, kept as it is.

Without a zone, a clock time is the site's: on a day the clocks change, a time that does not
exist there (the hour skipped in spring) or happens twice (the hour repeated in autumn) is
refused with what to write instead, never guessed. A time is written back with its own
offset (the zone's, at that moment) and to the second, as `2026-12-03T14:05:00+01:00`.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ..errors import UsageError

# Abbreviations with one meaning each, as offsets from UTC in minutes. IST (India, Ireland,
# Israel), CST (US, China, Cuba), BST (Britain, Bangladesh) and the like are left out: for
# those an offset or a zone name says what is meant.
ABBREVIATIONS = {
    "UTC": 0, "GMT": 0, "Z": 0,
    "WET": 0, "WEST": 60, "CET": 60, "CEST": 120, "EET": 120, "EEST": 180, "MSK": 180,
    "EST": -300, "EDT": -240, "CDT": -300, "MST": -420, "MDT": -360, "PST": -480, "PDT": -420,
    "AKST": -540, "AKDT": -480, "HST": -600,
    "JST": 540, "KST": 540, "HKT": 480, "SGT": 480, "AEST": 600, "AEDT": 660,
    "ACST": 570, "ACDT": 630, "AWST": 480, "NZST": 720, "NZDT": 780,
}  # fmt: skip

FORMS = "now, -10m, 14:05, 14:05 CET, 2026-12-03 14:05 or 2026-12-03T14:05:00+01:00"

_RELATIVE = re.compile(r"([+-])((?:\d+[dhms])+)")
_PART = re.compile(r"(\d+)([dhms])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes", "s": "seconds"}
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})(?::(\d{2}))?\s*(?:(am|pm)\b)?")
_DAY = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_OFFSET = re.compile(r"([+-])(\d{2}):?(\d{2})")


def read_time(text: str, now: datetime, zone: tzinfo, option: str = "--at") -> datetime:
    """The moment `text` means (see the module's forms), with its offset; a UsageError
    naming `option` and the forms it takes if it means none, or more than one."""
    said = text.strip()
    lowered = said.lower()
    if lowered == "now":
        return _to_the_second(now.astimezone(zone))
    relative = _RELATIVE.fullmatch(lowered)
    if relative:
        parts = {_UNITS[unit]: int(n) for n, unit in _PART.findall(relative.group(2))}
        step = timedelta(**parts)
        moment = now + step if relative.group(1) == "+" else now - step
        return _to_the_second(moment.astimezone(zone))
    try:
        full = datetime.fromisoformat(said)
    except ValueError:
        full = None
    if full is not None and full.tzinfo is not None and ("T" in said or " " in said):
        return full
    return _local(said, now, zone, option)


def _local(said: str, now: datetime, zone: tzinfo, option: str) -> datetime:
    """A clock time, with a day or not, and a zone or not."""
    rest = said
    day = now.astimezone(zone).date()
    found = _DAY.match(rest)
    if found:
        try:
            day = date(*map(int, found.groups()))
        except ValueError:
            raise _wrong(said, option, f"there is no day {found.group()}") from None
        rest = rest[found.end() :].lstrip("Tt ")
    clock = _CLOCK.match(rest.lower())
    if clock is None:
        raise _wrong(said, option)
    at = _clock_time(clock, said, option)
    named = rest[clock.end() :].strip()
    if named:
        zone = _zone(named, said, option)
    return _placed(datetime.combine(day, at), zone, said, option)


def _clock_time(clock: re.Match[str], said: str, option: str) -> time:
    hour, minute = int(clock.group(1)), int(clock.group(2))
    second = int(clock.group(3) or 0)
    meridiem = clock.group(4)
    if meridiem:
        if not 1 <= hour <= 12:
            raise _wrong(said, option, f"{hour} is no hour of a 12-hour clock")
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59 or second > 59:
        raise _wrong(said, option, f"{clock.group().strip()} is no time of day")
    return time(hour, minute, second)


def _zone(named: str, said: str, option: str) -> tzinfo:
    """The zone written after a time: an offset, an abbreviation or an IANA name."""
    offset = _OFFSET.fullmatch(named)
    if offset:
        sign = -1 if offset.group(1) == "-" else 1
        hours, minutes = int(offset.group(2)), int(offset.group(3))
        if hours > 23 or minutes > 59:
            raise _wrong(said, option, f"{named} is no offset")
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
    if named.upper() in ABBREVIATIONS:
        return timezone(timedelta(minutes=ABBREVIATIONS[named.upper()]))
    try:
        return ZoneInfo(named)
    except (ZoneInfoNotFoundError, ValueError):
        raise _wrong(
            said,
            option,
            f"{named!r} is no time zone this knows: write an offset (+01:00), a zone name "
            "(Europe/Berlin) or one of " + ", ".join(sorted(ABBREVIATIONS)),
        ) from None


def _placed(local: datetime, zone: tzinfo, said: str, option: str) -> datetime:
    """`local` on the wall clocks of `zone`: refused where those clocks skip it or show it
    twice (a change of daylight saving time), with the offsets to choose from."""
    if not isinstance(zone, ZoneInfo):
        return local.replace(tzinfo=zone)
    first, second = local.replace(tzinfo=zone, fold=0), local.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first
    back = first.astimezone(UTC).astimezone(zone).replace(tzinfo=None)
    clock = local.strftime("%H:%M")
    if back != local:  # skipped: the clocks jumped over it
        raise _wrong(
            said,
            option,
            f"{clock} does not exist in {zone.key} on {local.date()}: the clocks skip it; "
            f"write the time with its offset, such as {_iso(first)}",
        )
    raise _wrong(
        said,
        option,
        f"{clock} happens twice in {zone.key} on {local.date()}: write {_iso(first)} or "
        f"{_iso(second)}",
    )


def _to_the_second(moment: datetime) -> datetime:
    return moment.replace(microsecond=0)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def format_time(moment: datetime) -> str:
    """How an incident file holds a time: ISO 8601, to the second, with its offset."""
    if moment.tzinfo is None:
        raise ValueError("a time without an offset")
    return _iso(moment)


def _wrong(said: str, option: str, why: str = "") -> UsageError:
    because = f": {why}" if why else ""
    return UsageError(f"{option} {said!r} is no time{because}; write one of: {FORMS}")

"""Uptime history files: one CSV per probe, month and location, of additive day counters.

A runner at location `eu` adds its checks of probe `api` in November 2026 to
`uptime/api/2026-11.eu.csv`: a header line, then one row per UTC day, sorted by day, with
the day's counters (`DayCounters`) and its latest result. Runners in different locations
never write the same file, so their commits never conflict; a build adds their counters.
This module is the format (parse and serialise) and the reader of the `uptime` input kind.
"""

from __future__ import annotations

import contextlib
import csv
import functools
import hashlib
import io
import json
import operator
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Any

from ..errors import SourceError, ValidationFailed
from ..model.ids import ID_PATTERN, id_problem
from ..model.probes import (
    RESPONSE_BUCKETS_MS,
    CheckResult,
    DayCounters,
    DayTotals,
    Measured,
    MonthRows,
    ProbeHistory,
)
from ..model.site import InputData
from .textfile import content_digest, decode, read_bytes
from .yamlio import SourceFile

if TYPE_CHECKING:
    from .inputs import FileMemo, InputFile, Remembered

UPTIME_DIR = "uptime"
SUFFIX = ".csv"

HEADER: tuple[str, ...] = (
    "day",
    "checks",
    "up",
    "degraded",
    "down",
    "response_ms_sum",
    "response_ms_max",
    "histogram",
    "latest_at",
    "latest_measured",
    "latest_response_ms",
    "latest_reason",
    "latest_upstream",
    "latest_since",
)
"""The columns of a history file, in order; its first line names them.

`latest_since` is one of the `latest_*` columns, though last: added after the others, it
went at the end, where it changed each row least.
"""

HEADER_LINE = ",".join(HEADER)
BUCKETS = len(RESPONSE_BUCKETS_MS) + 1
MAX_REASON_CHARS = 200
"""Characters of a result's reason a file keeps: a few words, so that files stay tiny."""

_FILE_NAME = re.compile(r"(?P<month>[0-9]{4}-(?:0[1-9]|1[0-2]))\.(?P<location>[^.]+)\.csv")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_AT = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z")
_MS = re.compile(r"[0-9]{1,12}(?:\.[0-9])?")
_COUNTS = re.compile(r"[0-9]{1,12}(?: [0-9]{1,12})*")
_MEASURED = {m.value: m for m in Measured}

_Report = Callable[[int, int, str], None]  # report(line, field index, message)


def file_name(month: str, location: str) -> str:
    """The name of the history file of one month ('2026-11') and location."""
    return f"{month}.{location}{SUFFIX}"


def format_ms(value: float) -> str:
    """A response time as files hold it: plain decimal, at most one decimal place."""
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def clean_text(text: str, limit: int = MAX_REASON_CHARS) -> str:
    """`text` fit for one CSV field: control characters become spaces, and it is cut short."""
    if not text.isprintable():
        text = "".join(c if c.isprintable() else " " for c in text)
    return text if len(text) <= limit else f"{text[: limit - 3]}..."


def format_at(at: datetime) -> str:
    """A time as files hold it: UTC, to the second, with a Z."""
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def serialise(days: Iterable[DayCounters]) -> str:
    """The text of a history file holding `days` (sorted here by day)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    for row in sorted(days, key=_by_day):
        latest = row.latest
        tail: list[str] = ["", "", "", "", "", ""]
        if latest is not None:
            if latest.since is None:
                raise ValueError(f"the latest check of {row.day} has no `since` to write")
            upstream = [[clean_text(n), clean_text(s)] for n, s in latest.upstream]
            tail = [
                format_at(latest.at),
                latest.measured.value,
                "" if latest.response_ms is None else format_ms(latest.response_ms),
                clean_text(latest.reason),
                json.dumps(upstream, ensure_ascii=False, separators=(",", ":")) if upstream else "",
                format_at(latest.since),
            ]
        writer.writerow(
            [
                row.day.isoformat(),
                row.checks,
                row.up,
                row.degraded,
                row.down,
                format_ms(row.response_ms_sum),
                format_ms(row.response_ms_max),
                " ".join(map(str, row.histogram)),
                *tail,
            ]
        )
    return out.getvalue()


def _by_day(row: DayCounters) -> date:
    return row.day


PlainRow = tuple[Any, ...]
"""A row as plain values, for the build cache: the day's ordinal, the seven counters (the
histogram a tuple), then the latest check's time (as files write it; None for no latest),
measured, response time, reason, upstream pairs and since (as files write it)."""


def parse(
    text: str, display: str, probe: str, month: str
) -> tuple[list[DayCounters], list[SourceError]]:
    """The rows of a history file of `probe` for `month` ('2026-11'), or their problems.

    Every problem is located at its line and field; a file with any is not used at all.
    """
    rows, _, problems = parse_plain(text, display, probe, month)
    return rows, problems


def parse_plain(
    text: str, display: str, probe: str, month: str
) -> tuple[list[DayCounters], tuple[PlainRow, ...], list[SourceError]]:
    """What `parse` gives, and the rows as plain values too (see `plain_rows`)."""
    if text.startswith(_HEADER_NL):
        parsed = _parse_fast(text[len(_HEADER_NL) :], probe, month)
        if parsed is not None:
            return parsed[0], parsed[1], []
    rows, problems = _parse_csv(text, display, probe, month)
    return rows, () if problems else plain_rows(rows), problems


# A file exactly as `serialise` writes it, matched in C: what a build reads, nearly always.
_NUMBER = "[0-9]{1,12}"
_MS_RE = f"{_NUMBER}(?:\\.[0-9])?"
_QUOTED = '"(?:[^"\\x00-\\x1f\\x7f]|"")*"'
_AT_RE = "[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z"
_FAST_ROW = (
    f"([0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}),({_NUMBER}),({_NUMBER}),({_NUMBER}),({_NUMBER}),"
    f"({_MS_RE}),({_MS_RE}),({_NUMBER}(?: {_NUMBER}){{{BUCKETS - 1}}}),"
    f"(?:({_AT_RE}),(up|degraded|down),({_MS_RE})?,"
    f'([^",\\x00-\\x1f\\x7f]*|{_QUOTED}),({_QUOTED})?,({_AT_RE})|,,,,,)\n'
)
_FAST_ROWS = re.compile(_FAST_ROW)
_FAST_BODY = re.compile(f"(?:{_FAST_ROW})*")
_HEADER_NL = HEADER_LINE + "\n"


def _parse_fast(
    body: str, probe: str, month: str
) -> tuple[list[DayCounters], tuple[PlainRow, ...]] | None:
    """The rows of a file's body as `serialise` writes it, and as plain values; None when
    anything is off.

    The checks are those of the CSV reader, which finds and words the problems (and which
    the tests hold this to).
    """
    if not _FAST_BODY.fullmatch(body):
        return None
    rows: list[DayCounters] = []
    plain: list[PlainRow] = []
    previous = ""
    measured_of = _MEASURED
    try:
        for (
            day_text,
            *counts,
            total,
            highest,
            bins,
            at,
            measured,
            ms,
            reason,
            upstream,
            since,
        ) in _FAST_ROWS.findall(body):
            if day_text <= previous or day_text[:7] != month:
                return None
            previous = day_text
            day = date.fromisoformat(day_text)
            checks, up, degraded, down = map(int, counts)
            histogram = tuple(map(int, bins.split(" ")))
            total_ms, highest_ms = float(total), float(highest)
            if (
                up + degraded + down != checks
                or sum(histogram) > checks
                or highest_ms > total_ms
                or (at and (at[:10] != day_text or since > at))
            ):
                return None
            head = (day.toordinal(), checks, up, degraded, down, total_ms, highest_ms, histogram)
            latest = None
            if at:
                if reason[:1] == '"':
                    reason = reason[1:-1].replace('""', '"')
                if not reason.isprintable():
                    return None
                pairs: tuple[tuple[str, str], ...] = ()
                if upstream:
                    parsed = _upstream(upstream[1:-1].replace('""', '"'))
                    if parsed is None:
                        return None
                    pairs = parsed
                response = float(ms) if ms else None
                latest = CheckResult(
                    probe,
                    datetime.fromisoformat(at),
                    measured_of[measured],
                    response,
                    reason,
                    pairs,
                    datetime.fromisoformat(since),
                )
                plain.append((*head, at, measured, response, reason, pairs, since))
            else:
                plain.append((*head, None, None, None, None, None, None))
            rows.append(
                DayCounters(
                    day, checks, up, degraded, down, total_ms, highest_ms, histogram, latest
                )
            )
    except ValueError:  # a day or time that does not exist: February 30th
        return None
    return rows, tuple(plain)


def _parse_csv(
    text: str, display: str, probe: str, month: str
) -> tuple[list[DayCounters], list[SourceError]]:
    """The rows of a history file read as CSV, or every problem located and worded."""
    problems: list[SourceError] = []

    def report(line: int, field: int, message: str) -> None:
        problems.append(SourceError(display, line, _column(text, line, field), message))

    if not text.startswith(HEADER_LINE) or text[len(HEADER_LINE) : len(HEADER_LINE) + 1] not in (
        "\n",
        "\r",
        "",
    ):
        message = f"the first line must be the header {HEADER_LINE}"
        return [], [SourceError(display, 1, 1, message)]
    rows: list[DayCounters] = []
    previous: date | None = None
    reader = csv.reader(io.StringIO(text, newline=""))
    next(reader)
    line = reader.line_num
    year, month_number = int(month[:4]), int(month[5:])
    try:
        for fields in reader:
            start, line = line + 1, reader.line_num
            if not fields:
                continue  # a blank line (a trailing one, say)
            if len(fields) != len(HEADER):
                message = (
                    f"{len(fields)} fields; a row has {len(HEADER)}, one per column of the header"
                )
                report(start, 0, message)
                continue
            if start != line:
                report(start, 0, "a field spans lines; a row is one line, so join it")
                continue
            row = _row(fields, start, report, probe, year, month_number)
            if row is None:
                continue
            if previous is not None and row.day <= previous:
                if row.day == previous:
                    report(
                        start,
                        0,
                        f"a second row for {row.day}; each day has one row, so add them up",
                    )
                else:
                    report(start, 0, f"{row.day} comes after {previous}; rows are sorted by day")
                continue
            previous = row.day
            rows.append(row)
    except csv.Error as error:
        report(reader.line_num, 0, f"not CSV: {error}")
    return rows, problems


def _row(
    fields: list[str], line: int, report: _Report, probe: str, year: int, month: int
) -> DayCounters | None:
    """One row's counters, or None having reported what is wrong with it."""
    bad = 0
    day_text = fields[0]
    day: date | None = None
    if _DAY.fullmatch(day_text):
        with contextlib.suppress(ValueError):  # February 30th, say
            day = date(int(day_text[:4]), int(day_text[5:7]), int(day_text[8:]))
    if day is None:
        report(line, 0, f"day '{clean_text(day_text, 20)}' is not a date; write it as 2026-11-03")
        bad += 1
    elif (day.year, day.month) != (year, month):
        report(line, 0, f"{day} is not in {year:04}-{month:02}, the month the file name gives")
        bad += 1
    counts: list[int] = []
    for index in range(1, 5):
        value = fields[index]
        if value.isdigit() and value.isascii() and len(value) <= 12:
            counts.append(int(value))
        else:
            report(line, index, f"{HEADER[index]} '{clean_text(value, 20)}' is not a whole number")
            bad += 1
    millis: list[float] = []
    for index in (5, 6):
        value = fields[index]
        if _MS.fullmatch(value):
            millis.append(float(value))
        else:
            message = f"{HEADER[index]} '{clean_text(value, 20)}' is not a number of ms like 12.5"
            report(line, index, message)
            bad += 1
    histogram: tuple[int, ...] = ()
    if _COUNTS.fullmatch(fields[7]):
        histogram = tuple(map(int, fields[7].split(" ")))
        if len(histogram) != BUCKETS:
            message = (
                f"histogram has {len(histogram)} counts; it has {BUCKETS}, one per bucket "
                f"(up to {', '.join(map(str, RESPONSE_BUCKETS_MS))} ms, and slower)"
            )
            report(line, 7, message)
            bad += 1
    else:
        report(line, 7, "histogram must be whole numbers separated by single spaces")
        bad += 1
    well_formed, latest = _latest(fields, line, report, probe, day)
    if bad or not well_formed:
        return None
    assert day is not None
    checks, up, degraded, down = counts
    total, highest = millis
    if up + degraded + down != checks:
        added = up + degraded + down
        message = f"up + degraded + down is {added}, not checks ({checks}); correct the counts"
        report(line, 1, message)
        return None
    if sum(histogram) > checks:
        report(line, 7, f"histogram counts {sum(histogram)} answers, more than checks ({checks})")
        return None
    if highest > total:
        report(line, 6, f"response_ms_max ({fields[6]}) is more than response_ms_sum ({fields[5]})")
        return None
    return DayCounters(day, checks, up, degraded, down, total, highest, histogram, latest)


def _latest(
    fields: list[str], line: int, report: _Report, probe: str, day: date | None
) -> tuple[bool, CheckResult | None]:
    """Whether the row's latest result is well formed, and that result (None: it has none)."""
    at_text, measured_text, ms_text, reason, upstream_text, since_text = fields[8:]
    if not (at_text or measured_text or ms_text or reason or upstream_text or since_text):
        return True, None
    ok = True
    at = _time(at_text)
    if at is None:
        message = (
            f"latest_at '{clean_text(at_text, 30)}' is not a UTC time like 2026-11-03T12:00:00Z"
        )
        report(line, 8, message)
        ok = False
    elif day is not None and at.date() != day:
        report(line, 8, f"latest_at {at_text} is not on {day}, the row's day")
        ok = False
    measured = _MEASURED.get(measured_text)
    if measured is None:
        expected = ", ".join(_MEASURED)
        message = f"latest_measured '{clean_text(measured_text, 20)}' is not one of {expected}"
        report(line, 9, message)
        ok = False
    response: float | None = None
    if ms_text:
        if _MS.fullmatch(ms_text):
            response = float(ms_text)
        else:
            message = (
                f"latest_response_ms '{clean_text(ms_text, 20)}' is not a number of ms like 12.5"
            )
            report(line, 10, message)
            ok = False
    if not reason.isprintable():
        report(line, 11, "latest_reason holds a control character; remove it")
        ok = False
    upstream: tuple[tuple[str, str], ...] = ()
    if upstream_text:
        parsed = _upstream(upstream_text)
        if parsed is None:
            message = (
                "latest_upstream must be a JSON list of [name, state] pairs, "
                'like [["API","operational"]]'
            )
            report(line, 12, message)
            ok = False
        else:
            upstream = parsed
    since = _time(since_text)
    if since is None:
        if since_text:
            message = (
                f"latest_since '{clean_text(since_text, 30)}' is not a UTC time like "
                f"2026-11-03T12:00:00Z"
            )
        else:
            message = (
                "latest_since is empty; a row with a latest check gives when its run of equal "
                "results began, a UTC time like 2026-11-03T12:00:00Z"
            )
        report(line, 13, message)
        ok = False
    elif at is not None and since > at:
        message = (
            f"latest_since {since_text} is after latest_at {at_text}; a run begins at or "
            f"before its latest check, so make it {at_text} or earlier"
        )
        report(line, 13, message)
        ok = False
    if not ok or at is None or measured is None:
        return False, None
    return True, CheckResult(probe, at, measured, response, reason, upstream, since)


def _time(text: str) -> datetime | None:
    """A time as files hold it (UTC, to the second, with a Z), or None."""
    if _AT.fullmatch(text):
        with contextlib.suppress(ValueError):  # February 30th, or hour 25
            return datetime.fromisoformat(text)
    return None


def _upstream(text: str) -> tuple[tuple[str, str], ...] | None:
    try:
        value = json.loads(text)
    except ValueError:
        return None
    if not isinstance(value, list):
        return None
    pairs: list[tuple[str, str]] = []
    for item in value:
        if not (
            isinstance(item, list) and len(item) == 2 and all(isinstance(s, str) for s in item)
        ):
            return None
        pairs.append((item[0], item[1]))
    return tuple(pairs)


def _column(text: str, line: int, field: int) -> int:
    """The 1-based column where field number `field` of line `line` starts (error path only)."""
    lines = text.split("\n")
    if not 0 < line <= len(lines):
        return 1
    raw, column, index, quoted = lines[line - 1], 0, 0, False
    while index < field and column < len(raw):
        char = raw[column]
        if char == '"':
            quoted = not quoted
        elif char == "," and not quoted:
            index += 1
        column += 1
    return column + 1


def screen(found: list[InputFile]) -> tuple[list[InputFile], list[SourceError]]:
    """History files are `uptime/<probe-id>/<YYYY-MM>.<location>.csv`; report the others."""
    kept: list[InputFile] = []
    problems: list[SourceError] = []
    valid: set[str] = set()  # the probe ids and locations seen valid: each is in many names
    for entry in found:
        parts = entry.display.split("/")
        problem = None
        if len(parts) != 3:
            problem = (
                f"not where history is kept: files are {UPTIME_DIR}/<probe-id>/"
                f"<YYYY-MM>.<location>.csv; move it"
            )
        elif (name := _FILE_NAME.fullmatch(parts[2])) is None:
            problem = (
                "a history file is named <YYYY-MM>.<location>.csv, such as 2026-11.eu.csv; "
                "rename it"
            )
        else:
            probe_id, location = parts[1], name["location"]
            if probe_id not in valid and not ID_PATTERN.fullmatch(probe_id):
                problem = f"{id_problem(probe_id, 'probe id')}; the folder is named after it"
            elif location not in valid and not ID_PATTERN.fullmatch(location):
                problem = f"{id_problem(location, 'location')}; the file name holds it"
            else:
                valid.update((probe_id, location))
        if problem is None:
            kept.append(entry)
        else:
            problems.append(SourceError(entry.display, 1, 1, problem))
    return kept, problems


# What to do with a history file over the size limit: a month of one location is some 4 KB.
_TOO_LARGE = "a month of days needs far less; restore it from the repository's history"


def read(
    files: tuple[InputFile, ...], memo: FileMemo | None = None
) -> tuple[InputData | None, list[SourceError]]:
    """Every probe's history, by probe id: days added up over locations, and their latest.

    Probe ids that statuspage.yaml does not declare are read like the others (the config is
    read apart from this); what shows the history looks up the probes it has. With a
    `memo`, a file unchanged since an earlier build is not read again: its rows are rebuilt
    from the plain values put there (see `plain_rows`), and only when a day of its month is
    asked for (a build shows the last 90 days of years); its content digest stands for it.
    """
    if not files:
        return None, []
    files = tuple(sorted(files, key=_DISPLAY))  # a scan gives them so: a pass to see it
    if memo is not None:
        known = _taken_whole(files, memo)
        if known is not None:
            return known, []
    problems: list[SourceError] = []
    digest = hashlib.blake2b(digest_size=16)
    by_probe: dict[str, list[_Read]] = {}
    digests: dict[str, dict[str, str]] = {}  # by probe and month: its files' contents
    names: list[tuple[str, str, str]] = []  # each file's probe, month and location
    for entry in files:
        _, probe, name = entry.display.split("/")
        month, location, _ = name.split(".")
        names.append((probe, month, location))
        read = _rows_of(entry, probe, month, memo, problems)
        if read is None:
            continue
        content, rows = read
        # The content's digest, as for incidents: what the memo knows stands for the bytes.
        digest.update(f"{entry.display}\0{content}\0".encode())
        found = by_probe.get(probe)
        if found is None:
            found = by_probe[probe] = []
            digests[probe] = {}
        found.append((month, location, rows))
        months = digests[probe]
        had = months.get(month)  # locations in order: the files are sorted
        months[month] = f"{location} {content}" if had is None else f"{had} {location} {content}"
    if problems:
        return None, problems
    if memo is not None:
        memo.put_whole(files, (digest.hexdigest(), digests, _groups(names)))
    value = {probe: _history_of(found, digests[probe]) for probe, found in sorted(by_probe.items())}
    return InputData(value, digest.hexdigest()), []


_Read = tuple[str, str, MonthRows]  # a history file's month, location and rows
_DISPLAY = operator.attrgetter("display")  # of an InputFile


def _taken_whole(files: tuple[InputFile, ...], memo: FileMemo) -> InputData | None:
    """The histories of `files` from what the memo kept of them all at the last build, if
    it has them: each probe's files are then looked at only when its months are needed, and
    their rows taken from the memo only when asked for."""
    whole = memo.whole(files)
    if whole is None:
        return None
    try:
        digest, digests, groups = whole
        value: dict[str, ProbeHistory] = {}
        count = 0  # the files of the probes so far, which come first
        for probe, start, names in groups:
            if start != count or probe in value:
                return None
            count += len(names)
            kept = _KeptFiles(files[start:count], probe, names, memo)
            value[probe] = ProbeHistory(
                months_of=kept.months, latest_of=kept.latest, digests=digests[probe]
            )
        if count != len(files) or value.keys() != digests.keys() or not isinstance(digest, str):
            return None
    except (TypeError, ValueError, KeyError, AttributeError):
        return None  # a value of another shape: a bug, or a cache written by hand
    return InputData(dict(sorted(value.items())), digest)


def _groups(names: Sequence[tuple[str, str, str]]) -> list[tuple[str, int, list[tuple[str, str]]]]:
    """Each probe, where its files start among `names` (each file's probe, month and
    location, sorted by probe) and each file's month and location: what `_taken_whole`
    reads the files of a probe by."""
    groups: list[tuple[str, int, list[tuple[str, str]]]] = []
    for number, (probe, month, location) in enumerate(names):
        if not groups or groups[-1][0] != probe:
            groups.append((probe, number, []))
        groups[-1][2].append((month, location))
    return groups


class _KeptFiles:
    """The history files of one probe that the memo has whole: the loaders of their rows,
    made when its months or latest results are first needed."""

    __slots__ = ("_entries", "_memo", "_names", "_probe", "_reads")

    def __init__(
        self,
        entries: Sequence[InputFile],
        probe: str,
        names: Sequence[Sequence[str]],
        memo: FileMemo,
    ) -> None:
        if len(entries) != len(names):
            raise ValueError("the files and what the memo kept of them differ")
        self._entries, self._probe, self._names, self._memo = entries, probe, names, memo
        self._reads: list[_Read] | None = None

    def reads(self) -> list[_Read]:
        """Each file's month, location and rows."""
        if self._reads is None:
            probe, memo = self._probe, self._memo
            self._reads = [
                (month, location, _rows_later(entry, probe, month, memo))
                for entry, (month, location) in zip(self._entries, self._names, strict=True)
            ]
        return self._reads

    def months(self) -> list[tuple[str, MonthRows]]:
        """Each file's month and rows, for ProbeHistory."""
        return [(month, rows) for month, _, rows in self.reads()]

    def latest(self) -> dict[str, CheckResult]:
        """Each location's newest result."""
        return _latest_of(self.reads())


def _history_of(files: list[_Read], digests: Mapping[str, str]) -> ProbeHistory:
    """A probe's history from its files, sorted by name (by month, then location), and the
    digests of each month's files."""
    months = [(month, rows) for month, _, rows in files]
    latest_of = functools.partial(_latest_of, files)
    return ProbeHistory(months=months, latest_of=latest_of, digests=digests)


def _latest_of(files: list[_Read]) -> dict[str, CheckResult]:
    """Each location's newest result: the last row's of its newest month that has one."""
    by_location: dict[str, list[tuple[str, MonthRows]]] = {}
    for month, location, rows in files:
        by_location.setdefault(location, []).append((month, rows))
    latest: dict[str, CheckResult] = {}
    for location, found in sorted(by_location.items()):
        for _, rows in sorted(found, key=_by_month, reverse=True):
            made = rows()
            if made and (result := made[-1].latest) is not None:
                latest[location] = result
                break
    return latest


def _by_month(item: tuple[str, MonthRows]) -> str:
    return item[0]


def _rows_of(
    entry: InputFile, probe: str, month: str, memo: FileMemo | None, problems: list[SourceError]
) -> tuple[str, MonthRows] | None:
    """A file's content digest and what gives its rows: from the memo if it knows them, else
    read and put there. None having added its problems to `problems`."""
    known = memo.get(entry.display, entry.stamp) if memo else None
    if known is not None:
        return known.digest, _remembered_rows(known, entry, probe, month)
    file = SourceFile(entry.display)
    data = read_bytes(entry.path, file, _TOO_LARGE)
    if data is None:
        problems.extend(file.problems)
        return None
    content = content_digest(data)
    # A stamp too new to trust: the same bytes as when the memo was put will do.
    known = memo.get(entry.display, entry.stamp, content) if memo else None
    if known is not None:
        return known.digest, _remembered_rows(known, entry, probe, month)
    text = decode(data, file)
    if text is None:
        problems.extend(file.problems)
        return None
    rows, plain, found = parse_plain(text, entry.display, probe, month)
    if found:
        problems.extend(found)
        return None
    if memo is not None:
        memo.put(entry.display, entry.stamp, content, plain)
    kept = tuple(rows)
    return content, lambda: kept


def _remembered_rows(known: Remembered, entry: InputFile, probe: str, month: str) -> MonthRows:
    """Gives the rows a memo holds for a file, made once, when first asked for.

    What the memo holds parsed when it was put, for these very bytes; should it not make
    rows (a value of another shape: a bug, or a cache written by hand), the file is read.
    """

    def rows() -> list[DayCounters]:
        try:
            return rebuilt_rows(known.load(), probe)
        except (TypeError, ValueError, KeyError, OverflowError, EOFError):
            return _read_again(entry, probe, month)

    return _once(rows)


def _read_again(
    entry: InputFile, probe: str, month: str, memo: FileMemo | None = None
) -> list[DayCounters]:
    """The rows of a file read afresh, or from the memo; ValidationFailed if it no longer
    parses."""
    problems: list[SourceError] = []
    read = _rows_of(entry, probe, month, memo, problems)
    if read is None:
        raise ValidationFailed(problems)
    return list(read[1]())


def _rows_later(entry: InputFile, probe: str, month: str, memo: FileMemo) -> MonthRows:
    """Gives a file's rows, from the memo if it still has them, when first asked for."""
    return _once(functools.partial(_read_again, entry, probe, month, memo))


def _once(make: Callable[[], list[DayCounters]]) -> MonthRows:
    """Gives what `make` does, made when first asked for, then kept."""
    made: list[DayCounters] | None = None

    def rows() -> list[DayCounters]:
        nonlocal made
        if made is None:
            made = make()
        return made

    return rows


def plain_rows(rows: Iterable[DayCounters]) -> tuple[PlainRow, ...]:
    """`rows` as plain values, which marshal keeps and `rebuilt_rows` turns back into rows."""
    plain: list[PlainRow] = []
    for row in rows:
        head = (
            row.day.toordinal(),
            row.checks,
            row.up,
            row.degraded,
            row.down,
            row.response_ms_sum,
            row.response_ms_max,
            row.histogram,
        )
        latest = row.latest
        if latest is None:
            plain.append((*head, None, None, None, None, None, None))
        else:
            plain.append((*head, *_plain_result(latest)))
    return tuple(plain)


def rebuilt_rows(plain: Iterable[PlainRow], probe: str) -> list[DayCounters]:
    """The rows of `probe` that `plain_rows` made `plain` of."""
    rows: list[DayCounters] = []
    day_of, time_of, measured_of = date.fromordinal, datetime.fromisoformat, _MEASURED
    since_text, since = "", None  # a run goes on for days: the same since, made once
    for day, checks, up, degraded, down, total, highest, bins, at, *check in plain:
        latest = None
        if at is not None:
            measured, ms, reason, upstream, text = check
            if text != since_text:
                since_text, since = text, time_of(text)
            latest = CheckResult(
                probe, time_of(at), measured_of[measured], ms, reason, upstream, since
            )
        rows.append(
            DayCounters(day_of(day), checks, up, degraded, down, total, highest, bins, latest)
        )
    return rows


PlainWindows = dict[str, tuple[tuple[DayTotals | None, ...], dict[str, PlainRow]]]
"""By probe: what it counts in a window (`ProbeHistory.window_totals`) and its latest
results, as plain values (see `plain_windows`)."""


def plain_windows(histories: Mapping[str, ProbeHistory], first: date, length: int) -> PlainWindows:
    """What every probe counts in the `length` days from `first`, and its latest results,
    as plain values that marshal keeps: made from the files, for `remember_windows` at a
    build that has the same files and window."""
    return {
        probe: (
            history.window_totals(first, length),
            {location: _plain_result(result) for location, result in history.latest.items()},
        )
        for probe, history in histories.items()
    }


def remember_windows(
    histories: Mapping[str, ProbeHistory], first: date, length: int, plain: PlainWindows
) -> bool:
    """Let each history take what `plain_windows` made of the same files for this window;
    False, and none has taken anything, when `plain` does not hold them all.

    The days themselves are still made from the files, and only when asked for: for a
    response-time chart drawn again, say.
    """
    made: list[tuple[ProbeHistory, Any, dict[str, CheckResult]]] = []
    try:
        if plain.keys() != histories.keys():
            return False
        for probe, history in histories.items():
            totals, latest = plain[probe]
            if len(totals) != length or set(map(len, filter(None, totals))) - {3}:
                return False
            checks = {where: _rebuilt_result(probe, *result) for where, result in latest.items()}
            made.append((history, totals, checks))
    except (TypeError, ValueError, KeyError, AttributeError, OverflowError):
        return False  # a value of another shape: a bug, or a cache written by hand
    for history, totals, checks in made:
        history.remember(first, totals, checks)
    return True


def _rebuilt_result(
    probe: str,
    at: str,
    measured: str,
    response_ms: float | None,
    reason: str,
    upstream: tuple[tuple[str, str], ...],
    since: str,
) -> CheckResult:
    """The result `_plain_result` made plain values of."""
    when, started = datetime.fromisoformat(at), datetime.fromisoformat(since)
    return CheckResult(probe, when, _MEASURED[measured], response_ms, reason, upstream, started)


def _plain_result(result: CheckResult) -> PlainRow:
    """A check's result as the six `latest_*` values of a plain row."""
    assert result.since is not None  # read results have it
    return (
        format_at(result.at),
        result.measured.value,
        result.response_ms,
        result.reason,
        result.upstream,
        format_at(result.since),
    )

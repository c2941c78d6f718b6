"""Uptime probes as statuspage.yaml declares them, and what one check of a probe measured.

A probe checks one target (an HTTP endpoint, a TCP port, a TLS certificate, a DNS record, or
an upstream status page) and gives a `CheckResult`: up, degraded or down, how long it took,
and why. Results are kept as additive counters per probe, UTC day and location
(`DayCounters`), so that runners in several places add up without conflicts.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import NamedTuple

from .enums import Labelled


class ProbeType(StrEnum):
    """What a probe checks."""

    HTTP = "http"  # an HTTP(S) request, its status, body, time and certificate
    TCP = "tcp"  # a TCP connection to host:port
    TLS = "tls"  # a TLS handshake with host:port, and its certificate's expiry
    DNS = "dns"  # a DNS query, and what its answer contains
    STATUSPAGE = "statuspage"  # an upstream page's Statuspage API v2 summary


class Measured(Labelled):
    """What one check found, best first."""

    UP = "up"
    DEGRADED = "degraded"  # it answered, too slowly or with a certificate about to expire
    DOWN = "down"

    @property
    def severity(self) -> int:
        """0 for up, 1 for degraded, 2 for down."""
        return _SEVERITY[self]


_SEVERITY = {measured: rank for rank, measured in enumerate(Measured)}


@dataclass(frozen=True, slots=True)
class Expect:
    """What a check must find to count as up (or as up rather than degraded)."""

    status: tuple[int, ...] = (200,)  # http: the status codes that count as up
    max_response_ms: int | None = None  # slower: degraded
    body_contains: str | None = None  # http: missing from the body: down
    cert_days_min: int | None = None  # https, tls: the certificate expires sooner: degraded
    contains: str | None = None  # dns: an answer must hold this value


@dataclass(frozen=True, slots=True)
class Probe:
    """One probe of statuspage.yaml; which target fields are set depends on `type`."""

    id: str
    type: ProbeType
    component: str | None  # the component it measures; None for a statuspage probe
    timeout_ms: int = 10_000
    retries: int = 0  # a failed check is checked again this many times before it counts
    expect: Expect = field(default_factory=Expect)
    affects_state: bool = True  # whether what it measures may change the component's state
    quorum: int | None = None  # locations that must see it down; None: a majority
    # http
    url: str | None = None  # also the upstream page's address for a statuspage probe
    method: str = "GET"
    headers: tuple[tuple[str, str], ...] = ()
    body: str | None = None
    follow_redirects: bool = False
    # tcp, tls
    host: str | None = None
    port: int | None = None
    # dns
    name: str | None = None
    record: str = "A"
    # statuspage: the upstream components to follow, by name, and what the page calls them
    components: tuple[str, ...] = ()
    show_as: str | None = None
    line: int = 0  # where statuspage.yaml declares it, for messages
    column: int = 0


class CheckResult(NamedTuple):
    """What one check of a probe found.

    A named tuple, as DayCounters: a build makes one for each day of history it shows.
    """

    probe: str  # the probe's id
    at: datetime  # when the check started, timezone-aware
    measured: Measured
    response_ms: float | None  # None when nothing answered
    reason: str  # why, in a few words: 'HTTP 200', 'timed out after 10 s', 'expires in 3 days'
    # For a statuspage probe: the upstream components' states, by name (Statuspage's words).
    upstream: tuple[tuple[str, str], ...] = ()
    # Since when this location has measured `measured` without a break: the first check of
    # the run of equal results this one ends. None when unknown (a check not yet recorded).
    since: datetime | None = None


# Upper bounds (ms) of the response-time histogram's buckets; the last bucket has none.
RESPONSE_BUCKETS_MS: tuple[int, ...] = (50, 100, 200, 300, 500, 800, 1_000, 2_000, 5_000)


MEDIAN_AND_P95 = (0.5, 0.95)
"""The fractions the pages give response times at: the median and the 95th percentile."""


class DayCounters(NamedTuple):
    """The checks of one probe at one location in one UTC day: counters that add up.

    A named tuple: a build makes one for each day of history it shows, 9,000 for 100
    probes, and a tuple is made in half the time a frozen dataclass takes. `+` adds two
    days' counters up (it does not join tuples).
    """

    day: date  # UTC
    checks: int
    up: int
    degraded: int
    down: int
    response_ms_sum: float  # over the checks that got an answer
    response_ms_max: float
    histogram: tuple[int, ...]  # len(RESPONSE_BUCKETS_MS) + 1 counts of answered checks
    latest: CheckResult | None  # the day's last check

    def percentiles(self, fractions: Sequence[float]) -> tuple[float | None, ...]:
        """For each of `fractions` (0.95: p95), the response time that share of the day's
        answers took at most, in ms, from one pass over the buckets.

        From the histogram: found in its bucket, then placed linearly between the bucket's
        bounds (0 below the first; the day's slowest answer caps the last, and every bucket).
        None when no check got an answer.
        """
        histogram = self.histogram
        below = list(itertools.accumulate(histogram))  # answers up to each bucket's end
        answered = below[-1] if below else 0
        if not answered:
            return (None,) * len(fractions)
        highest = self.response_ms_max
        found: list[float | None] = []
        for fraction in fractions:
            rank = fraction * answered
            # The first bucket the rank falls in: with a rank of 0, the first with answers.
            position = bisect.bisect_left(below, rank) if rank > 0 else _first_answered(histogram)
            count = histogram[position]
            low: float = RESPONSE_BUCKETS_MS[position - 1] if position else 0
            high: float = (
                RESPONSE_BUCKETS_MS[position] if position < len(RESPONSE_BUCKETS_MS) else highest
            )
            high = min(high, highest)
            low = min(low, high)
            before = below[position] - count
            found.append(low + (high - low) * max(rank - before, 0) / count)
        return tuple(found)

    def __add__(self, other: DayCounters) -> DayCounters:  # type: ignore[override]
        """Both counts together (the same probe and day, another location or run)."""
        if other.day != self.day:
            raise ValueError(f"cannot add the counters of {other.day} to those of {self.day}")
        latest = max(
            (r for r in (self.latest, other.latest) if r is not None),
            key=lambda result: result.at,
            default=None,
        )
        return DayCounters(
            self.day,
            self.checks + other.checks,
            self.up + other.up,
            self.degraded + other.degraded,
            self.down + other.down,
            self.response_ms_sum + other.response_ms_sum,
            max(self.response_ms_max, other.response_ms_max),
            tuple(a + b for a, b in zip(self.histogram, other.histogram, strict=True)),
            latest,
        )


DayTotals = tuple[int, int, int]
"""What uptime counts of a day: its checks, and how many were down and degraded."""


def day_totals(
    rows: Iterable[DayCounters], first: date, length: int
) -> tuple[DayTotals | None, ...]:
    """By day number from `first`, for `length` days: the totals of `rows` (one a day at
    most), None for a day that has no row."""
    found: list[DayTotals | None] = [None] * length
    base = first.toordinal()
    for row in rows:
        n = row.day.toordinal() - base
        if 0 <= n < length:
            found[n] = (row.checks, row.down, row.degraded)
    return tuple(found)


MonthRows = Callable[[], Sequence[DayCounters]]
"""Gives the rows of one month at one location, sorted by day: read when first asked for."""


class ProbeHistory:
    """One probe's history: its days over every location added up, and each one's latest.

    A site keeps years of history and a build shows the last 90 days: the rows of a month
    are made only when a day of it is asked for (`days_from`), then kept, and so is what
    the window counts (`counts_from`). What a build cache kept of an earlier build with the
    same files may stand in for both (`remember`), and no month is made.
    """

    __slots__ = (
        "_counted",
        "_digests",
        "_done",
        "_latest",
        "_latest_of",
        "_months",
        "_months_of",
        "_totals",
    )

    def __init__(
        self,
        days: Sequence[DayCounters] = (),
        latest: Mapping[str, CheckResult] | None = None,
        *,
        months: Sequence[tuple[str, MonthRows]] = (),
        digests: Mapping[str, str] | None = None,
        latest_of: Callable[[], Mapping[str, CheckResult]] | None = None,
        months_of: Callable[[], Sequence[tuple[str, MonthRows]]] | None = None,
    ) -> None:
        """From `days` already made, or from `months`: ('2026-11', rows) by location;
        `digests`, by month, one that changes whenever the content of its files does;
        `latest_of`, what finds each location's newest result when first asked for;
        `months_of`, what gives the months when first needed, instead of `months` (then
        `digests` holds every month it gives)."""
        self._latest: Mapping[str, CheckResult] | None = latest if latest_of is None else None
        self._latest_of = latest_of
        self._months_of = months_of
        self._months: list[tuple[str, list[MonthRows]]] | None = None
        if months_of is None:
            self._months = _by_month(days, months)
        self._done: dict[str, tuple[DayCounters, ...]] = {}
        self._counted: dict[date, tuple[DayCounters, ...]] = {}
        self._totals: dict[tuple[date, int], tuple[DayTotals | None, ...]] = {}
        self._digests: Mapping[str, str] = digests or {}

    def _sources(self) -> list[tuple[str, list[MonthRows]]]:
        """Each month and the rows of its locations, sorted by month."""
        if self._months is None:
            assert self._months_of is not None
            self._months = _by_month((), self._months_of())
        return self._months

    @property
    def latest(self) -> Mapping[str, CheckResult]:
        """By location: its newest result."""
        if self._latest is None:
            self._latest = self._latest_of() if self._latest_of is not None else {}
        return self._latest

    def remember(
        self, first: date, totals: Sequence[DayTotals | None], latest: Mapping[str, CheckResult]
    ) -> None:
        """Take what `window_totals(first, len(totals))` and `latest` give, as made from
        these very files at an earlier build."""
        self._totals[first, len(totals)] = tuple(totals)
        self._latest = latest

    def window_digest(self, first: date) -> str:
        """Changes whenever the days from `first` on may: from the digests of their months'
        files, or, for a month given as days, from its rows."""
        start = first.isoformat()[:7]
        if self._months is None:  # not made yet: every month has its digest
            months = sorted(self._digests.items())
            return _digest_of(f"{month} {known}" for month, known in months if month >= start)
        parts = []
        for month, sources in self._months:
            if month >= start:
                known = self._digests.get(month)
                parts.append(f"{month} {known if known is not None else repr(_added_up(sources))}")
        return _digest_of(parts)

    def days_from(self, first: date) -> tuple[DayCounters, ...]:
        """The days from `first` on, sorted, each the sum of every location's row."""
        start = first.isoformat()[:7]
        found: list[DayCounters] = []
        for month, sources in self._sources():
            if month < start:
                continue
            done = self._done.get(month)
            if done is None:
                done = self._done[month] = _added_up(sources)
            found.extend(row for row in done if row.day >= first)
        return tuple(found)

    def counts_from(self, first: date) -> tuple[DayCounters, ...]:
        """The days from `first` on as `days_from` gives them, but for their latest result
        (None): what uptime and response times count (made once)."""
        counted = self._counted.get(first)
        if counted is None:
            counted = self._counted[first] = tuple(
                row._replace(latest=None) for row in self.days_from(first)
            )
        return counted

    def window_totals(self, first: date, length: int) -> tuple[DayTotals | None, ...]:
        """`day_totals` of the `length` days from `first` (made once)."""
        totals = self._totals.get((first, length))
        if totals is None:
            totals = self._totals[first, length] = day_totals(
                self.counts_from(first), first, length
            )
        return totals

    @property
    def days(self) -> tuple[DayCounters, ...]:
        """Every day, sorted, each the sum of every location's row."""
        return self.days_from(date.min)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ProbeHistory):
            return NotImplemented
        return (self.days, dict(self.latest)) == (other.days, dict(other.latest))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"ProbeHistory({self.days!r}, {dict(self.latest)!r})"


def _by_month(
    days: Sequence[DayCounters], months: Sequence[tuple[str, MonthRows]]
) -> list[tuple[str, list[MonthRows]]]:
    by_month: dict[str, list[MonthRows]] = {}
    for row in days:
        by_month.setdefault(row.day.isoformat()[:7], []).append(_given(row))
    for month, rows in months:
        by_month.setdefault(month, []).append(rows)
    return sorted(by_month.items())


def _digest_of(lines: Iterable[str]) -> str:
    return hashlib.blake2b("\n".join(lines).encode(), digest_size=16).hexdigest()


def _given(row: DayCounters) -> MonthRows:
    return lambda: (row,)


def _first_answered(histogram: Sequence[int]) -> int:
    return next(position for position, count in enumerate(histogram) if count)


def _added_up(sources: Sequence[MonthRows]) -> tuple[DayCounters, ...]:
    """The rows of one month from every location, those of the same day added up."""
    if len(sources) == 1:  # one location: its rows, which a file holds sorted, one a day
        return tuple(sources[0]())
    by_day: dict[date, DayCounters] = {}
    for rows in sources:
        for row in rows():
            had = by_day.get(row.day)
            by_day[row.day] = row if had is None else had + row
    return tuple(by_day[day] for day in sorted(by_day))

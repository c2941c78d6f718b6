"""A deterministic synthetic site: many incidents over five years, for the build benchmark,
and optionally uptime probes with months of history.
"""

from __future__ import annotations

import bisect
import random
import sys
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from statuspage.model.probes import RESPONSE_BUCKETS_MS, CheckResult, DayCounters, Measured
from statuspage.sources import history

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
YEARS = 5

GROUPS = {
    "Platform": ["api", "graphql", "auth", "dashboard", "billing"],
    "Data": ["database", "search", "analytics", "exports", "backups"],
    "Integrations": ["webhooks", "email", "sms", "slack", "zapier"],
    "Edge": ["cdn", "dns", "websockets", "uploads", "docs"],
}

SUBJECTS = [
    "API requests",
    "Sign-in attempts",
    "Webhook deliveries",
    "Search queries",
    "Dashboard pages",
    "File uploads",
    "Scheduled exports",
    "Email notifications",
    "Database writes",
    "Report downloads",
]
SYMPTOMS = [
    "are failing for some customers",
    "are slower than usual",
    "time out after 30 seconds",
    "return 502 and 503 errors",
    "are delayed by up to 20 minutes",
    "fail intermittently in the EU region",
]
CAUSES = [
    "a configuration change to the load balancers",
    "an exhausted database connection pool",
    "a failed disk on a primary database node",
    "an expired TLS certificate on an internal service",
    "a memory leak in the latest release of the API servers",
    "a routing change at our network provider",
    "a runaway background job that saturated the queue",
    "a bug in the retry logic of the delivery workers",
]
ACTIONS = [
    "rolled back the deploy",
    "restarted the affected workers",
    "failed over to the standby database",
    "added capacity to the cluster",
    "reverted the configuration change",
    "replaced the certificate and restarted the proxies",
]
PREVENTIONS = [
    "Alert on connection-pool saturation above 80 %",
    "Canary every configuration change for 30 minutes",
    "Add automatic renewal for internal certificates",
    "Load-test releases with production-sized data",
    "Cap the concurrency of background jobs per customer",
    "Run a quarterly failover drill",
    "Page the on-call engineer on queue age, not only on queue length",
]
OWNERS = ["platform-team", "sre", "data-team", "edge-team", "api-team", "security"]


def components() -> list[tuple[str, str]]:
    """(id, group) of the 20 components, in page order."""
    return [(cid, group) for group, ids in GROUPS.items() for cid in ids]


def write_site(root: Path, count: int, seed: int = 2026, probes: int = 0, months: int = 0) -> None:
    """Write statuspage.yaml and `count` incident files below `root`.

    With `probes`, statuspage.yaml declares that many http probes, and each has `months` of
    history at one location, up to NOW (see `write_history`).
    """
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    lines = [
        "title: Benchmark Cloud Status",
        "url: https://status.bench.example",
        "timezone: Europe/Berlin",
    ]
    if probes:
        ids = [cid for cid, _ in components()]
        lines.append("probes:")
        for n in range(probes):
            lines += [
                f"  - id: {probe_id(n)}",
                "    type: http",
                f"    component: {ids[n % len(ids)]}",
                f"    url: https://example.invalid/{probe_id(n)}",
            ]
    lines.append("components:")
    for cid, group in components():
        lines += [
            f"  - id: {cid}",
            f"    name: {cid.capitalize()} service",
            f"    description: The {cid} service of Benchmark Cloud",
            f"    group: {group}",
        ]
    (root / "statuspage.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    span = timedelta(days=365 * YEARS).total_seconds()
    for n in range(count):
        start = NOW - timedelta(seconds=rng.uniform(3600 * 6, span))
        newest = n == count - 1
        if newest:
            start = NOW - timedelta(hours=2)
        maintenance = not newest and rng.random() < 0.05
        text = (
            _maintenance(rng, start)
            if maintenance
            else _incident(rng, start, open_=newest, postmortem=rng.random() < 1 / 3)
        )
        folder = root / "incidents" / str(start.year)
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"inc-{n:05d}.yaml").write_text(text, encoding="utf-8")
    days = _days_of_answers(random.Random(seed)) if probes else []
    for n in range(probes):
        write_history(root, probe_id(n), months, days, random.Random(f"{seed} {n}"))


LOCATION = "bench"
CHECKS_A_DAY = 288  # one every five minutes
CHECK_EVERY = timedelta(days=1) / CHECKS_A_DAY


def probe_id(number: int) -> str:
    """The id of the benchmark's probe number `number`."""
    return f"probe-{number:03d}"


Answers = tuple[tuple[int, ...], float, float]
"""The histogram, sum and highest of a number of response times (ms)."""


def _days_of_answers(rng: random.Random, count: int = 64) -> list[list[Answers]]:
    """`count` days of quick answers (some 40 ms), each as its running Answers by check.

    A day's counters take the first so many of one of them: drawing 288 times a day for
    years of a hundred probes would take longer than the builds it is for.
    """
    days = []
    for _ in range(count):
        histogram = [0] * (len(RESPONSE_BUCKETS_MS) + 1)
        total = highest = 0.0
        running: list[Answers] = [(tuple(histogram), total, highest)]
        for _ in range(CHECKS_A_DAY):
            ms = round(rng.lognormvariate(3.6, 0.5), 1)
            histogram[bisect.bisect_left(RESPONSE_BUCKETS_MS, ms)] += 1
            total, highest = total + ms, max(highest, ms)
            running.append((tuple(histogram), total, highest))
        days.append(running)
    return days


def write_history(
    root: Path, probe: str, months: int, days: list[list[Answers]], rng: random.Random
) -> None:
    """Write `months` of a probe's history files up to NOW, as `statuspage probe` would.

    Every day has a check every five minutes (the last day, up to NOW): nearly all up, a
    few slow ones degraded, and now and then a few down, or an outage of an hour or so.
    Quick answers are those of one of `days`.
    """
    first_month = _months_before(NOW.date().replace(day=1), months - 1)
    day = first_month
    run_since = datetime.combine(first_month, time(), UTC)
    rows: dict[str, list[DayCounters]] = {}
    while day <= NOW.date():
        checks = CHECKS_A_DAY
        if day == NOW.date():
            checks = int((NOW - datetime.combine(day, time(), UTC)) / CHECK_EVERY)
        down = 0
        if rng.random() < 0.1:
            down = rng.randint(1, 3) if rng.random() < 0.8 else rng.randint(6, 18)
        degraded = rng.randint(0, 2) if rng.random() < 0.3 else 0
        up = checks - down - degraded
        quick, total, highest = rng.choice(days)[up]
        histogram = list(quick)
        for _ in range(degraded):
            ms = round(rng.uniform(900, 1900), 1)
            histogram[bisect.bisect_left(RESPONSE_BUCKETS_MS, ms)] += 1
            total, highest = total + ms, max(highest, ms)
        start = datetime.combine(day, time(), UTC)
        last = start + CHECK_EVERY * (checks - 1)
        if down or degraded:  # the last bad check of the day, then up again
            bad = start + CHECK_EVERY * rng.randint(0, checks - 2)
            run_since = bad + CHECK_EVERY
        latest = CheckResult(
            probe,
            last,
            Measured.UP,
            round(rng.lognormvariate(3.6, 0.5), 1),
            "HTTP 200",
            (),
            run_since,
        )
        row = DayCounters(
            day, checks, up, degraded, down, round(total, 1), highest, tuple(histogram), latest
        )
        rows.setdefault(f"{day:%Y-%m}", []).append(row)
        day += timedelta(days=1)
    folder = root / history.UPTIME_DIR / probe
    folder.mkdir(parents=True, exist_ok=True)
    for month, days in rows.items():
        (folder / history.file_name(month, LOCATION)).write_text(
            history.serialise(days), encoding="utf-8"
        )


def _months_before(first: date, count: int) -> date:
    """The first day of the month `count` months before the one starting on `first`."""
    index = first.year * 12 + first.month - 1 - count
    return date(index // 12, index % 12 + 1, 1)


def _message(rng: random.Random, sentences: int) -> str:
    parts = [
        f"{rng.choice(SUBJECTS)} {rng.choice(SYMPTOMS)}.",
        f"We traced it to {rng.choice(CAUSES)}.",
        f"Our engineers {rng.choice(ACTIONS)} and are watching the error rates closely.",
        "No data was lost, and requests that failed can be retried safely.",
        "We will post another update within 30 minutes.",
        f"See the [runbook](https://docs.bench.example/runbooks/{rng.randint(1, 99)}) "
        "for the **workaround**.",
    ]
    chosen = rng.sample(parts, sentences)
    if rng.random() < 0.15:
        chosen.append("\n\n- Affected: EU and US regions\n- Not affected: APAC")
    return " ".join(chosen)


def _block(text: str, indent: str) -> str:
    return "|\n" + "\n".join(f"{indent}{line}" if line else "" for line in text.split("\n"))


def _incident(rng: random.Random, start: datetime, open_: bool, postmortem: bool) -> str:
    ids = [cid for cid, _ in components()]
    affected = rng.sample(ids, rng.choice([1, 1, 1, 2, 2, 3]))
    impact = rng.choice(["minor", "minor", "major", "major", "critical", "none"])
    count = rng.randint(2, 8)
    statuses = ["investigating", "identified", "monitoring"]
    lines = [
        f"title: {rng.choice(SUBJECTS)} {rng.choice(SYMPTOMS)}",
        f"impact: {impact}",
        f"components: [{', '.join(affected)}]",
        "updates:",
    ]
    at = start
    for i in range(count):
        # Never past NOW, which a build refuses: the open incident's updates come closer.
        at = min(at, NOW - timedelta(minutes=count - i))
        last = i == count - 1
        if last and not open_:
            status = "resolved"
        else:
            status = statuses[i] if i < 3 else statuses[rng.randint(1, 2)]
        lines += [
            f"  - at: {at.isoformat(timespec='seconds')}",
            f"    status: {status}",
            f"    message: {_block(_message(rng, rng.randint(1, 3)), '      ')}",
        ]
        if i == 0 and impact != "none":
            lines.append(f"    components: {{{affected[0]}: partial_outage}}")
        at += timedelta(minutes=rng.randint(5, 90))
    if postmortem and not open_:
        published = min(at + timedelta(days=rng.randint(1, 5)), NOW)
        lines += [
            f"postmortem_at: {published.isoformat(timespec='seconds')}",
            f"admission: {_block(_message(rng, 3) + ' We are sorry.', '  ')}",
            f"cause: {_block(_message(rng, 3), '  ')}",
            f"fix: {_block(_message(rng, 2), '  ')}",
            "prevention:",
        ]
        for action in rng.sample(PREVENTIONS, rng.randint(2, 4)):
            lines += [
                f"  - action: {action}",
                f"    owner: {rng.choice(OWNERS)}",
                f"    status: {rng.choice(['planned', 'in_progress', 'done'])}",
                f"    due: {(published + timedelta(days=rng.randint(7, 90))).date().isoformat()}",
            ]
    return "\n".join(lines) + "\n"


def _maintenance(rng: random.Random, start: datetime) -> str:
    ids = [cid for cid, _ in components()]
    affected = rng.sample(ids, rng.randint(1, 3))
    end = start + timedelta(hours=2)
    done = start + timedelta(minutes=rng.randint(30, 110))
    return (
        "\n".join(
            [
                f"title: Planned upgrade of the {affected[0]} service",
                "kind: maintenance",
                f"components: [{', '.join(affected)}]",
                f"scheduled_for: {start.isoformat(timespec='seconds')}",
                f"scheduled_until: {end.isoformat(timespec='seconds')}",
                "updates:",
                f"  - at: {(start - timedelta(days=7)).isoformat(timespec='seconds')}",
                "    status: scheduled",
                f"    message: {_block(_message(rng, 2), '      ')}",
                f"  - at: {start.isoformat(timespec='seconds')}",
                "    status: in_progress",
                "    message: The maintenance has started.",
                f"  - at: {done.isoformat(timespec='seconds')}",
                "    status: completed",
                "    message: The maintenance is complete.",
            ]
        )
        + "\n"
    )

"""Shared fixtures: scratch sites in tmp_path, written from YAML text."""

from __future__ import annotations

import compileall
import contextlib
import functools
import http.server
import os
import shutil
import stat
import sys
import textwrap
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from statuspage.engine.build import build_site
from statuspage.errors import ValidationFailed
from statuspage.model import ComponentState, IncidentSummary, Site
from statuspage.model.probes import RESPONSE_BUCKETS_MS, CheckResult, DayCounters, Measured
from statuspage.render.jobs import Job
from statuspage.sources import history
from statuspage.sources.loader import load_site

REPO = Path(__file__).resolve().parent.parent
NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

# The Statuspage API v2 endpoints a build writes under api/v2/.
API_ENDPOINTS = [
    "summary.json",
    "status.json",
    "components.json",
    "incidents.json",
    "incidents/unresolved.json",
    "scheduled-maintenances.json",
    "scheduled-maintenances/upcoming.json",
    "scheduled-maintenances/active.json",
]

CONFIG = """\
title: Test Cloud Status
url: https://status.test.example
timezone: UTC
components:
  - id: api
    name: Public API
    description: REST endpoints
    group: Platform
  - id: dashboard
    name: Dashboard
    group: Platform
  - id: webhooks
    name: Webhooks
  - id: docs
    name: Documentation
"""

RESOLVED = """\
title: Elevated error rates
impact: major
components: [api]
updates:
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: We are seeing errors.
  - at: 2026-11-20T15:52:00Z
    status: resolved
    message: Fixed.
"""

# A maintenance in progress at NOW.
RUNNING = """\
title: Search reindex
kind: maintenance
components: [docs]
scheduled_for: 2026-11-23T11:00:00Z
scheduled_until: 2026-11-23T13:00:00Z
updates:
  - at: 2026-11-16T12:00:00Z
    status: scheduled
    message: Reindex planned.
  - at: 2026-11-23T11:00:00Z
    status: in_progress
    message: Reindex running.
"""


# Open at NOW: webhook deliveries late since 09:00.
OPEN = """\
title: Webhooks delayed
impact: minor
components: [webhooks]
updates:
  - at: 2026-11-23T09:00:00Z
    status: investigating
    message: Deliveries are late.
"""

# Open at NOW: the API down, then degraded since the second update.
API_OUTAGE = """\
title: Errors on the API
impact: major
components: [api]
updates:
  - at: 2026-11-23T09:00:00Z
    status: investigating
    message: Errors.
    components: {api: major_outage}
  - at: 2026-11-23T09:30:00Z
    status: monitoring
    message: Better.
    components: {api: degraded_performance}
"""

# A maintenance of the dashboard, not yet begun at NOW.
UPCOMING = """\
title: Database upgrade
kind: maintenance
components: [dashboard]
scheduled_for: 2026-12-06T02:00:00Z
scheduled_until: 2026-12-06T04:00:00Z
updates:
  - at: 2026-11-20T12:00:00Z
    status: scheduled
    message: Planned.
"""

# Open at NOW; its {impact} puts both components in the state of that impact.
SLOW_API = """\
title: Slow API
impact: {impact}
components: [api, dashboard]
updates:
  - at: 2026-11-23T09:00:00+01:00
    status: investigating
    message: Slow.
  - at: 2026-11-23T09:30:00+01:00
    status: identified
    message: Found it.
"""

# A 3-hour major outage of the API two days before NOW.
THREE_HOURS_DOWN = """\
title: API down
impact: critical
components: [api]
updates:
  - at: 2026-11-21T09:00:00Z
    status: investigating
    message: Down.
    components: {api: major_outage}
  - at: 2026-11-21T12:00:00Z
    status: resolved
    message: Back.
"""
# Incidents count from 2026-09-01; the dashboard's probe found 1 check of 100 down on 11-20.
MEASURED = (
    CONFIG
    + """\
uptime:
  since: 2026-09-01
probes:
  - {id: dash, component: dashboard, type: http, url: https://dash.test.example/}
"""
)
_DASH_DAY = DayCounters(
    date(2026, 11, 20),
    100,
    99,
    0,
    1,
    2000.0,
    80.0,
    (99, 1, 0, 0, 0, 0, 0, 0, 0, 0),
    CheckResult(
        "dash",
        datetime(2026, 11, 20, 23, 59, tzinfo=UTC),
        Measured.UP,
        20.0,
        "HTTP 200",
        (),
        datetime(2026, 11, 20, 0, 0, tzinfo=UTC),
    ),
)


def write_dash_history(site: SiteDir) -> None:
    """The dashboard probe's history for a site of MEASURED: 1 check of 100 down on 11-20."""
    site.write("uptime/dash/2026-11.eu.csv", history.serialise([_DASH_DAY]))


OP = ComponentState.OPERATIONAL
DEGRADED = ComponentState.DEGRADED_PERFORMANCE
PARTIAL = ComponentState.PARTIAL_OUTAGE
MAJOR = ComponentState.MAJOR_OUTAGE
MAINT = ComponentState.UNDER_MAINTENANCE


class SiteDir:
    """A scratch site: a root folder with statuspage.yaml and incident files."""

    def __init__(self, root: Path) -> None:
        self.root = root

    def write(self, relative: str, text: str) -> Path:
        """Write `text` (dedented) to `relative` below the root, making folders."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    def incident(self, incident_id: str, text: str, folder: str = "incidents") -> Path:
        """Write one incident file."""
        return self.write(f"{folder}/{incident_id}.yaml", text)

    def load(self) -> Site:
        """Load the site, failing the test on any problem."""
        return load_site(self.root)

    def problems(self) -> list[str]:
        """Every problem `check` would print, as text."""
        try:
            load_site(self.root)
        except ValidationFailed as failure:
            return [str(p) for p in failure.problems]
        return []


def example_copy(root: Path) -> SiteDir:
    """A copy of the example site (this repository's statuspage.yaml and incidents/) in root."""
    shutil.copytree(REPO / "incidents", root / "incidents")
    shutil.copy(REPO / "statuspage.yaml", root / "statuspage.yaml")
    return SiteDir(root)


MakeSite = Callable[..., SiteDir]


class SiteFilesOnly:
    """What a test renderer that makes no file for one incident alone has: no base, no jobs."""

    def incident_base(self) -> str:
        return ""

    def plan_incident(self, incident: IncidentSummary) -> list[Job]:
        return []


def pytest_configure(config: pytest.Config) -> None:
    """Compile statuspage's modules once, before any test: many tests start statuspage in a
    child process (builds killed at random, the installed command), and where
    PYTHONDONTWRITEBYTECODE is set, as on some CI machines, each child would compile every
    module it imports again. compileall writes the caches whatever that variable says."""
    if not hasattr(config, "workerinput"):  # once, in pytest's own process
        compileall.compile_dir(REPO / "statuspage", quiet=1)


# The variables that send HTTP requests through a proxy, probes' and urllib's alike.
PROXY_VARIABLES = [
    name
    for base in ("http_proxy", "https_proxy", "all_proxy", "no_proxy")
    for name in (base, base.upper())
]


@pytest.fixture(autouse=True)
def no_proxy_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every test starts without proxy variables: a developer's own would reroute loopback."""
    for name in PROXY_VARIABLES:
        monkeypatch.delenv(name, raising=False)


@pytest.fixture
def make_site(tmp_path: Path) -> MakeSite:
    """Make a site in tmp_path from a config text and {id: yaml text} incidents."""

    def make(config: str = CONFIG, incidents: dict[str, str] | None = None) -> SiteDir:
        site = SiteDir(tmp_path / "site")
        site.root.mkdir(exist_ok=True)
        site.write("statuspage.yaml", config)
        for incident_id, text in (incidents or {}).items():
            site.incident(incident_id, text)
        return site

    return make


def require_program(*names: str) -> str:
    """The path of the first of `names` on PATH; without one, skip, or fail where CI demands it.

    `.ci/run` installs Chromium and Java and sets STATUSPAGE_REQUIRE_TOOLS=1, so in CI a
    missing program fails the run instead of silently skipping the tests that need it.
    """
    for name in names:
        found = shutil.which(name)
        if found:
            return found
    message = f"{' or '.join(names)} is not installed (.ci/run installs it)"
    if os.environ.get("STATUSPAGE_REQUIRE_TOOLS") == "1":
        pytest.fail(message)
    pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


class _QuietServer(http.server.ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        """A browser that closes a page may hang up mid-answer: not an error of the test."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[str]:
    """Serve `folder` over HTTP on loopback while the block runs; yields its URL (no slash)."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = _QuietServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


Listing = dict[str, tuple[int, int, int | None, str | None]]


def sandbox(top: Path, *kept: Path) -> Listing:
    """Every path below `top` but `kept` ones (--out, the cache) and what is below them.

    Each with its type, size, modification time and link target; links are not followed.
    Folders on the way to a kept one go without their time (an entry there comes and goes)
    and without themselves: a build may make the folders that lead to --out.
    """
    on_the_way = {parent for path in kept for parent in path.parents}
    found: Listing = {}
    for folder, folders, files in os.walk(top):
        here = Path(folder)
        folders[:] = [name for name in folders if here / name not in kept]
        for name in [*folders, *files]:
            path = here / name
            if path in kept or path in on_the_way:
                continue
            info = path.lstat()
            link = str(path.readlink()) if path.is_symlink() else None
            found[path.relative_to(top).as_posix()] = (
                stat.S_IFMT(info.st_mode),
                0 if path.is_dir() else info.st_size,
                info.st_mtime_ns,
                link,
            )
    return found


def cold_build(site: SiteDir, now: datetime) -> dict[str, bytes]:
    """What a build without cache writes into a fresh folder: what every build must write."""
    fresh = site.root.parent / f"cold-{now.timestamp():.0f}"
    shutil.rmtree(fresh, ignore_errors=True)
    build_site(site.root, fresh, now, use_cache=False)
    return snapshot(fresh)


def fetch(url: str) -> tuple[int, str]:
    """The status and text of a GET of `url`, errors included."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def wait_for(condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait until `condition()` holds; fail the test after `seconds`."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.05)
    raise AssertionError("the server did not rebuild in time")


# -- probes and their history ----------------------------------------------------------

# Two probes that may change the API's state, one of the docs that may not, and two
# upstream pages: GitHub's, checked, and npm's, never checked.
PROBES = """\
probes:
  - {id: api-health, component: api, type: http, url: https://api.test.example/healthz}
  - {id: api-port, component: api, type: tcp, host: api.test.example, port: 443}
  - id: docs-latency
    component: docs
    type: http
    url: https://docs.test.example/
    affects_state: false
  - id: github
    type: statuspage
    url: https://www.githubstatus.com
    components: [Git Operations, API Requests]
    show_as: GitHub (upstream)
  - {id: npm, type: statuspage, url: https://status.npmjs.org, components: [Registry]}
"""


def day_counters(
    day: date,
    checks: int,
    down: int = 0,
    histogram: tuple[int, ...] = (),
    latest: CheckResult | None = None,
) -> DayCounters:
    """A day of one probe at one location, its answers counted by `histogram` (padded with
    zeros; by default every check answered under 50 ms). The slowest answer is at the top
    of the highest bucket used, the mean halfway."""
    buckets = len(RESPONSE_BUCKETS_MS) + 1
    counts = ((histogram or (checks,)) + (0,) * buckets)[:buckets]
    answered = sum(counts)
    used = max((n for n, count in enumerate(counts) if count), default=None)
    slowest = 0.0 if used is None else float((*RESPONSE_BUCKETS_MS, 6000)[used])
    total = max(answered * slowest / 2, slowest)
    return DayCounters(day, checks, checks - down, 0, down, total, slowest, counts, latest)


def write_history(
    site: SiteDir, probe: str, rows: Iterable[DayCounters], location: str = "eu"
) -> None:
    """Write a probe's days at one location as `statuspage probe` does: a file a month.

    A latest check without the start of its run gets its own time: a run of one check.
    """
    months: dict[str, list[DayCounters]] = {}
    for row in rows:
        if row.latest is not None and row.latest.since is None:
            row = row._replace(latest=row.latest._replace(since=row.latest.at))
        months.setdefault(row.day.strftime("%Y-%m"), []).append(row)
    for month, days in months.items():
        site.write(f"uptime/{probe}/{history.file_name(month, location)}", history.serialise(days))


def add_probes(site: SiteDir, now: datetime = NOW) -> None:
    """PROBES in the site's config, and their history up to `now`.

    The last 30 UTC days of both API probes, 100 checks a day (48 today), all up but 10 on
    20 Nov and 6 today for api-health, which was down at its latest check, 5 minutes ago;
    the docs' probe every other day; GitHub's Git Operations in a partial outage.
    """
    config = (site.root / "statuspage.yaml").read_text()
    site.write("statuspage.yaml", config.rstrip("\n") + "\n" + PROBES)
    today = now.astimezone(UTC).date()
    days = [today - timedelta(days=back) for back in range(29, -1, -1)]
    health = [
        day_counters(day, 100, 10 if day == date(2026, 11, 20) else 0, (80, 20))
        for day in days[:-1]
    ]
    latest = CheckResult("api-health", now - timedelta(minutes=5), Measured.DOWN, 61.0, "HTTP 503")
    health.append(day_counters(today, 48, 6, (40, 8), latest))
    write_history(site, "api-health", health)
    port = CheckResult("api-port", now - timedelta(minutes=1), Measured.UP, 3.0, "connected")
    write_history(
        site,
        "api-port",
        [
            day_counters(day, 100 if day < today else 48, latest=port if day == today else None)
            for day in days
        ],
    )
    write_history(site, "docs-latency", [day_counters(day, 10, 0, (0, 0, 10)) for day in days[::2]])
    upstream = (("Git Operations", "partial_outage"), ("API Requests", "operational"))
    github = CheckResult(
        "github", now - timedelta(minutes=3), Measured.DEGRADED, 120.0, "upstream", upstream
    )
    write_history(site, "github", [day_counters(today, 1, 0, (0, 0, 1), github)])

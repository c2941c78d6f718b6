"""`statuspage probe`: check every probe of a site once, and add the results to its history.

A target that is down is data, not an error: the run succeeds and records it. Only a site
whose statuspage.yaml has problems, or a history that cannot be written, stops a run.
"""

from __future__ import annotations

import asyncio
import ssl
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import NamedTuple

import dns.asyncresolver
import httpx

from ..errors import UsageError, ValidationFailed
from ..model.ids import id_problem
from ..model.probes import CheckResult, Probe
from ..sources.inputs import scan
from ..sources.loader import load_config
from .record import record
from .runners import check_all

DEFAULT_LOCATION = "local"
DEFAULT_CONCURRENCY = 20


class ProbeUsageError(UsageError):
    """The command asked for something the site does not have: a probe id, a location."""


class ProbeRun(NamedTuple):
    """What one run checked, and the history files it changed."""

    results: list[CheckResult]
    files: list[str]


def select(probes: Sequence[Probe], only: Sequence[str]) -> list[Probe]:
    """The probes named in `only` (all when it is empty); ProbeUsageError for unknown ids."""
    if not only:
        return list(probes)
    known = {probe.id for probe in probes}
    unknown = [name for name in only if name not in known]
    if unknown:
        listed = ", ".join(sorted(known)) or "none: statuspage.yaml has no probes:"
        raise ProbeUsageError(f"no probe named {', '.join(unknown)}; the site's probes: {listed}")
    wanted = set(only)
    return [probe for probe in probes if probe.id in wanted]


def run_probes(
    root: Path,
    *,
    only: Sequence[str] = (),
    location: str = DEFAULT_LOCATION,
    concurrency: int = DEFAULT_CONCURRENCY,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    client: httpx.AsyncClient | None = None,
    resolver: dns.asyncresolver.Resolver | None = None,
    ssl_context: ssl.SSLContext | None = None,
) -> ProbeRun:
    """Check the probes of the site at `root` once, and record the results at `location`.

    Raises ValidationFailed for problems in statuspage.yaml (or a history file that does not
    parse: adding to it would lose its counts), ProbeUsageError for an unknown probe or a bad
    location, and HistoryLocked when another run holds the history for too long.
    """
    problem = id_problem(location, "location")
    if problem:
        raise ProbeUsageError(f"--location: {problem}")
    loaded = load_config(scan(root.resolve()))
    if loaded.config is None or loaded.problems:
        raise ValidationFailed(loaded.problems)
    probes = select(loaded.config.probes, only)
    results = asyncio.run(check_all(probes, concurrency, now, client, resolver, ssl_context))
    return ProbeRun(results, record(root, location, results))

"""One check of each probe type, giving a `CheckResult`: up, degraded or down, and why.

Every transport is a parameter (the HTTP client, the DNS resolver, the TLS context, the
proxies), so tests drive the checks against servers they start on loopback. Each try is
bounded by the probe's timeout, a failed check is tried again `retries` times and counts once,
and a remote failure is a result, never an exception. HTTP requests go through the proxy the
environment names for their address (see `proxies`); other probes connect directly.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import socket
import ssl
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import dns.asyncresolver
import dns.exception
import dns.rdatatype
import dns.resolver
import httpx

from statuspage import __version__
from statuspage.model.enums import ComponentState
from statuspage.model.probes import CheckResult, Measured, Probe, ProbeType

from .proxies import Proxies, Proxy, make_transport

logger = logging.getLogger(__name__)

Clock = Callable[[], datetime]

# A body is read up to this size: enough for a Statuspage summary, bounded against a flood.
MAX_BODY_BYTES = 4 * 1024 * 1024

# The path of the Statuspage API v2 summary below an upstream page's address.
SUMMARY_PATH = "/api/v2/summary.json"

# The probe types that check over HTTP, with the client and through any proxy.
HTTP_TYPES = (ProbeType.HTTP, ProbeType.STATUSPAGE)

# What an upstream component's state means for the probe that follows it.
UPSTREAM_MEASURED = {
    ComponentState.OPERATIONAL: Measured.UP,
    ComponentState.UNDER_MAINTENANCE: Measured.DEGRADED,  # planned, but not fully there
    ComponentState.DEGRADED_PERFORMANCE: Measured.DEGRADED,
    ComponentState.PARTIAL_OUTAGE: Measured.DOWN,
    ComponentState.MAJOR_OUTAGE: Measured.DOWN,
}


# OpenSSL's verification codes a reader can act on, in a few words.
_CERTIFICATE_ERRORS = {
    9: "certificate is not yet valid",
    10: "certificate has expired",
    18: "certificate is self-signed",
    19: "certificate is not trusted",
    20: "certificate is not trusted",
    21: "certificate is not trusted",
    62: "certificate is for another host",
    64: "certificate is for another host",
}


@dataclass(frozen=True, slots=True)
class _Outcome:
    """What one try found, before it becomes a `CheckResult`."""

    measured: Measured
    response_ms: float | None
    reason: str
    upstream: tuple[tuple[str, str], ...] = ()
    answered: httpx.URL | None = None  # http: the address that answered, redirects followed


def default_ssl_context() -> ssl.SSLContext:
    """The TLS context of checks given none: the system's trusted CAs, host names checked."""
    return ssl.create_default_context()


def make_client(
    concurrency: int = 10,
    ssl_context: ssl.SSLContext | None = None,
    proxies: Proxies | None = None,
) -> httpx.AsyncClient:
    """An HTTP client for probes: `concurrency` connections, trusting `ssl_context`'s CAs.

    Each request goes through the proxy `proxies` names for its address (None: those of the
    environment). The client reads nothing else of the environment: httpx's `trust_env`
    would also read the system's proxy settings on macOS and Windows, which curl does not.
    """
    context = ssl_context or default_ssl_context()
    limits = httpx.Limits(max_connections=concurrency)
    return httpx.AsyncClient(
        headers={"User-Agent": f"statuspage-probe/{__version__}"},
        transport=make_transport(
            Proxies.from_environment() if proxies is None else proxies, context, limits
        ),
        trust_env=False,
    )


async def check(
    probe: Probe,
    now: Clock,
    client: httpx.AsyncClient | None = None,
    resolver: dns.asyncresolver.Resolver | None = None,
    ssl_context: ssl.SSLContext | None = None,
    proxies: Proxies | None = None,
) -> CheckResult:
    """Check `probe` once, trying again up to `probe.retries` times while it is down.

    `proxies` are those an HTTP request goes through (None: the environment's), which the
    reason of a failure names; a `client` given must send its requests through them.
    """
    if probe.type in HTTP_TYPES and proxies is None:
        proxies = Proxies.from_environment()
    if client is None and probe.type in HTTP_TYPES:
        async with make_client(1, ssl_context, proxies) as own_client:
            return await check(probe, now, own_client, resolver, ssl_context, proxies)
    at = now()
    tries = probe.retries + 1
    for attempt in range(1, tries + 1):
        outcome = await _try(probe, now, client, resolver, ssl_context, proxies)
        if outcome.measured is not Measured.DOWN or attempt == tries:
            break
        logger.info(
            "%s: %s; checking again (%d of %d)", probe.id, outcome.reason, attempt + 1, tries
        )
    reason = outcome.reason if attempt == 1 else f"{outcome.reason} (try {attempt} of {tries})"
    return CheckResult(
        probe.id, at, outcome.measured, outcome.response_ms, reason, outcome.upstream
    )


async def check_all(
    probes: Sequence[Probe],
    concurrency: int,
    now: Clock,
    client: httpx.AsyncClient | None = None,
    resolver: dns.asyncresolver.Resolver | None = None,
    ssl_context: ssl.SSLContext | None = None,
    proxies: Proxies | None = None,
) -> list[CheckResult]:
    """Check every probe, at most `concurrency` at once; the results in the probes' order.

    Without a `client`, each HTTP check opens a connection of its own (and so measures what a
    new visitor meets): one pool shared by many checks at once is several times slower in
    httpx (encode/httpx issue 3215), and a check would wait for another's connection.
    Raises ProxyUsageError, before any check, for a proxy variable that cannot be used.
    """
    if proxies is None and any(p.type in HTTP_TYPES for p in probes):
        proxies = Proxies.from_environment()  # one read of the environment for all checks
    if ssl_context is None:
        ssl_context = default_ssl_context()  # one read of the system's CAs for all checks
    if resolver is None and any(p.type is ProbeType.DNS for p in probes):
        resolver = dns.asyncresolver.Resolver()  # one read of the system's configuration
    gate = asyncio.Semaphore(concurrency)

    async def one(probe: Probe) -> CheckResult:
        async with gate:
            return await check(probe, now, client, resolver, ssl_context, proxies)

    return list(await asyncio.gather(*(one(probe) for probe in probes)))


async def _try(
    probe: Probe,
    now: Clock,
    client: httpx.AsyncClient | None,
    resolver: dns.asyncresolver.Resolver | None,
    ssl_context: ssl.SSLContext | None,
    proxies: Proxies | None,
) -> _Outcome:
    """One try of `probe`, bounded by its timeout; a failure through a proxy names it."""
    seconds = probe.timeout_ms / 1000
    try:
        async with asyncio.timeout(seconds):
            if probe.type is ProbeType.HTTP:
                assert client is not None
                outcome = await _check_http(probe, now, client)
            elif probe.type is ProbeType.STATUSPAGE:
                assert client is not None
                outcome = await _check_statuspage(probe, client)
            elif probe.type is ProbeType.TCP:
                outcome = await _check_tcp(probe)
            elif probe.type is ProbeType.TLS:
                outcome = await _check_tls(probe, now, ssl_context or default_ssl_context())
            else:
                outcome = await _check_dns(probe, resolver or dns.asyncresolver.Resolver())
    except (TimeoutError, httpx.TimeoutException, dns.exception.Timeout) as error:
        reason = f"timed out after {_seconds(probe.timeout_ms)}"
        proxy = _proxy_of(probe, error, proxies)
        return _Outcome(Measured.DOWN, None, _via(reason, proxy))
    except (OSError, httpx.HTTPError) as error:
        proxy = _proxy_of(probe, error, proxies)
        reason = _describe(error) if proxy is None else _describe_through(error, proxy)
        return _Outcome(Measured.DOWN, None, reason)
    if outcome.measured is Measured.DOWN and outcome.answered is not None and proxies is not None:
        # What answered may be the proxy: its error page, its 502 for a target it cannot reach.
        reason = _via(outcome.reason, proxies.for_url(outcome.answered))
        outcome = _Outcome(outcome.measured, outcome.response_ms, reason, outcome.upstream)
    return _slower(outcome, probe.expect.max_response_ms)


def _first_url(probe: Probe) -> str:
    """The address an HTTP probe asks first: its url, or the summary below an upstream page."""
    assert probe.url is not None
    if probe.type is ProbeType.STATUSPAGE:
        return probe.url.rstrip("/") + SUMMARY_PATH
    return probe.url


def _proxy_of(probe: Probe, error: BaseException, proxies: Proxies | None) -> Proxy | None:
    """The proxy of the request that failed with `error`: the first one, or a redirect's."""
    if proxies is None or probe.type not in HTTP_TYPES:
        return None
    url = httpx.URL(_first_url(probe))
    if isinstance(error, httpx.RequestError):
        with contextlib.suppress(RuntimeError):  # raised when httpx did not set the request
            url = error.request.url
    return proxies.for_url(url)


def _via(reason: str, proxy: Proxy | None) -> str:
    """`reason`, saying which proxy the request went through, if any."""
    return reason if proxy is None else f"{reason} via proxy {proxy.shown}"


async def _check_http(probe: Probe, now: Clock, client: httpx.AsyncClient) -> _Outcome:
    """An HTTP request: its status, its body and, over https, its certificate."""
    start = time.perf_counter()
    async with client.stream(
        probe.method,
        _first_url(probe),
        headers=list(probe.headers),
        content=probe.body,
        follow_redirects=probe.follow_redirects,
        timeout=probe.timeout_ms / 1000,
    ) as response:
        certificate = _peer_certificate(response)
        body = await _read_body(response)
    elapsed = _ms_since(start)
    status = response.status_code
    if status not in probe.expect.status:
        location = response.headers.get("location")
        reason = (
            f"HTTP {status} to {location}"
            if response.is_redirect and location
            else f"HTTP {status}"
        )
        return _Outcome(Measured.DOWN, elapsed, reason, answered=response.url)
    wanted = probe.expect.body_contains
    if wanted is not None and wanted not in body.decode(response.encoding or "utf-8", "replace"):
        return _Outcome(Measured.DOWN, elapsed, f'body lacks "{wanted}"', answered=response.url)
    outcome = _Outcome(Measured.UP, elapsed, f"HTTP {status} in {elapsed:.0f} ms")
    if certificate is not None:
        return _expiring(outcome, certificate, now(), probe.expect.cert_days_min)
    return outcome


async def _check_statuspage(probe: Probe, client: httpx.AsyncClient) -> _Outcome:
    """An upstream page's Statuspage API v2 summary: the states of the named components."""
    start = time.perf_counter()
    # An upstream page may move (http to https, a new host): its summary is still its state.
    async with client.stream(
        "GET", _first_url(probe), follow_redirects=True, timeout=probe.timeout_ms / 1000
    ) as response:
        body = await _read_body(response)
    elapsed = _ms_since(start)
    if response.status_code != 200:
        return _Outcome(
            Measured.DOWN, elapsed, f"HTTP {response.status_code}", answered=response.url
        )
    try:
        states = _component_states(json.loads(body))
    except ValueError as error:  # JSONDecodeError and UnicodeDecodeError among them
        reason = f"not a Statuspage summary: {_first_line(error)}"
        return _Outcome(Measured.DOWN, elapsed, reason, answered=response.url)
    names = probe.components or tuple(states)
    found = [(name, states[name]) for name in names if name in states]
    missing = [name for name in names if name not in states]
    upstream = tuple((name, state.value) for name, state in found)
    measured = _worst(
        [UPSTREAM_MEASURED[state] for _, state in found] + [Measured.DOWN] * bool(missing)
    )
    troubles = [f"{name}: {state.label.lower()}" for name, state in found if state.severity]
    troubles += [f'no component named "{name}"' for name in missing]
    if troubles:
        return _Outcome(measured, elapsed, "; ".join(troubles), upstream)
    every = "operational" if len(found) == 1 else f"all {len(found)} operational"
    return _Outcome(measured, elapsed, f"{every} in {elapsed:.0f} ms", upstream)


def _component_states(summary: Any) -> dict[str, ComponentState]:
    """The state of each component of a summary, by name; ValueError when it is not one."""
    components = summary.get("components") if isinstance(summary, dict) else None
    if not isinstance(components, list):
        raise ValueError("no list of components")
    states: dict[str, ComponentState] = {}
    for component in components:
        if not isinstance(component, dict):
            raise ValueError("a component is not an object")
        name, status = component.get("name"), component.get("status")
        if not isinstance(name, str) or not isinstance(status, str):
            raise ValueError("a component lacks a name or a status")
        try:
            states.setdefault(name, ComponentState(status))
        except ValueError:
            raise ValueError(f"{name} has an unknown status {status!r}") from None
    return states


async def _check_tcp(probe: Probe) -> _Outcome:
    """A TCP connection to host:port."""
    assert probe.host is not None and probe.port is not None
    start = time.perf_counter()
    _, writer = await asyncio.open_connection(probe.host, probe.port)
    elapsed = _ms_since(start)
    await _close(writer)
    return _Outcome(Measured.UP, elapsed, f"connected in {elapsed:.0f} ms")


async def _check_tls(probe: Probe, now: Clock, context: ssl.SSLContext) -> _Outcome:
    """A TLS handshake with host:port, and how long its certificate stays valid."""
    assert probe.host is not None and probe.port is not None
    start = time.perf_counter()
    _, writer = await asyncio.open_connection(
        probe.host, probe.port, ssl=context, server_hostname=probe.host
    )
    elapsed = _ms_since(start)
    certificate = writer.get_extra_info("peercert")
    await _close(writer)
    outcome = _Outcome(Measured.UP, elapsed, f"TLS in {elapsed:.0f} ms")
    return _expiring(outcome, certificate, now(), probe.expect.cert_days_min, always=True)


async def _check_dns(probe: Probe, resolver: dns.asyncresolver.Resolver) -> _Outcome:
    """A DNS query, and whether its answer holds the expected value."""
    assert probe.name is not None
    record = probe.record.upper()
    start = time.perf_counter()
    try:
        answer = await resolver.resolve(probe.name, record, lifetime=probe.timeout_ms / 1000)
    except dns.resolver.NXDOMAIN:
        return _Outcome(Measured.DOWN, _ms_since(start), f"{probe.name} does not exist")
    except dns.resolver.NoAnswer:
        return _Outcome(Measured.DOWN, _ms_since(start), f"no {record} record for {probe.name}")
    except dns.resolver.NoNameservers:
        return _Outcome(Measured.DOWN, None, "no name server answered")
    except dns.exception.Timeout:
        raise
    except dns.exception.DNSException as error:
        return _Outcome(Measured.DOWN, None, f"DNS failed: {_first_line(error)}")
    elapsed = _ms_since(start)
    values = sorted(_record_value(rdata) for rdata in answer)  # a set: the same order each run
    wanted = probe.expect.contains
    if wanted is not None and not _holds(values, wanted, record):
        return _Outcome(Measured.DOWN, elapsed, f"no {record} record holds {wanted}")
    shown = ", ".join(values[:3]) + (f" and {len(values) - 3} more" if len(values) > 3 else "")
    return _Outcome(Measured.UP, elapsed, f"{record} {shown} in {elapsed:.0f} ms")


def _record_value(rdata: Any) -> str:
    """A record's value as its owner writes it: TXT strings joined, names without the root dot."""
    if rdata.rdtype == dns.rdatatype.TXT:
        return b"".join(rdata.strings).decode("utf-8", "replace")
    return str(rdata.to_text()).rstrip(".")


def _holds(values: Iterable[str], wanted: str, record: str) -> bool:
    """Whether one of the answer's values is `wanted` (part of it, for TXT)."""
    if record == "TXT":
        return any(wanted in value for value in values)
    wanted = wanted.rstrip(".").lower()
    return any(value.lower() == wanted for value in values)


def _peer_certificate(response: httpx.Response) -> dict[str, Any] | None:
    """The certificate of the server that answered over https; None over plain HTTP."""
    if response.url.scheme != "https":  # through an https:// proxy, TLS is the proxy's
        return None
    stream = response.extensions.get("network_stream")
    ssl_object = stream.get_extra_info("ssl_object") if stream is not None else None
    if ssl_object is None:
        return None
    certificate: dict[str, Any] | None = ssl_object.getpeercert()
    return certificate


def _expiring(
    outcome: _Outcome,
    certificate: dict[str, Any] | None,
    at: datetime,
    days_min: int | None,
    *,
    always: bool = False,
) -> _Outcome:
    """`outcome`, degraded when the certificate expires within `days_min` days of `at`.

    With `always`, the days left are part of the reason even when they are enough.
    """
    if not certificate or "notAfter" not in certificate:
        return outcome
    expires = datetime.fromtimestamp(ssl.cert_time_to_seconds(certificate["notAfter"]), UTC)
    days = int((expires - at).total_seconds() // 86_400)
    left = "expires in less than a day" if days < 1 else f"expires in {_count(days, 'day')}"
    if days_min is not None and days < days_min:
        return _Outcome(Measured.DEGRADED, outcome.response_ms, f"certificate {left}")
    if always:
        return _Outcome(
            outcome.measured, outcome.response_ms, f"{outcome.reason}, certificate {left}"
        )
    return outcome


def _slower(outcome: _Outcome, max_ms: int | None) -> _Outcome:
    """`outcome`, degraded when it answered more slowly than `max_ms`."""
    if (
        max_ms is None
        or outcome.measured is Measured.DOWN
        or outcome.response_ms is None
        or outcome.response_ms <= max_ms
    ):
        return outcome
    reason = f"{outcome.reason}, slower than {max_ms} ms"
    return _Outcome(Measured.DEGRADED, outcome.response_ms, reason, outcome.upstream)


async def _read_body(response: httpx.Response) -> bytes:
    """The body of `response`, up to MAX_BODY_BYTES."""
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= MAX_BODY_BYTES:
            break
    return b"".join(chunks)[:MAX_BODY_BYTES]


async def _close(writer: asyncio.StreamWriter) -> None:
    """Close a connection whose opening was all we wanted; its closing may fail harmlessly."""
    writer.close()
    with contextlib.suppress(OSError):
        await writer.wait_closed()


def _describe(error: BaseException) -> str:
    """A failure to connect, in a few words: 'connection refused', 'certificate has expired'."""
    for cause in _causes(error):
        if isinstance(cause, ssl.SSLCertVerificationError):
            known = _CERTIFICATE_ERRORS.get(cause.verify_code)
            return known or f"certificate not accepted: {cause.verify_message}"
        if isinstance(cause, ssl.SSLError):
            return f"TLS failed: {cause.reason or _first_line(cause)}"
        if isinstance(cause, ConnectionRefusedError):
            return "connection refused"
        if isinstance(cause, ConnectionResetError):
            return "connection reset"
        if isinstance(cause, socket.gaierror):
            return "host not found"
        if isinstance(cause, httpx.TooManyRedirects):
            return "too many redirects"
        if isinstance(cause, httpx.RemoteProtocolError):
            return f"bad HTTP answer: {_first_line(cause)}"
    # No known cause: its own words, which asyncio sometimes leaves empty.
    return _first_line(error) or type(error).__name__


def _describe_through(error: BaseException, proxy: Proxy) -> str:
    """A failure of a request through `proxy`, in a few words: the proxy's own, or via it."""
    for cause in _causes(error):
        if isinstance(cause, httpx.ProxyError):  # its answer to CONNECT: '407 Proxy Auth...'
            return f"proxy {proxy.shown} answered {_first_line(cause)}"
        if isinstance(cause, ConnectionRefusedError):
            return f"proxy {proxy.shown} refused the connection"
        if isinstance(cause, ConnectionResetError):
            return f"proxy {proxy.shown} reset the connection"
        if isinstance(cause, socket.gaierror):
            return f"proxy {proxy.shown}: host not found"
    return _via(_describe(error), proxy)


def _causes(error: BaseException) -> Iterable[BaseException]:
    """`error` and what caused it, innermost last."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def _worst(measured: Iterable[Measured]) -> Measured:
    """The worst of `measured`; up when there is none."""
    return max(measured, key=lambda m: m.severity, default=Measured.UP)


def _ms_since(start: float) -> float:
    """Milliseconds since `start`, a `time.perf_counter()` reading."""
    return (time.perf_counter() - start) * 1000


def _seconds(ms: int) -> str:
    """A duration in ms as a reader says it: '10 s', '0.2 s'."""
    return f"{ms / 1000:g} s"


def _count(number: int, noun: str) -> str:
    """'1 day', '3 days'."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _first_line(error: BaseException) -> str:
    """The first line of an error's message."""
    text = str(error).strip()
    return text.splitlines()[0] if text else ""

"""Probes run for real against servers the tests start on loopback; nothing reaches further."""

from __future__ import annotations

import asyncio
import base64
import contextlib
import http.client
import http.server
import logging
import select
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import dns.asyncresolver
import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset
import httpx
import pytest
import trustme

from statuspage.engine.build import build_site
from statuspage.model.probes import CheckResult, Expect, Measured, Probe, ProbeType
from statuspage.probes.proxies import Proxies, ProxyUsageError
from statuspage.probes.runners import check, check_all, make_client

from .conftest import NOW, OPEN, REPO, MakeSite, serving


def clock() -> datetime:
    return NOW


def run(probe: Probe, **transports: Any) -> CheckResult:
    """One check of `probe` at NOW."""
    return asyncio.run(check(probe, clock, **transports))


def answered(result: CheckResult) -> float:
    """The response time of a check that got an answer."""
    assert result.response_ms is not None
    return result.response_ms


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # a hanging request must not hold the test's end

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a client that gives up a handshake or a request is what some tests do


class _Handler(http.server.BaseHTTPRequestHandler):
    """Answers by path: /ok, /slow, /hang, /error, /unavailable, /redirect, /flaky/<key>, /echo.

    /away/<port> redirects to /ok on loopback's port <port>.
    """

    flaky_seen: ClassVar[set[str]] = set()
    in_flight = 0
    most_in_flight = 0
    lock = threading.Lock()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def answer(self, status: int, body: bytes = b"", **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        if self.path == "/ok":
            self.answer(200, b"all ok")
        elif self.path == "/slow":
            time.sleep(0.1)
            self.answer(200, b"ok")
        elif self.path == "/hang":
            time.sleep(2)
            self.answer(200, b"ok")
        elif self.path == "/error":
            self.answer(500, b"ok, but an error")
        elif self.path == "/unavailable":
            self.answer(503)
        elif self.path == "/redirect":
            self.answer(302, Location="/ok")
        elif self.path.startswith("/away/"):
            self.answer(302, Location=f"http://127.0.0.1:{self.path.removeprefix('/away/')}/ok")
        elif self.path.startswith("/flaky/"):
            with self.lock:
                first = self.path not in self.flaky_seen
                self.flaky_seen.add(self.path)
            self.answer(503 if first else 200, b"ok")
        elif self.path == "/counted":
            with self.lock:
                type(self).in_flight += 1
                type(self).most_in_flight = max(self.most_in_flight, self.in_flight)
            time.sleep(0.1)
            with self.lock:
                type(self).in_flight -= 1
            self.answer(200, b"ok")
        else:
            self.answer(404)

    def do_POST(self) -> None:
        length = int(self.headers["Content-Length"])
        echo = f"{self.headers['X-Probe']} {self.rfile.read(length).decode()}"
        self.answer(200, echo.encode())


@contextlib.contextmanager
def http_server(context: ssl.SSLContext | None = None) -> Iterator[int]:
    """An HTTP server on loopback (HTTPS with `context`) while the block runs; yields its port."""
    server = _Server(("127.0.0.1", 0), _Handler)
    if context is not None:
        # The handshake happens in the request's thread, so a refused one blocks nobody.
        server.socket = context.wrap_socket(
            server.socket, server_side=True, do_handshake_on_connect=False
        )
    # A short poll: each TLS test's server shuts down in a tick, not in the default half second.
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def port() -> Iterator[int]:
    with http_server() as port:
        yield port


def http_probe(url: str, **fields: Any) -> Probe:
    fields.setdefault("timeout_ms", 1000)
    return Probe(id="web", type=ProbeType.HTTP, component="api", url=url, **fields)


def test_an_answer_in_time_with_the_body_is_up(port: int) -> None:
    result = run(http_probe(f"http://127.0.0.1:{port}/ok", expect=Expect(body_contains="ok")))
    ms = answered(result)
    assert result == CheckResult("web", NOW, Measured.UP, ms, f"HTTP {200} in {ms:.0f} ms")


def test_a_slow_answer_is_degraded(port: int) -> None:
    result = run(http_probe(f"http://127.0.0.1:{port}/slow", expect=Expect(max_response_ms=50)))
    ms = answered(result)
    assert ms >= 100
    assert result == CheckResult(
        "web", NOW, Measured.DEGRADED, ms, f"HTTP 200 in {ms:.0f} ms, slower than 50 ms"
    )


def test_a_status_not_expected_is_down(port: int) -> None:
    result = run(http_probe(f"http://127.0.0.1:{port}/error"))
    assert result == CheckResult("web", NOW, Measured.DOWN, answered(result), "HTTP 500")


def test_the_expected_statuses_are_up(port: int) -> None:
    probe = http_probe(f"http://127.0.0.1:{port}/unavailable", expect=Expect(status=(200, 503)))
    assert run(probe).measured is Measured.UP


def test_a_body_without_the_text_is_down(port: int) -> None:
    probe = http_probe(f"http://127.0.0.1:{port}/ok", expect=Expect(body_contains="healthy"))
    result = run(probe)
    assert result == CheckResult(
        "web", NOW, Measured.DOWN, answered(result), 'body lacks "healthy"'
    )


def test_a_redirect_is_down_unless_followed(port: int) -> None:
    url = f"http://127.0.0.1:{port}/redirect"
    unfollowed = run(http_probe(url))
    assert unfollowed == CheckResult(
        "web", NOW, Measured.DOWN, answered(unfollowed), "HTTP 302 to /ok"
    )
    followed = run(http_probe(url, follow_redirects=True, expect=Expect(body_contains="all ok")))
    ms = answered(followed)
    assert followed == CheckResult("web", NOW, Measured.UP, ms, f"HTTP 200 in {ms:.0f} ms")


def test_the_method_headers_and_body_are_sent(port: int) -> None:
    probe = http_probe(
        f"http://127.0.0.1:{port}/echo",
        method="POST",
        headers=(("X-Probe", "hello"),),
        body="ping",
        expect=Expect(body_contains="hello ping"),
    )
    assert run(probe).measured is Measured.UP


def test_an_answer_later_than_the_timeout_is_down(port: int) -> None:
    probe = http_probe(f"http://127.0.0.1:{port}/hang", timeout_ms=200)
    started = time.monotonic()
    result = run(probe)
    assert time.monotonic() - started < 1
    assert result == CheckResult("web", NOW, Measured.DOWN, None, "timed out after 0.2 s")


def test_a_failure_then_a_success_counts_once_as_up(port: int) -> None:
    result = run(http_probe(f"http://127.0.0.1:{port}/flaky/retried", retries=1))
    ms = answered(result)
    assert result == CheckResult(
        "web", NOW, Measured.UP, ms, f"HTTP 200 in {ms:.0f} ms (try 2 of 2)"
    )


def test_without_retries_a_failure_is_down(port: int) -> None:
    result = run(http_probe(f"http://127.0.0.1:{port}/flaky/once"))
    assert result == CheckResult("web", NOW, Measured.DOWN, answered(result), "HTTP 503")


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_closed_port_is_refused_on_every_try() -> None:
    probe = Probe(
        id="db", type=ProbeType.TCP, component="db", host="127.0.0.1", port=closed_port(), retries=2
    )
    assert run(probe) == CheckResult(
        "db", NOW, Measured.DOWN, None, "connection refused (try 3 of 3)"
    )


def test_an_http_probe_of_a_closed_port_is_refused() -> None:
    result = run(http_probe(f"http://127.0.0.1:{closed_port()}/"))
    assert result == CheckResult("web", NOW, Measured.DOWN, None, "connection refused")


def test_an_open_port_is_up(port: int) -> None:
    result = run(Probe(id="db", type=ProbeType.TCP, component="db", host="127.0.0.1", port=port))
    ms = answered(result)
    assert result == CheckResult("db", NOW, Measured.UP, ms, f"connected in {ms:.0f} ms")


def test_check_all_keeps_the_order_and_the_bound_on_concurrency(port: int) -> None:
    _Handler.most_in_flight = 0
    probes = [http_probe(f"http://127.0.0.1:{port}/counted") for _ in range(6)]
    probes.insert(3, http_probe(f"http://127.0.0.1:{port}/error"))

    async def through_a_wide_client() -> list[CheckResult]:
        # The client's own pool allows 10 connections: only check_all's bound holds them to 2.
        async with make_client(10) as client:
            return await check_all(probes, 2, clock, client)

    results = asyncio.run(through_a_wide_client())
    assert [r.reason for r in results] == [
        "HTTP 500" if i == 3 else f"HTTP 200 in {answered(r):.0f} ms" for i, r in enumerate(results)
    ]
    assert _Handler.most_in_flight == 2


# TLS: certificates from a CA of the test's own, trusted by the checks' context only.


@pytest.fixture(scope="module")
def ca() -> trustme.CA:
    return trustme.CA()


@pytest.fixture(scope="module")
def trusting(ca: trustme.CA) -> ssl.SSLContext:
    context = ssl.create_default_context()
    ca.configure_trust(context)
    return context


def server_context(ca: trustme.CA, host: str, days: float) -> ssl.SSLContext:
    """A server's TLS context, with a certificate for `host` expiring `days` from the real now."""
    real_now = datetime.now(UTC)
    certificate = ca.issue_cert(
        host, not_before=real_now - timedelta(days=30), not_after=real_now + timedelta(days=days)
    )
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certificate.configure_cert(context)
    return context


@contextlib.contextmanager
def tls_server(ca: trustme.CA, host: str, days: float) -> Iterator[int]:
    """An HTTPS server whose certificate, for `host`, expires `days` from the real now."""
    with http_server(server_context(ca, host, days)) as port:
        yield port


def tls_probe(port: int, days_min: int | None = 14) -> Probe:
    return Probe(
        id="cert",
        type=ProbeType.TLS,
        component="web",
        host="127.0.0.1",
        port=port,
        timeout_ms=1000,
        expect=Expect(cert_days_min=days_min),
    )


def check_now(probe: Probe, trusting: ssl.SSLContext) -> CheckResult:
    """One check at the real now, which the certificates' validity is counted from."""
    return asyncio.run(check(probe, lambda: datetime.now(UTC), ssl_context=trusting))


def test_a_certificate_valid_long_enough_is_up(ca: trustme.CA, trusting: ssl.SSLContext) -> None:
    with tls_server(ca, "127.0.0.1", days=90.1) as port:
        result = check_now(tls_probe(port), trusting)
    ms = answered(result)
    assert (result.measured, result.reason) == (
        Measured.UP,
        f"TLS in {ms:.0f} ms, certificate expires in 90 days",
    )


def test_a_certificate_expiring_soon_is_degraded(ca: trustme.CA, trusting: ssl.SSLContext) -> None:
    with tls_server(ca, "127.0.0.1", days=3.1) as port:
        result = check_now(tls_probe(port), trusting)
        https = check_now(
            http_probe(f"https://127.0.0.1:{port}/ok", expect=Expect(cert_days_min=14)), trusting
        )
        unminded = check_now(http_probe(f"https://127.0.0.1:{port}/ok"), trusting)
    assert (result.measured, result.reason) == (Measured.DEGRADED, "certificate expires in 3 days")
    assert (https.measured, https.reason) == (Measured.DEGRADED, "certificate expires in 3 days")
    assert unminded.measured is Measured.UP


def test_a_certificate_for_another_host_is_down(ca: trustme.CA, trusting: ssl.SSLContext) -> None:
    with tls_server(ca, "other.example", days=90) as port:
        result = check_now(tls_probe(port), trusting)
        https = check_now(http_probe(f"https://127.0.0.1:{port}/ok"), trusting)
    assert (result.measured, result.reason) == (Measured.DOWN, "certificate is for another host")
    assert (https.measured, https.reason) == (Measured.DOWN, "certificate is for another host")


def test_an_expired_certificate_is_down(ca: trustme.CA, trusting: ssl.SSLContext) -> None:
    with tls_server(ca, "127.0.0.1", days=-1) as port:
        result = check_now(tls_probe(port), trusting)
    assert (result.measured, result.reason) == (Measured.DOWN, "certificate has expired")


def test_a_certificate_from_an_unknown_ca_is_down(ca: trustme.CA) -> None:
    with tls_server(ca, "127.0.0.1", days=90) as port:
        result = check_now(tls_probe(port), ssl.create_default_context())
    assert (result.measured, result.reason) == (Measured.DOWN, "certificate is not trusted")


# DNS: a stub name server on loopback, answering from a small zone.

ZONE = {
    ("example.test.", "A"): ["203.0.113.7", "203.0.113.8"],
    ("example.test.", "TXT"): ['"v=spf1 -all"'],
    ("www.example.test.", "CNAME"): ["example.test."],
}


@pytest.fixture(scope="module")
def resolver() -> Iterator[dns.asyncresolver.Resolver]:
    """A resolver asking only a stub server that answers from ZONE (and never for slow.test)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.bind(("127.0.0.1", 0))
    sock.settimeout(0.1)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                wire, client = sock.recvfrom(4096)
            except TimeoutError:
                continue
            query = dns.message.from_wire(wire)
            question = query.question[0]
            name, rdtype = question.name.to_text(), dns.rdatatype.to_text(question.rdtype)
            if name == "slow.test.":
                continue
            response = dns.message.make_response(query)
            response.flags |= dns.flags.AA
            if (name, rdtype) in ZONE:
                response.answer.append(
                    dns.rrset.from_text(name, 60, "IN", rdtype, *ZONE[name, rdtype])
                )
            elif name not in {known for known, _ in ZONE}:
                response.set_rcode(dns.rcode.NXDOMAIN)
            sock.sendto(response.to_wire(), client)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    stub = dns.asyncresolver.Resolver(configure=False)
    stub.nameservers = ["127.0.0.1"]
    stub.port = sock.getsockname()[1]
    try:
        yield stub
    finally:
        stop.set()
        thread.join()
        sock.close()


def dns_probe(name: str, record: str = "A", contains: str | None = None, **fields: Any) -> Probe:
    return Probe(
        id="dns",
        type=ProbeType.DNS,
        component="web",
        name=name,
        record=record,
        timeout_ms=fields.pop("timeout_ms", 1000),
        expect=Expect(contains=contains),
        **fields,
    )


@pytest.mark.parametrize(
    ("record", "contains", "shown"),
    [
        ("A", "203.0.113.8", "203.0.113.7, 203.0.113.8"),
        ("TXT", "spf1", "v=spf1 -all"),
        ("txt", None, "v=spf1 -all"),
    ],
)
def test_an_answer_holding_the_value_is_up(
    resolver: dns.asyncresolver.Resolver, record: str, contains: str | None, shown: str
) -> None:
    result = run(dns_probe("example.test", record, contains), resolver=resolver)
    ms = answered(result)
    assert result == CheckResult(
        "dns", NOW, Measured.UP, ms, f"{record.upper()} {shown} in {ms:.0f} ms"
    )


def test_a_cname_matches_with_or_without_the_root_dot(resolver: dns.asyncresolver.Resolver) -> None:
    for contains in ("example.test", "EXAMPLE.test."):
        result = run(dns_probe("www.example.test", "CNAME", contains), resolver=resolver)
        assert result.measured is Measured.UP


def test_an_answer_without_the_value_is_down(resolver: dns.asyncresolver.Resolver) -> None:
    result = run(dns_probe("example.test", contains="203.0.113.9"), resolver=resolver)
    assert result == CheckResult(
        "dns", NOW, Measured.DOWN, answered(result), "no A record holds 203.0.113.9"
    )


def test_a_name_or_record_that_does_not_exist_is_down(resolver: dns.asyncresolver.Resolver) -> None:
    missing = run(dns_probe("nowhere.test"), resolver=resolver)
    assert (missing.measured, missing.reason) == (Measured.DOWN, "nowhere.test does not exist")
    no_mx = run(dns_probe("example.test", "MX"), resolver=resolver)
    assert (no_mx.measured, no_mx.reason) == (Measured.DOWN, "no MX record for example.test")


def test_a_name_server_that_does_not_answer_times_out(resolver: dns.asyncresolver.Resolver) -> None:
    result = run(dns_probe("slow.test", timeout_ms=200), resolver=resolver)
    assert result == CheckResult("dns", NOW, Measured.DOWN, None, "timed out after 0.2 s")


# statuspage: an upstream page's API v2 summary, from a page built by us or GitHub's.


def upstream_probe(url: str, *components: str) -> Probe:
    return Probe(
        id="upstream",
        type=ProbeType.STATUSPAGE,
        component=None,
        url=url,
        timeout_ms=1000,
        components=components,
    )


@pytest.fixture(scope="module")
def pages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Path, str]]:
    """A folder served on loopback, and its URL: each test puts its page in a folder of its own."""
    folder = tmp_path_factory.mktemp("pages")
    with serving(folder) as url:
        yield folder, url


def page(pages: tuple[Path, str], name: str, payload: str | None) -> str:
    """The URL of a page whose summary is `payload` (None: no summary)."""
    folder, url = pages
    (folder / name / "api/v2").mkdir(parents=True)
    if payload is not None:
        (folder / name / "api/v2/summary.json").write_text(payload, encoding="utf-8")
    return f"{url}/{name}"


def test_a_page_built_by_us_gives_its_components_states(
    make_site: MakeSite, pages: tuple[Path, str]
) -> None:
    site = make_site(incidents={"open": OPEN})
    build_site(site.root, pages[0] / "ours", NOW)
    result = run(upstream_probe(f"{pages[1]}/ours/", "Public API", "Webhooks"))
    assert result == CheckResult(
        "upstream",
        NOW,
        Measured.DEGRADED,
        answered(result),
        "Webhooks: degraded performance",
        (("Public API", "operational"), ("Webhooks", "degraded_performance")),
    )


@pytest.fixture(scope="module")
def github(pages: tuple[Path, str]) -> str:
    """GitHub's page of 2022-11-25 (Packages in partial outage), served on loopback."""
    reference = REPO / "tests/data/statuspage-summary-github.json"
    return page(pages, "github", reference.read_text(encoding="utf-8"))


def test_operational_upstream_components_are_up(github: str) -> None:
    async def both() -> list[CheckResult]:
        async with make_client() as client:
            return [
                await check(upstream_probe(github, "Git Operations"), clock, client),
                await check(
                    upstream_probe(github, "Git Operations", "API Requests"), clock, client
                ),
            ]

    one, two = asyncio.run(both())
    assert one == CheckResult(
        "upstream",
        NOW,
        Measured.UP,
        answered(one),
        f"operational in {answered(one):.0f} ms",
        (("Git Operations", "operational"),),
    )
    assert (two.reason, two.upstream) == (
        f"all 2 operational in {answered(two):.0f} ms",
        (("Git Operations", "operational"), ("API Requests", "operational")),
    )


def test_an_upstream_outage_or_a_missing_component_is_down(github: str) -> None:
    result = run(upstream_probe(github, "Git Operations", "Packages", "Gists"))
    assert result == CheckResult(
        "upstream",
        NOW,
        Measured.DOWN,
        answered(result),
        'Packages: partial outage; no component named "Gists"',
        (("Git Operations", "operational"), ("Packages", "partial_outage")),
    )


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        ("<html>", "not a Statuspage summary: Expecting value: line 1 column 1 (char 0)"),
        ('{"components": {}}', "not a Statuspage summary: no list of components"),
        (
            '{"components": [{"name": "API"}]}',
            "not a Statuspage summary: a component lacks a name or a status",
        ),
        (
            '{"components": [{"name": "API", "status": "fine"}]}',
            "not a Statuspage summary: API has an unknown status 'fine'",
        ),
    ],
)
def test_an_answer_that_is_not_a_summary_is_down(
    pages: tuple[Path, str], payload: str, reason: str
) -> None:
    result = run(upstream_probe(page(pages, f"bad-{len(payload)}", payload), "API"))
    assert result == CheckResult("upstream", NOW, Measured.DOWN, answered(result), reason)


def test_a_page_without_a_summary_is_down(pages: tuple[Path, str]) -> None:
    result = run(upstream_probe(page(pages, "empty", None), "API"))
    assert result == CheckResult("upstream", NOW, Measured.DOWN, answered(result), "HTTP 404")


def test_a_client_given_is_the_one_used() -> None:
    seen: list[str] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, text="ok")

    async def with_mock() -> CheckResult:
        async with httpx.AsyncClient(transport=httpx.MockTransport(record)) as client:
            return await check(http_probe("http://mocked.test/ok"), clock, client)

    assert asyncio.run(with_mock()).measured is Measured.UP
    assert seen == ["http://mocked.test/ok"]


# Proxies: a forward proxy of the test's own on loopback, named by the variables a runner has.


class _ProxyServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, context: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        if context is not None:  # an https:// proxy, reached over TLS
            self.socket = context.wrap_socket(
                self.socket, server_side=True, do_handshake_on_connect=False
            )
        scheme = "http" if context is None else "https"
        self.url = f"{scheme}://127.0.0.1:{self.server_address[1]}"
        self.shown = f"127.0.0.1:{self.server_address[1]}"  # as a reason names it
        self.seen: list[tuple[str, str, str | None]] = []  # method, target, Proxy-Authorization
        self.wanted: str | None = None  # the Proxy-Authorization it requires

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    """Relays a request for an absolute URI, tunnels a CONNECT; records each one."""

    server: _ProxyServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def answer(self, status: int, **headers: str) -> None:
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def allowed(self) -> bool:
        """Record the request; answer 407 when it lacks the credentials the proxy wants."""
        given = self.headers.get("Proxy-Authorization")
        self.server.seen.append((self.command, self.path, given))
        if given == self.server.wanted:
            return True
        self.answer(407, **{"Proxy-Authenticate": 'Basic realm="proxy"'})
        return False

    def do_CONNECT(self) -> None:
        if not self.allowed():
            return
        host, _, port = self.path.rpartition(":")
        try:
            upstream = socket.create_connection((host, int(port)), timeout=5)
        except OSError:
            self.answer(502)
            return
        self.send_response(200, "Connection established")
        self.end_headers()
        with upstream:
            _relay(self.connection, upstream)
        self.close_connection = True

    def relay(self) -> None:
        if not self.allowed():
            return
        target = urllib.parse.urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        headers = {
            name: value
            for name, value in self.headers.items()
            if not name.lower().startswith("proxy-") and name.lower() != "connection"
        }
        upstream = http.client.HTTPConnection(target.hostname or "", target.port, timeout=5)
        try:
            upstream.request(
                self.command, target.path, self.rfile.read(length) if length else None, headers
            )
            response = upstream.getresponse()
            body = response.read()
        except OSError:
            self.answer(502)
            return
        finally:
            upstream.close()
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in {"content-length", "transfer-encoding", "connection"}:
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = relay


def _relay(one: socket.socket, other: socket.socket) -> None:
    """Copy bytes both ways between two sockets until either ends."""
    with contextlib.suppress(OSError):
        while True:
            readable, _, _ = select.select([one, other], [], [], 5)
            if not readable:
                return
            for sock in readable:
                data = sock.recv(65_536)
                if not data:
                    return
                (other if sock is one else one).sendall(data)


@contextlib.contextmanager
def forward_proxy(context: ssl.SSLContext | None = None) -> Iterator[_ProxyServer]:
    """A forward proxy on loopback while the block runs (reached over TLS with `context`)."""
    server = _ProxyServer(context)
    threading.Thread(target=server.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def proxy() -> Iterator[_ProxyServer]:
    with forward_proxy() as server:
        yield server


def basic(user: str, password: str) -> str:
    """The Proxy-Authorization header of `user` with `password`."""
    return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()


def test_an_http_check_goes_through_the_proxy_http_proxy_names(
    port: int, proxy: _ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    result = run(http_probe(f"http://127.0.0.1:{port}/ok", expect=Expect(body_contains="all ok")))
    ms = answered(result)
    assert result == CheckResult("web", NOW, Measured.UP, ms, f"HTTP 200 in {ms:.0f} ms")
    assert proxy.seen == [("GET", f"http://127.0.0.1:{port}/ok", None)]


def test_an_https_check_tunnels_through_the_proxy_to_the_targets_certificate(
    ca: trustme.CA, trusting: ssl.SSLContext, proxy: _ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("https_proxy", proxy.url)
    with tls_server(ca, "127.0.0.1", days=3.1) as port:
        expiring = check_now(
            http_probe(f"https://127.0.0.1:{port}/ok", expect=Expect(cert_days_min=14)), trusting
        )
    with tls_server(ca, "other.example", days=90) as other:
        elsewhere = check_now(http_probe(f"https://127.0.0.1:{other}/ok"), trusting)
    assert (expiring.measured, expiring.reason) == (
        Measured.DEGRADED,
        "certificate expires in 3 days",
    )
    assert (elsewhere.measured, elsewhere.reason) == (
        Measured.DOWN,
        f"certificate is for another host via proxy {proxy.shown}",
    )
    assert proxy.seen == [
        ("CONNECT", f"127.0.0.1:{port}", None),
        ("CONNECT", f"127.0.0.1:{other}", None),
    ]


def test_an_https_proxy_is_reached_over_tls_and_its_certificate_is_not_the_targets(
    port: int, ca: trustme.CA, trusting: ssl.SSLContext, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"http://127.0.0.1:{port}/ok"
    with forward_proxy(server_context(ca, "127.0.0.1", days=3.1)) as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        result = check_now(http_probe(url, expect=Expect(cert_days_min=14)), trusting)
        untrusted = check_now(http_probe(url), ssl.create_default_context())
    ms = answered(result)
    assert (result.measured, result.reason) == (Measured.UP, f"HTTP 200 in {ms:.0f} ms")
    assert (untrusted.measured, untrusted.reason) == (
        Measured.DOWN,
        f"certificate is not trusted via proxy {proxy.shown}",
    )
    assert proxy.seen == [("GET", url, None)]


def plain_and_secure(
    port: int, ca: trustme.CA, trusting: ssl.SSLContext
) -> tuple[CheckResult, CheckResult, int]:
    """A check of an http:// target on `port`, one of an https:// server, and the latter's port."""
    plain = run(http_probe(f"http://127.0.0.1:{port}/ok"))
    with tls_server(ca, "127.0.0.1", days=90) as tls_port:
        secure = check_now(http_probe(f"https://127.0.0.1:{tls_port}/ok"), trusting)
    return plain, secure, tls_port


def test_the_credentials_of_the_proxy_address_go_to_the_proxy(
    port: int,
    ca: trustme.CA,
    trusting: ssl.SSLContext,
    proxy: _ProxyServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy.wanted = basic("probe", "s@cret")
    monkeypatch.setenv("ALL_PROXY", proxy.url.replace("//", "//probe:s%40cret@"))
    plain, secure, tls_port = plain_and_secure(port, ca, trusting)
    assert (plain.measured, secure.measured) == (Measured.UP, Measured.UP)
    assert proxy.seen == [
        ("GET", f"http://127.0.0.1:{port}/ok", proxy.wanted),
        ("CONNECT", f"127.0.0.1:{tls_port}", proxy.wanted),
    ]


def test_a_proxy_refusing_the_credentials_is_down_and_no_reason_shows_them(
    port: int,
    ca: trustme.CA,
    trusting: ssl.SSLContext,
    proxy: _ProxyServer,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy.wanted = basic("probe", "another")
    monkeypatch.setenv("ALL_PROXY", proxy.url.replace("//", "//probe:s3cret@"))
    plain, secure, _ = plain_and_secure(port, ca, trusting)
    assert plain == CheckResult(
        "web", NOW, Measured.DOWN, answered(plain), f"HTTP 407 via proxy {proxy.shown}"
    )
    assert (secure.measured, secure.response_ms, secure.reason) == (
        Measured.DOWN,
        None,
        f"proxy {proxy.shown} answered 407 Proxy Authentication Required",
    )


def test_a_proxy_that_refuses_the_connection_is_named_without_its_password(
    port: int, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    closed = closed_port()
    monkeypatch.setenv("HTTP_PROXY", f"http://probe:s3cret@127.0.0.1:{closed}")
    caplog.set_level(logging.INFO, logger="statuspage.probes.runners")
    result = run(http_probe(f"http://127.0.0.1:{port}/ok", retries=1))
    refused = f"proxy 127.0.0.1:{closed} refused the connection"
    assert result == CheckResult("web", NOW, Measured.DOWN, None, f"{refused} (try 2 of 2)")
    assert caplog.messages == [f"web: {refused}; checking again (2 of 2)"]


def test_a_target_the_proxy_cannot_reach_is_down_via_the_proxy(
    ca: trustme.CA, trusting: ssl.SSLContext, proxy: _ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    monkeypatch.setenv("HTTPS_PROXY", proxy.url)
    closed = closed_port()
    plain = run(http_probe(f"http://127.0.0.1:{closed}/ok"))
    secure = check_now(http_probe(f"https://127.0.0.1:{closed}/ok"), trusting)
    assert plain == CheckResult(
        "web", NOW, Measured.DOWN, answered(plain), f"HTTP 502 via proxy {proxy.shown}"
    )
    assert (secure.measured, secure.reason) == (
        Measured.DOWN,
        f"proxy {proxy.shown} answered 502 Bad Gateway",
    )


def test_a_check_through_the_proxy_that_times_out_names_it(
    port: int, proxy: _ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    result = run(http_probe(f"http://127.0.0.1:{port}/hang", timeout_ms=200))
    assert result == CheckResult(
        "web", NOW, Measured.DOWN, None, f"timed out after 0.2 s via proxy {proxy.shown}"
    )


@pytest.mark.parametrize(
    ("variables", "proxied"),
    [
        ({}, False),
        ({"HTTPS_PROXY": "{proxy}"}, False),  # the proxy of https:// addresses only
        ({"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.1"}, False),
        ({"http_proxy": "{proxy}", "no_proxy": "example.com, 127.0.0.0/8"}, False),
        ({"HTTP_PROXY": "{proxy}", "NO_PROXY": "localhost,127.0.0.1:{port}"}, False),
        ({"ALL_PROXY": "{proxy}", "NO_PROXY": "*"}, False),
        ({"HTTP_PROXY": "{proxy}", "http_proxy": ""}, False),  # lowercase wins: none
        ({"HTTP_PROXY": "{proxy}", "NO_PROXY": "127.0.0.1:1,127.0.0.2,localhost"}, True),
        ({"ALL_PROXY": "{proxy}"}, True),
    ],
)
def test_the_variables_say_which_checks_go_direct(
    port: int,
    proxy: _ProxyServer,
    monkeypatch: pytest.MonkeyPatch,
    variables: dict[str, str],
    proxied: bool,
) -> None:
    for name, value in variables.items():
        monkeypatch.setenv(name, value.format(proxy=proxy.url, port=port))
    url = f"http://127.0.0.1:{port}/ok"
    result = run(http_probe(url))
    assert (result.measured, proxy.seen) == (
        Measured.UP,
        [("GET", url, None)] if proxied else [],
    )


def test_each_redirect_goes_where_its_own_address_says(
    port: int, proxy: _ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    closed = closed_port()
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    with http_server() as other:
        monkeypatch.setenv("NO_PROXY", f"127.0.0.1:{other},127.0.0.1:{closed}")
        url = f"http://127.0.0.1:{port}/away/{other}"
        result = run(http_probe(url, follow_redirects=True, expect=Expect(body_contains="all ok")))
        # Sent direct, the redirect's answer and failure are the target's, not the proxy's.
        unexpected = run(http_probe(url, follow_redirects=True, expect=Expect(status=(204,))))
    refused = f"http://127.0.0.1:{port}/away/{closed}"
    failed = run(http_probe(refused, follow_redirects=True))
    assert result.measured is Measured.UP
    assert unexpected == CheckResult("web", NOW, Measured.DOWN, answered(unexpected), "HTTP 200")
    assert failed == CheckResult("web", NOW, Measured.DOWN, None, "connection refused")
    assert proxy.seen == [("GET", url, None), ("GET", url, None), ("GET", refused, None)]


def test_an_upstream_page_is_read_through_the_proxy(
    github: str, proxy: _ProxyServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTP_PROXY", proxy.url)
    result = run(upstream_probe(github, "Git Operations"))
    assert (result.measured, result.upstream) == (
        Measured.UP,
        (("Git Operations", "operational"),),
    )
    assert proxy.seen == [("GET", f"{github}/api/v2/summary.json", None)]


def test_a_proxy_that_cannot_be_used_stops_a_run_of_http_checks_only(
    port: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://probe:s3cret@127.0.0.1:1080")
    tcp = Probe(id="db", type=ProbeType.TCP, component="db", host="127.0.0.1", port=port)
    with pytest.raises(ProxyUsageError) as raised:
        asyncio.run(check_all([tcp, http_probe(f"http://127.0.0.1:{port}/ok")], 2, clock))
    assert str(raised.value) == (
        "HTTPS_PROXY: statuspage reaches a proxy over http:// or https://, not socks5:// "
        "('socks5://***@127.0.0.1:1080'); name one such as http://proxy.example.com:3128"
    )
    [result] = asyncio.run(check_all([tcp], 2, clock))
    assert result.measured is Measured.UP


@pytest.mark.parametrize(
    ("cause", "reason"),
    [
        (
            socket.gaierror(-2, "Name or service not known"),
            "proxy proxy.corp.example:3128: host not found",
        ),
        (
            ConnectionResetError(104, "Connection reset by peer"),
            "proxy proxy.corp.example:3128 reset the connection",
        ),
        (
            OSError(113, "No route to host"),
            "[Errno 113] No route to host via proxy proxy.corp.example:3128",
        ),
    ],
)
def test_a_failure_to_reach_the_proxy_is_the_proxys(cause: OSError, reason: str) -> None:
    def fail(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(str(cause), request=request) from cause

    async def through_the_proxy() -> CheckResult:
        proxies = Proxies.read({"https": "http://proxy.corp.example:3128"})
        async with httpx.AsyncClient(transport=httpx.MockTransport(fail)) as client:
            return await check(
                http_probe("https://api.example.com/"), clock, client, proxies=proxies
            )

    assert asyncio.run(through_the_proxy()) == CheckResult("web", NOW, Measured.DOWN, None, reason)

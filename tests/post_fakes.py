"""Fake servers for the posting tests: Mastodon, Bluesky, X, the chat webhooks, Matrix and
Telegram on loopback (ThreadingHTTPServer), each recording every request and answering as
its real one would, or as a test scripts; and a mail server (aiosmtpd) recording each mail.

Nothing here reaches the internet: every address is 127.0.0.1 on a port the system gives.
"""

from __future__ import annotations

import contextlib
import http.server
import json
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, Envelope, LoginPassword, Session


@dataclass(frozen=True)
class Recorded:
    """One request a fake server got."""

    method: str
    path: str  # with its query
    headers: dict[str, str]  # names in lower case
    body: Any  # the JSON sent, or None


@dataclass(frozen=True)
class Answer:
    """What a fake server answers."""

    status: int = 200
    body: Any = None  # JSON; a str is sent as text
    headers: dict[str, str] = field(default_factory=dict)


Responder = Callable[[Recorded, int], Answer]  # the request, and how many came before it


class FakeServer:
    """An HTTP server on loopback that records requests and answers with `responder`, or
    first with the answers a test puts in `script`, one per request."""

    def __init__(self, responder: Responder) -> None:
        self.responder = responder
        self.script: list[Answer] = []
        self.requests: list[Recorded] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_any(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                recorded = Recorded(
                    self.command,
                    self.path,
                    {name.lower(): value for name, value in self.headers.items()},
                    json.loads(raw) if raw else None,
                )
                with fake._lock:
                    before = len(fake.requests)
                    fake.requests.append(recorded)
                    answer = fake.script.pop(0) if fake.script else None
                answer = answer or fake.responder(recorded, before)
                body = answer.body
                data = (
                    b""
                    if body is None
                    else body.encode()
                    if isinstance(body, str)
                    else json.dumps(body).encode()
                )
                self.send_response(answer.status)
                kind = "text/plain" if isinstance(body, str) else "application/json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                # A new connection for every request: a stopped server refuses the next one.
                self.send_header("Connection", "close")
                self.close_connection = True
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_any

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(
            target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
        )
        self._thread.start()
        self.running = True

    def stop(self) -> None:
        """Stop answering and close the port: a connection to it is refused from now on."""
        if self.running:
            self._server.shutdown()
            self._server.server_close()
            self.running = False

    def posts(self, path: str) -> list[Recorded]:
        """The requests that were not GETs, to paths starting with `path`."""
        return [r for r in self.requests if r.method != "GET" and r.path.startswith(path)]


# -- how each real service answers -------------------------------------------------------


def mastodon(limit: int = 500) -> Responder:
    def answer(request: Recorded, before: int) -> Answer:
        if request.method == "GET" and request.path == "/api/v2/instance":
            statuses = {"max_characters": limit, "characters_reserved_per_url": 23}
            return Answer(body={"configuration": {"statuses": statuses}})
        if request.path == "/api/v1/statuses":
            return Answer(body={"id": f"1000{before}", "url": f"https://m.example/@s/1000{before}"})
        return Answer(404, {"error": "Record not found"})

    return answer


def bluesky(request: Recorded, before: int) -> Answer:
    if request.path == "/xrpc/com.atproto.server.createSession":
        if request.body.get("password") != "app-pass-1234":
            return Answer(401, {"error": "AuthenticationRequired", "message": "Invalid password"})
        return Answer(body={"did": "did:plc:status", "accessJwt": "jwt-session-5678"})
    if request.path == "/xrpc/com.atproto.repo.createRecord":
        return Answer(
            body={"uri": f"at://did:plc:status/app.bsky.feed.post/p{before}", "cid": f"cid{before}"}
        )
    return Answer(404, {"error": "MethodNotImplemented"})


def x_api(request: Recorded, before: int) -> Answer:
    return Answer(201, {"data": {"id": f"19{before}", "text": request.body["text"]}})


def slack(request: Recorded, before: int) -> Answer:
    return Answer(200, "ok")


def discord(request: Recorded, before: int) -> Answer:
    return Answer(200, {"id": f"1300{before}", "content": request.body["content"]})


def teams(request: Recorded, before: int) -> Answer:
    return Answer(202)


def matrix(request: Recorded, before: int) -> Answer:
    return Answer(200, {"event_id": f"$event{before}"})


def telegram(request: Recorded, before: int) -> Answer:
    return Answer(200, {"ok": True, "result": {"message_id": 500 + before}})


RESPONDERS: dict[str, Responder] = {
    "mastodon": mastodon(),
    "bluesky": bluesky,
    "x": x_api,
    "slack": slack,
    "discord": discord,
    "teams": teams,
    "matrix": matrix,
    "telegram": telegram,
}


@contextlib.contextmanager
def fake_servers() -> Iterator[dict[str, FakeServer]]:
    """One fake server per HTTP channel while the block runs."""
    servers = {name: FakeServer(responder) for name, responder in RESPONDERS.items()}
    try:
        yield servers
    finally:
        for server in servers.values():
            server.stop()


# -- the mail server ---------------------------------------------------------------------


class MailRecorder:
    """An aiosmtpd handler keeping each mail it is given, parsed, with its envelope."""

    def __init__(self) -> None:
        self.mails: list[tuple[str, list[str], EmailMessage]] = []
        self.logins: list[tuple[str, str]] = []

    async def handle_DATA(self, server: Any, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        message = message_from_bytes(content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.mails.append((str(envelope.mail_from), list(envelope.rcpt_tos), message))
        return "250 OK"

    def authenticate(
        self, server: Any, session: Session, envelope: Envelope, mechanism: str, data: Any
    ) -> AuthResult:
        if isinstance(data, LoginPassword):
            login = (data.login.decode(), data.password.decode())
            self.logins.append(login)
            return AuthResult(success=login == ("status-bot", "smtp-secret-99"))
        return AuthResult(success=False)


@contextlib.contextmanager
def mail_server(tls: ssl.SSLContext | None = None) -> Iterator[tuple[int, MailRecorder]]:
    """An SMTP server on loopback while the block runs: its port and what it recorded.

    With `tls`, it offers STARTTLS with that context and requires it before anything else
    (and before a login); without, it takes mail in the clear, and logins too.
    """
    recorder = MailRecorder()
    with socket.socket() as probe:  # a free port: aiosmtpd's Controller needs to know it
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(
        recorder,
        hostname="127.0.0.1",
        port=port,
        authenticator=recorder.authenticate,
        auth_require_tls=tls is not None,
        tls_context=tls,
        require_starttls=tls is not None,
    )
    controller.start()
    try:
        yield port, recorder
    finally:
        controller.stop()


# -- a site that posts everywhere, to these servers -------------------------------------

SECRETS = {
    "STATUSPAGE_X_TOKEN": "x-token-0001",
    "STATUSPAGE_MASTODON_TOKEN": "mastodon-token-0002",
    "STATUSPAGE_BLUESKY_APP_PASSWORD": "app-pass-1234",
    "STATUSPAGE_MATRIX_TOKEN": "matrix-token-0003",
    "STATUSPAGE_TELEGRAM_TOKEN": "123456:telegram-token-0004",
    "STATUSPAGE_SMTP_USERNAME": "status-bot",
    "STATUSPAGE_SMTP_PASSWORD": "smtp-secret-99",
}
WEBHOOK_PATHS = {
    "slack": "/services/T000/B000/slack-secret-0005",
    "discord": "/api/webhooks/42/discord-secret-0006",
    "teams": "/workflows/7/triggers/manual/paths/invoke?sig=teams-secret-0007",
}


def environment(servers: dict[str, FakeServer]) -> dict[str, str]:
    """Every channel's secrets, the webhooks at their fake servers."""
    hooks = {
        f"STATUSPAGE_{name.upper()}_WEBHOOK": servers[name].url + path
        for name, path in WEBHOOK_PATHS.items()
    }
    return {**SECRETS, **hooks}


def social_config(
    servers: dict[str, FakeServer],
    mail_port: int,
    post: tuple[str, ...] | list[str] = (),
    extra: str = "",
) -> str:
    """A `social:` section posting to `post` (default: every channel) at these servers."""
    from statuspage.model.social import CHANNELS

    chosen = list(post or CHANNELS)
    sections = {
        "matrix": f'  matrix: {{homeserver: "{servers["matrix"].url}", room: "!room:x.org"}}\n',
        "telegram": f'  telegram: {{chat: "@examplestatus", api: "{servers["telegram"].url}"}}\n',
        "email": (
            "  email:\n    to: status@lists.example.com\n"
            "    from: Test Status <status@test.example>\n"
            f"    host: 127.0.0.1\n    port: {mail_port}\n    tls: none\n"
        ),
    }
    return (
        "social:\n"
        f"  post: [{', '.join(chosen)}]\n"
        f'  x: {{api: "{servers["x"].url}"}}\n'
        f'  mastodon: {{instance: m.example, api: "{servers["mastodon"].url}", thread: true}}\n'
        f'  bluesky: {{handle: status.test.example, service: "{servers["bluesky"].url}"}}\n'
        + "".join(text for name, text in sections.items() if name in chosen)
        + extra
    )

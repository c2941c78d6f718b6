"""Where posts go out: over HTTP and SMTP with bounded retries, or, for a dry run, to the
screen.

Every channel hands its requests to an `Outbox`. `LiveOutbox` sends them: each request
bounded by a timeout, at most `attempts` tries, again only after a rate limit (429, waiting
as `Retry-After` says), an answer of 5xx or a connection that failed (a request that may
have reached the server is sent again only where the channel makes a repeat harmless: an
idempotency key, a transaction id); any other answer fails at once. Its sleep and clock are
parameters, so tests never wait. `DryRunOutbox` sends nothing: it shows each request as it
would go (its method, its address and headers with the secrets masked, its JSON body, the
mail) and answers with the stand-ins the channel gave.

Every message either shows is scrubbed of the run's secrets (see credentials.Scrubber).
"""

from __future__ import annotations

import json
import smtplib
import ssl
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from email.utils import parsedate_to_datetime
from typing import Any, Protocol

import httpx

from ..errors import PostFailed
from ..model.social import EmailSettings, MailTls
from ..probes.proxies import environment_client
from .credentials import MASK, Scrubber

ATTEMPTS = 3
TIMEOUT_S = 15.0
MAX_BACKOFF_S = 30.0
MAX_WAIT_S = 120.0  # a rate limit asking for longer fails the post: the next run sends it
SECRET_HEADERS = frozenset({"authorization"})
_DETAIL_CHARS = 300  # of a server's own words on a failure, shown after its status


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request of a channel."""

    method: str
    url: str = field(repr=False)  # may hold a secret (a webhook, a bot token): never shown
    shown_url: str  # the address as messages show it, its secret parts masked
    json: Any = None
    headers: Mapping[str, str] = field(default_factory=dict, repr=False)
    # Whether sending it twice posts once (an idempotency key, a transaction id): only then
    # is it sent again after a failure that may have happened once the server had it.
    idempotent: bool = False
    dry_answer: Any = None  # what a dry run takes as the answer: stand-ins for the ids


@dataclass(frozen=True, slots=True)
class Login:
    """The mail server's login, from the environment."""

    username: str
    password: str = field(repr=False)


class Outbox(Protocol):
    """Sends a channel's requests and mail, or shows them."""

    dry: bool
    scrub: Scrubber  # a channel adds the secrets it is given (a session's token)

    def send(self, request: Request) -> Any:
        """The answer's JSON (or text, or None when empty); PostFailed when it failed."""

    def look(self, request: Request) -> Any:
        """One try of a request that posts nothing (an instance's limits): its JSON, or None
        on any failure; a dry run sends nothing and answers None."""

    def mail(self, message: EmailMessage, server: EmailSettings, login: Login | None) -> None:
        """Send one mail; PostFailed when it failed."""


SmtpFactory = Callable[[EmailSettings, ssl.SSLContext], smtplib.SMTP]


def connect_smtp(server: EmailSettings, context: ssl.SSLContext) -> smtplib.SMTP:
    """A connection to the mail server, secured as `server.tls` says (STARTTLS before any
    login or mail)."""
    if server.tls is MailTls.SSL:
        return smtplib.SMTP_SSL(server.host, server.port, timeout=TIMEOUT_S, context=context)
    smtp = smtplib.SMTP(server.host, server.port, timeout=TIMEOUT_S)
    try:
        if server.tls is MailTls.STARTTLS:
            smtp.starttls(context=context)
    except BaseException:
        smtp.close()
        raise
    return smtp


class LiveOutbox:
    """Sends requests with `client` and mail over SMTP, retrying within bounds."""

    dry = False

    def __init__(
        self,
        client: httpx.Client,
        scrub: Scrubber,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        note: Callable[[str], None] = lambda line: None,
        attempts: int = ATTEMPTS,
        ssl_context: ssl.SSLContext | None = None,
        smtp: SmtpFactory = connect_smtp,
    ) -> None:
        self.client = client
        self.scrub = scrub
        self.sleep = sleep
        self.clock = clock
        self.note = note
        self.attempts = attempts
        self.ssl_context = ssl_context
        self.smtp = smtp

    def send(self, request: Request) -> Any:
        for attempt in range(1, self.attempts + 1):
            try:
                response = self._request(request)
            except httpx.TransportError as error:
                problem = f"{request.shown_url}: {self._transport_problem(error)}"
                reached = not isinstance(error, httpx.ConnectError | httpx.ConnectTimeout)
                if reached and not request.idempotent:
                    raise PostFailed(
                        f"{problem}; not sent again, since the server may have posted it"
                    ) from None
                delay = _backoff(attempt)
            else:
                if response.is_success:
                    return _answer(response)
                problem = f"{request.shown_url} answered {self._status(response)}"
                if response.status_code == 429:
                    delay = _retry_after(response, self.clock()) or _backoff(attempt)
                elif response.status_code >= 500:
                    delay = _backoff(attempt)
                else:
                    raise PostFailed(problem)
                if delay > MAX_WAIT_S:
                    raise PostFailed(f"{problem}, asking to wait {delay:.0f} s; try again later")
            if attempt == self.attempts:
                raise PostFailed(f"{problem} ({self.attempts} attempts)")
            self.note(f"{problem}; trying again in {delay:g} s")
            self.sleep(delay)
        raise AssertionError("unreachable")  # pragma: no cover

    def look(self, request: Request) -> Any:
        try:
            response = self._request(request)
        except httpx.TransportError:
            return None
        if not response.is_success:
            return None
        try:
            return response.json()
        except ValueError:
            return None

    def mail(self, message: EmailMessage, server: EmailSettings, login: Login | None) -> None:
        context = self.ssl_context or ssl.create_default_context()
        where = f"smtp://{server.host}:{server.port}"
        for attempt in range(1, self.attempts + 1):
            try:
                with self.smtp(server, context) as smtp:
                    if login is not None:
                        smtp.login(login.username, login.password)
                    smtp.send_message(message)
                return
            except smtplib.SMTPResponseException as error:
                problem = f"{where} answered {error.smtp_code} {_smtp_text(error.smtp_error)}"
                if not 400 <= error.smtp_code < 500:  # 5xx: refused for good
                    raise PostFailed(self.scrub(problem)) from None
            except (smtplib.SMTPServerDisconnected, ConnectionError, TimeoutError) as error:
                problem = f"{where}: {_os_problem(error)}"
            except (smtplib.SMTPException, OSError) as error:  # TLS, a refused address...
                raise PostFailed(self.scrub(f"{where}: {_os_problem(error)}")) from None
            problem = self.scrub(problem)
            if attempt == self.attempts:
                raise PostFailed(f"{problem} ({self.attempts} attempts)")
            delay = _backoff(attempt)
            self.note(f"{problem}; trying again in {delay:g} s")
            self.sleep(delay)

    def _request(self, request: Request) -> httpx.Response:
        body = None
        headers = dict(request.headers)
        if request.json is not None:
            body = json.dumps(request.json, ensure_ascii=False).encode("utf-8")
            headers["Content-Type"] = "application/json; charset=utf-8"
        return self.client.request(request.method, request.url, content=body, headers=headers)

    def _status(self, response: httpx.Response) -> str:
        """'500 Internal Server Error: what the server said', scrubbed of secrets."""
        said = response.reason_phrase or ""
        detail = _detail(response)
        shown = f"{response.status_code} {said}".rstrip()
        return self.scrub(f"{shown}: {detail}" if detail else shown)

    def _transport_problem(self, error: httpx.TransportError) -> str:
        if isinstance(error, httpx.ConnectError):
            what = "cannot connect"
        elif isinstance(error, httpx.TimeoutException):
            what = f"no answer within {TIMEOUT_S:g} s"
        else:
            what = "the connection failed"
        # httpx's own words may hold the address, and so a secret: scrubbed.
        said = str(error).strip()
        return self.scrub(f"{what} ({said})" if said else what)


class DryRunOutbox:
    """Shows each request and mail as it would go, and sends nothing."""

    dry = True

    def __init__(self, show: Callable[[str], None], scrub: Scrubber) -> None:
        self.show = show
        self.scrub = scrub

    def send(self, request: Request) -> Any:
        lines = [f"{request.method} {request.shown_url}"]
        for name, value in request.headers.items():
            shown = f"{value.split(' ', 1)[0]} {MASK}" if name.lower() in SECRET_HEADERS else value
            lines.append(f"{name}: {shown}")
        if request.json is not None:
            lines.append(json.dumps(request.json, ensure_ascii=False, indent=2))
        self.show(self.scrub("\n".join(lines)))
        return request.dry_answer

    def look(self, request: Request) -> Any:
        return None

    def mail(self, message: EmailMessage, server: EmailSettings, login: Login | None) -> None:
        who = f" as {login.username}" if login is not None else ""
        lines = [f"SMTP {server.host}:{server.port} ({server.tls.value}){who}"]
        lines += [f"{name}: {value}" for name, value in message.items()]
        for part in message.iter_parts():
            lines += ["", f"-- {part.get_content_type()}", str(part.get_content()).rstrip()]
        self.show(self.scrub("\n".join(lines)))


def _backoff(attempt: int) -> float:
    """The wait before try `attempt + 1`: 1 s, 2 s, 4 s... at most MAX_BACKOFF_S."""
    return min(MAX_BACKOFF_S, 2.0 ** (attempt - 1))


def _retry_after(response: httpx.Response, now: datetime) -> float | None:
    """The seconds `Retry-After` asks to wait (a number, or an HTTP date); None without one."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return float(int(value[:9]))
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def _answer(response: httpx.Response) -> Any:
    if not response.content:
        return None
    try:
        return response.json()
    except ValueError:
        return response.text


def _detail(response: httpx.Response) -> str:
    """The server's own words on a failure: its JSON error's message, or the start of its
    text, on one line."""
    try:
        data = response.json()
    except ValueError:
        text = response.text
    else:
        text = ""
        if isinstance(data, dict):
            # Bluesky's message, Mastodon's error, Telegram's description, X's detail...
            for key in ("message", "error_description", "description", "detail", "error"):
                if isinstance(data.get(key), str):
                    text = data[key]
                    break
            else:
                text = json.dumps(data, ensure_ascii=False)
    one_line = " ".join(text.split())
    if len(one_line) > _DETAIL_CHARS:
        one_line = one_line[: _DETAIL_CHARS - 1] + "…"
    return "".join(c for c in one_line if c.isprintable())


def _smtp_text(said: bytes | str) -> str:
    text = said.decode("utf-8", "replace") if isinstance(said, bytes) else said
    return " ".join(text.split())[:_DETAIL_CHARS]


def _os_problem(error: Exception) -> str:
    if isinstance(error, ConnectionRefusedError):
        return "cannot connect (connection refused)"
    if isinstance(error, TimeoutError):
        return f"no answer within {TIMEOUT_S:g} s"
    if isinstance(error, ssl.SSLError):
        return f"TLS failed ({error.reason or error})"
    if isinstance(error, smtplib.SMTPServerDisconnected):
        return "the server closed the connection"
    return " ".join(str(error).split()) or type(error).__name__


def http_client(user_agent: str) -> httpx.Client:
    """The HTTP client posts go through: a timeout on every request, no redirects (a post is
    never sent on to another address), the proxies the environment names as probes read
    them (HTTPS_PROXY, NO_PROXY...), and nothing else of it (no .netrc)."""
    return environment_client(
        timeout=TIMEOUT_S, follow_redirects=False, headers={"User-Agent": user_agent}
    )

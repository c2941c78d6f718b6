"""Which proxy each HTTP request of a probe goes through: the one the environment names, as curl.

HTTPS_PROXY for https:// addresses, HTTP_PROXY for http:// ones, ALL_PROXY for either when
its own is not set, and NO_PROXY for the hosts reached directly; each also in lowercase, which
wins (the standard library reads them so). Only these variables count: not the system
settings of macOS or Windows, and no credentials file such as .netrc.
"""

from __future__ import annotations

import ipaddress
import re
import ssl
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import httpx

from ..errors import UsageError

_EXAMPLE = "http://proxy.example.com:3128"
_DEFAULT_PORTS = {"http": 80, "https": 443}
_ENTRIES = re.compile(r"[\s,]+")

_Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_Address = ipaddress.IPv4Address | ipaddress.IPv6Address


class ProxyUsageError(UsageError):
    """A proxy variable names a proxy that statuspage cannot use; nothing was checked."""


@dataclass(frozen=True, slots=True)
class Proxy:
    """A proxy: its place as messages show it, and its address, credentials and all."""

    shown: str  # host:port, without the credentials: what a reason or an error may say
    url: str = field(repr=False)  # may hold user:password: for the connection only


@dataclass(frozen=True, slots=True)
class _Bypass:
    """One entry of NO_PROXY: a domain and the names below it, or addresses; maybe one port."""

    domain: str | None  # lowercase, without a leading or trailing dot
    network: _Network | None  # one address is a network of one
    port: int | None  # None: every port

    def matches(self, host: str, address: _Address | None, port: int) -> bool:
        """Whether a request to `host` (its `address` when it is one) and `port` goes direct."""
        if self.port is not None and self.port != port:
            return False
        if self.network is not None:
            return address is not None and address in self.network
        assert self.domain is not None
        return address is None and (host == self.domain or host.endswith("." + self.domain))


@dataclass(frozen=True, slots=True)
class Proxies:
    """The proxies of http:// and https:// requests, and the hosts that bypass them."""

    http: Proxy | None = None
    https: Proxy | None = None
    bypass: tuple[_Bypass, ...] = ()
    bypass_all: bool = False  # NO_PROXY holds '*'

    @classmethod
    def from_environment(cls) -> Proxies:
        """The proxies the environment names; ProxyUsageError for one statuspage cannot use."""
        return cls.read(urllib.request.getproxies_environment())

    @classmethod
    def read(cls, variables: Mapping[str, str]) -> Proxies:
        """The proxies of `variables`, keyed as getproxies_environment() keys them ('https')."""
        entries = _ENTRIES.split(variables.get("no", "").lower())  # commas or blanks, as curl
        bypass = tuple(rule for entry in entries if (rule := _read_bypass(entry)) is not None)
        return cls(_chosen(variables, "http"), _chosen(variables, "https"), bypass, "*" in entries)

    def for_url(self, url: httpx.URL) -> Proxy | None:
        """The proxy a request of `url` goes through; None when it goes straight to its host."""
        proxy = {"http": self.http, "https": self.https}.get(url.scheme)
        if proxy is None or self.bypass_all:
            return None
        host = url.raw_host.decode("ascii").lower().rstrip(".")
        port = url.port or _DEFAULT_PORTS[url.scheme]
        address = _address(host)
        if any(rule.matches(host, address, port) for rule in self.bypass):
            return None
        return proxy


def make_transport(
    proxies: Proxies, ssl_context: ssl.SSLContext, limits: httpx.Limits
) -> httpx.AsyncBaseTransport:
    """A transport that sends each request as `proxies` says: direct, or through its proxy."""
    direct = httpx.AsyncHTTPTransport(verify=ssl_context, limits=limits)
    if proxies.http is None and proxies.https is None:
        return direct
    through = {
        proxy: httpx.AsyncHTTPTransport(
            verify=ssl_context, limits=limits, proxy=_proxy(proxy, ssl_context)
        )
        for proxy in _named(proxies)
    }
    return _Router(proxies, direct, through)


def make_sync_transport(proxies: Proxies, ssl_context: ssl.SSLContext) -> httpx.BaseTransport:
    """make_transport's routing for a client that is not async (posts, imports)."""
    direct = httpx.HTTPTransport(verify=ssl_context)
    if proxies.http is None and proxies.https is None:
        return direct
    through = {
        proxy: httpx.HTTPTransport(verify=ssl_context, proxy=_proxy(proxy, ssl_context))
        for proxy in _named(proxies)
    }
    return _SyncRouter(proxies, direct, through)


def environment_client(**options: Any) -> httpx.Client:
    """A client that is not async (posts, imports) through the proxies the environment
    names, and nothing else of it (no .netrc); `options` as httpx.Client takes them."""
    transport = make_sync_transport(Proxies.from_environment(), ssl.create_default_context())
    return httpx.Client(transport=transport, trust_env=False, **options)


def _named(proxies: Proxies) -> set[Proxy]:
    return {proxy for proxy in (proxies.http, proxies.https) if proxy is not None}


def _proxy(proxy: Proxy, ssl_context: ssl.SSLContext) -> httpx.Proxy:
    """httpx's proxy of `proxy`: an https:// proxy's own certificate is checked as a
    target's is."""
    return httpx.Proxy(
        proxy.url, ssl_context=ssl_context if proxy.url.startswith("https://") else None
    )


class _Router(httpx.AsyncBaseTransport):
    """Sends each request, redirects too, straight to its host or through the proxy for it."""

    def __init__(
        self,
        proxies: Proxies,
        direct: httpx.AsyncBaseTransport,
        through: dict[Proxy, httpx.AsyncHTTPTransport],
    ) -> None:
        self._proxies = proxies
        self._direct = direct
        self._through = through

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        proxy = self._proxies.for_url(request.url)
        transport = self._direct if proxy is None else self._through[proxy]
        return await transport.handle_async_request(request)

    async def aclose(self) -> None:
        await self._direct.aclose()
        for transport in self._through.values():
            await transport.aclose()


class _SyncRouter(httpx.BaseTransport):
    """_Router, for a client that is not async."""

    def __init__(
        self,
        proxies: Proxies,
        direct: httpx.BaseTransport,
        through: dict[Proxy, httpx.HTTPTransport],
    ) -> None:
        self._proxies = proxies
        self._direct = direct
        self._through = through

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        proxy = self._proxies.for_url(request.url)
        transport = self._direct if proxy is None else self._through[proxy]
        return transport.handle_request(request)

    def close(self) -> None:
        self._direct.close()
        for transport in self._through.values():
            transport.close()


def _chosen(variables: Mapping[str, str], scheme: str) -> Proxy | None:
    """The proxy of `scheme`'s addresses: its own variable's, or else ALL_PROXY's."""
    for key in (scheme, "all"):
        value = variables.get(key, "").strip()
        if value:
            return _read_proxy(f"{key.upper()}_PROXY", value)
    return None


def _read_proxy(name: str, value: str) -> Proxy:
    """The proxy `value` names (`name` is its variable); ProxyUsageError for one not usable."""
    written = value.strip()
    scheme, separator, rest = written.partition("://")
    if not separator:
        scheme, rest = "http", written  # curl's default
    scheme = scheme.lower()
    address = f"{scheme}://{rest}"
    if scheme not in _DEFAULT_PORTS:
        raise ProxyUsageError(
            f"{name}: statuspage reaches a proxy over http:// or https://, not {scheme}:// "
            f"('{_masked(written)}'); name one such as {_EXAMPLE}"
        )
    try:
        url = httpx.URL(address)
    except httpx.InvalidURL:
        url = None
    if url is None or not url.host:
        raise ProxyUsageError(
            f"{name}: '{_masked(written)}' is not a proxy's address; write one such as {_EXAMPLE}"
        )
    host = url.raw_host.decode("ascii")
    shown = f"[{host}]" if ":" in host else host
    return Proxy(f"{shown}:{url.port or _DEFAULT_PORTS[scheme]}", address)


def _masked(written: str) -> str:
    """A proxy variable's value as a message may show it: all before its last @ as ***."""
    scheme, separator, rest = written.partition("://")
    if not separator:
        scheme, rest = "", written
    if "@" in rest:  # a password may hold any character, a slash or a colon among them
        rest = "***@" + rest.rpartition("@")[2]
    return f"{scheme}{separator}{rest}"


def _read_bypass(entry: str) -> _Bypass | None:
    """One lowercase entry of NO_PROXY; None for '*', an empty one or one that matches nothing.

    'example.com' and '.example.com' are that domain and the names below it ('*.example.com'
    too); '10.0.0.1', '10.0.0.0/8', '::1' and '[::1]' are addresses; any may end with ':port'.
    Names are never resolved: an address entry matches addresses written as such.
    """
    host, port = entry, None
    if entry.startswith("["):  # [::1] or [::1]:8080
        host, _, after = entry[1:].partition("]")
        if after:
            port = _port(after[1:]) if after.startswith(":") else None
            if port is None:
                return None
    elif entry.count(":") == 1:  # host:port (an IPv6 address has more colons)
        host, _, digits = entry.partition(":")
        port = _port(digits)
        if port is None:
            return None
    if "/" in host:
        try:
            return _Bypass(None, ipaddress.ip_network(host, strict=False), port)
        except ValueError:
            return None
    address = _address(host)
    if address is not None:
        return _Bypass(None, ipaddress.ip_network(address), port)
    domain = host.removeprefix("*").strip(".")
    if not domain or "*" in domain or ":" in domain:
        return None
    return _Bypass(domain, None, port)


def _port(digits: str) -> int | None:
    """The port `digits` write; None when they are not one."""
    if not (digits.isascii() and digits.isdigit()) or not 0 < int(digits) < 65_536:
        return None
    return int(digits)


def _address(host: str) -> _Address | None:
    """`host` as an IP address; None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None

"""Fetching a source over HTTP, for `import statuspage URL`: httpx, through the proxies the
environment names, as probes and posts read them (HTTPS_PROXY, NO_PROXY...)."""

from __future__ import annotations

import ssl

import httpx

from ..probes.proxies import Proxies, make_sync_transport
from .located import ImportFailed

TIMEOUT = 30.0  # seconds, for each request


def fetch_text(url: str) -> str:
    """The body of a GET of `url`; ImportFailed saying why there is none."""
    transport = make_sync_transport(Proxies.from_environment(), ssl.create_default_context())
    try:
        with httpx.Client(
            transport=transport, timeout=TIMEOUT, follow_redirects=True, trust_env=False
        ) as client:
            response = client.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as error:
        raise ImportFailed(f"{url}: cannot be fetched ({type(error).__name__}: {error})") from None
    if response.status_code != 200:
        raise ImportFailed(
            f"{url}: the server answered HTTP {response.status_code} "
            f"{response.reason_phrase}; check the page's address"
        )
    return response.text

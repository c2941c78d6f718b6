"""Fetching a source over HTTP, for `import statuspage URL`: httpx, through the proxies the
environment names, as probes and posts read them (HTTPS_PROXY, NO_PROXY...)."""

from __future__ import annotations

import httpx

from ..probes.proxies import environment_client
from .located import ImportFailed

TIMEOUT = 30.0  # seconds, for each request


def fetch_text(url: str) -> str:
    """The body of a GET of `url`; ImportFailed saying why there is none."""
    try:
        with environment_client(timeout=TIMEOUT, follow_redirects=True) as client:
            response = client.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as error:
        raise ImportFailed(f"{url}: cannot be fetched ({type(error).__name__}: {error})") from None
    if response.status_code != 200:
        raise ImportFailed(
            f"{url}: the server answered HTTP {response.status_code} "
            f"{response.reason_phrase}; check the page's address"
        )
    return response.text

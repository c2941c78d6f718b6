"""Fetching a source over HTTP, for `import statuspage URL`: httpx, which honours the
environment's proxy settings and verifies certificates."""

from __future__ import annotations

import httpx

from .located import ImportFailed

TIMEOUT = 30.0  # seconds, for each request


def fetch_text(url: str) -> str:
    """The body of a GET of `url`; ImportFailed saying why there is none."""
    try:
        response = httpx.get(
            url, timeout=TIMEOUT, follow_redirects=True, headers={"Accept": "application/json"}
        )
    except httpx.HTTPError as error:
        raise ImportFailed(f"{url}: cannot be fetched ({type(error).__name__}: {error})") from None
    if response.status_code != 200:
        raise ImportFailed(
            f"{url}: the server answered HTTP {response.status_code} "
            f"{response.reason_phrase}; check the page's address"
        )
    return response.text

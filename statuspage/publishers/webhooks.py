"""Webhook addresses, which are secrets whole: shown as their scheme and host alone."""

from __future__ import annotations

from urllib.parse import urlsplit

from .credentials import MASK


def shown_webhook(url: str) -> str:
    """`https://hooks.slack.com/***`: what a message may say of a webhook's address."""
    try:
        parts = urlsplit(url)
        host = parts.netloc.rpartition("@")[2]  # never a user:password@ in front
    except ValueError:
        return MASK
    if not parts.scheme or not host:
        return MASK
    return f"{parts.scheme}://{host}/{MASK}"

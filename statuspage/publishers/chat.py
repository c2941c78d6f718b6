"""The chat message of an update: its status and title as a link to it, then its words, in
each chat's own formatting, with everything from incident files escaped for it.

Chats allow far more than a post (Slack 40,000 characters, Discord 2,000, Telegram 4,096,
a Matrix event 65,536 bytes), so a message is the update whole, not a draft; a longer one
is cut after a word, with "…", to fit (social.text.shorten).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from ..social.text import shorten

T = TypeVar("T")

_SLACK = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"})
# A web address in a message: left as it is, since a chat makes it a link itself and an
# escape inside it would break it (it holds no `<`, `>` or space, so it starts nothing).
_ADDRESS = re.compile(r"https?://[^\s<>]+")
# Characters that start formatting anywhere in CommonMark-like Markdown (Discord's, Teams'),
# and those that do only at the start of a line (a heading, a quote, a list item).
_MARKDOWN_ANYWHERE = re.compile(r"([\\`*_~|\[\]<>])")
_MARKDOWN_LINE_START = re.compile(r"^([#>+\-]|[0-9]+(?=[.)]))", re.MULTILINE)


def utf16_length(text: str) -> int:
    """The length of `text` as JavaScript and Telegram count it, in UTF-16 code units."""
    return len(text.encode("utf-16-le")) // 2


def json_bytes(value: Any) -> int:
    """The size of `value` as UTF-8 JSON."""
    return len(json.dumps(value, ensure_ascii=False).encode("utf-8"))


def fit(message: str, make: Callable[[str], T], fits: Callable[[T], bool]) -> T:
    """`make(message)`, with the message cut after a word, with "…", as far as it must be
    for what it makes to fit."""
    whole = make(message)
    if fits(whole):
        return whole
    return make(shorten(message, lambda cut: fits(make(cut))))


def slack_escape(text: str) -> str:
    """Text for Slack's mrkdwn: &, < and > as entities, so nothing makes a link or a
    mention (<!channel>)."""
    return text.translate(_SLACK)


def markdown_escape(text: str) -> str:
    """Text for Discord's or Teams' Markdown: every character that could start formatting,
    a link or a mention escaped with a backslash (web addresses left whole)."""
    parts = []
    last = 0
    for found in _ADDRESS.finditer(text):
        parts.append(_markdown_plain(text[last : found.start()]))
        parts.append(found.group())
        last = found.end()
    parts.append(_markdown_plain(text[last:]))
    return "".join(parts)


def _markdown_plain(text: str) -> str:
    return _MARKDOWN_LINE_START.sub(r"\\\1", _MARKDOWN_ANYWHERE.sub(r"\\\1", text))


def html_text(text: str) -> str:
    """Text for HTML (Matrix, Telegram, mail): &, <, >, and quotes as entities."""
    return html.escape(text, quote=True)


def html_paragraphs(text: str) -> str:
    """Plain text as HTML paragraphs: a blank line between two, a line break as <br>."""
    paragraphs = [p for p in text.split("\n\n") if p.strip()]
    return "".join(f"<p>{html_text(p).replace(chr(10), '<br>')}</p>" for p in paragraphs)

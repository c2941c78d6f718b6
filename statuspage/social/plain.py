"""The plain text of a message for a post: its HTML as the page shows it, read as a reader would.

Drafts start from the HTML the page renders (Markdown rendered once per build, safely), not
from the Markdown source: what a post says is then exactly what the page says, with no
Markdown syntax left (no `**`, no `[text](link)`). Links keep only their text, since a post
links to the update itself; headings, paragraphs and list items become lines.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

# Elements that start a line of their own in the plain text.
_BLOCKS = frozenset(
    {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "tr", "hr"}
)
_LISTS = frozenset({"ul", "ol"})
_SKIPPED = frozenset({"script", "style", "template"})  # never in our HTML: ignored if they were
_BLANK_LINES = re.compile(r"\n{3,}")
_LINE_SPACES = re.compile(r"[ \t]*\n[ \t]*")


class _TextReader(HTMLParser):
    """Collects the text of an HTML fragment, with a line break where a block starts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.lists: list[list[int]] = []  # for each open list: [next number] or [] if bulleted
        self.skipping = 0
        self.in_pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            self.in_pre += tag == "pre"
        elif tag in _LISTS:
            self.parts.append("\n\n")
            self.lists.append([1] if tag == "ol" else [])
        elif tag == "li":
            self.parts.append("\n")
            numbering = self.lists[-1] if self.lists else []
            if numbering:
                self.parts.append(f"{numbering[0]}. ")
                numbering[0] += 1
            else:
                self.parts.append("• ")
        elif tag == "br":
            self.parts.append("\n")
        elif tag == "img":
            alt = dict(attrs).get("alt")
            if alt:
                self.parts.append(alt)

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n\n")
            self.in_pre -= tag == "pre" and self.in_pre > 0
        elif tag in _LISTS:
            if self.lists:
                self.lists.pop()
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        # Line breaks in the source are spaces to a reader, except in preformatted text.
        self.parts.append(data if self.in_pre else data.replace("\n", " "))


def html_to_plain(html: str) -> str:
    """The text of an HTML fragment as a reader sees it: blocks as paragraphs, list items
    as lines starting with • (or their number), links and emphasis as their words."""
    if "<" not in html and "&" not in html:
        return _tidy(html.replace("\n", " "))
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return _tidy("".join(reader.parts))


def _tidy(text: str) -> str:
    """No spaces around line breaks, at most one blank line in a row, nothing at either end."""
    text = _LINE_SPACES.sub("\n", text)
    return _BLANK_LINES.sub("\n\n", text).strip()

"""Markdown to safe HTML: raw HTML escaped, unsafe links dropped, headings kept in order."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from typing import TYPE_CHECKING, Any

from markupsafe import Markup

if TYPE_CHECKING:
    import markdown

_SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_CONTROL = re.compile(r"[\x00-\x20\x7f]+")
_PATH_START = re.compile(r"[/?#]")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def is_safe_href(href: str) -> bool:
    """True for http(s) and mailto links and for relative ones; False for javascript: and kin."""
    # Browsers decode entities and drop tabs and newlines inside a scheme: do the same first.
    cleaned = _CONTROL.sub("", html.unescape(href))
    head = _PATH_START.split(cleaned, maxsplit=1)[0]
    if ":" not in head:
        return True  # relative: a path, a query or a fragment
    return head.split(":", 1)[0].lower() in _SAFE_SCHEMES


def _image_as_link(image: ET.Element) -> ET.Element:
    """An image becomes a link to it: the page itself never loads anything from elsewhere."""
    link = ET.Element("a")
    src = image.get("src", "")
    if src and is_safe_href(src):
        link.set("href", src)
    link.text = image.get("alt") or "image"
    link.tail = image.tail
    return link


# Text with none of these characters, and no line that opens a Markdown block, is plain
# paragraphs: Markdown would only wrap it in <p>. Most status updates are just that, with at
# most a plain link or a bold phrase, which _SIMPLE_INLINE recognises, and perhaps a short
# bulleted list ("- Affected: EU") standing as a block of its own.
_MARKUP_CHARACTERS = re.compile(r"[\\`*_\[\]<>&\t\r\x02\x03]")
_HARD_BREAK = re.compile(r"[^ \n][ ]{2,}(?:\n|$)")  # two spaces ending a line: a <br>
_BLOCK_START = re.compile(r"^(?:[ ]+[^ \n]|[#>+=~-]|\d+[.)](?:[ ]|$))", re.MULTILINE)
_SPACES_LINE = re.compile(r"(?<=\n) +\n")
_PLAIN = r"[^\\`*_\[\]<>&\n]"  # a character with no meaning in Markdown
_SIMPLE_INLINE = re.compile(
    rf"(?<!!)\[(?P<label>[^\s\\`*_\[\]<>&]{_PLAIN}*?)\]"
    r"\((?P<url>https?://[^\s()<>\"'\\`*_\[\]&]+)\)"
    rf"|\*\*(?P<strong>[^\s\\`*_\[\]<>&](?:{_PLAIN}*?[^\s\\`*_\[\]<>&])?)\*\*"
)
# A block of "- item" lines, each item text that opens no block of its own.
_SIMPLE_LIST = re.compile(r"(?:- (?![ \n#>+=~-]|\d+[.)](?:[ ]|$))[^\n]+(?:\n|$))+")


def _inline(match: re.Match[str]) -> str:
    if match["url"] is not None:
        return f'<a href="{match["url"]}">{match["label"]}</a>'
    return f"<strong>{match['strong']}</strong>"


def plain_paragraphs(text: str) -> Markup | None:
    """The HTML Markdown makes of `text` when it is plain paragraphs and simple lists, else None.

    A fast path that repeats what Python-Markdown does to such text, step by step, to give
    the very same bytes (a property the tests check on generated text); None leaves the
    text to the full converter.
    """
    if not text.strip() or text.startswith(" "):
        return None  # blank, or perhaps a code block
    inline = "*" in text or "[" in text
    rest = _SIMPLE_INLINE.sub("x", text) if inline else text
    if _MARKUP_CHARACTERS.search(rest):
        return None
    # Two searches: one alternation of both costs three times as much.
    if ("  \n" in rest or rest.endswith("  ")) and _HARD_BREAK.search(rest):
        return None
    parts = []
    after_list = False
    for block in _SPACES_LINE.sub("\n", text + "\n\n").split("\n\n"):
        block = block.lstrip("\n")
        if not block.strip():
            continue
        if block.startswith("- ") and _SIMPLE_LIST.fullmatch(block):
            if after_list:
                return None  # lists apart only by blank lines: one loose list, <p> in each item
            if inline:
                block = _SIMPLE_INLINE.sub(_inline, block)
            lines = block.rstrip("\n").split("\n")
            # Markdown strips an item's leading whitespace, Unicode spaces too ("- \xa0").
            items = "".join(f"<li>{line[2:].lstrip()}</li>\n" for line in lines)
            parts.append(f"<ul>\n{items}</ul>")
            after_list = True
            continue
        if _BLOCK_START.search(block):
            return None  # a block of another kind
        body = block.lstrip()
        if inline:
            body = _SIMPLE_INLINE.sub(_inline, body)
        parts.append(f"<p>{body}</p>")
        after_list = False
    return Markup("\n".join(parts))


class MarkdownRenderer:
    """One reusable Markdown converter; `render` is safe to call for every message of a build.

    Python-Markdown loads on the first text that needs it: plain text does not.
    """

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._sanitizer: Any = None

    def _converter(self) -> markdown.Markdown:
        if self._md is None:
            self._md, self._sanitizer = _make_converter()
        return self._md

    def render(self, text: str, heading_level: int = 1) -> Markup:
        """Convert `text`; a `# heading` in it becomes <h{heading_level}>."""
        plain = plain_paragraphs(text)
        if plain is not None:
            return plain
        converter = self._converter()
        self._sanitizer.heading_offset = heading_level - 1
        html = converter.reset().convert(text)
        return Markup(html)  # markdown escapes text itself and raw HTML is disabled above


def _make_converter() -> tuple[markdown.Markdown, Any]:
    """A Markdown converter that escapes raw HTML, drops unsafe links and shifts headings."""
    import markdown
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.treeprocessors import Treeprocessor

    class _SanitizeTree(Treeprocessor):
        """Drops unsafe link targets, turns images into links and shifts headings down."""

        heading_offset = 0

        def run(self, root: ET.Element) -> None:
            for parent in root.iter():
                for index, child in enumerate(parent):
                    if child.tag == "img":
                        parent[index] = _image_as_link(child)
            for element in root.iter():
                if element.tag == "a":
                    href = element.get("href", "")
                    if not is_safe_href(href):
                        del element.attrib["href"]
                        element.attrib.pop("title", None)
                elif element.tag in _HEADINGS and self.heading_offset:
                    level = min(int(element.tag[1]) + self.heading_offset, 6)
                    element.tag = f"h{level}"

    # Extension objects, not names: names are looked up through package metadata (slow).
    md = markdown.Markdown(
        extensions=[FencedCodeExtension(), SaneListExtension()], output_format="html"
    )
    # Without these two, raw HTML in a message is escaped and shown as text.
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    sanitizer = _SanitizeTree(md)
    md.treeprocessors.register(sanitizer, "statuspage-sanitize", 0)
    return md, sanitizer

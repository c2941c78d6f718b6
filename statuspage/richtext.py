"""Markdown to safe HTML: raw HTML escaped, unsafe links dropped, headings kept in order."""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET

import markdown
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup

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


def _image_as_link(image: ET.Element) -> ET.Element:
    """An image becomes a link to it: the page itself never loads anything from elsewhere."""
    link = ET.Element("a")
    src = image.get("src", "")
    if src and is_safe_href(src):
        link.set("href", src)
    link.text = image.get("alt") or "image"
    link.tail = image.tail
    return link


class MarkdownRenderer:
    """One reusable Markdown converter; `render` is safe to call for every message of a build."""

    def __init__(self) -> None:
        self._md = markdown.Markdown(extensions=["fenced_code", "sane_lists"], output_format="html")
        # Without these two, raw HTML in a message is escaped and shown as text.
        self._md.preprocessors.deregister("html_block")
        self._md.inlinePatterns.deregister("html")
        self._sanitizer = _SanitizeTree(self._md)
        self._md.treeprocessors.register(self._sanitizer, "statuspage-sanitize", 0)

    def render(self, text: str, heading_level: int = 1) -> Markup:
        """Convert `text`; a `# heading` in it becomes <h{heading_level}>."""
        self._sanitizer.heading_offset = heading_level - 1
        html = self._md.reset().convert(text)
        return Markup(html)  # markdown escapes text itself and raw HTML is disabled above

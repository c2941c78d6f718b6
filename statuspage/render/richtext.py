"""Markdown to safe HTML: raw HTML escaped, unsafe links dropped, headings kept in order."""

from __future__ import annotations

import bisect
import html
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
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


# What a text may cost Python-Markdown, in units of about a nanosecond of its work: a fixed
# allowance and so much per character, above what the slowest ordinary Markdown costs (dense
# prose 1,800 a character, lists nested six deep 4,700), low enough that a file at the size
# limit of tangled text builds in well under 2 s. Python-Markdown is quadratic
# or worse on some shapes of text ("[x" * 6400 takes seconds, a list nested 300 deep overflows
# the stack); a text that would cost more is shown as text.
BUDGET_BASE = 2_000_000
BUDGET_PER_CHARACTER = 5_000
MAX_NESTING = 32  # blocks within blocks (lists, quotes) and elements within elements
_PYTHON_STEP = 250  # the cost of one step of a loop in Python, against one of a C-level scan


class _TooComplex(Exception):
    """A text has cost Python-Markdown its whole budget, or nests deeper than MAX_NESTING."""


class _Meter:
    """The work Python-Markdown may still do on the text it converts, charged as it goes."""

    __slots__ = ("depth", "left")

    def __init__(self) -> None:
        self.left = 0
        self.depth = 0

    def start(self, text: str) -> None:
        self.left = BUDGET_BASE + BUDGET_PER_CHARACTER * len(text)
        self.depth = 0

    def charge(self, units: int) -> None:
        self.left -= units
        if self.left < 0:
            raise _TooComplex


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")


def plain_text_html(text: str) -> Markup:
    """`text` as escaped paragraphs, in linear time: how text too complex for Markdown shows."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return Markup("")
    parts = _PARAGRAPH_BREAK.split(text)
    return Markup("\n".join(f"<p>{html.escape(part, quote=False)}</p>" for part in parts))


class MarkdownRenderer:
    """One reusable Markdown converter; `render` is safe to call for every message of a build.

    Python-Markdown loads on the first text that needs it: plain text does not.
    """

    def __init__(self) -> None:
        self._md: markdown.Markdown | None = None
        self._sanitizer: Any = None
        self._meter = _Meter()

    def _converter(self) -> markdown.Markdown:
        if self._md is None:
            self._md, self._sanitizer = _make_converter(self._meter)
        return self._md

    def render(self, text: str, heading_level: int = 1) -> Markup:
        """Convert `text`; a `# heading` in it becomes <h{heading_level}>.

        A text that would take Python-Markdown too long, or nests too deep, is shown as
        escaped paragraphs instead: any text renders in time linear in its length.
        """
        plain = plain_paragraphs(text)
        if plain is not None:
            return plain
        converter = self._converter()
        self._sanitizer.heading_offset = heading_level - 1
        self._meter.start(text)
        try:
            html = converter.reset().convert(text)
        except _TooComplex:
            self._md = None  # stopped half-way, its state is not to be trusted: make another
            return plain_text_html(text)
        return Markup(html)  # markdown escapes text itself and raw HTML is disabled above


def reference_converter() -> markdown.Markdown:
    """Python-Markdown as configured here, unmetered and with its own fenced code blocks.

    The slow reference: what `MarkdownRenderer` gives for every text within its budget.
    """
    return _make_converter(None)[0]


def _make_converter(meter: _Meter | None) -> tuple[markdown.Markdown, Any]:
    """A Markdown converter that escapes raw HTML, drops unsafe links and shifts headings.

    With a meter, its fenced code blocks are found in linear time and its work is metered.
    """
    import markdown
    from markdown.extensions.fenced_code import FencedCodeExtension
    from markdown.extensions.sane_lists import SaneListExtension
    from markdown.treeprocessors import Treeprocessor

    class _SanitizeTree(Treeprocessor):
        """Drops unsafe link targets, turns images into links and shifts headings down."""

        heading_offset = 0

        def run(self, root: ET.Element) -> None:
            if meter is not None:
                _check_depth(root)
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
    md.postprocessors.register(_references_postprocessor()(md), "statuspage-references", 0)
    if meter is not None:
        md.preprocessors.register(_linear_fences(md), "fenced_code_block", 25)
        _meter_work(md, meter)
    return md, sanitizer


_REFERENCE = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,8}));|&#[xX]?[0-9a-fA-F]{9,};")


def _shown_reference(match: re.Match[str]) -> str:
    """A character reference Markdown lets through, kept if it names a character HTML allows."""
    digits = match[1] or match[2]
    if digits is not None:
        code = int(digits, 16 if match[1] else 10)
        allowed = code in (0x9, 0xA) or 0x20 <= code < 0x7F or 0xA0 <= code < 0xD800
        allowed |= 0xE000 <= code <= 0x10FFFF and not 0xFDD0 <= code <= 0xFDEF
        if allowed and code & 0xFFFE != 0xFFFE:
            return match[0]
    return "&amp;" + match[0][1:]  # &#0;, a surrogate, a C1 control: shown as written


def _references_postprocessor() -> Any:
    from markdown.postprocessors import Postprocessor

    class CharacterReferences(Postprocessor):
        """Shows as text the references to NUL, controls, surrogates and non-characters."""

        def run(self, text: str) -> str:
            return _REFERENCE.sub(_shown_reference, text) if "&#" in text else text

    return CharacterReferences


def _check_depth(root: ET.Element) -> None:
    """Raise _TooComplex for elements nested deeper than MAX_NESTING (readers' parsers give up)."""
    level = [(root, 0)]
    while level:
        element, depth = level.pop()
        if depth > MAX_NESTING:
            raise _TooComplex
        level.extend((child, depth + 1) for child in element)


_BLOCK_STEP = 80  # the processors' searches of a block, per character of it
_BLOCK_ROUND = 20_000  # one round of the block processors, whatever the block's length
_PATTERN_CALL = 4_000  # one inline pattern tried on a text
_LINK_PROCESSORS = (
    "reference",
    "link",
    "image_link",
    "image_reference",
    "short_reference",
    "short_image_ref",
)


def _meter_work(md: Any, meter: _Meter) -> None:
    """Charge `meter` for Python-Markdown's work wherever it can grow faster than the text.

    Each hook watches and charges, and none changes what Python-Markdown does: a text within
    its budget converts exactly as with Python-Markdown alone.
    """
    charge = meter.charge
    parser = md.parser

    def parse_blocks(parent: ET.Element, blocks: list[str]) -> None:
        # BlockParser.parseBlocks, counting the depth and what each round costs: processors
        # split a block line by line and try again on the rest, or grow the text before it.
        meter.depth += 1
        if meter.depth > MAX_NESTING:
            raise _TooComplex
        while blocks:
            grown = len(parent.text or "")
            if len(parent):
                grown += len(parent[-1].text or "") + len(parent[-1].tail or "")
                if parent[-1].tag == "pre" and len(parent[-1]):
                    grown += len(parent[-1][0].text or "")  # a code block grows by each block
            charge(_BLOCK_ROUND + len(blocks[0]) * _BLOCK_STEP + grown)
            for processor in parser.blockprocessors:
                if processor.test(parent, blocks[0]) and processor.run(parent, blocks) is not False:
                    break
        meter.depth -= 1

    parser.parseBlocks = parse_blocks

    inline = md.treeprocessors["inline"]
    apply_pattern = inline._InlineProcessor__applyPattern
    process_text = inline._InlineProcessor__processElementText

    def metered_apply(pattern: Any, data: str, index: int, start: int = 0) -> Any:
        result = apply_pattern(pattern, data, index, start)
        if result[0] is not data:
            charge(_PATTERN_CALL + len(result[0]))  # a match: the text is copied around it
        else:
            charge(_PATTERN_CALL + (result[2] if result[1] else len(data)) - start)  # a search
        return result

    def metered_process_text(node: ET.Element, subnode: ET.Element, is_text: bool = True) -> None:
        charge(len(node))  # it looks for subnode among node's children
        process_text(node, subnode, is_text)

    inline._InlineProcessor__applyPattern = metered_apply
    inline._InlineProcessor__processElementText = metered_process_text

    for name in _LINK_PROCESSORS:
        _meter_link_scans(md.inlinePatterns[name], charge)
    _meter_code_spans(md.inlinePatterns["backtick"], charge)
    _meter_delimiters(md.inlinePatterns["em_strong"], charge)


def _meter_link_scans(processor: Any, charge: Callable[[int], None]) -> None:
    """Charge the scans for a link's closing bracket and parenthesis, character by character."""
    get_text, get_link = processor.getText, processor.getLink

    def metered_text(data: str, index: int) -> Any:
        result = get_text(data, index)
        charge((result[1] - index) * _PYTHON_STEP + _PATTERN_CALL)
        return result

    def metered_link(data: str, index: int) -> Any:
        result = get_link(data, index)
        end, handled = result[2], result[3]
        scanned = end - index
        if end < index or (handled and ('"' in data[index:end] or "'" in data[index:end])):
            scanned = len(data) - index  # after a quote it may have gone to the end and back
        charge(scanned * _PYTHON_STEP + 1)
        return result

    processor.getText = metered_text
    processor.getLink = metered_link


def _meter_code_spans(processor: Any, charge: Callable[[int], None]) -> None:
    """Charge the scan for the backticks that close a code span."""
    find = processor.find_code_spans

    def metered_find(start: int, text: str) -> tuple[int, int | None]:
        begin, end = find(start, text)
        exact = end is not None and (begin >= len(text) or text[begin] != "`")
        scanned = (end if exact and end is not None else len(text)) - start
        charge(scanned * _PYTHON_STEP + 1)
        return begin, end

    processor.find_code_spans = metered_find


def _meter_delimiters(processor: Any, charge: Callable[[int], None]) -> None:
    """Charge the emphasis processor's scans for delimiters and its walks over its stacks."""
    search, build = processor.search, processor._build_element
    increment = processor.increment_next_position
    delimiters = processor.delimiters.values()

    def metered_search(data: str, start: int) -> Any:
        match = search(data, start)
        # The stacks are walked once for each delimiter found.
        stacked = sum(len(d.stack) for d in delimiters)
        charge(((match.start() if match else len(data)) - start + stacked) * _PYTHON_STEP + 1)
        return match

    def metered_build(data: str, start: int = 0, offset: int = 0) -> Any:
        result = build(data, start, offset)
        charge(result[1] * _PYTHON_STEP + 1)
        return result

    def metered_increment(start: int, count: int) -> None:
        before = len(processor.stack)
        increment(start, count)
        charge((before - len(processor.stack)) * before // 8 + count)  # list.pop(0) moves all

    processor.search = metered_search
    processor._build_element = metered_build
    processor.increment_next_position = metered_increment


# The opening and closing lines of a fenced code block, as the fenced_code extension reads them
# (its one regular expression tries each opening against the rest of the text: quadratic).
_FENCE_OPENING = re.compile(
    r"(?P<fence>~{3,}|`{3,})[ ]*(?:(?:\{(?P<attrs>.*)\})|(?:\.?(?P<lang>[\w#.+-]*)[ ]*)?"
    r"(?:hl_lines=(?P<quot>\"|')(?P<hl_lines>.*?)(?P=quot)[ ]*)?)"
)
_FENCE_CLOSING = re.compile(r"(?P<fence>~{3,}|`{3,})[ ]*")


def _linear_fences(md: Any) -> Any:
    """The fenced_code extension's preprocessor, made linear: each line is looked at once.

    Its blocks are those of the extension, but an attribute list (```{#id .a .b}) gives only
    the language: ids and classes from a message would be the page's own.
    """
    from markdown.extensions.attr_list import get_attrs_and_remainder
    from markdown.preprocessors import Preprocessor

    class LinearFences(Preprocessor):
        def run(self, lines: list[str]) -> list[str]:
            closings: dict[str, list[int]] = {}
            for number, line in enumerate(lines):
                if line[:1] in ("`", "~") and (closing := _FENCE_CLOSING.fullmatch(line)):
                    closings.setdefault(closing["fence"], []).append(number)
            if not closings:
                return lines
            out: list[str] = []
            number = 0
            while number < len(lines):
                line = lines[number]
                opening = _FENCE_OPENING.fullmatch(line) if line[:1] in ("`", "~") else None
                ends = closings.get(opening["fence"], []) if opening else []
                end = bisect.bisect_right(ends, number)
                if opening is None or end == len(ends):
                    out.append(line)
                    number += 1
                    continue
                lang = opening["lang"]
                if opening["attrs"] is not None:
                    attrs, remainder = get_attrs_and_remainder(opening["attrs"])
                    if remainder:  # not an attribute list: the extension skips this line
                        out.append(line)
                        number += 1
                        continue
                    classes = [value for key, value in attrs if key == "."]
                    lang = classes[0] if classes else None
                closing_line = ends[end]
                code = "".join(f"{text}\n" for text in lines[number + 1 : closing_line])
                language = f' class="language-{html.escape(lang)}"' if lang else ""
                escaped = html.escape(code, quote=False).replace('"', "&quot;")  # as fenced_code
                block = f"<pre><code{language}>{escaped}</code></pre>"
                out.extend(("", self.md.htmlStash.store(block), ""))
                number = closing_line + 1
            return out

    return LinearFences(md)

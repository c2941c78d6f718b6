"""Plain text for social posts: cleaned of what could disguise it, counted in the units the
networks count, and shortened without breaking a character as a reader sees it.

Networks count in different units: Bluesky and Mastodon in grapheme clusters (what a reader
sees as one character: an emoji with its skin tone, a flag, a letter with its accents),
Bluesky also in UTF-8 bytes, which its link facets are placed by. Grapheme clusters come
from the `regex` module's `\\X`, which follows current Unicode (the standard library's
`unicodedata` lags by years and does not segment).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

import regex

ELLIPSIS = "…"

_CLUSTER = regex.compile(r"\X")
_FIRST_JOINING = "\u0300"  # the first combining mark: no character before it extends another

# Characters that change how text looks without being seen: direction marks, overrides and
# isolates (which can make a link read backwards), zero-width spaces, the word joiner, the
# byte-order mark, the soft hyphen: every format character but the zero-width joiner and
# the tags of a flag's sequence (see _JOINER); and every control but the newline.
_INVISIBLE = regex.compile(
    r"(?![\u200c\u200d\U000e0020-\U000e007f])\p{Cf}|(?!\n)\p{Cc}|[\ufff9-\ufffb\ufffe\uffff]"
)
# A zero-width joiner is kept only inside an emoji sequence (a family, a profession): between
# a pictograph, with its modifiers, and another pictograph.
_JOINER = regex.compile(
    r"(?<!\p{Extended_Pictographic}[\p{Emoji_Modifier}\ufe0f]*)\u200d"
    r"|\u200d(?![\p{Extended_Pictographic}])"
    # A zero-width non-joiner is kept only where Persian or an Indic script needs it: between
    # two letters (with their marks) that are not ASCII.
    r"|(?<![^\x00-\x7f\P{L}]\p{M}*)\u200c|\u200c(?![^\x00-\x7f\P{L}])"
)
_SPACES = regex.compile(r"[^\S\n]+")  # runs of spaces and tabs, not newlines
_ASCII_CONTROLS = re.compile("[\x00-\x09\x0b-\x1f\x7f]")  # _INVISIBLE's ASCII part
_ASCII_SPACES = re.compile("  +")


def clean(text: str) -> str:
    """`text` in NFC, without the characters that could hide or disguise part of it (see
    _INVISIBLE; a zero-width joiner stays only inside an emoji sequence, a non-joiner only
    between letters of a script that needs it), with every run of spaces made one space."""
    if text.isascii():  # no format characters, nothing to compose: controls and spaces
        return _ASCII_SPACES.sub(" ", _ASCII_CONTROLS.sub("", text.replace("\t", " ")))
    text = unicodedata.normalize("NFC", text).replace("\t", " ")
    text = _JOINER.sub("", _INVISIBLE.sub("", text))
    return _SPACES.sub(" ", text)


def graphemes(text: str) -> list[str]:
    """The grapheme clusters of `text`, in order."""
    return _CLUSTER.findall(text)


def grapheme_count(text: str) -> int:
    """How many characters a reader sees in `text` (extended grapheme clusters)."""
    if not text or max(text) < _FIRST_JOINING:
        # Below U+0300 only a carriage return joins the line feed after it.
        return len(text) - text.count("\r\n")
    return len(_CLUSTER.findall(text))


def utf8_span(text: str, start: int, end: int) -> tuple[int, int]:
    """The UTF-8 byte offsets of `text[start:end]`: start inclusive, end exclusive, as a
    Bluesky facet's byteSlice has them."""
    head = len(text[:start].encode("utf-8"))
    return head, head + len(text[start:end].encode("utf-8"))


_URLISH = regex.compile(r"\S*://\S*|(?:[\w-]+\.)+[\w-]{2,}\S*")  # a link, a domain


def shorten(text: str, fits: Callable[[str], bool]) -> str:
    """`text` itself if it `fits`, else its longest start that fits with ELLIPSIS after it.

    The cut comes after a whole word where one fits, else after a whole grapheme cluster,
    never inside one (an emoji sequence, a flag, a letter and its accents) nor inside a link
    or a domain; spaces before the ellipsis are dropped. Returns ELLIPSIS alone, or "" if
    even that does not fit.
    """
    if fits(text):
        return text
    head = _longest_start(text, fits, ELLIPSIS)
    if head is not None:
        return head
    return ELLIPSIS if fits(ELLIPSIS) else ""


def split(text: str, fits: Callable[[str], bool]) -> tuple[str, str]:
    """The longest start of `text` that `fits`, cut as `shorten` cuts but with no ellipsis,
    and the rest, without the spaces between them. ("", text) when no start fits."""
    if fits(text):
        return text, ""
    head = _longest_start(text, fits, "")
    if head is None:
        return "", text
    return head, text[len(head) :].lstrip()


def _longest_start(text: str, fits: Callable[[str], bool], suffix: str) -> str | None:
    """The longest start of `text` cut after a word, else after a cluster, that fits with
    `suffix` after it (see `shorten`), or None."""
    clusters = graphemes(text)
    ends = [0]  # text index after each cluster
    for cluster in clusters:
        ends.append(ends[-1] + len(cluster))
    word_ends = [  # after the last cluster of a word, before a space
        ends[n]
        for n in range(1, len(clusters))
        if clusters[n].isspace() and not clusters[n - 1].isspace()
    ]
    inside: set[int] = set()  # cluster ends inside a link or a domain: never cut there
    for found in _URLISH.finditer(text):
        inside.update(range(found.start() + 1, found.end()))
    cluster_ends = [end for end in ends[1:-1] if end not in inside and not text[end - 1].isspace()]
    for candidates in (word_ends, cluster_ends):
        cut = _longest(text, candidates, fits, suffix)
        if cut is not None:
            return cut
    return None


def _longest(text: str, cuts: list[int], fits: Callable[[str], bool], suffix: str) -> str | None:
    """The longest of `text[:cut]` + `suffix` that fits, by a binary search over `cuts`
    (ascending), or None. `fits` must be a limit on a count that never shrinks as text
    grows, as every network's nearly is (a cut that makes a longer count is never chosen:
    each candidate is checked)."""
    low, high, best = 0, len(cuts) - 1, None
    while low <= high:
        middle = (low + high) // 2
        candidate = text[: cuts[middle]].rstrip() + suffix
        if fits(candidate):
            best, low = candidate, middle + 1
        else:
            high = middle - 1
    return best

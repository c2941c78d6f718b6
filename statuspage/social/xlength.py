"""A post's length as X counts it: twitter-text v3's weighted length, ported from its
JavaScript (parseTweet, extractUrlsWithIndices and the regular expressions they use), so a
draft we call 280 is one X takes.

- The text is normalised to NFC first.
- Every URL counts 23, whatever its length: with a scheme (http, https) or without one where
  its domain ends in a known top-level domain (`xdata`), as X links them.
- Every emoji twemoji-parser finds counts 2, however many code points it has: a skin tone, a
  flag, a family joined by zero-width joiners.
- Any other character weighs 1 if its code point is in 0-4351 (Latin, Greek, Cyrillic, Hebrew,
  Arabic, Indic scripts...), 8192-8205, 8208-8223 or 8242-8247 (spaces, dashes, quotes,
  primes), and 2 otherwise (CJK, most symbols).

JavaScript counts in UTF-16 code units, and twitter-text's patterns and the emoji pattern are
written for them, so the port works on a string of UTF-16 code units too: a character beyond
the Basic Multilingual Plane becomes its two surrogates, as in JavaScript.

Where it may differ from X: X's servers use the Java implementation, whose top-level domains
and emoji data may be newer than the JavaScript's; and like the JavaScript, this port lets
the `i` flag fold case by Python's rules, which differ for three letters (the long s, the
Kelvin sign and the dotless i).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator

from .networks import X_LIMIT
from .xdata import COUNTRY_TLDS, EMOJI, EMOJI_STARTS, GENERIC_TLDS

X_URL_LENGTH = 23

_SCALE = 100
_DEFAULT_WEIGHT = 200
_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))  # weigh 100
_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_LABEL_LENGTH = 63

# The pieces of twitter-text's js/src/regexp/, by the same names.
_INVALID_CHARS = "\ufffe\ufeff\uffff"
_DIRECTIONAL_MARKERS = r"\u202A-\u202E\u061C\u200E\u200F\u2066\u2067\u2068\u2069"
_SPACES = r"\x09-\x0D\x20\x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_PUNCT = r"\!'#%&'\(\)*\+,\\\-\.\/:;<=>\?@\[\]\^_{|}~\$"
_LATIN_ACCENTS = (
    r"\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263"
    r"\u0268\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"
)
_CYRILLIC = r"\u0400-\u04FF"

_DOMAIN_CHAR = f"[^{_PUNCT}{_SPACES}{_INVALID_CHARS}{_DIRECTIONAL_MARKERS}]"
_SUBDOMAIN = f"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
# JavaScript's `$` without the m flag is the end of the text: Python's \Z.
_TLD_END = r"(?=[^0-9a-zA-Z@+-]|\Z)"


def tld_pattern(words: tuple[str, ...]) -> str:
    """A pattern that matches what `(?:w1|w2|...)` does, tried in the same order, as a
    trie: JavaScript's list has the longer of two words that start alike first, and at one
    place in a text only words that start each other can match; so trying a longer
    continuation before stopping tries them in the list's order. The trie tries a handful
    of characters where the list would try 1,500 words."""
    tree: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict[str, dict]) -> str:  # type: ignore[type-arg]
        # Characters that end a word here make one class: [cdeg] for ac|ad|ae|ag (at one
        # place only one of the branches can match, so their order does not matter).
        ends = "".join(sorted(char for char, child in node.items() if char and child == {"": {}}))
        branches = [
            re.escape(char) + pattern(child)
            for char, child in node.items()
            if char and child != {"": {}}
        ]
        if ends:
            branches.append(re.escape(ends) if len(ends) == 1 else f"[{re.escape(ends)}]")
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        if "" in node:
            return f"(?:{body})?"
        return body

    return pattern(tree)


_GTLD = f"(?:{tld_pattern(GENERIC_TLDS)}{_TLD_END})"
_CCTLD = f"(?:{tld_pattern(COUNTRY_TLDS)}{_TLD_END})"
_PUNYCODE = r"(?:xn--[\-0-9a-z]+)"
_DOMAIN = f"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}(?:{_GTLD}|{_CCTLD}|{_PUNYCODE}))"

_PATH_CHAR = f"[a-z{_CYRILLIC}0-9!\\*';:=\\+,\\.\\$\\/%#\\[\\]\\-\\u2013_~@\\|&{_LATIN_ACCENTS}]"
_BALANCED_PARENS = f"\\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*))\\)"
_PATH_END = f"(?:[\\+\\-a-z{_CYRILLIC}0-9=_#\\/{_LATIN_ACCENTS}]|(?:{_BALANCED_PARENS}))"
_PATH = f"(?:(?:{_PATH_CHAR}*(?:{_BALANCED_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:@{_PATH_CHAR}+/))"
_QUERY_CHAR = r"[a-z0-9!?\*'@\(\);:&=\+\$\/%#\[\]\-_\.,~|]"
_QUERY_END = r"[a-z0-9\-_&=#\/]"
_PRECEDING = f"(?:[^A-Za-z0-9@\uff20$#\uff03{_INVALID_CHARS}]|[{_DIRECTIONAL_MARKERS}]|^)"

# Groups as in extractUrl.js: 1 the match, 2 the character before, 3 the URL, 4 its scheme,
# 5 its domain, 6 its port, 7 its path, 8 its query.
_EXTRACT_URL = re.compile(
    f"(({_PRECEDING})((https?:\\/\\/)?({_DOMAIN})(?::([0-9]+))?(\\/{_PATH}*)?"
    f"(\\?{_QUERY_CHAR}*{_QUERY_END})?))",
    re.IGNORECASE,
)
_ASCII_DOMAIN = f"(?:(?:[\\-a-z0-9{_LATIN_ACCENTS}]+)\\.)+(?:{_GTLD}|{_CCTLD}|{_PUNYCODE})"


@functools.cache
def _ascii_domain() -> re.Pattern[str]:
    """validAsciiDomain, compiled when first needed (a domain without a scheme, or in
    punycode): it takes as long to compile as the URL pattern, and most posts have neither."""
    return re.compile(_ASCII_DOMAIN, re.IGNORECASE)


_TCO_URL = re.compile(
    f"^https?:\\/\\/t\\.co\\/([a-z0-9]+)(?:\\?{_QUERY_CHAR}*{_QUERY_END})?", re.IGNORECASE
)
# What may come before a domain's first dot: where a URL can start (see _url_matches).
_TO_DOT = re.compile(f"(?:{_DOMAIN_CHAR}|[-_])*+\\.")
_DOMAIN_REGION = re.compile(f"(?:{_DOMAIN_CHAR}|[-_.])*")
_TLDS = frozenset(GENERIC_TLDS + COUNTRY_TLDS)
_LONGEST_TLD = max(map(len, _TLDS))
_AFTER_NO_TLD = frozenset("0123456789abcdefghijklmnopqrstuvwxyz@+-")  # _TLD_END, lower case
_PUNYCODE_CHARS = frozenset("-0123456789abcdefghijklmnopqrstuvwxyz")
_SCHEME_AND_BEFORE = len("https://") + 1
_NO_SCHEME_AFTER = "-_./"  # invalidUrlWithoutProtocolPrecedingChars
# The lookahead lets the engine skip in C to where an emoji can start.
_EMOJI = re.compile(f"(?=[{EMOJI_STARTS}])(?:{EMOJI})")
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
# punycode 1.4.1 (the version twitter-text names): labels with a character outside
# 0x20-0x7E are encoded; these four separate labels.
_PUNYCODE_NEEDED = re.compile(r"[^\x20-\x7e]")
_LABEL_SEPARATORS = re.compile("[\u002e\u3002\uff0e\uff61]")


def _surrogates(match: re.Match[str]) -> str:
    point = ord(match.group()) - 0x10000
    return chr(0xD800 + (point >> 10)) + chr(0xDC00 + (point & 0x3FF))


def utf16(text: str) -> str:
    """`text` as JavaScript holds it: one character per UTF-16 code unit."""
    return text if text.isascii() else _ASTRAL.sub(_surrogates, text)


def _code_points(units: str) -> str:
    """UTF-16 code units back as code points (a lone surrogate stays itself)."""
    return units.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")


def _punycode_label_length(label: str) -> int:
    """The length of punycode.toASCII(label) in punycode.js 1.4.1."""
    if "@" in label:  # its mapDomain keeps what is before an @ as it is
        head, label = label.split("@")[:2]
        return len(head) + 1 + _punycode_label_length(label)
    parts = _LABEL_SEPARATORS.sub(".", label).split(".")
    encoded = [
        part if not _PUNYCODE_NEEDED.search(part) else "xn--" + _punycode(part) for part in parts
    ]
    return len(".".join(encoded))


def _punycode(label: str) -> str:
    return _code_points(label).encode("punycode", "surrogatepass").decode("ascii")


def _domain_is_valid(domain: str) -> bool:
    """idna.toAscii of twitter-text: every label, punycode-encoded, 1 to 63 long."""
    if domain.startswith("xn--") and not _ascii_domain().search(domain):
        return False
    return all(
        1 <= _punycode_label_length(label) <= _MAX_LABEL_LENGTH for label in domain.split(".")
    )


def _url_is_valid(url: str, protocol: str, domain: str) -> bool:
    # idna.toAscii returns the labels it checked joined as they were, so the JavaScript's
    # length correction for the encoded domain adds nothing.
    return _domain_is_valid(domain) and len(protocol) + len(url) <= _MAX_URL_LENGTH


def _tld_after_a_dot(run: str) -> bool:
    """Whether a top-level domain (or punycode) may follow one of the dots of `run`: what
    `\\.(?:{_GTLD}|{_CCTLD}|{_PUNYCODE})` finds, or more (the end of `run` is taken for the end
    of the text). Run beyond ASCII, it says yes: there the pattern's case folding decides."""
    if not run.isascii():
        return True
    run = run.lower()
    dot = run.find(".")
    while dot >= 0:
        if run.startswith("xn--", dot + 1) and run[dot + 5 : dot + 6] in _PUNYCODE_CHARS:
            return True
        for end in range(dot + 2, min(dot + 1 + _LONGEST_TLD, len(run)) + 1):
            if run[dot + 1 : end] in _TLDS and run[end : end + 1] not in _AFTER_NO_TLD:
                return True
        dot = run.find(".", dot + 1)
    return False


def _url_matches(units: str) -> Iterator[re.Match[str]]:
    """The matches of _EXTRACT_URL.finditer(units), found in a fraction of the time.

    A URL's domain runs from its start to its first dot through domain characters, "-" and
    "_" only, and a match starts at most 9 before its domain (a character before the URL and
    "https://"). So the pattern is tried only from 9 before each such run to its dot, and
    only if a top-level domain follows a dot before the domain characters (and dots) after
    it end; else no match has its first dot there or at a later dot up to that end, and the
    next one starts at most 6 before it (a character before a scheme, and "https"). The
    words far from any dot, which the pattern with its 1,500 top-level domains is slowest
    to reject, are never tried.
    """
    low = scan = 0  # no match starts before `low`; no first dot of one is before `scan`
    while (run := _TO_DOT.search(units, scan)) is not None:
        dot = run.end() - 1
        region = _DOMAIN_REGION.match(units, dot + 1).end()  # type: ignore[union-attr]
        if not _tld_after_a_dot(units[dot:region]):
            low, scan = max(low, region - _SCHEME_AND_BEFORE), max(region, dot + 1)
            continue
        low = max(low, run.start() - _SCHEME_AND_BEFORE)
        for start in range(low, dot + 1):
            match = _EXTRACT_URL.match(units, start)
            if match is not None:
                yield match
                low = scan = match.end()
                break
        else:
            low = scan = dot + 1


def _urls(units: str) -> dict[int, int]:
    """extractUrlsWithIndices: where each URL starts in `units`, and the length of its text
    (as parseTweet skips it: the URL's string, which can differ from its span)."""
    if "." not in units:
        return {}
    urls: dict[int, int] = {}
    for match in _url_matches(units):
        before, url, protocol, domain, path = match.group(2, 3, 4, 5, 7)
        start = match.end() - len(url)
        if not _url_is_valid(url, protocol or "https://", domain):
            continue
        if not protocol:
            if before and before in _NO_SCHEME_AFTER:
                continue
            last: tuple[int, str] | None = None
            end = 0
            for ascii_match in _ascii_domain().finditer(domain):
                ascii_domain = ascii_match.group()
                ascii_start = domain.find(ascii_domain, end)
                end = ascii_start + len(ascii_domain)
                last = (start + ascii_start, ascii_domain)
                urls[last[0]] = len(ascii_domain)
            if last is None:
                continue
            if path:
                urls[last[0]] = len(url.replace(domain, last[1], 1))
        else:
            tco = _TCO_URL.search(url)
            if tco:
                if tco.group(1) and len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                    continue
                url = tco.group()
            urls[start] = len(url)
    return urls


def _emoji(units: str) -> dict[int, int]:
    """twemoji-parser's emoji in `units`: where each starts, and its length."""
    if units.isascii():  # every emoji has a character beyond ASCII (a keycap: U+20E3)
        return {}
    return {match.start(): match.end() - match.start() for match in _EMOJI.finditer(units)}


_HEAVY = re.compile("[^\u0000-\u10ff\u2000-\u200d\u2010-\u201f\u2032-\u2037]")
_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _run_weight(units: str) -> int:
    """parseTweet's weight of a run without URLs or emoji: each code unit 100, 200 outside
    the light ranges; a surrogate pair as one character, weighed by its low surrogate: 200."""
    if units.isascii():
        return len(units) * _SCALE
    heavy = len(_HEAVY.findall(units))
    return (len(units) + heavy) * _SCALE - len(_PAIR.findall(units)) * 2 * _SCALE


def _scaled_length(text: str) -> tuple[int, str]:
    """parseTweet's weighted length of `text`, times 100, and the NFC text's code units."""
    units = utf16(unicodedata.normalize("NFC", text))
    if units.isascii() and "." not in units:
        return len(units) * _SCALE, units  # no URL, no emoji, every character weighs 1
    urls, emoji = _urls(units), _emoji(units)
    # parseTweet walks the text a code unit at a time, a URL or an emoji at once, and a
    # surrogate pair at once; no URL or emoji starts at a low surrogate, so the walk between
    # them weighs each run as a whole.
    starts = sorted(urls.keys() | emoji.keys())
    total, index, size = 0, 0, len(units)
    following = 0  # where in `starts` the next URL or emoji after `index` is
    while index < size:
        if index in urls:
            total += X_URL_LENGTH * _SCALE
            index += urls[index]
        elif index in emoji:
            total += _DEFAULT_WEIGHT
            index += emoji[index]
        else:
            while following < len(starts) and starts[following] <= index:
                following += 1
            stop = starts[following] if following < len(starts) else size
            total += _run_weight(units[index:stop])
            index = stop
    return total, units


def weighted_length(text: str) -> int:
    """The length of `text` as X counts it (twitter-text v3's weightedLength)."""
    return _scaled_length(text)[0] // _SCALE


def is_valid(text: str) -> bool:
    """Whether X takes `text` as one post: not empty, at most 280 long, and without the
    characters twitter-text refuses (U+FFFE, U+FEFF, U+FFFF)."""
    scaled, units = _scaled_length(text)
    return 0 < scaled <= X_LIMIT * _SCALE and not any(c in units for c in _INVALID_CHARS)


def urls(text: str) -> list[str]:
    """The URLs X finds in `text` (NFC), in order: each counts X_URL_LENGTH."""
    units = utf16(unicodedata.normalize("NFC", text))
    return [
        _code_points(units[start : start + size]) for start, size in sorted(_urls(units).items())
    ]

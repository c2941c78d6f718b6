"""A post's length as Mastodon counts it, ported from its StatusLengthValidator.

Mastodon counts grapheme clusters of the content warning and the text together, after two
rewrites of the text:

- every URL with a scheme (http, https, dat, dweb, ipfs, ipns, ssb, gopher, gemini) becomes
  23 characters (an instance can say otherwise: its `characters_reserved_per_url`);
  a domain without a scheme is text, counted in full;
- every mention `@user@domain` becomes `@user`.

URLs are found as the Ruby twitter-text gem finds them, with the patterns Mastodon puts in its
place (config/initializers/twitter_regex.rb: any path character but spaces, <, >, parentheses
and ?), and mentions by Mastodon's Account::MENTION_RE; where a URL and a mention overlap, the
one that starts first stays (Extractor.remove_overlapping_entities).

The gem's domains, top-level domains and t.co rule are twitter-text's, as in `xlength`. Its
IDNA check is libidn's IDNA 2003; Python's `idna` codec is the same standard.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import regex

from .networks import MASTODON_URL_LENGTH
from .text import grapheme_count
from .xdata import COUNTRY_TLDS, GENERIC_TLDS
from .xlength import tld_pattern

_MAX_URL_LENGTH = 4096
_MAX_TCO_SLUG_LENGTH = 40
_MAX_DOMAIN_LENGTH = 253  # of a mention's domain (Extractor::MAX_DOMAIN_LENGTH)

_DIRECTIONAL = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_INVALID = "\ufffe\ufeff\uffff"
_UNICODE_SPACES = "\t-\r \x85\xa0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_PUNCTUATION = regex.escape("!\"#$%&'()*+,-./:;<=>?@[]^_`{|}~", special_only=False)
_CONTROLS = "\x00-\x1f\x7f"
_LATIN_ACCENTS = (
    "\xc0-\xd6\xd8-\xf6\xf8-\xff\u0100-\u024f\u0253\u0254\u0256\u0257\u0259\u025b\u0263"
    "\u0268\u026f\u0272\u0289\u028b\u02bb\u0300-\u036f\u1e00-\u1eff"
)
# Ruby's [[:word:]]: letters, marks, decimal digits and connectors.
_WORD = r"[\p{L}\p{M}\p{Nd}\p{Pc}]"

_DOMAIN_CHAR = f"[^{_DIRECTIONAL}{_PUNCTUATION}{_CONTROLS}{_INVALID}{_UNICODE_SPACES}]"
_SUBDOMAIN = f"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_DOMAIN_NAME = f"(?:(?:{_DOMAIN_CHAR}(?:[-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\\.)"
_TLD_END = r"(?=[^0-9a-z@+-]|\Z)"
_TLD = (
    f"(?:(?:{tld_pattern(GENERIC_TLDS)}){_TLD_END}|(?:{tld_pattern(COUNTRY_TLDS)}){_TLD_END}"
    r"|(?:xn--[0-9a-z]+))"
)
_DOMAIN = f"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}{_TLD})"

# Unicode properties spelled out, as the standard library's re has no \p{...}: they make the
# pattern compile in half the time the regex module takes (a build pays it once, for the
# first Mastodon draft it makes). As of Unicode 16.
WHITE_SPACE = "\t-\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
DASHES = (  # \p{Pd}
    "\\-\u058a\u05be\u1400\u1806\u2010-\u2015\u2e17\u2e1a\u2e3a\u2e3b\u2e40\u2e5d\u301c"
    "\u3030\u30a0\ufe31\ufe32\ufe58\ufe63\uff0d\U00010d6e\U00010ead"
)
CYRILLIC = (  # \p{Script=Cyrillic}
    "\u0400-\u0484\u0487-\u052f\u1c80-\u1c8a\u1d2b\u1d78\u2de0-\u2dff\ua640-\ua69f"
    "\ufe2e\ufe2f\U0001e030-\U0001e06d\U0001e08f"
)

# The gem's path characters and parentheses live on inside Mastodon's path ending characters,
# which its initializer defines before it redefines the parentheses.
_GEM_PATH_CHAR = f"[a-z{CYRILLIC}0-9!\\*';:=\\+\\,\\.\\$\\/%#\\[\\]{DASHES}_~&\\|@{_LATIN_ACCENTS}]"
_GEM_PARENS = (
    f"\\((?:{_GEM_PATH_CHAR}+|(?:{_GEM_PATH_CHAR}*\\({_GEM_PATH_CHAR}+\\){_GEM_PATH_CHAR}*))\\)"
)
_PATH_CHAR = f"[^{WHITE_SPACE}<>()?]"
_PATH_END = f"(?:[^{WHITE_SPACE}()?!*\"'\u300c\u300d<>;:=,.$%\\[\\]~&|]|(?:{_GEM_PARENS}))"
_PARENS = f"\\((?:{_PATH_CHAR}+|(?:{_PATH_CHAR}*\\({_PATH_CHAR}+\\){_PATH_CHAR}*))\\)"
_PATH = f"(?:(?:{_PATH_CHAR}*(?:{_PARENS}{_PATH_CHAR}*)*{_PATH_END})|(?:{_PATH_CHAR}+/))"
_UCHARS = (
    "\xa0-\ud7ff\uf900-\ufdcf\ufdf0-\uffef\U00010000-\U0001fffd\U00020000-\U0002fffd"
    "\U00030000-\U0003fffd\U00040000-\U0004fffd\U00050000-\U0005fffd\U00060000-\U0006fffd"
    "\U00070000-\U0007fffd\U00080000-\U0008fffd\U00090000-\U0009fffd\U000a0000-\U000afffd"
    "\U000b0000-\U000bfffd\U000c0000-\U000cfffd\U000d0000-\U000dfffd\U000e1000-\U000efffd"
    "\ue000-\uf8ff\U000f0000-\U000ffffd\U00100000-\U0010fffd"
)
_QUERY_CHAR = f"[a-z0-9!?*'();:&=+$/%#\\[\\]\\-_.,~|@\\^{_UCHARS}]"
_QUERY_END = f"[a-z0-9_&=#/\\-{_UCHARS}]"
_PRECEDING = f"(?:[^A-Z0-9@\uff20$#\uff03{_INVALID}]|[{_DIRECTIONAL}]|^)"
_SCHEME = "(?:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://"
_SCHEME_AND_BEFORE = len("gemini") + 1

# Groups as the gem's valid_url: 1 the URL, 2 its scheme, 3 its domain.
_URL = re.compile(
    f"{_PRECEDING}(({_SCHEME})({_DOMAIN})(?::[0-9]+)?(?:/{_PATH}*)?(?:\\?{_QUERY_CHAR}*{_QUERY_END})?)",
    re.IGNORECASE,
)
_TCO_URL = re.compile(r"^https?://t\.co/([a-z0-9]+)", re.IGNORECASE)
_MENTION = regex.compile(
    f"(?<![=/]|{_WORD})@((?i:[a-z0-9_]+(?:[.-]+[a-z0-9_]+)*)(?:@({_WORD}+(?:[.-]+{_WORD}+)*))?)"
)
_AFTER_MENTION = regex.compile(f"[@\uff20{_LATIN_ACCENTS}]|://")


def _domain_is_valid(url: str, domain: str) -> bool:
    """The gem's is_valid_domain: the domain passes IDNA, and the URL with the domain
    encoded is at most 4,096 long."""
    try:
        encoded = domain.encode("idna")
    except UnicodeError:
        return False
    return len(url) + max(0, len(encoded) - len(domain)) <= _MAX_URL_LENGTH


def _url_matches(text: str) -> Iterator[re.Match[str]]:
    """The matches of _URL.finditer(text), tried only where one can start: a scheme and
    the character before it end right before a "://", so a match starts at most 7 before
    the first "://" after its start. Elsewhere the pattern is slow to fail."""
    pos = 0
    while (colon := text.find("://", pos)) >= 0:
        for start in range(max(pos, colon - _SCHEME_AND_BEFORE), colon):
            match = _URL.match(text, start)
            if match is not None:
                yield match
                pos = match.end()
                break
        else:
            pos = colon + 1


def _urls(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every URL Mastodon gives a fixed length."""
    found: list[tuple[int, int, str]] = []
    if "://" not in text:
        return found
    for match in _url_matches(text):
        url, start, end = match.group(1), match.start(1), match.end(1)
        tco = _TCO_URL.match(url)
        if tco is not None:
            if len(tco.group(1)) > _MAX_TCO_SLUG_LENGTH:
                continue
            url, end = tco.group(), start + len(tco.group())
        if _domain_is_valid(url, match.group(3)):
            found.append((start, end, ""))
    return found


def _mentions(text: str) -> list[tuple[int, int, str]]:
    """(start, end, replacement) of every mention: `@user@domain` becomes `@user`."""
    found: list[tuple[int, int, str]] = []
    if "@" not in text and "\uff20" not in text:
        return found
    for match in _MENTION.finditer(text):
        if _AFTER_MENTION.match(text, match.end()):
            continue
        domain = match.group(2)
        if domain is not None and len(domain) > _MAX_DOMAIN_LENGTH:
            continue
        found.append((match.start(), match.end(), "@" + match.group(1).split("@")[0]))
    return found


def countable_text(text: str, url_length: int = MASTODON_URL_LENGTH) -> str:
    """`text` as Mastodon counts it: URLs as `url_length` x's, mentions as @user."""
    if not text.strip():
        return ""
    entities = sorted(_urls(text) + _mentions(text))
    parts: list[str] = []
    index = 0
    for start, end, replacement in entities:
        if start < index:  # overlaps the one before: dropped
            continue
        parts.append(text[index:start])
        parts.append(replacement or "x" * url_length)
        index = end
    parts.append(text[index:])
    return "".join(parts)


def mastodon_length(text: str, url_length: int = MASTODON_URL_LENGTH, spoiler: str = "") -> int:
    """The length of a post of `text` (with the content warning `spoiler`) as Mastodon
    counts it against the instance's limit."""
    return grapheme_count(spoiler + countable_text(text, url_length))

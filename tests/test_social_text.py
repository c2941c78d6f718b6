"""social.text: cleaning out what could disguise a post, counting as readers see, shortening."""

from __future__ import annotations

import unicodedata

import regex
from hypothesis import given
from hypothesis import strategies as st

from statuspage.social.text import (
    ELLIPSIS,
    clean,
    grapheme_count,
    graphemes,
    shorten,
    utf8_span,
)

FAMILY = "👨\u200d👩\u200d👧\u200d👦"
ENGLAND = "🏴\U000e0067\U000e0062\U000e0065\U000e006e\U000e0067\U000e007f"
THUMB = "👍🏽"
FLAG = "🇩🇪"
E_ACUTE = "e\u0301"  # e and a combining acute accent
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want": it needs the non-joiner


def test_what_could_hide_or_reverse_part_of_a_post_is_taken_out() -> None:
    assert clean("visit gro.live\u202e.example.com") == "visit gro.live.example.com"
    assert clean("\u2066evil\u2069 \u200bexample\u200b.com\ufeff\u00ad") == "evil example.com"
    assert clean("a\u200db.example.com") == "ab.example.com"  # a joiner outside an emoji
    assert clean("ex\u200cample.com") == "example.com"  # a non-joiner between ASCII letters
    assert clean("bell\x07 tab\tand\r\nlines\n") == "bell tab and\nlines\n"
    assert clean("<script>alert(1)</script>") == "<script>alert(1)</script>"  # text, not HTML


def test_what_a_script_or_an_emoji_needs_is_kept() -> None:
    for kept in (FAMILY, ENGLAND, THUMB, FLAG, PERSIAN, "Grüße", "日本語"):
        assert clean(kept) == kept
    assert clean(E_ACUTE) == "é"  # NFC, as X counts it


def test_graphemes_are_what_a_reader_sees_as_one_character() -> None:
    assert graphemes(f"a{FAMILY}{FLAG}{FLAG}{THUMB}{E_ACUTE}{ENGLAND}") == [
        "a",
        FAMILY,
        FLAG,
        FLAG,
        THUMB,
        E_ACUTE,
        ENGLAND,
    ]
    assert grapheme_count("\r\n") == 1
    assert grapheme_count("क्षि") == 1  # Unicode 15.1's conjunct rule


def test_utf8_spans_point_at_the_bytes_of_the_text() -> None:
    text = f"{FAMILY} Grüße: https://status.example.com/incidents/db/"
    start = text.index("https")
    begin, end = utf8_span(text, start, len(text))
    data = text.encode("utf-8")
    assert data[begin:end].decode("utf-8") == "https://status.example.com/incidents/db/"
    assert begin == len(FAMILY.encode()) + len(" Grüße: ".encode())


def test_shortening_cuts_after_a_word_and_never_inside_a_character() -> None:
    def within(limit: int) -> object:
        return lambda text: grapheme_count(text) <= limit

    text = "The database is slow for some customers"
    assert shorten(text, within(100)) == text
    assert shorten(text, within(20)) == f"The database is{ELLIPSIS}"
    assert shorten("Supercalifragilistic", within(6)) == f"Super{ELLIPSIS}"
    assert shorten(f"{FAMILY}{FAMILY}{FAMILY}", within(3)) == f"{FAMILY}{FAMILY}{FAMILY}"
    assert shorten(f"{FAMILY}{FAMILY}{FAMILY}", within(2)) == f"{FAMILY}{ELLIPSIS}"
    assert shorten("anything", within(1)) == ELLIPSIS
    assert shorten("anything", within(0)) == ""


texts = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from([FAMILY, ENGLAND, THUMB, FLAG, E_ACUTE, " ", "\u200d", "\u202e"]),
    ),
    max_size=60,
).map("".join)


@given(texts, st.integers(min_value=1, max_value=40))
def test_any_text_shortened_fits_and_is_a_start_of_it_in_whole_characters(
    text: str, limit: int
) -> None:
    text = clean(text)
    short = shorten(text, lambda candidate: grapheme_count(candidate) <= limit)
    assert grapheme_count(short) <= limit
    if short != text:
        assert short.endswith(ELLIPSIS)
        start = short.removesuffix(ELLIPSIS)
        assert text.startswith(start)
        # It ends where a cluster of the text ends: no emoji, flag or accent is split.
        assert graphemes(text)[: len(graphemes(start))] == graphemes(start)


@given(texts)
def test_cleaned_text_holds_nothing_that_could_disguise_it(text: str) -> None:
    cleaned = clean(text)
    assert unicodedata.is_normalized("NFC", cleaned)
    assert not regex.search(r"[\u202a-\u202e\u2066-\u2069\u200b\u200e\u200f\ufeff]", cleaned)
    assert not regex.search(r"(?!\n)\p{Cc}", cleaned)
    assert clean(cleaned) == cleaned

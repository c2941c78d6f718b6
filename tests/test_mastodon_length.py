"""social.mastodon: a post's length as Mastodon counts it (StatusLengthValidator).

The first cases are those of Mastodon's spec/validators/status_length_validator_spec.rb, with
its limit of 100.
"""

from __future__ import annotations

import re

import regex

from statuspage.social.mastodon import (
    CYRILLIC,
    DASHES,
    WHITE_SPACE,
    countable_text,
    mastodon_length,
)

LIMIT = 100


def fits(text: str, spoiler: str = "") -> bool:
    return mastodon_length(text, spoiler=spoiler) <= LIMIT


def test_mastodons_own_cases() -> None:
    assert not fits("a" * 200)
    assert not fits("a" * 50, spoiler="a" * 55)  # the content warning counts too
    link = "http://" + "b" * 30 + ".com/example"
    assert fits("a" * 76 + " " + link)  # a link counts 23
    assert not fits("a" * 76 + link)  # not a link when glued to a word
    assert not fits("http://example.com/valid?" + "#foo?" * 1000)  # over 4,096: not a link
    assert fits("a" * 75 + " @alice@" + "b" * 30 + ".com")  # a mention counts as @alice
    assert not fits("@alice@" + "b" * 506 + ".com")  # a domain over 253 is no mention
    assert fits("✨" * 100) and fits("🏳️‍⚧️" * 100)  # graphemes, not code points


def test_links_need_a_scheme_and_mentions_lose_their_domain() -> None:
    text = (
        "See https://status.example.com/incidents/2026-x/#update-2, gemini://x.org/a and "
        "status.example.com; ask @ops@example.social or mail ops@example.com."
    )
    assert countable_text(text) == (
        f"See {'x' * 23}, {'x' * 23} and status.example.com; ask @ops or mail ops@example.com."
    )
    assert countable_text("https://example.com/a", url_length=30) == "x" * 30


def test_counts_what_a_reader_sees() -> None:
    assert mastodon_length("Störung") == 7
    assert mastodon_length("e\u0301") == 1 and mastodon_length("👨‍👩‍👧‍👦🇩🇪") == 2
    assert mastodon_length("   ") == 0  # blank text counts nothing
    assert mastodon_length("text", spoiler="CW ") == 7


def test_the_spelled_out_unicode_properties_are_the_regex_modules() -> None:
    # The standard library's re has no \p{...}: mastodon spells out the three it needs.
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    for spelled, prop in (
        (WHITE_SPACE, r"\p{White_Space}"),
        (DASHES, r"\p{Pd}"),
        (CYRILLIC, r"\p{Script=Cyrillic}"),
    ):
        ours = re.findall(f"[{spelled}]", every)
        theirs = regex.findall(prop, every)
        assert set(ours) <= set(theirs) and len(theirs) - len(ours) <= 5, prop

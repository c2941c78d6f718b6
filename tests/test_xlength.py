"""social.xlength: a post's length as X counts it, held to three references.

- twitter-text's own conformance suite (validate.yml, extract.yml);
- how twitter-text's JavaScript counts 1,005 texts made to be hard (js_counts.json);
- `twitter-text-parser`, an independent Python implementation on PyPI, over messages as
  status pages write them, in many languages.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from twitter_text import parse_tweet

from statuspage.social.networks import X_LIMIT
from statuspage.social.xlength import is_valid, urls, weighted_length

DATA = Path(__file__).parent / "data" / "twitter-text"


def conformance(name: str, section: str) -> list[dict[str, Any]]:
    with (DATA / name).open(encoding="utf-8") as file:
        cases: list[dict[str, Any]] = yaml.safe_load(file)["tests"][section]
    return cases


# The v3 sections: WeightedTweetsCounterTest is v2's, which weighs an emoji by its code points.
@pytest.mark.parametrize(
    "case",
    conformance("validate.yml", "WeightedTweetsWithDiscountedEmojiCounterTest")
    + conformance("validate.yml", "UnicodeDirectionalMarkerCounterTest"),
    ids=lambda case: case["description"],
)
def test_conformance_weighted_length(case: dict[str, Any]) -> None:
    expected = case["expected"]
    assert weighted_length(case["text"]) == expected["weightedLength"]
    assert is_valid(case["text"]) is expected["valid"]


@pytest.mark.parametrize(
    "case", conformance("extract.yml", "urls"), ids=lambda case: case["description"]
)
def test_conformance_urls(case: dict[str, Any]) -> None:
    assert urls(case["text"]) == case["expected"]


def test_as_the_javascript_counts_every_hard_text() -> None:
    cases = json.loads((DATA / "js_counts.json").read_text(encoding="utf-8"))
    assert len(cases) > 1000
    wrong = [
        (text, weighted_length(text), length)
        for text, length, valid in cases
        if (weighted_length(text), is_valid(text)) != (length, valid)
    ]
    assert wrong == []


MESSAGES = {
    "english": "Investigating: Elevated API error rates. Some requests fail; we are on it.",
    "german": "Störung behoben: Die Übertragung läuft wieder, Größe der Warteschlange sinkt.",
    "japanese": "調査中\uff1a一部のお客様でログインできない問題が発生しています。",
    "arabic": "نحن نحقق في ارتفاع معدلات الخطأ في واجهة برمجة التطبيقات.",
    "skin tones": "Fixed 👍🏽👍🏿 thanks to the on-call team 🙌🏻",
    "flags": "Affected regions: 🇩🇪 🇫🇷 🇯🇵 🇺🇸 🏴󠁧󠁢󠁳󠁣󠁴󠁿",
    "zwj sequences": "Everyone 👨‍👩‍👧‍👦 can log in again 🧑‍💻 🏳️‍🌈 🧑‍🎄",
    "combining marks": "Cafe\u0301 menu, n\u0303, a\u0308, Zalgo z\u0336\u0301\u0327",
    "long url": "Details: https://status.example.com/incidents/2026-11-30-very-long-incident"
    "-name-that-goes-on-and-on/?utm_source=a&utm_medium=b#update-12 read it",
    "bare domains": "See status.example.com and www.example.co.uk/path for more",
    "hashtags": "Resolved #outage #status #api @example_support",
    "far over": "Long " * 200 + "https://status.example.com/x",
    "cjk far over": "障害" * 400,
    "emoji far over": "🔥" * 300,
}


@pytest.mark.parametrize("text", MESSAGES.values(), ids=MESSAGES.keys())
def test_equals_twitter_text_parser_on_real_messages(text: str) -> None:
    reference = parse_tweet(text)
    assert weighted_length(text) == reference.weightedLength
    assert is_valid(text) is reference.valid


def test_weights_by_the_v3_rules() -> None:
    assert weighted_length("abc") == 3
    assert weighted_length("日本") == 4  # CJK weighs 2
    assert weighted_length("\u2018quoted\u2019 \u2014 dash") == 15  # 8192-8223: weighs 1
    assert weighted_length("👨‍👩‍👧‍👦") == 2  # a ZWJ sequence is one emoji: 2
    # ...where twemoji-parser 11 knows it: this one came later, so 2 + the joiner's 1 + 2.
    assert weighted_length("🧑‍🎄") == 5
    assert weighted_length("🇩🇪") == 2
    assert weighted_length("e\u0301") == 1  # NFC makes it é
    assert weighted_length("https://example.com/" + "a" * 100) == 23
    assert weighted_length("example.com") == 23 and weighted_length("example.invalid") == 15
    assert weighted_length("a\r\nb") == 4  # the JavaScript counts \r and \n (the PyPI port: 3)
    assert weighted_length("©") == 1  # one code point, in 0-4351 (the PyPI port: 2)
    assert is_valid("x" * X_LIMIT) and not is_valid("x" * (X_LIMIT + 1))
    assert not is_valid("") and not is_valid("bad \ufffe")

"""Writes js_counts.json: texts and how twitter-text's own JavaScript counts them.

    mkdir /tmp/tt && npm install --prefix /tmp/tt twitter-text@3.1.0
    python tests/data/twitter-text/make_js_counts.py /tmp/tt

The texts are made at random (a fixed seed) from pieces that are hard to count: links with and
without a scheme, next to each other and to other text, domains in other scripts, t.co links,
emoji sequences, combining marks, Hangul, astral characters, carriage returns, invisible and
direction characters. test_xlength holds our port to every one of these figures.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).with_name("js_counts.json")

PIECES = [
    "hello", " ", "\n", "\r\n", "Störung", "日本語", "مرحبا", "👍🏽", "🇩🇪", "👨‍👩‍👧‍👦",
    "🧑‍🎄", "e\u0301",
    "https://status.example.com/incidents/x/#update-3", "example.com", "t.co/abc", "#tag",
    "@user", ".", "www.example.co.uk/path?q=1", "😀",
    "\u2019", "—", "\u2032", "ᄀ", "\u200d", "\ufe0f",
    "a.b", "http://例え.jp/パス", "1️⃣", "🏳️‍🌈", "xn--abc.com", "(", ")", "a" * 30, "ü.de",
    "\U0001d538",
    "©", "®", "™", "-", "_", "/", "http://", "https://", ".com", "\u3002", "\u202e", "\ufeff",
    "x" * 120, "&", "?", "=", "t.co/" + "a" * 45, "$", "@", "https://a.example/(x)_y",
]  # fmt: skip

SCRIPT = """
const tt = require('twitter-text');
const texts = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const counted = texts.map(t => { const r = tt.parseTweet(t); return [r.weightedLength, r.valid]; });
console.log(JSON.stringify(counted));
"""


def character(rng: random.Random) -> str:
    low, high = rng.choice([(0x20, 0x7E), (0xA0, 0x2FFF), (0x3000, 0xD7FF), (0xE000, 0xFFFD),
                            (0x10000, 0x1FBFF)])  # fmt: skip
    return chr(rng.randint(low, high))


def main(prefix: str) -> None:
    rng = random.Random(14)
    texts = ["a\r\nb", "©", "®", "© 2026", "™"]
    for _ in range(1000):
        size = rng.randint(1, 30)
        texts.append(
            "".join(
                rng.choice(PIECES) if rng.random() < 0.7 else character(rng) for _ in range(size)
            )
        )
    counted = subprocess.run(
        ["node", "-e", SCRIPT],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "NODE_PATH": str(Path(prefix) / "node_modules")},
    ).stdout
    lines = [
        json.dumps([text, length, valid], ensure_ascii=False)
        for text, (length, valid) in zip(texts, json.loads(counted), strict=True)
    ]
    # One case a line, [text, weightedLength, valid], so a change reads as a diff.
    OUT.write_text("[\n" + ",\n".join(lines) + "\n]\n", encoding="utf-8")


if __name__ == "__main__":
    main(sys.argv[1])

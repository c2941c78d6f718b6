"""Writes statuspage/social/xdata.py: the data twitter-text v3 counts a post with.

    python tests/data/twitter-text/make_xdata.py TWITTER_TEXT_CHECKOUT TWEMOJI_PARSER_DIR

TWITTER_TEXT_CHECKOUT is a clone of https://github.com/twitter/twitter-text (the top-level
domains of js/src/regexp/validGTLD.js and validCCTLD.js, in their order: longest alternatives
first where one is the start of another); TWEMOJI_PARSER_DIR the unpacked npm package
twemoji-parser 11.0.2, the version twitter-text's js/package.json names (its emoji pattern,
dist/lib/regex.js). Both are copied as they are, so xdata.py stays a faithful copy.
"""

from __future__ import annotations

import re
import re._parser as sre_parse  # to find where the emoji pattern can start: this script only
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[3] / "statuspage" / "social" / "xdata.py"

HEADER = '''"""The data twitter-text v3 counts a post with, written by make_xdata.py.

GENERIC_TLDS and COUNTRY_TLDS: the top-level domains of twitter-text's js/src/regexp/validGTLD.js
and validCCTLD.js, in their order (commit {commit}),
Copyright 2018 Twitter, Inc., under the Apache License 2.0.
EMOJI: the pattern of twemoji-parser 11.0.2's dist/lib/regex.js, Copyright Twitter Inc., under
the MIT licence. It is written for UTF-16 code units, as JavaScript strings hold text.
Both licences are in THIRD_PARTY.md beside this file. Do not edit: run the script again.
"""

# fmt: off
'''


def js_strings(source: str, start: str) -> str:
    """The concatenated string literals after `start` up to the closing lookahead."""
    body = source.split(start, 1)[1].split("(?=", 1)[0]
    return "".join(re.findall(r"'([^']*)'", body))


def first_units(items: list[tuple[object, object]]) -> set[int]:
    """The code units a match of the parsed pattern `items` can start with."""
    found: set[int] = set()
    for op, arg in items:
        if op is sre_parse.LITERAL:
            return found | {arg}  # type: ignore[arg-type]
        if op is sre_parse.IN:
            for kind, value in arg:  # type: ignore[attr-defined]
                if kind is sre_parse.LITERAL:
                    found.add(value)
                elif kind is sre_parse.RANGE:
                    found.update(range(value[0], value[1] + 1))
                else:
                    raise SystemExit(f"no first characters for {kind} in the emoji pattern")
            return found
        if op is sre_parse.BRANCH:
            for branch in arg[1]:  # type: ignore[index]
                found |= first_units(list(branch))
            return found
        if op is sre_parse.SUBPATTERN:
            return found | first_units(list(arg[-1]))  # type: ignore[index]
        if op in (sre_parse.MAX_REPEAT, sre_parse.MIN_REPEAT):
            low, _, sub = arg  # type: ignore[misc]
            found |= first_units(list(sub))
            if low == 0:
                continue  # it may match nothing: what follows can start a match too
            return found
        raise SystemExit(f"no first characters for {op} in the emoji pattern")
    raise SystemExit("the emoji pattern can match nothing")


def character_class(units: set[int]) -> str:
    """`units` as the inside of a character class, in ranges."""
    ordered, ranges = sorted(units), []
    start = previous = ordered[0]
    for unit in [*ordered[1:], -1]:
        if unit != previous + 1:
            ranges.append(f"\\u{start:04x}" + (f"-\\u{previous:04x}" if previous > start else ""))
            start = unit
        previous = unit
    return "".join(ranges)


def raw_strings(text: str, width: int) -> list[str]:
    """`text` as lines of raw strings of about `width`, none ending in a backslash."""
    lines, start = [], 0
    while start < len(text):
        end = min(start + width, len(text))
        while text[start:end].endswith("\\"):  # a raw string cannot end with one
            end -= 1
        lines.append(f'    r"{text[start:end]}"\n')
        start = end
    return lines


def main(checkout: str, twemoji: str) -> None:
    def show(path: str) -> str:
        return subprocess.run(
            ["git", "-C", checkout, "show", f"HEAD:{path}"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout

    commit = subprocess.run(
        ["git", "-C", checkout, "rev-parse", "HEAD"], check=True, capture_output=True, text=True
    ).stdout.strip()
    generic = js_strings(show("js/src/regexp/validGTLD.js"), "RegExp(").split("|")
    country = js_strings(show("js/src/regexp/validCCTLD.js"), "RegExp(").split("|")
    generic[0] = generic[0].removeprefix("(?:(?:")
    country[0] = country[0].removeprefix("(?:(?:")
    regex_js = (Path(twemoji) / "dist" / "lib" / "regex.js").read_text(encoding="utf-8")
    emoji = re.search(r"exports\.default = /(.*)/g;", regex_js)
    if emoji is None:
        raise SystemExit("no pattern in twemoji-parser's regex.js")
    lines = [HEADER.format(commit=commit)]
    for name, tlds in (("GENERIC_TLDS", generic), ("COUNTRY_TLDS", country)):
        lines.append(f"{name} = (\n")
        row = "   "
        for tld in tlds:
            item = f" {tld!r},"
            if len(row) + len(item) > 90:
                lines.append(row + "\n")
                row = "   "
            row += item
        lines.append(row + "\n)\n\n")
    pattern = emoji.group(1)
    lines.append("EMOJI = (\n")
    if '"' in pattern:
        raise SystemExit("a quote in twemoji-parser's pattern: write it another way")
    lines.extend(raw_strings(pattern, 90))
    lines.append(")\n\n")
    starts = character_class(first_units(list(sre_parse.parse(pattern))))
    lines.append("# The code units an emoji of EMOJI can start with (found by parsing it).\n")
    lines.append("EMOJI_STARTS = (\n")
    lines.extend(raw_strings(starts, 84))
    lines.append(")\n")
    OUT.write_text("".join(lines), encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])

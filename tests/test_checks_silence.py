"""Silence comments (statuspage.checks.silence): which lines each one covers, and every rule
silenced in a real check by a comment naming it, and not by one naming another."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from statuspage.checks.silence import Silences
from statuspage.model.checks import RULE_IDS
from tests import test_checks as tc
from tests import test_checks_text as tx
from tests import test_checks_timeliness as tt
from tests.conftest import MakeSite

TEXT = """\
title: Errors
impact: major
updates:
  # statuspage: ignore[stale-incident, jargon] quoted from the supplier
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: |
      Errors. # statuspage: ignore[blame] is text here, not a comment
  - at: 2026-11-20T14:35:00Z
    status: identified
    message: |  # statuspage: ignore[vague]
      Some users may experience issues.
      More text.
admission: A. # statuspage: ignore[admission-scope]
"""


def test_a_comment_alone_covers_what_starts_on_the_next_line() -> None:
    silences = Silences.read(TEXT)
    for line in (5, 6, 7, 8):  # the whole first update
        assert silences.silenced("stale-incident", line)
        assert silences.silenced("jargon", line)
    assert not silences.silenced("jargon", 9)  # the next update
    assert not silences.silenced("jargon", 4)


def test_a_comment_at_the_end_of_a_line_covers_what_starts_on_it() -> None:
    silences = Silences.read(TEXT)
    assert [line for line in range(1, 16) if silences.silenced("vague", line)] == [11, 12, 13]
    assert [line for line in range(1, 16) if silences.silenced("admission-scope", line)] == [14]


def test_words_inside_a_message_are_not_a_comment() -> None:
    assert not any(Silences.read(TEXT).silenced("blame", line) for line in range(1, 16))


def test_ignore_file_covers_every_line() -> None:
    silences = Silences.read("# statuspage: ignore-file[late-first-post] imported\ntitle: A\n")
    assert silences.silenced("late-first-post", 2)
    assert silences.silenced("late-first-post", 100)
    assert not silences.silenced("jargon", 2)


def test_a_file_without_comments_silences_nothing() -> None:
    assert Silences.read("title: A\n") == Silences(frozenset(), ())


# --- Every rule, silenced in a real check by a comment naming it ---------------------------

RESOLVED = "  - at: 2026-11-23T09:40:00Z\n    status: resolved\n    message: Fixed.\n"


def _cases() -> dict[str, tuple[str, str, datetime]]:
    """For each file rule: an incident file that makes it fire, and the clock to check at."""
    started = tt.WINDOW + (
        "  - at: 2026-11-23T02:01:00Z\n    status: in_progress\n    message: Go.\n"
    )
    return {
        "stale-incident": (tt.OPEN, "hooks", tt.at(12)),
        "missed-next-update": (tt.OPEN + "    next_update: 1h\n", "hooks", tt.at(10, 35)),
        "late-first-post": (
            tt.OPEN.replace("T08:58:00Z", "T08:41:00Z") + RESOLVED,
            "hooks",
            tt.at(10),
        ),
        "postmortem-overdue": (tt.RESOLVED_MAJOR, "errors", tt.at(12, day=26)),
        "maintenance-unannounced": (tt.WINDOW, "upgrade", tt.at(2, 30)),
        "maintenance-overrun": (started, "upgrade", tt.at(4, 30)),
        "admission-apology": (tx.GOOD.replace(" We are sorry.", ""), "errors", tx.NOW),
        "admission-scope": (
            tx.GOOD.replace("From 14:02 to 14:52 UTC about 20 % of API requests failed.", "Oops."),
            "errors",
            tx.NOW,
        ),
        "resolution-impact": (tx.GOOD.replace(" No data was lost.", ""), "errors", tx.NOW),
        "jargon": (
            tx.GOOD.replace("We are investigating.", "HTTP 503 everywhere."),
            "errors",
            tx.NOW,
        ),
        "blame": (
            tx.GOOD.replace("We are investigating.", "It was due to our cloud provider."),
            "errors",
            tx.NOW,
        ),
        "vague": (
            tx.GOOD.replace(
                "About one in five requests to the API fails.", "Some users may experience issues."
            ),
            "errors",
            tx.NOW,
        ),
    }


def _with_comment(text: str, line: int, comment: str) -> str:
    """`text` with `comment` alone on a line above the update or top-level key that holds
    `line`, indented as that is."""
    lines = text.split("\n")
    start = next(n for n in range(line, 0, -1) if re.match(r"\S|\s*- ", lines[n - 1]))
    indent = re.match(r"\s*", lines[start - 1])[0]  # type: ignore[index]
    lines.insert(start - 1, f"{indent}{comment}")
    return "\n".join(lines)


@pytest.mark.parametrize("rule", [r for r in RULE_IDS if r != "unadmitted-outage"])
def test_each_file_rule_is_silenced_by_a_comment_naming_it(make_site: MakeSite, rule: str) -> None:
    text, name, now = _cases()[rule]
    site = make_site(incidents={name: text})
    fired = [w for w in tt.warnings_of(site, now) if f"warning[{rule}]" in w]
    assert len(fired) == 1, tt.warnings_of(site, now)
    line = int(fired[0].split(":")[1])
    other = "jargon" if rule != "jargon" else "vague"
    site.incident(name, _with_comment(text, line, f"# statuspage: ignore[{other}] not this one"))
    moved = fired[0].replace(f":{line}:", f":{line + 1}:", 1)  # below the comment
    assert [w for w in tt.warnings_of(site, now) if f"warning[{rule}]" in w] == [moved]
    site.incident(name, _with_comment(text, line, f"# statuspage: ignore[{rule}] justified"))
    assert not [w for w in tt.warnings_of(site, now) if f"warning[{rule}]" in w]


def test_unadmitted_outage_is_silenced_by_a_comment_on_its_probe(make_site: MakeSite) -> None:
    site = make_site(tc.CONFIG)
    tc.down_since(site, "api-health", 25)
    assert tc.check(site)[2].startswith("statuspage.yaml:8:5: warning[unadmitted-outage]")
    silenced = tc.CONFIG.replace(
        "  - id: api-health\n",
        "  # statuspage: ignore[unadmitted-outage] the probe's target moves this week\n"
        "  - id: api-health\n",
    )
    site.write("statuspage.yaml", silenced)
    assert tc.check(site)[2] == ""
    site.write("statuspage.yaml", silenced.replace("ignore[unadmitted-outage]", "ignore[vague]"))
    assert "warning[unadmitted-outage]" in tc.check(site)[2]

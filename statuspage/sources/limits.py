"""The limits on input files, as data: each bounds the work one file can cause a build.

Every limit is far above what a real incident needs (a long postmortem is some 40,000
characters, a long incident some 50 updates), so that no file a real team writes meets one,
while any file within all of them checks and builds in well under 2 seconds. `check` names
the limit a file exceeds and what to do. LIMITS lists them all, for the README and tests.
"""

from __future__ import annotations

from typing import NamedTuple

from ..model.ids import MAX_ID_CHARS


class Limit(NamedTuple):
    """One limit: its value, its unit, and what it bounds (as the README shows it)."""

    value: int
    unit: str
    bounds: str


MAX_FILE_BYTES = 262_144
"""Bytes in one input file (256 KiB, six long postmortems). Its text is copied into some ten
outputs (the page, its feeds, the site's feeds, the API): a file this full of ordinary
Markdown builds in about 0.7 s, and one of Markdown at its most tangled (thousands of
unclosed brackets, which Markdown renders within a budget of work, then as plain text) in
about 1.5 s."""

MAX_TEXT_CHARS = 65_536
"""Characters in one text value (a message, a postmortem section, a title, a name)."""

MAX_ENTRIES = 1_000
"""Entries in one list or mapping: updates of an incident, components, action items."""

MAX_EXPANDED_CHARS = 262_144
"""Characters of text in one file with every alias (`*name`) counted as a copy of what it
names (the file size, in characters), so that a few aliases of aliases cannot make a small
file expand to gigabytes."""

MAX_DEPTH = 1_000
"""Levels of lists and mappings nested in one another (libyaml's own bound on nesting)."""

FIRST_YEAR = 1970
"""The earliest year of a time or date: older ones are no incident's, and some clocks and
formats (Unix time, say) start here."""

LAST_YEAR = 9000
"""The latest year of a time or date, far enough from 9999, the last a datetime holds, that
converting a time to any zone and adding any duration to it stays within range."""

MAX_FEED_LIMIT = 1_000
"""Entries in the site's and each component's feeds (`feeds.limit`)."""

MAX_SHOWN_CHARS = 60
"""Characters of a wrong value quoted in a message; the rest is cut, so a message stays one
readable line (not a limit on input)."""


def shown(value: str) -> str:
    """`value` as a message quotes it: on one line, and cut to MAX_SHOWN_CHARS characters."""
    if len(value) <= MAX_SHOWN_CHARS and value.isprintable():
        return value
    flat = " ".join(value[: MAX_SHOWN_CHARS * 4].split())  # one line, whatever the breaks
    flat = "".join(c if c.isprintable() else "\ufffd" for c in flat[: MAX_SHOWN_CHARS + 1])
    return flat if len(flat) <= MAX_SHOWN_CHARS else f"{flat[: MAX_SHOWN_CHARS - 3]}..."


LIMITS: dict[str, Limit] = {
    "file size": Limit(MAX_FILE_BYTES, "bytes", "one input file"),
    "text length": Limit(MAX_TEXT_CHARS, "characters", "one text value: a message, a section"),
    "entries": Limit(MAX_ENTRIES, "entries", "one list or mapping, such as an incident's updates"),
    "expanded size": Limit(
        MAX_EXPANDED_CHARS, "characters", "one file's text with every alias expanded"
    ),
    "nesting": Limit(MAX_DEPTH, "levels", "lists and mappings inside one another"),
    "first year": Limit(FIRST_YEAR, "year", "the earliest time or date"),
    "last year": Limit(LAST_YEAR, "year", "the latest time or date"),
    "feed entries": Limit(MAX_FEED_LIMIT, "entries", "feeds.limit in statuspage.yaml"),
    "id length": Limit(MAX_ID_CHARS, "characters", "an incident's or a component's id"),
}
"""Every limit on input, by the name the README gives it."""

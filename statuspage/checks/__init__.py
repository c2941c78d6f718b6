"""What `check` says beyond problems: warnings about what the site tells its readers.

A problem stops the build; a warning does not, and says what the page should say instead.
Each rule has an id, shown as `warning[id]` so that it can be looked up (and, later,
tuned or silenced). RULES is the one list of them; `check` runs every one.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from ..errors import SourceError
from ..model import Site
from . import outages


class Rule(NamedTuple):
    """One check of what a site says: its id, what it is for, and what finds its warnings."""

    id: str
    summary: str
    find: Callable[[Site, datetime], list[tuple[str, int, int, str]]]  # path, line, column, text


RULES: tuple[Rule, ...] = (
    Rule(
        "unadmitted-outage",
        "a probe has measured its component down for a while and no open incident says so",
        outages.unadmitted_outages,
    ),
)


def warnings(site: Site, now: datetime) -> list[SourceError]:
    """Every rule's warnings about `site` at `now`, sorted, as `path:line:col: warning[id]: ...`."""
    found = [
        SourceError(path, line, column, f"warning[{rule.id}]: {text}")
        for rule in RULES
        for path, line, column, text in rule.find(site, now)
    ]
    return sorted(found)

"""The rules of `check` as data: each one's id, what it is for, and the settings it takes.

The one list of rules: statuspage.yaml's `checks:` section is read against it, the README's
table follows it, and `statuspage.checks` gives each id the code that finds its warnings
(checked at import, so that no rule is named in one place and missing in another).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from enum import Enum
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from .enums import Impact

if TYPE_CHECKING:
    from datetime import datetime

    from .incident import IncidentSummary


class OptionKind(Enum):
    """What a rule's setting holds."""

    DURATION = "duration"  # 30m, 2h, 5d
    WORDS = "words"  # a list of words or phrases


class RuleOption(NamedTuple):
    """One setting of a rule, with its default."""

    name: str
    kind: OptionKind
    default: timedelta | tuple[str, ...]
    summary: str


class RuleSpec(NamedTuple):
    """A rule of `check`: its id, why it exists, and its settings."""

    id: str
    summary: str
    options: tuple[RuleOption, ...] = ()


def _after(name: str, minutes: float, summary: str) -> RuleOption:
    return RuleOption(name, OptionKind.DURATION, timedelta(minutes=minutes), summary)


RULE_SPECS: tuple[RuleSpec, ...] = (
    RuleSpec(
        "unadmitted-outage",
        "a probe has measured its component down for a while and no open incident says so",
        (_after("after", 15, "how long a probe may measure down before it is a warning"),),
    ),
    RuleSpec(
        "stale-incident",
        "an open incident has had no update for a while",
        (_after("after", 30, "how long an open incident may go without an update"),),
    ),
    RuleSpec("missed-next-update", "the time an update promised for the next one has passed"),
    RuleSpec(
        "late-first-post",
        "the first public post came long after the team noticed (detected_at)",
        (_after("within", 5, "how soon after detection the first post is due"),),
    ),
    RuleSpec(
        "postmortem-overdue",
        "a major or critical incident was resolved days ago and has no postmortem",
        (_after("within", 5 * 24 * 60, "how long after the resolution a postmortem is due"),),
    ),
    RuleSpec(
        "maintenance-unannounced",
        "a maintenance window began and no update says the work started",
        (_after("after", 10, "how long into the window the start may go unannounced"),),
    ),
    RuleSpec(
        "maintenance-overrun",
        "a maintenance window ended and no update says the work is done",
        (_after("after", 10, "how long past the window the end may go unannounced"),),
    ),
    RuleSpec(
        "admission-apology",
        "the admission of a major or critical incident does not apologise",
    ),
    RuleSpec(
        "admission-scope",
        "the admission does not say how long the impact lasted and how many it reached",
    ),
    RuleSpec(
        "resolution-impact",
        "the resolving update does not say whether data was lost or any impact remains",
    ),
    RuleSpec(
        "jargon",
        "public text has status codes, host names, IP addresses, stack traces or internal names",
        (
            RuleOption(
                "glossary",
                OptionKind.WORDS,
                (),
                "internal names the public does not know (team, cluster, project names)",
            ),
        ),
    ),
    RuleSpec("blame", "public text pins the fault on a supplier without owning it"),
    RuleSpec("vague", "public text uses boilerplate such as 'some users may experience issues'"),
)

RULE_IDS: tuple[str, ...] = tuple(spec.id for spec in RULE_SPECS)
SPECS: Mapping[str, RuleSpec] = MappingProxyType({spec.id: spec for spec in RULE_SPECS})


@dataclass(frozen=True, slots=True)
class CheckSettings:
    """statuspage.yaml's `checks:`: rules turned off, and the settings changed from defaults."""

    off: frozenset[str] = frozenset()
    changed: tuple[tuple[str, str, timedelta | tuple[str, ...]], ...] = ()  # rule, option, value
    _values: dict[tuple[str, str], timedelta | tuple[str, ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        values = {(spec.id, o.name): o.default for spec in RULE_SPECS for o in spec.options}
        values.update(((rule, option), value) for rule, option, value in self.changed)
        object.__setattr__(self, "_values", values)

    def duration(self, rule: str, option: str) -> timedelta:
        """A duration setting of `rule`."""
        value = self._values[rule, option]
        assert isinstance(value, timedelta)
        return value

    def words(self, rule: str, option: str) -> tuple[str, ...]:
        """A word-list setting of `rule`."""
        value = self._values[rule, option]
        assert isinstance(value, tuple)
        return value


POSTMORTEM_IMPACTS = (Impact.MAJOR, Impact.CRITICAL)
"""The impacts whose incidents owe a postmortem (postmortem-overdue)."""


def postmortem_due(incident: IncidentSummary, settings: CheckSettings) -> datetime | None:
    """When the incident's postmortem is due, while it owes one and none is published.

    None for the impacts that owe none, and when postmortem-overdue is turned off.
    """
    if (
        incident.is_maintenance
        or incident.resolved_at is None
        or incident.postmortem_at is not None
        or incident.impact not in POSTMORTEM_IMPACTS
        or "postmortem-overdue" in settings.off
    ):
        return None
    return incident.resolved_at + settings.duration("postmortem-overdue", "within")

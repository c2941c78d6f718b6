"""Read `checks:` in statuspage.yaml: rules turned off, and rules' settings.

    checks:
      stale-incident: {after: 45m}
      postmortem-overdue: {within: 7d}
      jargon: {glossary: [Kraken, the blue cluster]}
      vague: off

Every rule and setting is checked against the one list, `model.checks.RULE_SPECS`.
"""

from __future__ import annotations

import re
from datetime import timedelta

from yaml.nodes import ScalarNode

from ..model.checks import RULE_IDS, SPECS, CheckSettings, OptionKind, RuleOption
from .limits import shown
from .yamlio import Mapping, describe

_DURATION = re.compile(r"([0-9]{1,5})\s*(m|h|d)", re.ASCII)
_UNITS = {"m": timedelta(minutes=1), "h": timedelta(hours=1), "d": timedelta(days=1)}
MAX_DURATION = timedelta(days=365)
_OFF = frozenset({"off", "false", "no"})
MAX_WORDS = 500


def read_checks(top: Mapping) -> CheckSettings | None:
    """The `checks:` settings under `top`, or None after reporting what is wrong."""
    if "checks" not in top:
        return CheckSettings()
    section = Mapping.read(top.file, top.get("checks"), "'checks'", RULE_IDS)
    if section is None:
        return None
    problems = len(top.file.problems)
    off: set[str] = set()
    changed: list[tuple[str, str, timedelta | tuple[str, ...]]] = []
    for rule in RULE_IDS:
        node = section.get(rule)
        if node is None:
            continue
        if isinstance(node, ScalarNode):
            if node.value.strip().lower() in _OFF:
                off.add(rule)
            else:
                top.file.report(
                    node,
                    f"'{rule}' must be off, or its settings such as "
                    f"{_example(rule)}, not '{shown(node.value)}'",
                )
            continue
        spec = SPECS[rule]
        names = tuple(o.name for o in spec.options)
        entry = Mapping.read(top.file, node, f"'{rule}'", names)
        if entry is None:
            continue
        for option in spec.options:
            if option.name in entry:
                value = _read_option(entry, option)
                if value is not None:
                    changed.append((rule, option.name, value))
    if len(top.file.problems) > problems:
        return None
    return CheckSettings(frozenset(off), tuple(changed))


def _example(rule: str) -> str:
    options = SPECS[rule].options
    if not options:
        return "nothing: this rule has no settings"
    option = options[0]
    return f"{{{option.name}: {'30m' if option.kind is OptionKind.DURATION else '[word]'}}}"


def _read_option(entry: Mapping, option: RuleOption) -> timedelta | tuple[str, ...] | None:
    node = entry.get(option.name)
    if option.kind is OptionKind.DURATION:
        match = _DURATION.fullmatch(node.value.strip()) if isinstance(node, ScalarNode) else None
        value = int(match[1]) * _UNITS[match[2]] if match else None
        if value is None or not timedelta(0) < value <= MAX_DURATION:
            written = (
                f"'{shown(node.value)}'"
                if isinstance(node, ScalarNode)
                else describe(node)
                if node is not None
                else "nothing"
            )
            entry.file.report(
                node,
                f"'{option.name}' must be a duration such as 30m, 2h or 5d, up to 365d, "
                f"not {written}",
            )
            return None
        return value
    seq = entry.sequence(option.name, "[Kraken, the blue cluster]")
    if seq is None:
        return None
    words: list[str] = []
    for item in seq.value[:MAX_WORDS]:
        if not isinstance(item, ScalarNode) or not item.value.strip():
            entry.file.report(item, f"each of '{option.name}' must be a word or phrase")
            return None
        words.append(item.value.strip())
    if len(seq.value) > MAX_WORDS:
        entry.file.report(
            seq, f"'{option.name}' holds over {MAX_WORDS} entries; keep the list short"
        )
        return None
    return tuple(words)

"""sources.checkconfig: `checks:` in statuspage.yaml, read against the one list of rules."""

from __future__ import annotations

from datetime import timedelta

import pytest

from statuspage.checks import RULES
from statuspage.model.checks import RULE_IDS, CheckSettings
from tests.conftest import CONFIG, MakeSite

LINE = CONFIG.count("\n") + 1  # the line `checks:` is on


def test_without_checks_every_rule_runs_with_its_defaults(make_site: MakeSite) -> None:
    checks = make_site().load().config.checks
    assert checks == CheckSettings()
    assert checks.duration("stale-incident", "after") == timedelta(minutes=30)
    assert checks.duration("postmortem-overdue", "within") == timedelta(days=5)
    assert checks.duration("late-first-post", "within") == timedelta(minutes=5)
    assert checks.words("jargon", "glossary") == ()


def test_rules_are_tuned_and_turned_off(make_site: MakeSite) -> None:
    text = CONFIG + (
        "checks:\n"
        "  stale-incident: {after: 45m}\n"
        "  postmortem-overdue: {within: 7d}\n"
        "  jargon: {glossary: [Kraken, the blue cluster]}\n"
        "  vague: off\n"
        "  blame: false\n"
    )
    checks = make_site(config=text).load().config.checks
    assert checks.off == {"vague", "blame"}
    assert checks.duration("stale-incident", "after") == timedelta(minutes=45)
    assert checks.duration("postmortem-overdue", "within") == timedelta(days=7)
    assert checks.words("jargon", "glossary") == ("Kraken", "the blue cluster")


@pytest.mark.parametrize(
    ("checks", "expected"),
    [
        (
            "  stale-incidnet: off\n",
            f"statuspage.yaml:{LINE + 1}:3: unknown key 'stale-incidnet'; did you mean "
            f"'stale-incident'?",
        ),
        (
            "  stale-incident: {after: soon}\n",
            f"statuspage.yaml:{LINE + 1}:27: 'after' must be a duration such as 30m, 2h or 5d, "
            f"up to 365d, not 'soon'",
        ),
        (
            "  stale-incident: {within: 5m}\n",
            f"statuspage.yaml:{LINE + 1}:20: unknown key 'within'; expected one of after",
        ),
        (
            "  vague: maybe\n",
            f"statuspage.yaml:{LINE + 1}:10: 'vague' must be off, or its settings such as "
            f"nothing: this rule has no settings, not 'maybe'",
        ),
        (
            "  jargon: {glossary: Kraken}\n",
            f"statuspage.yaml:{LINE + 1}:22: 'glossary' must be a list such as "
            f"[Kraken, the blue cluster], not text",
        ),
    ],
)
def test_checks_problems(make_site: MakeSite, checks: str, expected: str) -> None:
    site = make_site(config=CONFIG + "checks:\n" + checks)
    assert site.problems() == [expected]


def test_every_rule_has_its_code() -> None:
    assert tuple(RULES) == RULE_IDS

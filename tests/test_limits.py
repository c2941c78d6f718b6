"""The input limits: one list in limits.py, shown as it is in the README."""

from __future__ import annotations

import re

from statuspage.sources.limits import LIMITS, Limit
from tests.conftest import REPO


def row(name: str, limit: Limit) -> str:
    """A limit as the README's table shows it."""
    value = str(limit.value) if limit.unit == "year" else f"{limit.value:,} {limit.unit}"
    return f"| {name} | {value} | {limit.bounds} |"


def test_the_readme_lists_every_limit_as_limits_py_has_it() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    found = re.search(r"<!-- limits: .*? -->\n(.*?)\n<!-- end of limits -->", readme, re.S)
    assert found is not None
    expected = ["| limit | value | bounds |", "| --- | --- | --- |"]
    expected += [row(name, limit) for name, limit in LIMITS.items()]
    assert found.group(1).splitlines() == expected

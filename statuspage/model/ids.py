"""Ids of components and incidents: lowercase letters, digits and hyphens."""

from __future__ import annotations

import re

ID_PATTERN = re.compile(r"[a-z0-9][a-z0-9-]*")


def id_problem(value: str, what: str) -> str | None:
    """Why `value` is not a valid id, or None when it is one."""
    if ID_PATTERN.fullmatch(value):
        return None
    hint = re.sub(r"[^a-z0-9-]+", "-", value.lower()).strip("-")
    better = f"; for example '{hint}'" if hint and ID_PATTERN.fullmatch(hint) else ""
    return (
        f"{what} '{value}' must be lowercase letters, digits and hyphens, "
        f"starting with a letter or digit{better}"
    )

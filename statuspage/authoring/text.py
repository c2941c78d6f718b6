"""The text of incident files as the authoring commands write it: YAML scalars as they
read, messages as literal blocks, lists of names in words; and every text checked as
`check` checks it before it is written."""

from __future__ import annotations

import json
import re

import yaml

from ..errors import ValidationFailed
from ..model import Config, Incident
from ..sources.incidentfile import read_incident
from ..sources.yamlio import SourceFile

_PLAIN = re.compile(r"[A-Za-z0-9(][^\n#:]*")  # may be a plain scalar: yaml decides


def scalar(text: str) -> str:
    """`text` as a YAML scalar: as it is where YAML reads it back as this very text (not a
    number, a date, a yes), else double-quoted."""
    text = text.strip()
    if _PLAIN.fullmatch(text):
        try:
            if yaml.safe_load(f"key: {text}") == {"key": text}:
                return text
        except yaml.YAMLError:
            pass
    return json.dumps(text, ensure_ascii=False)  # a JSON string is a YAML one


def message_lines(message: str, indent: str, key: str = "message") -> list[str]:
    """`message: ...` (or `key: ...`) at `indent`: a literal block, its lines two further in,
    or a double-quoted string where a block cannot hold the message as it is."""
    lines = [line.rstrip() for line in message.strip("\n").splitlines()]
    if not any(lines) or lines[0].startswith(" ") or "\t" in message:
        return [f"{indent}{key}: {json.dumps(message.strip(), ensure_ascii=False)}"]
    inner = indent + "  "
    return [f"{indent}{key}: |", *(f"{inner}{line}" if line else "" for line in lines)]


def in_words(names: list[str]) -> str:
    """`A`, `A and B`, `A, B and C`."""
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]


def checked(text: str, display: str, incident_id: str, config: Config) -> Incident:
    """The incident `text` holds, read as `check` reads the file `display`; ValidationFailed
    with every problem it has."""
    file = SourceFile(display)
    known = {c.id for c in config.components}
    incident = read_incident(text, file, incident_id, "", known)
    if incident is None or file.problems:
        raise ValidationFailed(file.problems)
    return incident

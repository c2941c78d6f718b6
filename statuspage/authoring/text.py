"""YAML text written for people: scalars as they read, messages as literal blocks."""

from __future__ import annotations

import json
import re

import yaml

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


def message_lines(message: str, indent: str) -> list[str]:
    """`message: ...` at `indent`: a literal block, its lines two further in, or a
    double-quoted string where a block cannot hold the message as it is."""
    lines = [line.rstrip() for line in message.strip("\n").splitlines()]
    if not any(lines) or lines[0].startswith(" ") or "\t" in message:
        return [f"{indent}message: {json.dumps(message.strip(), ensure_ascii=False)}"]
    inner = indent + "  "
    return [f"{indent}message: |", *(f"{inner}{line}" if line else "" for line in lines)]

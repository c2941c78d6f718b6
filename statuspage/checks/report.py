"""What `check` prints, in each format: text for people, JSON for tools, and GitHub Actions
workflow commands, which show each problem and warning on the line of a pull request.

    incidents/db.yaml:7:9: warning[stale-incident]: open for 2 hours ...      (text)
    ::warning file=incidents/db.yaml,line=7,col=9,title=stale-incident::open for 2 hours ...
"""

from __future__ import annotations

import json
from collections.abc import Sequence

from ..errors import SourceError
from . import Finding

FORMATS = ("text", "json", "github")


def as_json(problems: Sequence[SourceError], warnings: Sequence[Finding]) -> str:
    """Problems and warnings as one JSON document, each with its path, line and column."""
    document = {
        "problems": [
            {"path": p.path, "line": p.line, "column": p.column, "message": p.message}
            for p in problems
        ],
        "warnings": [
            {
                "path": w.path,
                "line": w.line,
                "column": w.column,
                "rule": w.rule,
                "message": w.text,
            }
            for w in warnings
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def as_github(problems: Sequence[SourceError], warnings: Sequence[Finding]) -> list[str]:
    """One workflow command a problem (::error) or warning (::warning), in that order."""
    lines = [_command("error", p.path, p.line, p.column, None, p.message) for p in problems]
    lines += [_command("warning", w.path, w.line, w.column, w.rule, w.text) for w in warnings]
    return lines


def _command(kind: str, path: str, line: int, column: int, title: str | None, message: str) -> str:
    properties = [f"file={_property(path)}"]
    if line > 0:  # 0: about the file as a whole
        properties.append(f"line={line}")
        if column > 0:
            properties.append(f"col={column}")
    if title is not None:
        properties.append(f"title={_property(title)}")
    return f"::{kind} {','.join(properties)}::{_data(message)}"


def _data(text: str) -> str:
    """A command's message, escaped as the runner's toolkit does (escapeData)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    """A command's property value, escaped as the runner's toolkit does (escapeProperty)."""
    return _data(text).replace(":", "%3A").replace(",", "%2C")

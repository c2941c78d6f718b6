"""Comments that silence a rule where its warning is justified, as `# noqa` does for ruff.

    message: |  # statuspage: ignore[blame] the supplier's own words, quoted
    # statuspage: ignore[jargon]
    - at: 2026-11-20T14:10:00Z
    # statuspage: ignore-file[late-first-post]

`ignore[...]` at the end of a line silences its rules in what starts on that line (a key
and its value, or an update); alone on its line, in what starts on the next line that is
not a comment. `ignore-file[...]` silences them in the whole file. What follows the
brackets is free text: the reason, for whoever reads the file next.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

_COMMENT = re.compile(r"#\s*statuspage:\s*ignore(-file)?\[([a-z0-9, -]*)\]")


@dataclass(frozen=True, slots=True)
class Silences:
    """The silence comments of one file: for each rule, the lines silenced, or the file."""

    whole: frozenset[str]
    spans: tuple[tuple[str, int, int], ...]  # rule, first and last line silenced

    @classmethod
    def read(cls, text: str) -> Silences:
        """The silence comments of a file's `text`."""
        if "statuspage:" not in text:
            return cls(frozenset(), ())
        lines = text.split("\n")
        starts, scalars = _node_starts(text)
        whole: set[str] = set()
        spans: list[tuple[str, int, int]] = []
        for number, line in enumerate(lines, start=1):
            for match in _COMMENT.finditer(line):
                if _inside(scalars, number, match.start() + 1):  # words of a message
                    continue
                rules = [r.strip() for r in match[2].split(",") if r.strip()]
                if match[1]:
                    whole.update(rules)
                    continue
                alone = not line[: match.start()].strip()
                target = _next_content(lines, number) if alone else number
                last = max(starts.get(target, target), target)
                spans += [(rule, target, last) for rule in rules]
        return cls(frozenset(whole), tuple(spans))

    def silenced(self, rule: str, line: int) -> bool:
        """True when a comment silences `rule` at `line`."""
        if rule in self.whole:
            return True
        return any(r == rule and first <= line <= last for r, first, last in self.spans)


def _next_content(lines: list[str], number: int) -> int:
    """The number of the first line after `number` that holds more than a comment."""
    for later in range(number + 1, len(lines) + 1):
        stripped = lines[later - 1].strip()
        if stripped and not stripped.startswith("#"):
            return later
    return number


def _node_starts(text: str) -> tuple[dict[int, int], list[tuple[int, int, int, int]]]:
    """For each line, the last line of the largest node starting on it; and every scalar's
    span (lines and columns, 1-based), where a '#' is text and not a comment."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return {}, []
    breaks = [match.start() for match in re.finditer("\n", text)]
    starts: dict[int, int] = {}
    scalars: list[tuple[int, int, int, int]] = []

    def note(first: Node, last: Node) -> None:
        line = first.start_mark.line + 1
        # The line of the node's last character: a block scalar's end is past its last line.
        index = last.end_mark.index
        while index > 0 and text[index - 1] in " \t\r\n":
            index -= 1
        end = bisect.bisect_left(breaks, index) + 1
        starts[line] = max(starts.get(line, line), end)

    def walk(node: Node) -> None:
        if isinstance(node, ScalarNode):
            start, end = node.start_mark, node.end_mark
            if node.style in ("|", ">"):  # the text starts below: a '#' after '|' is a comment
                scalars.append((start.line + 2, 1, end.line + 1, end.column + 1))
            else:
                scalars.append((start.line + 1, start.column + 1, end.line + 1, end.column + 1))
        elif isinstance(node, MappingNode):
            if node is not root:  # the whole file is ignore-file's
                note(node, node)
            for key, value in node.value:
                note(key, value)
                walk(key)
                walk(value)
        elif isinstance(node, SequenceNode):
            for item in node.value:
                note(item, item)
                walk(item)

    if root is not None:
        walk(root)
    return starts, scalars


def _inside(scalars: list[tuple[int, int, int, int]], line: int, column: int) -> bool:
    return any(
        (line, column) >= (first, start) and (line, column) < (last, end)
        for first, start, last, end in scalars
    )

"""Where the parts of a valid incident file are: lines and columns for messages about it.

The model keeps only what pages need (an update's line, for one). What `check` and the
build's clock say about an incident, they say at the place to fix: the key, the value, or
the very words inside a message. This reads the file's nodes again to find them; it runs
only for files something is said about, so reading them twice costs nothing worth keeping.
"""

from __future__ import annotations

from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .yamlio import SourceFile, parse

Position = tuple[int, int]
"""A 1-based line and column."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One mapping of the file (the top, or an update): its position, keys and values."""

    start: Position
    keys: dict[str, ScalarNode]
    values: dict[str, Node]

    def key(self, name: str) -> Position:
        """Where `name` is written; where the mapping starts when it is not."""
        node = self.keys.get(name)
        return self.start if node is None else _position(node)

    def value(self, name: str) -> Position:
        """Where the value of `name` starts; where the mapping starts when it is absent."""
        node = self.values.get(name)
        return self.start if node is None else _position(node)


@dataclass(frozen=True, slots=True)
class FilePositions:
    """The positions of an incident file's top keys and of each update's."""

    text: str
    top: Entry
    updates: tuple[Entry, ...]  # oldest first, as numbered from 1 by the model

    @classmethod
    def read(cls, path: str, text: str) -> FilePositions | None:
        """The positions in `text`; None when it does not parse (its problems say why)."""
        root = parse(text, SourceFile(path))
        if not isinstance(root, MappingNode):
            return None
        top = _entry(root)
        updates = top.values.get("updates")
        entries = (
            tuple(_entry(node) for node in updates.value if isinstance(node, MappingNode))
            if isinstance(updates, SequenceNode)
            else ()
        )
        return cls(text, top, entries)

    def update(self, number: int) -> Entry:
        """Update `number` (from 1)."""
        return self.updates[number - 1]

    def words(self, entry: Entry, name: str, snippet: str) -> Position:
        """Where `snippet`, words of the text under `name`, is written in the file.

        Found in the value's source: a block scalar keeps its words as typed, line by
        line. Words that a folded or quoted value breaks across lines, or writes with
        escapes, are found at the value's start instead.
        """
        node = entry.values.get(name)
        if node is None:
            return entry.start
        source = self.text[node.start_mark.index : node.end_mark.index]
        found = source.find(snippet) if snippet else -1
        if found < 0:
            return _position(node)
        index = node.start_mark.index + found
        line_start = self.text.rfind("\n", 0, index) + 1
        return self.text.count("\n", 0, index) + 1, index - line_start + 1


def _entry(node: MappingNode) -> Entry:
    keys: dict[str, ScalarNode] = {}
    values: dict[str, Node] = {}
    for key, value in node.value:
        if isinstance(key, ScalarNode) and key.value not in keys:
            keys[key.value] = key
            values[key.value] = value
    return Entry(_position(node), keys, values)


def _position(node: Node) -> Position:
    return node.start_mark.line + 1, node.start_mark.column + 1

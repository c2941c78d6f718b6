"""Read YAML with positions: parse to nodes, then read typed values and report every problem.

PyYAML's composer (the C one when libyaml is present) gives a node tree in which every
value knows its line and column. The readers here turn those nodes into Python values
and, instead of raising at the first problem, record each one as a `SourceError` so
that `check` can list them all.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import SourceError
from .times import parse_time

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - libyaml is in every wheel we depend on
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

E = TypeVar("E", bound=Enum)

_STR = "tag:yaml.org,2002:str"
_SEQ = "tag:yaml.org,2002:seq"
_MAP = "tag:yaml.org,2002:map"
_NULL = "tag:yaml.org,2002:null"
_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Loader(_BaseLoader):
    """Composes nodes without resolving plain scalars' tags, which most readers never need.

    Resolving runs Python regular expressions for every scalar; `tag_of` does it on demand.
    """

    def resolve(self, kind: type[Node], value: Any, implicit: Any) -> str:
        if kind is ScalarNode:
            return _STR
        return _SEQ if kind is SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        pass

    def ascend_resolver(self) -> None:
        pass


_RESOLVER = yaml.resolver.Resolver()
_NULL_WORDS = frozenset({"", "~", "null", "Null", "NULL"})


def tag_of(node: Node) -> str:
    """The tag YAML gives a node: plain scalars such as 3, yes or ~ resolve to int, bool, null."""
    if isinstance(node, ScalarNode) and node.tag == _STR and not node.style:  # plain: '' or None
        resolved = _RESOLVER.resolve(ScalarNode, node.value, (True, False))  # type: ignore[no-untyped-call]
        return str(resolved)
    return str(node.tag)


class SourceFile:
    """One input file being read: its display path and the problems found in it so far."""

    __slots__ = ("path", "problems")

    def __init__(self, path: str) -> None:
        self.path = path
        self.problems: list[SourceError] = []

    def report(self, node: Node | None, message: str) -> None:
        """Record a problem at `node` (or at the top of the file when there is none)."""
        if node is None:
            self.problems.append(SourceError(self.path, 1, 1, message))
        else:
            mark = node.start_mark
            self.problems.append(SourceError(self.path, mark.line + 1, mark.column + 1, message))


def parse(text: str, file: SourceFile) -> Node | None:
    """Parse one YAML document into nodes; report syntax errors.

    Duplicate keys are reported by the readers of each mapping (`Mapping`).
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = exc.problem or exc.context or "cannot be parsed"
        if exc.context and exc.problem:
            problem = f"{exc.problem} ({exc.context})"
        line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        file.problems.append(SourceError(file.path, line, column, f"invalid YAML: {problem}"))
        return None
    except yaml.YAMLError as exc:
        file.problems.append(SourceError(file.path, 1, 1, f"invalid YAML: {exc}"))
        return None
    return root


def report_duplicate(file: SourceFile, key: ScalarNode, first: dict[str, Node]) -> bool:
    """Report `key` if the mapping had it before (key nodes by name in `first`); True if so."""
    earlier = first.get(key.value)
    if earlier is not None:
        line = earlier.start_mark.line + 1
        file.report(key, f"duplicate key '{key.value}' (first at line {line}); keep only one")
        return True
    first[key.value] = key
    return False


def describe(node: Node) -> str:
    """Name a node's kind of value for messages: 'a list', 'a number', 'text'..."""
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    tag = tag_of(node)
    if tag == _NULL:
        return "empty"
    if tag == _BOOL:
        return "true/false"
    if tag in (_INT, _FLOAT):
        return "a number"
    if tag == _TIMESTAMP:
        return "a date"
    return "text"


def suggest(word: str, choices: Sequence[str]) -> str | None:
    """The closest of `choices` to a misspelt `word`, if one is close enough."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.75)
    return close[0] if close else None


def unknown_message(what: str, word: str, choices: Sequence[str]) -> str:
    """`unknown status 'fixed'; expected one of ...`, or a did-you-mean when one is close."""
    guess = suggest(word, choices)
    if guess is not None:
        return f"unknown {what} '{word}'; did you mean '{guess}'?"
    return f"unknown {what} '{word}'; expected one of {', '.join(choices)}"


def is_null(node: Node) -> bool:
    """True for a YAML null (`~`, `null` or nothing at all)."""
    if not isinstance(node, ScalarNode):
        return False
    if not node.style and node.tag == _STR:  # plain ('' from libyaml, None from PyYAML)
        return node.value in _NULL_WORDS
    return bool(node.tag == _NULL)


class Mapping:
    """A YAML mapping read against the keys it may hold.

    Creating one reports unknown keys (with a did-you-mean) and missing required ones;
    the typed getters report values of the wrong type or form. Each getter returns None
    when the key is absent or its value is wrong, so callers carry on and find more.
    """

    __slots__ = ("_set", "file", "keys", "node", "values")

    def __init__(
        self,
        file: SourceFile,
        node: MappingNode,
        allowed: Sequence[str],
        required: Sequence[str] = (),
    ) -> None:
        self.file = file
        self.node = node
        self.values: dict[str, Node] = {}
        self.keys: dict[str, Node] = {}
        self._set: dict[str, Node] = {}  # the values that are not null
        for key, value in node.value:
            if not isinstance(key, ScalarNode):
                file.report(key, f"a key must be a plain word, not {describe(key)}")
                continue
            name = key.value
            if report_duplicate(file, key, self.keys):  # else kept in keys, unknown ones too
                continue
            if name not in allowed:
                file.report(key, unknown_message("key", name, allowed))
                continue
            self.values[name] = value
            if not is_null(value):
                self._set[name] = value
        for name in required:
            if name not in self._set:
                where: Node = self.keys.get(name, node)
                file.report(where, f"missing required key '{name}'")

    @classmethod
    def read(
        cls,
        file: SourceFile,
        node: Node | None,
        what: str,
        allowed: Sequence[str],
        required: Sequence[str] = (),
    ) -> Mapping | None:
        """Read `node` as a mapping, or report that `what` must be one."""
        if node is None or not isinstance(node, MappingNode):
            actual = "empty" if node is None else describe(node)
            file.report(node, f"{what} must be a mapping of keys to values, not {actual}")
            return None
        return cls(file, node, allowed, required)

    def __contains__(self, key: str) -> bool:
        return key in self._set

    def get(self, key: str) -> Node | None:
        """The value node under `key`, or None when absent or null."""
        return self._set.get(key)

    def _wrong(self, key: str, node: Node, expected: str) -> None:
        self.file.report(node, f"'{key}' must be {expected}, not {describe(node)}")

    def text(self, key: str, *, allow_empty: bool = False) -> str | None:
        """A text value; plain numbers and booleans count as the text that was typed."""
        node = self.get(key)
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            self._wrong(key, node, "text")
            return None
        value: str = node.value
        if not value.strip() and not allow_empty:
            self.file.report(node, f"'{key}' is empty")
            return None
        return value

    def choice(self, key: str, enum: type[E], allowed: Sequence[E], what: str) -> E | None:
        """One of `allowed` members of `enum`, written as its value."""
        node = self.get(key)
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            self._wrong(key, node, f"one of {', '.join(str(a.value) for a in allowed)}")
            return None
        for member in allowed:
            if member._value_ == node.value:  # not .value: a descriptor, slow for every file
                return member
        choices = [str(a.value) for a in allowed]
        self.file.report(node, unknown_message(what, node.value, choices))
        return None

    def time(self, key: str) -> datetime | None:
        """A timezone-aware datetime; a time without offset is reported."""
        node = self.get(key)
        if node is None:
            return None
        if not isinstance(node, ScalarNode):
            self._wrong(key, node, "a time such as 2026-11-20T14:10:00Z")
            return None
        parsed = parse_time(node.value, key)
        if isinstance(parsed, str):
            self.file.report(node, parsed)
            return None
        return parsed

    def date(self, key: str) -> date | None:
        """A calendar date such as 2026-12-15."""
        node = self.get(key)
        if node is None:
            return None
        if isinstance(node, ScalarNode):
            try:
                return date.fromisoformat(node.value.strip())
            except ValueError:
                pass
        self.file.report(node, f"'{key}' must be a date such as 2026-12-15, not '{node.value}'")
        return None

    def integer(self, key: str, minimum: int | None = None) -> int | None:
        """A whole number, at least `minimum` when given."""
        node = self.get(key)
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or tag_of(node) != _INT:
            self._wrong(key, node, "a whole number")
            return None
        value = int(node.value.replace("_", ""), 0)
        if minimum is not None and value < minimum:
            self.file.report(node, f"'{key}' must be at least {minimum}, not {value}")
            return None
        return value

    def sequence(self, key: str, example: str) -> SequenceNode | None:
        """A list; `example` shows the expected form in the message when it is not one."""
        node = self.get(key)
        if node is None:
            return None
        if not isinstance(node, SequenceNode):
            self.file.report(
                node, f"'{key}' must be a list such as {example}, not {describe(node)}"
            )
            return None
        return node

    def mapping(self, key: str, example: str) -> MappingNode | None:
        """A mapping; `example` shows the expected form in the message when it is not one."""
        node = self.get(key)
        if node is None:
            return None
        if not isinstance(node, MappingNode):
            self.file.report(
                node, f"'{key}' must be a mapping such as {example}, not {describe(node)}"
            )
            return None
        return node

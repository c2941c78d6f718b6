"""Read YAML with positions: parse to nodes, then read typed values and report every problem.

PyYAML's composer (the C one when libyaml is present) gives a node tree in which every
value knows its line and column (in characters, as editors count them). The readers here
turn those nodes into Python values and, instead of raising at the first problem, record
each one as a `SourceError` so that `check` can list them all. `parse` refuses what no
output may carry (control characters, tags, aliases that expand without bound) and puts
libyaml's syntax errors in the words of someone fixing the file, at the place to fix.
"""

from __future__ import annotations

import bisect
import difflib
import functools
import re
from collections.abc import Callable, Sequence
from datetime import date, datetime
from enum import Enum
from typing import Any, TypeVar
from urllib.parse import urlsplit

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ..errors import SourceError
from .limits import (
    MAX_DEPTH,
    MAX_ENTRIES,
    MAX_EXPANDED_CHARS,
    MAX_SHOWN_CHARS,
    MAX_TEXT_CHARS,
    shown,
)
from .times import parse_time, year_problem

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

    def report_at(self, line: int, column: int, message: str) -> None:
        """Record a problem at a 1-based line and column."""
        self.problems.append(SourceError(self.path, line, column, message))


def parse(text: str, file: SourceFile) -> Node | None:
    """Parse one YAML document into nodes, reporting the problems of the text itself.

    Returns None, having reported why, when the file cannot be read further.

    Refused before parsing: characters no output may carry (each with its position). Refused
    after: tags, merge keys, escapes of such characters, and aliases that expand past
    MAX_EXPANDED_CHARS. Duplicate keys are reported by the readers of each mapping (`Mapping`).
    """
    allowed, special = _screen(text)
    if not allowed:
        _report_characters(text, file)
        return None
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        file.report_at(*_syntax_problem(exc, _Lines(text)))
        return None
    except yaml.reader.ReaderError as exc:  # a character the check above let through
        line, column = _Lines(text).position(exc.position)
        file.report_at(line, column, f"character U+{exc.character:04X} is not allowed; remove it")
        return None
    except RecursionError:  # the pure-Python parser, which has no bound on nesting
        file.report(None, _NESTING)
        return None
    except (yaml.YAMLError, ValueError):  # none known: libyaml's "no parser error", say
        file.report(None, "this is not valid YAML; check the quotes, brackets and indentation")
        return None
    if root is not None and special:
        return root if _inspect(root, file) else None
    return root


# Characters allowed raw in an input file: tab, the line breaks editors know, and every
# character but C0 and C1 controls, DEL, U+2028 and U+2029 (YAML breaks lines there, editors
# do not), surrogates, U+FEFF past the start, and noncharacters (XML forbids U+FFFE and U+FFFF,
# HTML checkers flag the others). Escapes in double quotes may also make U+2028, U+2029, U+FEFF.
_PLANES = "".join(f"{chr(p << 16)}-{chr((p << 16) + 0xFFFD)}" for p in range(1, 17))
_RAW_ALLOWED = f"\t\n\r -~\xa0-\u2027\u202a-\ud7ff\ue000-\ufdcf\ufdf0-\ufefe\uff00-\ufffd{_PLANES}"
_VALUE_ALLOWED = f"\t\n\r -~\xa0-\ud7ff\ue000-\ufdcf\ufdf0-\ufffd{_PLANES}"


@functools.cache
def _forbidden(allowed: str) -> re.Pattern[str]:
    """The pattern of characters outside `allowed`: compiled when first needed (7 ms each,
    which a check of ASCII files alone never pays)."""
    return re.compile(f"[^{allowed}]")


_SPECIAL = b"!&<\\"  # what may start a tag, an anchor, a merge key (<<) or an escape
_ASCII_PLAIN = bytes(b for b in [9, 10, 13, *range(0x20, 0x7F)] if b not in _SPECIAL)
_MAX_REPORTED_CHARACTERS = 10  # per file; then one line counts the rest


def _screen(text: str) -> tuple[bool, bool]:
    """Whether `text` has only allowed characters, and whether it needs `_inspect`ing.

    Most files are ASCII: for them one bytes pass in C answers both, far quicker than a
    regular expression; the rest need the one that finds characters not allowed.
    """
    if text.isascii():
        rest = text.encode("ascii").translate(None, _ASCII_PLAIN)
        return not rest.translate(None, _SPECIAL), bool(rest)
    allowed = _forbidden(_RAW_ALLOWED).search(text) is None
    special = "!" in text or "&" in text or "\\" in text or "<<" in text
    return allowed, special


def _report_characters(text: str, file: SourceFile) -> None:
    """Report each character that is not allowed in `text` (the first few, then a count)."""
    lines = _Lines(text)
    found = list(_forbidden(_RAW_ALLOWED).finditer(text))
    for match in found[:_MAX_REPORTED_CHARACTERS]:
        file.report_at(*lines.position(match.start()), _character_problem(match.group()))
    rest = found[_MAX_REPORTED_CHARACTERS:]
    if rest:
        file.report_at(
            *lines.position(rest[0].start()),
            f"and {len(rest)} more characters that are not allowed from here on; remove them",
        )


def _character_name(char: str) -> str:
    """'control character U+0007', 'line separator U+2028', ... for messages."""
    code = ord(char)
    point = f"U+{code:04X}"
    if code == 0x85:
        return f"next-line character {point}"
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"control character {point}"
    if code == 0x2028:
        return f"line separator {point}"
    if code == 0x2029:
        return f"paragraph separator {point}"
    if code == 0xFEFF:
        return f"byte-order mark {point}"
    if 0xD800 <= code <= 0xDFFF:
        return f"lone surrogate {point}"
    return f"noncharacter {point}"


def _character_problem(char: str) -> str:
    """The message for a character not allowed raw in a file."""
    name = _character_name(char)
    if char in "\u2028\u2029":
        return (
            f"{name}, which YAML reads as a line break, is not allowed; "
            f"write \\u{ord(char):04x} in a double-quoted string, or remove it"
        )
    if char == "\x85":
        return (
            f"{name}, which YAML reads as a line break, is not allowed; "
            f"use a plain line break, or remove it"
        )
    if char == "\ufeff":
        return f"{name} is allowed only at the start of the file; remove it"
    return f"{name} is not allowed; remove it"


_PLAIN_TAGS = frozenset({_STR, _SEQ, _MAP})  # what the loader gives every untagged node
_SHORT_TAG = "tag:yaml.org,2002:"


def _inspect(root: Node, file: SourceFile) -> bool:
    """Report tags, merge keys and escaped characters that are not allowed; True to read on.

    Visits each node once (an alias is the node it names), iteratively, so nesting costs no
    recursion. False, having reported why, for an alias inside what it names (an endless
    loop) or a file whose text, each alias counted as a copy, exceeds MAX_EXPANDED_CHARS.
    """
    sizes: dict[int, int] = {}  # by node id: characters of text with aliases expanded
    entered: set[int] = set()
    stack: list[tuple[Node, bool]] = [(root, False)]
    while stack:
        node, leaving = stack.pop()
        key = id(node)
        children = _children(node)
        if leaving:
            total = 1 + sum(sizes[id(child)] for child in children)
            sizes[key] = min(total, MAX_EXPANDED_CHARS + 1)  # no huge numbers for nested aliases
            continue
        if key in sizes:
            continue
        if key in entered:  # a node on the path to itself: only an alias makes one
            file.report(
                node,
                "an alias (*name) inside what its anchor (&name) names repeats it without end; "
                "remove the alias",
            )
            return False
        if node.tag not in _PLAIN_TAGS:
            tag = str(node.tag).replace(_SHORT_TAG, "!!")
            file.report(
                node,
                f"YAML tags such as '{shown(tag)}' are not supported; remove the tag, "
                f"or put the text in quotes if the '!' is part of it",
            )
        if isinstance(node, ScalarNode):
            if node.style == '"':
                _check_escapes(node, file)
            sizes[key] = 1 + len(node.value)
            continue
        if isinstance(node, MappingNode):
            _drop_merge_keys(node, file)
            children = _children(node)
        entered.add(key)
        stack.append((node, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    if sizes[id(root)] > MAX_EXPANDED_CHARS:
        file.report(
            None,
            f"with its aliases (*name) expanded, this file holds more than "
            f"{MAX_EXPANDED_CHARS:,} characters of text; use fewer aliases, or write the text out",
        )
        return False
    return True


def _children(node: Node) -> list[Node]:
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    if isinstance(node, SequenceNode):
        return list(node.value)
    return []


def _check_escapes(node: ScalarNode, file: SourceFile) -> None:
    """Report a character an escape made that no output may carry, and blank it out."""
    match = _forbidden(_VALUE_ALLOWED).search(node.value)
    if match is None:
        return
    file.report(
        node,
        f"this text has an escape for {_character_name(match.group())}, which is not allowed; "
        f"remove it",
    )
    # Later messages quote the value.
    node.value = _forbidden(_VALUE_ALLOWED).sub("\ufffd", node.value)


def _drop_merge_keys(node: MappingNode, file: SourceFile) -> None:
    """Report each merge key (`<<: *name`) and drop it, so that it is not reported again."""
    kept = []
    for pair in node.value:
        key = pair[0]
        if isinstance(key, ScalarNode) and not key.style and key.value == "<<":
            file.report(
                key, "merge keys (<<) are not supported; write out the keys it would bring in"
            )
        else:
            kept.append(pair)
    node.value = kept


class _Lines:
    """Where the lines of a text start, counting line breaks as editors do: LF, CRLF, CR."""

    __slots__ = ("starts", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.starts = [0, *(m.end() for m in _BREAK.finditer(text))]

    def clamp(self, line: int, column: int) -> tuple[int, int]:
        """A 1-based position moved back into the text: libyaml puts the end past the last line."""
        if line <= len(self.starts):
            return line, column
        return len(self.starts), len(self.line(len(self.starts))) + 1

    def position(self, offset: int) -> tuple[int, int]:
        """The 1-based line and column of a character offset."""
        index = bisect.bisect_right(self.starts, offset) - 1
        return index + 1, offset - self.starts[index] + 1

    def line(self, number: int) -> str:
        """The text of a 1-based line, without its line break ('' past the end)."""
        if not 1 <= number <= len(self.starts):
            return ""
        start = self.starts[number - 1]
        match = _BREAK.search(self.text, start)
        return self.text[start : match.start() if match else len(self.text)]


_BREAK = re.compile(r"\r\n?|\n")


# Syntax errors: libyaml's problem, as one line that says what to do, at the place to fix.

_NESTING = (
    f"lists and mappings are nested more than {MAX_DEPTH} levels deep; "
    f"remove the extra brackets or indentation"
)
_TAB = "a tab indents this line; indent with spaces"
_TAGS = "YAML tags (!name) are not supported; remove the tag, or put the text in quotes"
_DIRECTIVE = "YAML directives (lines starting with %) are not supported; remove the line"
_INDENT_PROBLEMS = frozenset({"did not find expected key", "did not find expected '-' indicator"})
_CLOSERS = {"did not find expected ',' or ']'": "]", "did not find expected ',' or '}'": "}"}


class _Syntax:
    """A syntax error and the text it is in, with what the messages need to know of both."""

    def __init__(self, exc: yaml.MarkedYAMLError, lines: _Lines) -> None:
        self.lines = lines
        self.problem = exc.problem or ""
        self.context = exc.context or ""
        mark = exc.problem_mark or exc.context_mark
        self.line, self.column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
        context = exc.context_mark or mark
        self.context_line, self.context_column = (
            (context.line + 1, context.column + 1) if context else (self.line, self.column)
        )

    def at(self, message: str) -> tuple[int, int, str]:
        return self.line, self.column, message

    def at_context(self, message: str) -> tuple[int, int, str]:
        return self.context_line, self.context_column, message

    def text_at(self, line: int, column: int) -> str:
        """The rest of a line from a 1-based column."""
        return self.lines.line(line)[column - 1 :]

    def char(self) -> str:
        """The character at the problem ('' at the end of a line or the text)."""
        return self.text_at(self.line, self.column)[:1]

    def before(self) -> str:
        """The problem's line up to the problem."""
        return self.lines.line(self.line)[: self.column - 1]

    def previous_line(self, line: int) -> int:
        """The nearest line above `line` with more than blanks or a comment; 0 if none."""
        for number in range(line - 1, 0, -1):
            stripped = self.lines.line(number).strip()
            if stripped and not stripped.startswith("#"):
                return number
        return 0


def _syntax_problem(exc: yaml.MarkedYAMLError, lines: _Lines) -> tuple[int, int, str]:
    """Line, column and message for a syntax error, in the words of someone fixing it."""
    syntax = _Syntax(exc, lines)
    line, column, message = _syntax_message(syntax)
    return (*lines.clamp(line, column), message)


def _syntax_message(syntax: _Syntax) -> tuple[int, int, str]:
    problem, context = syntax.problem, syntax.context
    handler = _HANDLERS.get(problem)
    if handler is not None:
        return handler(syntax)
    if "tag" in context or "tag" in problem or "URI" in problem:
        return syntax.at(_TAGS)
    if "directive" in context or "directive" in problem or "version" in problem:
        return syntax.at(_DIRECTIVE)
    wording = "; ".join(part for part in (problem, context) if part) or "a syntax error"
    return syntax.at(
        f"this is not valid YAML ({wording}); check the quotes, brackets and indentation here"
    )


def _no_token(syntax: _Syntax) -> tuple[int, int, str]:
    char = syntax.char()
    if char == "\t":
        return syntax.at(_TAB)
    return syntax.at(f"a value cannot start with '{char}'; put the text in quotes")


def _colon(syntax: _Syntax) -> tuple[int, int, str]:
    """': ' where a value cannot have one: in a plain value, or on a line indented too far."""
    before = syntax.before()
    if re.search(r":\s", before):
        key, _, value = syntax.lines.line(syntax.line).partition(":")
        value = value.strip()
        example = ""
        if '"' not in value and "\\" not in value and len(value) <= MAX_SHOWN_CHARS:
            example = f', such as {key.strip()}: "{value}"'
        return syntax.at(f"a plain value cannot contain ': '; put the text in quotes{example}")
    above = syntax.previous_line(syntax.line)
    if above == 0:
        return syntax.at("a key cannot be here; put the text in quotes")
    stripped = syntax.lines.line(syntax.line).lstrip()
    indent = len(syntax.lines.line(syntax.line)) - len(stripped)
    misplaced = _misplaced_block(syntax, above)
    if misplaced is not None:
        return misplaced
    if stripped.startswith("- "):
        return (
            syntax.line,
            indent + 1,
            f"this list continues the value on line {above}; put the key of the list "
            f"(such as updates:) on a line of its own above it",
        )
    if ":" not in syntax.lines.line(above):
        return (
            above,
            1,
            "this line has neither a key nor a list item; write it as key: value, "
            "or join it to the line above",
        )
    return (
        syntax.line,
        indent + 1,
        f"this line continues the value on line {above}, so its ': ' needs quotes; "
        f"if it starts a key, indent it as much as the keys it belongs with",
    )


# "key: some text |": the '|' (or '>') of a block of text, typed after text.
_BLOCK_AFTER_TEXT = re.compile(
    r"(?P<key>[^\s:#][^:#]*):\s+(?P<text>[^|>'\"\s].*?)\s+(?P<indicator>[|>])[-+0-9]*\s*$"
)


def _misplaced_block(syntax: _Syntax, above: int) -> tuple[int, int, str] | None:
    """Text typed between a key and its '|' or '>': the block of text became a plain value."""
    for number in range(above, 0, -1):
        line = syntax.lines.line(number)
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        found = _BLOCK_AFTER_TEXT.fullmatch(line.lstrip(" -"))
        if found is not None:
            column = line.index(found["text"]) + 1
            return (
                number,
                column,
                f"'{found['indicator']}' starts a block of text only right after "
                f"'{found['key'].strip()}:'; move '{shown(found['text'])}' to the lines below it",
            )
        if ":" in line:
            return None  # the key whose value runs on: it has no misplaced '|'
    return None


def _no_colon(syntax: _Syntax) -> tuple[int, int, str]:
    return syntax.at_context(
        "this line has no ':' after its key; write it as key: value, "
        "or indent it to continue the value above"
    )


def _indentation(syntax: _Syntax) -> tuple[int, int, str]:
    """A line where a key or a list item was expected: misindented, or text after quotes."""
    line = syntax.lines.line(syntax.line)
    stripped = line.lstrip()
    indent = len(line) - len(stripped)
    if syntax.column > indent + 1:  # mid-line: something follows a finished value
        closing = syntax.before().rstrip()[-1:]
        if closing in ("'", '"', "]", "}"):
            return syntax.at(
                f"text after the closing {closing}; put all of the value inside the quotes "
                f"or brackets, or remove what follows"
            )
        return syntax.at("unexpected text here; put the whole value in quotes")
    if stripped.startswith("-") and syntax.problem == "did not find expected key":
        return syntax.at(
            "a list item where a key was expected; put the list under its key "
            "(such as updates:), indented below it"
        )
    if syntax.problem != "did not find expected key" and indent == syntax.context_column - 1:
        return syntax.at(
            f"a key among the items of the list of line {syntax.context_line}; start it with "
            f"'- ' if it is an item, or indent it as the keys it belongs with"
        )
    above = syntax.previous_line(syntax.line)
    if above == 0:
        return syntax.at("unexpected indentation; indent keys of one mapping equally")
    other = _KEY_INDENT.match(syntax.lines.line(above))
    their = other.end() if other else 0
    return syntax.at(
        f"this line's indentation ({_spaces(indent)}) matches no key above it "
        f"(line {above} has {their}); indent keys of one mapping equally"
    )


_KEY_INDENT = re.compile(r" *(?:- +)*")  # a key's indentation, past the dashes of list items


def _spaces(count: int) -> str:
    return f"{count} space{'s' if count != 1 else ''}"


def _unclosed_flow(syntax: _Syntax) -> tuple[int, int, str]:
    closer = _CLOSERS[syntax.problem]
    opener = "[" if closer == "]" else "{"
    if syntax.line != syntax.context_line or not syntax.char():
        return syntax.at_context(f"this '{opener}' is never closed; add '{closer}' after its end")
    return syntax.at(
        f"expected ',' or '{closer}' here; separate the items with commas, "
        f"and put an item with ', [ ] {{ }}' or quotes in it in quotes"
    )


def _unclosed_quote(syntax: _Syntax) -> tuple[int, int, str]:
    if "quoted" in syntax.context:
        quote = syntax.text_at(syntax.context_line, syntax.context_column)[:1] or '"'
        return syntax.at_context(f"the text quoted here is never closed; add the closing {quote}")
    return syntax.at("the file ends in the middle of a value; complete it")


def _unknown_escape(syntax: _Syntax) -> tuple[int, int, str]:
    escape = syntax.text_at(syntax.line, syntax.column)[:2]
    if len(escape) < 2:
        return syntax.at("a '\\' ends the file inside double quotes; close the quotes")
    return syntax.at(
        f"unknown escape '{escape}' in double-quoted text; write \\\\ for a backslash, "
        f"or put the text in single quotes"
    )


def _undefined_alias(syntax: _Syntax) -> tuple[int, int, str]:
    name = _name_after(syntax.text_at(syntax.line, syntax.column), "*")
    return syntax.at(
        f"'*{name}' is an alias, but no anchor '&{name}' comes before it; "
        f"put the text in quotes if the '*' is part of it"
    )


def _duplicate_anchor(syntax: _Syntax) -> tuple[int, int, str]:
    name = _name_after(syntax.text_at(syntax.line, syntax.column), "&")
    return syntax.at(
        f"anchor '&{name}' is defined twice (first at line {syntax.context_line}); "
        f"rename one of them"
    )


def _name_after(text: str, sigil: str) -> str:
    """The name of an alias or anchor in text that starts with it (a tag may come first)."""
    match = re.search(re.escape(sigil) + r"([^\s,\[\]{}]*)", text)
    return shown(match.group(1)) if match else ""


def _empty_name(syntax: _Syntax) -> tuple[int, int, str]:
    if "alias" in syntax.context or "anchor" in syntax.context:
        sigil = "*" if "alias" in syntax.context else "&"
        what = "an alias" if sigil == "*" else "an anchor"
        return syntax.at_context(
            f"'{sigil}' starts {what} here and must be followed by its name; "
            f"put the text in quotes if the '{sigil}' is part of it"
        )
    return syntax.at(_TAGS if "tag" in syntax.context else _DIRECTIVE)


_HANDLERS: dict[str, Callable[[_Syntax], tuple[int, int, str]]] = {
    "found character that cannot start any token": _no_token,
    "found a tab character that violates indentation": lambda s: s.at(_TAB),
    "found a tab character where an indentation space is expected": lambda s: s.at(_TAB),
    "mapping values are not allowed in this context": _colon,
    "mapping values are not allowed here": _colon,  # the pure-Python parser's words
    "could not find expected ':'": _no_colon,
    "did not find expected key": _indentation,
    "did not find expected '-' indicator": _indentation,
    "did not find expected ',' or ']'": _unclosed_flow,
    "did not find expected ',' or '}'": _unclosed_flow,
    "found unexpected end of stream": _unclosed_quote,
    "found unknown escape character": _unknown_escape,
    "found invalid Unicode character escape code": lambda s: s.at(
        "this escape does not make a character; remove it, or write \\\\ for a backslash"
    ),
    "did not find expected hexdecimal number": lambda s: s.at(
        "\\x, \\u and \\U need 2, 4 and 8 hexadecimal digits (such as \\u00e9); "
        "fix the escape, or write \\\\ for a backslash"
    ),
    "found undefined alias": _undefined_alias,
    "second occurrence": _duplicate_anchor,
    "but found another document": lambda s: s.at(
        "a second document starts here, but a file holds one; remove the '---' line "
        "and move what follows into a file of its own"
    ),
    "did not find expected <document start>": lambda s: s.at(
        "text after the end of the document; remove it, or check the quotes and brackets before it"
    ),
    "block sequence entries are not allowed in this context": lambda s: s.at(
        "a list item ('- ') cannot start on the line of its key; start the list on the "
        "next line, indented, or put the text in quotes"
    ),
    "mapping keys are not allowed in this context": lambda s: s.at(
        "'?' cannot start a value here; put the text in quotes"
    ),
    "found unexpected ':'": lambda s: s.at("unexpected ':' here; put the text in quotes"),
    "did not find expected node content": lambda s: s.at(
        "a value is missing here; write it, or put the text in quotes"
    ),
    "found unexpected document indicator": lambda s: s.at(
        "a line starting with '---' or '...' ends the document; indent it, "
        "or put the text in quotes"
    ),
    "found an indentation indicator equal to 0": lambda s: s.at(
        "a block indicator cannot be 0; write | or > alone"
    ),
    "did not find expected comment or line break": lambda s: s.at(
        "only a comment (#) may follow on this line; move the rest to the next line"
    ),
    "did not find expected alphabetic or numeric character": _empty_name,
    "exceeded maximum nesting depth": lambda s: s.at(_NESTING),
}


def report_duplicate(file: SourceFile, key: ScalarNode, first: dict[str, Node]) -> bool:
    """Report `key` if the mapping had it before (key nodes by name in `first`); True if so."""
    earlier = first.get(key.value)
    if earlier is not None:
        line = earlier.start_mark.line + 1
        name = shown(key.value)
        file.report(key, f"duplicate key '{name}' (first at line {line}); keep only one")
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


def did_you_mean(word: str, choices: Sequence[str], otherwise: str) -> str:
    """`did you mean 'x'?` with the closest of `choices` to a misspelt `word`, if one is
    close enough; else `otherwise`, what to do instead."""
    guess = suggest(word, choices)
    return f"did you mean '{guess}'?" if guess else otherwise


def unknown_message(what: str, word: str, choices: Sequence[str]) -> str:
    """`unknown status 'fixed'; expected one of ...`, or a did-you-mean when one is close."""
    guess = suggest(word, choices) if len(word) <= MAX_SHOWN_CHARS else None
    if guess is not None:
        return f"unknown {what} '{shown(word)}'; did you mean '{guess}'?"
    return f"unknown {what} '{shown(word)}'; expected one of {', '.join(choices)}"


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
        hint: str = "",
    ) -> Mapping | None:
        """Read `node` as a mapping, or report that `what` must be one (and the `hint`)."""
        if node is None or not isinstance(node, MappingNode):
            actual = "empty" if node is None else describe(node)
            then = f"; {hint}" if hint else ""
            file.report(node, f"{what} must be a mapping of keys to values, not {actual}{then}")
            return None
        if len(node.value) > MAX_ENTRIES:
            file.report(
                node,
                f"this mapping has {len(node.value):,} keys, more than the limit of "
                f"{MAX_ENTRIES:,}; keep only the keys it needs",
            )
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
        if len(value) > MAX_TEXT_CHARS:
            self.file.report(
                node,
                f"'{key}' is {len(value):,} characters long, more than the limit of "
                f"{MAX_TEXT_CHARS:,}; shorten it, or link to the full text",
            )
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
                value = date.fromisoformat(node.value.strip())
            except ValueError:
                pass
            else:
                problem = year_problem(value, key, shown(node.value))
                if problem is None:
                    return value
                self.file.report(node, problem)
                return None
        self.file.report(
            node, f"'{key}' must be a date such as 2026-12-15, not '{shown(node.value)}'"
        )
        return None

    def flag(self, key: str) -> bool | None:
        """true or false (not YAML 1.1's yes, no, on and off, which are easy to misread)."""
        node = self.get(key)
        if node is None:
            return None
        written = node.value.lower() if isinstance(node, ScalarNode) else ""
        if tag_of(node).endswith(":bool") and written in ("true", "false"):
            return written == "true"
        shown_value = f"'{shown(node.value)}'" if isinstance(node, ScalarNode) else describe(node)
        self.file.report(node, f"'{key}' must be true or false, not {shown_value}")
        return None

    def integer(self, key: str, minimum: int, maximum: int) -> int | None:
        """A whole number from `minimum` to `maximum`, written in decimal digits."""
        node = self.get(key)
        if node is None:
            return None
        if not isinstance(node, ScalarNode) or tag_of(node) != _INT:
            self._wrong(key, node, "a whole number")
            return None
        written: str = node.value
        if not _DECIMAL.fullmatch(written):  # YAML 1.1 also reads 017, 0x1f, 1:30, 1_000
            self.file.report(
                node,
                f"'{key}' must be a whole number in plain decimal digits such as 50, "
                f"not '{shown(written)}'",
            )
            return None
        # A number too long to be in range is not converted: int() refuses 4,300 digits.
        value = int(written) if len(written) <= len(str(maximum)) + 1 else maximum + 1
        if value < minimum:
            self.file.report(node, f"'{key}' must be at least {minimum}, not {value}")
            return None
        if value > maximum:
            self.file.report(node, f"'{key}' must be at most {maximum:,}, not {shown(written)}")
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
        if len(node.value) > MAX_ENTRIES:
            self.file.report(node, _too_many(f"'{key}'", len(node.value)))
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
        if len(node.value) > MAX_ENTRIES:
            self.file.report(node, _too_many(f"'{key}'", len(node.value)))
            return None
        return node


_DECIMAL = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def _too_many(what: str, count: int) -> str:
    return (
        f"{what} has {count:,} entries, more than the limit of {MAX_ENTRIES:,}; "
        f"keep fewer (split a very long incident into several)"
    )


def read_address(mapping: Mapping, key: str, example: str) -> str | None:
    """An absolute http(s) address under `key`, stripped of spaces; `example` shows one."""
    url = mapping.text(key)
    if url is None:
        return None
    address = url.strip()
    try:
        parts = urlsplit(address)
        parts.port  # noqa: B018 - raises ValueError for a port that is no number, or too large
    except ValueError:  # an unclosed [ of an IPv6 address, a bad port
        parts = None
    if (
        parts is None
        or parts.scheme not in ("http", "https")
        or not parts.hostname
        or any(character.isspace() for character in address)
    ):
        mapping.file.report(
            mapping.get(key),
            f"'{key}' must be an absolute address such as {example}, not '{shown(url)}'",
        )
        return None
    return address

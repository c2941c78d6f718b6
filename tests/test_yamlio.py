"""Reading YAML: hostile files, syntax errors in a reader's words, characters, aliases, tags."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statuspage.sources import yamlio
from statuspage.sources.limits import MAX_EXPANDED_CHARS, shown
from statuspage.sources.yamlio import SourceFile, parse
from tests.conftest import RESOLVED, MakeSite

HOSTILE = Path(__file__).parent / "data" / "hostile-yaml"
CASES = sorted(path.stem for path in HOSTILE.glob("*.yaml"))


def problems_in(text: str) -> list[str]:
    """The problems parse() reports for `text`, sorted, as 'line:col: message'."""
    file = SourceFile("x.yaml")
    parse(text, file)
    return [f"{p.line}:{p.column}: {p.message}" for p in sorted(file.problems)]


def test_there_are_hostile_cases_and_each_has_its_expected_lines() -> None:
    assert len(CASES) > 60
    assert sorted(p.stem for p in HOSTILE.glob("*.expected")) == CASES


@pytest.mark.parametrize("case", CASES)
def test_a_hostile_file_gets_its_one_line_messages(make_site: MakeSite, case: str) -> None:
    site = make_site()
    data = (HOSTILE / f"{case}.yaml").read_bytes()
    if case.startswith("config-"):
        (site.root / "statuspage.yaml").write_bytes(data)
    else:
        (site.root / "incidents").mkdir()
        (site.root / "incidents" / f"{case}.yaml").write_bytes(data)
    expected = (HOSTILE / f"{case}.expected").read_text(encoding="utf-8").splitlines()
    assert site.problems() == expected


@pytest.mark.parametrize("case", CASES)
def test_every_expected_message_is_one_located_line_without_parser_jargon(case: str) -> None:
    path = "statuspage.yaml" if case.startswith("config-") else f"incidents/{case}.yaml"
    for line in (HOSTILE / f"{case}.expected").read_text(encoding="utf-8").splitlines():
        assert re.fullmatch(rf"{re.escape(path)}:[1-9]\d*:[1-9]\d*: [A-Za-z'*&].+", line), line
        for jargon in ("Node(", "while parsing", "while scanning", "position ", "invalid YAML"):
            assert jargon not in line


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "a:\n  b: 1\n c: 2\n",
            "3:2: this line's indentation (1 space) matches no key above it "
            "(line 2 has 2); indent keys of one mapping equally",
        ),
        (
            "a: b\n- c\n",
            "2:1: a list item where a key was expected; put the list under its key "
            "(such as updates:), indented below it",
        ),
        (
            "key:\n  - a\n  b: c\n",
            "3:3: a key among the items of the list of line 2; start it "
            "with '- ' if it is an item, or indent it as the keys it belongs with",
        ),
        (
            "a: [a, b]c\n",
            "1:10: text after the closing ]; put all of the value inside the "
            "quotes or brackets, or remove what follows",
        ),
        (
            "x\ny: z\n",
            "1:1: this line has neither a key nor a list item; write it as key: value, "
            "or join it to the line above",
        ),
        (
            "message: We are investigating\n  the cause: a bad deploy\n",
            "2:3: this line continues "
            "the value on line 1, so its ': ' needs quotes; if it starts a key, indent it as much "
            "as the keys it belongs with",
        ),
        ("a: {x: 1\n", "1:4: this '{' is never closed; add '}' after its end"),
        (
            'a: [a, "b" c]\n',
            "1:12: expected ',' or ']' here; separate the items with commas, "
            "and put an item with ', [ ] { }' or quotes in it in quotes",
        ),
        ("- [\n", "2:1: a value is missing here; write it, or put the text in quotes"),
        ("a: 'abc\nb: c\n", "1:4: the text quoted here is never closed; add the closing '"),
        (
            'a: "\\ud800"\n',
            "1:7: this escape does not make a character; remove it, or write \\\\ for a backslash",
        ),
        (
            'a: "\\x4"\n',
            "1:7: \\x, \\u and \\U need 2, 4 and 8 hexadecimal digits (such as "
            "\\u00e9); fix the escape, or write \\\\ for a backslash",
        ),
        ('a: "x\\', "1:6: a '\\' ends the file inside double quotes; close the quotes"),
        ("a: @foo\n", "1:4: a value cannot start with '@'; put the text in quotes"),
        (
            "a: !x!y z\n",
            "1:4: YAML tags (!name) are not supported; remove the tag, or put the text in quotes",
        ),
        (
            "%FOO bar\n---\na: b\n",
            "1:5: YAML directives (lines starting with %) are not supported; remove the line",
        ),
        ("a: |0\n x\n", "1:5: a block indicator cannot be 0; write | or > alone"),
        (
            "a: |x\n b\n",
            "1:5: only a comment (#) may follow on this line; move the rest to the next line",
        ),
        (
            'a: "line\n---\nb"\n',
            "2:1: a line starting with '---' or '...' ends the document; "
            "indent it, or put the text in quotes",
        ),
        (
            "{a: 1}}\n",
            "1:7: text after the end of the document; remove it, or check the quotes "
            "and brackets before it",
        ),
        (
            "a: &\n",
            "1:4: '&' starts an anchor here and must be followed by its name; put the "
            "text in quotes if the '&' is part of it",
        ),
        ("a: b\n\tc: d\n", "2:1: a tab indents this line; indent with spaces"),
        (
            "x: y: z: w\n",
            "1:5: a plain value cannot contain ': '; put the text in quotes, such "
            'as x: "y: z: w"',
        ),
        ("a: ? b\n", "1:4: '?' cannot start a value here; put the text in quotes"),
    ],
)
def test_syntax_errors_in_a_reader_s_words(text: str, expected: str) -> None:
    assert problems_in(text) == [expected]


def test_columns_count_characters_and_lines_count_only_lf_crlf_and_cr() -> None:
    text = "a: 1\r\nb: 2\rc: 3\nd: Ünïcödé 🔥: x\n"
    assert problems_in(text) == [
        "4:13: a plain value cannot contain ': '; put the text in quotes, "
        'such as d: "Ünïcödé 🔥: x"'
    ]


@pytest.mark.parametrize(
    ("char", "expected"),
    [
        ("\x00", "control character U+0000 is not allowed; remove it"),
        ("\x1b", "control character U+001B is not allowed; remove it"),
        ("\x7f", "control character U+007F is not allowed; remove it"),
        ("\x9f", "control character U+009F is not allowed; remove it"),
        ("\ufdef", "noncharacter U+FDEF is not allowed; remove it"),
        ("\uffff", "noncharacter U+FFFF is not allowed; remove it"),
        ("\U0010fffe", "noncharacter U+10FFFE is not allowed; remove it"),
        ("\udc00", "lone surrogate U+DC00 is not allowed; remove it"),
    ],
)
def test_characters_no_output_may_carry_are_refused_where_they_are(
    char: str, expected: str
) -> None:
    assert problems_in(f"title: Ünï\n  cödé{char}\n") == [f"2:7: {expected}"]


@pytest.mark.parametrize("char", ["\t", "\xa0", "\u2027", "\u202a", "\ufdcf", "\ufdf0", "\ufffd"])
def test_characters_at_the_edges_of_the_refused_ranges_are_allowed(char: str) -> None:
    assert problems_in(f"title: x{char}y\n") == []


def test_escapes_may_write_line_separators_but_not_control_characters() -> None:
    file = SourceFile("x.yaml")
    root = parse('a: "one\\u2028two\\ufeff"\nb: "\\a"\n', file)
    assert [str(p) for p in file.problems] == [
        "x.yaml:2:4: this text has an escape for control character U+0007, which is not "
        "allowed; remove it"
    ]
    assert root is not None
    assert [v.value for _, v in root.value] == ["one\u2028two\ufeff", "\ufffd"]


def test_aliases_within_the_limit_are_read_and_past_it_refused() -> None:
    chunk = "x" * 1000
    fits = f"a: &a {chunk}\nb: [{', '.join(['*a'] * (MAX_EXPANDED_CHARS // 1002 - 1))}]\n"
    assert problems_in(fits) == []
    too_many = fits.replace("]\n", ", *a, *a]\n")
    assert problems_in(too_many) == [
        "1:1: with its aliases (*name) expanded, this file holds more than 262,144 characters "
        "of text; use fewer aliases, or write the text out"
    ]


def test_an_alias_inside_its_own_mapping_is_an_endless_loop() -> None:
    assert problems_in("a: &a {b: [1, {c: *a}]}\n") == [
        "1:4: an alias (*name) inside what its anchor (&name) names repeats it without end; "
        "remove the alias"
    ]


def test_a_valid_file_with_an_anchor_a_tag_free_bang_and_a_backslash_loads(
    make_site: MakeSite,
) -> None:
    text = RESOLVED.replace("message: Fixed.", 'message: "Fixed \\\\o/ at last!"').replace(
        "title: Elevated error rates", "title: &t Elevated error rates & more"
    )
    site = make_site(incidents={"db": text}).load()
    assert site.incidents[0].title == "Elevated error rates & more"
    assert site.incidents[0].updates[-1].message == "Fixed \\o/ at last!"


def test_shown_values_are_one_short_line() -> None:
    assert shown("fine") == "fine"
    assert shown("two\nlines\t and\x07 more") == "two lines and\ufffd more"
    assert shown("x" * 100) == "x" * 57 + "..."


YAMLISH = st.text(alphabet="ab :-[]{},'\"\\!&*|>#?%@`\t\n\ré")


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), YAMLISH))
def test_any_text_gives_a_node_or_located_one_line_problems(text: str) -> None:
    file = SourceFile("x.yaml")
    parse(text, file)
    lines = len(re.split(r"\r\n|\r|\n", text))
    for problem in file.problems:
        assert "\n" not in problem.message
        assert "\r" not in problem.message
        assert 1 <= problem.line <= lines
        assert problem.column >= 1


@pytest.mark.parametrize("city", ["Zurich", "Zürich"])  # the ASCII and the other pass
def test_tags_escapes_and_merge_keys_are_found_in_any_text(city: str) -> None:
    text = f'title: !foo {city}\nb: "{city}\\x01"\nc: {{<<: {{d: 1}}}}\n'
    assert problems_in(text) == [
        "1:8: YAML tags such as '!foo' are not supported; remove the tag, or put the text in "
        "quotes if the '!' is part of it",
        "2:4: this text has an escape for control character U+0001, which is not allowed; "
        "remove it",
        "3:5: merge keys (<<) are not supported; write out the keys it would bring in",
    ]


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (
            RecursionError(),
            "1:1: lists and mappings are nested more than 1000 levels deep; remove the extra "
            "brackets or indentation",
        ),
        (
            ValueError("no parser error"),
            "1:1: this is not valid YAML; check the quotes, brackets and indentation",
        ),
    ],
)
def test_a_parser_without_libyaml_s_bounds_still_gives_a_message(
    monkeypatch: pytest.MonkeyPatch, error: Exception, expected: str
) -> None:
    def compose(text: str, Loader: object) -> None:
        raise error

    monkeypatch.setattr(yamlio.yaml, "compose", compose)
    assert problems_in("a: b\n") == [expected]

"""Markdown from incident files becomes safe HTML."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from statuspage.render.richtext import (
    MAX_NESTING,
    MarkdownRenderer,
    is_safe_href,
    plain_paragraphs,
    plain_text_html,
    reference_converter,
)

from .conftest import REPO


@pytest.fixture(scope="module")
def md() -> MarkdownRenderer:
    return MarkdownRenderer()


def test_markdown_is_rendered(md: MarkdownRenderer) -> None:
    assert md.render("We are **on it**.\n\n- one\n- two") == (
        "<p>We are <strong>on it</strong>.</p>\n<ul>\n<li>one</li>\n<li>two</li>\n</ul>"
    )


def test_raw_html_is_shown_as_text(md: MarkdownRenderer) -> None:
    assert md.render('Hi <script>alert("x")</script>\n\n<div onclick="x">block</div>') == (
        '<p>Hi &lt;script&gt;alert("x")&lt;/script&gt;</p>\n'
        '<p>&lt;div onclick="x"&gt;block&lt;/div&gt;</p>'
    )


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "java&#x09;script:alert(1)",
        "data:text/html,x",
        "javascript&colon;alert(1)",
        "vbscript:x",
    ],
)
def test_unsafe_links_lose_their_target(md: MarkdownRenderer, href: str) -> None:
    assert md.render(f"[click]({href})") == "<p><a>click</a></p>"
    assert not is_safe_href(href)


@pytest.mark.parametrize(
    "href",
    [
        "https://example.com/a?b=1",
        "http://x.example",
        "mailto:ops@example.com",
        "/path:x",
        "#update-2",
        "../x",
    ],
)
def test_safe_links_are_kept(href: str) -> None:
    assert is_safe_href(href)


def test_images_become_links_so_the_page_loads_nothing_from_elsewhere(md: MarkdownRenderer) -> None:
    assert md.render("![error graph](https://cdn.example.com/g.png) and ![](javascript:x)") == (
        '<p><a href="https://cdn.example.com/g.png">error graph</a> and <a>image</a></p>'
    )


def test_headings_are_shifted_below_the_page_heading(md: MarkdownRenderer) -> None:
    assert (
        md.render("# Impact\n\n### Detail", heading_level=3) == "<h3>Impact</h3>\n<h5>Detail</h5>"
    )
    assert md.render("# Top", heading_level=6) == "<h6>Top</h6>"
    assert md.render("# Top") == "<h1>Top</h1>"


ALPHABET = "ab Z09.,;:'\"()!?%/$@^#-=+~|{}*_[]<>&\\`\t\r\n1. \x03\x0c\u00a0\u2028"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=ALPHABET, max_size=60))
@example("- \xa0")  # found by Hypothesis: Markdown strips an item's leading Unicode space
@example("x\n\n- \x85 y")
@example("a  \nb")  # a hard line break
def test_the_plain_text_fast_path_gives_what_markdown_gives(text: str) -> None:
    fast = plain_paragraphs(text)
    if fast is not None:
        assert fast == full_markdown(text)


PIECES = st.sampled_from(
    [
        "word",
        " ",
        "  ",
        "\n",
        "\n\n",
        ".",
        "(",
        ")",
        "!",
        ":",
        "*",
        "**",
        "_",
        "[",
        "]",
        "-",
        "# ",
        "1. ",
        "**bold**",
        "**two words**",
        "** spaced**",
        "[label](https://example.com/a?b=1)",
        "[two words](http://x.example)",
        "[l](https://e.com/(x))",
        "[l](https://e.com/a b)",
        "[l](ftp://e.com)",
        "![i](https://e.com/i.png)",
        "<https://e.com>",
        "[l]: https://e.com",
        "`c`",
        "&amp;",
        "\\",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(PIECES, max_size=14).map("".join))
def test_the_fast_path_for_links_and_bold_gives_what_markdown_gives(text: str) -> None:
    fast = plain_paragraphs(text)
    if fast is not None:
        assert fast == full_markdown(text)


@pytest.mark.parametrize(
    "text",
    [
        "We are investigating elevated error rates on the API.",
        "See the [runbook](https://docs.example.com/runbooks/12) for the **workaround**.",
        'First paragraph.\n\nSecond one, with (brackets), 100 % and "quotes".\n',
        "Line one\nline two\n   \n\n\nAfter blank lines.",
        "Issue #42 is fixed! Costs $5/month; ETA 14:30 UTC.",
        "Webhooks are delayed.\n\n- Affected: EU and US regions\n- Not affected: APAC\n",
        "- **Affected**: [EU](https://status.example.com/eu)\n- Fine: US \n\nWe are sorry.",
    ],
)
def test_plain_status_updates_take_the_fast_path(text: str) -> None:
    fast = plain_paragraphs(text)
    assert fast is not None
    assert fast == full_markdown(text)


@pytest.mark.parametrize(
    "text",
    [
        "*em*",
        "**bold*",
        "![image](https://e.com/i.png)",
        "[relative](/path)",
        "- a\n\n- loose list",
        "- a\n  continued",
        "- a\nlazy continuation",
        "text\n- list without a blank line",
        "-  two spaces",
        "- # heading in a list",
        "- 1. numbered in a list",
        "- *em* in a list",
        "1. one",
        "# heading",
        "a <b>",
        "x & y",
        "code `x`",
        "  indented",
        "Title\n===",
        "line  \nbreak",
        "[link](x)",
    ],
)
def test_markdown_syntax_takes_the_full_path(text: str) -> None:
    assert plain_paragraphs(text) is None


def full_markdown(text: str) -> str:
    converter = FULL_MARKDOWN.setdefault("converter", reference_converter())
    return str(Markup(converter.reset().convert(text)))


FULL_MARKDOWN: dict[str, Any] = {}  # one Python-Markdown converter, without the fast path


WORDS = ["word", " ", "\n", "\n\n", ".", ",", "(", ")", "!", ":", "-", "'", '"', "%", "/", "1."]
INLINE = ["**bold**", "**two words**", "**(x)**", "[label](https://example.com/a?b=1)"]
LINKS = ["[two words](http://x.example)", "[(x)](https://e.com/)", "[a.b](https://e.com/x.y)"]
PROSE = st.sampled_from([*WORDS, *INLINE, *LINKS])


@settings(max_examples=2000, deadline=None)
@given(st.lists(PROSE, max_size=18).map("".join))
def test_the_fast_path_on_prose_with_links_and_bold(text: str) -> None:
    fast = plain_paragraphs(text)
    if fast is not None:
        assert fast == full_markdown(text)


LIST_PIECES = st.sampled_from(
    [*WORDS, *INLINE, "- ", "\n- ", "\n\n- ", "-", " -", "\n  ", "  ", "\n1. ", "# ", "> ", "*"]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(LIST_PIECES, max_size=18).map("".join))
def test_the_fast_path_for_simple_lists_gives_what_markdown_gives(text: str) -> None:
    fast = plain_paragraphs(text)
    if fast is not None:
        assert fast == full_markdown(text)


ITEM = st.lists(PROSE, min_size=1, max_size=6).map(lambda words: "- " + "".join(words))
LIST_BLOCK = st.lists(ITEM, min_size=1, max_size=4).map("\n".join)
PARAGRAPH = st.lists(PROSE, min_size=1, max_size=10).map("".join)
SEPARATOR = st.sampled_from(["\n\n", "\n\n\n", "\n \n", "\n"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.tuples(st.one_of(LIST_BLOCK, PARAGRAPH), SEPARATOR), min_size=1, max_size=5))
def test_the_fast_path_on_paragraphs_and_lists(blocks: list[tuple[str, str]]) -> None:
    text = "".join(block + separator for block, separator in blocks)
    fast = plain_paragraphs(text)
    if fast is not None:
        assert fast == full_markdown(text)


# Pieces of every block and inline kind, fenced code blocks among them, for comparing the
# metered converter with the reference one.
BLOCK_PIECES = st.sampled_from(
    [
        *WORDS,
        *INLINE,
        "\n```\n",
        "\n~~~\n",
        "\n```python\n",
        "\n~~~ .sh\n",
        "\n````\n",
        "\n```x y\n",
        "```",
        "\n    code\n",
        "\n> ",
        "\n- ",
        "\n    - ",
        "\n1. ",
        "\n# ",
        "\n---\n",
        "\n===\n",
        "\n[r]: https://e.example/r\n",
        "[r]",
        "[x](<https://e.example>)",
        '[x](https://e.example "t")',
        "![i](https://e.example/i.png)",
        "`c`",
        "``",
        "*",
        "_",
        "<",
        "&",
        "\\",
    ]
)


@settings(max_examples=2000, deadline=None)
@given(st.lists(BLOCK_PIECES, max_size=16).map("".join))
@example("```\ncode\n```")
@example("~~~\n```\n~~~\n```")
@example("```a\n```b\n```")
def test_the_metered_converter_gives_what_python_markdown_gives(text: str) -> None:
    assert METERED.render(text) == full_markdown(text)


METERED = MarkdownRenderer()


def test_an_attribute_list_on_a_fence_gives_only_the_language(md: MarkdownRenderer) -> None:
    # Python-Markdown would write id="main" and class="x": the page's own names.
    assert md.render("```{#main .sh .x}\nls <x>\n```") == (
        '<pre><code class="language-sh">ls &lt;x&gt;\n</code></pre>'
    )


N = 16_000
# Python-Markdown takes minutes over all of these together (seconds to a minute each, or a
# RecursionError): each pattern it is quadratic or worse on, as we configure it.
PATHOLOGICAL = {
    "unclosed brackets": ("[x" * N)[:N],
    "link targets never closed": ("[](" * N)[:N],
    "titles that send the scan to the end": ('[a](b"c)' * N)[:N],
    "images never closed": ("![" * N)[:N],
    "links nested in links": "[" * (N // 5) + "a" + "](u)" * (N // 5),
    "code spans never closed": ("``a`" * N)[:N],
    "emphasis": ("*a" * N)[:N],
    "mixed delimiters": ("_*" * N)[:N],
    "rules split off a block line by line": ("-\n" * N)[:N],
    "setext headings": ("x\n=\n" * N)[:N],
    "hash headings": ("# x\n" * N)[:N],
    "one-letter list items": ("+ a\n" * N)[:N],
    "strong nested 8,000 deep": "*" * (N // 2) + "a" + "*" * (N // 2),
    "quotes nested 8,000 deep": "> " * (N // 2) + "x",
    "lists nested 100 deep": "".join("    " * i + "- x\n" for i in range(100)),
    "escapes": ("\\*" * N)[:N],
    "line breaks": ("a  \n" * N)[:N],
}
RENDER_ALL = """
import json, sys
from statuspage.render.richtext import MarkdownRenderer
renderer = MarkdownRenderer()
print(json.dumps([str(renderer.render(text)) for text in json.load(sys.stdin)]))
"""


def render_in_child(texts: list[str]) -> list[str]:
    """What a fresh process renders of `texts`, or a failure if it takes a minute."""
    child = subprocess.run(
        [sys.executable, "-c", RENDER_ALL],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        timeout=60,  # about a second normally; minutes if anything is quadratic again
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    rendered: list[str] = json.loads(child.stdout)
    return rendered


def test_pathological_text_is_shown_as_escaped_text_in_linear_time() -> None:
    texts = list(PATHOLOGICAL.values())
    assert render_in_child(texts) == [str(plain_text_html(text)) for text in texts]


def test_unclosed_fences_are_read_in_linear_time() -> None:
    # Python-Markdown's fenced_code tries each opening against the whole rest, and an
    # unclosed hl_lines quote against each later line too: cubic, minutes for this one.
    unclosed = '~~~hl_lines="\n' * 1500
    assert render_in_child([unclosed + "\n```\nls\n```"]) == [
        f"<p>{unclosed.strip()}</p>\n<pre><code>ls\n</code></pre>"
    ]


def test_nesting_deeper_than_the_limit_is_shown_as_text() -> None:
    renderer = MarkdownRenderer()
    deep = "".join("    " * level + "- x\n" for level in range(MAX_NESTING))
    shallow = "".join("    " * level + "- x\n" for level in range(8))
    quoted = "> " * (MAX_NESTING + 1) + "x"
    strong = "*" * 70 + "a" + "*" * 70
    for text in (deep, quoted, strong):
        assert renderer.render(text) == plain_text_html(text)
    assert renderer.render(shallow) == full_markdown(shallow)


def test_deep_nesting_is_shown_as_text_however_deep_the_caller(md: MarkdownRenderer) -> None:
    text = "> " * 400 + "x"  # Python-Markdown's own guard depends on the caller's stack

    def nested(depth: int) -> Markup:
        return md.render(text) if depth == 0 else nested(depth - 1)

    assert nested(0) == nested(sys.getrecursionlimit() - 300) == plain_text_html(text)


def test_after_a_text_too_complex_the_next_is_markdown_again(md: MarkdownRenderer) -> None:
    assert md.render("- a\n- [x" + "[x" * 3000) == plain_text_html("- a\n- [x" + "[x" * 3000)
    assert md.render("- a\n- *b*\n\n> c") == (
        "<ul>\n<li>a</li>\n<li><em>b</em></li>\n</ul>\n<blockquote>\n<p>c</p>\n</blockquote>"
    )


def test_text_shown_as_text_is_escaped_in_paragraphs() -> None:
    assert plain_text_html(' <b>"x" &amp;\r\n\r\n\n [y\r\nz  \n\t\n') == Markup(
        '<p>&lt;b&gt;"x" &amp;amp;</p>\n<p>[y\nz</p>'
    )
    assert plain_text_html(" \n ") == Markup("")


def test_references_to_characters_html_forbids_are_shown_as_written(md: MarkdownRenderer) -> None:
    text = "&#0; &#1; &#13; &#128; &#xD800; &#xFFFE; &#x10FFFF; &#x110000; &#1234567890; &#9"
    assert md.render(f"{text}; &#65; &#x1F600; &copy; [l](/x&#0;) &#{'9' * 5000};") == (
        "<p>&amp;#0; &amp;#1; &amp;#13; &amp;#128; &amp;#xD800; &amp;#xFFFE; &amp;#x10FFFF; "
        "&amp;#x110000; &amp;#1234567890; &#9; &#65; &#x1F600; &copy; "
        f'<a href="/x&amp;#0;">l</a> &amp;#{"9" * 5000};</p>'
    )

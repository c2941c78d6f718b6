"""Markdown from incident files becomes safe HTML."""

from __future__ import annotations

import pytest

from statuspage.richtext import MarkdownRenderer, is_safe_href


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

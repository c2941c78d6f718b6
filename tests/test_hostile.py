"""Hostile text in every field, through every output, read back with strict parsers.

Whatever a file says comes out as text: no element, attribute or URL of its own in HTML, and
well-formed XML and JSON that give the text back exactly where it is shown as text.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import lxml.etree
import lxml.html
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statuspage.engine.build import build_site
from statuspage.model import ComponentState
from statuspage.model.probes import CheckResult, Measured
from statuspage.render.badges import badge_svg
from statuspage.render.feedwriters import (
    Entry,
    FeedHead,
    atom_document,
    json_document,
    rss_document,
)
from statuspage.render.richtext import MarkdownRenderer
from tests.conftest import NOW, SiteDir, day_counters, write_history

# Plain text for the fields shown as text: titles, names, descriptions, owners.
TEXTS = [
    "<script>alert(1)</script>",
    '"><svg onload=alert(1)>',
    "'><img src=x onerror=alert(1)>",
    "javascript:alert(1)",
    "]]><x>",
    "<!-- comment --> <![CDATA[x]]>",
    "{{ 7*7 }} {% if true %}jinja{% endif %} {# note #}",
    "${7*7} #{7*7} <%= 7*7 %>",
    "bidi \u202egnp.exe\u202c isolate \u2066x\u2069",
    "zero\u200bwidth\u200cnon\u200djoiner\u2060word joiner",
    "W" * 3000,
    "family \U0001f468\u200d\U0001f469\u200d\U0001f467 flag \U0001f3f3\ufe0f\u200d\U0001f308",
    "tab\there",
    "&amp; &lt;b&gt; &#106;avascript: &#0; &#x110000; &unknown;",
    "line\u2028separator\u2029paragraph",
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>&e;',
    '\\"quoted\\" and a backslash \\',
    "<style>body{display:none}</style><iframe src=//evil.example>",
]

# Markdown for the fields that are Markdown: messages and the postmortem's sections.
MARKDOWN = [
    "[a](javascript:alert(1)) [b](JaVaScRiPt:alert(1)) [c](&#106;avascript:alert(1)) "
    "[d](java\tscript:x) [e](data:text/html,<script>alert(1)</script>) [f](vbscript:x) "
    "[g](//evil.example/x) [h](https://ok.example/ok)",
    "<javascript:alert(1)> <https://ok.example/> <ops@ok.example> <data:text/html,x>",
    "![pixel](https://evil.example/pixel.png) ![svg](data:image/svg+xml,<svg onload=alert(1)>)"
    " ![ref][img]\n\n[img]: https://evil.example/i.png",
    '<div onclick="alert(1)">x</div>\n\n<script>alert(1)</script>\n\n<a href="javascript:x">a</a>',
    "```html\n<script>alert(1)</script>\n```\n\n    <img src=x onerror=alert(1)>\n",
    "```{#main .x onload=alert(1)}\ncode\n```",
    '[t](https://ok.example/ "title\\" onmouseover=\\"alert(1)") [r][bad]\n\n[bad]: javascript:x',
    "# Heading <em>x</em>\n\n> quote <b>x</b>\n\n- item `<code>` &#1; &#xD800; &#65;",
    "[x" * 2000,
    '<http://a.example/" onmouseover="alert(1)> [x](<javascript:alert(1)>) [y][q]\n\n'
    '[q]: https://ok.example/ "t\\" onfocus=\\"x"',
    *TEXTS,
]


def yaml_quoted(text: str) -> str:
    """`text` as a double-quoted YAML scalar: controls and line separators escaped."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    return '"' + re.sub("[\x00-\x1f\x7f-\x9f\u2028\u2029]", _escape, escaped) + '"'


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match[0]):04x}"


def hostile_site(root: Path) -> SiteDir:
    """A site with a hostile text in every field that is shown."""
    site = SiteDir(root)
    root.mkdir()
    components = "".join(
        f"  - id: c{n}\n    name: {yaml_quoted(text)}\n"
        f"    description: {yaml_quoted(TEXTS[-n - 1])}\n    group: {yaml_quoted(TEXTS[n // 3])}\n"
        for n, text in enumerate(TEXTS)
    )
    site.write(
        "statuspage.yaml",
        f"title: {yaml_quoted(TEXTS[0])}\nurl: https://status.test.example\n"
        f"description: {yaml_quoted(TEXTS[1])}\npage_id: {yaml_quoted(TEXTS[6])}\n"
        f"components:\n{components}"
        "probes:\n  - {id: p3, component: c3, type: http, url: https://api.test.example/}\n"
        "  - id: upstream\n    type: statuspage\n    url: https://upstream.test.example/\n"
        f"    show_as: {yaml_quoted(TEXTS[1])}\n"
        f"    components: [{yaml_quoted(TEXTS[0])}, {yaml_quoted(TEXTS[2])}]\n",
    )
    # c3 measured down; the upstream page's second component in a state of no known name.
    latest = CheckResult("p3", NOW, Measured.DOWN, 12.0, TEXTS[4])
    write_history(site, "p3", [day_counters(NOW.date(), 2, 2, (2,), latest)])
    states = ((TEXTS[0], "operational"), (TEXTS[2], "<b>fixed</b>"))
    upstream = CheckResult("upstream", NOW, Measured.DEGRADED, 9.0, TEXTS[5], states)
    write_history(site, "upstream", [day_counters(NOW.date(), 1, 0, (1,), upstream)])
    for n, text in enumerate(TEXTS):
        message, section = MARKDOWN[n % len(MARKDOWN)], MARKDOWN[(n + 5) % len(MARKDOWN)]
        if n % 2:
            prevention = f"prevention: {yaml_quoted(section)}\n"
        else:
            prevention = (
                f"prevention:\n  - action: {yaml_quoted(text)}\n"
                f"    owner: {yaml_quoted(TEXTS[n - 1])}\n    status: done\n"
            )
        site.incident(
            f"i{n}",
            f"title: {yaml_quoted(text)}\nimpact: major\ncomponents: [c{n}]\nupdates:\n"
            f"  - at: 2026-11-20T14:10:00Z\n    status: investigating\n"
            f"    message: {yaml_quoted(message)}\n    components: {{c{n}: major_outage}}\n"
            f"  - at: 2026-11-20T15:52:00Z\n    status: resolved\n"
            f"    message: {yaml_quoted(MARKDOWN[-n - 1])}\n"
            f"postmortem_at: 2026-11-22T10:00:00Z\nadmission: {yaml_quoted(section)}\n"
            f"cause: {yaml_quoted(message)}\nfix: {yaml_quoted(text)}\n{prevention}",
        )
    site.incident(
        "open",
        f"title: {yaml_quoted(TEXTS[1])}\nimpact: critical\ncomponents: [c0, c1]\nupdates:\n"
        f"  - at: 2026-11-23T09:00:00Z\n    status: identified\n"
        f"    message: {yaml_quoted(MARKDOWN[0])}\n",
    )
    site.incident(
        "window",
        f"title: {yaml_quoted(TEXTS[2])}\nkind: maintenance\ncomponents: [c2]\n"
        "scheduled_for: 2026-11-23T11:00:00Z\nscheduled_until: 2026-11-23T13:00:00Z\n"
        f"updates:\n  - at: 2026-11-23T11:00:00Z\n    status: in_progress\n"
        f"    message: {yaml_quoted(MARKDOWN[2])}\n",
    )
    return site


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """Every file a build of the hostile site writes."""
    folder = tmp_path_factory.mktemp("hostile")
    site = hostile_site(folder / "site")
    build_site(site.root, folder / "public", NOW, use_cache=False)
    return {
        p.relative_to(folder / "public").as_posix(): p.read_bytes()
        for p in (folder / "public").rglob("*")
        if p.is_file()
    }


# Every element our templates and Markdown write: anything else came from input.
ELEMENTS = {
    *("html", "head", "body", "meta", "title", "link", "header", "nav", "main", "footer"),
    *("div", "section", "article", "h1", "h2", "h3", "h4", "h5", "h6", "p", "a", "span"),
    *("ul", "ol", "li", "dl", "dt", "dd", "time", "strong", "em", "code", "pre", "blockquote"),
    *("hr", "br", "details", "summary", "table", "caption", "thead", "tbody", "tr", "th", "td"),
    *("svg", "path"),  # the response-time charts' own, none from input (see below)
}
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "xlink:href", "poster", "data")
UNSAFE_SCHEMES = re.compile(r"(?:javascript|data|vbscript):", re.IGNORECASE)
OUR_OWN = re.compile(r"https://status\.test\.example(?:/|$)|\.{0,2}/|#|[a-z0-9.-]+(?:/|$)")


def check_html(document: lxml.html.HtmlElement, where: str) -> None:
    """No element, event handler or script URL that the input could have brought."""
    for element in document.iter():
        if not isinstance(element.tag, str):
            assert element.tag is lxml.etree.Comment, where  # our own comments only
            assert "alert" not in (element.text or ""), where
            continue
        assert element.tag in ELEMENTS, f"{where}: <{element.tag}>"
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), f"{where}: {name}={value!r}"
            if name in URL_ATTRIBUTES:
                cleaned = re.sub(r"[\x00-\x20\x7f]+", "", html.unescape(value))
                assert not UNSAFE_SCHEMES.match(cleaned), f"{where}: {name}={value!r}"
                # Images became links: the page loads nothing from another site.
                assert name == "href" or OUR_OWN.match(value), f"{where}: {name}={value!r}"
        if element.tag == "link":
            assert OUR_OWN.match(element.get("href", "")), where


def html_fragment(text: str) -> lxml.html.HtmlElement:
    """A piece of HTML (a feed's content), parsed."""
    return lxml.html.fragment_fromstring(text or "<p></p>", create_parent="div")


def strict_xml(data: bytes) -> Any:
    """`data` parsed by a strict XML parser: no recovery, no entities, no network."""
    parser = lxml.etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    return lxml.etree.fromstring(data, parser)


def files(built: dict[str, bytes], suffix: str) -> Iterator[tuple[str, bytes]]:
    found = [(path, data) for path, data in built.items() if path.endswith(suffix)]
    assert found
    yield from found


def test_html_pages_hold_no_element_attribute_or_url_from_input(built: dict[str, bytes]) -> None:
    for path, data in files(built, ".html"):
        lowered = data.lower()
        for opening in (b"<script", b"<img", b"<iframe", b"<style", b"<x>", b"<div on"):
            assert opening not in lowered, f"{path}: {opening!r}"
        assert lowered.count(b"<svg") == data.count(b'<svg class="chart-plot" viewBox='), path
        check_html(lxml.html.document_fromstring(data), path)
        for reference in re.finditer(rb"&#([xX]?)([0-9a-fA-F]+);", data):
            code = int(reference[2], 16 if reference[1] else 10)
            assert allowed_in_html(code), f"{path}: {reference[0]!r}"


def allowed_in_html(code: int) -> bool:
    """Whether a character reference to `code` is one HTML and XML allow."""
    control = (code < 0x20 and code not in (0x9, 0xA)) or 0x7F <= code <= 0x9F
    noncharacter = 0xFDD0 <= code <= 0xFDEF or code & 0xFFFE == 0xFFFE
    return code <= 0x10FFFF and not control and not noncharacter and not 0xD800 <= code < 0xE000


def test_titles_and_names_come_out_as_the_text_written(built: dict[str, bytes]) -> None:
    for n, text in enumerate(TEXTS):
        page = lxml.html.document_fromstring(built[f"incidents/i{n}/index.html"])
        assert page.findtext(".//h1") == text.strip()
        title = text if text == TEXTS[0] else f"{text} · {TEXTS[0]}"  # the site's title once
        assert page.findtext(".//title") == title
        component = lxml.html.document_fromstring(built[f"components/c{n}/index.html"])
        assert component.findtext(".//h1") == text
        assert component.findtext(".//p[@class='description']") == TEXTS[-n - 1]
    home = lxml.html.document_fromstring(built["index.html"])
    assert home.findtext(".//a[@class='site-title']") == TEXTS[0]
    assert home.find(".//meta[@name='description']").get("content") == TEXTS[1]


def test_what_probes_say_comes_out_as_the_text_written(built: dict[str, bytes]) -> None:
    home = lxml.html.document_fromstring(built["index.html"])
    upstream = home.cssselect(".upstreams > li")[0]
    assert upstream.cssselect(".upstream-state")[0].text_content() == (
        f"{TEXTS[1]}: unknown ({TEXTS[5]})"
    )
    assert [li.text_content() for li in upstream.cssselect(".followed li")] == [
        f"{TEXTS[0]}: Operational",
        f"{TEXTS[2]}: unknown",
    ]
    component = lxml.html.document_fromstring(built["components/c3/index.html"])
    assert component.cssselect("p.banner")[0].text_content() == (
        "Major outage (measured by p3 since 23 Nov 2026, 12:00 UTC)"
    )
    # Its bar names the incident of its day by the title written.
    cell = component.cssselect(".bar a")[0]
    assert (
        cell.get("title") == f"20 Nov 2026 UTC: 92.91 % uptime, major outage. Incident: {TEXTS[3]}"
    )
    assert component.cssselect("section.chart h3")[0].text_content() == "p3"


def test_jinja_syntax_in_input_is_never_evaluated(built: dict[str, bytes]) -> None:
    n = TEXTS.index("{{ 7*7 }} {% if true %}jinja{% endif %} {# note #}")
    for path in (f"incidents/i{n}/index.html", f"components/c{n}/index.html"):
        assert lxml.html.document_fromstring(built[path]).findtext(".//h1") == TEXTS[n]
    assert b"49" not in built[f"incidents/i{n}/index.html"]


def test_markdown_links_are_kept_only_to_safe_places(built: dict[str, bytes]) -> None:
    # The message of i0 is MARKDOWN[0]: of its eight links, two keep their target.
    timeline = lxml.html.document_fromstring(built["incidents/i0/index.html"])
    links = timeline.findall(".//li[@id='update-1']//a")
    assert [(a.text, a.get("href")) for a in links if a.get("class") != "anchor"] == [
        ("a", None),
        ("b", None),
        ("c", None),
        ("d", None),
        ("e", None),
        ("f", None),
        ("g", "//evil.example/x"),
        ("h", "https://ok.example/ok"),
    ]
    images = lxml.html.document_fromstring(built["incidents/i2/index.html"])
    assert [(a.text, a.get("href")) for a in images.findall(".//li[@id='update-1']//p/a")] == [
        ("pixel", "https://evil.example/pixel.png"),
        ("svg", None),
        ("ref", "https://evil.example/i.png"),
    ]


def test_xml_feeds_are_well_formed_and_give_the_text_back(built: dict[str, bytes]) -> None:
    atom = "{http://www.w3.org/2005/Atom}"
    for path, data in files(built, ".rss"):
        channel = strict_xml(data).find("channel")
        assert channel is not None
        for item in channel.iter("item"):
            check_html(html_fragment(item.findtext("description") or ""), path)
    for path, data in files(built, ".atom"):
        feed = strict_xml(data)
        for entry in feed.iter(f"{atom}entry"):
            check_html(html_fragment(entry.findtext(f"{atom}content") or ""), path)
    for n, text in enumerate(TEXTS):
        feed = strict_xml(built[f"incidents/i{n}/feed.atom"])
        titles = [e.findtext(f"{atom}title") for e in feed.iter(f"{atom}entry")]
        assert titles == [f"Postmortem: {text}", f"Resolved: {text}", f"Investigating: {text}"]
        rss = strict_xml(built[f"incidents/i{n}/feed.rss"])
        assert [i.findtext("title") for i in rss.iter("item")] == titles
    home = strict_xml(built["feed.atom"])
    assert home.findtext(f"{atom}title") == TEXTS[0]
    assert home.findtext(f"{atom}subtitle") == f"Every update of every incident on {TEXTS[0]}."


def test_json_feeds_and_the_api_give_the_text_back(built: dict[str, bytes]) -> None:
    for path, data in files(built, ".json"):
        document = json.loads(data)
        for item in document.get("items", []):
            check_html(html_fragment(item["content_html"]), path)
    for n, text in enumerate(TEXTS):
        feed = json.loads(built[f"incidents/i{n}/feed.json"])
        assert [i["title"] for i in feed["items"]] == [
            f"Postmortem: {text}",
            f"Resolved: {text}",
            f"Investigating: {text}",
        ]
    summary = json.loads(built["api/v2/summary.json"])
    assert summary["page"]["name"] == TEXTS[0]
    assert summary["page"]["id"] == TEXTS[6]
    members = [c for c in summary["components"] if not c["group"]]
    assert [(c["name"], c["description"]) for c in members] == [
        (text, TEXTS[-n - 1]) for n, text in enumerate(TEXTS)
    ]
    incidents = json.loads(built["api/v2/incidents.json"])["incidents"]
    names = {i["id"]: i["name"] for i in incidents}
    assert {f"i{n}": names[f"i{n}"] for n in range(len(TEXTS))} == {
        f"i{n}": text for n, text in enumerate(TEXTS)
    }


def test_badges_are_well_formed_svg_naming_the_component(built: dict[str, bytes]) -> None:
    svg = "{http://www.w3.org/2000/svg}"
    states = {
        c["id"]: c["status"] for c in json.loads(built["api/v2/components.json"])["components"]
    }
    for n, text in enumerate(TEXTS):
        badge = strict_xml(built[f"badges/c{n}.svg"])
        state = ComponentState(states[f"c{n}"]).label.lower()
        assert badge.findtext(f"{svg}title") == f"{text}: {state}"
        assert badge.get("aria-label") == f"{text}: {state}"
        assert json.loads(built[f"badges/c{n}.json"])["label"] == text
        uptime = json.loads(built[f"badges/c{n}-uptime.json"])
        badge = strict_xml(built[f"badges/c{n}-uptime.svg"])
        assert uptime["label"] == f"{text} uptime"
        assert badge.findtext(f"{svg}title") == f"{text} uptime: {uptime['message']}"
        assert badge.get("aria-label") == f"{text} uptime: {uptime['message']}"
    for _, data in files(built, ".svg"):
        strict_xml(data)


# Text as `check` lets it through: no control characters but tab, newline and CR, no
# noncharacters U+FFFE and U+FFFF, no lone surrogates, no raw line separators.
ACCEPTED = st.text(
    st.characters(
        blacklist_categories=("Cs",),
        blacklist_characters="\x85\u2028\u2029\ufffe\uffff",
    ).filter(lambda c: c in "\t\n\r" or not ("\x00" <= c <= "\x1f" or "\x7f" <= c <= "\x9f")),
    max_size=80,
)
MARKUP = st.lists(
    st.one_of(ACCEPTED, st.sampled_from(["[", "](", "<", ">", "&#", "`", "*", "\n", ":", "!["])),
    max_size=12,
).map("".join)
RENDERER = MarkdownRenderer()
WHEN = datetime(2026, 11, 20, 14, 10, tzinfo=UTC)


@settings(max_examples=300, deadline=None)
@given(title=ACCEPTED, name=ACCEPTED, message=MARKUP)
def test_any_accepted_text_gives_well_formed_outputs(title: str, name: str, message: str) -> None:
    content = RENDERER.render(message)
    check_html(html_fragment(str(content)), "markdown")
    head = FeedHead(title, "https://status.test.example/", "https://s.example/f", name, name, "en")
    entry = Entry("https://status.test.example/#u-1", title, WHEN, WHEN, content, (name, "x"))
    rss = strict_xml(rss_document(head, [entry]))
    assert rss.findtext("channel/title") == title
    atom = strict_xml(atom_document(head, [entry]))
    atom_content = atom.findtext("{http://www.w3.org/2005/Atom}entry/{*}content") or ""
    assert atom_content == str(content)
    feed = json.loads(json_document(head, [entry]))
    assert (feed["title"], feed["items"][0]["content_html"]) == (title, str(content))
    badge = strict_xml(badge_svg(f"{name}!", ComponentState.PARTIAL_OUTAGE))
    assert badge.findtext("{*}title") == badge.get("aria-label") == f"{name}!: partial outage"

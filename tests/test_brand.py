"""sources.brandconfig: `brand:` in statuspage.yaml, its contrast checks and its logo; the pages."""

from __future__ import annotations

import math
import re

import lxml.html
import pytest

from statuspage.engine.build import build_site
from statuspage.errors import ValidationFailed
from statuspage.model.brand import Brand
from statuspage.sources import brandconfig
from statuspage.sources.brandconfig import (
    SURFACES,
    LogoError,
    contrast_ratio,
    failures,
    nearest_passing,
    sanitised_svg,
    shown_ratio,
)
from tests.conftest import CONFIG, NOW, REPO, RESOLVED, MakeSite, SiteDir, cold_build, snapshot

LINE = CONFIG.count("\n") + 1  # the line `brand:` is on
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/>'
    "</svg>"
)
BRAND = """\
brand:
  logo: brand/logo.svg
  logo_alt: Test & <Cloud>
  accent: "#0b5cad"
  link: https://www.test.example/home?a=1&b=2
  link_text: "<test.example>"
"""
# The header of every page without a brand, as it was before there were brands.
PLAIN_HEADER = """\
<header class="site-header">
<div class="wrap">
<a class="site-title" href="./">Test Cloud Status</a>
<nav aria-label="Site">
<ul>
<li><a href="./" aria-current="page">Status</a></li>
<li><a href="./history/">History</a></li>
<li><a href="#subscribe">Subscribe</a></li>
</ul>
</nav>
</div>
</header>
"""


def branded(make_site: MakeSite, brand: str, logo: str = LOGO, name: str = "logo.svg") -> SiteDir:
    site = make_site(config=CONFIG + brand, incidents={"db": RESOLVED})
    site.write(f"brand/{name}", logo)
    return site


# -- reading ------------------------------------------------------------------------------


def test_without_brand_the_config_has_an_empty_one(make_site: MakeSite) -> None:
    assert make_site().load().config.brand == Brand()


def test_a_brand_is_read_and_the_dark_accent_derived(make_site: MakeSite) -> None:
    brand = branded(make_site, BRAND).load().config.brand
    assert brand == Brand(
        logo_svg=(
            '<svg viewBox="0 0 10 10" class="brand-logo" role="img" '
            'aria-label="Test &amp; &lt;Cloud&gt;"><rect width="10" height="10"/></svg>'
        ),
        logo_alt="Test & <Cloud>",
        accent="#0b5cad",
        accent_dark="#3b84d8",
        link="https://www.test.example/home?a=1&b=2",
        link_text="<test.example>",
    )
    assert not failures("#3b84d8", "dark")
    assert nearest_passing("#0b5cad", "dark") == "#3b84d8"


def test_short_colours_are_spelt_out_and_link_text_is_the_host(make_site: MakeSite) -> None:
    text = 'brand:\n  accent: "#03A"\n  accent_dark: "#9cf"\n  link: https://www.test.example/\n'
    brand = make_site(config=CONFIG + text).load().config.brand
    assert (brand.accent, brand.accent_dark) == ("#0033aa", "#99ccff")
    assert (brand.link_text, brand.logo_svg) == ("www.test.example", None)


ERRORS = [
    ("  logo_url: x\n", f"{LINE + 1}:3: unknown key 'logo_url'; did you mean 'logo_alt'?"),
    ("  accent: [1]\n", f"{LINE + 1}:11: 'accent' must be text, not a list"),
    (
        "  logo: brand/missing.svg\n  logo_alt: X\n",
        f"{LINE + 1}:9: 'logo' names brand/missing.svg, which does not exist; add it, or fix "
        f"the path",
    ),
    (
        "  logo: brand/logo.png\n  logo_alt: X\n",
        f"{LINE + 1}:9: 'logo' must be an SVG file, such as brand/logo.svg, not "
        f"'brand/logo.png'; export it as SVG",
    ),
    (
        "  logo: ../logo.svg\n  logo_alt: X\n",
        f"{LINE + 1}:9: 'logo' must be a file in the site's brand/ folder, such as "
        f"brand/logo.svg, not '../logo.svg'",
    ),
    (
        "  logo: brand/logo.svg\n",
        f"{LINE + 1}:3: a logo needs 'logo_alt': the words screen readers say for it, such as "
        f"logo_alt: Example Cloud",
    ),
    ("  logo_alt: X\n", f"{LINE + 1}:3: 'logo_alt' describes 'logo'; add logo: or remove it"),
    (
        "  accent: blue\n",
        f"{LINE + 1}:11: 'accent' must be a colour written #rgb or #rrggbb, such as "
        f"\"#0b5cad\", not 'blue'",
    ),
    (
        "  accent: #0b5cad\n",
        f"{LINE + 1}:3: 'accent' is empty: in YAML a # starts a comment, so put the colour in "
        f'quotes, such as accent: "#0b5cad"',
    ),
    (
        '  accent: "#5a9bd5"\n',
        f"{LINE + 1}:11: 'accent' #5a9bd5 reaches 2.96:1 against the light background #ffffff "
        f"and 2.78:1 against the light cards' background #f6f8fa; links and focus rings are "
        f"drawn in it, so it needs 4.5:1; try #3576ae, the nearest colour of its hue that does",
    ),
    (
        '  accent: "#767676"\n',
        f"{LINE + 1}:11: 'accent' #767676 reaches 4.27:1 against the light cards' background "
        f"#f6f8fa; links and focus rings are drawn in it, so it needs 4.5:1; try #727272, the "
        f"nearest colour of its hue that does",
    ),
    (
        '  accent: "#0b5cad"\n  accent_dark: "#0b5cad"\n',
        f"{LINE + 2}:16: 'accent_dark' #0b5cad reaches 2.84:1 against the dark background "
        f"#0d1117 and 2.6:1 against the dark cards' background #151b23; links and focus rings "
        f"are drawn in it, so it needs 4.5:1; try #3b84d8, the nearest colour of its hue that "
        f"does",
    ),
    (
        '  accent_dark: "#6cb6ff"\n',
        f"{LINE + 1}:3: 'accent_dark' is the dark-mode twin of 'accent'; add accent: too",
    ),
    (
        "  link: ftp://example.com\n",
        f"{LINE + 1}:9: 'link' must be an absolute address such as https://www.example.com, "
        f"not 'ftp://example.com'",
    ),
    (
        "  link: javascript:alert(1)\n",
        f"{LINE + 1}:9: 'link' must be an absolute address such as https://www.example.com, "
        f"not 'javascript:alert(1)'",
    ),
    ("  link_text: X\n", f"{LINE + 1}:3: 'link_text' says what 'link' says; add link:"),
]


@pytest.mark.parametrize(("brand", "expected"), ERRORS)
def test_brand_problems(make_site: MakeSite, brand: str, expected: str) -> None:
    site = branded(make_site, "brand:\n" + brand)
    assert site.problems() == [f"statuspage.yaml:{expected}"]


LOGO_ERRORS = [
    (
        "<svg><rect></svg>",
        "is not valid XML (mismatched tag at line 1, column 14); export it as SVG again",
    ),
    ("", "is not valid XML (no element found at line 1, column 1); export it as SVG again"),
    ("<html/>", "is not an SVG image: its root element is <html>, not <svg>"),
    (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"><style>a{}</style></svg>',
        "has a <style> element, whose rules would apply to the whole page; export it with "
        "presentation attributes instead (Inkscape: Save as Optimized SVG; Illustrator: "
        "Styling, Presentation Attributes)",
    ),
    (
        '<!DOCTYPE svg [<!ENTITY a "b">]><svg>&a;</svg>',
        "declares XML entities (<!ENTITY ...>); export it again without a doctype",
    ),
    (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100%"/>',
        "has no viewBox, nor a width and height in pixels, to scale it by; add one to its "
        '<svg>, such as viewBox="0 0 120 40"',
    ),
    (
        "<svg>" + " " * brandconfig.MAX_LOGO_BYTES + "</svg>",
        "is larger than 65,536 bytes, the limit for a logo inlined in every page; simplify it "
        "(an optimiser such as svgo helps)",
    ),
]


@pytest.mark.parametrize(("logo", "expected"), LOGO_ERRORS)
def test_logo_problems(make_site: MakeSite, logo: str, expected: str) -> None:
    site = branded(make_site, "brand:\n  logo: brand/logo.svg\n  logo_alt: X\n", logo)
    assert site.problems() == [f"statuspage.yaml:{LINE + 1}:9: 'logo' brand/logo.svg {expected}"]


def test_a_problem_stops_the_build_before_it_writes(make_site: MakeSite) -> None:
    site = branded(make_site, 'brand:\n  accent: "#ffff00"\n')
    with pytest.raises(ValidationFailed) as failure:
        build_site(site.root, site.root / "public", NOW, use_cache=False)
    assert [str(problem) for problem in failure.value.problems] == [
        f"statuspage.yaml:{LINE + 1}:11: 'accent' #ffff00 reaches 1.07:1 against the light "
        f"background #ffffff and 1.01:1 against the light cards' background #f6f8fa; links and "
        f"focus rings are drawn in it, so it needs 4.5:1; try #777600, the nearest colour of "
        f"its hue that does"
    ]
    assert not (site.root / "public").exists()


# -- contrast -----------------------------------------------------------------------------


def test_contrast_of_known_pairs() -> None:
    assert shown_ratio(contrast_ratio("#777777", "#ffffff")) == "4.48:1"
    assert failures("#777777", "light")[0][:2] == ("background", "#ffffff")
    assert shown_ratio(contrast_ratio("#767676", "#ffffff")) == "4.54:1"
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#0b5cad", "#0b5cad") == 1
    assert shown_ratio(4.4999) == "4.49:1"  # never rounded up to a pass


def _oklch(colour: str) -> tuple[float, float, float]:
    return brandconfig._to_oklch(brandconfig._rgb(colour))


@pytest.mark.parametrize("mode", ["light", "dark"])
@pytest.mark.parametrize(
    "colour", ["#5a9bd5", "#ff0000", "#ffcc00", "#00aa55", "#8844ee", "#0b5cad", "#999999"]
)
def test_the_proposed_colour_passes_and_is_the_nearest_of_its_hue(colour: str, mode: str) -> None:
    proposed = nearest_passing(colour, mode)
    assert proposed is not None
    assert failures(proposed, mode) == []
    lightness, chroma, hue = _oklch(colour)
    new_lightness, new_chroma, new_hue = _oklch(proposed)
    if failures(colour, mode):
        assert (new_lightness < lightness) == (mode == "light")
        # one step back towards the colour fails: none nearer passes
        back = 0.01 if mode == "light" else -0.01
        nearer = brandconfig._at_lightness(new_lightness + back, new_chroma, new_hue)
        assert failures(nearer, mode)
    else:
        assert proposed == colour
    if chroma > 0.02 and new_chroma > 0.02:  # a grey has no hue
        turned = abs(math.remainder(new_hue - hue, math.tau))
        assert math.degrees(turned) < 3


def test_greys_stay_grey() -> None:
    assert nearest_passing("#999999", "light") == "#727272"
    assert nearest_passing("#444444", "dark") == "#828282"


def test_the_surfaces_are_the_stylesheet_s() -> None:
    css = (REPO / "site-template" / "style.css").read_text(encoding="utf-8")
    light, dark = css.split("@media (prefers-color-scheme: dark)", 1)

    def colour(block: str, name: str) -> str:
        match = re.search(rf"--{name}:\s*(#[0-9a-f]{{6}});", block)
        assert match is not None, name
        return match[1]

    expected = {
        "light": (
            ("background", colour(light, "bg")),
            ("cards' background", colour(light, "card")),
        ),
        "dark": (("background", colour(dark, "bg")), ("cards' background", colour(dark, "card"))),
    }
    assert expected == SURFACES
    # the default theme's own link colours pass the same check
    assert not failures(colour(light, "link"), "light")
    assert not failures(colour(dark, "link"), "dark")


# -- the logo -----------------------------------------------------------------------------

HOSTILE = b"""<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"
     xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
     width="120" height="40px" onload="alert(1)" role="presentation" class="x">
  <!-- a comment --><script>alert(2)</script>
  <metadata><title>rdf</title></metadata>
  <defs><linearGradient id="g"><stop offset="0" stop-color="#0b5cad"/></linearGradient></defs>
  <a href="https://evil.example/"><rect inkscape:label="r" fill="url(#g)" width="10"
     height="10" OnClick="x()"/></a>
  <image xlink:href="https://evil.example/x.png" href="data:image/png,x"/>
  <use xlink:href="#g"/><foreignObject><p xmlns="http://www.w3.org/1999/xhtml">hi</p></foreignObject>
  <set attributeName="href" to="javascript:alert(3)"/>
  <text x="1" y="2">A &amp; B &lt; <tspan>"C"</tspan></text>
  <rect style="fill: url('https://evil.example/#x')"/><rect style="fill: url('#g')"/>
</svg>
"""


def test_a_logo_is_sanitised() -> None:
    assert sanitised_svg(HOSTILE, 'Ex "Cloud"') == (
        '<svg viewBox="0 0 120 40" class="brand-logo" role="img" aria-label="Ex &quot;Cloud'
        '&quot;"><defs><linearGradient id="brand-g"><stop offset="0" stop-color="#0b5cad"/>'
        '</linearGradient></defs><rect fill="url(#brand-g)" width="10" height="10"/><image/>'
        '<use href="#brand-g"/><text x="1" y="2">A &amp; B &lt; <tspan>"C"</tspan></text>'
        "<rect/><rect style=\"fill: url('#brand-g')\"/></svg>"
    )


def test_a_logo_that_is_no_svg_is_refused() -> None:
    with pytest.raises(LogoError) as error:
        sanitised_svg(b'<svg xmlns="http://example.com/not-svg"/>', "X")
    assert str(error.value) == (
        "is not an SVG image: its <svg> is of another vocabulary; write "
        'xmlns="http://www.w3.org/2000/svg"'
    )


# -- the pages ----------------------------------------------------------------------------


def test_the_header_shows_the_logo_and_the_link_escaped(make_site: MakeSite) -> None:
    site = branded(make_site, BRAND)
    build_site(site.root, site.root / "public", NOW, use_cache=False)
    html = (site.root / "public" / "incidents" / "db" / "index.html").read_text()
    header = html[html.index("<header") : html.index("</header>") + len("</header>\n")]
    assert header == (
        '<header class="site-header">\n<div class="wrap">\n'
        '<a class="site-title" href="../../"><svg viewBox="0 0 10 10" class="brand-logo" '
        'role="img" aria-label="Test &amp; &lt;Cloud&gt;"><rect width="10" height="10"/></svg>'
        "Test Cloud Status</a>\n"
        '<nav aria-label="Site">\n<ul>\n'
        '<li><a href="../../">Status</a></li>\n'
        '<li><a href="../../history/">History</a></li>\n'
        '<li><a href="#subscribe">Subscribe</a></li>\n'
        '<li class="brand-link"><a href="https://www.test.example/home?a=1&amp;b=2" '
        'rel="noopener"><span aria-hidden="true">←</span> &lt;test.example&gt;</a></li>\n'
        "</ul>\n</nav>\n</div>\n</header>\n"
    )
    style = html[html.index("<style>") : html.index("</style>") + len("</style>")]
    assert style == (
        "<style>:root { --link: #0b5cad; --focus: #0b5cad; --accent: #0b5cad; }\n"
        "@media (prefers-color-scheme: dark) { :root { --link: #3b84d8; --focus: #3b84d8; "
        "--accent: #3b84d8; } }</style>"
    )
    root = lxml.html.fromstring(html)
    (title,) = root.cssselect(".site-title")
    assert title.text_content() == "Test Cloud Status"  # the title stays, beside the logo
    (logo,) = root.cssselect(".site-title svg")
    assert (logo.get("role"), logo.get("aria-label")) == ("img", "Test & <Cloud>")
    (back,) = root.cssselect(".brand-link a")
    assert (back.get("href"), back.text_content()) == (
        "https://www.test.example/home?a=1&b=2",
        "← <test.example>",
    )


def test_without_a_brand_pages_have_no_style_and_the_old_header(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED})
    build_site(site.root, site.root / "public", NOW, use_cache=False)
    pages = {p: b for p, b in snapshot(site.root / "public").items() if p.endswith(".html")}
    assert pages and not any(b"<style" in b or b"brand" in b for b in pages.values())
    index = pages["index.html"].decode()
    assert PLAIN_HEADER in index


def test_an_accent_without_a_logo_or_link_changes_only_the_head(make_site: MakeSite) -> None:
    plain = make_site(incidents={"db": RESOLVED})
    build_site(plain.root, plain.root.parent / "plain", NOW, use_cache=False)
    before = (plain.root.parent / "plain" / "index.html").read_text()
    plain.write("statuspage.yaml", CONFIG + 'brand:\n  accent: "#0b5cad"\n')
    build_site(plain.root, plain.root.parent / "accent", NOW, use_cache=False)
    after = (plain.root.parent / "accent" / "index.html").read_text()
    style = after[after.index("<style>") : after.index("</style>\n") + len("</style>\n")]
    assert after.replace(style, "") == before


def test_an_edited_logo_changes_the_pages_of_an_incremental_build(make_site: MakeSite) -> None:
    site = branded(make_site, BRAND)
    out = site.root / "public"
    build_site(site.root, out, NOW)
    first = snapshot(out)
    site.write("brand/logo.svg", LOGO.replace('width="10"', 'width="5"'))
    result = build_site(site.root, out, NOW)
    written = snapshot(out)
    assert written == cold_build(site, NOW)
    assert not result.unchanged
    assert written["index.html"] != first["index.html"]
    assert b'<rect width="5" height="10"/>' in written["incidents/db/index.html"]
    assert build_site(site.root, out, NOW).unchanged  # and then nothing more to do

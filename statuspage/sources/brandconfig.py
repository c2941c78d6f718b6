"""Read `brand:` in statuspage.yaml: the logo, the accent colours and the link back home.

    brand:
      logo: brand/logo.svg          # an SVG file in the site's brand/ folder
      logo_alt: Example Cloud       # required with a logo
      accent: "#0b5cad"             # links, focus rings and the header's bar, light mode
      accent_dark: "#6cb6ff"        # the same in dark mode (default: derived from accent)
      link: https://www.example.com
      link_text: example.com        # default: the link's host name

Each accent must reach 4.5:1 against the page colours it stands on; one that does not is
refused with the nearest colour of the same hue that does. The logo is inlined in every page,
so it is sanitised here, once: what could run, load or restyle the page is taken out.
"""

from __future__ import annotations

import math
import posixpath
import re
from collections import abc
from dataclasses import dataclass, field
from urllib.parse import urlsplit
from xml.parsers import expat

from ..model.brand import Brand
from .inputs import BRAND_DIR
from .limits import shown
from .yamlio import Mapping, read_address

BRAND_KEYS = ("logo", "logo_alt", "accent", "accent_dark", "link", "link_text")
MAX_LOGO_BYTES = 65_536

# -- colours -----------------------------------------------------------------------------

MIN_CONTRAST = 4.5  # WCAG 2.x, level AA, for text: links are text
# What links and the header's bar stand on: --bg and --card of site-template/style.css, in
# light and dark mode (tests/test_brand.py checks them against the stylesheet).
SURFACES: dict[str, tuple[tuple[str, str], ...]] = {
    "light": (("background", "#ffffff"), ("cards' background", "#f6f8fa")),
    "dark": (("background", "#0d1117"), ("cards' background", "#151b23")),
}
_COLOUR = re.compile(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})")

RGB = tuple[float, float, float]  # sRGB channels from 0 to 1


def parse_colour(written: str) -> str | None:
    """`#rgb` or `#rrggbb` as lowercase `#rrggbb`; None for anything else."""
    match = _COLOUR.fullmatch(written.strip())
    if match is None:
        return None
    digits = match[1].lower()
    return "#" + (digits if len(digits) == 6 else "".join(d * 2 for d in digits))


def _rgb(colour: str) -> RGB:
    return (
        int(colour[1:3], 16) / 255,
        int(colour[3:5], 16) / 255,
        int(colour[5:7], 16) / 255,
    )


def _hex(rgb: RGB) -> str:
    return "#" + "".join(f"{round(min(max(c, 0.0), 1.0) * 255):02x}" for c in rgb)


def _linear(channel: float) -> float:
    return channel / 12.92 if channel <= 0.04045 else float(((channel + 0.055) / 1.055) ** 2.4)


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a `#rrggbb` colour, from 0 (black) to 1 (white)."""
    r, g, b = map(_linear, _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one: str, other: str) -> float:
    """The WCAG 2.x contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    a, b = relative_luminance(one), relative_luminance(other)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def shown_ratio(ratio: float, needed: float = MIN_CONTRAST) -> str:
    """A ratio as messages write it, `4.48:1`; never rounded up to pass."""
    value = round(ratio, 2)
    if value >= needed > ratio:
        value = math.floor(ratio * 100) / 100
    return f"{value:.2f}".rstrip("0").rstrip(".") + ":1"


def failures(colour: str, mode: str) -> list[tuple[str, str, float]]:
    """The surfaces of `mode` (light or dark) `colour` stands out from too little, each with
    its name, colour and the ratio reached."""
    found = []
    for name, surface in SURFACES[mode]:
        ratio = contrast_ratio(colour, surface)
        if ratio < MIN_CONTRAST:
            found.append((name, surface, ratio))
    return found


# OKLab (Björn Ottosson's): lightness there is what the eye sees, so stepping it keeps the hue.


def _to_oklch(rgb: RGB) -> tuple[float, float, float]:
    r, g, b = map(_linear, rgb)
    l_ = (0.4122214708 * r + 0.5363325363 * g + 0.0514459929 * b) ** (1 / 3)
    m_ = (0.2119034982 * r + 0.6806995451 * g + 0.1073969566 * b) ** (1 / 3)
    s_ = (0.0883024619 * r + 0.2817188376 * g + 0.6299787005 * b) ** (1 / 3)
    lightness = 0.2104542553 * l_ + 0.7936177850 * m_ - 0.0040720468 * s_
    a = 1.9779984951 * l_ - 2.4285922050 * m_ + 0.4505937099 * s_
    b_ = 0.0259040371 * l_ + 0.7827717662 * m_ - 0.8086757660 * s_
    return lightness, math.hypot(a, b_), math.atan2(b_, a)


def _gamma(channel: float) -> float:
    if channel <= 0.0031308:
        return 12.92 * channel
    return 1.055 * float(channel ** (1 / 2.4)) - 0.055


def _from_oklch(lightness: float, chroma: float, hue: float) -> RGB | None:
    """The sRGB colour of an OKLCH one; None when it is outside sRGB."""
    a, b = chroma * math.cos(hue), chroma * math.sin(hue)
    l_ = (lightness + 0.3963377774 * a + 0.2158037573 * b) ** 3
    m_ = (lightness - 0.1055613458 * a - 0.0638541728 * b) ** 3
    s_ = (lightness - 0.0894841775 * a - 1.2914855480 * b) ** 3
    linear = (
        4.0767416621 * l_ - 3.3077115913 * m_ + 0.2309699292 * s_,
        -1.2684380046 * l_ + 2.6097574011 * m_ - 0.3413193965 * s_,
        -0.0041960863 * l_ - 0.7034186147 * m_ + 1.7076127010 * s_,
    )
    if any(not -1e-7 <= c <= 1 + 1e-7 for c in linear):
        return None
    r, g, b_ = (_gamma(min(max(c, 0.0), 1.0)) for c in linear)
    if chroma == 0:  # a grey: the matrices' rounding would tint it
        r = g = b_ = (r + g + b_) / 3
    return r, g, b_


def _at_lightness(lightness: float, chroma: float, hue: float) -> str:
    """The colour of that lightness and hue, its chroma lowered as far as sRGB needs."""
    rgb = _from_oklch(lightness, chroma, hue)
    if rgb is not None:
        return _hex(rgb)
    low, high = 0.0, chroma  # in gamut at 0 chroma (a grey), not at `chroma`
    for _ in range(24):
        middle = (low + high) / 2
        if _from_oklch(lightness, middle, hue) is None:
            high = middle
        else:
            low = middle
    rgb = _from_oklch(lightness, low, hue)
    assert rgb is not None  # a grey is in gamut at every lightness from 0 to 1
    return _hex(rgb)


def nearest_passing(colour: str, mode: str) -> str | None:
    """The colour of the same hue nearest `colour` in lightness that reaches MIN_CONTRAST on
    every surface of `mode`: darker for light mode, lighter for dark; None if none does."""
    lightness, chroma, hue = _to_oklch(_rgb(colour))
    chroma = 0.0 if chroma < 1e-4 else chroma  # a grey has no hue to keep
    step = -0.01 if mode == "light" else 0.01
    end = 0.0 if mode == "light" else 1.0

    def passes(value: float) -> bool:
        return not failures(_at_lightness(value, chroma, hue), mode)

    if passes(lightness):
        return colour
    failing, trying = lightness, lightness
    while True:  # a bracket: the last lightness that fails, the first that passes
        trying = max(trying + step, end) if step < 0 else min(trying + step, end)
        if passes(trying):
            break
        if trying == end:
            return None
        failing = trying
    for _ in range(30):  # then the edge between them
        middle = (failing + trying) / 2
        if passes(middle):
            trying = middle
        else:
            failing = middle
    return _at_lightness(trying, chroma, hue)


# -- reading ------------------------------------------------------------------------------


def read_brand(top: Mapping, files: abc.Mapping[str, str]) -> Brand | None:
    """The `brand:` settings under `top`, or None after reporting what is wrong.

    `files` holds the files of the site's brand/ folder: the path shown in messages (from the
    site root), and the path to read.
    """
    if "brand" not in top:
        return Brand()
    section = Mapping.read(top.file, top.get("brand"), "'brand'", BRAND_KEYS)
    if section is None:
        return None
    problems = len(top.file.problems)
    logo_alt = _read_logo_alt(section)
    logo = _read_logo(section, files, logo_alt) if "logo" in section else None
    accent = _read_colour(section, "accent")
    accent_dark = _read_colour(section, "accent_dark")
    if accent is not None:
        accent = _check_contrast(section, "accent", accent, "light")
    if accent_dark is not None:
        if accent is None and "accent" not in section.keys:
            top.file.report(
                section.keys["accent_dark"],
                "'accent_dark' is the dark-mode twin of 'accent'; add accent: too",
            )
        accent_dark = _check_contrast(section, "accent_dark", accent_dark, "dark")
    elif accent is not None:
        accent_dark = nearest_passing(accent, "dark")
        if accent_dark is None:  # pragma: no cover - white passes on the dark surfaces
            top.file.report(
                section.get("accent"),
                f"no lighter colour of the hue of {accent} stands out from the dark "
                f"background; set accent_dark: to a light colour",
            )
    link = _read_link(section)
    link_text = section.text("link_text")
    if link_text is not None and "link" not in section:
        top.file.report(section.keys["link_text"], "'link_text' says what 'link' says; add link:")
    if len(top.file.problems) > problems:
        return None
    if link is not None and link_text is None:
        link_text = urlsplit(link).hostname
    return Brand(
        logo_svg=logo,
        logo_alt=logo_alt if logo is not None else None,
        accent=accent,
        accent_dark=accent_dark if accent is not None else None,
        link=link,
        link_text=link_text.strip() if link_text is not None else None,
    )


def _read_logo_alt(section: Mapping) -> str | None:
    alt = section.text("logo_alt")
    if alt is not None and "logo" not in section:
        section.file.report(
            section.keys["logo_alt"], "'logo_alt' describes 'logo'; add logo: or remove it"
        )
    if alt is None and "logo" in section and "logo_alt" not in section.keys:
        section.file.report(
            section.keys["logo"],
            "a logo needs 'logo_alt': the words screen readers say for it, such as "
            "logo_alt: Example Cloud",
        )
    return " ".join(alt.split()) if alt is not None else None


def _read_colour(section: Mapping, key: str) -> str | None:
    if key not in section:
        if key in section.keys:  # `accent: #0b5cad`, which YAML reads as a comment
            section.file.report(
                section.keys[key],
                f"'{key}' is empty: in YAML a # starts a comment, so put the colour in "
                f'quotes, such as {key}: "#0b5cad"',
            )
        return None
    written = section.text(key)
    if written is None:
        return None
    colour = parse_colour(written)
    if colour is None:
        section.file.report(
            section.get(key),
            f"'{key}' must be a colour written #rgb or #rrggbb, such as \"#0b5cad\", "
            f"not '{shown(written)}'",
        )
    return colour


def _check_contrast(section: Mapping, key: str, colour: str, mode: str) -> str | None:
    """`colour` if it stands out enough in `mode`; else None, reported with a better one."""
    failed = failures(colour, mode)
    if not failed:
        return colour
    reached = " and ".join(
        f"{shown_ratio(ratio)} against the {mode} {name} {surface}"
        for name, surface, ratio in failed
    )
    better = nearest_passing(colour, mode)
    what = "links and focus rings are drawn in it, so it needs"
    then = f"; try {better}, the nearest colour of its hue that does" if better else ""
    section.file.report(
        section.get(key),
        f"'{key}' {colour} reaches {reached}; {what} {shown_ratio(MIN_CONTRAST)}{then}",
    )
    return None


def _read_link(section: Mapping) -> str | None:
    if "link" not in section:
        return None
    return read_address(section, "link", "https://www.example.com")


def _read_logo(section: Mapping, files: abc.Mapping[str, str], alt: str | None) -> str | None:
    """The logo as sanitised <svg> markup, or None after reporting why it cannot be."""
    node = section.get("logo")
    written = section.text("logo")
    if node is None or written is None:
        return None

    def report(message: str) -> None:
        section.file.report(node, message)

    relative = posixpath.normpath(written.strip())
    example = f"such as {BRAND_DIR}/logo.svg"
    if not relative.startswith(f"{BRAND_DIR}/"):
        report(
            f"'logo' must be a file in the site's {BRAND_DIR}/ folder, {example}, "
            f"not '{shown(written)}'"
        )
        return None
    if not relative.endswith(".svg"):
        report(f"'logo' must be an SVG file, {example}, not '{shown(written)}'; export it as SVG")
        return None
    path = files.get(relative)
    if path is None:
        report(f"'logo' names {shown(relative)}, which does not exist; add it, or fix the path")
        return None
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - the scan's str path
            data = handle.read(MAX_LOGO_BYTES + 1)
    except OSError as error:
        report(f"'logo' {shown(relative)} cannot be read: {error.strerror}")
        return None
    if len(data) > MAX_LOGO_BYTES:
        report(
            f"'logo' {shown(relative)} is larger than {MAX_LOGO_BYTES:,} bytes, the limit for "
            f"a logo inlined in every page; simplify it (an optimiser such as svgo helps)"
        )
        return None
    try:
        return sanitised_svg(data, alt or "")
    except LogoError as error:
        report(f"'logo' {shown(relative)} {error}")
        return None


# -- the logo -----------------------------------------------------------------------------


class LogoError(ValueError):
    """Why an SVG file cannot be a logo: what follows its name in a message."""


_SVG = "http://www.w3.org/2000/svg"
_XLINK = "http://www.w3.org/1999/xlink"
_XML = "http://www.w3.org/XML/1998/namespace"
ID_PREFIX = "brand-"  # the logo's ids share the page's: prefixed, they meet none of its own

# Left out with what they hold: what runs, embeds another document or moves; metadata.
_DROPPED = frozenset(
    {
        "script",
        "foreignObject",
        "animate",
        "animateMotion",
        "animateTransform",
        "set",
        "discard",
        "metadata",
    }
)
_UNWRAPPED = frozenset({"a"})  # a link inside the title's link: its content stays
_TEXTUAL = frozenset({"text", "tspan", "textPath", "title", "desc"})  # spaces there count
_LOCAL_URL = re.compile(r"url\(\s*(['\"]?)#")
_ANY_URL = re.compile(r"url\(", re.IGNORECASE)
_NUMBER = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(?:px)?\s*")


@dataclass
class _Element:
    name: str  # the local name; every element kept is SVG's
    attributes: list[tuple[str, str]]
    children: list[_Element | str] = field(default_factory=list)


def sanitised_svg(data: bytes, label: str) -> str:
    """An SVG file as an <svg> element to inline in HTML, named `label` for screen readers.

    Left out: scripts, event handlers (on...), <foreignObject>, animation, links to anything
    outside the logo, elements and attributes of other vocabularies (an editor's), comments,
    the XML declaration and any doctype. Refused (LogoError): a file that is not XML with an
    <svg> root, declares entities, or has a <style>, whose rules would restyle the page.
    """
    root = _parse(data)
    try:
        svg = _clean(root, root=True)
    except RecursionError:
        raise LogoError("nests its elements too deep; simplify it") from None
    assert isinstance(svg, _Element)  # the root is an <svg>, which is kept
    attributes = [
        (name, value)
        for name, value in svg.attributes
        if name not in ("width", "height", "class", "role") and not name.startswith("aria-")
    ]
    if not any(name == "viewBox" for name, _ in attributes):
        box = _view_box(root)
        if box is None:
            raise LogoError(
                "has no viewBox, nor a width and height in pixels, to scale it by; add one to "
                'its <svg>, such as viewBox="0 0 120 40"'
            )
        attributes.append(("viewBox", box))
    attributes += [("class", "brand-logo"), ("role", "img"), ("aria-label", label)]
    svg.attributes = attributes
    try:
        return _serialise(svg)
    except RecursionError:  # pragma: no cover - _clean went as deep
        raise LogoError("nests its elements too deep; simplify it") from None


def _parse(data: bytes) -> _Element:
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.ordered_attributes = True
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    stack: list[_Element] = []
    top: list[_Element] = []

    def start(name: str, attributes: list[str]) -> None:
        pairs = list(zip(attributes[::2], attributes[1::2], strict=True))
        element = _Element(name, pairs)
        if stack:
            stack[-1].children.append(element)
        else:
            top.append(element)
        stack.append(element)

    def end(name: str) -> None:
        stack.pop()

    def text(data: str) -> None:
        if stack:
            children = stack[-1].children
            if children and isinstance(children[-1], str):
                children[-1] += data
            else:
                children.append(data)

    def entity(*args: object) -> None:
        raise LogoError("declares XML entities (<!ENTITY ...>); export it again without a doctype")

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    parser.EntityDeclHandler = entity
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        where = f"line {error.lineno}, column {error.offset + 1}"
        reason = expat.ErrorString(error.code)
        raise LogoError(f"is not valid XML ({reason} at {where}); export it as SVG again") from None
    root = top[0]
    namespace, _, local = root.name.rpartition(" ")
    if local != "svg":
        raise LogoError(f"is not an SVG image: its root element is <{local}>, not <svg>")
    if namespace not in ("", _SVG):
        raise LogoError(
            f'is not an SVG image: its <svg> is of another vocabulary; write xmlns="{_SVG}"'
        )
    return root


def _clean(element: _Element, root: bool = False) -> _Element | list[_Element | str] | None:
    """The element without what is left out; None if it goes; its children if unwrapped."""
    namespace, _, local = element.name.rpartition(" ")
    if namespace not in ("", _SVG) or local in _DROPPED:
        return None
    if local == "style":
        raise LogoError(
            "has a <style> element, whose rules would apply to the whole page; export it "
            "with presentation attributes instead (Inkscape: Save as Optimized SVG; "
            "Illustrator: Styling, Presentation Attributes)"
        )
    children: list[_Element | str] = []
    for child in element.children:
        if isinstance(child, str):
            if local in _TEXTUAL or child.strip():
                children.append(child)
            continue
        kept = _clean(child)
        if isinstance(kept, list):
            children.extend(kept)
        elif kept is not None:
            children.append(kept)
    if local in _UNWRAPPED and not root:
        return children
    attributes = [pair for name, value in element.attributes if (pair := _attribute(name, value))]
    return _Element(local, attributes, children)


def _attribute(name: str, value: str) -> tuple[str, str] | None:
    """An attribute as kept: renamed, its ids prefixed; None when it is left out."""
    namespace, _, local = name.rpartition(" ")
    if namespace == _XLINK and local == "href":
        namespace = ""
    elif namespace == _XML and local == "space":
        return "xml:space", value
    if namespace or local.lower().startswith("on"):
        return None
    if local == "href":
        if not value.strip().startswith("#"):
            return None
        return "href", f"#{ID_PREFIX}{value.strip()[1:]}"
    if local == "id":
        return "id", f"{ID_PREFIX}{value}"
    if len(_ANY_URL.findall(value)) != len(_LOCAL_URL.findall(value)):
        return None  # url(...) of something outside the logo
    return local, _LOCAL_URL.sub(lambda m: f"url({m[1]}#{ID_PREFIX}", value)


def _view_box(svg: _Element) -> str | None:
    """`0 0 width height` from the root's width and height, when those are in pixels."""
    sizes = dict(svg.attributes)
    width, height = (_NUMBER.fullmatch(sizes.get(key, "")) for key in ("width", "height"))
    if width is None or height is None:
        return None
    return f"0 0 {width[1]} {height[1]}"


def _escape(text: str, quote: bool) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def _serialise(element: _Element) -> str:
    attributes = "".join(f' {name}="{_escape(value, True)}"' for name, value in element.attributes)
    if not element.children:
        return f"<{element.name}{attributes}/>"
    inner = "".join(
        _escape(child, False) if isinstance(child, str) else _serialise(child)
        for child in element.children
    )
    return f"<{element.name}{attributes}>{inner}</{element.name}>"

"""Status badges: a small SVG per component and for the whole page, and shields.io endpoints;
and each component's uptime over the last 90 days, alike."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import ClassVar

from markupsafe import escape

from ..model import ComponentState, IncidentSummary
from ..model.uptime import BAR_DAYS
from .jobs import Job, KeyMaker, RenderContext
from .views import SiteIndex

# Badge colours: each passes WCAG AA (4.5:1) with white text; shields.io names alike.
BADGE_COLOURS = {
    ComponentState.OPERATIONAL: ("#1a7f37", "brightgreen"),
    ComponentState.UNDER_MAINTENANCE: ("#0550ae", "blue"),
    ComponentState.DEGRADED_PERFORMANCE: ("#7d4e00", "yellow"),
    ComponentState.PARTIAL_OUTAGE: ("#a0410d", "orange"),
    ComponentState.MAJOR_OUTAGE: ("#b31d28", "red"),
}
BADGE_MESSAGES = {
    ComponentState.OPERATIONAL: "all systems operational",
    ComponentState.UNDER_MAINTENANCE: "maintenance in progress",
    ComponentState.DEGRADED_PERFORMANCE: "degraded performance",
    ComponentState.PARTIAL_OUTAGE: "partial outage",
    ComponentState.MAJOR_OUTAGE: "major outage",
}

UPTIME_DAYS = BAR_DAYS
"""The window of the uptime badges: the longest the site gives a figure over."""
# Uptime colours: the first whose threshold (in hundredths of a percent) the shown figure
# reaches; each passes WCAG AA with white text, as the state colours do.
UPTIME_COLOURS = (
    (9990, "#1a7f37", "brightgreen"),
    (9900, "#4d7a00", "yellowgreen"),
    (9500, "#a0410d", "orange"),
    (0, "#b31d28", "red"),
)
NO_DATA_COLOURS = ("#6a737d", "lightgrey")
UPTIME_SUFFIX = "-uptime"


class BadgeRenderer:
    """Plans and renders the badges of the site's overall state and of each component."""

    kinds: ClassVar[Mapping[str, float]] = {"badge": 0.2}

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        self.index = index
        self._keys = KeyMaker("badges", index.config_key)

    def incident_base(self) -> str:
        """Nothing: no badge is made for one incident."""
        return ""

    def plan_incident(self, incident: IncidentSummary) -> list[Job]:
        """No badge is made for one incident."""
        return []

    def plan_site(self) -> list[Job]:
        """An SVG and a shields.io document for the page's overall state and each component,
        and for each component's uptime."""
        index = self.index
        jobs = []
        for stem, label, state in [
            ("status", "status", index.overall),
            *((c.id, c.name, index.states[c.id]) for c in index.site.components),
        ]:
            for fmt in ("svg", "json"):
                path = f"badges/{stem}.{fmt}"
                jobs.append(self._keys.job(path, "badge", (stem, fmt), depends=[label, state]))
        for component in index.site.components:
            shown = self._uptime(component.id)
            for fmt in ("svg", "json"):
                path = f"badges/{component.id}{UPTIME_SUFFIX}.{fmt}"
                args = (component.id, fmt, "uptime")
                jobs.append(self._keys.job(path, "badge", args, depends=[component.name, shown]))
        return jobs

    def render(self, job: Job) -> bytes:
        """The bytes of one badge."""
        stem, fmt = str(job.args[0]), str(job.args[1])
        if job.args[2:] == ("uptime",):
            label = f"{self.index.components[stem].name} uptime"
            percent = self._uptime(stem)
            if fmt == "svg":
                return uptime_badge_svg(label, percent)
            return uptime_badge_json(label, percent)
        if stem == "status":
            label, state = "status", self.index.overall
        else:
            label, state = self.index.components[stem].name, self.index.states[stem]
        return badge_svg(label, state) if fmt == "svg" else badge_json(label, state)

    def _uptime(self, component: str) -> str | None:
        """The component's uptime as its badge shows it: with its name, all its bytes show."""
        return self.index.uptime()[component].figure(UPTIME_DAYS).percent


def _text_width(text: str) -> int:
    """The width of `text` in 11-pixel Verdana, near enough to size a badge."""
    narrow, wide = "fijlrt.,:;!|' ", "mwMW@%"
    return round(sum(3.5 if c in narrow else 9.5 if c in wide else 7 for c in text))


def _xml_text(text: str) -> str:
    """`text` as XML character data; a CR kept, which XML would read back as a newline."""
    return str(escape(text)).replace("\r", "&#13;")


def _xml_attribute(text: str) -> str:
    """`text` as an XML attribute value; tabs and line breaks kept, which XML folds to spaces."""
    escaped = _xml_text(text).replace("\n", "&#10;")
    return escaped.replace("\t", "&#9;")


def badge_svg(label: str, state: ComponentState) -> bytes:
    """A small flat badge: the label on grey, the state in its colour; readable and named."""
    message = BADGE_MESSAGES[state] if label == "status" else state.label.lower()
    return _svg(label, message, BADGE_COLOURS[state][0])


def uptime_colours(percent: str | None) -> tuple[str, str]:
    """The colour of an uptime badge, and shields.io's name for it, from the shown figure."""
    if percent is None:
        return NO_DATA_COLOURS
    whole, _, hundredths = percent.partition(".")
    shown = int(whole) * 100 + int(hundredths)
    return next((svg, name) for floor, svg, name in UPTIME_COLOURS if shown >= floor)


def uptime_badge_svg(label: str, percent: str | None) -> bytes:
    """A badge of uptime: 'Public API uptime | 99.95%', coloured by the figure."""
    message = "no data" if percent is None else f"{percent}%"
    return _svg(label, message, uptime_colours(percent)[0])


def uptime_badge_json(label: str, percent: str | None) -> bytes:
    """The shields.io endpoint document of an uptime badge."""
    message = "no data" if percent is None else f"{percent}%"
    return _endpoint(label, message, uptime_colours(percent)[1])


def _svg(label: str, message: str, colour: str) -> bytes:
    left, right = _text_width(label) + 12, _text_width(message) + 12
    title = _xml_text(f"{label}: {message}")
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + right}" height="20" '
        f'role="img" aria-label="{_xml_attribute(f"{label}: {message}")}"><title>{title}</title>'
        f'<rect width="{left}" height="20" fill="#555"/>'
        f'<rect x="{left}" width="{right}" height="20" fill="{colour}"/>'
        f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" '
        f'text-anchor="middle"><text x="{left / 2:g}" y="14">{_xml_text(label)}</text>'
        f'<text x="{left + right / 2:g}" y="14">{_xml_text(message)}</text></g></svg>\n'
    )
    return svg.encode()


def badge_json(label: str, state: ComponentState) -> bytes:
    """A shields.io endpoint document, for badges in shields.io's styles."""
    message = BADGE_MESSAGES[state] if label == "status" else state.label.lower()
    return _endpoint(label, message, BADGE_COLOURS[state][1])


def _endpoint(label: str, message: str, colour: str) -> bytes:
    document = {"schemaVersion": 1, "label": label, "message": message, "color": colour}
    return (json.dumps(document, ensure_ascii=False) + "\n").encode()

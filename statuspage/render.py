"""Render the HTML pages: pure functions of the loaded Site, the build's clock and the theme."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2
from markupsafe import Markup

from .errors import ThemeError
from .models import Component, ComponentState, Incident, Site, Status, worst
from .outputs import Output
from .richtext import MarkdownRenderer
from .theme import Theme
from .timefmt import format_date, format_day, format_duration, format_month, format_time, iso

PAGE_SIZE = 50
RECENT_DAYS = 14
UPDATE_HEADING_LEVEL = 4  # messages sit under an <h3> per update
SECTION_HEADING_LEVEL = 3  # transparency sections sit under an <h2>

BANNERS = {
    ComponentState.OPERATIONAL: "All systems operational",
    ComponentState.UNDER_MAINTENANCE: "Maintenance in progress",
    ComponentState.DEGRADED_PERFORMANCE: "Degraded performance",
    ComponentState.PARTIAL_OUTAGE: "Partial system outage",
    ComponentState.MAJOR_OUTAGE: "Major system outage",
}

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page:
    """What every template knows of the page it renders."""

    path: str  # output file, e.g. incidents/db/index.html
    root: str  # prefix from this page to the site root, e.g. ../../
    title: str
    description: str
    canonical: str


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where a page of a long list sits among its siblings; links are relative to it."""

    number: int
    count: int
    previous: str | None
    next: str | None


@dataclass(frozen=True, slots=True)
class UpdateView:
    """An update with its message as HTML and the component states it changed."""

    number: int
    at: datetime
    status: Status
    html: Markup
    transitions: tuple[tuple[Component, ComponentState, ComponentState], ...]


@dataclass(frozen=True, slots=True)
class IncidentView:
    """An incident with everything its pages show already rendered."""

    incident: Incident
    components: tuple[Component, ...]
    updates: tuple[UpdateView, ...]
    admission: Markup | None
    cause: Markup | None
    fix: Markup | None
    prevention: Markup | None

    @property
    def latest(self) -> UpdateView:
        """The newest update."""
        return self.updates[-1]


@dataclass(frozen=True, slots=True)
class ComponentGroup:
    """Components shown together under a group name (None for a component on its own)."""

    name: str | None
    rows: tuple[tuple[Component, ComponentState], ...]

    @property
    def state(self) -> ComponentState:
        """The worst state among the group's components."""
        return worst(state for _, state in self.rows)


@dataclass(frozen=True, slots=True)
class Day:
    """One day of the index page's recent history."""

    start: datetime  # local midnight
    incidents: tuple[Incident, ...]


def render_pages(site: Site, now: datetime, theme: Theme) -> list[Output]:
    """Every HTML page and static file of the site, for the given clock."""
    return HtmlRenderer(site, now, theme).render()


def make_environment(theme: Theme, zone: ZoneInfo) -> jinja2.Environment:
    """A Jinja2 environment over the theme's templates, with time filters in `zone`."""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name not in theme.templates:
            return None
        return theme.templates[name], theme.origins[name], lambda: True

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    def time_element(moment: datetime) -> Markup:
        return Markup('<time datetime="{}">{}</time>').format(
            iso(moment, zone), format_time(moment, zone)
        )

    def day_element(day: date) -> Markup:
        return Markup('<time datetime="{}">{}</time>').format(day.isoformat(), format_day(day))

    def date_element(moment: datetime) -> Markup:
        return day_element(moment.astimezone(zone).date())

    env.filters["time"] = time_element
    env.filters["date"] = date_element
    env.filters["day"] = day_element
    env.filters["month"] = lambda moment: format_month(moment, zone)
    env.filters["duration"] = format_duration
    env.filters["iso"] = lambda moment: iso(moment, zone)
    return env


def theme_error(error: jinja2.TemplateError, template: str, theme: Theme) -> ThemeError:
    """A ThemeError naming the template file and line where `error` arose."""
    origins = set(theme.origins.values())
    where = theme.origins.get(template, template)
    line = 0
    if isinstance(error, jinja2.TemplateSyntaxError):
        where, line = error.filename or where, error.lineno
    else:
        trace = error.__traceback__
        while trace is not None:  # the innermost template frame is where it happened
            if trace.tb_frame.f_code.co_filename in origins:
                where, line = trace.tb_frame.f_code.co_filename, trace.tb_lineno
            trace = trace.tb_next
    position = f"{where}:{line}" if line else where
    return ThemeError(f"{position}: {error.message or type(error).__name__}")


def paginate(items: Sequence[T], size: int = PAGE_SIZE) -> list[Sequence[T]]:
    """Split `items` into pages of `size`; an empty list still gives one (empty) page."""
    return [items[i : i + size] for i in range(0, len(items), size)] or [items[:0]]


def page_path(base: str, number: int) -> str:
    """The file of page `number` of a list at `base`: base/index.html, base/page/2/index.html."""
    prefix = f"{base}/" if base else ""
    return f"{prefix}index.html" if number == 1 else f"{prefix}page/{number}/index.html"


def relative_root(path: str) -> str:
    """The prefix that leads from the page at `path` back to the site root ('./' at the top)."""
    return "../" * path.count("/") or "./"


class HtmlRenderer:
    """Renders the pages of one site at one moment; incident HTML is rendered once and shared."""

    def __init__(self, site: Site, now: datetime, theme: Theme) -> None:
        self.site = site
        self.config = site.config
        self.now = now
        self.theme = theme
        self.env = make_environment(theme, site.config.zone)
        self.markdown = MarkdownRenderer()
        self.states = site.current_states()
        self.components = {c.id: c for c in site.components}
        self._views: dict[str, IncidentView] = {}
        self._globals: dict[str, Any] = {
            "site": self.config,
            "now": now,
            "zone": self.config.timezone,
            "states": self.states,
            "overall": worst(self.states.values()),
            "banners": BANNERS,
        }

    def render(self) -> list[Output]:
        """All pages and static files."""
        outputs = [Output(path, content) for path, content in sorted(self.theme.assets.items())]
        outputs.append(self.render_index())
        outputs.append(self.render_not_found())
        outputs.extend(self.render_incident(incident) for incident in self.site.incidents)
        outputs.extend(self.render_history())
        for component in self.site.components:
            outputs.extend(self.render_component(component))
        return outputs

    # -- shared pieces -------------------------------------------------------

    def view(self, incident: Incident) -> IncidentView:
        """The incident with its Markdown rendered, made once per build."""
        cached = self._views.get(incident.id)
        if cached is not None:
            return cached
        render = self.markdown.render
        updates = tuple(
            UpdateView(
                number=update.number,
                at=update.at,
                status=update.status,
                html=render(update.message, UPDATE_HEADING_LEVEL),
                transitions=tuple((self.components[cid], old, new) for cid, old, new in changes),
            )
            for update, changes in zip(incident.updates, incident.transitions(), strict=True)
        )

        def section(text: str | None) -> Markup | None:
            return render(text, SECTION_HEADING_LEVEL) if text else None

        view = IncidentView(
            incident=incident,
            components=tuple(self.components[cid] for cid in incident.components),
            updates=updates,
            admission=section(incident.admission),
            cause=section(incident.cause),
            fix=section(incident.fix),
            prevention=section(incident.prevention_text),
        )
        self._views[incident.id] = view
        return view

    def page(self, path: str, title: str, description: str) -> Page:
        """The Page for an output file; its canonical URL is the folder for index.html files."""
        public = path.removesuffix("index.html")
        return Page(
            path=path,
            root=relative_root(path),
            title=title,
            description=description,
            canonical=f"{self.config.url}/{public}",
        )

    def write(self, template: str, page: Page, **context: Any) -> Output:
        """Render `template` for `page` with `context` on top of the site-wide values."""
        try:
            html = self.env.get_template(template).render(**self._globals, page=page, **context)
        except jinja2.TemplateError as error:
            raise theme_error(error, template, self.theme) from error
        return Output(page.path, html.encode("utf-8"))

    def pagination(self, base: str, number: int, count: int) -> Pagination:
        """Links from page `number` of the list at `base` to its neighbours."""
        up = relative_root(page_path(base, number))

        def link(target: int) -> str | None:
            if not 1 <= target <= count:
                return None
            return up + page_path(base, target).removesuffix("index.html")

        return Pagination(number, count, link(number - 1), link(number + 1))

    # -- pages ---------------------------------------------------------------

    def render_index(self) -> Output:
        """The status page: banner, components, what is happening now, the last two weeks."""
        incidents = self.site.incidents
        active = [self.view(i) for i in incidents if i.is_open and not i.is_maintenance]
        maintenance = [
            self.view(i) for i in incidents if i.is_maintenance and i.is_open and i.has_begun
        ]
        upcoming = sorted(
            (i for i in incidents if i.is_maintenance and not i.has_begun),
            key=lambda i: (i.sort_at, i.id),
        )
        description = self.config.description or (
            f"Current status of {self.config.title}: components, incidents and maintenance."
        )
        page = self.page("index.html", self.config.title, description)
        return self.write(
            "index.html",
            page,
            groups=self.component_groups(),
            active=active,
            maintenance=maintenance,
            upcoming=[self.view(i) for i in upcoming],
            days=self.recent_days(),
        )

    def component_groups(self) -> list[ComponentGroup]:
        """Components in config order, grouped; a group shows where its first member is."""
        slots: list[str | Component] = []  # a group's name, or a component on its own
        members: dict[str, list[Component]] = {}
        for component in self.site.components:
            if component.group is None:
                slots.append(component)
            elif component.group in members:
                members[component.group].append(component)
            else:
                members[component.group] = [component]
                slots.append(component.group)

        def rows(components: Iterable[Component]) -> tuple[tuple[Component, ComponentState], ...]:
            return tuple((c, self.states[c.id]) for c in components)

        return [
            ComponentGroup(slot, rows(members[slot]))
            if isinstance(slot, str)
            else ComponentGroup(None, rows([slot]))
            for slot in slots
        ]

    def recent_days(self) -> list[Day]:
        """The last RECENT_DAYS days in the site's zone, newest first, with what began on each."""
        zone = self.config.zone
        today = self.now.astimezone(zone).date()
        days = [today - timedelta(days=back) for back in range(RECENT_DAYS)]
        by_day: dict[date, list[Incident]] = {day: [] for day in days}
        for incident in self.site.incidents:  # newest first
            day = incident.sort_at.astimezone(zone).date()
            if day < days[-1]:
                break
            if incident.sort_at <= self.now and day in by_day:
                by_day[day].append(incident)
        return [Day(datetime(d.year, d.month, d.day, tzinfo=zone), tuple(by_day[d])) for d in days]

    def render_incident(self, incident: Incident) -> Output:
        """One incident's page: summary, timeline and the four transparency sections."""
        view = self.view(incident)
        kind = "Maintenance" if incident.is_maintenance else "Incident"
        when = format_date(incident.sort_at, self.config.zone)
        state = incident.status.label.lower()
        description = f"{kind} on {when}, {state}: {incident.title}."
        page = self.page(f"incidents/{incident.id}/index.html", incident.title, description)
        return self.write("incident.html", page, view=view)

    def render_history(self) -> list[Output]:
        """Every incident and maintenance, newest first, a page of PAGE_SIZE at a time."""
        return self._render_list(
            "history",
            self.site.incidents,
            lambda n, c: (
                "Incident history" if n == 1 else f"Incident history, page {n} of {c}",
                f"Every incident and maintenance on {self.config.title}, newest first.",
            ),
            "history.html",
        )

    def render_component(self, component: Component) -> list[Output]:
        """A component's page: its state now and the incidents that touched it."""
        incidents = [i for i in self.site.incidents if component.id in i.components]
        return self._render_list(
            f"components/{component.id}",
            incidents,
            lambda n, c: (
                component.name if n == 1 else f"{component.name}, page {n} of {c}",
                f"Status and incident history of {component.name} on {self.config.title}.",
            ),
            "component.html",
            component=component,
            state=self.states[component.id],
        )

    def _render_list(
        self,
        base: str,
        incidents: Sequence[Incident],
        titles: Callable[[int, int], tuple[str, str]],
        template: str,
        **context: Any,
    ) -> list[Output]:
        pages = paginate(incidents)
        outputs = []
        for number, chunk in enumerate(pages, start=1):
            title, description = titles(number, len(pages))
            page = self.page(page_path(base, number), title, description)
            outputs.append(
                self.write(
                    template,
                    page,
                    months=_by_month(chunk, self.config.zone),
                    pagination=self.pagination(base, number, len(pages)),
                    total=len(incidents),
                    **context,
                )
            )
        return outputs

    def render_not_found(self) -> Output:
        """404.html, served at any depth: its links start from the site's own path."""
        root = urlsplit(self.config.url).path.rstrip("/") + "/"
        page = Page(
            path="404.html",
            root=root,
            title="Page not found",
            description=f"This page does not exist on {self.config.title}.",
            canonical=f"{self.config.url}/404.html",
        )
        return self.write("404.html", page)


def _by_month(incidents: Iterable[Incident], zone: ZoneInfo) -> list[tuple[str, list[Incident]]]:
    """Group incidents (newest first) under month headings in the site's zone."""
    months: list[tuple[str, list[Incident]]] = []
    for incident in incidents:
        label = format_month(incident.sort_at, zone)
        if not months or months[-1][0] != label:
            months.append((label, []))
        months[-1][1].append(incident)
    return months

"""Render the HTML pages: pure functions of the loaded Site, the build's clock and the theme."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any, NamedTuple, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2
from jinja2 import meta, nodes
from markupsafe import Markup

from .errors import ThemeError
from .feeds import FeedLink, feed_links
from .jobs import Job, KeyMaker, digest
from .models import Component, ComponentState, Incident, IncidentSummary, Site, Status, worst
from .richtext import MarkdownRenderer
from .theme import Theme
from .timefmt import (
    format_date,
    format_day,
    format_duration,
    format_local_time,
    format_month,
    iso,
)

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

# Records that are not part of the site's model are named tuples here and in the other
# modules: a build makes thousands of some, and defining a slotted dataclass takes about a
# millisecond, paid at start-up by every build, even one that finds nothing to do.


class Page(NamedTuple):
    """What every template knows of the page it renders."""

    path: str  # output file, e.g. incidents/db/index.html
    root: str  # prefix from this page to the site root, e.g. ../../
    title: str
    description: str
    canonical: str
    feeds: tuple[FeedGroup, ...]  # the feeds a reader of this page may follow


class FeedGroup(NamedTuple):
    """One feed in its three formats, with what it follows ('this incident', say)."""

    label: str  # for the Subscribe links
    title: str  # for <link rel="alternate" title=...>
    links: tuple[FeedLink, ...]


@dataclass(frozen=True, slots=True)
class Pagination:
    """Where a page of a long list sits among its siblings; links are relative to it."""

    number: int
    count: int
    previous: str | None
    next: str | None


class UpdateView(NamedTuple):
    """An update with its message as HTML and the component states it changed."""

    number: int
    at: datetime
    status: Status
    html: Markup
    transitions: tuple[tuple[Component, ComponentState, ComponentState], ...]


class IncidentView(NamedTuple):
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


class ComponentGroup(NamedTuple):
    """Components shown together under a group name (None for a component on its own)."""

    name: str | None
    rows: tuple[tuple[Component, ComponentState], ...]

    @property
    def state(self) -> ComponentState:
        """The worst state among the group's components."""
        return worst(state for _, state in self.rows)


class Day(NamedTuple):
    """One day of the index page's recent history."""

    start: datetime  # local midnight
    incidents: tuple[IncidentSummary, ...]


PAGE_TEMPLATES = ("index.html", "404.html", "incident.html", "history.html", "component.html")


@dataclass
class TemplateCache:
    """Work on templates that a build may keep for the next: compiled code, names they read.

    It also keeps the Jinja environment, so the renderers of one build share its templates.
    """

    bytecode: jinja2.BytecodeCache | None = None
    variables: dict[str, list[str]] = field(default_factory=dict)  # for one theme digest
    _environment: tuple[str, str, jinja2.Environment] | None = None  # theme digest, zone
    _parsed: dict[str, tuple[set[str], list[str | None]]] = field(default_factory=dict)

    def environment(self, theme: Theme, zone: ZoneInfo) -> jinja2.Environment:
        """The environment over `theme`'s templates with times in `zone`, made once."""
        if self._environment is None or self._environment[:2] != (theme.digest, zone.key):
            self._environment = (
                theme.digest,
                zone.key,
                make_environment(theme, zone, self.bytecode),
            )
        return self._environment[2]

    def names_read(self, template: str, theme: Theme, zone: ZoneInfo) -> list[str]:
        """The names `template` and those it uses read (see `template_variables`)."""
        if template not in self.variables:
            env = self.environment(theme, zone)
            try:
                found = template_variables(env, template, self._parsed)
            except jinja2.TemplateError as error:
                raise theme_error(error, template, theme) from error
            self.variables[template] = sorted(found)
        return self.variables[template]

    def analyse(self, theme: Theme, zone: ZoneInfo) -> None:
        """Find the names every page template reads, ahead of planning; errors wait for it."""
        for template in PAGE_TEMPLATES:
            with contextlib.suppress(ThemeError):
                self.names_read(template, theme, zone)


def make_environment(
    theme: Theme, zone: ZoneInfo, bytecode: jinja2.BytecodeCache | None = None
) -> jinja2.Environment:
    """A Jinja2 environment over the theme's templates, with time filters in `zone`."""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name not in theme.templates:
            return None
        return theme.templates[name], theme.origins[name], lambda: True

    env = jinja2.Environment(
        loader=jinja2.FunctionLoader(load),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )

    # Both parts are made here from dates and the zone database, never from a file's text,
    # so they need no escaping (and Markup.format is slow on pages with many times).
    shown: dict[datetime, Markup] = {}  # a time is shown on several pages: made once

    def time_element(moment: datetime) -> Markup:
        element = shown.get(moment)
        if element is None:
            if len(shown) >= 65_536:
                shown.clear()
            local = moment.astimezone(zone)
            html = f'<time datetime="{local.isoformat()}">{format_local_time(local)}</time>'
            element = shown[moment] = Markup(html)
        return element

    def day_element(day: date) -> Markup:
        return Markup(f'<time datetime="{day.isoformat()}">{format_day(day)}</time>')

    def date_element(moment: datetime) -> Markup:
        return day_element(moment.astimezone(zone).date())

    def state_badge(state: ComponentState) -> Markup:
        return Markup(f'<span class="state state-{state.value}">{state.label}</span>')

    env.filters["state_badge"] = state_badge
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


class PageRenderer:
    """Plans and renders the HTML pages of one site at one moment.

    `plan` lists every page and static file as a Job; `render` makes one. Incident HTML
    is rendered once per incident and shared by the pages that show it.
    """

    def __init__(
        self, site: Site, now: datetime, theme: Theme, templates: TemplateCache | None = None
    ) -> None:
        self.site = site
        self.config = site.config
        self.now = now
        self.theme = theme
        self.templates = templates or TemplateCache()
        self.env = self.templates.environment(theme, site.config.zone)
        self.markdown = MarkdownRenderer()
        self.states = site.current_states()
        self.components = {c.id: c for c in site.components}
        self._views: dict[str, IncidentView] = {}
        self._by_component: dict[str, list[IncidentSummary]] = {c.id: [] for c in site.components}
        for incident in site.incidents:
            for cid in incident.components:
                self._by_component[cid].append(incident)
        self._globals: dict[str, Any] = {
            "site": self.config,
            "now": now,
            "zone": self.config.timezone,
            "states": self.states,
            "overall": worst(self.states.values()),
            "banners": BANNERS,
        }
        self._keys = KeyMaker("pages", theme.digest, repr(self.config), now.isoformat())

    # -- planning ------------------------------------------------------------

    def incident_base(self) -> str:
        """What every incident's page depends on besides the incident itself."""
        return digest(self._keys.base, *self._states_for("incident.html"))

    @staticmethod
    def incident_paths(incident_id: str) -> list[str]:
        """The files made for one incident alone."""
        return [f"incidents/{incident_id}/index.html"]

    def plan(self, skip: Container[str] = ()) -> list[Job]:
        """Every page and static file, each with the key of what it depends on.

        The pages of the incidents in `skip` are left out: the caller knows their keys.
        """
        keys = self._keys
        jobs = [keys.job(name, "asset", (name,)) for name in sorted(self.theme.assets)]
        index = self.index_incidents()
        shown = [*index.active, *index.maintenance, *index.upcoming]
        recent = [i for day in index.days for i in day.incidents]
        jobs.append(
            keys.job(
                "index.html",
                "index",
                needs=[i.id for i in shown],
                depends=[*self._states_for("index.html"), *(i.digest for i in shown + recent)],
            )
        )
        jobs.append(keys.job("404.html", "404", depends=self._states_for("404.html")))
        for incident in self.site.incidents:
            if incident.id in skip:
                continue
            jobs.append(
                keys.job(
                    f"incidents/{incident.id}/index.html",
                    "incident",
                    (incident.id,),
                    needs=(incident.id,),
                    depends=[*self._states_for("incident.html"), incident.digest],
                    unit=incident.id,
                )
            )
        jobs.extend(self._plan_list("history", "history", self.site.incidents, "history.html"))
        for component in self.site.components:
            jobs.extend(
                self._plan_list(
                    f"components/{component.id}",
                    "component",
                    self._by_component[component.id],
                    "component.html",
                    component.id,
                    self.states[component.id].value,
                )
            )
        return jobs

    def _plan_list(
        self,
        base: str,
        kind: str,
        incidents: Sequence[IncidentSummary],
        template: str,
        *extra: str,
    ) -> list[Job]:
        pages = paginate(incidents)
        return [
            self._keys.job(
                page_path(base, number),
                kind,
                (*extra[:1], number),
                depends=[
                    *self._states_for(template),
                    *extra,
                    len(pages),
                    len(incidents),
                    "".join([i.digest for i in chunk]),  # one string: a repr each is slower
                ],
            )
            for number, chunk in enumerate(pages, start=1)
        ]

    def _states_for(self, template: str) -> list[object]:
        """The current states, for the keys of pages whose templates may show them."""
        names = self.templates.names_read(template, self.theme, self.config.zone)
        uses = not {"states", "overall", UNKNOWN_TEMPLATE}.isdisjoint(names)
        return [self._globals["states"]] if uses else []

    # -- rendering -----------------------------------------------------------

    def render(self, job: Job) -> bytes:
        """The bytes of one planned output."""
        if job.kind == "asset":
            return self.theme.assets[job.path]
        if job.kind == "index":
            return self.render_index()
        if job.kind == "404":
            return self.render_not_found()
        if job.kind == "incident":
            return self.render_incident(self.site.incident(str(job.args[0])))
        if job.kind == "history":
            return self.render_history(int(job.args[0]))
        if job.kind == "component":
            return self.render_component(self.components[str(job.args[0])], int(job.args[1]))
        raise ValueError(f"no page renderer for {job.kind!r}")

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
        root = relative_root(path)
        return Page(
            path=path,
            root=root,
            title=title,
            description=description,
            canonical=f"{self.config.url}/{public}",
            feeds=self.feeds_for(path, root),
        )

    def feeds_for(self, path: str, root: str) -> tuple[FeedGroup, ...]:
        """The feeds the page at `path` offers: its incident's or component's, then the site's.

        Links start with `root`, the way from the page to the site root.
        """
        site = self.config.title
        everything = FeedGroup("Every incident", site, tuple(feed_links("site", "", root, site)))
        scope, _, rest = path.partition("/")
        item = rest.split("/", 1)[0]
        if scope == "incidents":
            about = f"{self.site.incident(item).title} · {site}"
            links = tuple(feed_links("incident", item, root, about))
            return (FeedGroup("This incident", about, links), everything)
        if scope == "components":
            name = self.components[item].name
            about = f"{name} · {site}"
            links = tuple(feed_links("component", item, root, about))
            return (FeedGroup(name, about, links), everything)
        return (everything,)

    def write(self, template: str, page: Page, **context: Any) -> bytes:
        """Render `template` for `page` with `context` on top of the site-wide values."""
        try:
            html = self.env.get_template(template).render(**self._globals, page=page, **context)
        except jinja2.TemplateError as error:
            raise theme_error(error, template, self.theme) from error
        return html.encode("utf-8")

    def pagination(self, base: str, number: int, count: int) -> Pagination:
        """Links from page `number` of the list at `base` to its neighbours."""
        up = relative_root(page_path(base, number))

        def link(target: int) -> str | None:
            if not 1 <= target <= count:
                return None
            return up + page_path(base, target).removesuffix("index.html")

        return Pagination(number, count, link(number - 1), link(number + 1))

    def index_incidents(self) -> IndexIncidents:
        """What the status page shows: open incidents, maintenance, the last two weeks."""
        incidents = self.site.open
        return IndexIncidents(
            active=[i for i in incidents if not i.is_maintenance],
            maintenance=[i for i in incidents if i.is_maintenance and i.has_begun],
            upcoming=sorted(
                (i for i in incidents if not i.has_begun),
                key=lambda i: (i.sort_at, i.id),
            ),
            days=self.recent_days(),
        )

    def render_index(self) -> bytes:
        """The status page: banner, components, what is happening now, the last two weeks."""
        index = self.index_incidents()
        details = self.site.incident
        description = self.config.description or (
            f"Current status of {self.config.title}: components, incidents and maintenance."
        )
        page = self.page("index.html", self.config.title, description)
        return self.write(
            "index.html",
            page,
            groups=self.component_groups(),
            active=[self.view(details(i.id)) for i in index.active],
            maintenance=[self.view(details(i.id)) for i in index.maintenance],
            upcoming=[self.view(details(i.id)) for i in index.upcoming],
            days=index.days,
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
        by_day: dict[date, list[IncidentSummary]] = {day: [] for day in days}
        for incident in self.site.incidents:  # newest first
            day = incident.sort_at.astimezone(zone).date()
            if day < days[-1]:
                break
            if incident.sort_at <= self.now and day in by_day:
                by_day[day].append(incident)
        return [Day(datetime(d.year, d.month, d.day, tzinfo=zone), tuple(by_day[d])) for d in days]

    def render_incident(self, incident: Incident) -> bytes:
        """One incident's page: summary, timeline and the four transparency sections."""
        view = self.view(incident)
        kind = "Maintenance" if incident.is_maintenance else "Incident"
        when = format_date(incident.sort_at, self.config.zone)
        state = incident.status.label.lower()
        description = f"{kind} on {when}, {state}: {incident.title}."
        page = self.page(f"incidents/{incident.id}/index.html", incident.title, description)
        return self.write("incident.html", page, view=view)

    def render_history(self, number: int) -> bytes:
        """Page `number` of every incident and maintenance, newest first."""
        title = "Incident history"
        description = f"Every incident and maintenance on {self.config.title}, newest first."
        return self._render_list(
            "history", self.site.incidents, number, title, description, "history.html"
        )

    def render_component(self, component: Component, number: int) -> bytes:
        """Page `number` of a component's page: its state now and the incidents that touched it."""
        description = f"Status and incident history of {component.name} on {self.config.title}."
        return self._render_list(
            f"components/{component.id}",
            self._by_component[component.id],
            number,
            component.name,
            description,
            "component.html",
            component=component,
            state=self.states[component.id],
        )

    def _render_list(
        self,
        base: str,
        incidents: Sequence[IncidentSummary],
        number: int,
        title: str,
        description: str,
        template: str,
        **context: Any,
    ) -> bytes:
        pages = paginate(incidents)
        if number > 1:
            title = f"{title}, page {number} of {len(pages)}"
        page = self.page(page_path(base, number), title, description)
        return self.write(
            template,
            page,
            months=_by_month(pages[number - 1], self.config.zone),
            pagination=self.pagination(base, number, len(pages)),
            total=len(incidents),
            **context,
        )

    def render_not_found(self) -> bytes:
        """404.html, served at any depth: its links start from the site's own path."""
        root = urlsplit(self.config.url).path.rstrip("/") + "/"
        page = Page(
            path="404.html",
            root=root,
            title="Page not found",
            description=f"This page does not exist on {self.config.title}.",
            canonical=f"{self.config.url}/404.html",
            feeds=self.feeds_for("404.html", root),
        )
        return self.write("404.html", page)


class IndexIncidents(NamedTuple):
    """The incidents the status page shows, by section."""

    active: list[IncidentSummary]
    maintenance: list[IncidentSummary]
    upcoming: list[IncidentSummary]
    days: list[Day]


UNKNOWN_TEMPLATE = "*"  # stands for the variables of a template named only at render time


def template_variables(
    env: jinja2.Environment,
    name: str,
    parsed: dict[str, tuple[set[str], list[str | None]]] | None = None,
) -> set[str]:
    """The names a template and the templates it extends, imports or includes read.

    Every name read is counted, its own variables (loop targets, macro arguments) too: a
    superset of the context variables it uses, found in a third of the time Jinja's exact
    analysis takes, which a cold build would wait for. A template whose name is computed
    at render time could read anything: the result then holds UNKNOWN_TEMPLATE. `parsed`
    keeps each template's own facts between calls.
    """
    parsed = {} if parsed is None else parsed
    seen: set[str] = set()
    names: set[str] = set()
    pending = [name]
    while pending:
        current = pending.pop()
        if current in seen:
            continue
        seen.add(current)
        if current not in parsed:
            assert env.loader is not None
            source, filename, _ = env.loader.get_source(env, current)
            tree = env.parse(source, current, filename)
            references = list(meta.find_referenced_templates(tree))
            read = {node.name for node in tree.find_all(nodes.Name) if node.ctx == "load"}
            parsed[current] = (read, references)
        own, references = parsed[current]
        names |= own
        for reference in references:
            if reference is None:
                names.add(UNKNOWN_TEMPLATE)
            else:
                pending.append(reference)
    return names


def _by_month(
    incidents: Iterable[IncidentSummary], zone: ZoneInfo
) -> list[tuple[str, list[IncidentSummary]]]:
    """Group incidents (newest first) under month headings in the site's zone."""
    months: list[tuple[str, list[IncidentSummary]]] = []
    for incident in incidents:
        label = format_month(incident.sort_at, zone)
        if not months or months[-1][0] != label:
            months.append((label, []))
        months[-1][1].append(incident)
    return months

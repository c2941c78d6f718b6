"""The HTML pages and the theme's static files: pure functions of the site index, the clock and
the theme."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, ClassVar, NamedTuple, TypeVar
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import jinja2

from ..i18n import N_, catalog_digest, interface_catalog
from ..i18n.language import Language, language
from ..model import Component, ComponentState, Incident, IncidentSummary, worst
from .charts import ResponseChart, UptimeView, response_chart, uptime_view
from .feeds import FeedLink, feed_links
from .jobs import Job, KeyMaker, RenderContext, digest
from .templates import UNKNOWN_TEMPLATE, theme_error
from .views import IncidentView, SiteIndex

PAGE_SIZE = 50
RECENT_DAYS = 14

BANNERS = {
    ComponentState.OPERATIONAL: N_("All systems operational"),
    ComponentState.UNDER_MAINTENANCE: N_("Maintenance in progress"),
    ComponentState.DEGRADED_PERFORMANCE: N_("Degraded performance"),
    ComponentState.PARTIAL_OUTAGE: N_("Partial system outage"),
    ComponentState.MAJOR_OUTAGE: N_("Major system outage"),
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
    # What the footer says: when the page was generated, where that tells a reader how fresh
    # the states it shows are (the status page, a component's page); else when what it shows
    # last changed, so that the page changes only with that.
    generated: datetime | None = None
    updated: datetime | None = None


class _Reads(NamedTuple):
    """What a page template reads that a page's key must follow."""

    states: bool  # the current states
    now: bool  # the clock itself
    clock: bool  # how long incidents have lasted
    measured: bool  # what probes measure: the notes on states, the upstream pages
    uptime: bool  # the uptime figures and bars (the index's and a component's first page)
    responses: bool  # the response-time charts (a component's first page)


class Clock:
    """The build's clock as pages show it: how long an incident has lasted, so far if ongoing.

    A page that shows `elapsed` of an ongoing incident is rebuilt as the clock moves; one
    whose template reads `now` itself, on every build.
    """

    __slots__ = ("_now",)

    def __init__(self, now: datetime) -> None:
        self._now = now

    def elapsed(self, incident: IncidentSummary) -> timedelta:
        """How long `incident` lasted, or has lasted until now."""
        return incident.duration(self._now)

    def passed(self, moment: datetime) -> bool:
        """True once `moment` is past: a promised update that is overdue, say."""
        return moment < self._now


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
    """Plans and renders the HTML pages and static files of one site at one moment.

    An incident's HTML is rendered once (by the site index) and shared by the pages and
    feeds that show it.
    """

    kinds: ClassVar[Mapping[str, float]] = {
        "asset": 1.0,
        "index": 5.0,
        "404": 1.0,
        "incident": 1.0,
        "history": 3.0,
        "component": 3.0,
    }

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        self.index = index
        self.site = index.site
        self.config = index.config
        self.now = context.now
        self.theme = context.theme
        self.templates = context.templates
        catalog = interface_catalog(self.config.language)
        self.words = language(catalog)
        self.env = self.templates.environment(self.theme, self.config.zone, catalog)
        self._globals: dict[str, Any] = {
            "site": self.config,
            "now": self.now,
            "clock": Clock(self.now),
            "zone": self.config.timezone,
            "states": index.states,
            "overall": index.overall,
            "measured_notes": index.measured_notes,
            "upstreams": index.upstreams,
            "banners": {state: self.words.gettext(text) for state, text in BANNERS.items()},
        }
        self._keys = KeyMaker("pages", self.theme.digest, index.config_key, catalog_digest(catalog))
        self._clock_key = self.now.isoformat()
        self._reads: dict[str, _Reads] = {}  # what each page template reads, found once
        self._uptime_views: dict[str, UptimeView] | None = None
        self._by_id: dict[str, IncidentSummary] | None = None
        self._charts: dict[str, tuple[ResponseChart, ...]] = {}
        self._render: dict[str, Callable[[Job], bytes]] = {
            "asset": lambda job: self.theme.assets[job.path],
            "index": lambda job: self.render_index(),
            "404": lambda job: self.render_not_found(),
            "incident": lambda job: self.render_incident(self.site.incident(str(job.args[0]))),
            "history": lambda job: self.render_history(int(job.args[0])),
            "component": lambda job: self.render_component(
                self.index.components[str(job.args[0])], int(job.args[1])
            ),
        }

    # -- planning ------------------------------------------------------------

    def incident_base(self) -> str:
        """What every incident's page depends on besides the incident itself."""
        return digest(self._keys.base, *self._shown_for("incident.html"))

    def plan_incident(self, incident: IncidentSummary) -> list[Job]:
        """The incident's page."""
        return [
            self._keys.job(
                f"incidents/{incident.id}/index.html",
                "incident",
                (incident.id,),
                needs=(incident.id,),
                depends=[
                    *self._shown_for("incident.html", ongoing=incident.id in self.index.ongoing),
                    incident.digest,
                ],
                unit=incident.id,
            )
        ]

    def plan_site(self) -> list[Job]:
        """Every page and static file but the incidents' own, each with what it depends on."""
        keys = self._keys
        jobs = [keys.job(name, "asset", (name,)) for name in sorted(self.theme.assets)]
        index = self.index
        shown = [*index.active, *index.in_progress, *index.upcoming]
        recent = [i for day in self.recent_days() for i in day.incidents]
        jobs.append(
            keys.job(
                "index.html",
                "index",
                needs=[i.id for i in shown],
                # The clock: the page says when it was generated, and which days are recent.
                depends=[
                    *self._shown_for("index.html"),
                    *self._uptime_shown("index.html", None),
                    self._clock_key,
                    *(i.digest for i in shown + recent),
                ],
            )
        )
        jobs.append(keys.job("404.html", "404", depends=self._shown_for("404.html")))
        jobs.extend(
            self._plan_list(
                "history", "history", self.site.incidents, index.ongoing, "history.html"
            )
        )
        for component in self.site.components:
            cid = component.id
            jobs.extend(
                self._plan_list(
                    f"components/{cid}",
                    "component",
                    index.by_component[cid],
                    index.ongoing_by_component[cid],
                    "component.html",
                    cid,
                    index.states[cid].value,
                    repr(index.measured_notes.get(cid)),
                    first=self._uptime_shown("component.html", cid),
                )
            )
        return jobs

    def _plan_list(
        self,
        base: str,
        kind: str,
        incidents: Sequence[IncidentSummary],
        ongoing: frozenset[str],
        template: str,
        *extra: str,
        first: Sequence[object] = (),
    ) -> list[Job]:
        """The pages of a list; the first of a component's says when it was generated.

        `ongoing` holds the ids of the ongoing incidents the list has; `first` is what the
        first page alone depends on besides (its uptime, say).
        """
        pages = paginate(incidents)
        clocked = _pages_with(ongoing, incidents)
        return [
            self._keys.job(
                page_path(base, number),
                kind,
                (*extra[:1], number),
                depends=[
                    *self._shown_for(template, ongoing=number in clocked),
                    *([self._clock_key] if _shows_generated(kind, number) else []),
                    *(first if number == 1 else ()),
                    *extra,
                    len(pages),
                    len(incidents),
                    "".join([i.digest for i in chunk]),  # one string: a repr each is slower
                ],
            )
            for number, chunk in enumerate(pages, start=1)
        ]

    def _reads_of(self, template: str) -> _Reads:
        """What `template` reads that keys follow, found once per build."""
        reads = self._reads.get(template)
        if reads is None:
            names = self.templates.names_read(template, self.theme, self.config.zone)
            unknown = UNKNOWN_TEMPLATE in names
            reads = self._reads[template] = _Reads(
                states=unknown or not {"states", "overall"}.isdisjoint(names),
                now=unknown or "now" in names,
                clock="clock" in names,
                measured=unknown or not {"measured_notes", "upstreams"}.isdisjoint(names),
                uptime=unknown or "uptime" in names,
                responses=unknown or "responses" in names,
            )
        return reads

    def _shown_for(self, template: str, *, ongoing: bool = False) -> list[object]:
        """What of the site's state and of the clock a page from `template` may show.

        The current states, where the template reads them; what probes measure (the notes
        on states, the upstream pages), where it reads those; the clock, where it reads
        `now`, or shows how long an incident has lasted so far and the page shows an
        `ongoing` one.
        """
        reads = self._reads_of(template)
        shown: list[object] = [self._globals["states"]] if reads.states else []
        if reads.measured:
            shown.append(self.index.measured_key())
        if reads.now or (reads.clock and ongoing):
            shown.append(self._clock_key)
        return shown

    def _uptime_shown(self, template: str, component: str | None) -> list[object]:
        """What of uptime a page from `template` may show: the index (`component` None) every
        component's, a component's first page its own, and its response times.

        The figures and days, and the incidents the bars name (their titles show).
        """
        reads = self._reads_of(template)
        shown: list[object] = []
        if reads.uptime:
            index = self.index
            every = index.uptime()
            chosen = every.values() if component is None else [every[component]]
            named = sorted({i for uptime in chosen for day in uptime.days for i in day.incidents})
            summaries = self._summaries()
            shown.append(index.uptime_key(component))
            shown.append("".join([summaries[i].digest for i in named]))
        if reads.responses and component is not None:
            index = self.index
            shown.append([index.responses_key(p.id) for p in index.probes_of[component]])
        return shown

    # -- rendering -----------------------------------------------------------

    def render(self, job: Job) -> bytes:
        """The bytes of one planned page or static file."""
        return self._render[job.kind](job)

    def page(
        self,
        path: str,
        title: str,
        description: str,
        *,
        generated: datetime | None = None,
        updated: datetime | None = None,
    ) -> Page:
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
            generated=generated,
            updated=updated,
        )

    def feeds_for(self, path: str, root: str) -> tuple[FeedGroup, ...]:
        """The feeds the page at `path` offers: its incident's or component's, then the site's.

        Links start with `root`, the way from the page to the site root.
        """
        site = self.config.title
        everything = FeedGroup(
            self.words.gettext("Every incident"), site, tuple(feed_links("site", "", root, site))
        )
        scope, _, rest = path.partition("/")
        item = rest.split("/", 1)[0]
        if scope == "incidents":
            about = f"{self.site.incident(item).title} · {site}"
            links = tuple(feed_links("incident", item, root, about))
            return (FeedGroup(self.words.gettext("This incident"), about, links), everything)
        if scope == "components":
            name = self.index.components[item].name
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

    def views(self, incidents: Iterable[IncidentSummary]) -> list[IncidentView]:
        """The incidents' views, their whole text loaded."""
        details, view = self.site.incident, self.index.view
        return [view(details(i.id)) for i in incidents]

    def render_index(self) -> bytes:
        """The status page: banner, components, what is happening now, the last two weeks."""
        index = self.index
        description = self.config.description or (
            self.words.gettext("Current status of %(site)s: components, incidents and maintenance.")
            % {"site": self.config.title}
        )
        page = self.page("index.html", self.config.title, description, generated=self.now)
        return self.write(
            "index.html",
            page,
            groups=self.component_groups(),
            active=self.views(index.active),
            maintenance=self.views(index.in_progress),
            upcoming=self.views(index.upcoming),
            days=self.recent_days(),
            uptime=self.uptime_views(),
        )

    def uptime_views(self) -> dict[str, UptimeView]:
        """Every component's figures, bar and its words, by id (made on first use)."""
        if self._uptime_views is None:
            index = self.index
            summaries = self._summaries()
            self._uptime_views = {
                cid: uptime_view(
                    uptime,
                    summaries,
                    any(p.affects_state for p in index.probes_of[cid]),
                    self.words,
                )
                for cid, uptime in index.uptime().items()
            }
        return self._uptime_views

    def _summaries(self) -> dict[str, IncidentSummary]:
        """Every incident's summary by id (made on first use)."""
        if self._by_id is None:
            self._by_id = {i.id: i for i in self.site.incidents}
        return self._by_id

    def response_charts(self, component: str) -> tuple[ResponseChart, ...]:
        """The response-time charts of the component's probes that got answers, in config order."""
        charts = self._charts.get(component)
        if charts is None:
            index = self.index
            found = (
                response_chart(p.id, index.responses(p.id), index.histories.get(p.id))
                for p in index.probes_of[component]
            )
            charts = self._charts[component] = tuple(c for c in found if c is not None)
        return charts

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
        states = self.index.states

        def rows(components: Iterable[Component]) -> tuple[tuple[Component, ComponentState], ...]:
            return tuple((c, states[c.id]) for c in components)

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
        view = self.index.view(incident)
        words = self.words
        when = words.day(incident.sort_at.astimezone(self.config.zone).date())
        facts = {"when": when, "status": words.label(incident.status), "title": incident.title}
        if incident.is_maintenance:
            description = words.gettext("Maintenance on %(when)s, %(status)s: %(title)s.") % facts
        else:
            description = words.gettext("Incident on %(when)s, %(status)s: %(title)s.") % facts
        page = self.page(
            f"incidents/{incident.id}/index.html",
            incident.title,
            description,
            updated=incident.updated_at,
        )
        return self.write("incident.html", page, view=view)

    def render_history(self, number: int) -> bytes:
        """Page `number` of every incident and maintenance, newest first."""
        title = self.words.gettext("Incident history")
        description = self.words.gettext(
            "Every incident and maintenance on %(site)s, newest first."
        ) % {"site": self.config.title}
        return self._render_list(
            "history", "history", self.site.incidents, number, title, description, "history.html"
        )

    def render_component(self, component: Component, number: int) -> bytes:
        """Page `number` of a component's page: its state now and the incidents that touched it.

        The first page also shows its uptime and its probes' response times.
        """
        description = self.words.gettext(
            "Status and incident history of %(component)s on %(site)s."
        ) % {"component": component.name, "site": self.config.title}
        first = number == 1
        return self._render_list(
            "component",
            f"components/{component.id}",
            self.index.by_component[component.id],
            number,
            component.name,
            description,
            "component.html",
            component=component,
            state=self.index.states[component.id],
            note=self.index.measured_notes.get(component.id),
            uptime=self.uptime_views()[component.id] if first else None,
            responses=self.response_charts(component.id) if first else (),
        )

    def _render_list(
        self,
        kind: str,
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
            title = self.words.gettext("%(title)s, page %(number)s of %(count)s") % {
                "title": title,
                "number": number,
                "count": len(pages),
            }
        chunk = pages[number - 1]
        page = self.page(
            page_path(base, number),
            title,
            description,
            generated=self.now if _shows_generated(kind, number) else None,
            updated=max((i.updated_at for i in chunk), default=None),
        )
        return self.write(
            template,
            page,
            months=_by_month(chunk, self.config.zone, self.words),
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
            title=self.words.gettext("Page not found"),
            description=self.words.gettext("This page does not exist on %(site)s.")
            % {"site": self.config.title},
            canonical=f"{self.config.url}/404.html",
            feeds=self.feeds_for("404.html", root),
        )
        return self.write("404.html", page)


def _pages_with(wanted: frozenset[str], incidents: Sequence[IncidentSummary]) -> set[int]:
    """The numbers of the pages of a list that show the incidents `wanted` (ids it has).

    Looked for from the top, where open incidents mostly are, until all are found.
    """
    left = set(wanted)
    found: set[int] = set()
    for position, incident in enumerate(incidents):
        if not left:
            break
        if incident.id in left:
            found.add(position // PAGE_SIZE + 1)
            left.discard(incident.id)
    return found


def _shows_generated(kind: str, number: int) -> bool:
    """Whether a list page says when it was generated: a component's first, with its state."""
    return kind == "component" and number == 1


def _by_month(
    incidents: Iterable[IncidentSummary], zone: ZoneInfo, words: Language
) -> list[tuple[str, list[IncidentSummary]]]:
    """Group incidents (newest first) under month headings in the site's zone."""
    months: list[tuple[str, list[IncidentSummary]]] = []
    for incident in incidents:
        label = words.month(incident.sort_at.astimezone(zone))
        if not months or months[-1][0] != label:
            months.append((label, []))
        months[-1][1].append(incident)
    return months

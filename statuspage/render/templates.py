"""The theme's templates in Jinja2: the environment and its filters, and what each template reads.

Templates autoescape and fail on an unknown name (StrictUndefined), and their errors name the
theme file and line. `template_variables` finds the names a template reads, for the keys of
the pages it renders.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

import jinja2
from jinja2 import meta, nodes
from markupsafe import Markup

from ..errors import ThemeError
from ..model import ComponentState
from ..sources.theme import Theme
from .timefmt import (
    format_day,
    format_duration,
    format_local_time,
    format_month,
    format_ms,
    format_promise,
    iso,
)

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

    def promise_element(moment: datetime, said_at: datetime) -> Markup:
        local = moment.astimezone(zone)
        shown = format_promise(moment, said_at, zone)
        return Markup(f'<time datetime="{local.isoformat()}">{shown}</time>')

    env.filters["state_badge"] = state_badge
    env.filters["promise"] = promise_element
    env.filters["time"] = time_element
    env.filters["date"] = date_element
    env.filters["day"] = day_element
    env.filters["month"] = lambda moment: format_month(moment, zone)
    env.filters["duration"] = format_duration
    env.filters["iso"] = lambda moment: iso(moment, zone)
    env.filters["ms"] = format_ms
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

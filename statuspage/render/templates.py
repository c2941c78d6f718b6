"""The theme's templates in Jinja2: the environment and its filters, and what each template reads.

Templates autoescape and fail on an unknown name (StrictUndefined), and their errors name the
theme file and line. `template_variables` finds the names a template reads, for the keys of
the pages it renders.
"""

from __future__ import annotations

import contextlib
import gettext
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from hashlib import sha1
from typing import Any
from zoneinfo import ZoneInfo

import jinja2
from jinja2 import meta, nodes, visitor
from markupsafe import Markup

from ..errors import ThemeError
from ..i18n import N_, SOURCE_LANGUAGE, catalog_digest, translations
from ..i18n.language import language
from ..model import ComponentState, Impact
from ..sources.theme import Theme
from .timefmt import (
    iso,
)

# An incident's declared impact in words, as its pages and lists show it.
IMPACT_WORDS = {
    Impact.NONE: N_("No impact"),
    Impact.MINOR: N_("Minor impact"),
    Impact.MAJOR: N_("Major impact"),
    Impact.CRITICAL: N_("Critical impact"),
}

PAGE_TEMPLATES = ("index.html", "404.html", "incident.html", "history.html", "component.html")


@dataclass
class TemplateCache:
    """Work on templates that a build may keep for the next: compiled code, names they read.

    It also keeps the Jinja environment, so the renderers of one build share its templates.
    """

    bytecode: jinja2.BytecodeCache | None = None
    variables: dict[str, list[str]] = field(default_factory=dict)  # for one theme digest
    # The theme's digest, the zone and the catalog it was made for, and the environment.
    _environment: tuple[str, str, str, jinja2.Environment] | None = None
    _parsed: dict[str, tuple[set[str], list[str | None]]] = field(default_factory=dict)

    def environment(
        self, theme: Theme, zone: ZoneInfo, catalog: str = SOURCE_LANGUAGE
    ) -> jinja2.Environment:
        """The environment over `theme`'s templates with times in `zone` and the interface
        in `catalog`'s language (see statuspage.i18n), made once."""
        wanted = (theme.digest, zone.key, catalog)
        if self._environment is None or self._environment[:3] != wanted:
            env = make_environment(theme, zone, self.bytecode, catalog)
            self._environment = (*wanted, env)
        return self._environment[3]

    def names_read(self, template: str, theme: Theme, zone: ZoneInfo) -> list[str]:
        """The names `template` and those it uses read (see `template_variables`)."""
        if template not in self.variables:
            # The names do not depend on the zone or the language: any environment will do.
            made = self._environment
            env = made[3] if made is not None and made[0] == theme.digest else None
            try:
                found = template_variables(
                    env or self.environment(theme, zone), template, self._parsed
                )
            except jinja2.TemplateError as error:
                raise theme_error(error, template, theme) from error
            self.variables[template] = sorted(found)
        return self.variables[template]

    def analyse(self, theme: Theme, zone: ZoneInfo) -> None:
        """Find the names every page template reads, ahead of planning; errors wait for it."""
        for template in PAGE_TEMPLATES:
            with contextlib.suppress(ThemeError):
                self.names_read(template, theme, zone)


class Interface:
    """The gettext functions templates call, as Jinja's i18n extension has them new-style
    (`_("%(n)s in all", n=total)`: the arguments escaped, the result safe). Most `_()` calls
    never reach it, being translated as the template is compiled (_Translate); it serves
    the plural forms, and a message computed at render time.

    A message without arguments is shown as written, so it must not hold `%%`; the catalog
    tests check that. `pybabel extract` finds the calls with the extension's own parser.
    """

    def __init__(self, translated: gettext.NullTranslations) -> None:
        self._translated = translated

    def functions(self) -> dict[str, Callable[..., Markup]]:
        return {
            "_": self.gettext,
            "gettext": self.gettext,
            "ngettext": self.ngettext,
            "npgettext": self.npgettext,
        }

    def gettext(self, message: str, /, **variables: object) -> Markup:
        shown = Markup(self._translated.gettext(message))
        return shown % variables if variables else shown

    def ngettext(self, singular: str, plural: str, num: int, /, **variables: object) -> Markup:
        shown = Markup(self._translated.ngettext(singular, plural, num))
        return shown % {"num": num, **variables}

    def npgettext(
        self, context: str, singular: str, plural: str, num: int, /, **variables: object
    ) -> Markup:
        shown = Markup(self._translated.npgettext(context, singular, plural, num))
        return shown % {"num": num, **variables}


class _TranslatingEnvironment(jinja2.Environment):
    """An environment whose templates have their `_("...")` calls translated as they are
    compiled: a message becomes a constant of the page's language (with its arguments put
    in by `%`, escaped), so a page pays nothing for the words of its interface. The
    compiled code thus depends on the language: see _CatalogBytecode."""

    def __init__(self, translated: gettext.NullTranslations, **options: Any) -> None:
        super().__init__(**options)
        self.translated = translated

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        folded = _Translate(self.translated).visit(tree)
        assert isinstance(folded, nodes.Template)
        return folded


class _Translate(visitor.NodeTransformer):
    """Replaces each `_("text", name=value, ...)` of a template by its translation."""

    def __init__(self, translated: gettext.NullTranslations) -> None:
        self.translated = translated

    def visit_Call(self, node: nodes.Call) -> nodes.Node:
        self.generic_visit(node)
        called, args = node.node, node.args
        if not (
            isinstance(called, nodes.Name)
            and called.name in ("_", "gettext")
            and len(args) == 1
            and isinstance(args[0], nodes.Const)
            and isinstance(args[0].value, str)
            and node.dyn_args is None
            and node.dyn_kwargs is None
        ):
            return node
        text: nodes.Expr = nodes.MarkSafe(nodes.Const(self.translated.gettext(args[0].value)))
        if node.kwargs:
            pairs = [nodes.Pair(nodes.Const(kw.key), kw.value) for kw in node.kwargs]
            text = nodes.Mod(text, nodes.Dict(pairs))
        return text.set_lineno(node.lineno)


class _CatalogBytecode(jinja2.BytecodeCache):
    """The build's bytecode cache, with keys of their own for one language's templates."""

    def __init__(self, inner: jinja2.BytecodeCache, catalog: str) -> None:
        self.inner = inner
        self.catalog = catalog

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.inner.load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        self.inner.dump_bytecode(bucket)

    def get_cache_key(self, name: str, filename: str | None = None) -> str:
        key = self.inner.get_cache_key(name, filename)
        return sha1(f"{key} {self.catalog} {catalog_digest(self.catalog)}".encode()).hexdigest()


def make_environment(
    theme: Theme,
    zone: ZoneInfo,
    bytecode: jinja2.BytecodeCache | None = None,
    catalog: str = SOURCE_LANGUAGE,
) -> jinja2.Environment:
    """A Jinja2 environment over the theme's templates, with time filters in `zone` and
    `_`/`ngettext` translating into `catalog`'s language."""

    def load(name: str) -> tuple[str, str, Callable[[], bool]] | None:
        if name not in theme.templates:
            return None
        return theme.templates[name], theme.origins[name], lambda: True

    translated = translations(catalog)
    if bytecode is not None and catalog != SOURCE_LANGUAGE:
        bytecode = _CatalogBytecode(bytecode, catalog)
    env = _TranslatingEnvironment(
        translated,
        loader=jinja2.FunctionLoader(load),
        bytecode_cache=bytecode,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    words = language(catalog)
    env.globals.update(Interface(translated).functions())
    env.globals["direction"] = words.direction
    env.globals["impact_label"] = {
        impact.value: translated.gettext(text) for impact, text in IMPACT_WORDS.items()
    }

    # Both parts are made here from dates, the zone database and the locale data, never
    # from a file's text, so they need no escaping (and Markup.format is slow on pages with
    # many times).
    shown: dict[datetime, Markup] = {}  # a time is shown on several pages: made once

    def time_element(moment: datetime) -> Markup:
        element = shown.get(moment)
        if element is None:
            if len(shown) >= 65_536:
                shown.clear()
            local = moment.astimezone(zone)
            html = f'<time datetime="{local.isoformat()}">{words.local_time(local)}</time>'
            element = shown[moment] = Markup(html)
        return element

    def day_element(day: date) -> Markup:
        return Markup(f'<time datetime="{day.isoformat()}">{words.day(day)}</time>')

    def date_element(moment: datetime) -> Markup:
        return day_element(moment.astimezone(zone).date())

    def state_badge(state: ComponentState) -> Markup:
        return Markup(f'<span class="state state-{state.value}">{words.label(state)}</span>')

    def promise_element(moment: datetime, said_at: datetime) -> Markup:
        local = moment.astimezone(zone)
        promised = words.promise(moment, said_at, zone)
        return Markup(f'<time datetime="{local.isoformat()}">{promised}</time>')

    env.filters["state_badge"] = state_badge
    env.filters["promise"] = promise_element
    env.filters["time"] = time_element
    env.filters["date"] = date_element
    env.filters["day"] = day_element
    env.filters["month"] = lambda moment: words.month(moment.astimezone(zone))
    env.filters["duration"] = words.duration
    env.filters["iso"] = lambda moment: iso(moment, zone)
    env.filters["ms"] = words.ms
    env.filters["label"] = words.label
    env.filters["number"] = words.decimal
    env.filters["percent"] = words.percent
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

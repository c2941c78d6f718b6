"""Read statuspage.yaml: the site's title, address, time zone, components and probes."""

from __future__ import annotations

import functools
import re
import zoneinfo
from collections import abc
from collections.abc import Callable
from typing import NamedTuple

from yaml.nodes import ScalarNode

from ..i18n import LANGUAGE_TAG, catalog_for, shipped
from ..model import Component, Config
from ..model.ids import id_problem
from ..model.uptime import UptimeSettings
from .brandconfig import read_brand
from .checkconfig import read_checks
from .limits import MAX_FEED_LIMIT, shown
from .probeconfig import read_probes
from .socialconfig import read_social
from .yamlio import Mapping, SourceFile, did_you_mean, parse, read_address

CONFIG_KEYS = (
    "title",
    "url",
    "description",
    "timezone",
    "language",
    "components",
    "feeds",
    "page_id",
    "probes",
    "uptime",
    "social",
    "checks",
    "brand",
)
FEEDS_KEYS = ("limit",)
DEFAULT_FEED_LIMIT = 50
COMPONENT_KEYS = ("id", "name", "description", "group")
UPTIME_KEYS = ("since", "weights", "stale_after")
WEIGHT_KEYS = ("major_outage", "partial_outage", "degraded_performance")
_WEIGHT = re.compile(r"(?:0|1)(?:\.0*)?|0?\.[0-9]{1,6}")
_STALE = re.compile(r"([0-9]{1,6})(m|h)")
MIN_STALE_S, MAX_STALE_S = 60, 7 * 86_400
DEFAULT_STALE_S: int = UptimeSettings().stale_after_s


ID_SLOT = "<id>"
"""Where a component's id stands in the paths of its files; no id holds these characters."""


class ComponentFiles(NamedTuple):
    """What the renderers write for each component, as far as choosing its id goes."""

    patterns: tuple[str, ...]  # each component's files, its id written as ID_SLOT
    reserved: abc.Mapping[str, str]  # ids one of whose files would be the site's, with that file


AskComponentFiles = Callable[[], ComponentFiles]
"""Gives the ComponentFiles of the renderers (a build asks them; `check` keeps them cached)."""


def read_config(
    text: str,
    file: SourceFile,
    component_files: AskComponentFiles | None = None,
    brand_files: abc.Mapping[str, str] | None = None,
) -> Config | None:
    """Build the Config from the text of statuspage.yaml; report problems to `file`.

    `component_files` says which ids no component may have and which files each component
    writes, so that two components' files never meet; by default the renderers are asked.
    `brand_files` holds the files of the site's brand/ folder, which a logo is read from: the
    path messages show, and the path to read.
    """
    root = parse(text, file)
    if root is None and not file.problems:
        file.report(None, "file is empty; it needs title, url, timezone and components")
        return None
    if root is None:
        return None
    hint = "start it with keys such as title:, url: and components:, each on a line of its own"
    top = Mapping.read(
        file, root, "statuspage.yaml", CONFIG_KEYS, ("title", "url", "components"), hint=hint
    )
    if top is None:
        return None
    title = top.text("title")
    url = _read_url(top)
    timezone = _read_timezone(top)
    language = _read_language(top)
    description = top.text("description")
    page_id = top.text("page_id")
    components = _read_components(top, component_files or _renderers_files)
    feed_limit = _read_feeds(top)

    probes = read_probes(top, [c.id for c in components] if components is not None else None)
    uptime = _read_uptime(top)
    social = read_social(top)
    checks = read_checks(top)
    brand = read_brand(top, brand_files or {})
    if title is None or url is None or components is None:
        return None
    if timezone is None or language is None or feed_limit is None or probes is None:
        return None
    if uptime is None or social is None or checks is None or brand is None:
        return None
    return Config(
        title=title.strip(),
        url=url,
        timezone=timezone,
        language=language,
        description=description.strip() if description else None,
        components=components,
        feed_limit=feed_limit,
        page_id=page_id.strip() if page_id else None,
        probes=probes,
        uptime=uptime,
        social=social,
        checks=checks,
        brand=brand,
    )


def _read_url(top: Mapping) -> str | None:
    address = read_address(top, "url", "https://status.example.com")
    return address.rstrip("/") if address is not None else None


def _read_timezone(top: Mapping) -> str | None:
    if "timezone" not in top:
        return "UTC"
    name = top.text("timezone")
    if name is None:
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, say
        zones = sorted(zoneinfo.available_timezones())
        hint = did_you_mean(name, zones, "use an IANA name such as Europe/Berlin")
        top.file.report(top.get("timezone"), f"unknown time zone '{shown(name)}'; {hint}")
        return None
    return name


def _read_language(top: Mapping) -> str | None:
    if "language" not in top:
        return "en"
    language = top.text("language")
    if language is None:
        return None
    if not LANGUAGE_TAG.fullmatch(language):
        top.file.report(
            top.get("language"),
            f"'language' must be a language tag such as en or pt-BR, not '{shown(language)}'",
        )
        return None
    if catalog_for(language) is None:
        tags = ", ".join(tag.replace("_", "-") for tag in shipped())
        top.file.report(
            top.get("language"),
            f"statuspage has no interface in '{shown(language)}'; it has {tags} (README, "
            f"'Languages', says how to add one)",
        )
        return None
    return language


def _read_feeds(top: Mapping) -> int | None:
    if "feeds" not in top:
        return DEFAULT_FEED_LIMIT
    feeds = Mapping.read(top.file, top.get("feeds"), "'feeds'", FEEDS_KEYS)
    if feeds is None:
        return None
    if "limit" not in feeds:
        return DEFAULT_FEED_LIMIT
    return feeds.integer("limit", minimum=1, maximum=MAX_FEED_LIMIT)


def _read_uptime(top: Mapping) -> UptimeSettings | None:
    """The `uptime:` settings: the first day incidents count, downtime weights, staleness."""
    if "uptime" not in top:
        return UptimeSettings()
    section = Mapping.read(top.file, top.get("uptime"), "'uptime'", UPTIME_KEYS)
    if section is None:
        return None
    ok = True
    since = section.date("since") if "since" in section else None
    if "since" in section and since is None:
        ok = False
    weights: dict[str, float] = {}
    if "weights" in section:
        table = Mapping.read(top.file, section.get("weights"), "'weights'", WEIGHT_KEYS)
        if table is None:
            return None
        for key in WEIGHT_KEYS:
            node = table.get(key)
            if node is None:
                continue
            written = node.value.strip() if isinstance(node, ScalarNode) else ""
            if not _WEIGHT.fullmatch(written):
                shown_value = f"'{shown(written)}'" if isinstance(node, ScalarNode) else "that"
                message = f"'{key}' must be a number from 0 to 1 such as 0.3, not {shown_value}"
                top.file.report(node, message)
                ok = False
                continue
            weights[key] = float(written)
    stale_after_s = DEFAULT_STALE_S
    node = section.get("stale_after")
    if node is not None:
        written = node.value.strip() if isinstance(node, ScalarNode) else ""
        match = _STALE.fullmatch(written)
        seconds = int(match[1]) * (60 if match[2] == "m" else 3600) if match else 0
        if not MIN_STALE_S <= seconds <= MAX_STALE_S:
            shown_value = f"'{shown(written)}'" if isinstance(node, ScalarNode) else "that"
            message = (
                f"'stale_after' must be a duration from 1m to 168h such as 30m or 2h, "
                f"not {shown_value}"
            )
            top.file.report(node, message)
            ok = False
        stale_after_s = seconds
    if not ok:
        return None
    return UptimeSettings(since=since, stale_after_s=stale_after_s, **weights)


def _read_components(
    top: Mapping, component_files: AskComponentFiles
) -> tuple[Component, ...] | None:
    seq = top.sequence("components", "[{id: api, name: Public API}]")
    if seq is None:
        return None
    file = top.file
    if not seq.value:
        file.report(seq, "'components' is empty; list at least one component")
        return None
    components: list[Component] = []
    first_line: dict[str, int] = {}
    files = functools.cache(component_files)  # asked once, and only if an id gets this far
    writers = _Writers()
    ok = True
    for position, node in enumerate(seq.value, start=1):
        entry = Mapping.read(file, node, "each component", COMPONENT_KEYS, ("id", "name"))
        if entry is None:
            ok = False
            continue
        cid = entry.text("id")
        name = entry.text("name")
        description = entry.text("description")
        group = entry.text("group")
        if cid is not None:
            problem = id_problem(cid, "component id") or _reserved(cid, files().reserved)
            id_node = entry.get("id")
            assert id_node is not None  # text() returned a value, so the node is there
            line = id_node.start_mark.line + 1
            if not problem and cid in first_line:
                problem = f"duplicate component id '{cid}' (first at line {first_line[cid]})"
            if not problem:
                problem = writers.add(cid, line, files().patterns)
            if problem:
                file.report(id_node, problem)
                cid = None
            else:
                first_line[cid] = line
        if cid is None or name is None:
            ok = False
            continue
        components.append(
            Component(
                id=cid,
                name=name.strip(),
                description=description.strip() if description else None,
                group=group.strip() if group else None,
                position=position,
            )
        )
    return tuple(components) if ok else None


def _renderers_files() -> ComponentFiles:
    """The components' files, from the renderers, which know what they write."""
    from ..render.outputs import component_files

    return component_files()


def _reserved(cid: str, reserved: abc.Mapping[str, str]) -> str | None:
    """Why `cid` may not name a component: one of its files would be the site's own."""
    path = reserved.get(cid)
    if path is None:
        return None
    return f"component id '{cid}' is reserved: the site itself writes {path}; choose another id"


class _Writers:
    """The files the components read so far write, and the folders those files are in."""

    def __init__(self) -> None:
        self.files: dict[str, tuple[str, int]] = {}  # path: the component and its id's line
        self.folders: dict[str, tuple[str, int, str]] = {}  # ... and a file of it inside

    def add(self, cid: str, line: int, patterns: tuple[str, ...]) -> str | None:
        """Take the files of component `cid`, or say why one of them meets an earlier one's.

        Two components' files meet when one path is both's (`api`'s uptime badge is
        badges/api-uptime.svg, component `api-uptime`'s own badge too), or when one's file
        is where the other's folder is.
        """
        paths = [pattern.replace(ID_SLOT, cid) for pattern in patterns]
        for path in paths:
            if (owner := self.files.get(path)) is not None:
                return (
                    f"component id '{cid}' would write {path}, which component '{owner[0]}' "
                    f"(line {owner[1]}) writes too; choose another id"
                )
            if (holder := self.folders.get(path)) is not None:
                return (
                    f"component id '{cid}' would write {path}, where component '{holder[0]}' "
                    f"(line {holder[1]}) needs a folder for {holder[2]}; choose another id"
                )
            for folder in _folders_of(path):
                if (owner := self.files.get(folder)) is not None:
                    return (
                        f"component id '{cid}' would write {path}, but {folder} is a file of "
                        f"component '{owner[0]}' (line {owner[1]}); choose another id"
                    )
        for path in paths:
            self.files[path] = (cid, line)
            for folder in _folders_of(path):
                self.folders.setdefault(folder, (cid, line, path))
        return None


def _folders_of(path: str) -> list[str]:
    """The folders on the way to `path`: a/b/c gives a, a/b."""
    parts = path.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]

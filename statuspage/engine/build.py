"""Build a site: load what changed, render what it affects, publish in one atomic swap.

A cold build reads every file and renders every output. With the cache, a build reads only
the incident files whose stat changed, plans every output with a key, and renders only those
whose key is new; when no input changed at all it stops after a stat of each file. Either way
the output is byte-for-byte what a cold build of the same files and clock would write.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import shutil
import sqlite3
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, cast

from .. import __version__
from ..errors import OutputError, OutputRefused, SourceError, ValidationFailed
from ..render.jobs import MARKER, digest
from ..sources.inputs import CONFIG_FILE, UPTIME, InputFile, Reader, Sources, input_kinds, scan
from .background import Background, can_fork
from .cache import CACHE_DIR, BuildCache, Manifest, Memo, TreeState
from .incidents import load_incidents, racy_ns, start_workers
from .publish import (
    UNIT,
    Changes,
    OutputTrees,
    file_count,
    identity,
    manifest_of,
    owned,
    remove_abandoned,
    staging_folder,
    tree_state,
)

if TYPE_CHECKING:  # loaded only once a build has work to do, to keep no-op builds fast
    from ..checks import Finding
    from ..model import Incident, Site
    from ..model.probes import ProbeHistory
    from ..render.outputs import SiteRenderer
    from ..render.templates import TemplateCache
    from ..sources.config import ComponentFiles
    from ..sources.loader import LoadedConfig, LoadedInputs
    from ..sources.theme import Theme
    from .parallel import Workers, WorkerState

DEFAULT_OUT = "public"

Warn = Callable[[str], None]
"""Receives each warning of a build or check: one line, ready to show."""


def _ignore(message: str) -> None:
    """The default `warn`: a caller that gives none hears nothing."""


class BuildResult(NamedTuple):
    """What a build did, for the command to report."""

    out: Path
    files: int  # in the output
    rendered: int  # rendered and written by this build
    size: int  # bytes written by this build
    incidents: int
    seconds: float
    unchanged: bool  # the output already was what this build would write: nothing was swapped


def build_site(
    root: Path,
    out: Path,
    now: datetime,
    *,
    use_cache: bool = True,
    workers: int | None = None,
    warn: Warn = _ignore,
) -> BuildResult:
    """Validate and render the site at `root` into `out`, replacing it atomically.

    Warnings (files ignored, a cache that cannot be kept) go to `warn`, one line each.
    Raises ValidationFailed (nothing written), ThemeError (nothing written) or OutputError
    (the old output untouched). A folder that is not a site is left as it was.
    """
    started = time.perf_counter()
    root, out = root.resolve(), out.resolve()
    require_site(root)
    check_output_location(root, out)
    try:
        with _open_cache(root, warn) if use_cache else contextlib.nullcontext() as cache:
            if cache is not None:
                _check_cache_location(cache.folder, out)
            return _Build(root, out, now, cache, workers, warn).run(started)
    except OSError as exc:
        raise OutputError(f"cannot build into {out}: {exc}") from exc


def require_site(root: Path) -> None:
    """Raise ValidationFailed, having made nothing, when `root` holds no statuspage.yaml."""
    config = root / CONFIG_FILE
    if not config.is_file():
        from ..sources.loader import missing_config

        if not os.path.lexists(config):
            raise ValidationFailed([missing_config(root)])
        if not config.is_symlink() or config.exists():  # a folder, a pipe, a device
            message = "not a regular file; replace it with the site's configuration file"
        else:
            message = "a symlink to nothing (or in a circle); replace it with the file itself"
        raise ValidationFailed([SourceError(CONFIG_FILE, 0, 0, message)])


def check_output_location(root: Path, out: Path) -> None:
    """Refuse an output folder whose replacement would destroy the site's own files."""
    if out == root or out in root.parents:
        raise OutputRefused(
            f"{out} holds the site's own files; choose another --out, such as public"
        )
    folders = [kind.path for kind in input_kinds() if kind.folder]
    for protected in (*folders, CACHE_DIR):
        location = root / protected
        if out == location or location in out.parents:
            raise OutputRefused(
                f"{out} is inside {protected}/; choose another --out, such as public"
            )
    for kind in input_kinds():
        if not kind.folder and out == root / kind.path:
            raise OutputRefused(
                f"{out} is the site's {kind.path}; choose another --out, such as public"
            )
    if out.exists() and not out.is_dir():
        raise OutputRefused(f"{out} exists and is not a folder; remove it or choose another --out")
    if out.is_dir() and not owned(out):
        if _old_build(out):
            raise OutputRefused(
                f"{out} holds a site built by an older statuspage, which did not mark its "
                f"output (no {MARKER}); delete the folder and build again, or choose another --out"
            )
        raise OutputRefused(
            f"{out} is not empty and was not written by statuspage (no {MARKER}); "
            f"empty it, or choose another --out"
        )


def _old_build(folder: Path) -> bool:
    """Whether `folder` holds every file a site has: a build from before builds marked theirs."""
    from ..render.outputs import site_files  # only to choose the message of a refusal

    return all((folder / path).is_file() for path in site_files())


def _check_cache_location(cache: Path, out: Path) -> None:
    """Refuse an output folder that holds the build cache, or is inside it."""
    if cache in out.parents:
        raise OutputRefused(f"{out} is inside the build cache ({cache}); choose another --out")
    if out == cache or out in cache.parents:
        raise OutputRefused(f"{out} holds the build cache ({cache}); choose another --out")


def _first_facts(sources: Sources, extra: tuple[str, ...], settled: bool = True) -> tuple[Any, ...]:
    """What tells a build whether it has nothing to do: the inputs' fingerprint (with the
    `extra` facts), their newest change and how close to a scan a change may go unseen
    (without `settled`, 0 and 0: worked out only when the fingerprint is the last build's);
    and the scan's warnings, which a build gives either way."""
    return (
        sources.fingerprint(*extra),
        sources.newest_change_ns() if settled else 0,
        racy_ns(sources) if settled else 0,
        [str(warning) for warning in sources.warnings],
    )


BACKGROUND_SCAN_INCIDENTS = 2000
"""A site whose last build had this many incidents or more is scanned in a forked child
(see `engine.background`): for fewer, the fork costs more than the overlap saves."""

# What a build with work to do imports beyond what a no-op build needs.
_BUILD_CODE = (
    "..render.outputs",
    "..render.templates",
    "..sources.loader",
    "..sources.theme",
    ".parallel",
)


def _load_build_code() -> None:
    """Import what a build with work to do runs (while a child scans: the time is free)."""
    for name in _BUILD_CODE:
        importlib.import_module(name, __package__)


def spare_folder(out: Path, cache_folder: Path | None) -> Path:
    """Where the output's spare twin lives: in the cache when on the same file system."""
    if cache_folder is not None:
        out_parent, cache = identity(out.parent), identity(cache_folder)
        if out_parent and cache and out_parent[0] == cache[0]:
            return cache_folder / "trees" / digest(str(out))
    return out.with_name(f".{out.name}.spare")


class _Build:
    """One build; the steps share the sources, the cache and what was loaded."""

    def __init__(
        self,
        root: Path,
        out: Path,
        now: datetime,
        cache: BuildCache | None,
        workers: int | None,
        warn: Warn,
    ) -> None:
        self.root, self.out, self.now = root, out, now
        self.cache = cache
        self.max_workers = workers
        self.warn = warn
        self.live_name, self.spare_name = f"live {out}", f"spare {out}"

    def run(self, started: float) -> BuildResult:
        cache = self.cache
        last = cache.get("last") if cache else None
        root = self.root
        # A large site is scanned by a forked child, while this process loads the cache's
        # state of the output and the code a build with work to do needs.
        beside = (
            last is not None
            and last[2] >= BACKGROUND_SCAN_INCIDENTS
            and self.max_workers != 1
            and can_fork()
        )
        extra = (__version__, self.now.isoformat(), str(self.out))
        scanned_at = time.time_ns()
        with Background(
            lambda: scan(root),
            Sources.plain,
            lambda plain: Sources.from_plain(root, plain),
            head=lambda found: _first_facts(found, extra),
            fork=beside,
        ) as scanning:
            live_state = cache.tree(self.live_name) if cache else None
            if beside:
                assert cache is not None
                _load_build_code()
                cache.read_files_ahead(enough=scanning.ready)  # what load_incidents reads
            found: Sources | None = None
            facts = scanning.head()
            if facts is None:  # scanned here
                found = scanning.result()
                facts = _first_facts(found, extra, settled=False)
            fingerprint, newest, racy, warnings = facts
            for warning in warnings:
                self.warn(warning)
            if last is not None and last[0] == fingerprint and live_state is not None:
                if found is not None:
                    newest, racy = found.newest_change_ns(), racy_ns(found)
                if newest < last[1] - racy and identity(self.out) == live_state.identity:
                    return self._result(started, file_count(live_state.manifest), None, 0, last[2])
            sources = found if found is not None else scanning.result()

        from ..render.outputs import SiteRenderer
        from ..sources.loader import load_config
        from ..sources.theme import Theme
        from .parallel import WorkerState

        if cache is None:
            trees = OutputTrees(self.out, staging_folder(self.out, os.getpid()), None, None)
        else:
            spare = spare_folder(self.out, cache.folder)
            spare_state = cache.tree(self.spare_name)
            in_cache = cache.folder in spare.parents
            trees = OutputTrees.open(self.out, spare, live_state, spare_state, spare_owned=in_cache)
        config = load_config(sources)
        inputs = load_inputs(sources, cache, scanned_at)
        remember_windows(inputs, cache, self.now)
        theme = Theme.read(sources.theme)
        templates = self._template_cache(theme.digest)
        stashes = cache.folder / "stash" if cache is not None else None
        state = WorkerState(
            config=config.config,
            known=config.known,
            files={entry.stem: entry for entry in sources.incidents},
            inputs=inputs.data,
            make_renderer=lambda site: SiteRenderer(site, self.now, theme, templates, stashes),
        )
        workers: Workers | None = None
        try:
            site, workers = load_incidents(
                sources,
                config,
                inputs,
                state,
                cache,
                scanned_at,
                self.max_workers,
                meanwhile=lambda: _analyse(templates, theme, config),
            )
            refuse_future(site, sources, self.now)
            renderer = SiteRenderer(site, self.now, theme, templates, stashes)
            site = renderer.index.site  # as it stands at the build's clock
            state.site, state.renderer = site, renderer
            skip, carried = _carry_over(renderer, site, trees.live, live_state)
            jobs = renderer.plan(skip)
            if cache is not None:
                cache.put("templates", (theme.digest, templates.variables))
            manifest = manifest_of(jobs, carried)
            changes = trees.changes(jobs, manifest)
            files = file_count(manifest)
            if changes.unchanged:
                self._remember(fingerprint, scanned_at, len(site.incidents))
                return self._result(started, files, None, 0, len(site.incidents))
            if cache is not None:
                cache.save_trees({self.spare_name: None})  # about to change: unknown until saved
            if workers is None:
                # A link costs about a tenth of a render: a new spare is worth sharing out.
                workers = self._workers(state, len(changes.render) + len(changes.link) // 10)
            memo = (
                renderer.incident_bases(),
                renderer.index.digests(),
                [job.path for job in jobs if not job.unit],
            )
            size = self._publish(trees, changes, manifest, memo, site, workers)
        finally:
            if workers is not None:
                workers.close()
        self._remember(fingerprint, scanned_at, len(site.incidents))
        return self._result(started, files, len(changes.render), size, len(site.incidents))

    def _workers(self, state: WorkerState, items: int) -> Workers:
        return start_workers(state, items, self.max_workers)

    def _template_cache(self, theme_digest: str) -> TemplateCache:
        """Compiled templates and what each reads, kept in the cache for the same theme."""
        from jinja2 import FileSystemBytecodeCache

        from ..render.templates import TemplateCache

        if self.cache is None:
            return TemplateCache()
        folder = self.cache.folder / "templates"
        folder.mkdir(exist_ok=True)
        saved = self.cache.get("templates")
        variables = dict(saved[1]) if saved and saved[0] == theme_digest else {}
        return TemplateCache(FileSystemBytecodeCache(str(folder)), variables)

    def _publish(
        self,
        trees: OutputTrees,
        changes: Changes,
        manifest: Manifest,
        memo: tuple[Any, ...],
        site: Site,
        workers: Workers,
    ) -> int:
        """Render what changed into the spare folder, swap it in, and save what each holds."""
        first = not self.out.exists()
        remove_abandoned(self.out)
        writer = trees.prepare()
        try:
            # Removed first: a file an incident no longer makes may be made by another job.
            trees.remove(changes.remove)
            size = workers.render(site, changes.render, writer)
            workers.link(self.out, changes.link, writer)
            trees.swap()
        except BaseException:
            # Beside the output, nothing half-written stays; in the cache it is known unknown.
            if not trees.spare_owned:
                shutil.rmtree(trees.spare, ignore_errors=True)
            raise
        if self.cache is None:
            shutil.rmtree(trees.spare, ignore_errors=True)  # the old site: nothing keeps it
            return size
        live = tree_state(self.out, manifest, memo)
        if first or trees.live is None:  # no spare now, or one whose contents are unknown
            self.cache.save_trees({self.live_name: live, self.spare_name: None})
        else:  # the old site is the spare now: its saved state moves along
            self.cache.rotate_trees(self.live_name, self.spare_name, live, identity(trees.spare))
        return size

    def _remember(self, fingerprint: str, scanned_at: int, incidents: int) -> None:
        if self.cache is not None:
            self.cache.put("last", (fingerprint, scanned_at, incidents))

    def _result(
        self, started: float, files: int, rendered: int | None, size: int, incidents: int
    ) -> BuildResult:
        """The result; `rendered` None when nothing was published."""
        seconds = time.perf_counter() - started
        return BuildResult(
            self.out, files, rendered or 0, size, incidents, seconds, unchanged=rendered is None
        )


def _carry_over(
    renderer: SiteRenderer,
    site: Site,
    live: Manifest | None,
    live_state: TreeState | None,
) -> tuple[set[str], Manifest]:
    """Incidents whose own files need no planning, and those files' keys, from the last build.

    When the renderers' bases are what they were, the files made for one closed incident
    alone change only with that incident: for every one with the same digest, the keys the
    live site has are still right. (An open incident's may follow the clock: how long it has
    lasted so far.) Planning then costs what changed, not the whole site.
    """
    if live is None or live_state is None or live_state.memo is None:
        return set(), {}
    bases, digests, site_paths = live_state.memo
    if tuple(bases) != renderer.incident_bases():
        return set(), {}
    same = {incident_id for incident_id, _ in renderer.index.digests().items() & digests.items()}
    skip = same.difference(i.id for i in site.open)
    # The live files, but for the site's own (all planned again) and those of incidents
    # planned again or gone: a copy and a few deletions, not a loop over every file.
    carried = dict(live)
    for name in (*site_paths, *(UNIT + incident_id for incident_id in digests.keys() - skip)):
        carried.pop(name, None)
    return skip, carried


def check_site(
    root: Path,
    *,
    workers: int | None = None,
    warn: Warn = _ignore,
    now: datetime | None = None,
    report: Callable[[Finding], None] | None = None,
) -> Site:
    """Validate the site at `root` as a build does, using and updating the build cache.

    Warnings about the files go to `warn`, one line each, as for a build; those of the rules
    of `checks` about what the site tells its readers at `now` (the clock's time by default)
    go to `report`, or as lines to `warn` without one.
    Raises ValidationFailed with every problem; returns the Site (summaries only) otherwise.
    A folder that is not a site is left as it was.
    """
    from ..sources.loader import load_config, parse_incident
    from .parallel import WorkerState

    root = root.resolve()
    require_site(root)
    scanned_at = time.time_ns()
    sources = scan(root)
    for warning in sources.warnings:
        warn(str(warning))
    with _open_cache(root, warn) as cache:
        config = load_config(sources, lambda: component_files(cache))
        inputs = load_inputs(sources, cache, scanned_at)
        files = {entry.stem: entry for entry in sources.incidents}
        state = WorkerState(config=config.config, known=config.known, files=files)
        site, pool = load_incidents(sources, config, inputs, state, cache, scanned_at, workers)
        if pool is not None:
            pool.close()
        now = now or datetime.now(UTC)
        refuse_future(site, sources, now)
        from ..checks import warnings

        def load(entry: InputFile) -> Incident | None:
            held = state.details.get(entry.stem)
            return held if held is not None else parse_incident(entry, config.known).incident

        memo = cache.get("check_findings") if cache is not None else None
        found, memo = warnings(site, now, files, load, _config_text(sources), memo)
        if cache is not None:
            cache.put("check_findings", memo)
    for finding in found:
        if report is not None:
            report(finding)
        else:
            warn(str(finding))
    return site


def _config_text(sources: Sources) -> str | None:
    if sources.config is None:
        return None
    try:
        return Path(sources.config.path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def refuse_future(site: Site, sources: Sources, now: datetime) -> None:
    """Raise ValidationFailed naming every time in an incident file that is after `now`."""
    from ..sources.clock import future_problems

    paths = {entry.stem: entry.path for entry in sources.incidents}
    problems = future_problems(site.incidents, paths, now)
    if problems:
        raise ValidationFailed(problems)


def load_inputs(sources: Sources, cache: BuildCache | None, scanned_at: int) -> LoadedInputs:
    """Read the input kinds that name their readers; with the cache, only changed files.

    Each reader has its memo in the cache (see FileMemo), kept apart for each version of
    its code, and saved as soon as it has read: what it learnt of the files that parse is
    kept even when others have problems.
    """
    from ..sources import loader

    if cache is None:
        return loader.load_inputs(sources)
    memos: dict[str, Memo] = {}
    for kind in sources.kinds:
        if kind.read is not None:
            racy = racy_ns(sources, sources.files[kind.name])
            memos[kind.name] = cache.memo(kind.name, reader_version(kind.read), racy)
    loaded = loader.load_inputs(sources, memos)
    for name, memo in memos.items():
        cache.save_memo(memo, (entry.display for entry in sources.files[name]), scanned_at)
    return loaded


def remember_windows(inputs: LoadedInputs, cache: BuildCache | None, now: datetime) -> None:
    """Let the probes' histories take what they count in the window of `now`, and their
    latest results, from the cache when an earlier build had the same history files and
    window; else keep what they make of the files for the next build.

    Made from the files, it is most of what probes add to a build: the rows of 4 months
    for each probe, each with its latest result, rebuilt and added up.
    """
    from ..model.uptime import BAR_DAYS, first_bar_day
    from ..sources import history

    data = inputs.data.get(UPTIME.name)
    if cache is None or data is None or UPTIME.read is None:
        return
    histories = cast("dict[str, ProbeHistory]", data.value)
    first = first_bar_day(now)
    key = (reader_version(UPTIME.read), data.digest, first.toordinal(), BAR_DAYS)
    saved = cache.get("probe windows")
    if (
        isinstance(saved, tuple)
        and len(saved) == 2
        and saved[0] == key
        and history.remember_windows(histories, first, BAR_DAYS, saved[1])
    ):
        return
    cache.put("probe windows", (key, history.plain_windows(histories, first, BAR_DAYS)))


def reader_version(read: Reader) -> str:
    """What names the code of an input kind's reader: statuspage's version, the reader's
    name, and the size and time of its module's file, so that code changed in place shows."""
    module = getattr(read, "__module__", "")
    path = getattr(sys.modules.get(module), "__file__", None)
    try:
        info = Path(path).stat() if path else None
    except OSError:
        info = None
    where = f"{info.st_size} {info.st_mtime_ns}" if info is not None else "unknown"
    return f"{__version__} {module}.{getattr(read, '__qualname__', '')} {where}"


def component_files(cache: BuildCache | None) -> ComponentFiles:
    """The components' files and the ids the renderers reserve, kept in the cache while their
    code is the same.

    Asking the renderers means importing them, and Jinja with them: more than half of what a
    `check` of a small site costs, for what changes only with statuspage's code.
    """
    from ..sources.config import ComponentFiles

    stamp = [__version__, *_code_stamp(Path(__file__).parent.parent / "render")]
    saved = cache.get("component files") if cache is not None else None
    if saved is not None and saved[0] == stamp:
        return ComponentFiles(tuple(saved[1]), dict(saved[2]))
    from ..render.outputs import component_files as ask_renderers

    found = ask_renderers()
    if cache is not None:
        cache.put("component files", (stamp, found.patterns, dict(found.reserved)))
    return found


def _code_stamp(folder: Path) -> list[str]:
    """What changes when a module of `folder` does: the name, size and time of each."""
    stamps = []
    for entry in sorted(os.scandir(folder), key=lambda entry: entry.name):
        if entry.name.endswith(".py"):
            info = entry.stat()
            stamps.append(f"{entry.name} {info.st_size} {info.st_mtime_ns}")
    return stamps


@contextlib.contextmanager
def _open_cache(root: Path, warn: Warn) -> Iterator[BuildCache | None]:
    """The site's build cache, locked; see `find_cache` for where it is."""
    cache = find_cache(root, warn)
    if cache is None:
        yield None
        return
    try:
        with cache.lock():
            yield cache
    finally:
        cache.close()


def find_cache(root: Path, warn: Warn) -> BuildCache | None:
    """The build cache in the site's folder, else in the user's cache folder, else None.

    A read-only site (a checked-out artefact, a container mount) still builds and checks:
    its cache moves to `user_cache_folder`, or the build goes without one; `warn` hears
    one line saying which.
    """
    here = root / CACHE_DIR
    try:
        return BuildCache(here)
    except (OSError, sqlite3.Error) as exc:
        reason = _reason(exc)
    elsewhere = user_cache_folder(root)
    try:
        if elsewhere is None:
            raise FileNotFoundError("no home folder")
        cache = BuildCache(elsewhere)
    except (OSError, sqlite3.Error) as exc:
        where = f" nor in {elsewhere}" if elsewhere else ""
        warn(
            f"{here}: warning: cannot keep the build cache here ({reason}){where} "
            f"({_reason(exc)}); building without it"
        )
        return None
    warn(f"{here}: warning: cannot keep the build cache here ({reason}); keeping it in {elsewhere}")
    return cache


def user_cache_folder(root: Path) -> Path | None:
    """Where the cache of the site at `root` goes when the site's folder cannot hold it.

    $XDG_CACHE_HOME/statuspage/<digest of the root's path> (by default under ~/.cache), so
    that sites never share one; None where there is no home folder.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME", ""))
    if not base.is_absolute():  # relative or unset: the XDG spec says to ignore it
        try:
            base = Path.home() / ".cache"
        except RuntimeError:
            return None
    return base / "statuspage" / digest(str(root))


def _reason(exc: OSError | sqlite3.Error) -> str:
    """Why a cache could not be opened, in the words of the system."""
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc)


def _analyse(templates: TemplateCache, theme: Theme, config: LoadedConfig) -> None:
    """Read the page templates ahead of planning, while workers parse (errors wait for it)."""
    if config.config is not None:  # else the build stops with the config's problems
        templates.analyse(theme, config.config.zone)

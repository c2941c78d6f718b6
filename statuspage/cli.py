"""The `statuspage` command: thin wrappers that parse options, call the library and report."""

from __future__ import annotations

import contextlib
import gc
import os
import signal
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import __version__
from .engine.build import DEFAULT_OUT, build_site, check_site
from .errors import StatuspageError, UsageError, ValidationFailed
from .model import Config, Impact
from .model.social import CHANNELS, NETWORKS
from .sources.times import parse_time

if TYPE_CHECKING:
    from .importers.plan import Plan
    from .sources.inputs import Sources

# The exit codes of every command, as the README lists them.
EXIT_OK = 0
EXIT_PROBLEMS = 1  # the site has problems, or could not be built or checked: the message says
EXIT_USAGE = 2  # the command line is wrong: click's own code for a bad option, used for ours too

AT_HELP = "When it is posted: now, -10m, 14:05, 14:05 CET, 2026-12-03 14:05..."
NOW_HELP = "As if it were this time (ISO 8601 with offset)."

ROOT_OPTION = click.option(
    "--root",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    default=".",
    show_default=True,
    help="The site's folder, holding statuspage.yaml and incidents/.",
)


class Timestamp(click.ParamType):  # type: ignore[type-arg]
    """An ISO 8601 time with a UTC offset, such as 2026-11-20T14:10:00Z."""

    name = "TIMESTAMP"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> datetime:
        if isinstance(value, datetime):
            return value
        parsed = parse_time(str(value), "--now")
        if isinstance(parsed, str):
            self.fail(parsed, param, ctx)
        return parsed


NOW_OPTION = click.option("--now", type=Timestamp(), default=None, help=NOW_HELP)
AT_OPTION = click.option(
    "--at", "at", default="now", show_default=True, metavar="TIME", help=AT_HELP
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="statuspage")
def main() -> None:
    """Build a static status page from incident files kept in git."""


@main.command()
@ROOT_OPTION
@click.option(
    "--now",
    type=Timestamp(),
    default=None,
    help="Check as if it were this time (ISO 8601 with offset), for what depends on the clock.",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "github"]),
    default="text",
    show_default=True,
    help="text for people; json for tools; github for GitHub Actions annotations.",
)
@click.option(
    "--strict", is_flag=True, help="Fail (exit 1) on warnings too, as a pull-request check."
)
def check(root: Path, now: datetime | None, output_format: str, strict: bool) -> None:
    """Validate statuspage.yaml and every incident; list every problem found, then warnings.

    Warnings are the communication checks: an open incident gone quiet, a promised update
    missed, a postmortem overdue, jargon or blame in public text. See the README for each
    rule, and `checks:` in statuspage.yaml to tune them.
    """
    from .checks import Finding
    from .checks.report import as_github, as_json

    _collect_less()
    found: list[Finding] = []
    try:
        site = check_site(root, warn=_warn, now=now, report=found.append)
    except ValidationFailed as failure:
        if output_format == "json":
            click.echo(as_json(failure.problems, []))
        elif output_format == "github":
            for line in as_github(failure.problems, []):
                click.echo(line)
            click.echo(f"Found {failure.summary}.", err=True)
        else:
            for problem in failure.problems:
                click.echo(str(problem))
            click.echo(f"Found {failure.summary}.")
        sys.exit(EXIT_PROBLEMS)
    except StatuspageError as error:  # another build holding the site's lock, for one
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_PROBLEMS)
    incidents = [i for i in site.incidents if not i.is_maintenance]
    maintenance = len(site.incidents) - len(incidents)
    open_count = sum(1 for i in incidents if i.is_open)
    summary = (
        f"No problems: {_count(len(incidents), 'incident')} ({open_count} open), "
        f"{_count(maintenance, 'maintenance', 'maintenance')}, "
        f"{_count(len(site.components), 'component')}"
    )
    if found:
        summary += f"; {_count(len(found), 'warning')}"
    if output_format == "json":
        click.echo(as_json([], found))
    elif output_format == "github":
        for line in as_github([], found):
            click.echo(line)
        click.echo(f"{summary}.", err=True)
    else:
        for finding in found:
            click.echo(str(finding), err=True)
        click.echo(f"{summary}.")
    if strict and found:
        click.echo("Failing: --strict treats warnings as problems.", err=True)
        sys.exit(EXIT_PROBLEMS)


@main.command()
@ROOT_OPTION
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help=f"Where to write the site.  [default: ROOT/{DEFAULT_OUT}]",
)
@click.option(
    "--now",
    type=Timestamp(),
    default=None,
    help="Build as if it were this time (ISO 8601 with offset), for reproducible output.",
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read every file and render every page, ignoring and keeping no build cache.",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 256),
    default=None,
    help="Processes to scan, parse and render with.  [default: one per core]",
)
def build(
    root: Path, out: Path | None, now: datetime | None, no_cache: bool, jobs: int | None
) -> None:
    """Validate the site, then write it to the output folder in one atomic swap."""
    target = out if out is not None else root / DEFAULT_OUT
    _collect_less()
    with _failures("nothing was written"):
        result = build_site(
            root,
            target,
            now or datetime.now(UTC),
            use_cache=not no_cache,
            workers=jobs,
            warn=_warn,
        )
    where = _display(result.out)
    if result.unchanged:
        click.echo(
            f"Nothing to write: {where} is up to date ({_count(result.files, 'file')}); "
            f"{result.seconds:.2f} s."
        )
        return
    written = (
        _count(result.files, "file")
        if result.rendered == result.files
        else f"{result.rendered} of {_count(result.files, 'file')}"
    )
    click.echo(f"Wrote {written} ({_size(result.size)}) to {where} in {result.seconds:.2f} s.")


@main.command()
@ROOT_OPTION
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(0, 65535))
@click.option(
    "--now",
    type=Timestamp(),
    default=None,
    help="Build as if it were this time.  [default: when the preview starts]",
)
def serve(root: Path, host: str, port: int, now: datetime | None) -> None:
    """Preview the site: build, serve it, and rebuild whenever a file changes."""
    from .engine.build import require_site
    from .serve.preview import PreviewServer  # watchdog and http.server only load for this command

    with _failures("nothing was served"):
        require_site(root)
    try:
        preview = PreviewServer(root, host, port, now, report=click.echo)
    except OSError as error:
        click.echo(f"error: cannot listen on {host}:{port}: {error.strerror}", err=True)
        sys.exit(EXIT_PROBLEMS)
    # A service manager's SIGTERM cleans up like Ctrl+C does.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(EXIT_OK))
    preview.start()
    click.echo(f"Serving {_display(preview.root)} on {preview.url} (Ctrl+C to stop).")
    click.echo(f"Drafts for social networks: {preview.drafts_url}")
    try:
        threading.Event().wait()
    except KeyboardInterrupt:
        click.echo("Stopped.")
    finally:
        preview.stop()


@main.command()
@ROOT_OPTION
@click.option(
    "--only", "only", multiple=True, metavar="ID", help="Check only this probe (repeatable)."
)
@click.option(
    "--location",
    default="local",
    show_default=True,
    help="Where this runs (eu, ci-us...): each location keeps its own history files.",
)
@click.option(
    "--concurrency",
    type=click.IntRange(1, 1000),
    default=20,
    show_default=True,
    help="Probes checked at once.",
)
def probe(root: Path, only: tuple[str, ...], location: str, concurrency: int) -> None:
    """Check every probe once and add the results to the site's uptime history."""
    from .probes.run import run_probes  # httpx and dnspython load only for this command

    with _failures("nothing was recorded"):
        run = run_probes(root, only=only, location=location, concurrency=concurrency)
    width = max((len(result.probe) for result in run.results), default=0)
    for result in run.results:
        took = f"{result.response_ms:.0f} ms" if result.response_ms is not None else "-"
        click.echo(f"{result.probe:<{width}}  {result.measured:<8}  {took:>8}  {result.reason}")
    counts = {
        measured: sum(1 for result in run.results if result.measured == measured)
        for measured in ("up", "degraded", "down")
    }
    shown = ", ".join(f"{count} {measured}" for measured, count in counts.items() if count)
    click.echo(
        f"Checked {_count(len(run.results), 'probe')}"
        + (f": {shown}" if shown else "")
        + f"; recorded at {location} in {_count(len(run.files), 'file')}."
    )


@main.command()
@ROOT_OPTION
@click.argument("incident", required=False)
@click.option(
    "--update",
    default=None,
    metavar="N|latest|postmortem",
    help="Which entry of the incident: its number, the latest, or the postmortem.  "
    "[default: latest]",
)
@click.option(
    "--network",
    "networks",
    multiple=True,
    type=click.Choice(CHANNELS),
    help="Only this network's draft (repeat for several); with --post, only this channel.  "
    "[default: every configured one]",
)
@click.option("--json", "as_json", is_flag=True, help="Print the drafts as JSON records.")
@click.option(
    "--post",
    is_flag=True,
    help="Post every update not posted yet to the channels social.post lists, and record "
    "them in social/posted.yaml.",
)
@click.option("--dry-run", is_flag=True, help="With --post: show what would be sent; send nothing.")
@click.option(
    "--repost-edited",
    is_flag=True,
    help="With --post: post again the updates edited since they were posted.",
)
@NOW_OPTION
def announce(
    root: Path,
    incident: str | None,
    update: str | None,
    networks: tuple[str, ...],
    as_json: bool,
    post: bool,
    dry_run: bool,
    repost_edited: bool,
    now: datetime | None,
) -> None:
    """Print the social drafts of an update, ready to paste, with their lengths and links;
    or, with --post, post every update not posted yet.

    INCIDENT is the incident's id (its file name); by default the open incident updated last.
    """
    from .social import announce as drafting
    from .sources.loader import load_site

    if post or dry_run or repost_edited:
        with _failures("nothing was posted"):
            if not post:
                raise UsageError("--dry-run and --repost-edited go with --post")
            if incident is not None or update is not None or as_json:
                raise UsageError(
                    "--post posts every update not yet posted; it takes no INCIDENT, --update "
                    "or --json"
                )
        _post(root, networks, dry_run, repost_edited, now)
        return
    update = update or drafting.LATEST
    with _failures("no draft was made"):
        not_drafted = [name for name in networks if name not in NETWORKS]
        if not_drafted:
            raise UsageError(
                f"--network {not_drafted[0]}: drafts are made for {', '.join(NETWORKS)}; "
                f"{not_drafted[0]} gets its message with --post"
            )
        site = load_site(root)
        incident_id, number = drafting.choose_entry(site, incident, update)
        drafts = drafting.drafts_for(
            site, root, now or datetime.now(UTC), incident_id, number, networks
        )
    if not drafts:
        click.echo("No drafts: social.networks in statuspage.yaml lists no network.", err=True)
        sys.exit(EXIT_PROBLEMS)
    click.echo(drafting.as_json(drafts) if as_json else drafting.as_text(drafts))


def _post(
    root: Path, networks: tuple[str, ...], dry_run: bool, repost_edited: bool, now: datetime | None
) -> None:
    """`announce --post`: post what is due, say what went where, exit 1 if anything failed."""
    from .publishers.credentials import Scrubber
    from .publishers.outbox import DryRunOutbox, LiveOutbox, Outbox, http_client
    from .publishers.run import post_updates, secrets_of
    from .sources.loader import load_site

    with _failures("nothing was posted"):
        site = load_site(root)

        def clock() -> datetime:
            return now or datetime.now(UTC)

        scrub = Scrubber(secrets_of(CHANNELS, os.environ))
        with http_client(f"statuspage/{__version__}") as client:
            outbox: Outbox = (
                DryRunOutbox(lambda text: click.echo(f"{text}\n"), scrub)
                if dry_run
                else LiveOutbox(client, scrub, note=_warn)
            )
            result = post_updates(
                site,
                root,
                clock(),
                os.environ,
                outbox,
                click.echo,
                only=networks,
                repost_edited=repost_edited,
                clock=clock,
            )
    counts = [f"{len(result.posted)} {'would be sent' if dry_run else 'sent'}"]
    if result.already:
        counts.append(f"{result.already} posted before")
    if result.skipped:
        counts.append(f"{result.skipped} skipped")
    if result.failed:
        counts.append(f"{_count(len(result.failed), 'channel')} failed")
    where = "nothing was sent (--dry-run)" if dry_run else "recorded in social/posted.yaml"
    click.echo(f"{'Dry run' if dry_run else 'Done'}: {', '.join(counts)}; {where}.")
    if result.failed:
        sys.exit(EXIT_PROBLEMS)


@main.command()
@ROOT_OPTION
@click.argument("title")
@click.option(
    "--impact",
    type=click.Choice([impact.value for impact in Impact]),
    default="minor",
    show_default=True,
    help="How badly it hurts users.",
)
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID",
    help="A component it affects (repeat for several).",
)
@click.option(
    "--status",
    default=None,
    help="The first update's status.  [default: investigating; scheduled for maintenance]",
)
@click.option(
    "--message",
    default=None,
    metavar="TEXT|-",
    help="The first update's words; - reads them from standard input.  "
    "[default: a short start to edit]",
)
@click.option(
    "--at",
    "at",
    default="now",
    show_default=True,
    metavar="TIME",
    help="When the first update is posted: now, -10m, 14:05, 14:05 CET...",
)
@click.option("--maintenance", is_flag=True, help="Scheduled maintenance, not an incident.")
@click.option("--from", "start", default=None, metavar="TIME", help="When the maintenance starts.")
@click.option("--until", "end", default=None, metavar="TIME", help="When the maintenance ends.")
@NOW_OPTION
def new(
    root: Path,
    title: str,
    impact: str,
    components: tuple[str, ...],
    status: str | None,
    message: str | None,
    at: str,
    maintenance: bool,
    start: str | None,
    end: str | None,
    now: datetime | None,
) -> None:
    """Write the file of a new incident (or maintenance) and print its path.

    TITLE says in a few words what is wrong, as readers will see it.
    """
    from .authoring.new import NewIncident, write_new

    with _failures("nothing was written"):
        sources, config = _authoring_site(root)
        clock = now or datetime.now(UTC)

        def when(text: str | None, option: str) -> datetime | None:
            return None if text is None else _time(text, clock, config, option)

        request = NewIncident(
            title=title,
            components=components,
            at=_time(at, clock, config, "--at"),
            message=_given(message),
            impact=impact,
            status=status,
            maintenance=maintenance,
            start=when(start, "--from"),
            end=when(end, "--until"),
        )
        path = write_new(root, config, {entry.stem for entry in sources.incidents}, request)
    shown = path.relative_to(root).as_posix()
    click.echo(f"Wrote {shown}.")
    click.echo("Next: statuspage build (or serve), then statuspage announce " + path.stem)


@main.command()
@ROOT_OPTION
@click.argument("incident_id", metavar="ID")
@click.option("--status", required=True, help="The status it sets: identified, monitoring...")
@click.option(
    "--message",
    default=None,
    metavar="TEXT|-",
    help="Its words; - reads them from standard input.  [default: open $EDITOR]",
)
@click.option(
    "--component",
    "components",
    multiple=True,
    metavar="ID=STATE",
    help="A component's state from now on, such as api=partial_outage (repeat for several).",
)
@AT_OPTION
@NOW_OPTION
def update(
    root: Path,
    incident_id: str,
    status: str,
    message: str | None,
    components: tuple[str, ...],
    at: str,
    now: datetime | None,
) -> None:
    """Add an update to an incident's file, keeping the rest of the file as it is.

    ID is the incident's id (its file name without .yaml). The file is checked with the
    update before it is written; if the update is wrong, the file stays as it was.
    """
    from .authoring.update import NewUpdate, append_update, find_file, parse_states

    with _failures("nothing was written"):
        sources, config = _authoring_site(root)
        entry = find_file(sources.incidents, incident_id)
        clock = now or datetime.now(UTC)
        words = _message(message, f"# The words of the {status} update of {incident_id}.\n")
        request = NewUpdate(
            status=status,
            message=words,
            at=_time(at, clock, config, "--at"),
            states=parse_states(components, config),
        )
        number = append_update(config, entry, request)
    click.echo(f"Added update {number} ({status}) to {entry.display}.")
    click.echo(f"Next: statuspage build (or serve), then statuspage announce {incident_id}")


@main.command()
@ROOT_OPTION
@click.argument("incident_id", metavar="ID")
@click.option(
    "--message",
    default=None,
    metavar="TEXT|-",
    help="Its words; - reads them from standard input.  [default: a short closing line]",
)
@AT_OPTION
@NOW_OPTION
def resolve(
    root: Path, incident_id: str, message: str | None, at: str, now: datetime | None
) -> None:
    """Add the update that ends an incident: every component operational again.

    ID is the incident's id (its file name without .yaml).
    """
    from .authoring.update import append_update, find_file, resolving

    with _failures("nothing was written"):
        sources, config = _authoring_site(root)
        entry = find_file(sources.incidents, incident_id)
        clock = now or datetime.now(UTC)
        request = resolving(config, entry, _given(message), _time(at, clock, config, "--at"))
        number = append_update(config, entry, request)
    click.echo(f"Added update {number} ({request.status}) to {entry.display}.")
    click.echo(f"Next: statuspage build (or serve), then statuspage announce {incident_id}")


@main.command()
@ROOT_OPTION
@click.argument("incident_id", metavar="ID")
@NOW_OPTION
def postmortem(root: Path, incident_id: str, now: datetime | None) -> None:
    """Add the four sections of a postmortem to an incident's file, to fill in.

    They go in as comments, with what each should say: remove the "# " before a section as
    you write it, and set postmortem_at to publish them.
    """
    from .authoring.postmortem import add_postmortem
    from .authoring.update import find_file

    with _failures("nothing was written"):
        sources, config = _authoring_site(root)
        entry = find_file(sources.incidents, incident_id)
        add_postmortem(config, entry, now or datetime.now(UTC))
    click.echo(f"Added the postmortem's sections to {entry.display}: fill them in there.")


@main.command()
@click.argument(
    "folder",
    required=False,
    default=".",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option("--force", is_flag=True, help="Write over the files that exist already.")
def init(folder: Path, force: bool) -> None:
    """Make a new site in FOLDER (default: here): config, an example, CI workflow.

    It refuses to write over any file that exists, unless --force.
    """
    from .authoring.init import init_site

    with _failures("nothing was written"):
        written = init_site(folder, force)
    for path in written:
        click.echo(f"Wrote {(folder / path).as_posix()}")
    click.echo(
        "Next: edit statuspage.yaml, then statuspage check, statuspage serve, and "
        'statuspage new "Title" --component api when something breaks.'
    )


@main.group("import")
def import_() -> None:
    """Bring incident history from another status page: incident files, components."""


DRY_RUN_OPTION = click.option(
    "--dry-run", is_flag=True, help="Say what would be written, and write nothing."
)


@import_.command("statuspage")
@ROOT_OPTION
@click.argument("sources", nargs=-1, required=True, metavar="FILE|URL...")
@DRY_RUN_OPTION
def import_statuspage(root: Path, sources: tuple[str, ...], dry_run: bool) -> None:
    """Import an Atlassian Statuspage: its API v2 JSON files (summary.json, incidents.json,
    scheduled-maintenances.json, components.json), or a page's address to fetch them from.
    """
    from .importers import statuspage as reader
    from .importers.fetch import fetch_text

    with _failures("nothing was written"):
        plan = reader.plan(reader.read_sources(sources, fetch_text))
    _imported(root, plan, dry_run)


@import_.command("cstate")
@ROOT_OPTION
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
@DRY_RUN_OPTION
def import_cstate(root: Path, folder: Path, dry_run: bool) -> None:
    """Import a cState site: the issues in FOLDER/content/issues/ and the systems of its
    config.yml."""
    from .importers import cstate

    with _failures("nothing was written"):
        plan = cstate.plan(folder)
    _imported(root, plan, dry_run)


def _imported(root: Path, plan: Plan, dry_run: bool) -> None:
    """Write an import's plan into the site and say what was done; exit 1 if an incident
    could not be written."""
    from .importers.site import apply, describe

    with _failures("nothing was written"):
        report = apply(root, plan, dry_run)
    lines, complete = describe(report, dry_run)
    for line in lines:
        click.echo(line)
    if not complete:
        sys.exit(EXIT_PROBLEMS)


def _authoring_site(root: Path) -> tuple[Sources, Config]:
    """The site's files and its config, for the commands that write incident files."""
    from .sources.inputs import scan
    from .sources.loader import load_config

    sources = scan(root)
    loaded = load_config(sources)
    if loaded.config is None:
        raise ValidationFailed(loaded.problems)
    return sources, loaded.config


def _time(text: str, clock: datetime, config: Config, option: str) -> datetime:
    from .authoring.times import read_time

    return read_time(text, clock, config.zone, option)


def _given(message: str | None) -> str | None:
    """`--message`: its text, standard input's for -, or None when not given."""
    return sys.stdin.read() if message == "-" else message


def _message(message: str | None, guide: str) -> str:
    """The update's words: as given (see _given), else from $EDITOR."""
    given = _given(message)
    if given is not None:
        return given
    edited = click.edit(guide + "\n", extension=".md")
    words = "".join(
        line for line in (edited or "").splitlines(keepends=True) if not line.startswith("#")
    ).strip()
    if not words:
        raise UsageError("no message was written; nothing was added (give --message TEXT)")
    return words


def run() -> None:
    """The `statuspage` command: run `main`, then leave without tearing every object down.

    A large build ends holding tens of thousands of objects; freeing them one by one at exit
    costs a rebuild a twentieth of its time and serves nothing, since the build has closed
    its files, its cache and its workers by then. Errors that click did not handle (bugs)
    still end the usual way, with their traceback.
    """
    try:
        main()
    except SystemExit as leaving:
        code = leaving.code
    else:  # pragma: no cover - click's main always exits
        code = 0
    if isinstance(code, str):
        sys.stderr.write(f"{code}\n")
        code = EXIT_PROBLEMS
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code or 0)


@contextlib.contextmanager
def _failures(nothing_done: str) -> Iterator[None]:
    """Show why a command failed and exit with its code: 1 for problems, 2 for usage errors.

    `nothing_done` says what the failure spared, as in 'Found 2 problems; nothing was written.'
    """
    try:
        yield
    except ValidationFailed as failure:
        for problem in failure.problems:
            click.echo(str(problem), err=True)
        click.echo(f"Found {failure.summary}; {nothing_done}.", err=True)
        sys.exit(EXIT_PROBLEMS)
    except StatuspageError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_USAGE if isinstance(error, UsageError) else EXIT_PROBLEMS)


def _warn(message: str) -> None:
    """Show a warning of a build or check: on stderr, so that output stays clean."""
    click.echo(message, err=True)


def _collect_less() -> None:
    """A build makes many objects and few reference cycles: look for cycles far less often.

    Each look visits every object made since the last: a one-edit build of 10,000 incidents
    spent 25 ms on four of them at 50,000, and now none; a cold build peaks at the same
    memory either way (218 MB, --jobs 1).
    """
    gc.set_threshold(1_000_000, 20, 100)


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (plural or singular + 's')}"


def _size(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def _display(path: Path) -> str:
    """`path` relative to the working directory when it is below it."""
    try:
        relative = path.relative_to(Path.cwd())
    except ValueError:
        return str(path)
    return f"{relative}{os.sep}" if str(relative) != "." else "."

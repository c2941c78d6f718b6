"""The build: reproducible output, atomic replacement, safe output locations, theme overrides."""

from __future__ import annotations

import errno
import marshal
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Container
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from statuspage.engine import build, parallel, publish
from statuspage.engine.build import build_site, check_site
from statuspage.engine.cache import BuildCache
from statuspage.engine.publish import TreeWriter
from statuspage.errors import OutputError, ThemeError, ValidationFailed
from statuspage.model.probes import CheckResult, Measured
from statuspage.render import outputs
from statuspage.render.jobs import MARKER, MARKER_TEXT, Job, digest
from tests.conftest import (
    API_ENDPOINTS,
    CONFIG,
    MEASURED,
    NOW,
    OPEN,
    REPO,
    RESOLVED,
    MakeSite,
    SiteDir,
    add_probes,
    cold_build,
    day_counters,
    sandbox,
    snapshot,
    write_history,
)

API_FILES = [f"api/v2/{name}" for name in API_ENDPOINTS]


@pytest.fixture
def site(make_site: MakeSite) -> SiteDir:
    return make_site(incidents={"db": RESOLVED})


def test_build_writes_every_page(site: SiteDir) -> None:
    result = build_site(site.root, site.root / "public", NOW)
    feeds = ["feed.atom", "feed.json", "feed.rss"]
    written = snapshot(result.out)
    assert written.pop(MARKER) == MARKER_TEXT  # the folder is ours: later builds may replace it
    assert sorted(written) == sorted(
        [
            "404.html",
            *(
                f"components/{c}/{name}"
                for c in ("api", "dashboard", "docs", "webhooks")
                for name in ["index.html", *feeds]
            ),
            "favicon.svg",
            *feeds,
            "history/index.html",
            *(f"incidents/db/{name}" for name in ["index.html", *feeds]),
            "index.html",
            "social/manifest.json",
            "style.css",
            *API_FILES,
            *(
                f"badges/{b}.{f}"
                for b in ("status", "api", "dashboard", "docs", "webhooks")
                for f in ("svg", "json")
            ),
            *(
                f"badges/{c}-uptime.{f}"
                for c in ("api", "dashboard", "docs", "webhooks")
                for f in ("svg", "json")
            ),
        ]
    )
    assert result.files == 55  # the site's files; the marker is the build's own
    assert result.size == sum(len(b) for b in written.values())


def test_same_input_and_now_give_the_same_bytes(site: SiteDir, tmp_path: Path) -> None:
    first = snapshot(build_site(site.root, tmp_path / "a", NOW).out)
    second = snapshot(build_site(site.root, tmp_path / "b", NOW).out)
    assert first == second
    third = snapshot(build_site(site.root, tmp_path / "a", NOW).out)
    assert third == first
    later = snapshot(build_site(site.root, tmp_path / "c", NOW + timedelta(minutes=5)).out)
    assert later["index.html"] != first["index.html"]  # the page says when it was generated


def test_invalid_input_leaves_the_previous_output_byte_identical(site: SiteDir) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    before = snapshot(out)
    site.incident("broken", RESOLVED.replace("impact: major", "impact: huge"))
    with pytest.raises(ValidationFailed):
        build_site(site.root, out, NOW + timedelta(hours=1))
    assert snapshot(out) == before
    assert visible(site.root) == ["incidents", "public", "statuspage.yaml"]


def visible(folder: Path) -> list[str]:
    """The names in `folder` a user sees: the cache is hidden and git-ignored."""
    return sorted(p.name for p in folder.iterdir() if p.name != ".statuspage-cache")


@pytest.mark.parametrize("use_cache", [True, False])
def test_a_failure_while_writing_leaves_the_previous_output_and_no_debris(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch, use_cache: bool
) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW, use_cache=use_cache)
    before = snapshot(out)
    written = fail_fifth_write(monkeypatch)
    with pytest.raises(OutputError, match="No space left on device"):
        build_site(site.root, out, NOW + timedelta(hours=1), use_cache=use_cache, workers=1)
    monkeypatch.undo()
    assert len(written) == 5
    assert snapshot(out) == before
    assert visible(site.root) == ["incidents", "public", "statuspage.yaml"]
    # The next build does not trust the half-written spare folder.
    build_site(site.root, out, NOW + timedelta(hours=1), use_cache=use_cache)
    assert snapshot(out) == cold_build(site, NOW + timedelta(hours=1))


def test_the_swap_works_without_renameat2(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    monkeypatch.setattr(publish, "exchange", lambda a, b: False)
    site.incident("db", RESOLVED.replace("Fixed.", "Fixed for good."))
    result = build_site(site.root, out, NOW)
    assert result.rendered > 0
    assert snapshot(out) == cold_build(site, NOW)
    assert visible(site.root) == ["incidents", "public", "statuspage.yaml"]


def test_renameat2_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not publish.exchange(a, b):
        pytest.skip("this kernel or C library has no renameat2")  # macOS and old kernels
    assert ((a / "x").read_text(), (b / "x").read_text()) == ("b", "a")


def test_output_is_readable_by_others(site: SiteDir) -> None:
    out = build_site(site.root, site.root / "public", NOW).out
    assert out.stat().st_mode & 0o055 == 0o055  # a web server running as another user reads it


@pytest.mark.parametrize(
    "where",
    [
        ".",
        "..",
        "incidents",
        "incidents/2026",
        "site-template",
        "statuspage.yaml",
        ".statuspage-cache",
    ],
)
def test_refuses_to_replace_the_site_itself(site: SiteDir, where: str) -> None:
    before = snapshot(site.root)
    with pytest.raises(OutputError, match="choose another --out"):
        build_site(site.root, site.root / where, NOW)
    assert snapshot(site.root) == before


def test_refuses_to_replace_a_folder_that_is_not_a_build(site: SiteDir, tmp_path: Path) -> None:
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.txt").write_text("precious")
    with pytest.raises(OutputError) as error:
        build_site(site.root, other, NOW)
    assert str(error.value) == (
        f"{other} is not empty and was not written by statuspage (no .statuspage-build); "
        f"empty it, or choose another --out"
    )
    assert (other / "thesis.txt").read_text() == "precious"


def test_a_site_template_overrides_the_default_theme(site: SiteDir) -> None:
    site.write(
        "site-template/incident.html",
        """\
        {% extends "base.html" %}
        {% block main %}<h1 class="custom">{{ view.incident.title }}</h1>{% endblock %}
        """,
    )
    site.write("site-template/style.css", "body { color: rebeccapurple; }\n")
    site.write("site-template/logo.svg", "<svg/>")
    out = build_site(site.root, site.root / "public", NOW).out
    incident = (out / "incidents/db/index.html").read_text()
    assert '<h1 class="custom">Elevated error rates</h1>' in incident
    assert '<link rel="stylesheet" href="../../style.css">' in incident  # base.html still default
    assert (out / "style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (out / "logo.svg").read_text() == "<svg/>"
    assert "Past incidents" in (out / "index.html").read_text()  # other pages unchanged


def test_a_template_typo_fails_the_build_instead_of_printing_nothing(site: SiteDir) -> None:
    site.write(
        "site-template/404.html",
        '{% extends "base.html" %}{% block main %}{{ page.titel }}{% endblock %}',
    )
    out = site.root / "public"
    with pytest.raises(ThemeError) as error:
        build_site(site.root, out, NOW)
    assert str(error.value) == (
        "site-template/404.html:1: 'statuspage.render.pages.Page object' has no attribute 'titel'"
    )
    assert not out.exists()


def test_a_template_syntax_error_names_file_and_line(site: SiteDir) -> None:
    site.write("site-template/404.html", '{% extends "base.html" %}\n{% block main %}\n{% if %}')
    with pytest.raises(ThemeError) as error:
        build_site(site.root, site.root / "public", NOW)
    assert (
        str(error.value)
        == "site-template/404.html:3: Expected an expression, got 'end of statement block'"
    )


def test_an_error_in_a_default_template_names_the_default_theme(site: SiteDir) -> None:
    site.write(
        "site-template/404.html",
        '{% extends "base.html" %}{% import "_macros.html" as m %}'
        "{% block main %}{{ m.incident_list([3], page, clock) }}{% endblock %}",
    )
    with pytest.raises(ThemeError) as error:
        build_site(site.root, site.root / "public", NOW)
    assert str(error.value) == (
        "site-template (default theme)/_macros.html:17: 'int object' has no attribute 'impact'"
    )


@pytest.mark.parametrize("workers", [1, 2])
def test_incremental_builds_write_what_a_cold_build_writes(
    site: SiteDir, workers: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)  # fork even for this small site
    out = site.root / "public"
    later = NOW + timedelta(hours=2)
    # (what happens, when, files the build renders; None: nothing to publish at all)
    steps: list[tuple[str, Callable[[], object], datetime, int | None]] = [
        ("first build", lambda: None, NOW, 55),
        ("nothing changed", lambda: None, NOW, None),
        # its page, the index (it is recent), the history page and its component's page,
        # the three feeds of the incident, its component and the site, incidents.json, and
        # the social drafts (the incident ended three days ago: its drafts are still made)
        (
            "edit a message",
            lambda: site.incident("db", RESOLVED.replace("Fixed.", "Done.")),
            NOW,
            4 + 9 + 1 + 1,
        ),
        # its page, the index, the history page, the page of the component it degrades,
        # the three feeds of the incident, its component and the site, every API file
        # (the page's time and states change), the badges of the site and the component, and
        # the social drafts
        ("add an open incident", lambda: site.incident("hooks", OPEN), NOW, 4 + 9 + 8 + 4 + 1),
        ("touch a file, same bytes", lambda: os.utime(site.root / "incidents/db.yaml"), NOW, None),
        # a file's place is not shown anywhere
        ("move a file to a subfolder", lambda: move(site, "db", "incidents/2026"), NOW, None),
        # the spare holds the site from before it was added: nothing to render
        ("delete an incident", lambda: (site.root / "incidents/hooks.yaml").unlink(), NOW, 0),
        ("rename a component", lambda: rename_component(site), NOW, 55),
        # feeds, the API and badges depend on neither the theme nor the clock
        ("override a template", lambda: override_footer(site), NOW, 10),
        # the index and the components' pages, which say when they were generated, and what
        # shows the API's uptime: today counts for longer, so the partial outage of days ago
        # weighs less (components.json, the API's uptime badges); nothing else shows the clock
        # while no incident is open
        ("a later clock", lambda: None, later, 5 + 3),
        ("delete the cache", lambda: shutil.rmtree(site.root / ".statuspage-cache"), later, 55),
        ("nothing changed again", lambda: None, later, None),
        ("open an incident", lambda: site.incident("hooks", OPEN), later, 4 + 9 + 8 + 4 + 1),
        # besides those eight, the pages that say how long it has lasted so far: its own and
        # the history page
        ("a later clock, an incident open", lambda: None, later + timedelta(hours=1), 8 + 2),
    ]
    for name, change, now, rendered in steps:
        change()
        result = build_site(site.root, out, now, workers=workers)
        assert snapshot(out) == cold_build(site, now), name
        assert (result.rendered if not result.unchanged else None) == rendered, name


def move(site: SiteDir, incident_id: str, folder: str) -> None:
    (site.root / folder).mkdir(parents=True, exist_ok=True)
    (site.root / f"incidents/{incident_id}.yaml").rename(site.root / f"{folder}/{incident_id}.yaml")


def rename_component(site: SiteDir) -> None:
    config = (site.root / "statuspage.yaml").read_text()
    (site.root / "statuspage.yaml").write_text(config.replace("name: Webhooks", "name: Hooks"))


def override_footer(site: SiteDir) -> None:
    base = (REPO / "site-template" / "base.html").read_text()
    site.write("site-template/base.html", base.replace("Generated", "Built"))


def test_rendering_in_several_processes_writes_the_same_files(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    incidents = {
        f"i{n:02d}": RESOLVED.replace("2026-11-20", f"2026-{1 + n % 11:02d}-{1 + n % 27:02d}")
        for n in range(60)
    }
    site = make_site(incidents=incidents)
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    serial = build_site(site.root, tmp_path / "serial", NOW, workers=1, use_cache=False)
    forked = build_site(site.root, tmp_path / "forked", NOW, workers=3, use_cache=False)
    # 60 incidents, 11 other files; 3 feeds for each incident, component and the site;
    # 8 API files, 2 badges for the site and each component, 2 of each one's uptime; the
    # social drafts
    assert (serial.rendered, forked.rendered) == (71 + 3 * 65 + 26 + 1,) * 2
    assert snapshot(tmp_path / "serial") == snapshot(tmp_path / "forked")


def test_a_template_error_in_a_worker_is_reported(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    site = make_site(incidents={f"i{n}": RESOLVED for n in range(20)})
    site.write(
        "site-template/incident.html",
        '{% extends "base.html" %}{% block main %}{{ view.nope }}{% endblock %}',
    )
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)
    with pytest.raises(ThemeError, match=r"^site-template/incident.html:1: .* no attribute 'nope'"):
        build_site(site.root, tmp_path / "out", NOW, workers=2)
    assert not (tmp_path / "out").exists()


def spare_of(site: SiteDir) -> Path:
    (spare,) = (site.root / ".statuspage-cache" / "trees").iterdir()
    return spare


def test_the_old_site_survives_intact_as_the_spare(site: SiteDir) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    first = snapshot(out)
    site.incident("db", RESOLVED.replace("Fixed.", "Done."))
    build_site(site.root, out, NOW)
    assert snapshot(spare_of(site)) == first  # nothing was written through a shared file
    site.incident("db", RESOLVED.replace("Fixed.", "Done again."))
    build_site(site.root, out, NOW)
    assert snapshot(out) == cold_build(site, NOW)


def test_a_change_that_keeps_size_and_mtime_is_still_seen(site: SiteDir) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    path = site.root / "incidents/db.yaml"
    info = path.stat()
    text = path.read_text()
    path.write_text(text.replace("Elevated error rates", "Elevated ERROR rates"))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    result = build_site(site.root, out, NOW)
    assert result.rendered > 0
    assert "Elevated ERROR rates" in (out / "incidents/db/index.html").read_text()


def test_an_output_folder_emptied_by_hand_is_written_again(site: SiteDir) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    for child in out.iterdir():
        shutil.rmtree(child) if child.is_dir() else child.unlink()
    result = build_site(site.root, out, NOW)
    assert not result.unchanged  # the spare, which is whole, took the emptied folder's place
    assert snapshot(out) == cold_build(site, NOW)


def test_check_reads_only_the_files_that_changed(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statuspage.sources import loader

    site.incident("other", RESOLVED)
    parsed: list[str] = []
    real = loader.parse_incident
    monkeypatch.setattr(
        loader,
        "parse_incident",
        lambda entry, known: (parsed.append(entry.display), real(entry, known))[1],
    )
    assert sorted(i.id for i in check_site(site.root).incidents) == ["db", "other"]
    assert sorted(parsed) == ["incidents/db.yaml", "incidents/other.yaml"]
    parsed.clear()
    site.incident("other", RESOLVED.replace("Fixed.", "Done."))
    assert len(check_site(site.root).incidents) == 2
    assert parsed == ["incidents/other.yaml"]
    site.incident("other", RESOLVED.replace("impact: major", "impact: huge"))
    with pytest.raises(ValidationFailed):
        check_site(site.root)
    with pytest.raises(ValidationFailed):  # problems are remembered, not forgotten
        check_site(site.root)


def history_of(site: SiteDir) -> dict[str, Any]:
    """The uptime history check_site reads: what a build reads."""
    return check_site(site.root).inputs["uptime"].value  # type: ignore[return-value]


def test_builds_and_checks_parse_only_the_history_files_that_changed(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statuspage.model.probes import CheckResult, Measured
    from statuspage.probes.record import record
    from statuspage.sources import history

    at = datetime(2026, 11, 3, 12, tzinfo=UTC)
    record(site.root, "eu", [CheckResult("api", at, Measured.UP, 12.5, "HTTP 200")])
    record(site.root, "eu", [CheckResult("api", at - timedelta(days=7), Measured.UP, 12.5, "")])
    record(site.root, "us", [CheckResult("db", at, Measured.DOWN, None, "timed out")])
    parsed: list[str] = []
    real = history.parse_plain
    monkeypatch.setattr(
        history,
        "parse_plain",
        lambda text, display, *rest: (parsed.append(display), real(text, display, *rest))[1],
    )
    out = site.root / "public"
    build_site(site.root, out, NOW)
    assert sorted(parsed) == [
        "uptime/api/2026-10.eu.csv",
        "uptime/api/2026-11.eu.csv",
        "uptime/db/2026-11.us.csv",
    ]
    parsed.clear()
    assert not build_site(site.root, out, NOW + timedelta(minutes=1)).unchanged
    assert history_of(site)["api"].days[1].checks == 1
    assert parsed == []  # neither the build nor the check
    # A probe run: only the file it wrote is read again, and what it added shows.
    record(site.root, "eu", [CheckResult("api", at, Measured.DEGRADED, 900.0, "slow")])
    parsed.clear()  # what the run read to add to
    assert history_of(site)["api"].days[1].checks == 2
    assert parsed == ["uptime/api/2026-11.eu.csv"]
    parsed.clear()
    build_site(site.root, out, NOW + timedelta(minutes=2))
    assert parsed == []  # the check kept what it read
    assert snapshot(out) == cold_build(site, NOW + timedelta(minutes=2))


def test_a_damaged_history_memo_is_read_again(site: SiteDir) -> None:
    from statuspage.model.probes import CheckResult, Measured
    from statuspage.probes.record import record

    at = datetime(2026, 11, 3, 12, tzinfo=UTC)
    record(site.root, "eu", [CheckResult("api", at, Measured.UP, 12.5, "HTTP 200")])
    expected = history_of(site)
    cache = BuildCache(site.root / ".statuspage-cache")
    (value,) = cache._db.execute("SELECT value FROM memos").fetchone()
    rows = marshal.loads(value)
    damaged = marshal.dumps(((rows[0][0] + 1, *rows[0][1:]),))  # another day: the checksum tells
    cache._db.execute("UPDATE memos SET value = ?", (damaged,))
    cache.close()
    assert history_of(site) == expected


def test_what_probes_count_in_the_window_is_kept_while_their_files_and_window_are(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statuspage.probes.record import record
    from statuspage.sources import history

    site = make_site(MEASURED, {"db": RESOLVED})
    at = datetime(2026, 11, 20, 12, tzinfo=UTC)
    record(site.root, "eu", [CheckResult("dash", at, Measured.DOWN, None, "HTTP 503")])
    record(site.root, "us", [CheckResult("dash", at, Measured.UP, 80.0, "HTTP 200")])
    made: list[object] = []
    real = history.plain_windows
    monkeypatch.setattr(history, "plain_windows", lambda *a: made.append(a) or real(*a))
    out = site.root / "public"
    build_site(site.root, out, NOW)
    assert len(made) == 1
    later = NOW + timedelta(minutes=5)
    build_site(site.root, out, later)
    assert len(made) == 1  # taken from the cache
    assert snapshot(out) == cold_build(site, later)
    cache = BuildCache(site.root / ".statuspage-cache")
    key, _ = cache.get("probe windows")
    cache.put("probe windows", (key, {"dash": ((1, 2, 3),) * 90}))  # damaged: not used
    cache.close()
    later += timedelta(minutes=5)
    build_site(site.root, out, later)
    assert len(made) == 2
    assert snapshot(out) == cold_build(site, later)
    later += timedelta(days=1)  # the window moves: counted again
    build_site(site.root, out, later)
    assert len(made) == 3
    assert snapshot(out) == cold_build(site, later)
    record(site.root, "eu", [CheckResult("dash", at, Measured.UP, 80.0, "HTTP 200")])
    build_site(site.root, out, later)  # a probe run changed a file: counted again
    assert len(made) == 4
    assert snapshot(out) == cold_build(site, later)


def test_pages_whose_templates_show_the_state_follow_it(site: SiteDir) -> None:
    base = (REPO / "site-template" / "base.html").read_text()
    site.write(
        "site-template/base.html",
        base.replace(
            '<main id="main"', '<p class="now">{{ banners[overall] }}</p>\n<main id="main"'
        ),
    )
    out = site.root / "public"
    build_site(site.root, out, NOW)
    site.incident("hooks", OPEN)  # webhooks now degraded: every page shows it
    result = build_site(site.root, out, NOW)
    # all pages but the stylesheet and the icon, the new incident's; feeds of the
    # new incident, its component and the site; the API; badges of the site and component;
    # the social drafts
    assert result.rendered == 9 + 9 + 8 + 4 + 1
    assert "Degraded performance" in (out / "incidents/db/index.html").read_text()
    assert snapshot(out) == cold_build(site, NOW)


def test_files_of_unchanged_incidents_are_not_planned_again(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statuspage.render.outputs import SiteRenderer

    site = make_site(incidents={f"i{n}": RESOLVED for n in range(5)})
    skipped: list[set[str]] = []
    real_plan = SiteRenderer.plan

    def spy(self: SiteRenderer, skip: Container[str] = ()) -> list[Job]:
        skipped.append(set(skip))
        return real_plan(self, skip)

    monkeypatch.setattr(SiteRenderer, "plan", spy)
    out = site.root / "public"
    build_site(site.root, out, NOW)
    site.incident("i2", RESOLVED.replace("Fixed.", "Done."))
    build_site(site.root, out, NOW)
    build_site(site.root, out, NOW + timedelta(hours=1))  # closed incidents' files keep theirs
    site.incident("i5", OPEN)
    build_site(site.root, out, NOW + timedelta(hours=1))
    build_site(site.root, out, NOW + timedelta(hours=2))  # an open incident's may follow it
    assert skipped == [
        set(),
        {"i0", "i1", "i3", "i4"},
        {"i0", "i1", "i2", "i3", "i4"},
        {"i0", "i1", "i2", "i3", "i4"},
        {"i0", "i1", "i2", "i3", "i4"},
    ]
    assert snapshot(out) == cold_build(site, NOW + timedelta(hours=2))


def test_the_list_pages_that_show_an_ongoing_incident_follow_the_clock(
    make_site: MakeSite,
) -> None:
    # 60 resolved incidents newer than one left open: it is on the second history page.
    incidents = {
        f"i{n:02d}": RESOLVED.replace("2026-11-20", f"2026-11-{n % 20 + 1:02d}").replace(
            "2026-11", "2026-10" if n < 30 else "2026-11"
        )
        for n in range(60)
    }
    old_open = OPEN.replace("2026-11-23T09:00:00Z", "2026-09-01T09:00:00Z")
    site = make_site(incidents={**incidents, "stuck": old_open})
    out = site.root / "public"
    build_site(site.root, out, NOW)
    later = NOW + timedelta(hours=1)
    result = build_site(site.root, out, later)
    assert "ongoing for" in (out / "history/page/2/index.html").read_text()
    assert snapshot(out) == cold_build(site, later)
    # The status page and the components' first pages (one lists it), the incident's page
    # and the second history page; and components.json, whose figures count today for longer.
    assert result.rendered == 1 + 4 + 2 + 1


def history_of_api_health(down_on_20th: int, latest_at: datetime) -> list[object]:
    """api-health's days as add_probes writes them, with other numbers for two of them."""
    days = [NOW.date() - timedelta(days=back) for back in range(29, 0, -1)]
    rows = [
        day_counters(d, 100, down_on_20th if d == date(2026, 11, 20) else 0, (80, 20)) for d in days
    ]
    latest = CheckResult("api-health", latest_at, Measured.DOWN, 61.0, "HTTP 503")
    return [*rows, day_counters(NOW.date(), 48, 6, (40, 8), latest)]


@pytest.mark.parametrize("workers", [1, 2])
def test_pages_that_show_uptime_follow_the_probes_history_and_the_clock(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch, workers: int
) -> None:
    monkeypatch.setattr(parallel, "MIN_ITEMS_PER_WORKER", 1)  # fork even for this small site
    # An incident of 1 Oct only the bars name (the index lists 14 days), and 50 older ones:
    # the API's second page shows its state and the note on it, not its uptime.
    older = RESOLVED.replace("2026-11-20", "2026-10-01").replace("Elevated error", "Old")
    oldest = {f"i{n:02d}": RESOLVED.replace("2026-11-20", "2026-06-01") for n in range(50)}
    site = make_site(incidents={"db": RESOLVED, "old": older, **oldest})
    add_probes(site)
    out = site.root / "public"
    five_ago = NOW - timedelta(minutes=5)
    upstream = (("Git Operations", "major_outage"), ("API Requests", "operational"))
    github = CheckResult("github", NOW, Measured.DOWN, 80.0, "upstream", upstream)
    # (what happens, when, a page that shows it and a text it then holds)
    steps: list[tuple[str, Callable[[], object], datetime, str, str]] = [
        ("first build", lambda: None, NOW, "components/api/index.html", "95.00 % uptime"),
        (
            "more checks down on a day",
            lambda: write_history(site, "api-health", history_of_api_health(40, five_ago)),
            NOW,
            "index.html",
            "80.00 % uptime",
        ),
        (
            "slower answers, the same checks",
            lambda: write_history(
                site,
                "api-port",
                [
                    day_counters(NOW.date() - timedelta(days=b), 100, 0, (0, 100))
                    for b in range(29, 0, -1)
                ]
                + [
                    day_counters(
                        NOW.date(),
                        48,
                        0,
                        (0, 48),
                        CheckResult("api-port", NOW, Measured.UP, 60.0, "connected"),
                    )
                ],
            ),
            NOW,
            "components/api/index.html",
            "Median 75 ms",
        ),
        (
            "an incident only the bars name is renamed",
            lambda: site.incident("old", older.replace("title: Old", "title: Renamed")),
            NOW,
            "index.html",
            "Incident: Renamed rates",
        ),
        (
            "the probe went down earlier",
            lambda: write_history(
                site, "api-health", history_of_api_health(40, NOW - timedelta(minutes=20))
            ),
            NOW,
            "components/api/page/2/index.html",
            '(measured by api-health since <time datetime="2026-11-23T11:40:00+00:00">',
        ),
        (
            "an upstream page gets worse",
            lambda: write_history(site, "github", [day_counters(NOW.date(), 1, 1, (0, 1), github)]),
            NOW,
            "index.html",
            'GitHub (upstream)</a>: <span class="state state-major_outage">',
        ),
        (
            "a day later",
            lambda: None,
            NOW + timedelta(days=1),
            "index.html",
            "24 Nov 2026 UTC: 100.00 % uptime, operational",
        ),
    ]
    for name, change, now, path, shown in steps:
        change()
        build_site(site.root, out, now, workers=workers)
        assert shown in (out / path).read_text(), name
        assert snapshot(out) == cold_build(site, now), name


# -- nothing outside --out and the cache is ever created, changed or deleted -----------


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A home folder and a user cache folder inside the sandbox."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "home" / ".cache"))
    return tmp_path / "home"


def web_root(out: Path, site: SiteDir) -> None:
    tree(out, {"index.html": "<h1>Our shop</h1>", "blog/2026/launch.html": "<p>We launched</p>"})


def old_output(out: Path, site: SiteDir) -> None:
    build_site(site.root, out, NOW, use_cache=False)
    (out / MARKER).unlink()  # as a build before builds marked their folders left it


def foreign_spare(out: Path, site: SiteDir) -> None:
    tree(out.with_name(".public.spare"), {"notes.txt": "mine"})


def foreign_staging(out: Path, site: SiteDir) -> None:
    tree(out.with_name(".public.tmp-99999"), {"notes.txt": "mine"})


def symlink_to_folder(out: Path, site: SiteDir) -> None:
    target = out.parent / "srv" / "status"
    target.mkdir(parents=True)
    out.symlink_to(target)


def missing_parent(out: Path, site: SiteDir) -> None:
    pass  # --out is deeper/still/public: its folders are made


def empty(out: Path, site: SiteDir) -> None:
    out.mkdir()


def tree(folder: Path, files: dict[str, str]) -> None:
    for path, text in files.items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_text(text)


REFUSALS = {
    web_root: "{out} is not empty and was not written by statuspage (no .statuspage-build); "
    "empty it, or choose another --out",
    old_output: "{out} holds a site built by an older statuspage, which did not mark its output "
    "(no .statuspage-build); delete the folder and build again, or choose another --out",
    foreign_spare: "{spare} is in the way of building {out} and was not written by statuspage "
    "(no .statuspage-build); move it away, or choose another --out",
}


_COLD: dict[datetime, dict[str, bytes]] = {}  # every case builds the same site


@pytest.mark.parametrize(
    ("setup", "use_cache"),
    [
        (web_root, True),  # refused before a cache is opened
        (old_output, True),
        (foreign_spare, True),  # without a cache there is no spare
        *(
            (setup, use_cache)
            for setup in (foreign_staging, symlink_to_folder, missing_parent, empty)
            for use_cache in (True, False)
        ),
    ],
)
def test_a_build_changes_nothing_outside_the_output_and_the_cache(
    site: SiteDir,
    tmp_path: Path,
    home: Path,
    monkeypatch: pytest.MonkeyPatch,
    setup: Callable[[Path, SiteDir], None],
    use_cache: bool,
) -> None:
    out = tmp_path / ("deeper/still/public" if setup is missing_parent else "public")
    cache = site.root / ".statuspage-cache"
    spare = out.with_name(".public.spare")
    if setup is foreign_spare:  # as when the cache is on another file system than --out
        monkeypatch.setattr(build, "spare_folder", lambda out, cache: spare)
    setup(out, site)
    refusal = REFUSALS.get(setup)
    later = NOW + timedelta(hours=1)
    if not refusal:  # made before the listing: a cold build writes beside the site
        for now in (NOW, later):
            _COLD[now] = _COLD.get(now) or cold_build(site, now)
    kept = (cache,) if refusal else (out.resolve(), cache)
    before = sandbox(tmp_path, *kept)
    if refusal:
        with pytest.raises(OutputError) as error:
            build_site(site.root, out, NOW, use_cache=use_cache)
        assert str(error.value) == refusal.format(out=out, spare=spare)
        assert sandbox(tmp_path, *kept) == before
        return
    for now in (NOW, later):  # the second build writes into the spare, where there is one
        build_site(site.root, out, now, use_cache=use_cache)
        assert snapshot(out.resolve()) == _COLD[now]
        assert sandbox(tmp_path, *kept) == before


def fail_fifth_write(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make the fifth file a build writes fail as on a full disk; return the paths tried."""
    written: list[str] = []
    real_write = TreeWriter.write

    def failing_write(self: TreeWriter, path: str, content: bytes) -> int:
        written.append(path)
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        return real_write(self, path, content)

    monkeypatch.setattr(TreeWriter, "write", failing_write)
    return written


def test_a_failure_leaves_no_half_written_spare_beside_the_output(
    site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "public"
    spare = tmp_path / ".public.spare"
    # As when the cache is on another file system than --out: the spare is beside it.
    monkeypatch.setattr(build, "spare_folder", lambda out, cache: spare)
    build_site(site.root, out, NOW)
    build_site(site.root, out, NOW + timedelta(hours=1))
    assert snapshot(spare) == cold_build(site, NOW)  # the old site, ready to be brought up to date
    before = snapshot(out)
    with monkeypatch.context() as failing:
        fail_fifth_write(failing)
        with pytest.raises(OutputError, match="No space left on device"):
            build_site(site.root, out, NOW + timedelta(hours=2), workers=1)
    assert snapshot(out) == before
    assert not spare.exists()
    build_site(site.root, out, NOW + timedelta(hours=3))
    assert snapshot(out) == cold_build(site, NOW + timedelta(hours=3))


@pytest.mark.parametrize("use_cache", [True, False])
def test_a_build_removes_what_killed_builds_left_beside_the_output(
    site: SiteDir, tmp_path: Path, use_cache: bool
) -> None:
    out = tmp_path / "public"
    child = subprocess.Popen(["true"])
    child.wait()  # a build in a process that is gone, killed halfway through
    tree(tmp_path / f".public.tmp-{child.pid}", {MARKER: MARKER_TEXT.decode(), "index.html": ""})
    tree(tmp_path / ".public.tmp-99999", {"notes.txt": "not ours: kept"})
    build_site(site.root, out, NOW, use_cache=use_cache)
    assert sorted(p.name for p in tmp_path.iterdir()) == [".public.tmp-99999", "public", "site"]


class ReadOnlySite:
    """Make the site's folder refuse the cache as a read-only mount does.

    Tests run as root, whom permission bits do not stop, and read-only mounts need a user
    namespace that CI may not have: creating the cache in the site's folder raises EROFS.
    """

    def __init__(self, root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
        real = build.BuildCache

        def cache(folder: Path) -> BuildCache:
            if folder == root / ".statuspage-cache":
                raise OSError(errno.EROFS, "Read-only file system", str(folder))
            return real(folder)

        monkeypatch.setattr(build, "BuildCache", cache)


def test_a_read_only_site_builds_with_its_cache_elsewhere(
    site: SiteDir, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ReadOnlySite(site.root, monkeypatch)
    out = tmp_path / "public"
    moved = home / ".cache" / "statuspage" / digest(str(site.root))
    line = (
        f"{site.root}/.statuspage-cache: warning: cannot keep the build cache here "
        f"(Read-only file system); keeping it in {moved}"
    )
    expected = cold_build(site, NOW)
    before = sandbox(tmp_path, out, home)
    warnings: list[str] = []
    result = build_site(site.root, out, NOW, warn=warnings.append)
    assert (warnings, snapshot(out)) == ([line], expected)
    assert (moved / "cache.sqlite3").is_file()
    assert build_site(site.root, out, NOW, warn=warnings.append).unchanged  # the cache works
    assert result.rendered == 55
    warnings.clear()
    checked = check_site(site.root, warn=warnings.append, report=lambda finding: None)
    assert [i.id for i in checked.incidents] == ["db"]
    assert warnings == [line]  # the communication checks' warnings go to `report`
    assert sandbox(tmp_path, out, home) == before
    with pytest.raises(OutputError) as error:
        build_site(site.root, moved / "public", NOW)
    assert str(error.value) == (
        f"{moved / 'public'} is inside the build cache ({moved}); choose another --out"
    )


def test_a_read_only_site_builds_without_a_cache_where_there_is_no_other_place(
    site: SiteDir, tmp_path: Path, home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    ReadOnlySite(site.root, monkeypatch)
    home.write_text("a file where the home folder should be")
    out = tmp_path / "public"
    expected = cold_build(site, NOW)
    before = sandbox(tmp_path, out)
    warnings: list[str] = []
    build_site(site.root, out, NOW, warn=warnings.append)
    moved = home / ".cache" / "statuspage" / digest(str(site.root))
    assert warnings == [
        f"{site.root}/.statuspage-cache: warning: cannot keep the build cache here "
        f"(Read-only file system) nor in {moved} (Not a directory); building without it"
    ]
    assert snapshot(out) == expected
    assert sandbox(tmp_path, out) == before


def test_a_component_named_like_a_file_of_the_site_is_refused(make_site: MakeSite) -> None:
    site = make_site(CONFIG.replace("id: docs", "id: status"), {"db": RESOLVED})
    out = site.root / "public"
    for run in (lambda: build_site(site.root, out, NOW), lambda: check_site(site.root)):
        with pytest.raises(ValidationFailed) as failure:
            run()
        assert [str(p) for p in failure.value.problems] == [
            "statuspage.yaml:14:9: component id 'status' is reserved: the site itself writes "
            "badges/status.svg; choose another id"
        ]
    assert not out.exists()


def test_a_spare_in_the_cache_is_the_build_s_own_even_without_a_marker(site: SiteDir) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    build_site(site.root, out, NOW + timedelta(hours=1))
    spare = spare_of(site)
    (spare / MARKER).unlink()  # as a build from before builds marked their folders left it
    (spare / "stale.html").write_text("unknown contents now")
    build_site(site.root, out, NOW + timedelta(hours=2))
    assert snapshot(out) == cold_build(site, NOW + timedelta(hours=2))


def test_a_folder_of_someone_else_s_where_the_build_would_stage_is_refused(
    site: SiteDir, tmp_path: Path
) -> None:
    out = tmp_path / "public"
    staging = tmp_path / f".public.tmp-{os.getpid()}"
    tree(staging, {"notes.txt": "mine"})
    with pytest.raises(OutputError) as error:
        build_site(site.root, out, NOW, use_cache=False)
    assert str(error.value) == (
        f"{staging} is in the way of building {out} and was not written by statuspage "
        f"(no .statuspage-build); move it away, or choose another --out"
    )
    assert (snapshot(staging), out.exists()) == ({"notes.txt": b"mine"}, False)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda path: os.mkfifo(path), "not a regular file; replace it with the site's "),
        (lambda path: path.mkdir(), "not a regular file; replace it with the site's "),
        (lambda path: path.symlink_to(path), "a symlink to nothing (or in a circle); "),
        (lambda path: path.symlink_to("gone.yaml"), "a symlink to nothing (or in a circle); "),
    ],
)
def test_a_statuspage_yaml_that_is_no_file_is_named_as_such(
    tmp_path: Path, make: Callable[[Path], None], message: str
) -> None:
    make(tmp_path / "statuspage.yaml")
    with pytest.raises(ValidationFailed) as error:
        build_site(tmp_path, tmp_path / "public", NOW)
    assert str(error.value).startswith(f"statuspage.yaml: {message}")
    assert not (tmp_path / "public").exists()


def test_check_keeps_the_components_files_in_the_cache_while_the_code_is_the_same(
    make_site: MakeSite,
) -> None:
    text = CONFIG.replace("id: docs", "id: status").replace("id: webhooks", "id: api-uptime")
    site = make_site(config=text)
    expected = [
        "statuspage.yaml:12:9: component id 'api-uptime' would write badges/api-uptime.svg, "
        "which component 'api' (line 5) writes too; choose another id",
        "statuspage.yaml:14:9: component id 'status' is reserved: the site itself writes "
        "badges/status.svg; choose another id",
    ]
    # Asking the renderers, then reading the cache: without importing them, nor Jinja.
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from statuspage.engine.build import check_site\n"
        "from statuspage.errors import ValidationFailed\n"
        "try:\n"
        f"    check_site(Path({str(site.root)!r}))\n"
        "except ValidationFailed as failure:\n"
        "    print(*failure.problems, sep='\\n')\n"
        "print('jinja2' in sys.modules, 'statuspage.render.outputs' in sys.modules)\n"
    )
    for imported in ("True True", "False False"):
        shown = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True
        ).stdout
        assert shown.splitlines() == [*expected, imported]
    cache = BuildCache(site.root / ".statuspage-cache")
    try:
        stamp, patterns, reserved = cache.get("component files")
        asked = outputs.component_files()
        assert (patterns, reserved) == (asked.patterns, {"status": "badges/status.svg"})
        # What the cache says is used...
        cache.put("component files", (stamp, ("pages/<id>",), {"api": "somewhere"}))
        assert build.component_files(cache) == (("pages/<id>",), {"api": "somewhere"})
        # ... while statuspage's code is the same.
        cache.put("component files", (["another version"], ("pages/<id>",), {}))
        assert build.component_files(cache) == (asked.patterns, {"status": "badges/status.svg"})
    finally:
        cache.close()


def test_a_build_imports_no_network_code(make_site: MakeSite, tmp_path: Path) -> None:
    """Probes and publishers touch the network: a build (and check) never loads them."""
    site = make_site(incidents={"db": RESOLVED})
    script = (
        "import sys\n"
        "from datetime import datetime, UTC\n"
        "from pathlib import Path\n"
        "from statuspage.cli import main\n"
        "from statuspage.engine.build import build_site, check_site\n"
        f"check_site(Path({str(site.root)!r}))\n"
        f"out = Path({str(tmp_path / 'out')!r})\n"
        f"build_site(Path({str(site.root)!r}), out, datetime.now(UTC))\n"
        "loaded = [m for m in sys.modules if m.split('.')[0] in ('httpx', 'dns', 'httpcore')"
        " or m.startswith('statuspage.probes')]\n"
        "print(loaded)\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert shown == "[]\n"


@pytest.mark.skipif(sys.platform != "linux", reason="the scan forks on Linux only")
def test_a_large_site_is_scanned_beside_the_build_with_the_same_result(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    from statuspage.engine import background

    site = make_site(incidents={"db": RESOLVED, "api": OPEN})
    site.write("incidents/x.YAML", RESOLVED)  # a warning, which must come through too
    monkeypatch.setattr(build, "BACKGROUND_SCAN_INCIDENTS", 2)  # "large": two incidents
    monkeypatch.setattr(background, "can_fork", lambda: True)
    monkeypatch.setattr(build, "can_fork", lambda: True)
    forked: list[bool] = []
    results: list[int] = []  # the builds that asked for the whole scan

    class Spy(background.Background[Any]):
        def __init__(self, *args: Any, **options: Any) -> None:
            forked.append(options["fork"])
            super().__init__(*args, **options)

        def result(self) -> Any:
            results.append(len(forked))
            return super().result()

    monkeypatch.setattr(build, "Background", Spy)
    out = site.root / "public"
    warned: list[str] = []
    build_site(site.root, out, NOW, warn=warned.append)  # no build yet: no size known
    build_site(site.root, out, NOW, warn=warned.append)
    site.write("incidents/db.yaml", RESOLVED.replace("Fixed.", "Fixed for good."))
    time.sleep(0.06)  # past the racy window of this file system's clock
    assert not build_site(site.root, out, NOW, warn=warned.append).unchanged
    assert build_site(site.root, out, NOW, warn=warned.append).unchanged  # told by the head
    build_site(site.root, out, NOW, workers=1, warn=warned.append)  # one process: no fork
    assert forked == [False, True, True, True, False]
    assert 3 in results and 4 not in results  # the fourth needed no more than the head
    assert len(set(warned)) == 1 and len(warned) == 5
    assert snapshot(out) == cold_build(site, NOW)

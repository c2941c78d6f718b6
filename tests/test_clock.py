"""Times after the build's clock are refused, at the line to fix (statuspage.sources.clock)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner

from statuspage.cli import main
from statuspage.engine.build import build_site
from statuspage.errors import ValidationFailed
from tests.conftest import MakeSite

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)

# Written at 15:00 in Moscow (+03:00) with Z: three hours ahead of the clock.
AHEAD = """\
title: Errors
impact: major
components: [api]
updates:
  - at: 2026-11-20T11:40:00Z
    status: investigating
    message: Errors.
  - at: 2026-11-20T15:00:00Z
    status: identified
    message: Found it.
"""


def test_an_update_after_the_clock_is_a_problem_naming_its_line(make_site: MakeSite) -> None:
    site = make_site(incidents={"errors": AHEAD})
    out = site.root / "public"
    with pytest.raises(ValidationFailed) as caught:
        build_site(site.root, out, NOW)
    assert [str(p) for p in caught.value.problems] == [
        "incidents/errors.yaml:8:9: 'at' (2026-11-20T15:00:00+00:00) is 3 hours in the future "
        "(the build's clock says 2026-11-20T12:00:00+00:00); check the UTC offset, or build "
        "with --now"
    ]
    assert not out.exists()  # nothing written


def test_check_reports_it_too_and_fails(make_site: MakeSite) -> None:
    site = make_site(incidents={"errors": AHEAD})
    result = CliRunner().invoke(main, ["check", "--root", str(site.root), "--now", NOW.isoformat()])
    assert result.exit_code == 1
    assert result.stdout.startswith("incidents/errors.yaml:8:9: 'at' (2026-11-20T15:00:00+00:00)")
    assert result.stdout.endswith("Found 1 problem in 1 file.\n")


def test_a_time_within_the_clock_skew_is_accepted(make_site: MakeSite) -> None:
    text = AHEAD.replace("2026-11-20T15:00:00Z", "2026-11-20T12:01:30Z")
    site = make_site(incidents={"errors": text})
    build_site(site.root, site.root / "public", NOW)
    assert (site.root / "public/incidents/errors/index.html").exists()


def test_edits_postmortems_and_detection_in_the_future_are_named_each(
    make_site: MakeSite,
) -> None:
    text = """\
title: Errors
impact: major
components: [api]
detected_at: 2026-11-20T11:00:00Z
updates:
  - at: 2026-11-20T11:10:00Z
    edited_at: 2026-11-21T11:10:00Z
    status: resolved
    message: Fixed.
postmortem_at: 2026-11-22T11:10:00Z
admission: a
cause: b
fix: c
prevention: d
"""
    site = make_site(incidents={"errors": text})
    with pytest.raises(ValidationFailed) as caught:
        build_site(site.root, site.root / "public", NOW)
    assert [(p.line, p.column, p.message.split(" (")[0]) for p in caught.value.problems] == [
        (7, 16, "'edited_at'"),
        (10, 16, "'postmortem_at'"),
    ]
    assert "is 23 hours 10 minutes in the future" in caught.value.problems[0].message


def test_a_later_build_accepts_what_was_in_the_future(make_site: MakeSite) -> None:
    site = make_site(incidents={"errors": AHEAD})
    with pytest.raises(ValidationFailed):
        build_site(site.root, site.root / "public", NOW)
    later = datetime(2026, 11, 20, 15, 5, tzinfo=UTC)
    build_site(site.root, site.root / "public", later)  # the cached summary, now in the past
    assert (site.root / "public/incidents/errors/index.html").exists()

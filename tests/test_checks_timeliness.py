"""The rules about time: stale-incident, missed-next-update, late-first-post,
postmortem-overdue, maintenance-unannounced and maintenance-overrun
(statuspage.checks.timeliness), each firing and not, tuned and silenced."""

from __future__ import annotations

from datetime import UTC, datetime

from click.testing import CliRunner

from statuspage.cli import main
from tests.conftest import CONFIG, MakeSite, SiteDir

OPEN = """\
title: Webhooks delayed
impact: minor
components: [webhooks]
detected_at: 2026-11-23T08:58:00Z
updates:
  - at: 2026-11-23T09:00:00Z
    status: investigating
    message: Deliveries are late by 20 minutes.
  - at: 2026-11-23T09:20:00Z
    status: identified
    message: One delivery worker is stuck; we are replacing it.
"""


def warnings_of(site: SiteDir, now: datetime, *options: str) -> list[str]:
    """The warnings `check` prints at `now`, one per line."""
    result = CliRunner().invoke(
        main, ["check", "--root", str(site.root), "--now", now.isoformat(), *options]
    )
    assert result.exit_code == 0, result.output
    return [line for line in result.stderr.splitlines() if "warning[" in line]


def at(hour: int, minute: int = 0, day: int = 23) -> datetime:
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def test_an_open_incident_quiet_for_over_30_minutes_is_stale(make_site: MakeSite) -> None:
    site = make_site(incidents={"hooks": OPEN})
    assert warnings_of(site, at(9, 50)) == []
    assert warnings_of(site, at(9, 51)) == [
        "incidents/hooks.yaml:9:5: warning[stale-incident]: open for 51 minutes and not "
        "updated for 31 minutes (last at 23 Nov 2026, 09:20 UTC); post an update now, even "
        "to say the work goes on, and say when the next one will come"
    ]


def test_stale_after_is_tuned_in_statuspage_yaml(make_site: MakeSite) -> None:
    config = CONFIG + "checks:\n  stale-incident: {after: 1h}\n"
    site = make_site(config, incidents={"hooks": OPEN})
    assert warnings_of(site, at(10, 20)) == []
    assert len(warnings_of(site, at(10, 21))) == 1


def test_a_rule_turned_off_says_nothing(make_site: MakeSite) -> None:
    config = CONFIG + "checks:\n  stale-incident: off\n"
    site = make_site(config, incidents={"hooks": OPEN})
    assert warnings_of(site, at(12)) == []


def test_a_comment_silences_the_rule_for_that_update(make_site: MakeSite) -> None:
    silenced = OPEN.replace(
        "  - at: 2026-11-23T09:20:00Z\n",
        "  # statuspage: ignore[stale-incident] the fix runs overnight, as the update says\n"
        "  - at: 2026-11-23T09:20:00Z\n",
    )
    site = make_site(incidents={"hooks": silenced})
    assert warnings_of(site, at(12)) == []
    other = silenced.replace("ignore[stale-incident]", "ignore[jargon]")
    site.incident("hooks", other)
    assert [w.split(": warning")[0] for w in warnings_of(site, at(12))] == [
        "incidents/hooks.yaml:10:5"
    ]


def test_a_promised_update_that_has_not_come_is_missed(make_site: MakeSite) -> None:
    promised = OPEN + "    next_update: 1h\n"
    site = make_site(incidents={"hooks": promised})
    # Until the promise is due, the incident is not stale either: the readers know when.
    assert warnings_of(site, at(10, 20)) == []
    assert warnings_of(site, at(10, 35)) == [
        "incidents/hooks.yaml:12:18: warning[missed-next-update]: the update at 23 Nov 2026, "
        "09:20 UTC promised the next by 10:20 UTC, 15 minutes ago; post an update now, and "
        "promise a time you can keep",
    ]  # and not stale-incident too: one lapse, one warning


def test_a_first_post_long_after_detection_is_late(make_site: MakeSite) -> None:
    site = make_site(incidents={"hooks": OPEN})  # 2 minutes: in time
    assert warnings_of(site, at(9, 30)) == []
    late = OPEN.replace("detected_at: 2026-11-23T08:58:00Z", "detected_at: 2026-11-23T08:41:00Z")
    site.incident("hooks", late)
    assert warnings_of(site, at(9, 30)) == [
        "incidents/hooks.yaml:6:9: warning[late-first-post]: the first post came 19 minutes "
        "after the team noticed (detected_at 23 Nov 2026, 08:41 UTC); post within 5 minutes "
        "of noticing, even before the cause is known"
    ]


RESOLVED_MAJOR = """\
title: Errors
impact: major
components: [api]
updates:
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: About 20 % of requests fail.
  - at: 2026-11-20T15:00:00Z
    status: resolved
    message: Back to normal. No data was lost.
"""


def test_a_major_incident_without_a_postmortem_after_5_days_is_overdue(
    make_site: MakeSite,
) -> None:
    site = make_site(incidents={"errors": RESOLVED_MAJOR})
    assert warnings_of(site, at(15, 0, day=25)) == []
    assert warnings_of(site, at(15, 1, day=25)) == [
        "incidents/errors.yaml:8:5: warning[postmortem-overdue]: resolved 5 days ago "
        "(20 Nov 2026, 15:00 UTC) and no postmortem yet; a major incident's is due within "
        "5 days: write admission, cause, fix and prevention, and set postmortem_at"
    ]
    minor = RESOLVED_MAJOR.replace("impact: major", "impact: minor")
    site.incident("errors", minor)
    assert warnings_of(site, at(12, day=30)) == []


WINDOW = """\
title: Database upgrade
kind: maintenance
components: [api]
scheduled_for: 2026-11-23T02:00:00Z
scheduled_until: 2026-11-23T04:00:00Z
updates:
  - at: 2026-11-16T12:00:00Z
    status: scheduled
    message: Upgrade planned.
"""


def test_a_window_that_began_without_a_word_is_unannounced(make_site: MakeSite) -> None:
    site = make_site(incidents={"upgrade": WINDOW})
    assert warnings_of(site, at(2, 10)) == []
    assert warnings_of(site, at(2, 11)) == [
        "incidents/upgrade.yaml:4:16: warning[maintenance-unannounced]: the window began at "
        "23 Nov 2026, 02:00 UTC, 11 minutes ago, and no update says the work started; post "
        "an update with status in_progress (until then the page shows it in progress by the "
        "window)"
    ]
    started = WINDOW + "  - at: 2026-11-23T02:01:00Z\n    status: in_progress\n    message: Go.\n"
    site.incident("upgrade", started)
    assert warnings_of(site, at(2, 30)) == []


def test_a_window_that_ended_without_a_word_is_overrun(make_site: MakeSite) -> None:
    started = WINDOW + "  - at: 2026-11-23T02:01:00Z\n    status: in_progress\n    message: Go.\n"
    site = make_site(incidents={"upgrade": started})
    assert warnings_of(site, at(4, 10)) == []
    assert warnings_of(site, at(4, 30)) == [
        "incidents/upgrade.yaml:5:18: warning[maintenance-overrun]: the window ended at 23 Nov "
        "2026, 04:00 UTC, 30 minutes ago, and no update says the work is done; post one with "
        "status completed, or say how much longer it will take"
    ]
    done = started + "  - at: 2026-11-23T03:50:00Z\n    status: completed\n    message: Done.\n"
    site.incident("upgrade", done)
    assert warnings_of(site, at(4, 30)) == []

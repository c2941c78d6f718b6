"""Facts derived from updates: status, times, duration and component states."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from statuspage.model import ComponentState, Impact, Status, worst
from statuspage.render.views import current_states
from tests.conftest import NOW, RESOLVED, MakeSite

OP = ComponentState.OPERATIONAL
DEGRADED = ComponentState.DEGRADED_PERFORMANCE
PARTIAL = ComponentState.PARTIAL_OUTAGE
MAJOR = ComponentState.MAJOR_OUTAGE
MAINT = ComponentState.UNDER_MAINTENANCE

OPEN = """\
title: Slow API
impact: {impact}
components: [api, dashboard]
updates:
  - at: 2026-11-23T09:00:00+01:00
    status: investigating
    message: Slow.
  - at: 2026-11-23T09:30:00+01:00
    status: identified
    message: Found it.
"""


def test_status_start_resolution_and_duration_come_from_updates(make_site: MakeSite) -> None:
    incident = make_site(incidents={"db": RESOLVED}).load().incidents[0]
    assert incident.status is Status.RESOLVED
    assert not incident.is_open
    assert incident.started_at == datetime(2026, 11, 20, 14, 10, tzinfo=UTC)
    assert incident.resolved_at == datetime(2026, 11, 20, 15, 52, tzinfo=UTC)
    assert incident.duration(NOW) == timedelta(hours=1, minutes=42)


def test_an_open_incident_lasts_until_now(make_site: MakeSite) -> None:
    incident = make_site(incidents={"x": OPEN.format(impact="minor")}).load().incidents[0]
    assert incident.status is Status.IDENTIFIED
    assert incident.is_open
    assert incident.resolved_at is None
    assert incident.duration(NOW) == timedelta(hours=4)  # 08:00Z to 12:00Z


def test_open_incidents_put_components_in_the_state_of_their_impact(make_site: MakeSite) -> None:
    for impact, state in [
        ("none", OP),
        ("minor", DEGRADED),
        ("major", PARTIAL),
        ("critical", MAJOR),
    ]:
        site = make_site(incidents={"x": OPEN.format(impact=impact)}).load()
        assert site.incidents[0].impact is Impact(impact)
        assert site.incidents[0].latest.states == (("api", state), ("dashboard", state))
        assert current_states(site) == {
            "api": state,
            "dashboard": state,
            "webhooks": OP,
            "docs": OP,
        }


def test_explicit_states_last_until_changed_and_resolution_clears_them(
    make_site: MakeSite,
) -> None:
    text = """\
        title: Errors
        impact: major
        components: [api]
        updates:
          - at: 2026-11-20T14:00:00Z
            status: investigating
            message: Errors.
            components: {api: major_outage, webhooks: degraded_performance}
          - at: 2026-11-20T14:30:00Z
            status: identified
            message: Cause found.
          - at: 2026-11-20T15:00:00Z
            status: monitoring
            message: Recovering.
            components: {api: degraded_performance}
          - at: 2026-11-20T16:00:00Z
            status: resolved
            message: Done.
        """
    incident = make_site(incidents={"x": text}).load().incidents[0]
    assert incident.components == ("api", "webhooks")  # listed first, then named by updates
    assert [u.states for u in incident.updates] == [
        (("api", MAJOR), ("webhooks", DEGRADED)),
        (("api", MAJOR), ("webhooks", DEGRADED)),
        (("api", DEGRADED), ("webhooks", DEGRADED)),
        (("api", OP), ("webhooks", OP)),
    ]
    assert [u.changes for u in incident.updates] == [("api", "webhooks"), (), ("api",), ()]
    assert incident.transitions() == (
        (("api", OP, MAJOR), ("webhooks", OP, DEGRADED)),
        (),
        (("api", MAJOR, DEGRADED),),
        (("api", DEGRADED, OP), ("webhooks", DEGRADED, OP)),
    )


def test_maintenance_states_and_times(make_site: MakeSite) -> None:
    text = """\
        title: Upgrade
        kind: maintenance
        components: [api]
        scheduled_for: 2026-11-22T02:00:00Z
        scheduled_until: 2026-11-22T04:00:00Z
        updates:
          - at: 2026-11-15T12:00:00Z
            status: scheduled
            message: Planned.
          - at: 2026-11-22T02:05:00Z
            status: in_progress
            message: Started.
          - at: 2026-11-22T03:00:00Z
            status: verifying
            message: Checking.
          - at: 2026-11-22T03:10:00Z
            status: completed
            message: Done.
        """
    incident = make_site(incidents={"m": text}).load().incidents[0]
    assert [u.states for u in incident.updates] == [
        (("api", OP),),
        (("api", MAINT),),
        (("api", MAINT),),
        (("api", OP),),
    ]
    assert incident.started_at == datetime(2026, 11, 22, 2, 5, tzinfo=UTC)
    assert incident.sort_at == datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    assert incident.duration(NOW) == timedelta(hours=1, minutes=5)
    assert incident.has_begun


def test_the_worst_open_incident_sets_the_current_state(make_site: MakeSite) -> None:
    site = make_site(
        incidents={
            "minor": OPEN.format(impact="minor"),
            "major": OPEN.format(impact="major").replace("[api, dashboard]", "[dashboard]"),
            "old": RESOLVED,
        }
    ).load()
    assert current_states(site) == {
        "api": DEGRADED,
        "dashboard": PARTIAL,
        "webhooks": OP,
        "docs": OP,
    }
    assert worst(current_states(site).values()) is PARTIAL
    assert worst([]) is OP


def test_a_postmortem_is_there_when_any_section_is(make_site: MakeSite) -> None:
    site = make_site(incidents={"a": RESOLVED, "b": RESOLVED + "cause: A bad deploy.\n"}).load()
    by_id = {i.id: i for i in site.incidents}
    assert not by_id["a"].has_postmortem
    assert by_id["b"].has_postmortem


def test_labels() -> None:
    assert Status.IN_PROGRESS.label == "In progress"
    assert ComponentState.PARTIAL_OUTAGE.label == "Partial outage"
    assert [s.severity for s in ComponentState] == [0, 1, 2, 3, 4]

"""Facts derived from updates: status, times, duration and component states."""

from __future__ import annotations

import marshal
from dataclasses import FrozenInstanceError, fields, replace
from datetime import UTC, datetime, timedelta

import pytest

from statuspage.model import ComponentState, Impact, IncidentSummary, Kind, Status
from statuspage.model.ids import ID_PATTERN, MAX_ID_CHARS, WINDOWS_DEVICE_NAMES, id_problem
from statuspage.model.incident import RECORD_FIELDS
from tests.conftest import DEGRADED, MAINT, MAJOR, NOW, OP, RESOLVED, SLOW_API, MakeSite


def test_status_start_resolution_and_duration_come_from_updates(make_site: MakeSite) -> None:
    incident = make_site(incidents={"db": RESOLVED}).load().incidents[0]
    assert incident.status is Status.RESOLVED
    assert not incident.is_open
    assert incident.started_at == datetime(2026, 11, 20, 14, 10, tzinfo=UTC)
    assert incident.resolved_at == datetime(2026, 11, 20, 15, 52, tzinfo=UTC)
    assert incident.duration(NOW) == timedelta(hours=1, minutes=42)


def test_an_open_incident_lasts_until_now(make_site: MakeSite) -> None:
    incident = make_site(incidents={"x": SLOW_API.format(impact="minor")}).load().incidents[0]
    assert incident.status is Status.IDENTIFIED
    assert incident.is_open
    assert incident.resolved_at is None
    assert incident.duration(NOW) == timedelta(hours=4)  # 08:00Z to 12:00Z


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
    # What uptime reads: the updates where states changed, and the states from then on.
    assert incident.timeline == (
        (0, (("api", MAJOR), ("webhooks", DEGRADED))),
        (2, (("api", DEGRADED), ("webhooks", DEGRADED))),
        (3, (("api", OP), ("webhooks", OP))),
    )
    assert incident.summary().timeline == incident.timeline


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
    assert incident.timeline == ((1, (("api", MAINT),)), (3, (("api", OP),)))
    assert incident.started_at == datetime(2026, 11, 22, 2, 5, tzinfo=UTC)
    assert incident.sort_at == datetime(2026, 11, 22, 2, 0, tzinfo=UTC)
    assert incident.duration(NOW) == timedelta(hours=1, minutes=5)
    assert incident.has_begun


def test_a_postmortem_is_there_when_any_section_is(make_site: MakeSite) -> None:
    site = make_site(incidents={"a": RESOLVED, "b": RESOLVED + "cause: A bad deploy.\n"}).load()
    by_id = {i.id: i for i in site.incidents}
    assert not by_id["a"].has_postmortem
    assert by_id["b"].has_postmortem


def test_labels() -> None:
    assert Status.IN_PROGRESS.label == "In progress"
    assert ComponentState.PARTIAL_OUTAGE.label == "Partial outage"
    assert [s.severity for s in ComponentState] == [0, 1, 2, 3, 4]


def moment(minute: int) -> datetime:
    return datetime(2026, 11, 20, 14, minute, tzinfo=UTC)


def test_a_summary_survives_its_record_field_for_field() -> None:
    # Every field a value of its own, so that two positions swapped cannot go unseen.
    summary = IncidentSummary(
        id="x",
        path="incidents/x.yaml",
        digest="d",
        kind=Kind.MAINTENANCE,
        title="Upgrade",
        impact=Impact.MINOR,
        components=("api", "docs"),
        status=Status.IN_PROGRESS,
        created_at=moment(1),
        started_at=moment(2),
        resolved_at=moment(3),
        scheduled_for=moment(4),
        scheduled_until=moment(5),
        postmortem_at=moment(6),
        states=(("api", DEGRADED), ("docs", MAINT)),
        has_postmortem=True,
        update_times=(moment(1), moment(7)),
        updated_at=moment(8),
        state_changes="0 api=under_maintenance docs=under_maintenance;1 api=degraded_performance",
    )
    record = summary.to_record()
    assert len(record) == len(RECORD_FIELDS) == len(fields(IncidentSummary))
    assert marshal.loads(marshal.dumps(record)) == record  # plain values only
    assert IncidentSummary.from_record(record) == summary
    # The usual shape, whose times the record leaves to the updates': created and started
    # with the first update, resolved with the last.
    usual = replace(
        summary,
        created_at=moment(1),
        started_at=moment(1),
        resolved_at=moment(7),
        update_times=(moment(1), moment(7)),
    )
    record = usual.to_record()
    assert record[8:11] == (None, None, True)
    back = IncidentSummary.from_record(record)
    assert back == usual and type(back) is IncidentSummary
    open_one = replace(usual, resolved_at=None)
    assert IncidentSummary.from_record(open_one.to_record()) == open_one
    with pytest.raises(FrozenInstanceError):
        back.title = "changed"  # type: ignore[misc]


def test_an_incident_was_last_updated_by_its_newest_post_correction_or_postmortem(
    make_site: MakeSite,
) -> None:
    edited = RESOLVED.replace(
        "    message: We are seeing errors.\n",
        "    message: We are seeing errors.\n    edited_at: 2026-11-20T16:30:00Z\n",
    )
    published = (
        RESOLVED
        + "postmortem_at: 2026-11-22T10:00:00Z\n"
        + "".join(f"{section}: Text.\n" for section in ("admission", "cause", "fix", "prevention"))
    )
    site = make_site(incidents={"plain": RESOLVED, "edited": edited, "published": published})
    updated = {i.id: i.updated_at for i in site.load().incidents}
    assert updated == {
        "plain": datetime(2026, 11, 20, 15, 52, tzinfo=UTC),
        "edited": datetime(2026, 11, 20, 16, 30, tzinfo=UTC),
        "published": datetime(2026, 11, 22, 10, 0, tzinfo=UTC),
    }
    loaded = site.load()
    assert all(loaded.incident(i.id).summary() == i.summary() for i in loaded.details.values())


@pytest.mark.parametrize("name", sorted(WINDOWS_DEVICE_NAMES))
def test_windows_device_names_are_not_ids(name: str) -> None:
    assert ID_PATTERN.fullmatch(name) is None  # the scan's fast path refuses them too
    assert id_problem(name, "incident id") == (
        f"incident id '{name}' is a device name on Windows, where no file or folder can have it; "
        f"choose another, such as '{name}-1'"
    )


@pytest.mark.parametrize("name", ["console", "con-1", "com10", "lpt", "aux2x", "nul0", "2con"])
def test_names_that_only_start_like_a_device_are_ids(name: str) -> None:
    assert ID_PATTERN.fullmatch(name) is not None
    assert id_problem(name, "incident id") is None


def test_an_upper_case_device_name_is_named_as_one() -> None:
    assert id_problem("CON", "incident id") == (
        "incident id 'CON' is a device name on Windows, where no file or folder can have it; "
        "choose another, such as 'con-1'"
    )


def test_a_bad_id_is_quoted_on_one_line_and_its_hint_is_itself_valid() -> None:
    assert id_problem("a\nb\x07", "incident id") == (
        "incident id 'a\\nb\\x07' must be lowercase letters, digits and hyphens, "
        "starting with a letter or digit; for example 'a-b'"
    )
    assert id_problem("Aux", "component id") == (
        "component id 'Aux' is a device name on Windows, where no file or folder can have it; "
        "choose another, such as 'aux-1'"
    )
    assert id_problem("-" + "x" * 100, "incident id") == (
        f"incident id '-{'x' * 56}...' must be lowercase letters, digits and hyphens, "
        f"starting with a letter or digit"
    )


def test_an_id_may_be_as_long_as_the_limit_and_no_longer() -> None:
    assert id_problem("a" * MAX_ID_CHARS, "component id") is None
    assert ID_PATTERN.fullmatch("a" * (MAX_ID_CHARS + 1)) is None
    assert id_problem("a" * (MAX_ID_CHARS + 1), "component id") == (
        f"component id '{'a' * 20}...' is 101 characters long, more than the limit of 100; "
        f"choose a shorter one"
    )


def test_day_counters_of_two_locations_add_up_and_keep_the_later_check() -> None:
    from datetime import date

    from statuspage.model.probes import CheckResult, DayCounters, Measured

    day = date(2026, 11, 23)
    early = CheckResult("api", datetime(2026, 11, 23, 9, tzinfo=UTC), Measured.UP, 120.0, "200")
    at = datetime(2026, 11, 23, 10, tzinfo=UTC)
    late = CheckResult("api", at, Measured.DOWN, None, "503", (), at - timedelta(hours=3))
    here = DayCounters(day, 3, 3, 0, 0, 360.0, 150.0, (0, 1, 2, 0, 0, 0, 0, 0, 0, 0), early)
    there = DayCounters(day, 2, 1, 0, 1, 90.0, 90.0, (0, 1, 0, 0, 0, 0, 0, 0, 0, 0), late)
    assert here + there == DayCounters(
        day, 5, 4, 0, 1, 450.0, 150.0, (0, 2, 2, 0, 0, 0, 0, 0, 0, 0), late
    )
    assert (there + here).latest is late  # kept whole, when its run began included
    with pytest.raises(ValueError, match="cannot add the counters of 2026-11-24"):
        here + DayCounters(date(2026, 11, 24), 0, 0, 0, 0, 0.0, 0.0, (0,) * 10, None)

"""Each validation rule of incident files, with its exact message and position."""

from __future__ import annotations

import pytest

from statuspage.sources.limits import MAX_ENTRIES, MAX_TEXT_CHARS
from tests.conftest import RESOLVED, MakeSite


def problems_of(make_site: MakeSite, text: str, incident_id: str = "db") -> list[str]:
    return make_site(incidents={incident_id: text}).problems()


def test_the_issue_example_message_for_an_unknown_status(make_site: MakeSite) -> None:
    text = """\
        title: Database failover
        impact: major
        components: [api]
        updates:
          - at: 2026-11-20T14:10:00Z
            message: Failing over.
            status: fixed
        """
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:7:13: unknown status 'fixed'; "
        "expected one of investigating, identified, monitoring, resolved"
    ]


def test_a_misspelt_status_gets_a_did_you_mean(make_site: MakeSite) -> None:
    text = RESOLVED.replace("status: resolved", "status: resolvd")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:9:13: unknown status 'resolvd'; did you mean 'resolved'?"
    ]


def test_yaml_syntax_error_points_at_the_problem(make_site: MakeSite) -> None:
    text = """\
        title: Broken
        impact: major
        updates:
          - at: 2026-11-20T14:10:00Z
            status: investigating
           message: misindented
        """
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:6:4: this line's indentation (3 spaces) matches no key above it "
        "(line 5 has 4); indent keys of one mapping equally"
    ]


def test_duplicate_keys_name_the_first(make_site: MakeSite) -> None:
    text = RESOLVED.replace("impact: major\n", "impact: major\ntitle: Again\n")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:3:1: duplicate key 'title' (first at line 1); keep only one"
    ]


def test_duplicate_keys_inside_an_update(make_site: MakeSite) -> None:
    text = RESOLVED.replace("    message: Fixed.\n", "    message: Fixed.\n    message: Again.\n")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:11:5: duplicate key 'message' (first at line 10); keep only one"
    ]


def test_unknown_key_with_a_close_match(make_site: MakeSite) -> None:
    text = RESOLVED.replace("impact: major", "impact: major\nadmision: Sorry.")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:3:1: unknown key 'admision'; did you mean 'admission'?"
    ]


def test_unknown_key_without_a_close_match(make_site: MakeSite) -> None:
    text = RESOLVED.replace("impact: major", "impact: major\nseverity: 3")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:3:1: unknown key 'severity'; expected one of title, kind, impact, "
        "components, scheduled_for, scheduled_until, began_at, detected_at, updates, "
        "postmortem_at, admission, cause, fix, prevention, language"
    ]


def test_unknown_key_in_an_update(make_site: MakeSite) -> None:
    text = RESOLVED.replace("    status: resolved", "    satus: resolved")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:5: missing required key 'status'",
        "incidents/db.yaml:9:5: unknown key 'satus'; did you mean 'status'?",
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("title: Elevated error rates", "title: [a, b]", "1:8: 'title' must be text, not a list"),
        (
            "components: [api]",
            "components: api",
            "3:13: 'components' must be a list such as [api, dashboard], not text",
        ),
        (
            "impact: major",
            "impact: {level: 3}",
            "2:9: 'impact' must be one of none, minor, major, critical, not a mapping",
        ),
        (
            "    message: Fixed.",
            "    message: [Fixed]",
            "10:14: 'message' must be text, not a list",
        ),
    ],
)
def test_wrong_types(make_site: MakeSite, old: str, new: str, expected: str) -> None:
    assert problems_of(make_site, RESOLVED.replace(old, new)) == [f"incidents/db.yaml:{expected}"]


def test_plain_numbers_and_booleans_are_text_where_text_is_expected(make_site: MakeSite) -> None:
    text = RESOLVED.replace("title: Elevated error rates", "title: 404").replace(
        "message: Fixed.", "message: yes"
    )
    site = make_site(incidents={"db": text}).load()
    assert site.incidents[0].title == "404"
    assert site.incidents[0].updates[-1].message == "yes"


def test_updates_must_be_a_list(make_site: MakeSite) -> None:
    text = """\
        title: Outage
        impact: major
        updates: everything is down
        """
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:3:10: 'updates' must be a list such as "
        "[{at: ..., status: ..., message: ...}], not text"
    ]


def test_each_update_must_be_a_mapping(make_site: MakeSite) -> None:
    text = """\
        title: Outage
        impact: major
        updates:
          - everything is down
        """
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:4:5: each update must be a mapping of keys to values, not text"
    ]


def test_missing_required_keys(make_site: MakeSite) -> None:
    text = """\
        components: [api]
        updates:
          - at: 2026-11-20T14:10:00Z
        """
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:1:1: missing required key 'impact'",
        "incidents/db.yaml:1:1: missing required key 'title'",
        "incidents/db.yaml:3:5: missing required key 'message'",
        "incidents/db.yaml:3:5: missing required key 'status'",
    ]


def test_a_key_without_a_value_is_missing_where_it_stands(make_site: MakeSite) -> None:
    text = RESOLVED.replace("title: Elevated error rates", "title:")
    assert problems_of(make_site, text) == ["incidents/db.yaml:1:1: missing required key 'title'"]


def test_empty_text_is_reported(make_site: MakeSite) -> None:
    text = RESOLVED.replace("message: Fixed.", 'message: "  "')
    assert problems_of(make_site, text) == ["incidents/db.yaml:10:14: 'message' is empty"]


def test_time_without_offset(make_site: MakeSite) -> None:
    text = RESOLVED.replace("at: 2026-11-20T15:52:00Z", "at: 2026-11-20T15:52:00")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:9: time '2026-11-20T15:52:00' has no UTC offset; "
        "add Z for UTC or an offset such as +01:00"
    ]


def test_date_without_time(make_site: MakeSite) -> None:
    text = RESOLVED.replace("at: 2026-11-20T15:52:00Z", "at: 2026-11-20")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:9: 'at' is a date without a time; write the time and its UTC "
        "offset, such as 2026-11-20T09:00:00Z"
    ]


def test_time_that_is_not_a_time(make_site: MakeSite) -> None:
    text = RESOLVED.replace("at: 2026-11-20T15:52:00Z", "at: yesterday afternoon")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:9: 'at' must be a time such as 2026-11-20T14:10:00Z, "
        "not 'yesterday afternoon'"
    ]


def test_quoted_and_spaced_times_with_offsets_are_accepted(make_site: MakeSite) -> None:
    text = RESOLVED.replace("at: 2026-11-20T15:52:00Z", 'at: "2026-11-20 16:52:00+01:00"')
    site = make_site(incidents={"db": text}).load()
    assert site.incidents[0].resolved_at is not None
    assert site.incidents[0].resolved_at.isoformat() == "2026-11-20T16:52:00+01:00"


def test_updates_out_of_order(make_site: MakeSite) -> None:
    text = RESOLVED.replace("at: 2026-11-20T15:52:00Z", "at: 2026-11-20T15:00:00+01:00")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:9: update is dated before the one above it (line 5); "
        "list updates oldest first"
    ]


def test_updates_at_the_same_minute_are_in_order(make_site: MakeSite) -> None:
    text = RESOLVED.replace("at: 2026-11-20T15:52:00Z", "at: 2026-11-20T15:10:00+01:00")
    assert make_site(incidents={"db": text}).problems() == []


def test_unknown_component_in_the_list(make_site: MakeSite) -> None:
    text = RESOLVED.replace("components: [api]", "components: [apii, docs, billing]")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:3:14: unknown component 'apii'; did you mean 'api'?",
        "incidents/db.yaml:3:26: unknown component 'billing'; "
        "expected one of api, dashboard, docs, webhooks",
    ]


def test_unknown_component_in_an_update(make_site: MakeSite) -> None:
    text = RESOLVED.replace(
        "    message: We are seeing errors.",
        "    message: We are seeing errors.\n    components: {dashbord: partial_outage}",
    )
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:18: unknown component 'dashbord'; did you mean 'dashboard'?"
    ]


def test_unknown_component_state(make_site: MakeSite) -> None:
    text = RESOLVED.replace(
        "    message: We are seeing errors.",
        "    message: We are seeing errors.\n    components: {api: down}",
    )
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:23: unknown component state 'down'; expected one of operational, "
        "under_maintenance, degraded_performance, partial_outage, major_outage"
    ]


def test_component_listed_twice(make_site: MakeSite) -> None:
    text = RESOLVED.replace("components: [api]", "components: [api, api]")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:3:19: component 'api' is listed twice"
    ]


def test_unknown_impact(make_site: MakeSite) -> None:
    text = RESOLVED.replace("impact: major", "impact: mayor")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:2:9: unknown impact 'mayor'; did you mean 'major'?"
    ]


def test_update_after_resolution(make_site: MakeSite) -> None:
    text = RESOLVED + (
        "  - at: 2026-11-20T16:30:00Z\n    status: investigating\n    message: It is back.\n"
    )
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:11:5: update after the incident was resolved (line 8); a postmortem "
        "goes in postmortem_at and its sections, a new problem in a new incident"
    ]


def test_a_resolved_update_cannot_leave_a_component_down(make_site: MakeSite) -> None:
    text = RESOLVED.replace(
        "    message: Fixed.", "    message: Fixed.\n    components: {api: partial_outage}"
    )
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:11:23: 'api' cannot be partial_outage in a resolved update; "
        "resolved means every component is operational again"
    ]


def test_a_maintenance_status_in_an_incident(make_site: MakeSite) -> None:
    text = RESOLVED.replace("status: investigating", "status: scheduled")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:6:13: status 'scheduled' is for maintenance; an incident uses "
        "investigating, identified, monitoring, resolved; for a maintenance add kind: maintenance"
    ]


def test_an_empty_file(make_site: MakeSite) -> None:
    assert problems_of(make_site, "# nothing yet\n") == [
        "incidents/db.yaml:1:1: file is empty; an incident needs title, impact and updates"
    ]


def test_a_file_that_is_a_list(make_site: MakeSite) -> None:
    assert problems_of(make_site, "- title: x\n") == [
        "incidents/db.yaml:1:1: an incident file must be a mapping of keys to values, not a list; "
        "start it with keys such as title:, impact: and updates:, each on a line of its own"
    ]


def test_no_updates(make_site: MakeSite) -> None:
    text = "title: Outage\nimpact: major\nupdates: []\n"
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:3:10: 'updates' is empty; add at least one update"
    ]


def test_schedule_on_an_incident(make_site: MakeSite) -> None:
    text = RESOLVED.replace("impact: major", "impact: major\nscheduled_for: 2026-11-20T14:00:00Z")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:3:1: 'scheduled_for' only applies to kind: maintenance"
    ]


MAINTENANCE = """\
title: Database upgrade
kind: maintenance
components: [api]
scheduled_for: 2026-12-06T02:00:00+01:00
scheduled_until: 2026-12-06T04:00:00+01:00
updates:
  - at: 2026-11-20T12:00:00+01:00
    status: scheduled
    message: We will upgrade the database.
"""


def test_a_valid_maintenance_needs_no_impact(make_site: MakeSite) -> None:
    site = make_site(incidents={"upgrade": MAINTENANCE}).load()
    assert site.incidents[0].impact.value == "none"
    assert site.incidents[0].is_maintenance


def test_maintenance_that_ends_before_it_starts(make_site: MakeSite) -> None:
    text = MAINTENANCE.replace(
        "scheduled_until: 2026-12-06T04:00", "scheduled_until: 2026-12-06T01:00"
    )
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:5:18: scheduled_until (2026-12-06T01:00:00+01:00) is before "
        "scheduled_for (2026-12-06T02:00:00+01:00)"
    ]


def test_maintenance_without_its_window(make_site: MakeSite) -> None:
    text = MAINTENANCE.replace("scheduled_until: 2026-12-06T04:00:00+01:00\n", "")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:1:1: missing required key 'scheduled_until' (a maintenance needs both)"
    ]


def test_an_incident_status_in_a_maintenance(make_site: MakeSite) -> None:
    text = MAINTENANCE.replace("status: scheduled", "status: investigating")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:13: status 'investigating' is for incidents; a maintenance uses "
        "scheduled, in_progress, verifying, completed"
    ]


def test_unknown_kind(make_site: MakeSite) -> None:
    text = MAINTENANCE.replace("kind: maintenance", "kind: maintenace")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:2:7: unknown kind 'maintenace'; did you mean 'maintenance'?"
    ]


POSTMORTEM = (
    RESOLVED
    + """\
postmortem_at: 2026-11-22T10:00:00Z
admission: We broke the API for 102 minutes. Sorry.
cause: A bad deploy.
fix: We rolled it back.
prevention:
  - action: Canary deploys
    owner: platform-team
    status: in_progress
    due: 2026-12-15
  - action: Alert on error rate
    owner: sre
"""
)


def test_a_full_postmortem_is_read(make_site: MakeSite) -> None:
    incident = make_site(incidents={"db": POSTMORTEM}).load().incidents[0]
    assert incident.admission == "We broke the API for 102 minutes. Sorry."
    assert [(a.action, a.owner, a.state.value, str(a.due)) for a in incident.action_items] == [
        ("Canary deploys", "platform-team", "in_progress", "2026-12-15"),
        ("Alert on error rate", "sre", "planned", "None"),
    ]


def test_postmortem_at_needs_all_four_sections(make_site: MakeSite) -> None:
    text = POSTMORTEM.replace("cause: A bad deploy.\n", "")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:11:16: postmortem_at is set but 'cause' is missing; write it or "
        "remove postmortem_at until the postmortem is complete"
    ]


def test_postmortem_before_resolution(make_site: MakeSite) -> None:
    text = POSTMORTEM.replace(
        "postmortem_at: 2026-11-22T10:00:00Z", "postmortem_at: 2026-11-20T15:00:00Z"
    )
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:11:16: postmortem_at (2026-11-20T15:00:00+00:00) is before the "
        "resolution (2026-11-20T15:52:00+00:00)"
    ]


def test_postmortem_of_an_open_incident(make_site: MakeSite) -> None:
    text = POSTMORTEM.replace("status: resolved", "status: monitoring")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:11:16: postmortem_at is set but the incident is not resolved yet"
    ]


def test_action_item_problems(make_site: MakeSite) -> None:
    text = POSTMORTEM.replace("    owner: sre\n", "    status: finished\n    due: soon\n")
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:20:5: missing required key 'owner'",
        "incidents/db.yaml:21:13: unknown action status 'finished'; "
        "expected one of planned, in_progress, done",
        "incidents/db.yaml:22:10: 'due' must be a date such as 2026-12-15, not 'soon'",
    ]


def test_every_problem_of_a_file_is_reported_at_once(make_site: MakeSite) -> None:
    text = """\
        title: Outage
        impact: huge
        components: [api, nope]
        updates:
          - at: 2026-11-20T14:10:00
            status: fixed
            message: Down.
        """
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:2:9: unknown impact 'huge'; "
        "expected one of none, minor, major, critical",
        "incidents/db.yaml:3:19: unknown component 'nope'; "
        "expected one of api, dashboard, docs, webhooks",
        "incidents/db.yaml:5:9: time '2026-11-20T14:10:00' has no UTC offset; "
        "add Z for UTC or an offset such as +01:00",
        "incidents/db.yaml:6:13: unknown status 'fixed'; "
        "expected one of investigating, identified, monitoring, resolved",
    ]


def test_duplicate_component_in_an_update(make_site: MakeSite) -> None:
    text = RESOLVED.replace(
        "    message: We are seeing errors.",
        "    message: We are seeing errors.\n    components: {api: major_outage, api: operational}",
    )
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:37: duplicate key 'api' (first at line 8); keep only one"
    ]


def test_a_repeated_unknown_key_is_reported_as_unknown_then_duplicate(make_site: MakeSite) -> None:
    text = RESOLVED + "sevrity: 1\nsevrity: 2\n"
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:11:1: unknown key 'sevrity'; expected one of title, kind, impact, "
        "components, scheduled_for, scheduled_until, began_at, detected_at, updates, "
        "postmortem_at, admission, cause, fix, prevention, language",
        "incidents/db.yaml:12:1: duplicate key 'sevrity' (first at line 11); keep only one",
    ]


@pytest.mark.parametrize("empty", ["", "~", "null", "Null", "NULL"])
def test_every_spelling_of_nothing_is_a_missing_value(make_site: MakeSite, empty: str) -> None:
    text = RESOLVED.replace("title: Elevated error rates", f"title: {empty}")
    assert problems_of(make_site, text) == ["incidents/db.yaml:1:1: missing required key 'title'"]


def test_a_quoted_null_is_text(make_site: MakeSite) -> None:
    text = RESOLVED.replace("title: Elevated error rates", 'title: "null"')
    assert make_site(incidents={"db": text}).load().incidents[0].title == "null"


def test_an_edit_before_the_update_itself(make_site: MakeSite) -> None:
    text = RESOLVED.replace(
        "    message: Fixed.", "    message: Fixed.\n    edited_at: 2026-11-20T15:00:00Z"
    )
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:11:16: edited_at (2026-11-20T15:00:00+00:00) is before the update's own "
        "time (2026-11-20T15:52:00+00:00)"
    ]


def test_a_text_value_may_be_as_long_as_the_limit_and_no_longer(make_site: MakeSite) -> None:
    longest = "x" * MAX_TEXT_CHARS
    site = make_site(incidents={"db": RESOLVED.replace("Fixed.", longest)}).load()
    assert site.incidents[0].updates[-1].message == longest
    assert problems_of(make_site, RESOLVED.replace("Fixed.", longest + "x")) == [
        "incidents/db.yaml:10:14: 'message' is 65,537 characters long, more than the limit of "
        "65,536; shorten it, or link to the full text"
    ]


def _updates(count: int) -> str:
    update = "  - at: 2026-11-20T14:10:00Z\n    status: investigating\n    message: Still.\n"
    return "title: Long\nimpact: minor\nupdates:\n" + update * count


def test_an_incident_may_have_as_many_updates_as_the_limit_and_no_more(
    make_site: MakeSite,
) -> None:
    site = make_site(incidents={"db": _updates(MAX_ENTRIES)}).load()
    assert len(site.incidents[0].updates) == MAX_ENTRIES
    assert problems_of(make_site, _updates(MAX_ENTRIES + 1)) == [
        "incidents/db.yaml:4:3: 'updates' has 1,001 entries, more than the limit of 1,000; "
        "keep fewer (split a very long incident into several)"
    ]


def test_a_mapping_with_more_keys_than_the_limit_is_refused_whole(make_site: MakeSite) -> None:
    keys = "".join(f"    k{n}: v\n" for n in range(MAX_ENTRIES + 1))
    text = RESOLVED.replace("    message: Fixed.\n", "    message: Fixed.\n" + keys)
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:8:5: this mapping has 1,004 keys, more than the limit of 1,000; "
        "keep only the keys it needs"
    ]


@pytest.mark.parametrize(
    ("at", "expected"),
    [
        ("1970-01-01T00:00:00Z", None),
        ("9000-12-31T23:59:59Z", None),
        (
            "1969-12-31T23:59:59Z",
            "'at' must be in the years 1970 to 9000, not '1969-12-31T23:59:59Z'",
        ),
        (
            "9001-01-01T00:00:00Z",
            "'at' must be in the years 1970 to 9000, not '9001-01-01T00:00:00Z'",
        ),
    ],
)
def test_times_must_be_in_the_years_a_build_handles(
    make_site: MakeSite, at: str, expected: str | None
) -> None:
    text = RESOLVED.replace("2026-11-20T14:10:00Z", at).replace("2026-11-20T15:52:00Z", at)
    problems = problems_of(make_site, text)
    assert problems == (
        []
        if expected is None
        else [f"incidents/db.yaml:5:9: {expected}", f"incidents/db.yaml:8:9: {expected}"]
    )


def test_a_misspelt_value_is_quoted_on_one_short_line(make_site: MakeSite) -> None:
    text = RESOLVED.replace("impact: major", "impact: >\n  major, or maybe\n  " + "y" * 80)
    assert problems_of(make_site, text) == [
        "incidents/db.yaml:2:9: unknown impact 'major, or maybe yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
        "yyyyyy...'; expected one of none, minor, major, critical"
    ]

"""An incident's real timeline: began_at, detected_at and next_update, read, checked and
counted (statuspage.sources.incidentfile, model.incident, model.uptime)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from statuspage.model.uptime import spans
from tests.conftest import MakeSite

# The example's API errors: impact from 14:02, noticed 14:06, first post 14:10.
ERRORS = """\
title: Errors on the API
impact: major
components: [api]
began_at: 2026-11-20T14:02:00Z
detected_at: 2026-11-20T14:06:00Z
updates:
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: About one in five requests fails.
    next_update: 30m
  - at: 2026-11-20T14:35:00Z
    status: identified
    message: A deploy exhausted the connection pool; we are rolling it back.
    next_update: 2026-11-20T15:05:00Z
  - at: 2026-11-20T14:55:00Z
    status: resolved
    message: Back to normal since 14:52. No data was lost.
"""


def test_duration_and_uptime_count_from_when_impact_began(make_site: MakeSite) -> None:
    incident = make_site(incidents={"errors": ERRORS}).load().incident("errors")
    began = datetime(2026, 11, 20, 14, 2, tzinfo=UTC)
    assert incident.began_at == incident.started_at == began
    assert incident.created_at == datetime(2026, 11, 20, 14, 10, tzinfo=UTC)
    assert incident.duration(began) == timedelta(minutes=53)
    assert incident.first_post_delay == timedelta(minutes=4)
    [span] = spans(incident, ["api"], datetime(2026, 11, 21, tzinfo=UTC))["api"]
    assert (span.start, span.end) == (began, datetime(2026, 11, 20, 14, 55, tzinfo=UTC))


def test_without_began_at_the_first_post_starts_it(make_site: MakeSite) -> None:
    text = ERRORS.replace("began_at: 2026-11-20T14:02:00Z\n", "")
    incident = make_site(incidents={"errors": text}).load().incident("errors")
    assert incident.began_at is None
    assert incident.started_at == incident.created_at
    assert incident.duration(incident.created_at) == timedelta(minutes=45)


def test_next_update_is_a_delay_or_a_time(make_site: MakeSite) -> None:
    incident = make_site(incidents={"errors": ERRORS}).load().incident("errors")
    assert [u.next_update for u in incident.updates] == [
        datetime(2026, 11, 20, 14, 40, tzinfo=UTC),
        datetime(2026, 11, 20, 15, 5, tzinfo=UTC),
        None,
    ]
    assert incident.next_update is None  # resolved: nothing is promised any more


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (
            ("detected_at: 2026-11-20T14:06:00Z", "detected_at: 2026-11-20T14:01:00Z"),
            "incidents/errors.yaml:5:14: detected_at (2026-11-20T14:01:00+00:00) is before "
            "began_at (2026-11-20T14:02:00+00:00); the team notices an impact after it begins",
        ),
        (
            ("detected_at: 2026-11-20T14:06:00Z", "detected_at: 2026-11-20T14:20:00Z"),
            "incidents/errors.yaml:5:14: detected_at (2026-11-20T14:20:00+00:00) is after the "
            "first update (line 7, 2026-11-20T14:10:00+00:00); the team had noticed by the "
            "time it posted",
        ),
        (
            ("began_at: 2026-11-20T14:02:00Z", "began_at: 2026-11-20T14:12:00Z"),
            "incidents/errors.yaml:5:14: detected_at (2026-11-20T14:06:00+00:00) is before "
            "began_at (2026-11-20T14:12:00+00:00); the team notices an impact after it begins\n"
            "incidents/errors.yaml:4:11: began_at (2026-11-20T14:12:00+00:00) is after the "
            "first update (line 7, 2026-11-20T14:10:00+00:00); impact begins before the first "
            "post says so",
        ),
        (
            ("    next_update: 30m\n", "    next_update: soon\n"),
            "incidents/errors.yaml:10:18: next_update 'soon' is neither a delay nor a time; "
            "write how long after the update, such as 30m, 1h or 1h30m, or a time such as "
            "2026-11-20T15:30:00Z",
        ),
        (
            ("    next_update: 30m\n", "    next_update: 2026-11-20T14:00:00Z\n"),
            "incidents/errors.yaml:10:18: next_update (2026-11-20T14:00:00+00:00) is not after "
            "the update itself (2026-11-20T14:10:00+00:00); promise a time to come",
        ),
        (
            (
                "    message: Back to normal since 14:52. No data was lost.\n",
                "    message: Back to normal.\n    next_update: 1h\n",
            ),
            "incidents/errors.yaml:18:5: a resolved update promises no next update; remove "
            "next_update",
        ),
    ],
)
def test_times_out_of_order_are_problems_at_their_line(
    make_site: MakeSite, edit: tuple[str, str], expected: str
) -> None:
    text = ERRORS.replace(*edit)
    assert text != ERRORS
    assert make_site(incidents={"errors": text}).problems() == sorted(expected.split("\n"))


def test_a_maintenance_takes_no_began_at(make_site: MakeSite) -> None:
    from tests.conftest import RUNNING

    text = RUNNING.replace(
        "kind: maintenance\n", "kind: maintenance\nbegan_at: 2026-11-23T10:00:00Z\n"
    )
    assert make_site(incidents={"run": text}).problems() == [
        "incidents/run.yaml:3:1: 'began_at' only applies to incidents; a maintenance begins at "
        "scheduled_for, or at its first update in progress"
    ]


def test_the_page_shows_the_timeline_facts_and_the_promises(make_site: MakeSite) -> None:
    import lxml.html

    from statuspage.engine.build import build_site

    site = make_site(incidents={"errors": ERRORS.replace(RESOLVING, "")})
    out = site.root / "public"
    build_site(site.root, out, datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    root = lxml.html.fromstring((out / "incidents/errors/index.html").read_bytes())
    terms = [" ".join(e.text_content().split()) for e in root.cssselect(".facts dt")]
    values = [" ".join(e.text_content().split()) for e in root.cssselect(".facts dd")]
    facts = dict(zip(terms, values, strict=True))
    assert {k: facts[k] for k in ("Impact began", "Detected", "First post", "Duration")} == {
        "Impact began": "20 Nov 2026, 14:02 UTC",
        "Detected": "20 Nov 2026, 14:06 UTC",
        "First post": "20 Nov 2026, 14:10 UTC (4 minutes after detection)",
        "Duration": "58 minutes so far",
    }
    assert facts["Next update"] == "by 15:05 UTC"
    promised = root.cssselect(".next-update")
    assert [p.text_content() for p in promised] == [
        "Next update by 14:40 UTC.",
        "Next update by 15:05 UTC.",
    ]
    assert promised[1].cssselect("time")[0].get("datetime") == "2026-11-20T15:05:00+00:00"
    build_site(site.root, out, datetime(2026, 11, 20, 15, 10, tzinfo=UTC))
    root = lxml.html.fromstring((out / "incidents/errors/index.html").read_bytes())
    shown = [" ".join(e.text_content().split()) for e in root.cssselect(".facts dd")]
    assert shown[-1] == "was due by 15:05 UTC"  # a broken promise is not hidden


RESOLVING = """\
  - at: 2026-11-20T14:55:00Z
    status: resolved
    message: Back to normal since 14:52. No data was lost.
"""


def test_feeds_and_social_drafts_say_when_the_next_update_comes(make_site: MakeSite) -> None:
    import json

    import feedparser

    from statuspage.engine.build import build_site

    site = make_site(incidents={"errors": ERRORS.replace(RESOLVING, "")})
    out = site.root / "public"
    build_site(site.root, out, datetime(2026, 11, 20, 15, 0, tzinfo=UTC))
    feed = feedparser.parse((out / "incidents/errors/feed.atom").read_bytes())
    contents = {e.link: e.content[0].value for e in feed.entries}
    assert (
        "<p>Next update by 14:40 UTC.</p>"
        in contents["https://status.test.example/incidents/errors/#update-1"]
    )
    assert "Next update" not in contents.get(
        "https://status.test.example/incidents/errors/#update-3", ""
    )
    lines = (out / "social/manifest.json").read_text(encoding="utf-8").splitlines()
    drafts = [json.loads(line.rstrip(",")) for line in lines if line.startswith('{"incident"')]
    second = [d["text"] for d in drafts if d["update"] == 2]
    assert second and all("\n\nNext update by 15:05 UTC.\n\n" in text for text in second)

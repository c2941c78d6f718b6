"""Feeds, read by a real feed parser: entries, ids, links, dates, and what feed validators check."""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Any

import feedparser
import lxml.etree
import pytest

from statuspage.engine.build import build_site
from tests.conftest import CONFIG, NOW, REPO, RESOLVED, MakeSite, SiteDir

URL = "https://status.test.example"
ATOM = "{http://www.w3.org/2005/Atom}"

DETAILED = """\
title: Errors on <the> API & "dashboard"
impact: major
components: [api, dashboard]
updates:
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: We see **errors**.
    components: {api: partial_outage}
  - at: 2026-11-20T15:40:00+01:00
    edited_at: 2026-11-21T09:00:00Z
    status: identified
    message: A bad deploy (corrected).
  - at: 2026-11-20T15:52:00Z
    status: resolved
    message: Fixed.
postmortem_at: 2026-11-22T10:00:00Z
admission: We failed 20 % of requests. Sorry.
cause: A bad deploy.
fix: A rollback.
prevention:
  - action: Canary deploys
    owner: platform
    status: in_progress
    due: 2026-12-15
"""

MAINTENANCE = """\
title: Database upgrade
kind: maintenance
components: [docs]
scheduled_for: 2026-11-25T02:00:00Z
scheduled_until: 2026-11-25T04:00:00Z
updates:
  - at: 2026-11-18T12:00:00Z
    status: scheduled
    message: Planned.
"""


@pytest.fixture
def site(make_site: MakeSite) -> SiteDir:
    return make_site(
        incidents={
            "errors": DETAILED,
            "old": RESOLVED.replace("2026-11-20", "2026-10-01"),
            "upgrade": MAINTENANCE,
        }
    )


def build(site: SiteDir, now: datetime = NOW) -> Path:
    out = site.root / "public"
    build_site(site.root, out, now)
    return out


def parse(out: Path, path: str) -> Any:
    parsed = feedparser.parse((out / path).read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def test_the_incident_feed_has_one_entry_per_update_and_the_postmortem(site: SiteDir) -> None:
    out = build(site)
    for fmt in ("rss", "atom"):
        feed = parse(out, f"incidents/errors/feed.{fmt}")
        assert feed.feed.title == 'Errors on <the> API & "dashboard" · Test Cloud Status'
        assert [e.title for e in feed.entries] == [
            'Postmortem: Errors on <the> API & "dashboard"',
            'Resolved: Errors on <the> API & "dashboard"',
            'Identified: Errors on <the> API & "dashboard"',
            'Investigating: Errors on <the> API & "dashboard"',
        ]
        page = f"{URL}/incidents/errors/"
        assert [e.id for e in feed.entries] == [
            f"{page}#admission",
            f"{page}#update-3",
            f"{page}#update-2",
            f"{page}#update-1",
        ]
        assert [e.link for e in feed.entries] == [e.id for e in feed.entries]
        assert [e.published for e in feed.entries] == [
            "Sun, 22 Nov 2026 10:00:00 +0000" if fmt == "rss" else "2026-11-22T10:00:00+00:00",
            "Fri, 20 Nov 2026 15:52:00 +0000" if fmt == "rss" else "2026-11-20T15:52:00+00:00",
            "Fri, 20 Nov 2026 14:40:00 +0000" if fmt == "rss" else "2026-11-20T14:40:00+00:00",
            "Fri, 20 Nov 2026 14:10:00 +0000" if fmt == "rss" else "2026-11-20T14:10:00+00:00",
        ]
        assert {t.term for t in feed.entries[0].tags} == {"major", "Public API", "Dashboard"}
        assert feed.entries[3].get("author") == "Test Cloud Status"


def test_entry_content_carries_the_message_and_the_component_states(site: SiteDir) -> None:
    feed = parse(build(site), "incidents/errors/feed.atom")
    first = feed.entries[3].content[0].value
    assert first == (
        "<p>We see <strong>errors</strong>.</p>\n<p>Components:</p>\n"
        "<ul><li>Public API: Partial outage</li><li>Dashboard: Partial outage</li></ul>"
    )
    postmortem = feed.entries[0].content[0].value
    assert postmortem.startswith("<h2>Admission</h2>\n<p>We failed 20 % of requests. Sorry.</p>")
    assert "<h2>Prevention</h2>\n<ul><li>Canary deploys (owner: platform; in progress; due " in (
        postmortem
    )


def test_edited_updates_carry_their_edit_time(site: SiteDir) -> None:
    out = build(site)
    atom = parse(out, "incidents/errors/feed.atom").entries[2]
    assert (atom.published, atom.updated) == (
        "2026-11-20T14:40:00+00:00",
        "2026-11-21T09:00:00+00:00",
    )
    item = json.loads((out / "incidents/errors/feed.json").read_text())["items"][2]
    assert (item["date_published"], item["date_modified"]) == (
        "2026-11-20T14:40:00+00:00",
        "2026-11-21T09:00:00+00:00",
    )


def test_the_site_feed_holds_every_incident_newest_first(site: SiteDir) -> None:
    feed = parse(build(site), "feed.rss")
    assert feed.feed.title == "Test Cloud Status"
    assert feed.feed.link == f"{URL}/"
    assert [e.id.split("/incidents/")[1] for e in feed.entries] == [
        "errors/#admission",
        "errors/#update-3",
        "errors/#update-2",
        "errors/#update-1",
        "upgrade/#update-1",
        "old/#update-2",
        "old/#update-1",
    ]
    assert [e.title for e in feed.entries][4] == "Scheduled: Database upgrade"
    assert {t.term for t in feed.entries[4].tags} == {"maintenance", "Documentation"}


def test_component_feeds_hold_the_incidents_that_touch_them(site: SiteDir) -> None:
    out = build(site)
    docs = parse(out, "components/docs/feed.atom")
    assert docs.feed.title == "Documentation · Test Cloud Status"
    assert [e.id.split("/incidents/")[1] for e in docs.entries] == ["upgrade/#update-1"]
    webhooks = parse(out, "components/webhooks/feed.atom")
    assert webhooks.entries == []
    assert webhooks.feed.updated == "1970-01-01T00:00:00+00:00"


def test_the_limit_caps_site_and_component_feeds_but_not_incident_feeds(
    make_site: MakeSite,
) -> None:
    config = CONFIG + "feeds:\n  limit: 2\n"
    site = make_site(config=config, incidents={"errors": DETAILED})
    out = build(site)
    assert len(parse(out, "feed.atom").entries) == 2
    assert len(parse(out, "components/api/feed.atom").entries) == 2
    assert len(parse(out, "incidents/errors/feed.atom").entries) == 4
    assert len(json.loads((out / "feed.json").read_text())["items"]) == 2


def test_the_json_feed_has_the_fields_of_json_feed_1_1(site: SiteDir) -> None:
    document = json.loads((build(site) / "incidents/errors/feed.json").read_text())
    assert set(document) == {
        "version",
        "title",
        "home_page_url",
        "feed_url",
        "description",
        "language",
        "authors",
        "items",
    }
    assert document["version"] == "https://jsonfeed.org/version/1.1"
    assert document["home_page_url"] == f"{URL}/incidents/errors/"
    assert document["feed_url"] == f"{URL}/incidents/errors/feed.json"
    assert document["authors"] == [{"name": "Test Cloud Status"}]
    assert document["title"] == 'Errors on <the> API & "dashboard" · Test Cloud Status'
    for item in document["items"]:
        assert set(item) == {
            "id",
            "url",
            "title",
            "content_html",
            "date_published",
            "date_modified",
            "authors",
            "tags",
        }
        assert isinstance(item["id"], str) and item["url"].startswith(f"{URL}/incidents/")
        for key in ("date_published", "date_modified"):
            assert datetime.fromisoformat(item[key]).utcoffset() is not None
        assert all(isinstance(tag, str) for tag in item["tags"])
    assert document["items"][3]["content_html"].startswith("<p>We see <strong>errors</strong>.")


def test_ids_survive_new_incidents_and_edited_text(site: SiteDir) -> None:
    out = build(site)

    def ids() -> dict[str, set[str]]:
        return {
            path: {e.id for e in parse(out, path).entries}
            for path in ("feed.atom", "components/api/feed.atom", "incidents/errors/feed.atom")
        }

    before = ids()
    site.incident("errors", DETAILED.replace("message: Fixed.", "message: Fixed for good."))
    site.incident("new", RESOLVED.replace("2026-11-20", "2026-11-22"))
    build(site)
    after = ids()
    for path in before:
        assert before[path] <= after[path], path
    assert after["feed.atom"] - before["feed.atom"] == {
        f"{URL}/incidents/new/#update-1",
        f"{URL}/incidents/new/#update-2",
    }
    titles = {e.id: e.summary for e in parse(out, "incidents/errors/feed.atom").entries}
    assert titles[f"{URL}/incidents/errors/#update-3"].startswith("<p>Fixed for good.</p>")


def test_feeds_do_not_change_with_the_clock(site: SiteDir, tmp_path: Path) -> None:
    first = build_site(site.root, tmp_path / "a", NOW, use_cache=False).out
    later = build_site(site.root, tmp_path / "b", NOW + timedelta(days=3), use_cache=False).out
    for path in first.rglob("feed.*"):
        relative = path.relative_to(first)
        assert (later / relative).read_bytes() == path.read_bytes(), relative


def all_feeds(out: Path, fmt: str) -> list[Path]:
    return sorted(out.rglob(f"feed.{fmt}"))


RFC_822 = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) "
    r"\d{4} \d\d:\d\d:\d\d [+-]\d{4}$"
)
RFC_3339 = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


@pytest.fixture(scope="module")
def example_out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("feeds") / "public"
    build_site(REPO, out, NOW, use_cache=False)
    return out


def test_the_example_site_rss_feeds_follow_the_rules_of_the_w3c_validator(
    example_out: Path,
) -> None:
    feeds = all_feeds(example_out, "rss")
    assert len(feeds) == 1 + 6 + 9  # the site, its components and its incidents
    for path in feeds:
        url = f"https://status.example.com/{path.relative_to(example_out).as_posix()}"
        channel = lxml.etree.parse(str(path)).getroot().find("channel")
        assert channel is not None
        for required in ("title", "link", "description"):
            assert channel.findtext(required), (path, required)
        assert channel.findtext("link").startswith("https://")
        assert RFC_822.match(channel.findtext("lastBuildDate")), path
        self_links = channel.findall(f"{ATOM}link[@rel='self']")
        assert [link.get("href") for link in self_links] == [url]
        guids = [item.findtext("guid") for item in channel.iter("item")]
        assert len(guids) == len(set(guids)), path
        for item in channel.iter("item"):
            assert item.findtext("title") and item.findtext("description")
            assert item.findtext("link").startswith("https://status.example.com/incidents/")
            assert RFC_822.match(item.findtext("pubDate")), item.findtext("pubDate")
            parsedate_to_datetime(item.findtext("pubDate"))
            assert item.find("author") is None  # RSS wants an email there: dc:creator instead
        assert parse(example_out, path.relative_to(example_out).as_posix()).version == "rss20"


def test_the_example_site_atom_feeds_follow_the_rules_of_the_w3c_validator(
    example_out: Path,
) -> None:
    for path in all_feeds(example_out, "atom"):
        url = f"https://status.example.com/{path.relative_to(example_out).as_posix()}"
        feed = lxml.etree.parse(str(path)).getroot()
        assert feed.tag == f"{ATOM}feed"
        assert feed.findtext(f"{ATOM}id") == url
        assert feed.findtext(f"{ATOM}title")
        assert RFC_3339.match(feed.findtext(f"{ATOM}updated"))
        assert feed.find(f"{ATOM}author/{ATOM}name") is not None
        assert [link.get("href") for link in feed.findall(f"{ATOM}link[@rel='self']")] == [url]
        ids = [entry.findtext(f"{ATOM}id") for entry in feed.iter(f"{ATOM}entry")]
        assert len(ids) == len(set(ids)), path
        for entry in feed.iter(f"{ATOM}entry"):
            for required in ("id", "title", "updated", "published"):
                assert entry.findtext(f"{ATOM}{required}"), (path, required)
            assert RFC_3339.match(entry.findtext(f"{ATOM}updated"))
            assert RFC_3339.match(entry.findtext(f"{ATOM}published"))
            assert entry.find(f"{ATOM}link").get("href").startswith("https://status.example.com/")
            assert entry.find(f"{ATOM}content").get("type") == "html"
        newest = max(
            (e.findtext(f"{ATOM}updated") for e in feed.iter(f"{ATOM}entry")),
            key=datetime.fromisoformat,
            default=None,
        )
        if newest is not None:
            assert datetime.fromisoformat(feed.findtext(f"{ATOM}updated")) == (
                datetime.fromisoformat(newest)
            )
        assert parse(example_out, path.relative_to(example_out).as_posix()).version == "atom10"


def test_our_rss_and_atom_read_like_feedgen_s(example_out: Path) -> None:
    """feedgen, the reference implementation, makes feeds that parse to the same entries."""
    from feedgen.feed import FeedGenerator

    for path in (example_out / "incidents/api-errors/feed.rss", example_out / "feed.atom"):
        ours = feedparser.parse(path.read_bytes())
        reference = FeedGenerator()
        reference.load_extension("dc", atom=False, rss=True)
        reference.id(ours.feed.id if "id" in ours.feed else ours.feed.link)
        reference.title(ours.feed.title)
        reference.description(ours.feed.get("subtitle") or ours.feed.description)
        reference.link(href=ours.feed.link, rel="alternate")
        reference.updated(ours.feed.updated)
        reference.author({"name": "Example Cloud Status"})
        for entry in ours.entries:
            item = reference.add_entry(order="append")
            item.id(entry.id)
            item.guid(entry.id, permalink=True)
            item.title(entry.title)
            item.link(href=entry.link)
            item.content(entry.summary, type="html")
            item.published(entry.published)
            item.updated(entry.published if path.suffix == ".rss" else entry.updated)
            item.dc.dc_creator("Example Cloud Status")
            item.author({"name": "Example Cloud Status"})
            for tag in entry.tags:
                item.category(term=tag.term)
        fmt = path.suffix[1:]
        theirs = feedparser.parse(reference.rss_str() if fmt == "rss" else reference.atom_str())

        def essentials(feed: Any) -> list[tuple[object, ...]]:
            return [
                (
                    e.id,
                    e.title,
                    e.link,
                    e.summary,
                    e.published_parsed,
                    e.get("author"),
                    sorted(t.term for t in e.tags),
                )
                for e in feed.entries
            ]

        assert essentials(ours) == essentials(theirs)
        assert ours.feed.title == theirs.feed.title


def test_text_that_xml_cannot_hold_is_dropped_and_the_rest_escaped(make_site: MakeSite) -> None:
    text = (
        RESOLVED.replace(
            # A control character such as \a no longer gets this far: check refuses it.
            "title: Elevated error rates",
            'title: "Bell , ]]> & \\"quotes\\" <tag>"',
        )
        .replace("components: [api]", "components: [api]\nimpact: major")
        .replace("impact: major\ncomponents", "components")
    )
    config = CONFIG.replace("name: Public API", 'name: "API \\"v2\\" & <co>"')
    site = make_site(config=config, incidents={"db": text})
    out = build(site)
    for fmt in ("rss", "atom"):
        feed = parse(out, f"incidents/db/feed.{fmt}")
        assert feed.entries[0].title == 'Resolved: Bell , ]]> & "quotes" <tag>'
        assert 'API "v2" & <co>' in {t.term for t in feed.entries[0].tags}
        lxml.etree.parse(str(out / f"incidents/db/feed.{fmt}"))  # well-formed


@pytest.mark.parametrize(
    "moment",
    [
        datetime.fromisoformat("2026-11-20T14:10:00+00:00"),
        datetime.fromisoformat("2025-03-02T09:05:07+05:30"),
        datetime.fromisoformat("2024-02-29T23:59:59-08:00"),
        datetime.fromisoformat("0999-01-04T00:00:00+14:00"),
        datetime.fromisoformat("2025-06-01T08:00:00-03:30"),
    ],
)
def test_rss_dates_read_as_email_utils_writes_them(moment: datetime) -> None:
    from email.utils import format_datetime

    from statuspage.render.feedwriters import rfc822

    assert rfc822(moment) == format_datetime(moment)
    assert parsedate_to_datetime(rfc822(moment)) == moment


@pytest.mark.parametrize("value", ['a "quoted" & <tagged>', "it's", "line\nbreak\ttab\rcr", ""])
def test_attribute_values_parse_back_to_the_text(value: str) -> None:
    from statuspage.render.feedwriters import _attribute

    element = lxml.etree.fromstring(f"<e a={_attribute(value)}/>".encode())
    assert element.get("a") == value


@pytest.mark.parametrize("value", ["a & <b> ]]>", "cr\rand crlf\r\n", "plain", ""])
def test_text_parses_back_to_the_text_line_ends_and_all(value: str) -> None:
    from statuspage.render.feedwriters import _text

    assert lxml.etree.fromstring(f"<e>{_text(value)}</e>".encode()).text == (value or None)

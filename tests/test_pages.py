"""The content of each page type, read with a real HTML parser."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement

from statuspage.engine.build import build_site
from tests.conftest import CONFIG, NOW, RESOLVED, RUNNING, MakeSite, SiteDir

BERLIN_CONFIG = CONFIG.replace("timezone: UTC", "timezone: Europe/Berlin")

ACTIVE = """\
title: Delayed webhooks
impact: minor
components: [webhooks]
updates:
  - at: 2026-11-23T09:12:00+01:00
    status: investigating
    message: Deliveries are late.
  - at: 2026-11-23T09:41:00+01:00
    status: identified
    message: "A worker **stopped**."
"""

POSTMORTEM = """\
title: Elevated <error> rates & "timeouts"
impact: major
components: [api, dashboard]
updates:
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: Errors on the API.
    components: {api: partial_outage, dashboard: degraded_performance}
  - at: 2026-11-20T14:58:00Z
    status: monitoring
    message: Rolled back.
    components: {api: degraded_performance, dashboard: operational}
  - at: 2026-11-20T15:43:00Z
    status: resolved
    message: All good.
postmortem_at: 2026-11-22T10:00:00Z
admission: |
  # What happened
  We failed 20 % of requests. <b>Sorry</b>.
cause: A long transaction.
fix: We rolled back.
prevention:
  - action: Alert on pool saturation
    owner: platform-team
    status: done
    due: 2026-11-21
  - action: Load-test new endpoints
    owner: api-team
"""

UPCOMING = """\
title: Database upgrade
kind: maintenance
components: [api, dashboard]
scheduled_for: 2026-12-06T02:00:00+01:00
scheduled_until: 2026-12-06T04:00:00+01:00
updates:
  - at: 2026-11-20T12:00:00+01:00
    status: scheduled
    message: We will upgrade the database.
"""


def built(site: SiteDir) -> Path:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    return out


def page(out: Path, path: str) -> HtmlElement:
    return lxml.html.fromstring((out / path).read_bytes())


def text(element: HtmlElement) -> str:
    return " ".join(element.text_content().split())


def texts(root: HtmlElement, selector: str) -> list[str]:
    return [text(e) for e in root.cssselect(selector)]


@pytest.fixture
def site_out(make_site: MakeSite) -> Path:
    site = make_site(
        config=BERLIN_CONFIG,
        incidents={
            "webhook-delays": ACTIVE,
            "api-errors": POSTMORTEM,
            "upgrade": UPCOMING,
            "reindex": RUNNING,
            "old": RESOLVED.replace("2026-11-20", "2026-10-01"),
        },
    )
    return built(site)


def test_index_shows_overall_state_components_and_what_is_happening(site_out: Path) -> None:
    index = page(site_out, "index.html")
    banner = index.cssselect("p.banner")[0]
    assert text(banner) == "Degraded performance"
    assert banner.get("class") == "banner state-degraded_performance"
    assert texts(index, "h2") == [
        "Active incidents",
        "Maintenance in progress",
        "Components",
        "Upcoming maintenance",
        "Past incidents",
        "Subscribe",
    ]
    active = index.cssselect("section[aria-labelledby=active-heading] article")
    assert [text(a.cssselect("h3")[0]) for a in active] == ["Delayed webhooks"]
    assert text(active[0].cssselect(".message")[0]) == "A worker stopped."
    assert active[0].cssselect(".meta time")[0].get("datetime") == "2026-11-23T09:41:00+01:00"
    running = index.cssselect("section[aria-labelledby=maintenance-heading] article h3 a")
    assert [(a.text, a.get("href")) for a in running] == [
        ("Search reindex", "./incidents/reindex/")
    ]
    upcoming = index.cssselect("section[aria-labelledby=upcoming-heading] article")
    assert text(upcoming[0].cssselect(".meta")[0]) == (
        "From 6 Dec 2026, 02:00 CET to 6 Dec 2026, 04:00 CET"
    )


def test_index_groups_components_with_their_current_state(site_out: Path) -> None:
    index = page(site_out, "index.html")
    components = index.cssselect("section[aria-labelledby=components-heading]")[0]
    assert texts(components, "h3") == ["Platform Operational"]
    rows = [
        (text(li.cssselect("a")[0]), text(li.cssselect(".state")[0]))
        for li in components.cssselect("ul.components > li")
    ]
    assert rows == [
        ("Public API", "Operational"),
        ("Dashboard", "Operational"),
        ("Webhooks", "Degraded performance"),
        ("Documentation", "Under maintenance"),
    ]


def test_index_lists_the_last_fourteen_days(site_out: Path) -> None:
    index = page(site_out, "index.html")
    past = index.cssselect("section[aria-labelledby=past-heading]")[0]
    days = past.cssselect("h3 time")
    assert len(days) == 14
    assert (days[0].get("datetime"), days[-1].get("datetime")) == ("2026-11-23", "2026-11-10")
    listed = {
        h3.cssselect("time")[0].get("datetime"): [
            text(a) for a in h3.getnext().cssselect(".incident-title a")
        ]
        for h3 in past.cssselect("h3")
    }
    assert listed["2026-11-23"] == ["Search reindex", "Delayed webhooks"]
    assert listed["2026-11-20"] == ['Elevated <error> rates & "timeouts"']
    assert listed["2026-11-22"] == []
    assert "old" not in " ".join(a.get("href") for a in past.cssselect("a"))
    assert text(past.cssselect("h3")[1].getnext()) == "No incidents reported."
    assert past.cssselect("a[href='./history/']")


def test_every_page_has_title_description_canonical_and_stylesheet(site_out: Path) -> None:
    generated = ("2026-11-23T13:00:00+01:00", "Generated 23 Nov 2026, 13:00 CET.")
    expected = {
        "index.html": ("Test Cloud Status", "https://status.test.example/", "./style.css"),
        "incidents/old/index.html": (
            "Elevated error rates · Test Cloud Status",
            "https://status.test.example/incidents/old/",
            "../../style.css",
        ),
        "history/index.html": (
            "Incident history · Test Cloud Status",
            "https://status.test.example/history/",
            "../style.css",
        ),
        "components/api/index.html": (
            "Public API · Test Cloud Status",
            "https://status.test.example/components/api/",
            "../../style.css",
        ),
    }
    # The status page and a component's say when they were made, so that a reader sees how
    # fresh the states are; others, when what they show last changed.
    footers = {
        "index.html": generated,
        "incidents/old/index.html": (
            "2026-10-01T17:52:00+02:00",
            "Last updated 1 Oct 2026, 17:52 CEST.",
        ),
        "history/index.html": ("2026-11-23T12:00:00+01:00", "Last updated 23 Nov 2026, 12:00 CET."),
        "components/api/index.html": generated,
    }
    for path, (title, canonical, css) in expected.items():
        root = page(site_out, path)
        assert root.findtext(".//title") == title
        assert root.cssselect("link[rel=canonical]")[0].get("href") == canonical
        assert root.cssselect("link[rel=stylesheet]")[0].get("href") == css
        assert root.cssselect("meta[name=description]")[0].get("content")
        assert root.get("lang") == "en"
        assert len(root.cssselect("h1")) == 1
        when, said = footers[path]
        assert root.cssselect("footer time")[0].get("datetime") == when
        assert text(root.cssselect("footer")[0]) == f"{said} Times are shown in Europe/Berlin."
        assert not root.cssselect("script")
    assert text(page(site_out, "404.html").cssselect("footer")[0]) == (
        "Times are shown in Europe/Berlin."
    )


def test_incident_page_summary_and_timeline(site_out: Path) -> None:
    root = page(site_out, "incidents/api-errors/index.html")
    assert text(root.cssselect("h1")[0]) == 'Elevated <error> rates & "timeouts"'
    facts = dict(zip(texts(root, ".facts dt"), texts(root, ".facts dd"), strict=True))
    assert facts == {
        "Status": "Resolved",
        "Impact": "Major",
        "Affected": "Public API, Dashboard",
        "Started": "20 Nov 2026, 15:10 CET",
        "Resolved": "20 Nov 2026, 16:43 CET",
        "Duration": "1 hour 33 minutes",
    }
    updates = root.cssselect("ol.timeline > li")
    assert [u.get("id") for u in updates] == ["update-1", "update-2", "update-3"]
    assert [u.cssselect("h3 time")[0].get("datetime") for u in updates] == [
        "2026-11-20T15:10:00+01:00",
        "2026-11-20T15:58:00+01:00",
        "2026-11-20T16:43:00+01:00",
    ]
    assert [text(u.cssselect("h3 .status")[0]) for u in updates] == [
        "Investigating",
        "Monitoring",
        "Resolved",
    ]
    assert [texts(u, ".transitions li") for u in updates] == [
        ["Public API: Partial outage", "Dashboard: Degraded performance"],
        ["Public API: Degraded performance", "Dashboard: Operational"],
        ["Public API: Operational"],
    ]


def test_incident_page_transparency_sections(site_out: Path) -> None:
    root = page(site_out, "incidents/api-errors/index.html")
    sections = root.cssselect(".postmortem section")
    assert [s.get("id") for s in sections] == ["admission", "cause", "fix", "prevention"]
    assert [text(s.cssselect("h2")[0]) for s in sections] == [
        "Admission",
        "Cause",
        "Fix",
        "Prevention",
    ]
    admission = sections[0]
    assert texts(admission, "h3") == ["What happened"]  # a Markdown heading sits below the h2
    assert text(admission.cssselect("p")[-1]) == "We failed 20 % of requests. <b>Sorry</b>."
    assert not admission.cssselect("b")
    items = sections[3].cssselect("ul.actions > li")
    assert [
        (text(i.cssselect(".action")[0]), dict(zip(texts(i, "dt"), texts(i, "dd"), strict=True)))
        for i in items
    ] == [
        (
            "Alert on pool saturation",
            {"Owner": "platform-team", "State": "Done", "Due": "21 Nov 2026"},
        ),
        ("Load-test new endpoints", {"Owner": "api-team", "State": "Planned"}),
    ]
    assert items[0].cssselect("time")[0].get("datetime") == "2026-11-21"
    assert text(root.cssselect(".postmortem .notice")[0]) == (
        "Postmortem published 22 Nov 2026, 11:00 CET."
    )


def test_incident_without_postmortem_says_one_will_follow(site_out: Path) -> None:
    root = page(site_out, "incidents/old/index.html")
    assert text(root.cssselect(".postmortem .notice")[0]) == (
        "A postmortem will follow here: what happened, why, how we fixed it and what will "
        "stop it happening again."
    )
    assert (
        texts(root, ".postmortem section .pending")
        == ["Not published yet; it will follow in the postmortem."] * 4
    )
    active = page(site_out, "incidents/webhook-delays/index.html")
    assert text(active.cssselect(".postmortem .notice")[0]).startswith(
        "This incident is still open."
    )
    facts = dict(zip(texts(active, ".facts dt"), texts(active, ".facts dd"), strict=True))
    assert (facts["Resolved"], facts["Duration"]) == ("Not yet", "3 hours 48 minutes so far")


def test_maintenance_page(site_out: Path) -> None:
    root = page(site_out, "incidents/upgrade/index.html")
    assert text(root.cssselect(".kicker")[0]) == "Scheduled maintenance"
    facts = dict(zip(texts(root, ".facts dt"), texts(root, ".facts dd"), strict=True))
    assert facts == {
        "Status": "Scheduled",
        "Affected": "Public API, Dashboard",
        "Scheduled": "6 Dec 2026, 02:00 CET to 6 Dec 2026, 04:00 CET",
    }
    assert not root.cssselect(".postmortem")


def test_component_page(site_out: Path) -> None:
    root = page(site_out, "components/api/index.html")
    assert text(root.cssselect("h1")[0]) == "Public API"
    assert text(root.cssselect("p.banner")[0]) == "Operational"
    assert text(root.cssselect(".description")[0]) == "REST endpoints"
    assert texts(root, ".incident-title a") == [
        "Database upgrade",
        'Elevated <error> rates & "timeouts"',
        "Elevated error rates",
    ]
    assert texts(root, "h3") == ["December 2026", "November 2026", "October 2026"]
    docs = page(site_out, "components/docs/index.html")
    assert text(docs.cssselect("p.banner")[0]) == "Under maintenance"


def test_history_lists_everything_newest_first_by_month(site_out: Path) -> None:
    root = page(site_out, "history/index.html")
    assert texts(root, "h2") == ["December 2026", "November 2026", "October 2026"]
    assert [a.get("href") for a in root.cssselect(".incident-title a")] == [
        "../incidents/upgrade/",
        "../incidents/reindex/",
        "../incidents/webhook-delays/",
        "../incidents/api-errors/",
        "../incidents/old/",
    ]
    assert not root.cssselect(".pager")


def test_history_is_paginated_fifty_a_page(make_site: MakeSite) -> None:
    site = make_site()
    for n in range(120):
        day = f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}"
        site.incident(f"i{n:03d}", RESOLVED.replace("2026-11-20", day))
    out = built(site)
    pages = [
        page(out, p)
        for p in ("history/index.html", "history/page/2/index.html", "history/page/3/index.html")
    ]
    assert [len(p.cssselect(".incident-list > li")) for p in pages] == [50, 50, 20]
    assert not (out / "history/page/4").exists()
    assert texts(pages[0], ".incident-title a")[0] == "Elevated error rates"
    assert pages[0].cssselect(".incident-title a")[0].get("href") == "../incidents/i119/"
    assert pages[2].cssselect(".incident-title a")[-1].get("href") == "../../../incidents/i000/"
    links = [{a.get("rel"): a.get("href") for a in p.cssselect(".pager a")} for p in pages]
    assert links == [
        {"next": "../history/page/2/"},
        {"prev": "../../../history/", "next": "../../../history/page/3/"},
        {"prev": "../../../history/page/2/"},
    ]
    assert text(pages[1].cssselect(".pager span")[0]) == "Page 2 of 3"
    assert pages[1].findtext(".//title") == "Incident history, page 2 of 3 · Test Cloud Status"
    component = page(out, "components/api/page/3/index.html")
    assert len(component.cssselect(".incident-list > li")) == 20


def test_not_found_page_links_from_the_site_path(make_site: MakeSite) -> None:
    site = make_site(
        config=CONFIG.replace("https://status.test.example", "https://x.example/status/")
    )
    root = page(built(site), "404.html")
    assert [a.get("href") for a in root.cssselect("main a")] == ["/status/", "/status/history/"]
    assert root.cssselect("link[rel=stylesheet]")[0].get("href") == "/status/style.css"


def test_text_from_files_is_escaped_everywhere(make_site: MakeSite) -> None:
    config = CONFIG.replace("title: Test Cloud Status", 'title: "Tom & Jerry <Status>"').replace(
        "    description: REST endpoints", '    description: "<img src=x onerror=alert(1)>"'
    )
    site = make_site(config=config, incidents={"x": POSTMORTEM})
    out = built(site)
    for path in ("index.html", "incidents/x/index.html", "components/api/index.html"):
        raw = (out / path).read_text()
        assert "<img" not in raw and "<error>" not in raw and "<Status>" not in raw
        assert "Tom &amp; Jerry &lt;Status&gt;" in raw
    index = page(out, "index.html")
    assert index.findtext(".//title") == "Tom & Jerry <Status>"
    assert texts(index, ".components .description")[0] == "<img src=x onerror=alert(1)>"


def test_pages_make_no_third_party_requests(site_out: Path) -> None:
    for path in site_out.rglob("*.html"):
        root = lxml.html.fromstring(path.read_bytes())
        for element in root.cssselect("[src], link[href]"):
            url = element.get("src") or element.get("href")
            if element.get("rel") == "canonical":
                continue
            assert url.startswith(("./", "../", "/")) or "://" not in url, (path, url)


def test_pages_announce_and_link_their_feeds(site_out: Path) -> None:
    def feeds(path: str) -> tuple[list[tuple[str, str]], list[str]]:
        root = page(site_out, path)
        announced = [
            (link.get("type"), link.get("href")) for link in root.cssselect("link[rel=alternate]")
        ]
        visible = texts(root, ".subscribe li")
        return announced, visible

    site_feeds = [
        ("application/rss+xml", "feed.rss"),
        ("application/atom+xml", "feed.atom"),
        ("application/feed+json", "feed.json"),
    ]
    every = "Every incident: RSS · Atom · JSON Feed"
    assert feeds("index.html") == ([(t, f"./{h}") for t, h in site_feeds], [every])
    announced, visible = feeds("incidents/api-errors/index.html")
    assert announced[:3] == [(t, f"../../incidents/api-errors/{h}") for t, h in site_feeds]
    assert announced[3:] == [(t, f"../../{h}") for t, h in site_feeds]
    assert visible == ["This incident: RSS · Atom · JSON Feed", every]
    announced, visible = feeds("components/api/index.html")
    assert announced[:3] == [(t, f"../../components/api/{h}") for t, h in site_feeds]
    assert visible == ["Public API: RSS · Atom · JSON Feed", every]
    assert feeds("history/index.html")[0] == [(t, f"../{h}") for t, h in site_feeds]
    for path in ("feed.rss", "incidents/api-errors/feed.atom", "components/api/feed.json"):
        assert (site_out / path).is_file()

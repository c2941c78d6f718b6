"""The content of each page type, read with a real HTML parser."""

from __future__ import annotations

from pathlib import Path

import lxml.html
import pytest
from lxml.html import HtmlElement

from statuspage.engine.build import build_site
from statuspage.model.probes import CheckResult, Measured
from statuspage.render.jobs import RenderContext
from statuspage.render.pages import PageRenderer
from statuspage.render.templates import TemplateCache
from statuspage.render.views import SiteIndex
from statuspage.sources.loader import load_site
from statuspage.sources.theme import Theme
from tests.conftest import (
    API_OUTAGE,
    CONFIG,
    NOW,
    OPEN,
    RESOLVED,
    RUNNING,
    SLOW_API,
    MakeSite,
    SiteDir,
    add_probes,
    day_counters,
    write_history,
)

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


def test_index_lists_the_days_of_the_last_fourteen_that_had_incidents(site_out: Path) -> None:
    index = page(site_out, "index.html")
    past = index.cssselect("section[aria-labelledby=past-heading]")[0]
    listed = [
        (
            text(h3),
            h3.cssselect("time")[0].get("datetime"),
            [text(a) for a in h3.getnext().cssselect(".incident-title a")],
        )
        for h3 in past.cssselect("h3")
    ]
    # The days between, with nothing to list, have no heading; 1 Oct is too old to be here.
    assert listed == [
        ("23 Nov 2026", "2026-11-23", ["Search reindex", "Delayed webhooks"]),
        ("20 Nov 2026", "2026-11-20", ['Elevated <error> rates & "timeouts"']),
    ]
    assert [child.tag for child in past] == ["h2", "h3", "ul", "h3", "ul", "p"]
    assert [(text(a), a.get("href")) for a in past.cssselect(":scope > p a")] == [
        ("Full incident history", "./history/")
    ]


def test_index_says_so_when_the_last_fourteen_days_had_no_incident(make_site: MakeSite) -> None:
    site = make_site(incidents={"old": RESOLVED.replace("2026-11-20", "2026-11-09")})
    past = page(built(site), "index.html").cssselect("section[aria-labelledby=past-heading]")[0]
    assert not past.cssselect("h3, .incident-list")
    assert texts(past, "p") == ["No incidents in the last 14 days.", "Full incident history"]
    assert past.cssselect("p a")[0].get("href") == "./history/"


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
        "Impact": "Major impact",
        "Affected": "Public API, Dashboard",
        "First post": "20 Nov 2026, 15:10 CET",
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
    # Each state is a badge that says it in words; its class only colours it.
    assert [
        (text(badge), badge.get("class")) for i in items for badge in i.cssselect(".action-state")
    ] == [
        ("Done", "action-state action-state-done"),
        ("Planned", "action-state action-state-planned"),
    ]
    assert text(root.cssselect(".postmortem .notice")[0]) == (
        "Postmortem published 22 Nov 2026, 11:00 CET."
    )


def banner_of(root: HtmlElement) -> tuple[str, str]:
    """The text and class of the banner an incident page opens with, right under its h1."""
    banner = root.cssselect("h1")[0].getnext()
    assert banner.tag == "p"
    return text(banner), banner.get("class")


def test_an_incident_page_opens_with_its_state_and_impact(site_out: Path) -> None:
    # Coloured by the worst state it gives its components while open, operational once over.
    expected = {
        "api-errors": ("Resolved · Major impact", "banner state-operational"),
        "webhook-delays": (
            "Identified · Minor impact · Degraded performance on Webhooks",
            "banner state-degraded_performance",
        ),
        "upgrade": ("Scheduled", "banner state-operational"),
        "reindex": (
            "In progress · Under maintenance on Documentation",
            "banner state-under_maintenance",
        ),
    }
    for incident, banner in expected.items():
        assert banner_of(page(site_out, f"incidents/{incident}/index.html")) == banner, incident


def test_the_banner_names_the_components_in_the_worst_state(make_site: MakeSite) -> None:
    outage = API_OUTAGE.replace("components: [api]", "components: [api, dashboard, webhooks]")
    outage = outage.replace(
        "components: {api: degraded_performance}",
        "components: {api: partial_outage, dashboard: degraded_performance, webhooks: "
        "partial_outage}",
    )
    quiet = SLOW_API.format(impact="none")
    completed = RUNNING.replace(
        "    message: Reindex running.\n",
        "    message: Reindex running.\n"
        "  - at: 2026-11-23T11:40:00Z\n"
        "    status: completed\n"
        "    message: Done.\n",
    )
    site = make_site(incidents={"outage": outage, "quiet": quiet, "reindex": completed})
    out = built(site)
    assert banner_of(page(out, "incidents/outage/index.html")) == (
        "Monitoring · Major impact · Partial outage on Public API, Webhooks",
        "banner state-partial_outage",
    )
    assert banner_of(page(out, "incidents/quiet/index.html")) == (
        "Identified · No impact",
        "banner state-operational",
    )
    assert banner_of(page(out, "incidents/reindex/index.html")) == (
        "Completed",
        "banner state-operational",
    )
    for path in out.rglob("*.html"):
        assert "None impact" not in path.read_text(), path


def test_action_items_in_progress_and_done_are_badges_in_words(make_site: MakeSite) -> None:
    items = POSTMORTEM.replace(
        "    owner: api-team\n", "    owner: api-team\n    status: in_progress\n"
    )
    root = page(built(make_site(incidents={"x": items})), "incidents/x/index.html")
    rows = root.cssselect("#prevention ul.actions > li")
    assert [(row.get("class"), texts(row, "dd .action-state")) for row in rows] == [
        ("action-done", ["Done"]),
        ("action-in_progress", ["In progress"]),
    ]
    assert [b.get("class") for b in root.cssselect(".action-state")] == [
        "action-state action-state-done",
        "action-state action-state-in_progress",
    ]


def postmortem_of(root: HtmlElement) -> list[tuple[str, str]]:
    """What the postmortem part of an incident page holds, in order: each line's text, and
    each section's id and heading."""
    return [
        (f"section#{child.get('id')}", text(child.cssselect("h2")[0]))
        if child.tag == "section"
        else (child.tag, text(child))
        for child in root.cssselect(".postmortem")[0]
    ]


def test_incident_without_postmortem_says_in_one_line_that_one_will_follow(
    site_out: Path,
) -> None:
    root = page(site_out, "incidents/old/index.html")
    assert postmortem_of(root) == [
        (
            "p",
            "A postmortem will follow here by 6 Oct 2026: what happened, why, how we fixed it "
            "and what will stop it happening again.",
        )
    ]
    assert texts(root, "h2") == ["Timeline", "Subscribe"]
    active = page(site_out, "incidents/webhook-delays/index.html")
    assert postmortem_of(active) == [
        (
            "p",
            "Once this incident is over we will publish a postmortem here: what happened, "
            "why, how we fixed it and what will stop it happening again.",
        )
    ]
    assert texts(active, "h2") == ["Timeline", "Subscribe"]
    facts = dict(zip(texts(active, ".facts dt"), texts(active, ".facts dd"), strict=True))
    assert (facts["Resolved"], facts["Duration"]) == ("Not yet", "3 hours 48 minutes so far")


PARTIAL_POSTMORTEM = (
    RESOLVED
    + """\
admission: We failed you for 102 minutes.
prevention:
  - action: Alert on pool saturation
    owner: platform-team
"""
)


def test_a_postmortem_in_the_writing_shows_only_its_written_sections(
    make_site: MakeSite,
) -> None:
    whole = RESOLVED + "admission: Sorry.\ncause: A bug.\nfix: A rollback.\nprevention: Tests.\n"
    site = make_site(
        incidents={
            "partial": PARTIAL_POSTMORTEM,
            "early": OPEN + "admission: Deliveries are late; sorry.\n",
            "whole": whole,
        }
    )
    out = built(site)
    root = page(out, "incidents/partial/index.html")
    assert postmortem_of(root) == [
        ("p", "The rest of the postmortem will follow here by 25 Nov 2026."),
        ("section#admission", "Admission"),
        ("section#prevention", "Prevention"),
    ]
    assert texts(root, "#admission > p") == [
        "What happened, who was affected, and our apology.",
        "We failed you for 102 minutes.",
    ]
    assert texts(root, "#prevention .action") == ["Alert on pool saturation"]
    assert not root.cssselect(".pending")
    early = page(out, "incidents/early/index.html")
    assert postmortem_of(early) == [
        ("p", "Once this incident is over we will publish the rest of its postmortem here."),
        ("section#admission", "Admission"),
    ]
    # All four written, not yet dated: nothing is still to come.
    assert postmortem_of(page(out, "incidents/whole/index.html")) == [
        ("section#admission", "Admission"),
        ("section#cause", "Cause"),
        ("section#fix", "Fix"),
        ("section#prevention", "Prevention"),
    ]


@pytest.mark.parametrize(
    ("checks", "due"),
    [
        ("", "25 Nov 2026"),  # resolved 20 Nov, 16:52 in Berlin: due 5 days after
        ("checks:\n  postmortem-overdue: {within: 10d}\n", "30 Nov 2026"),
        ("checks:\n  postmortem-overdue: off\n", None),
    ],
)
def test_the_line_that_promises_a_postmortem_says_when_it_is_due(
    make_site: MakeSite, checks: str, due: str | None
) -> None:
    site = make_site(
        config=BERLIN_CONFIG + checks,
        incidents={"old": RESOLVED, "open": OPEN, "partial": PARTIAL_POSTMORTEM},
    )
    loaded = load_site(site.root)
    context = RenderContext(NOW, Theme.load(site.root), TemplateCache())
    renderer = PageRenderer(SiteIndex(loaded, NOW), context)

    def notice(incident: str) -> HtmlElement:
        html = renderer.render_incident(loaded.incident(incident))
        return lxml.html.fromstring(html).cssselect(".postmortem .notice")[0]

    by = f" by {due}" if due else ""
    assert text(notice("old")) == (
        f"A postmortem will follow here{by}: what happened, why, how we fixed it and what "
        f"will stop it happening again."
    )
    assert text(notice("partial")) == f"The rest of the postmortem will follow here{by}."
    days = {"25 Nov 2026": ["2026-11-25"], "30 Nov 2026": ["2026-11-30"], None: []}
    assert [t.get("datetime") for t in notice("old").cssselect("time")] == days[due]
    # While open, nothing is due yet.
    assert text(notice("open")) == (
        "Once this incident is over we will publish a postmortem here: what happened, why, "
        "how we fixed it and what will stop it happening again."
    )


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
    assert texts(root, "h2") == ["December 2026", "November 2026", "October 2026", "Subscribe"]
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
    assert [a.get("href") for a in root.cssselect("main a")] == [
        "/status/",
        "/status/history/",
        "/status/feed.rss",
        "/status/feed.atom",
        "/status/feed.json",
    ]
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
    assert feeds("history/index.html") == ([(t, f"../{h}") for t, h in site_feeds], [every])
    for path in ("feed.rss", "incidents/api-errors/feed.atom", "components/api/feed.json"):
        assert (site_out / path).is_file()


def test_every_page_links_its_feeds_from_the_top(make_site: MakeSite) -> None:
    site = make_site(incidents={f"i{n}": RESOLVED for n in range(51)})
    out = built(site)
    for path in (
        "index.html",
        "incidents/i0/index.html",
        "history/index.html",
        "history/page/2/index.html",
        "components/api/index.html",
        "404.html",
    ):
        root = page(out, path)
        # In the site's navigation, before the page's own content, on every page.
        links = root.cssselect("header nav a")
        assert [(text(a), a.get("href")) for a in links][-1] == ("Subscribe", "#subscribe"), path
        section = root.cssselect("#subscribe")[0]
        assert section.getparent().tag == "main", path
        assert text(section.cssselect("h2")[0]) == "Subscribe", path
        assert texts(root, "h2")[-1] == "Subscribe", path  # headings stay in order
        assert "Every incident: RSS · Atom · JSON Feed" in texts(section, "li"), path


# -- what probes measure, and uptime -----------------------------------------------------


@pytest.fixture
def probed_out(make_site: MakeSite) -> Path:
    """The site with PROBES and their history (see add_probes), one incident on 20 Nov."""
    site = make_site(config=BERLIN_CONFIG, incidents={"db": RESOLVED})
    add_probes(site)
    return built(site)


def rows_of(index: HtmlElement) -> dict[str, HtmlElement]:
    return {text(li.cssselect("a")[0]): li for li in index.cssselect("ul.components > li")}


NOTE = "Partial outage (measured by api-health since 23 Nov 2026, 12:55 CET)"


def test_a_state_probes_made_worse_says_which_probe_measured_it_since_when(
    probed_out: Path,
) -> None:
    index = page(probed_out, "index.html")
    assert text(index.cssselect("p.banner")[0]) == "Partial system outage"
    shown = {name: text(li.cssselect(".shown-state")[0]) for name, li in rows_of(index).items()}
    assert shown == {
        "Public API": NOTE,
        "Dashboard": "Operational",
        "Webhooks": "Operational",
        "Documentation": "Operational",
    }
    since = rows_of(index)["Public API"].cssselect(".measured time")[0]
    assert since.get("datetime") == "2026-11-23T12:55:00+01:00"
    api = page(probed_out, "components/api/index.html")
    banner = api.cssselect("p.banner")[0]
    assert (text(banner), banner.get("class")) == (NOTE, "banner state-partial_outage")
    dashboard = page(probed_out, "components/dashboard/index.html")
    assert text(dashboard.cssselect("p.banner")[0]) == "Operational"


def test_a_state_declared_worse_than_measured_is_shown_as_declared(make_site: MakeSite) -> None:
    site = make_site(incidents={"slow": SLOW_API.format(impact="critical")})
    add_probes(site)
    out = built(site)
    row = rows_of(page(out, "index.html"))["Public API"]
    assert text(row.cssselect(".shown-state")[0]) == "Major outage"
    assert text(page(out, "components/api/index.html").cssselect("p.banner")[0]) == ("Major outage")


def test_uptime_figures_say_where_they_come_from_and_the_probes_coverage(
    probed_out: Path,
) -> None:
    rows = rows_of(page(probed_out, "index.html"))
    figures = {name: texts(li, ".figures li") for name, li in rows.items()}
    # The API: every day's down checks over both probes' checks, or what the incident
    # declared if worse (from 20 Nov, its first day); today counts the 12 hours so far.
    assert figures["Public API"] == [
        "99.72 % uptime over 30 days (from probes and incidents; probes checked 30 of 30 days)",
        "99.72 % uptime over 90 days (from probes and incidents; probes checked 30 of 90 days)",
    ]
    # Incidents count from the site's first, on 20 Nov: the days before have no data, and
    # do not count as up. The docs' probe may not change its state: no coverage to say.
    for name in ("Dashboard", "Webhooks", "Documentation"):
        assert figures[name] == [
            "100.00 % uptime over 30 days (from incidents; data on 4 of 30 days)",
            "100.00 % uptime over 90 days (from incidents; data on 4 of 90 days)",
        ]
    component = page(probed_out, "components/api/index.html")
    assert texts(component, ".figures li") == figures["Public API"]


def test_a_site_without_incidents_or_probes_has_no_uptime_data_yet(make_site: MakeSite) -> None:
    out = built(make_site())
    index = page(out, "index.html")
    assert [texts(li, ".figures") for li in rows_of(index).values()] == [
        ["No uptime data yet."]
    ] * 4
    assert not index.cssselect(".bar, .days, .bar-legend, .bar-note")
    component = page(out, "components/api/index.html")
    assert texts(component, "#uptime-heading ~ *") == ["No uptime data yet."]


def test_each_day_of_the_bar_says_its_date_uptime_state_and_incidents(probed_out: Path) -> None:
    api = rows_of(page(probed_out, "index.html"))["Public API"]
    bar = api.cssselect("ol.bar")[0]
    label = api.cssselect(f"#{bar.get('aria-labelledby')}")[0]
    assert text(label) == "Public API: the last 90 UTC days, oldest first"
    # Days in a row with the same words are one piece, spanning its days; each is named by
    # those words, a tooltip and an image's name; a day with incidents links to them.
    pieces = [
        (li.get("class"), li[0].tag, li[0].get("role"), li[0].get("title"))
        for li in bar.cssselect("li")
    ]
    assert pieces == [
        ("s-no_data n60", "span", "img", "26 Aug 2026 to 24 Oct 2026 UTC (60 days): no data"),
        (
            "s-operational n26",
            "span",
            "img",
            "25 Oct 2026 to 19 Nov 2026 UTC (26 days): 100.00 % uptime, operational",
        ),
        # 20 Nov: 10 of the 200 checks down, worse than the incident's 102 minutes at 0.3.
        (
            "s-partial_outage",
            "a",
            None,
            "20 Nov 2026 UTC: 95.00 % uptime, partial outage. Incident: Elevated error rates",
        ),
        (
            "s-operational n2",
            "span",
            "img",
            "21 Nov 2026 to 22 Nov 2026 UTC (2 days): 100.00 % uptime, operational",
        ),
        ("s-partial_outage", "span", "img", "23 Nov 2026 UTC: 93.75 % uptime, partial outage"),
    ]
    link = bar.cssselect("a")[0]
    assert (link.get("href"), link.get("tabindex")) == ("./incidents/db/", "-1")
    assert texts(api, ".bar-axis span") == ["26 Aug 2026", "Today"]


def test_the_bar_in_words_groups_equal_days_and_links_incidents(probed_out: Path) -> None:
    expected = [
        "26 Aug 2026 to 24 Oct 2026 UTC (60 days): no data",
        "25 Oct 2026 to 19 Nov 2026 UTC (26 days): 100.00 % uptime, operational",
        "20 Nov 2026 UTC: 95.00 % uptime, partial outage. Incident: Elevated error rates",
        "21 Nov 2026 to 22 Nov 2026 UTC (2 days): 100.00 % uptime, operational",
        "23 Nov 2026 UTC: 93.75 % uptime, partial outage",
    ]
    root = page(probed_out, "components/api/index.html")
    days = next(d for d in root.cssselect("details.days") if "Public API" in text(d))
    assert text(days.cssselect("summary")[0]) == "Day by day: Public API"
    assert texts(days, "li") == expected
    assert [a.get("href") for a in days.cssselect("a")] == ["../../incidents/db/"]
    times = days.cssselect("li")[0].cssselect("time")
    assert [t.get("datetime") for t in times] == ["2026-08-26", "2026-10-24"]
    # The status page links to those words on the component's page instead of repeating them.
    index = page(probed_out, "index.html")
    assert index.cssselect("details.days") == []
    links = [a for a in index.cssselect("p.days a") if "Public API" in text(a)]
    assert [(text(a), a.get("href")) for a in links] == [
        ("Day by day: Public API", "./components/api/#uptime-heading")
    ]


def test_the_legend_says_what_the_colours_are_and_that_days_are_utc(probed_out: Path) -> None:
    for path in ("index.html", "components/api/index.html"):
        root = page(probed_out, path)
        assert texts(root, ".bar-note") == [
            "Each bar is one UTC day, oldest on the left, today on the right. Point at a bar "
            'for that day, or see "Day by day".'
        ]
        legend = root.cssselect(".bar-legend li")
        assert [(text(li), li.cssselect(".swatch")[0].get("class")) for li in legend] == [
            ("Operational", "swatch s-operational"),
            ("Under maintenance", "swatch s-under_maintenance"),
            ("Degraded performance", "swatch s-degraded_performance"),
            ("Partial outage", "swatch s-partial_outage"),
            ("Major outage", "swatch s-major_outage"),
            ("No data", "swatch s-no_data"),
        ]


def test_a_component_page_charts_each_probe_s_response_times(probed_out: Path) -> None:
    root = page(probed_out, "components/api/index.html")
    assert texts(root, "h2") == ["Uptime", "Response times", "Incidents", "Subscribe"]
    charts = root.cssselect("section.chart")
    assert [text(c.cssselect("h3")[0]) for c in charts] == ["api-health", "api-port"]
    chart = charts[0]
    # From every answer's bucket: 80 % under 50 ms on full days, the rest under 100.
    summary = chart.cssselect("#chart-api-health-summary")[0]
    assert text(summary) == "Median 31 ms, p95 87 ms over 90 days, from 2,948 answers."
    svg = chart.cssselect("svg")[0]
    assert (svg.get("role"), svg.get("aria-labelledby")) == ("img", "chart-api-health-summary")
    assert svg.get("viewbox") == "0 0 90 100"
    # One step a day from the first with answers (the 61st), today's lower; 100 ms on top.
    assert [p.get("d") for p in svg.cssselect("path.p50, path.p95")] == [
        "M60 12.5H89V15H90",
        "M60 68.75H89V70H90",
    ]
    assert texts(chart, ".chart-y span") == ["100 ms", "50 ms", "0 ms"]
    assert texts(chart, ".chart-x span") == ["26 Aug 2026", "Today"]
    assert text(chart.cssselect("summary")[0]) == "Response times by day: api-health"
    table = chart.cssselect("table")[0]
    assert text(table.cssselect("caption")[0]) == "Response times of api-health by UTC day"
    assert texts(table, "thead th") == ["Day (UTC)", "Median", "p95", "Answers"]
    rows = [texts(tr, "th, td") for tr in table.cssselect("tbody tr")]
    assert len(rows) == 31
    assert rows[0] == ["26 Aug 2026 to 24 Oct 2026", "No answers"]
    assert rows[1] == ["25 Oct 2026", "31 ms", "88 ms", "100"]
    assert rows[-1] == ["23 Nov 2026", "30 ms", "85 ms", "48"]


def test_the_first_component_page_alone_shows_uptime_and_charts(make_site: MakeSite) -> None:
    site = make_site(incidents={f"i{n}": RESOLVED for n in range(51)})
    add_probes(site)
    out = built(site)
    second = page(out, "components/api/page/2/index.html")
    assert text(second.cssselect("p.banner")[0]) == NOTE.replace("12:55 CET", "11:55 UTC")
    assert texts(second, "h2") == ["Incidents", "Subscribe"]
    for path in ("history/index.html", "incidents/i0/index.html"):
        assert not page(out, path).cssselect(".uptime, .bar, .chart, .measured"), path


def test_upstream_pages_are_listed_with_their_components(probed_out: Path) -> None:
    index = page(probed_out, "index.html")
    assert texts(index, "h2") == [
        "Components",
        "Upstream dependencies",
        "Past incidents",
        "Subscribe",
    ]
    section = index.cssselect("section[aria-labelledby=upstreams-heading]")[0]
    pages = section.cssselect(".upstreams > li")
    assert [text(li.cssselect(".upstream-state")[0]) for li in pages] == [
        "GitHub (upstream): Partial outage",
        "status.npmjs.org: not checked lately",
    ]
    assert [li.cssselect("a")[0].get("href") for li in pages] == [
        "https://www.githubstatus.com",
        "https://status.npmjs.org",
    ]
    assert [texts(li, ".followed li") for li in pages] == [
        ["Git Operations: Partial outage", "API Requests: Operational"],
        ["Registry: unknown"],
    ]
    assert [texts(li, ".meta") for li in pages] == [["Checked 23 Nov 2026, 12:57 CET"], []]


def test_only_the_pages_that_show_what_probes_measure_follow_it(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED, **{f"i{n}": RESOLVED for n in range(50)}})
    add_probes(site)

    def keys() -> dict[str, str]:
        loaded = load_site(site.root)
        context = RenderContext(NOW, Theme.load(site.root), TemplateCache())
        renderer = PageRenderer(SiteIndex(loaded, NOW), context)
        jobs = renderer.plan_site() + [
            job for incident in loaded.incidents for job in renderer.plan_incident(incident)
        ]
        return {job.path: job.key for job in jobs}

    before = keys()
    # GitHub in a major outage, and the API's port answering slower: the same checks.
    upstream = (("Git Operations", "major_outage"), ("API Requests", "operational"))
    github = CheckResult("github", NOW, Measured.DOWN, 80.0, "upstream", upstream)
    write_history(site, "github", [day_counters(NOW.date(), 1, 1, (0, 1), github)])
    port = CheckResult("api-port", NOW, Measured.UP, 60.0, "connected")
    write_history(site, "api-port", [day_counters(NOW.date(), 48, 0, (0, 48), port)])
    after = keys()
    assert before.keys() == after.keys()
    assert sorted(path for path in before if before[path] != after[path]) == [
        "components/api/index.html",  # its uptime (fewer checks) and its port's chart
        "index.html",
    ]

"""statuspage.yaml: its settings, defaults and every problem it can hold."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

import pytest

from statuspage.render import outputs
from statuspage.render.jobs import Job, KeyMaker, RenderContext
from statuspage.render.views import SiteIndex
from statuspage.sources.limits import MAX_FEED_LIMIT
from tests.conftest import CONFIG, RESOLVED, MakeSite, SiteFilesOnly


def config_problems(make_site: MakeSite, text: str) -> list[str]:
    return make_site(config=text).problems()


def test_a_valid_config_is_read_with_defaults(make_site: MakeSite) -> None:
    text = "title: T\nurl: https://status.example.com/\ncomponents:\n  - {id: api, name: API}\n"
    config = make_site(config=text).load().config
    assert (config.title, config.url, config.timezone, config.language) == (
        "T",
        "https://status.example.com",
        "UTC",
        "en",
    )
    assert [(c.id, c.name, c.group, c.position) for c in config.components] == [
        ("api", "API", None, 1)
    ]


def test_components_keep_their_order_and_groups(make_site: MakeSite) -> None:
    config = make_site().load().config
    assert [(c.id, c.group) for c in config.components] == [
        ("api", "Platform"),
        ("dashboard", "Platform"),
        ("webhooks", None),
        ("docs", None),
    ]


def test_missing_config_file(make_site: MakeSite) -> None:
    site = make_site()
    (site.root / "statuspage.yaml").unlink()
    assert site.problems() == [
        f"statuspage.yaml: not found in {site.root}; run statuspage in the site's folder "
        f"or pass --root"
    ]


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "url: https://status.test.example",
            "url: status.test.example",
            "2:6: 'url' must be an absolute address such as https://status.example.com, "
            "not 'status.test.example'",
        ),
        (
            "timezone: UTC",
            "timezone: Europe/Berln",
            "3:11: unknown time zone 'Europe/Berln'; did you mean 'Europe/Berlin'?",
        ),
        (
            "timezone: UTC",
            "timezone: Middle/Earth",
            "3:11: unknown time zone 'Middle/Earth'; use an IANA name such as Europe/Berlin",
        ),
        (
            "timezone: UTC",
            "timezone: UTC\nlanguage: English please",
            "4:11: 'language' must be a language tag such as en or pt-BR, not 'English please'",
        ),
        (
            "timezone: UTC",
            "timezone: UTC\ntheme: dark",
            "4:1: unknown key 'theme'; expected one of title, url, description, timezone, "
            "language, components, feeds, page_id, probes, uptime, social, checks, brand",
        ),
        ("title: Test Cloud Status\n", "", "1:1: missing required key 'title'"),
        (
            "  - id: webhooks",
            "  - id: Web Hooks",
            "12:9: component id 'Web Hooks' must be lowercase letters, digits and hyphens, "
            "starting with a letter or digit; for example 'web-hooks'",
        ),
        (
            "  - id: docs",
            "  - id: api",
            "14:9: duplicate component id 'api' (first at line 5)",
        ),
        (
            "    name: Documentation",
            "    nam: Documentation",
            "14:5: missing required key 'name'",
        ),
    ],
)
def test_config_problems(make_site: MakeSite, old: str, new: str, expected: str) -> None:
    assert old in CONFIG
    problems = config_problems(make_site, CONFIG.replace(old, new))
    assert f"statuspage.yaml:{expected}" in problems


def test_misspelt_component_key(make_site: MakeSite) -> None:
    problems = config_problems(
        make_site, CONFIG.replace("    name: Documentation", "    nam: Docs")
    )
    assert problems == [
        "statuspage.yaml:14:5: missing required key 'name'",
        "statuspage.yaml:15:5: unknown key 'nam'; did you mean 'name'?",
    ]


def test_components_must_not_be_empty(make_site: MakeSite) -> None:
    text = "title: T\nurl: https://s.example\ncomponents: []\n"
    assert config_problems(make_site, text) == [
        "statuspage.yaml:3:13: 'components' is empty; list at least one component"
    ]


def test_an_empty_config(make_site: MakeSite) -> None:
    assert config_problems(make_site, "") == [
        "statuspage.yaml:1:1: file is empty; it needs title, url, timezone and components"
    ]


def test_a_broken_config_does_not_flood_incidents_with_unknown_components(
    make_site: MakeSite,
) -> None:
    site = make_site(config=CONFIG.replace("url: https://", "url: "), incidents={"a": RESOLVED})
    assert site.problems() == [
        "statuspage.yaml:2:6: 'url' must be an absolute address such as "
        "https://status.example.com, not 'status.test.example'"
    ]


@pytest.mark.parametrize(
    ("feeds", "expected"),
    [
        ("feeds:\n  limit: 0\n", "statuspage.yaml:17:10: 'limit' must be at least 1, not 0"),
        (
            "feeds:\n  limit: many\n",
            "statuspage.yaml:17:10: 'limit' must be a whole number, not text",
        ),
        ("feeds:\n  limt: 5\n", "statuspage.yaml:17:3: unknown key 'limt'; did you mean 'limit'?"),
        (
            "feeds: 5\n",
            "statuspage.yaml:16:8: 'feeds' must be a mapping of keys to values, not a number",
        ),
    ],
)
def test_feed_settings_problems(make_site: MakeSite, feeds: str, expected: str) -> None:
    assert config_problems(make_site, CONFIG + feeds) == [expected]


def test_the_feed_limit(make_site: MakeSite) -> None:
    assert make_site().load().config.feed_limit == 50
    assert make_site(config=CONFIG + "feeds:\n  limit: 20\n").load().config.feed_limit == 20


def test_a_component_id_that_names_a_file_of_the_site_is_reserved(make_site: MakeSite) -> None:
    text = CONFIG.replace("id: dashboard", "id: status").replace("id: docs", "id: status-api")
    assert config_problems(make_site, text) == [
        "statuspage.yaml:9:9: component id 'status' is reserved: the site itself writes "
        "badges/status.svg; choose another id"
    ]


class SiteFilesRenderer(SiteFilesOnly):
    """A renderer whose files, once per site and once per component, meet those of others."""

    kinds: ClassVar[Mapping[str, float]] = {"probe": 0.1}

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        self.index = index
        self.keys = KeyMaker("probe")

    def plan_site(self) -> list[Job]:
        return [
            self.keys.job("components/all/index.html", "probe"),  # a component's page
            self.keys.job("components/list", "probe"),  # a file where a component's folder is
            *(self.keys.job(f"api/v2/{c.id}", "probe") for c in self.index.site.components),
        ]

    def render(self, job: Job) -> bytes:
        return b""


def test_reserved_ids_follow_what_the_renderers_make(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert dict(outputs.reserved_ids()) == {"status": "badges/status.svg"}
    monkeypatch.setattr(outputs, "RENDERERS", (*outputs.RENDERERS, SiteFilesRenderer))
    assert dict(outputs.reserved_ids()) == {
        "status": "badges/status.svg",
        "all": "components/all/index.html",
        "list": "components/list",
        # a component's file where the site has a folder
        "incidents": "api/v2/incidents/unresolved.json",
        "scheduled-maintenances": "api/v2/scheduled-maintenances/upcoming.json",
    }
    text = CONFIG.replace("id: dashboard", "id: incidents")
    assert config_problems(make_site, text) == [
        "statuspage.yaml:9:9: component id 'incidents' is reserved: the site itself writes "
        "api/v2/incidents/unresolved.json; choose another id"
    ]


def test_two_components_whose_files_meet_are_refused(make_site: MakeSite) -> None:
    # api's uptime badge is badges/api-uptime.svg: the badge of a component api-uptime too.
    later = CONFIG.replace("id: webhooks", "id: api-uptime")
    assert config_problems(make_site, later) == [
        "statuspage.yaml:12:9: component id 'api-uptime' would write badges/api-uptime.svg, "
        "which component 'api' (line 5) writes too; choose another id"
    ]
    earlier = CONFIG.replace("id: api", "id: docs-uptime")
    assert config_problems(make_site, earlier) == [
        "statuspage.yaml:14:9: component id 'docs' would write badges/docs-uptime.svg, "
        "which component 'docs-uptime' (line 5) writes too; choose another id"
    ]
    # Ids that only look alike write files of their own.
    alike = CONFIG.replace("id: webhooks", "id: api-uptime-2").replace("id: docs", "id: uptime")
    assert [c.id for c in make_site(config=alike).load().config.components] == [
        "api",
        "dashboard",
        "api-uptime-2",
        "uptime",
    ]


class NotesRenderer(SiteFilesOnly):
    """A renderer with a file beside each component's folder: components/<id>-notes."""

    kinds: ClassVar[Mapping[str, float]] = {"notes": 0.1}

    def __init__(self, index: SiteIndex, context: RenderContext) -> None:
        self.index = index
        self.keys = KeyMaker("notes")

    def plan_site(self) -> list[Job]:
        return [
            self.keys.job(f"components/{c.id}-notes", "notes") for c in self.index.site.components
        ]

    def render(self, job: Job) -> bytes:
        return b""


def test_a_component_s_file_where_another_s_folder_is_is_refused(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outputs, "RENDERERS", (*outputs.RENDERERS, NotesRenderer))
    assert outputs.component_files().patterns[-3:] == (
        "badges/<id>-uptime.svg",
        "badges/<id>-uptime.json",
        "components/<id>-notes",
    )
    file_first = CONFIG.replace("id: webhooks", "id: api-notes")
    assert config_problems(make_site, file_first) == [
        "statuspage.yaml:12:9: component id 'api-notes' would write "
        "components/api-notes/index.html, but components/api-notes is a file of component "
        "'api' (line 5); choose another id"
    ]
    folder_first = CONFIG.replace("id: api", "id: docs-notes")
    assert config_problems(make_site, folder_first) == [
        "statuspage.yaml:14:9: component id 'docs' would write components/docs-notes, where "
        "component 'docs-notes' (line 5) needs a folder for components/docs-notes/index.html; "
        "choose another id"
    ]


def test_a_component_named_as_a_windows_device_is_refused(make_site: MakeSite) -> None:
    assert config_problems(make_site, CONFIG.replace("id: docs", "id: com1")) == [
        "statuspage.yaml:14:9: component id 'com1' is a device name on Windows, where no file "
        "or folder can have it; choose another, such as 'com1-1'"
    ]


def test_the_feed_limit_has_a_maximum(make_site: MakeSite) -> None:
    most = CONFIG + f"feeds:\n  limit: {MAX_FEED_LIMIT}\n"
    assert make_site(config=most).load().config.feed_limit == MAX_FEED_LIMIT
    assert config_problems(make_site, CONFIG + "feeds:\n  limit: 1001\n") == [
        "statuspage.yaml:17:10: 'limit' must be at most 1,000, not 1001"
    ]


@pytest.mark.parametrize("zone", ["Europe", "x" * 300, "../../etc/passwd"])
def test_a_time_zone_that_names_no_zone_file_is_unknown(make_site: MakeSite, zone: str) -> None:
    text = CONFIG.replace("timezone: UTC", f"timezone: '{zone}'")
    shown = zone if len(zone) <= 60 else zone[:57] + "..."
    assert config_problems(make_site, text) == [
        f"statuspage.yaml:3:11: unknown time zone '{shown}'; use an IANA name such as Europe/Berlin"
    ]


def test_a_component_id_too_long_for_a_file_name_is_refused(make_site: MakeSite) -> None:
    text = CONFIG.replace("id: docs", f"id: {'d' * 300}")
    assert config_problems(make_site, text) == [
        f"statuspage.yaml:14:9: component id '{'d' * 20}...' is 300 characters long, more than "
        f"the limit of 100; choose a shorter one"
    ]


@pytest.mark.parametrize(
    "url",
    [
        "https://[x[xstatus.example",
        "https://status.example:99999",
        "https://:80",
        "https://a b.example",
    ],
)
def test_an_address_no_browser_would_open_is_refused(make_site: MakeSite, url: str) -> None:
    text = CONFIG.replace("url: https://status.test.example", f"url: '{url}'")
    assert config_problems(make_site, text) == [
        f"statuspage.yaml:2:6: 'url' must be an absolute address such as "
        f"https://status.example.com, not '{url}'"
    ]

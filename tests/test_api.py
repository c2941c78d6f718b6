"""The Statuspage-compatible API: shapes, values, and a real client reading them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from statuspage.engine.build import build_site
from tests.conftest import (
    API_OUTAGE,
    CONFIG,
    MEASURED,
    NOW,
    REPO,
    RESOLVED,
    RUNNING,
    THREE_HOURS_DOWN,
    UPCOMING,
    MakeSite,
    SiteDir,
    cold_build,
    serving,
    snapshot,
    write_dash_history,
)

# A real Statuspage payload: GitHub's https://www.githubstatus.com/api/v2/summary.json, saved
# on 2022-11-25 (see tests/data/README.md).
REFERENCE = REPO / "tests" / "data" / "statuspage-summary-github.json"
TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(Z|[+-]\d\d:\d\d)$")


POSTMORTEM = (
    RESOLVED
    + """\
postmortem_at: 2026-11-22T10:00:00Z
admission: Sorry.
cause: A deploy.
fix: A rollback.
prevention: Canaries.
"""
)


@pytest.fixture
def site(make_site: MakeSite) -> SiteDir:
    return make_site(
        incidents={"open": API_OUTAGE, "old": POSTMORTEM, "upgrade": UPCOMING, "reindex": RUNNING}
    )


def build(site: SiteDir) -> Path:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    return out


def api(out: Path, name: str) -> Any:
    return json.loads((out / "api/v2" / name).read_text())


# -- the shape of summary.json, against a real Statuspage payload ---------------------------

# Keys Statuspage documents beyond those the reference payload happens to show.
DOCUMENTED_EXTRAS = {
    "components[]": {"components"},  # a group lists its members
    "scheduled_maintenances[]": {"scheduled_for", "scheduled_until"},
    "scheduled_maintenances[].components[]": {"components"},
    "incidents[].components[]": {"components"},
}
# Types Statuspage documents beyond those the reference shows (a null it could fill in).
DOCUMENTED_TYPES = {
    "components[].components": {"list"},
    "components[].components[]": {"str"},
    "scheduled_maintenances[].scheduled_for": {"str"},
    "scheduled_maintenances[].scheduled_until": {"str"},
    "incidents[].monitoring_at": {"str"},
    "incidents[].resolved_at": {"str"},
    "incidents[].incident_updates[].affected_components": {"list", "NoneType"},
    "components[].description": {"str", "NoneType"},
    "components[].group_id": {"str", "NoneType"},
}


def shape(value: Any, path: str, types: dict[str, set[str]], keys: dict[str, set[str]]) -> None:
    """Collect the keys of every object and the types of every value, by path."""
    types.setdefault(path, set()).add(type(value).__name__)
    if isinstance(value, dict):
        keys.setdefault(path, set()).update(value)
        for key, item in value.items():
            shape(item, f"{path}.{key}" if path else key, types, keys)
    elif isinstance(value, list):
        for item in value:
            shape(item, f"{path}[]", types, keys)


def test_summary_has_the_keys_and_types_of_a_real_statuspage_summary(site: SiteDir) -> None:
    reference = json.loads(REFERENCE.read_text())
    ref_types: dict[str, set[str]] = {}
    ref_keys: dict[str, set[str]] = {}
    shape(reference, "", ref_types, ref_keys)
    # The reference has no maintenance: a maintenance is an incident with two more keys.
    for path in list(ref_types):
        if path.startswith("incidents[]"):
            twin = "scheduled_maintenances[]" + path.removeprefix("incidents[]")
            ref_types.setdefault(twin, set()).update(ref_types[path])
    for path in list(ref_keys):
        if path.startswith("incidents[]"):
            twin = "scheduled_maintenances[]" + path.removeprefix("incidents[]")
            ref_keys.setdefault(twin, set()).update(ref_keys[path])
    ours = api(build(site), "summary.json")
    our_types: dict[str, set[str]] = {}
    our_keys: dict[str, set[str]] = {}
    shape(ours, "", our_types, our_keys)
    assert set(our_keys) >= set(ref_keys)
    for path, expected in ref_keys.items():
        extras = DOCUMENTED_EXTRAS.get(path, set())
        assert our_keys.get(path, set()) - extras == expected, path
    for path, found in our_types.items():
        # A component object is the same wherever it stands (in an incident, say).
        as_component = "components[]" + path.rpartition("components[]")[2]
        allowed = (
            ref_types.get(path, set())
            | ref_types.get(as_component, set())
            | DOCUMENTED_TYPES.get(path, set())
            | DOCUMENTED_TYPES.get(as_component, set())
        )
        assert found <= allowed, (path, found, allowed)
    # Every object the reference has, we have, and with values of its kinds.
    assert {"page", "components", "incidents", "scheduled_maintenances", "status"} == set(ours)


def test_summary_content(site: SiteDir) -> None:
    summary = api(build(site), "summary.json")
    assert summary["page"] == {
        "id": "status.test.example",
        "name": "Test Cloud Status",
        "url": "https://status.test.example",
        "time_zone": "UTC",
        "updated_at": "2026-11-23T11:00:00.000Z",
    }
    assert summary["status"] == {"indicator": "major", "description": "Partial System Outage"}
    assert [i["id"] for i in summary["incidents"]] == ["open"]
    assert [m["id"] for m in summary["scheduled_maintenances"]] == ["upgrade", "reindex"]
    incident = summary["incidents"][0]
    assert {k: incident[k] for k in ("status", "impact", "monitoring_at", "resolved_at")} == {
        "status": "monitoring",
        "impact": "major",
        "monitoring_at": "2026-11-23T09:30:00.000Z",
        "resolved_at": None,
    }
    assert incident["shortlink"] == "https://status.test.example/incidents/open/"
    assert [u["id"] for u in incident["incident_updates"]] == ["open.2", "open.1"]  # newest first
    assert incident["incident_updates"][0]["affected_components"] == [
        {
            "code": "api",
            "name": "Public API",
            "old_status": "major_outage",
            "new_status": "degraded_performance",
        }
    ]
    assert [c["id"] for c in incident["components"]] == ["api"]
    maintenance = summary["scheduled_maintenances"][1]
    assert (maintenance["status"], maintenance["impact"], maintenance["scheduled_for"]) == (
        "in_progress",
        "maintenance",
        "2026-11-23T11:00:00.000Z",
    )


def test_components_groups_and_states(site: SiteDir) -> None:
    components = api(build(site), "components.json")["components"]
    assert [(c["id"], c["group"], c["group_id"], c["position"]) for c in components] == [
        ("group.platform", True, None, 1),
        ("api", False, "group.platform", 2),
        ("dashboard", False, "group.platform", 3),
        ("webhooks", False, None, 4),
        ("docs", False, None, 5),
    ]
    assert components[0]["components"] == ["api", "dashboard"]
    assert [c["status"] for c in components] == [
        "degraded_performance",
        "degraded_performance",
        "operational",
        "operational",
        "under_maintenance",
    ]
    for component in components:
        assert TIME.match(component["created_at"]) and TIME.match(component["updated_at"])


def figure(percent: float | None, days: int, probe_days: int, source: str | None) -> Any:
    return {"percent": percent, "days_with_data": days, "probe_days": probe_days, "source": source}


def test_components_json_gives_each_component_s_uptime(make_site: MakeSite) -> None:
    site = make_site(config=MEASURED, incidents={"down": THREE_HOURS_DOWN})
    write_dash_history(site)
    components = api(build(site), "components.json")["components"]
    # 30 days: 29.5 days counted (today until noon). The API lost 3 hours of them:
    # 1 - 3 / (29.5 * 24) = 0.995762..., cut to 99.57; the dashboard 1 % of a day:
    # 1 - 0.01 / 29.5 = 0.999661..., cut to 99.96. 90 days: 84 of them since 2026-09-01,
    # 83.5 counted: 1 - 3 / (83.5 * 24) = 0.998502..., and 1 - 0.01 / 83.5 = 0.999880...
    all_up = {"30d": figure(100.0, 30, 0, "incidents"), "90d": figure(100.0, 84, 0, "incidents")}
    assert {c["id"]: c["uptime"] for c in components} == {
        "group.platform": None,
        "api": {"30d": figure(99.57, 30, 0, "incidents"), "90d": figure(99.85, 84, 0, "incidents")},
        "dashboard": {
            "30d": figure(99.96, 30, 1, "probes_and_incidents"),
            "90d": figure(99.98, 84, 1, "probes_and_incidents"),
        },
        "webhooks": all_up,
        "docs": all_up,
    }


def test_without_data_a_component_s_uptime_is_null(make_site: MakeSite) -> None:
    components = api(build(make_site()), "components.json")["components"]
    none = {"30d": figure(None, 0, 0, None), "90d": figure(None, 0, 0, None)}
    assert [c["uptime"] for c in components] == [None, none, none, none, none]


def test_components_json_is_summary_s_components_and_their_uptime(site: SiteDir) -> None:
    out = build(site)
    summary = api(out, "summary.json")["components"]
    components = api(out, "components.json")["components"]
    assert [{k: v for k, v in c.items() if k != "uptime"} for c in components] == summary
    assert all(set(c) - set(s) == {"uptime"} for c, s in zip(components, summary, strict=True))


def test_uptime_follows_the_clock_in_an_incremental_build(make_site: MakeSite) -> None:
    site = make_site(config=MEASURED, incidents={"down": THREE_HOURS_DOWN})
    write_dash_history(site)
    out = site.root / "public"
    shown = []
    for later in (timedelta(0), timedelta(days=1), timedelta(days=1, hours=1), timedelta(days=29)):
        build_site(site.root, out, NOW + later)
        assert snapshot(out) == cold_build(site, NOW + later)
        components = api(out, "components.json")["components"]
        shown.append([components[n]["uptime"] for n in (1, 2)])
    # Each window ends today, so holds as many days today until noon and a day later; 90
    # days hold one more day since 2026-09-01. An hour later counts 1/24 day more:
    # 1 - 3 / (29.54 * 24) = 0.995768... is still 99.57. 29 days later the outage and the
    # probe's day have left the last 30 days, and 89.5 of the 90 hold the outage's 3 hours:
    # 1 - 3 / (89.5 * 24) = 0.998603...
    api_at = {"30d": figure(99.57, 30, 0, "incidents"), "90d": figure(99.85, 84, 0, "incidents")}
    dash_at = {
        "30d": figure(99.96, 30, 1, "probes_and_incidents"),
        "90d": figure(99.98, 84, 1, "probes_and_incidents"),
    }
    next_day = [
        {**api_at, "90d": figure(99.85, 85, 0, "incidents")},
        {**dash_at, "90d": figure(99.98, 85, 1, "probes_and_incidents")},
    ]
    assert shown == [
        [api_at, dash_at],
        next_day,
        next_day,
        [
            {"30d": figure(100.0, 30, 0, "incidents"), "90d": figure(99.86, 90, 0, "incidents")},
            {
                "30d": figure(100.0, 30, 0, "incidents"),
                "90d": figure(99.98, 90, 1, "probes_and_incidents"),
            },
        ],
    ]


def test_the_other_endpoints(site: SiteDir, make_site: MakeSite) -> None:
    out = build(site)
    assert [i["id"] for i in api(out, "incidents.json")["incidents"]] == ["open", "old"]
    assert api(out, "incidents.json")["incidents"][1]["status"] == "postmortem"
    assert [i["id"] for i in api(out, "incidents/unresolved.json")["incidents"]] == ["open"]
    scheduled = "scheduled_maintenances"
    assert [m["id"] for m in api(out, "scheduled-maintenances.json")[scheduled]] == [
        "upgrade",
        "reindex",
    ]
    assert [m["id"] for m in api(out, "scheduled-maintenances/upcoming.json")[scheduled]] == [
        "upgrade"
    ]
    assert [m["id"] for m in api(out, "scheduled-maintenances/active.json")[scheduled]] == [
        "reindex"
    ]
    status = api(out, "status.json")
    assert set(status) == {"page", "status"}
    for name in ("incidents.json", "components.json", "scheduled-maintenances.json"):
        assert "page" in api(out, name)


def test_incidents_json_holds_the_newest_fifty(make_site: MakeSite) -> None:
    site = make_site(
        incidents={
            f"i{n:02d}": RESOLVED.replace("2026-11-20", f"2026-{1 + n // 28:02d}-{1 + n % 28:02d}")
            for n in range(60)
        }
    )
    incidents = api(build(site), "incidents.json")["incidents"]
    assert len(incidents) == 50
    assert (incidents[0]["id"], incidents[-1]["id"]) == ("i59", "i10")


@pytest.mark.parametrize(
    ("incidents", "indicator", "description"),
    [
        ({}, "none", "All Systems Operational"),
        ({"m": RUNNING}, "maintenance", "Service Under Maintenance"),
        ({"m": RUNNING, "o": API_OUTAGE}, "major", "Partial System Outage"),
        (
            {"o": API_OUTAGE.replace("impact: major", "impact: minor")},
            "minor",
            "Minor Service Outage",
        ),
        (
            {"o": API_OUTAGE.replace("impact: major", "impact: critical")},
            "critical",
            "Major Service Outage",
        ),
    ],
)
def test_the_status_indicator(
    make_site: MakeSite, incidents: dict[str, str], indicator: str, description: str
) -> None:
    status = api(build(make_site(incidents=incidents)), "status.json")["status"]
    assert status == {"indicator": indicator, "description": description}


def test_times_carry_milliseconds_and_the_site_offset(make_site: MakeSite) -> None:
    config = CONFIG.replace("timezone: UTC", "timezone: America/Denver") + "page_id: abc123\n"
    out = build(make_site(config=config, incidents={"old": POSTMORTEM}))
    incident = api(out, "incidents.json")["incidents"][0]
    assert incident["created_at"] == "2026-11-20T07:10:00.000-07:00"
    assert incident["page_id"] == api(out, "status.json")["page"]["id"] == "abc123"
    times = []

    def collect(value: Any, key: str = "") -> None:
        if isinstance(value, dict):
            for k, v in value.items():
                collect(v, k)
        elif isinstance(value, list):
            for v in value:
                collect(v)
        elif key.endswith(("_at", "_for", "_until")) and value is not None:
            times.append(value)

    collect(api(out, "summary.json"))
    collect(api(out, "incidents.json"))
    assert times and all(TIME.match(t) for t in times)


def test_text_from_files_is_json_escaped(make_site: MakeSite) -> None:
    text = API_OUTAGE.replace("title: Errors on the API", 'title: "Quote \\" and \\\\ backslash"')
    out = build(make_site(incidents={"o": text}))
    assert api(out, "summary.json")["incidents"][0]["name"] == 'Quote " and \\ backslash'


# -- a real Statuspage client reads our API --------------------------------------------------


@pytest.fixture
def served(site: SiteDir) -> Iterator[str]:
    with serving(build(site)) as url:
        yield url


def test_the_statuspage_prometheus_exporter_reads_our_summary(
    served: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"{served}/api/v2/summary.json"
    services = tmp_path / "services.json"
    services.write_text(json.dumps({"ours": {"name": "Ours", "type": "status_page", "url": url}}))
    monkeypatch.setenv("SERVICES_JSON_PATH", str(services))
    monkeypatch.chdir(tmp_path)  # it keeps a cache in ./cache
    from statuspage_prometheus_exporter import service_checker as checker  # reads the env

    result = checker.check_status_page_service("ours", {"url": url})
    assert result["success"] is True, result
    assert (result["raw_status"], result["status"]) == ("major", 0)
    assert {c["name"]: c["status"] for c in result["component_metadata"]} == {
        "Platform": "degraded_performance",
        "Public API": "degraded_performance",
        "Dashboard": "operational",
        "Webhooks": "operational",
        "Documentation": "under_maintenance",
    }
    assert [
        (i["id"], i["name"], i["impact"], i["status"], i["affected_components"], i["shortlink"])
        for i in result["incident_metadata"]
    ] == [
        (
            "open",
            "Errors on the API",
            "major",
            "monitoring",
            ["Public API"],
            "https://status.test.example/incidents/open/",
        )
    ]
    assert [
        (m["id"], m["status"], m["scheduled_start"], m["affected_components"])
        for m in result["maintenance_metadata"]
    ] == [
        ("upgrade", "scheduled", "2026-12-06T02:00:00.000Z", ["Dashboard"]),
        ("reindex", "in_progress", "2026-11-23T11:00:00.000Z", ["Documentation"]),
    ]
    assert result["details"] == (
        "Errors on the API (affects: Public API) - https://status.test.example/incidents/open/"
    )

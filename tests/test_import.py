"""`statuspage import`: Statuspage API v2 JSON and cState sites, as incident files.

On GitHub's saved summary.json and the payloads of tests/data/statuspage-api/ (see
tests/data/README.md), and on the cState site of tests/data/cstate/: import, check and
build pass; a second import changes nothing; what could not be mapped is listed with its
file and line.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuspage.cli import main
from statuspage.errors import UsageError
from statuspage.importers.located import ImportFailed, load_json
from statuspage.importers.plan import ImportedComponent
from statuspage.importers.site import with_components
from statuspage.sources.loader import load_site
from tests.conftest import REPO, serving, snapshot
from tests.test_runners import forward_proxy

DATA = REPO / "tests" / "data"
API = DATA / "statuspage-api"
PAYLOADS = [
    "statuspage-api/components.json",
    "statuspage-api/incidents.json",
    "statuspage-api/scheduled-maintenances.json",
    "statuspage-summary-github.json",
]
NOW = "2026-12-03T12:00:00Z"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A new site, as `statuspage init` makes it, and the payloads beside it."""
    root = tmp_path / "site"
    assert run("init", str(root))[0] == 0
    shutil.copytree(DATA, tmp_path / "data", ignore=shutil.ignore_patterns("screenshots"))
    return root


def import_statuspage(root: Path, *sources: str) -> tuple[int, str, str]:
    data = root.parent / "data"
    return run("import", "statuspage", "--root", str(root), *(str(data / s) for s in sources))


def test_an_import_checks_builds_and_a_second_one_changes_nothing(site: Path) -> None:
    config = (site / "statuspage.yaml").read_text(encoding="utf-8")
    code, out, err = import_statuspage(site, *PAYLOADS)
    assert (code, err) == (0, "")
    assert out.splitlines()[:5] == [
        "Wrote incidents/2022/2022-11-25-incident-with-packages-and-pages.yaml "
        "(Statuspage incident ljwdk6qml8z8).",
        "Wrote incidents/2026/2026-10-10-search-index-rebuild.yaml "
        "(Statuspage maintenance r6u2o8e4a0i3).",
        "Wrote incidents/2026/2026-10-20-delayed-webhook-deliveries.yaml "
        "(Statuspage incident f7hw2x9kq1mz).",
        "Wrote incidents/2026/2026-10-28-disruption-with-some-github-services.yaml "
        "(Statuspage incident p31zjtct2jer).",
        "Wrote incidents/2026/2026-11-01-database-failover-test.yaml "
        "(Statuspage maintenance d5f6g7h8j9k0).",
    ]
    assert out.splitlines()[-1] == "Next: statuspage check, then statuspage build."
    assert run("check", "--root", str(site), "--now", NOW)[0] == 0
    assert run("build", "--root", str(site), "--now", NOW)[0] == 0
    loaded = load_site(site)
    assert len(loaded.incidents) == 6  # the five and init's example
    # statuspage.yaml: the components after the last of its list, every other line kept.
    written = (site / "statuspage.yaml").read_text(encoding="utf-8")
    last = "  - id: email\n    name: Email notifications\n"
    before, after = config.split(last)
    assert written.startswith(before + last + "  - id: git-operations\n")
    assert written.endswith(after)

    before_second = snapshot(site / "incidents"), written
    code, out, err = import_statuspage(site, *PAYLOADS)
    assert (code, err) == (0, "")
    assert (snapshot(site / "incidents"), (site / "statuspage.yaml").read_text()) == before_second
    assert "Left incidents/2026/2026-10-10-search-index-rebuild.yaml alone: imported before " \
        "(Statuspage maintenance r6u2o8e4a0i3)." in out  # fmt: skip
    assert "0 written, 5 left alone, 0 refused" in out


def test_the_documentation_s_example_imports_checks_and_builds(site: Path) -> None:
    code, out, err = import_statuspage(site, "statuspage-api-docs/summary.json")
    assert (code, err) == (0, "")
    assert out.splitlines()[:4] == [
        "Wrote incidents/2014/2014-05-14-unplanned-database-outage.yaml "
        "(Statuspage incident cp306tmzcl0y).",
        "Wrote incidents/2014/2014-05-14-network-maintenance-no-interruption-expected.yaml "
        "(Statuspage maintenance w1zdr745wmfy).",
        "Wrote incidents/2014/2014-05-14-web-tier-recycle.yaml "
        "(Statuspage maintenance k7mf5z1gz05c).",
        "Added 1 component to statuspage.yaml: management-portal (Management Portal).",
    ]  # its API is the site's own API: one name
    assert run("check", "--root", str(site), "--now", NOW)[0] == 0
    assert run("build", "--root", str(site), "--now", NOW)[0] == 0
    recycle = load_site(site).incident("2014-05-14-web-tier-recycle")
    assert [u.status.value for u in recycle.updates] == ["scheduled", "in_progress"]
    outage = load_site(site).incident("2014-05-14-unplanned-database-outage")
    assert (outage.impact.value, outage.is_open) == ("critical", True)


def test_an_incident_keeps_its_updates_oldest_first_with_their_states(site: Path) -> None:
    assert import_statuspage(site, "statuspage-api/incidents.json")[0] == 0
    text = (
        site / "incidents/2026/2026-10-28-disruption-with-some-github-services.yaml"
    ).read_text()
    assert text == (
        "# Imported from Statuspage incident p31zjtct2jer by statuspage import.\n"
        "title: Disruption with some GitHub services\n"
        "impact: major\n"
        "components: [git-operations, api-requests]\n"
        "began_at: 2026-10-28T13:48:00-06:00\n"  # started_at, 17 minutes before the first post
        "updates:\n"
        "  - at: 2026-10-28T14:05:11-06:00\n"
        "    status: investigating\n"
        "    message: |\n"
        "      We are investigating reports of failed git pushes.\n"
        "    components: {git-operations: partial_outage}\n"
        "  - at: 2026-10-28T14:40:30-06:00\n"
        "    status: identified\n"
        "    message: |\n"
        "      We found a faulty storage node behind git pushes and are moving traffic off it.\n"
        "    components: {api-requests: degraded_performance}\n"
        "  - at: 2026-10-28T15:31:45-06:00\n"
        "    status: monitoring\n"
        "    message: |\n"
        "      A fix has been deployed. Git operations are recovering;\n"
        "      we are monitoring error rates.\n"
        "  - at: 2026-10-28T16:40:02-06:00\n"
        "    status: resolved\n"
        "    message: |\n"
        "      This incident has been resolved.\n"
        "    components: {git-operations: operational, api-requests: operational}\n"
        "admission: |\n"
        "  On 28 October a storage node behind git pushes failed.\n"
        "\n"
        "  We are adding health checks so that a failing node leaves the pool on its own.\n"
    )
    incident = load_site(site).incident("2026-10-28-disruption-with-some-github-services")
    assert not incident.is_open and incident.postmortem_at is None


def test_maintenance_keeps_its_window_and_components_their_groups(site: Path) -> None:
    code, _, _ = import_statuspage(
        site, "statuspage-api/components.json", "statuspage-api/incidents.json"
    )
    assert code == 0
    loaded = load_site(site)
    rebuild = loaded.incident("2026-10-10-search-index-rebuild")
    assert rebuild.is_maintenance
    assert (rebuild.scheduled_for.isoformat(), rebuild.scheduled_until.isoformat()) == (
        "2026-10-15T02:00:00+00:00",
        "2026-10-15T04:00:00+00:00",
    )
    assert [u.status.value for u in rebuild.updates] == ["scheduled", "in_progress", "completed"]
    components = {c.id: c for c in loaded.config.components}
    assert (components["git-operations"].group, components["api-requests"].group) == (
        "Platform",
        "Platform",
    )
    assert components["webhooks"].group is None
    assert components["git-operations"].description == (
        "Performance of git clones, pulls, pushes, and associated operations"
    )


def test_what_cannot_be_mapped_is_listed_with_its_file_and_line(site: Path) -> None:
    code, out, _ = import_statuspage(site, "statuspage-api/incidents.json")
    assert code == 0
    notes = out.split("Not mapped as it was:\n")[1].split("\n3 written")[0].splitlines()
    path = str(site.parent / "data/statuspage-api/incidents.json")
    assert notes == [
        f"  {path}:10: Statuspage incident p31zjtct2jer: its postmortem is one text, ours four "
        "sections: it is in admission:; write cause:, fix: and prevention:, then set "
        "postmortem_at:",
        f"  {path}:118: Statuspage incident f7hw2x9kq1mz: update v1t9b3n6c8x0 has no text; "
        "written as 'Investigating.'",
        f"  {path}:161: Statuspage incident f7hw2x9kq1mz: update z9y8x7w6v5u4 says postmortem: "
        "left out (the postmortem is postmortem_body)",
        f"  {path}:90: Statuspage incident f7hw2x9kq1mz: it was resolved at "
        "2026-10-20T09:00:00+00:00 and updated after; that update is written as monitoring",
    ]
    lines = (site.parent / "data/statuspage-api/incidents.json").read_text().splitlines()
    assert '"id": "v1t9b3n6c8x0"' in lines[118]  # the line after the update's brace
    webhooks = load_site(site).incident("2026-10-20-delayed-webhook-deliveries")
    assert [u.status.value for u in webhooks.updates] == [
        "investigating",
        "monitoring",
        "investigating",
        "resolved",
    ]


def test_a_page_address_fetches_its_three_answers(site: Path, tmp_path: Path) -> None:
    served = tmp_path / "served"
    (served / "api/v2").mkdir(parents=True)
    shutil.copy(DATA / "statuspage-summary-github.json", served / "api/v2/summary.json")
    for name in ("incidents.json", "scheduled-maintenances.json"):
        shutil.copy(API / name, served / "api/v2" / name)
    with serving(served) as url:
        code, out, err = run("import", "statuspage", "--root", str(site), url)
        assert (code, err) == (0, "")
        assert "5 written, 0 left alone, 0 refused" in out
        code, _, err = run("import", "statuspage", "--root", str(site), f"{url}/missing")
    assert code == 1
    assert err == (
        f"error: {url}/missing/api/v2/summary.json: the server answered HTTP 404 File not found; "
        "check the page's address\n"
    )


def test_a_page_is_fetched_through_the_proxy_the_environment_names(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with serving(API) as url, forward_proxy() as proxy:
        monkeypatch.setenv("HTTP_PROXY", proxy.url)
        code, _, err = run("import", "statuspage", "--root", str(site), f"{url}/incidents.json")
    assert (code, err) == (0, "")
    assert [(method, target) for method, target, _ in proxy.seen] == [
        ("GET", f"{url}/incidents.json")
    ]


def test_a_dry_run_writes_nothing(site: Path) -> None:
    before = snapshot(site)
    code, out, _ = run(
        "import", "statuspage", "--dry-run", "--root", str(site),
        str(site.parent / "data/statuspage-api/incidents.json"),
    )  # fmt: skip
    assert code == 0
    assert out.startswith("Would write incidents/2026/2026-10-10-search-index-rebuild.yaml")
    assert "Nothing was written (--dry-run)." in out
    assert snapshot(site) == before


def test_a_file_of_the_same_id_is_left_alone_and_the_import_takes_the_next(site: Path) -> None:
    ours = site / "incidents/2026/2026-10-20-delayed-webhook-deliveries.yaml"
    ours.write_text(
        "title: Delayed webhook deliveries\nimpact: minor\nupdates:\n"
        "  - at: 2026-10-20T08:00:00Z\n    status: resolved\n    message: Ours.\n"
    )
    code, out, _ = import_statuspage(site, "statuspage-api/incidents.json")
    assert code == 0
    assert (
        "Left incidents/2026/2026-10-20-delayed-webhook-deliveries.yaml alone: it was not "
        "imported; the import is incidents/2026/2026-10-20-delayed-webhook-deliveries-2.yaml."
    ) in out.splitlines()
    assert ours.read_text().endswith("message: Ours.\n")
    second = site / "incidents/2026/2026-10-20-delayed-webhook-deliveries-2.yaml"
    assert second.read_text().startswith("# Imported from Statuspage incident f7hw2x9kq1mz")
    out = import_statuspage(site, "statuspage-api/incidents.json")[1]
    assert "0 written, 3 left alone" in out


def test_sources_that_are_not_statuspage_answers_are_refused_with_their_place(
    site: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "broken.json"
    broken.write_text('{"incidents": [\n  {"id": "x",\n   "name": }\n]}\n')
    code, _, err = run("import", "statuspage", "--root", str(site), str(broken))
    assert (code, err) == (
        1,
        f"error: {broken}:3:12: not JSON (Expecting value); give the file as the API served it\n",
    )
    other = tmp_path / "other.json"
    other.write_text('{"status": "ok"}')
    code, _, err = run("import", "statuspage", "--root", str(site), str(other))
    assert code == 1 and "not a Statuspage API v2 answer" in err
    assert snapshot(site / "incidents") == {
        "2026/2026-01-15-example-api-errors.yaml": (
            site / "incidents/2026/2026-01-15-example-api-errors.yaml"
        ).read_bytes()
    }


def test_json_objects_know_their_line() -> None:
    value = load_json('{"a": [\n {"b": 1},\n\n   {"c": {"d": 2}}]}', "x.json")
    assert (value.line, value["a"][0].line, value["a"][1].line, value["a"][1]["c"].line) == (
        1,
        2,
        4,
        4,
    )
    with pytest.raises(ImportFailed, match=r"^x.json:1:1: not JSON"):
        load_json("", "x.json")


ADDED = [("web", ImportedComponent("Web: the site", "Pages", "Front"))]


def test_components_join_a_list_in_its_own_indentation() -> None:
    text = "title: T\ncomponents:\n- id: api\n  name: API\n# social:\nsocial: {}\n"
    assert with_components(text, ADDED) == (
        "title: T\ncomponents:\n- id: api\n  name: API\n"
        '- id: web\n  name: "Web: the site"\n  description: Pages\n  group: Front\n'
        "# social:\nsocial: {}\n"
    )
    one_per_line = "no components: list written one item per line"
    with pytest.raises(UsageError, match=one_per_line) as refused:
        with_components("components: [{id: api, name: API}]\n", ADDED)
    assert str(refused.value).endswith('  - id: web\n    name: "Web: the site"\n'
                                       "    description: Pages\n    group: Front")  # fmt: skip


# cState


def import_cstate(root: Path) -> tuple[int, str, str]:
    return run("import", "cstate", "--root", str(root), str(root.parent / "data" / "cstate"))


def test_a_cstate_site_imports_checks_builds_and_imports_once(site: Path) -> None:
    code, out, err = import_cstate(site)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "Wrote incidents/2017/2017-06-29-map-server-errors.yaml "
        "(cState issue content/issues/2017-06-29-map-errors.md).",
        "Wrote incidents/2026/2026-09-14-gateway-outage.yaml "
        "(cState issue content/issues/2026-09-14-gateway-outage.md).",
        "Wrote incidents/2026/2026-10-02-slow-file-uploads.yaml "
        "(cState issue content/issues/2026-10-02-slow-uploads.md).",
        "Wrote incidents/2026/2026-10-20-new-login-page.yaml "
        "(cState issue content/issues/2026-10-20-planned-downtime-notice.md).",
        "Added 3 components to statuspage.yaml: gateway (Gateway), website (Website), maps (Maps).",
        "4 written, 0 left alone, 0 refused, 0 notes.",
        "Next: statuspage check, then statuspage build.",
    ]
    assert run("check", "--root", str(site), "--now", NOW)[0] == 0
    assert run("build", "--root", str(site), "--now", NOW)[0] == 0
    before = snapshot(site / "incidents"), (site / "statuspage.yaml").read_bytes()
    code, out, _ = import_cstate(site)
    assert code == 0 and "0 written, 4 left alone" in out
    assert (snapshot(site / "incidents"), (site / "statuspage.yaml").read_bytes()) == before
    config = load_site(site).config
    gateway = next(c for c in config.components if c.id == "gateway")
    assert (gateway.group, gateway.description) == ("Backend", "Used to connect to the chat")


def test_cstate_dated_lines_become_updates_in_the_site_time_zone(site: Path) -> None:
    assert import_cstate(site)[0] == 0
    text = (site / "incidents/2026/2026-09-14-gateway-outage.yaml").read_text()
    assert text == (
        "# Imported from cState issue content/issues/2026-09-14-gateway-outage.md by "
        "statuspage import.\n"
        "title: Gateway outage\n"
        "impact: major\n"
        "components: [gateway, api]\n"  # API is the site's own: its name is cState's system's
        "updates:\n"
        "  - at: 2026-09-14T13:07:00+02:00\n"  # config.yml's timeZone: Europe/Paris
        "    status: investigating\n"
        "    message: |\n"
        "      We are investigating why users cannot connect to the chat.\n"
        "    components: {gateway: major_outage, api: major_outage}\n"
        "  - at: 2026-09-14T14:14:00+02:00\n"
        "    status: monitoring\n"
        "    message: |\n"
        "      A fix has been applied to the load balancers and connections are recovering.\n"
        "      We are watching error rates.\n"
        "  - at: 2026-09-14T16:23:00+02:00\n"
        "    status: resolved\n"
        "    message: |\n"
        "      We've resolved the issue: every user can connect again. No messages were lost.\n"
        "    components: {gateway: operational, api: operational}\n"
    )
    uploads = load_site(site).incident("2026-10-02-slow-file-uploads")
    assert [(u.status.value, u.message.strip()) for u in uploads.updates] == [
        ("investigating", "Uploads take minutes instead of seconds."),
        ("identified", "Uploads go through one region only; we are spreading them out again."),
        ("resolved", "Uploads are fast again."),  # its last, at resolvedWhen, resolves it
    ]
    assert uploads.admission.startswith("A storage migration left uploads")  # the post-mortem
    old = load_site(site).incident("2017-06-29-map-server-errors")  # TOML, resolved = false
    assert old.is_open and old.impact.value == "minor"
    assert old.updates[1].message.strip() == "We've identified the issue: a full disk."
    notice = load_site(site).incident("2026-10-20-new-login-page")
    assert (notice.impact.value, list(notice.components)) == ("none", [])


def test_cstate_problems_are_listed_at_their_line(site: Path) -> None:
    issues = site.parent / "data/cstate/content/issues"
    (issues / "2026-11-01-odd.md").write_text(
        "---\ntitle: Odd\ndate: 2026-11-01 10:00\nseverity: purple\nresolved: true\n"
        "resolvedWhen: 2026-11-01 12:00\n---\n"
        '*Investigating* - Looking. {{< track "2026-11-01 10:00" >}}\n'
        'Then this. {{< track "yesterday" >}}\n'
        "No time here.\n"
    )
    code, out, _ = import_cstate(site)
    assert code == 0
    odd = "content/issues/2026-11-01-odd.md"
    assert [line for line in out.splitlines() if odd + ":" in line] == [
        f"  {odd}:4: cState issue {odd}: severity 'purple' is not cState's; written as disrupted",
        f"  {odd}:9: cState issue {odd}: track time 'yesterday' is no time; left out",
        f"  {odd}:10: cState issue {odd}: text after the last tracked time belongs to no "
        "update; left out",
        f"  {odd}:6: cState issue {odd}: no update says it was resolved: one saying "
        "'Resolved.' is added at resolvedWhen",
    ]
    assert run("check", "--root", str(site), "--now", NOW)[0] == 0

"""`statuspage new`: the file of a new incident, written for its author, checked before."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from statuspage.authoring.new import slug
from statuspage.cli import main
from statuspage.sources.loader import load_site
from tests.conftest import CONFIG, RESOLVED, MakeSite

NOW = "2026-12-03T13:20:45Z"  # 13:20:45 in the test site's zone, UTC


def new(root: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["new", *args, "--root", str(root), "--now", NOW], input=stdin
    )
    return result.exit_code, result.stdout, result.stderr


def test_a_new_incident_is_written_checked_and_named_after_its_day_and_title(
    make_site: MakeSite,
) -> None:
    site = make_site(incidents={})
    code, out, err = new(
        site.root, "Webhook deliveries delayed", "--impact", "major",
        "--component", "webhooks", "--component", "api", "--at", "-10m",
    )  # fmt: skip
    assert (code, err) == (0, "")
    path = site.root / "incidents/2026/2026-12-03-webhook-deliveries-delayed.yaml"
    assert out == (
        "Wrote incidents/2026/2026-12-03-webhook-deliveries-delayed.yaml.\n"
        "Next: statuspage build (or serve), then statuspage announce "
        "2026-12-03-webhook-deliveries-delayed\n"
    )
    assert path.read_text() == (
        "title: Webhook deliveries delayed\n"
        "impact: major\n"
        "components: [webhooks, api]\n"
        "updates:\n"
        "  - at: 2026-12-03T13:10:45+00:00\n"
        "    status: investigating\n"
        "    message: |\n"
        "      We are investigating a problem with Public API and Webhooks. We will post an\n"
        "      update within 30 minutes.\n"
    )
    incident = load_site(site.root).incident("2026-12-03-webhook-deliveries-delayed")
    assert incident.is_open and list(incident.components) == ["webhooks", "api"]


def test_the_message_and_title_are_kept_as_written(make_site: MakeSite) -> None:
    site = make_site(incidents={})
    message = "Errors: 503s on #checkout.\n\n- retries work\n- no data lost\n"
    code, _, err = new(
        site.root, "404: pages missing", "--component", "api", "--message", "-",
        "--status", "identified", "--at", "12:00", stdin=message,
    )  # fmt: skip
    assert (code, err) == (0, "")
    path = site.root / "incidents/2026/2026-12-03-404-pages-missing.yaml"
    assert path.read_text() == (
        'title: "404: pages missing"\n'
        "impact: minor\n"
        "components: [api]\n"
        "updates:\n"
        "  - at: 2026-12-03T12:00:00+00:00\n"
        "    status: identified\n"
        "    message: |\n"
        "      Errors: 503s on #checkout.\n\n"
        "      - retries work\n"
        "      - no data lost\n"
    )
    (update,) = load_site(site.root).incident("2026-12-03-404-pages-missing").updates
    assert update.message == message


def test_maintenance_gets_its_window_in_the_sites_zone(make_site: MakeSite) -> None:
    site = make_site(CONFIG.replace("timezone: UTC", "timezone: Europe/Berlin"), {})
    code, _, err = new(
        site.root, "Database upgrade", "--maintenance", "--component", "api",
        "--from", "2026-12-06 02:00", "--until", "2026-12-06 04:00",
    )  # fmt: skip
    assert (code, err) == (0, "")
    text = (site.root / "incidents/2026/2026-12-03-database-upgrade.yaml").read_text()
    assert text == (
        "title: Database upgrade\n"
        "kind: maintenance\n"
        "components: [api]\n"
        "scheduled_for: 2026-12-06T02:00:00+01:00\n"
        "scheduled_until: 2026-12-06T04:00:00+01:00\n"
        "updates:\n"
        "  - at: 2026-12-03T14:20:45+01:00\n"
        "    status: scheduled\n"
        "    message: |\n"
        "      We will carry out maintenance on Public API on Sunday 6 December from 02:00 to\n"
        "      04:00 (CET). We will post here when it starts and when it is done.\n"
    )


def test_a_taken_name_gets_a_number_and_the_other_file_is_untouched(make_site: MakeSite) -> None:
    site = make_site(incidents={})
    other = site.incident("2026-12-03-api-errors", RESOLVED, folder="incidents/old")
    before = other.read_bytes()
    code, out, _ = new(site.root, "API errors", "--component", "api")
    assert code == 0 and "incidents/2026/2026-12-03-api-errors-2.yaml" in out
    assert other.read_bytes() == before
    code, out, _ = new(site.root, "API errors", "--component", "api")
    assert "2026-12-03-api-errors-3.yaml" in out


def test_mistakes_are_refused_with_what_to_write_and_nothing_is_written(
    make_site: MakeSite,
) -> None:
    site = make_site(incidents={})
    cases = [
        (("Errors", "--component", "webhook"), "error: --component webhook: no such "
         "component; did you mean 'webhooks'?\n"),
        (("Errors",), "error: name the components it affects with --component, one or more "
         "of: api, dashboard, webhooks, docs\n"),
        (("Errors", "--component", "api", "--status", "scheduled"), "error: --status "
         "scheduled: not a status of an incident; one of investigating, identified, "
         "monitoring, resolved\n"),
        (("Upgrade", "--maintenance", "--component", "api"), "error: maintenance needs its "
         "window: --from TIME --until TIME\n"),
        (("Upgrade", "--maintenance", "--component", "api", "--from", "10:00", "--until",
          "09:00"), "error: --until must be after --from\n"),
        (("Errors", "--component", "api", "--at", "yesterday"), "error: --at 'yesterday' is "
         "no time; write one of: now, -10m, 14:05, 14:05 CET, 2026-12-03 14:05 or "
         "2026-12-03T14:05:00+01:00\n"),
    ]  # fmt: skip
    for args, expected in cases:
        code, out, err = new(site.root, *args)
        assert (code, out, err) == (2, "", expected), args
    assert not (site.root / "incidents" / "2026").exists()


def test_a_message_check_refuses_is_never_written(make_site: MakeSite) -> None:
    site = make_site(incidents={})
    code, _, err = new(site.root, "Errors", "--component", "api", "--message", "\x07bell")
    assert code == 1 and "incidents/2026/2026-12-03-errors.yaml:" in err
    assert err.endswith("; nothing was written.\n")
    assert not (site.root / "incidents" / "2026").exists()


def test_slugs_are_ascii_words_of_the_title() -> None:
    assert slug("Störung: Anmeldung schlägt fehl!") == "storung-anmeldung-schlagt-fehl"
    assert slug("日本語だけ") == "incident"
    assert slug("a " * 40).count("-") < 26 and len(slug("word " * 40)) <= 50

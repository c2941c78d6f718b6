"""`statuspage update` and `resolve`: an update added as text, the rest of the file untouched."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner, Result

from statuspage.cli import main
from statuspage.sources.loader import load_site
from tests.conftest import API_OUTAGE, MakeSite

NOW = "2026-11-23T12:00:00Z"

# A file as people write them: comments, four-space items, quoted keys, a section after.
COMMENTED = """\
# Reviewed by the on-call lead.
title: Errors on the API   # keep it short
impact: major
components: [api, dashboard]
updates:
    # The first report came from a customer.
    -   at: 2026-11-23T09:00:00Z
        status: investigating
        message: >
          Errors on the API.
        components: {api: major_outage, dashboard: degraded_performance}

# Sections come later.
cause: We do not know yet.
"""


def run(root: Path, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, [*args, "--root", str(root), "--now", NOW], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_an_update_goes_in_as_text_and_every_other_byte_stays(make_site: MakeSite) -> None:
    site = make_site(incidents={})
    path = site.incident("api-errors", COMMENTED)
    code, out, err = run(
        site.root, "update", "api-errors", "--status", "identified",
        "--message", "A bad deploy: rolling back.\n\nErrors are falling.",
        "--component", "api=partial_outage", "--at", "-30m",
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "Added update 2 (identified) to incidents/api-errors.yaml.\n"
        "Next: statuspage build (or serve), then statuspage announce api-errors\n"
    )
    head, tail = COMMENTED.split("\n# Sections come later.\n")
    assert path.read_text() == (
        head + "    -   at: 2026-11-23T11:30:00+00:00\n"
        "        status: identified\n"
        "        message: |\n"
        "          A bad deploy: rolling back.\n"
        "\n"
        "          Errors are falling.\n"
        "        components: {api: partial_outage}\n"
        "\n# Sections come later.\n" + tail
    )
    incident = load_site(site.root).incident("api-errors")
    assert [u.status.value for u in incident.updates] == ["investigating", "identified"]
    assert dict(incident.updates[-1].states) == {
        "api": "partial_outage",
        "dashboard": "degraded_performance",
    }


def test_an_update_the_check_refuses_leaves_the_file_as_it_was(make_site: MakeSite) -> None:
    site = make_site(incidents={})
    path = site.incident("api-errors", COMMENTED)
    before = path.read_bytes()
    cases = [
        # Closed, yet a component still down.
        ("--status", "resolved", "--message", "Done.", "--component", "api=major_outage"),
        # Before the update it follows.
        ("--status", "identified", "--message", "Found it.", "--at", "2026-11-23 08:00"),
        ("--status", "sleeping", "--message", "Zzz."),
    ]
    for args in cases:
        code, out, err = run(site.root, "update", "api-errors", *args)
        assert code == 1 and out == "", args
        assert err.startswith("incidents/api-errors.yaml:") and "nothing was written" in err
        assert path.read_bytes() == before, args


def test_the_message_can_come_from_standard_input_or_the_editor(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(incidents={"api": API_OUTAGE})
    code, _, _ = run(site.root, "update", "api", "--status", "monitoring", "--message", "-",
                     stdin="Fix deployed.\n")  # fmt: skip
    assert code == 0
    assert load_site(site.root).incident("api").updates[-1].message == "Fix deployed.\n"

    # Without --message, $EDITOR gets a file to write in; its comment lines are dropped.
    def edited_by(script: str) -> Result:
        editor = tmp_path / "editor.sh"
        editor.write_text(f"#!/bin/sh\n{script}\n")
        editor.chmod(0o755)
        return CliRunner().invoke(
            main,
            ["update", "api", "--status", "monitoring", "--root", str(site.root), "--now", NOW],
            env={"EDITOR": str(editor), "VISUAL": ""},
        )

    result = edited_by('printf "# a guide line\\nStill watching.\\n" >> "$1"')
    assert result.exit_code == 0, result.stderr
    assert load_site(site.root).incident("api").updates[-1].message == "Still watching.\n"
    result = edited_by("true")  # left as it was: nothing written
    assert result.exit_code == 2
    assert result.stderr == (
        "error: no message was written; nothing was added (give --message TEXT)\n"
    )


def test_resolve_closes_the_incident_with_its_components_operational(make_site: MakeSite) -> None:
    site = make_site(incidents={"api": API_OUTAGE})
    path = site.root / "incidents" / "api.yaml"
    code, out, err = run(site.root, "resolve", "api", "--at", "11:45")
    assert (code, err) == (0, "")
    assert out.startswith("Added update 3 (resolved) to incidents/api.yaml.\n")
    assert path.read_text() == API_OUTAGE + (
        "  - at: 2026-11-23T11:45:00+00:00\n"
        "    status: resolved\n"
        "    message: |\n"
        "      This incident is resolved: Public API work normally again.\n"
        "    components: {api: operational}\n"
    )
    assert not load_site(site.root).incident("api").is_open
    code, _, err = run(site.root, "resolve", "api")
    assert (code, err) == (2, "error: incidents/api.yaml: 'api' is not open; nothing to resolve\n")


def test_mistakes_in_the_command_are_named(make_site: MakeSite) -> None:
    site = make_site(incidents={"api": API_OUTAGE})
    cases = [
        (("update", "apii", "--status", "identified", "--message", "x"),
         "error: no incident 'apii'; did you mean 'api'?\n"),
        (("update", "api", "--status", "identified", "--message", "x", "--component", "api"),
         "error: --component api: write it as ID=STATE, such as api=partial_outage\n"),
        (("update", "api", "--status", "identified", "--message", "x", "--component",
          "api=down"), "error: --component api=down: no state 'down'; one of operational, "
         "under_maintenance, degraded_performance, partial_outage, major_outage\n"),
    ]  # fmt: skip
    before = (site.root / "incidents" / "api.yaml").read_bytes()
    for args, expected in cases:
        assert run(site.root, *args) == (2, "", expected), args
    assert (site.root / "incidents" / "api.yaml").read_bytes() == before


def test_postmortem_adds_its_sections_to_fill_in_once(make_site: MakeSite) -> None:
    site = make_site(incidents={"api": API_OUTAGE})
    path = site.root / "incidents" / "api.yaml"
    code, out, err = run(site.root, "postmortem", "api")
    assert (code, err) == (0, "")
    assert out == "Added the postmortem's sections to incidents/api.yaml: fill them in there.\n"
    text = path.read_text()
    assert text.startswith(API_OUTAGE + "\n# Postmortem: write each section")
    assert "# postmortem_at: 2026-11-23T12:00:00+00:00\n# admission: |\n" in text
    assert "#     due: 2026-12-23\n" in text
    assert load_site(site.root).incident("api").admission is None  # nothing published
    assert run(site.root, "postmortem", "api") == (
        2,
        "",
        "error: incidents/api.yaml: has the postmortem's sections to fill in already\n",
    )
    # Filled in: the sections read, and a second skeleton is refused by its keys.
    filled = text.replace("# admission: |\n#   What", "admission: |\n  What").replace(
        "#   an apology", "  an apology"
    )
    path.write_text(filled.replace("# Postmortem:", "# Notes:"))
    assert load_site(site.root).incident("api").admission is not None
    code, _, err = run(site.root, "postmortem", "api")
    assert code == 2 and "has a postmortem already (admission: on line" in err

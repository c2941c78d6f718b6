"""What `check` prints in each format, and --strict (statuspage.checks.report)."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime

from click.testing import CliRunner

from statuspage.checks import Finding
from statuspage.checks.report import as_github, as_json
from statuspage.cli import main
from statuspage.errors import SourceError
from tests.conftest import MakeSite

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)

OPEN = """\
title: Webhooks delayed
impact: minor
components: [webhooks]
updates:
  - at: 2026-11-23T09:00:00Z
    status: investigating
    message: Deliveries are late by 20 minutes.
"""

# A workflow command as the Actions runner parses it (actions/toolkit, command.ts): the
# command, properties as key=value separated by commas, then '::' and the message.
COMMAND = re.compile(r"::(?P<command>[a-z]+)(?: (?P<properties>[^:]*))?::(?P<data>.*)")
UNESCAPE_DATA = (("%0D", "\r"), ("%0A", "\n"), ("%25", "%"))
UNESCAPE_PROPERTY = (("%3A", ":"), ("%2C", ","), *UNESCAPE_DATA)


def unescape(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    for escaped, plain in pairs:
        text = text.replace(escaped, plain)
    return text


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """A workflow command's name, properties and message, unescaped as the runner does."""
    match = COMMAND.fullmatch(line)
    assert match is not None, line
    properties = {}
    for pair in (match["properties"] or "").split(","):
        key, _, value = pair.partition("=")
        properties[key] = unescape(value, UNESCAPE_PROPERTY)
    return match["command"], properties, unescape(match["data"], UNESCAPE_DATA)


def test_github_annotations_carry_every_field_escaped() -> None:
    finding = Finding(
        "incidents/a,b:c.yaml", 7, 9, "jargon", "'HTTP 503' is 100 % jargon\nsecond line"
    )
    problem = SourceError("statuspage.yaml", 0, 0, "not found in /x; run statuspage here")
    lines = as_github([problem], [finding])
    assert lines == [
        "::error file=statuspage.yaml::not found in /x; run statuspage here",
        "::warning file=incidents/a%2Cb%3Ac.yaml,line=7,col=9,title=jargon::'HTTP 503' is 100 "
        "%25 jargon%0Asecond line",
    ]
    assert parse_command(lines[1]) == (
        "warning",
        {"file": "incidents/a,b:c.yaml", "line": "7", "col": "9", "title": "jargon"},
        "'HTTP 503' is 100 % jargon\nsecond line",
    )


def test_json_lists_problems_and_warnings() -> None:
    finding = Finding("incidents/a.yaml", 7, 9, "jargon", "text")
    assert json.loads(as_json([], [finding])) == {
        "problems": [],
        "warnings": [
            {
                "path": "incidents/a.yaml",
                "line": 7,
                "column": 9,
                "rule": "jargon",
                "message": "text",
            }
        ],
    }


def invoke(site_root: str, *options: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(
        main, ["check", "--root", site_root, "--now", NOW.isoformat(), *options]
    )
    return result.exit_code, result.stdout, result.stderr


def test_check_formats_and_strict(make_site: MakeSite) -> None:
    site = make_site(incidents={"hooks": OPEN})
    root = str(site.root)
    code, out, err = invoke(root)
    assert code == 0
    warning = (
        "incidents/hooks.yaml:5:5: warning[stale-incident]: open for 3 hours and not updated "
        "for 3 hours (last at 23 Nov 2026, 09:00 UTC); post an update now, even to say the "
        "work goes on, and say when the next one will come"
    )
    assert err == warning + "\n"
    assert out == ("No problems: 1 incident (1 open), 0 maintenance, 4 components; 1 warning.\n")
    code, out, _ = invoke(root, "--format", "github")
    assert code == 0
    assert [parse_command(line) for line in out.splitlines()] == [
        (
            "warning",
            {
                "file": "incidents/hooks.yaml",
                "line": "5",
                "col": "5",
                "title": "stale-incident",
            },
            warning.split("warning[stale-incident]: ")[1],
        )
    ]
    code, out, _ = invoke(root, "--format", "json")
    assert [w["rule"] for w in json.loads(out)["warnings"]] == ["stale-incident"]
    code, _, err = invoke(root, "--strict")
    assert code == 1
    assert err.endswith("Failing: --strict treats warnings as problems.\n")


def test_problems_in_the_github_format_are_errors(make_site: MakeSite) -> None:
    site = make_site(incidents={"hooks": OPEN.replace("status: investigating", "status: fixed")})
    code, out, err = invoke(str(site.root), "--format", "github")
    assert code == 1
    command, properties, message = parse_command(out.splitlines()[0])
    assert (command, properties["file"], properties["line"], properties["col"]) == (
        "error",
        "incidents/hooks.yaml",
        "6",
        "13",
    )
    assert message.startswith("unknown status 'fixed'")
    assert err == "Found 1 problem in 1 file.\n"

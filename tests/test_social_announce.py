"""`statuspage announce`: the drafts of one update, ready to paste, from the sources."""

from __future__ import annotations

import json

from click.testing import CliRunner

from statuspage.cli import main
from tests.conftest import API_OUTAGE, OPEN, RESOLVED, MakeSite

NOW = "2026-11-23T12:00:00Z"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["announce", *args, "--now", NOW])
    return result.exit_code, result.stdout, result.stderr


def test_by_default_the_latest_update_of_the_open_incident_updated_last(
    make_site: MakeSite,
) -> None:
    site = make_site(incidents={"webhooks": OPEN, "api": API_OUTAGE, "db": RESOLVED})
    code, out, _ = run("--root", str(site.root))
    assert code == 0
    url = "https://status.test.example/incidents/api/#update-2"
    x_text = f"Monitoring: Errors on the API\n\nBetter.\n\n{url}"
    # .example is no top-level domain X or Mastodon link, so they count the address in full.
    length = 29 + 2 + 7 + 2 + len(url)
    heading = f"X · {length}/280 weighted characters"
    rule = "─" * len(heading)
    assert out.startswith(
        f"{heading}\n{rule}\n{x_text}\n{rule}\n"
        "Post it: https://x.com/intent/post?text=Monitoring%3A%20Errors"
    )
    assert f"Mastodon · {length}/500 characters\n" in out
    assert "Post it: no share link: set social.mastodon.instance in statuspage.yaml\n" in out
    assert "Bluesky · " in out and "/300 graphemes, " in out and "/3000 bytes\n" in out
    assert "status.test.example/incidents/ap...\n" in out
    assert "Post it: https://bsky.app/intent/compose?text=" in out


def test_any_update_of_any_incident_as_json(make_site: MakeSite) -> None:
    site = make_site(incidents={"webhooks": OPEN, "db": RESOLVED})
    code, out, _ = run("db", "--update", "1", "--network", "x", "--json", "--root", str(site.root))
    assert code == 0
    (record,) = json.loads(out)
    assert record["incident"] == "db" and record["update"] == 1 and record["network"] == "x"
    assert record["text"] == (
        "Investigating: Elevated error rates\n\nWe are seeing errors.\n\n"
        "https://status.test.example/incidents/db/#update-1"
    )
    url_length = len("https://status.test.example/incidents/db/#update-1")  # no known TLD
    value = 35 + 2 + 21 + 2 + url_length
    assert record["length"] == {"value": value, "limit": 280, "unit": "weighted characters"}


def test_mistakes_are_named_with_what_to_do(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED})
    root = ("--root", str(site.root))
    code, _, err = run(*root)
    assert code == 2
    assert err == (
        "error: no incident or maintenance is open; name the one to announce, as in "
        "statuspage announce api-errors\n"
    )
    code, _, err = run("dbb", *root)
    assert (code, err) == (2, "error: no incident 'dbb'; did you mean 'db'?\n")
    code, _, err = run("db", "--update", "3", *root)
    assert code == 2
    assert err == (
        "error: --update must be latest, postmortem or a number from 1 to 2 "
        "(incident 'db' has 2 updates), not '3'\n"
    )
    code, _, err = run("db", "--update", "postmortem", *root)
    assert (code, err) == (2, "error: incident 'db' has no postmortem yet\n")


def test_a_network_the_site_does_not_post_to(make_site: MakeSite) -> None:
    from tests.conftest import CONFIG

    site = make_site(config=CONFIG + "social:\n  networks: [x]\n", incidents={"w": OPEN})
    code, _, err = run("--network", "bluesky", "--root", str(site.root))
    assert code == 2
    assert err == (
        "error: --network bluesky: not one the site writes drafts for (social.networks in "
        "statuspage.yaml: x); the networks are x, mastodon, bluesky\n"
    )


def test_a_site_with_problems_makes_no_draft(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED.replace("status: resolved", "status: fixed")})
    code, out, err = run("db", "--root", str(site.root))
    assert code == 1 and out == ""
    assert "incidents/db.yaml:9:13: unknown status 'fixed'" in err
    assert err.endswith("; no draft was made.\n")

"""`statuspage announce --post`, end to end through the command line, and the announce
step `statuspage init` writes into the CI workflow (commented out)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner, Result

from statuspage.cli import main
from statuspage.publishers.credentials import SECRETS
from tests.conftest import CONFIG, OPEN, MakeSite, SiteDir
from tests.post_fakes import (
    Answer,
    FakeServer,
    environment,
    fake_servers,
    mail_server,
    social_config,
)
from tests.test_runners import forward_proxy

NOW = "2026-11-23T12:00:00Z"
EVERY_VARIABLE = [secret.variable for secrets in SECRETS.values() for secret in secrets]


class Command:
    def __init__(self, site: SiteDir, servers: dict[str, FakeServer], port: int) -> None:
        self.site = site
        self.servers = servers
        self.port = port
        self.environ: dict[str, str | None] = dict.fromkeys(EVERY_VARIABLE)  # none of the tester's
        self.environ.update(environment(servers))

    def __call__(self, *args: str) -> Result:
        arguments = ["announce", *args, "--root", str(self.site.root), "--now", NOW]
        return CliRunner().invoke(main, arguments, env=self.environ)


@pytest.fixture
def command(make_site: MakeSite) -> Iterator[Command]:
    with fake_servers() as servers, mail_server() as (port, _):
        site = make_site(
            config=CONFIG + social_config(servers, port, ("slack", "matrix", "email")),
            incidents={"webhooks": OPEN},
        )
        yield Command(site, servers, port)


def test_post_then_post_again(command: Command) -> None:
    result = command("--post")
    assert result.exit_code == 0, result.output
    assert result.stdout == (
        "slack: webhooks update 1: posted\n"
        "matrix: webhooks update 1: posted\n"
        "email: webhooks update 1: posted\n"
        "Done: 3 sent; recorded in social/posted.yaml.\n"
    )
    text = (command.site.root / "social/posted.yaml").read_text()
    assert text.startswith("# What `statuspage announce --post` has posted")
    again = command("--post")
    assert again.exit_code == 0
    assert again.stdout == "Done: 0 sent, 3 posted before; recorded in social/posted.yaml.\n"


def test_a_failing_channel_exits_1_and_the_others_post(command: Command) -> None:
    command.environ["STATUSPAGE_MATRIX_TOKEN"] = None
    command.environ["STATUSPAGE_SLACK_WEBHOOK"] = command.servers["slack"].url + "/gone"
    command.servers["slack"].responder = lambda request, before: Answer(404, "no_service")
    result = command("--post", "--network", "slack", "--network", "email", "--network", "matrix")
    assert result.exit_code == 1
    slack = command.servers["slack"].url
    assert result.stdout == (
        "matrix: failed: STATUSPAGE_MATRIX_TOKEN is not set: it must hold an access token of "
        "an account in the room; nothing more is posted there on this run\n"
        f"slack: failed: webhooks update 1: {slack}/*** answered 404 Not Found: no_service; "
        "nothing more is posted there on this run\n"
        "email: webhooks update 1: posted\n"
        "Done: 1 sent, 2 channels failed; recorded in social/posted.yaml.\n"
    )


def test_only_the_channels_named(command: Command) -> None:
    result = command("--post", "--network", "email")
    assert result.exit_code == 0
    assert command.servers["slack"].requests == [] and command.servers["matrix"].requests == []


def test_a_dry_run_shows_what_would_be_sent(command: Command) -> None:
    result = command("--post", "--dry-run")
    assert result.exit_code == 0, result.output
    slack = command.servers["slack"].url
    url = "https://status.test.example/incidents/webhooks/#update-1"
    assert result.stdout.startswith(
        "slack: webhooks update 1: would send:\n"
        f"POST {slack}/***\n"
        "{\n"
        f'  "text": "*<{url}|Investigating: Webhooks delayed>*\\n\\nDeliveries are late."\n'
        "}\n\n"
        "matrix: webhooks update 1: would send:\n"
        f"PUT {command.servers['matrix'].url}/_matrix/client/v3/rooms/%21room%3Ax.org/"
        "send/m.room.message/"
    )
    assert "Authorization: Bearer ***\n" in result.stdout
    assert f"SMTP 127.0.0.1:{command.port} (none) as ***\nFrom: Test Status" in result.stdout
    assert result.stdout.endswith("Dry run: 3 would be sent; nothing was sent (--dry-run).\n")
    assert all(server.requests == [] for server in command.servers.values())
    assert not (command.site.root / "social").exists()
    for value in command.environ.values():
        if value:
            assert value not in result.stdout


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--dry-run",), "error: --dry-run and --repost-edited go with --post\n"),
        (
            ("webhooks", "--post"),
            "error: --post posts every update not yet posted; it takes no INCIDENT, --update "
            "or --json\n",
        ),
        (
            ("--post", "--network", "x"),
            "error: --network x: not a channel social.post lists (slack, matrix, email)\n",
        ),
        (
            ("--network", "slack"),
            "error: --network slack: drafts are made for x, mastodon, bluesky; slack gets its "
            "message with --post\n",
        ),
    ],
)
def test_usage_mistakes_exit_2(command: Command, args: tuple[str, ...], message: str) -> None:
    result = command(*args)
    assert (result.exit_code, result.stderr) == (2, message)


def test_without_post_in_the_config_nothing_is_posted(make_site: MakeSite) -> None:
    site = make_site(incidents={"webhooks": OPEN})
    result = CliRunner().invoke(
        main, ["announce", "--post", "--root", str(site.root), "--now", NOW]
    )
    assert result.exit_code == 2
    assert result.stderr == (
        "error: social.post in statuspage.yaml lists no channel to post to; list them there, "
        "as in post: [mastodon, bluesky, slack] (see the README, Posting)\n"
    )


def test_the_workflow_has_an_announce_job_to_uncomment(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["init", str(tmp_path)])
    assert result.exit_code == 0
    text = (tmp_path / ".github/workflows/status.yml").read_text()
    assert "announce" not in yaml.safe_load(text)["jobs"]  # off until uncommented
    start = text.index("  # announce:")
    block = text[start:]
    uncommented = text[:start] + re.sub(r"(?m)^  # ?", "  ", block)
    jobs = yaml.safe_load(uncommented)["jobs"]
    announce = jobs["announce"]
    assert announce["needs"] == ["deploy"]
    assert announce["permissions"] == {"contents": "write"}
    steps = announce["steps"]
    post = next(step for step in steps if step.get("run", "").startswith("statuspage announce"))
    assert post["run"] == "statuspage announce --post"
    assert set(post["env"]) == set(EVERY_VARIABLE)
    assert all(value == f"${{{{ secrets.{name} }}}}" for name, value in post["env"].items())
    assert any("social/posted.yaml" in step.get("run", "") for step in steps)


def test_the_readme_lists_every_secret_as_credentials_holds_them() -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    start = readme.index("<!-- secrets:")
    table = readme[start : readme.index("<!-- end of secrets -->", start)]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    assert rows == [
        f"| `{secret.variable}` | {channel} | {secret.holds} |"
        for channel, secrets in SECRETS.items()
        for secret in secrets
    ]


def test_posts_go_through_the_proxy_the_environment_names(command: Command) -> None:
    with forward_proxy() as proxy:
        command.environ["HTTP_PROXY"] = proxy.url
        result = command("--post", "--network", "slack")
    assert result.exit_code == 0, result.output
    webhook = command.environ["STATUSPAGE_SLACK_WEBHOOK"]
    assert [(method, target) for method, target, _ in proxy.seen] == [("POST", webhook)]

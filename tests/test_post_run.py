"""publishers.run and publishers.state: what is posted once, what is not, what is recorded.

A re-run posts nothing new, an edited update is not posted again unless asked, rate limits
and 5xx answers are tried again within bounds (the injected sleep gets the waits), a
channel that fails stops only itself and nothing is marked posted that was not, old
entries are skipped on a first run, a dry run sends and writes nothing, and no secret ever
shows in a message.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from collections.abc import Iterator
from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest

from statuspage.errors import PostFailed, ValidationFailed
from statuspage.model.social import CHANNELS
from statuspage.publishers.credentials import Scrubber
from statuspage.publishers.outbox import DryRunOutbox, LiveOutbox, Request
from statuspage.publishers.run import post_updates, secrets_of
from statuspage.publishers.state import HEADER, PostedLog, read_entries
from tests.conftest import RESOLVED, MakeSite
from tests.post_fakes import (
    SECRETS,
    Answer,
    FakeServer,
    discord,
    environment,
    fake_servers,
    mail_server,
)
from tests.test_post_channels import NOW, TWO_UPDATES, Posting, only_posts

POSTED = "social/posted.yaml"


@pytest.fixture
def posting(make_site: MakeSite) -> Iterator[Posting]:
    with fake_servers() as servers, mail_server() as (port, _):
        yield Posting(make_site(), servers, port, environment(servers))


def test_what_was_posted_is_recorded_and_a_rerun_posts_nothing(posting: Posting) -> None:
    posting.configure("mastodon", "bluesky", "slack", incidents={"api": TWO_UPDATES})
    first = posting.run()
    assert first.posted == [
        ("mastodon", "api", "update 1"),
        ("bluesky", "api", "update 1"),
        ("slack", "api", "update 1"),
        ("mastodon", "api", "update 2"),
        ("bluesky", "api", "update 2"),
        ("slack", "api", "update 2"),
    ]
    text = (posting.site.root / POSTED).read_text()
    digests = {(e.incident, e.update, e.network): e.digest for e in read_entries(text)}
    assert text == HEADER + textwrap.dedent(
        f"""\
        posted:
        - incident: api
          update: 1
          network: mastodon
          posted_at: '2026-11-23T12:00:00Z'
          digest: {digests["api", 1, "mastodon"]}
          ids:
          - '10001'
        - incident: api
          update: 1
          network: bluesky
          posted_at: '2026-11-23T12:00:00Z'
          digest: {digests["api", 1, "bluesky"]}
          ids:
          - uri: at://did:plc:status/app.bsky.feed.post/p1
            cid: cid1
        - incident: api
          update: 1
          network: slack
          posted_at: '2026-11-23T12:00:00Z'
          digest: {digests["api", 1, "slack"]}
          ids: []
        - incident: api
          update: 2
          network: mastodon
          posted_at: '2026-11-23T12:00:00Z'
          digest: {digests["api", 2, "mastodon"]}
          ids:
          - '10002'
        - incident: api
          update: 2
          network: bluesky
          posted_at: '2026-11-23T12:00:00Z'
          digest: {digests["api", 2, "bluesky"]}
          ids:
          - uri: at://did:plc:status/app.bsky.feed.post/p2
            cid: cid2
        - incident: api
          update: 2
          network: slack
          posted_at: '2026-11-23T12:00:00Z'
          digest: {digests["api", 2, "slack"]}
          ids: []
        """
    )
    assert all(d.startswith("sha256:") and len(d) == 71 for d in digests.values())
    counts = {name: len(only_posts(server)) for name, server in posting.servers.items()}
    again = posting.run(now=NOW + timedelta(hours=1))
    assert again.posted == [] and again.already == 6 and again.failed == []
    assert {name: len(only_posts(s)) for name, s in posting.servers.items()} == counts
    assert (posting.site.root / POSTED).read_text() == text


def test_an_edited_update_is_not_posted_again_unless_asked(posting: Posting) -> None:
    posting.configure("mastodon", "slack", incidents={"api": TWO_UPDATES})
    posting.run()
    posting.site.incident("api", TWO_UPDATES.replace("Better.", "Better now."))
    posting.lines.clear()
    edited = posting.run()
    assert edited.posted == [] and edited.skipped == 2
    assert posting.lines == [
        "mastodon: api update 2: edited since it was posted at 2026-11-23T12:00:00Z; not "
        "posted again (--repost-edited posts it)",
        "slack: api update 2: edited since it was posted at 2026-11-23T12:00:00Z; not posted "
        "again (--repost-edited posts it)",
    ]
    statuses = only_posts(posting.servers["mastodon"])
    assert len(statuses) == 2
    reposted = posting.run(repost_edited=True)
    assert reposted.posted == [("mastodon", "api", "update 2"), ("slack", "api", "update 2")]
    statuses = only_posts(posting.servers["mastodon"])
    assert "Better now." in statuses[2].body["status"]
    # A new text is a new post: its idempotency key is not the old one's.
    assert statuses[2].headers["idempotency-key"] != statuses[1].headers["idempotency-key"]
    log = PostedLog.load(posting.site.root)
    entry = log.find("api", 2, "mastodon")
    assert entry is not None and [post.id for post in entry.ids] == ["10004"]  # its 5th request


def test_a_rate_limit_is_waited_out_as_retry_after_says(posting: Posting) -> None:
    posting.configure("mastodon", "slack", incidents={"api": TWO_UPDATES})
    limited = Answer(429, {"error": "Too many requests"}, {"Retry-After": "7"})
    posting.servers["slack"].script = [limited]
    when = format_datetime(NOW + timedelta(seconds=42), usegmt=True)
    posting.servers["mastodon"].script = [
        Answer(body={}),  # the instance, saying nothing of its limits
        Answer(429, {"error": "Too many requests"}, {"Retry-After": when}),
    ]
    result = posting.run()
    assert result.failed == [] and len(result.posted) == 4
    assert posting.sleeps == [42.0, 7.0]  # mastodon's HTTP date, then slack's seconds
    assert len(only_posts(posting.servers["slack"])) == 3  # one refused, then two
    assert posting.lines[:2] == [
        f"{posting.servers['mastodon'].url}/api/v1/statuses answered 429 Too Many Requests: "
        "Too many requests; trying again in 42 s",
        "mastodon: api update 1: posted",
    ]


def test_a_rate_limit_asking_too_long_fails_without_waiting(posting: Posting) -> None:
    posting.configure("slack", incidents={"api": TWO_UPDATES})
    posting.servers["slack"].script = [Answer(429, "slow down", {"Retry-After": "900"})]
    result = posting.run()
    url = posting.servers["slack"].url
    assert result.failed == [
        (
            "slack",
            f"api update 1: {url}/*** answered 429 Too Many Requests: slow down, asking to "
            "wait 900 s; try again later",
        )
    ]
    assert posting.sleeps == [] and not (posting.site.root / POSTED).exists()


def test_5xx_answers_are_tried_three_times_then_the_channel_stops(posting: Posting) -> None:
    posting.configure("slack", "matrix", incidents={"api": TWO_UPDATES})
    posting.servers["slack"].script = [Answer(500, "oops")] * 3
    result = posting.run()
    url = posting.servers["slack"].url
    assert result.failed == [
        (
            "slack",
            f"api update 1: {url}/*** answered 500 Internal Server Error: oops (3 attempts)",
        )
    ]
    assert posting.sleeps == [1.0, 2.0]
    # Slack got nothing more on this run (its updates stay in order); Matrix got both.
    assert len(posting.servers["slack"].requests) == 3
    assert len(posting.servers["matrix"].requests) == 2
    log = PostedLog.load(posting.site.root)
    assert [(e.network, e.update) for e in log.entries()] == [("matrix", 1), ("matrix", 2)]
    # The next run posts only what failed.
    again = posting.run()
    assert again.posted == [("slack", "api", "update 1"), ("slack", "api", "update 2")]
    assert len(posting.servers["matrix"].requests) == 2


def test_a_4xx_is_not_tried_again(posting: Posting) -> None:
    posting.configure("discord", incidents={"api": TWO_UPDATES})
    posting.servers["discord"].script = [Answer(404, {"message": "Unknown Webhook", "code": 10015})]
    result = posting.run()
    url = posting.servers["discord"].url
    assert result.failed == [
        ("discord", f"api update 1: {url}/*** answered 404 Not Found: Unknown Webhook")
    ]
    assert posting.sleeps == [] and len(posting.servers["discord"].requests) == 1


def test_a_server_gone_mid_run_fails_only_its_channel(posting: Posting) -> None:
    posting.configure("discord", "slack", "telegram", incidents={"api": TWO_UPDATES})
    discord_server = posting.servers["discord"]

    def report(line: str) -> None:
        posting.lines.append(line)
        if line == "discord: api update 1: posted":
            discord_server.stop()  # the connection to it is refused from now on

    result = posting.run(report=report)
    assert [name for name, _ in result.failed] == ["discord"]
    (why,) = [why for _, why in result.failed]
    assert why.startswith(f"api update 2: {discord_server.url}/***: cannot connect (")
    assert why.endswith("(3 attempts)")
    assert posting.sleeps == [1.0, 2.0]
    log = PostedLog.load(posting.site.root)
    assert [(e.network, e.update) for e in log.entries()] == [
        ("slack", 1),
        ("discord", 1),
        ("telegram", 1),
        ("slack", 2),
        ("telegram", 2),
    ]
    # Its server back, at a new address: the re-run posts only what it missed.
    back = FakeServer(discord)
    try:
        posting.environ["STATUSPAGE_DISCORD_WEBHOOK"] = back.url + "/api/webhooks/42/secret-x"
        again = posting.run()
    finally:
        back.stop()
    assert again.posted == [("discord", "api", "update 2")] and again.failed == []
    assert len(back.requests) == 1
    assert len(posting.servers["slack"].requests) == 2


def test_a_thread_that_failed_half_way_goes_on_from_there(posting: Posting) -> None:
    long = " ".join(["The database primary is failing over to its replica again."] * 14)
    incident = TWO_UPDATES.replace("message: Errors.", f"message: {long}")
    posting.configure("mastodon", incidents={"api": incident})
    server = posting.servers["mastodon"]
    server.script = [Answer(body={}), Answer(body={"id": "777"}), *[Answer(503)] * 3]
    first = posting.run()
    assert [name for name, _ in first.failed] == ["mastodon"]
    text = (posting.site.root / POSTED).read_text()
    assert "  ids:\n  - '777'\n  thread: 1 of 2\n" in text
    second = posting.run()
    assert second.failed == []
    posts = only_posts(server)
    assert len(posts) == 1 + 3 + 2  # post 1, 3 tries of post 2, then post 2 and update 2
    assert posts[-2].body["in_reply_to_id"] == "777"  # post 2 of update 1, after post 1
    assert posts[-1].body["in_reply_to_id"] == "10006"  # update 2, after post 2 (request 7)
    entry = PostedLog.load(posting.site.root).find("api", 1, "mastodon")
    assert entry is not None and entry.complete and len(entry.ids) == 2


def test_a_first_run_skips_what_is_older_than_post_within(posting: Posting) -> None:
    posting.configure("slack", incidents={"api": TWO_UPDATES, "db": RESOLVED})
    result = posting.run()
    assert (
        posting.lines[0] == "skipped, older than social.post_within (24h): db update 1, db update 2"
    )
    assert [entry for _, _, entry in result.posted] == ["update 1", "update 2"]
    assert result.skipped == 2
    posting.configure("slack", incidents={}, extra="  post_within: 7d\n")
    later = posting.run()
    assert [(i, e) for _, i, e in later.posted] == [("db", "update 1"), ("db", "update 2")]


def test_a_dry_run_shows_every_request_and_sends_and_writes_nothing(posting: Posting) -> None:
    posting.configure("mastodon", "telegram", "slack", incidents={"api": TWO_UPDATES})
    shown: list[str] = []
    site = posting.site.load()
    scrub = Scrubber(secrets_of(CHANNELS, posting.environ))
    result = post_updates(
        site,
        posting.site.root,
        NOW,
        posting.environ,
        DryRunOutbox(shown.append, scrub),
        posting.lines.append,
    )
    assert len(result.posted) == 6
    assert all(server.requests == [] for server in posting.servers.values())
    assert not (posting.site.root / "social").exists()
    telegram = posting.servers["telegram"].url
    assert shown[1].startswith(f"POST {telegram}/bot***/sendMessage\n{{\n")
    mastodon = shown[3]
    assert mastodon.startswith(
        f"POST {posting.servers['mastodon'].url}/api/v1/statuses\n"
        "Authorization: Bearer ***\nIdempotency-Key: "
    )
    assert '"in_reply_to_id": "(the id of update 1\'s post 1)"' in mastodon
    everything = "\n".join(shown + posting.lines)
    for secret in posting.environ.values():
        assert secret.rsplit("/", 1)[-1] not in everything


def test_no_secret_shows_in_a_failure(posting: Posting) -> None:
    posting.configure("telegram", "slack", incidents={"api": TWO_UPDATES})
    token = SECRETS["STATUSPAGE_TELEGRAM_TOKEN"]
    posting.servers["telegram"].script = [
        Answer(401, {"ok": False, "description": f"Unauthorized: bot{token} is not known"})
    ]
    posting.servers["slack"].script = [
        Answer(403, f"invalid_token {posting.environ['STATUSPAGE_SLACK_WEBHOOK']}")
    ]
    result = posting.run()
    telegram = posting.servers["telegram"].url
    assert dict(result.failed)["telegram"] == (
        f"api update 1: {telegram}/bot***/sendMessage answered 401 Unauthorized: "
        "Unauthorized: bot*** is not known"
    )
    everything = "\n".join(posting.lines)
    for secret in posting.environ.values():
        assert secret not in everything
    assert "slack-secret-0005" not in everything


def test_httpx_errors_are_scrubbed_of_secrets() -> None:
    secret_url = "https://hooks.example.com/services/T0/B0/very-secret-path"

    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot reach {request.url}", request=request)

    sleeps: list[float] = []
    with httpx.Client(transport=httpx.MockTransport(refuse)) as client:
        outbox = LiveOutbox(client, Scrubber([secret_url]), sleep=sleeps.append)
        request = Request("POST", secret_url, "https://hooks.example.com/***", json={"text": "x"})
        with pytest.raises(PostFailed) as failure:
            outbox.send(request)
    assert str(failure.value) == (
        "https://hooks.example.com/***: cannot connect (cannot reach ***) (3 attempts)"
    )
    assert sleeps == [1.0, 2.0]


def test_a_request_that_may_have_been_posted_is_not_sent_again_without_a_key() -> None:
    def timeout(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("timed out", request=request)

    with httpx.Client(transport=httpx.MockTransport(timeout)) as client:
        outbox = LiveOutbox(client, Scrubber(), sleep=lambda s: None)
        with pytest.raises(PostFailed, match="not sent again, since the server may have"):
            outbox.send(Request("POST", "https://a.example/x", "https://a.example/x", json={}))
        calls: list[float] = []
        outbox.sleep = calls.append
        with pytest.raises(PostFailed, match=r"\(3 attempts\)"):
            outbox.send(
                Request("PUT", "https://a.example/x", "https://a.example/x", idempotent=True)
            )
        assert calls == [1.0, 2.0]


def test_a_broken_posted_file_is_named_at_its_lines(posting: Posting) -> None:
    posting.configure("slack", incidents={"api": TWO_UPDATES})
    posting.site.write(
        POSTED,
        """\
        posted:
          - incident: api
            update: third
            network: myspace
            posted_at: yesterday
            digest: sha256:00
        """,
    )
    with pytest.raises(ValidationFailed) as failure:
        posting.run()
    assert [str(p) for p in failure.value.problems] == [
        "social/posted.yaml:3:13: 'update' must be an update's number or postmortem, not 'third'",
        "social/posted.yaml:4:14: unknown network 'myspace'; expected one of "
        + ", ".join(CHANNELS),
        "social/posted.yaml:5:16: 'posted_at' must be a time such as 2026-11-20T14:10:00Z, "
        "not 'yesterday'",
    ]


def test_a_webhook_that_is_no_address_is_refused_before_anything_is_sent(
    posting: Posting,
) -> None:
    posting.environ["STATUSPAGE_SLACK_WEBHOOK"] = "hooks.slack.com/services/T0/B0/secret-1"
    posting.configure("slack", incidents={"api": TWO_UPDATES})
    result = posting.run()
    assert result.failed == [
        (
            "slack",
            "STATUSPAGE_SLACK_WEBHOOK must hold the incoming webhook's address, an https:// "
            "address (http:// only to this machine, for tests)",
        )
    ]


def test_a_build_never_imports_the_network_code() -> None:
    code = (
        "import sys, statuspage.engine.build, statuspage.social.manifest; "
        "print([m for m in sys.modules if m.startswith('statuspage.publishers')])"
    )
    found = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert found.stdout == "[]\n"

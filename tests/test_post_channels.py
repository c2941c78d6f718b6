"""publishers: each channel's exact requests, against fake servers on loopback.

The paths, the JSON bodies, the auth headers, the idempotency keys and transaction ids, and
the reply ids that make an incident one thread; and the mail, through a real SMTP server
(aiosmtpd), in the clear and with STARTTLS (certificates from trustme's throwaway CA).
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import trustme

from statuspage.model.social import CHANNELS
from statuspage.publishers.credentials import Scrubber
from statuspage.publishers.outbox import LiveOutbox
from statuspage.publishers.run import CHANNEL_TYPES, PostReport, post_updates, secrets_of
from statuspage.social.announce import drafts_for
from statuspage.social.drafts import Draft
from tests.conftest import CONFIG, MakeSite, SiteDir
from tests.post_fakes import (
    WEBHOOK_PATHS,
    FakeServer,
    Recorded,
    environment,
    fake_servers,
    mail_server,
    mastodon,
    social_config,
)

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
SITE = "https://status.test.example"

# Everything a chat could take for formatting, a link or a mention.
HOSTILE = """\
title: Errors on the <API> & *more*
impact: minor
components: [webhooks]
updates:
  - at: 2026-11-23T09:00:00Z
    status: investigating
    message: >-
      Late for @everyone <!channel> **now** [see](https://evil.example)
      #1 | x_y ~z~ `c` "q"
"""
HEADING = "Investigating: Errors on the <API> & *more*"
WORDS = 'Late for @everyone <!channel> now see #1 | x_y ~z~ c "q"'
HOSTILE_URL = f"{SITE}/incidents/hooks/#update-1"

# Two updates, so the second replies to the first.
TWO_UPDATES = """\
title: Errors on the API
impact: major
components: [api]
updates:
  - at: 2026-11-23T09:00:00Z
    status: investigating
    message: Errors.
  - at: 2026-11-23T09:30:00Z
    status: monitoring
    message: Better.
"""


@dataclass
class Posting:
    """A site posting to fake servers, and what its runs did."""

    site: SiteDir
    servers: dict[str, FakeServer]
    mail_port: int
    environ: dict[str, str]
    sleeps: list[float] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)

    def configure(self, *post: str, incidents: dict[str, str], extra: str = "") -> None:
        config = CONFIG + social_config(self.servers, self.mail_port, post, extra)
        self.site.write("statuspage.yaml", config)
        for incident_id, text in incidents.items():
            self.site.incident(incident_id, text)

    def run(self, now: datetime = NOW, **options: Any) -> PostReport:
        scrub = Scrubber(secrets_of(CHANNELS, self.environ))
        with httpx.Client(timeout=5, trust_env=False) as client:
            outbox = LiveOutbox(
                client,
                scrub,
                sleep=self.sleeps.append,
                clock=lambda: now,
                note=self.lines.append,
                ssl_context=options.pop("ssl_context", None),
            )
            return post_updates(
                self.site.load(),
                self.site.root,
                now,
                self.environ,
                outbox,
                options.pop("report", self.lines.append),
                clock=lambda: now,
                **options,
            )

    def drafts(self, incident: str, number: int, network: str) -> list[Draft]:
        return drafts_for(self.site.load(), self.site.root, NOW, incident, number, [network])


@pytest.fixture
def posting(make_site: MakeSite) -> Iterator[Posting]:
    with fake_servers() as servers, mail_server() as (port, _):
        yield Posting(make_site(), servers, port, environment(servers))


def only_posts(server: FakeServer) -> list[Recorded]:
    return [r for r in server.requests if r.method != "GET"]


def test_every_channel_has_its_code() -> None:
    assert tuple(CHANNEL_TYPES) == CHANNELS


def test_mastodon_posts_statuses_with_idempotency_keys_and_replies(posting: Posting) -> None:
    posting.configure("mastodon", incidents={"api": TWO_UPDATES})
    result = posting.run()
    assert result.failed == [] and len(result.posted) == 2
    server = posting.servers["mastodon"]
    assert [(r.method, r.path) for r in server.requests] == [
        ("GET", "/api/v2/instance"),  # the limits, once a run
        ("POST", "/api/v1/statuses"),
        ("POST", "/api/v1/statuses"),
    ]
    first, second = server.requests[1:]
    texts = [posting.drafts("api", n, "mastodon")[0].text for n in (1, 2)]
    assert first.body == {"status": texts[0], "visibility": "public", "language": "en"}
    # The second update replies to the first's status (the fake numbers them by request).
    assert second.body == {
        "status": texts[1],
        "visibility": "public",
        "language": "en",
        "in_reply_to_id": "10001",
    }
    assert first.headers["authorization"] == "Bearer mastodon-token-0002"
    keys = [r.headers["idempotency-key"] for r in (first, second)]
    digest = "sha256:" + hashlib.sha256(texts[0].encode()).hexdigest()
    expected = "\n".join((SITE, "api", "1", "mastodon", "1", digest))
    assert keys[0] == hashlib.sha256(expected.encode()).hexdigest()[:40]
    assert keys[0] != keys[1]
    # A run that crashed before it could record its posts sends the very same keys again,
    # so Mastodon answers with the statuses it made instead of making new ones.
    (posting.site.root / "social/posted.yaml").unlink()
    posting.run()
    assert [r.headers["idempotency-key"] for r in only_posts(server)[2:]] == keys


def test_a_mastodon_thread_replies_post_by_post(posting: Posting) -> None:
    long = " ".join(["The database primary is failing over to its replica again."] * 14)
    incident = TWO_UPDATES.replace("message: Errors.", f"message: {long}")
    posting.configure("mastodon", incidents={"api": incident})
    posting.run()
    drafts = posting.drafts("api", 1, "mastodon")
    assert len(drafts) == 2  # a thread: `thread: true`
    posts = only_posts(posting.servers["mastodon"])
    assert [p.body["status"] for p in posts[:2]] == [d.text for d in drafts]
    assert [p.body.get("in_reply_to_id") for p in posts] == [None, "10001", "10002"]
    assert "thread" not in (posting.site.root / "social/posted.yaml").read_text()


def test_mastodon_refuses_a_post_over_the_instances_own_limit(posting: Posting) -> None:
    posting.servers["mastodon"].responder = mastodon(limit=100)
    long = "Requests to the API fail for some customers in Europe; we are looking into why."
    posting.configure("mastodon", incidents={"api": TWO_UPDATES.replace("Errors.", long)})
    result = posting.run()
    assert only_posts(posting.servers["mastodon"]) == []
    length = len(posting.drafts("api", 1, "mastodon")[0].text)  # no URL it would count as 23
    (why,) = [why for _, why in result.failed]
    assert why == (
        f"api update 1: update 1 counts {length} characters on "
        f"{posting.servers['mastodon'].url}, over its limit of 100; not sent: set "
        "social.mastodon.limit: 100 and url_length: 23 in statuspage.yaml, so drafts fit it"
    )
    assert not (posting.site.root / "social/posted.yaml").exists()


def test_bluesky_signs_in_once_and_posts_records_with_facets_and_replies(
    posting: Posting,
) -> None:
    posting.configure("bluesky", incidents={"api": TWO_UPDATES})
    posting.run()
    requests = posting.servers["bluesky"].requests
    assert [r.path for r in requests] == [
        "/xrpc/com.atproto.server.createSession",
        "/xrpc/com.atproto.repo.createRecord",
        "/xrpc/com.atproto.repo.createRecord",
    ]
    session, first, second = requests
    assert session.body == {"identifier": "status.test.example", "password": "app-pass-1234"}
    assert "authorization" not in session.headers
    drafts = [posting.drafts("api", n, "bluesky")[0] for n in (1, 2)]
    records = []
    for draft in drafts:
        # The link text, as the app shows it, carries the whole address in a facet placed
        # by UTF-8 byte offsets.
        link = draft.text.rsplit("\n", 1)[1]
        start = draft.text.encode().index(link.encode())
        facet = {
            "index": {"byteStart": start, "byteEnd": start + len(link.encode())},
            "features": [{"$type": "app.bsky.richtext.facet#link", "uri": draft.url}],
        }
        records.append(
            {
                "$type": "app.bsky.feed.post",
                "text": draft.text,
                "createdAt": "2026-11-23T12:00:00.000Z",
                "langs": ["en"],
                "facets": [facet],
            }
        )
    parent = {"uri": "at://did:plc:status/app.bsky.feed.post/p1", "cid": "cid1"}
    records[1]["reply"] = {"root": parent, "parent": parent}
    for request, record in zip((first, second), records, strict=True):
        assert request.body == {
            "repo": "did:plc:status",
            "collection": "app.bsky.feed.post",
            "record": record,
        }
        assert request.headers["authorization"] == "Bearer jwt-session-5678"


def test_bluesky_with_a_wrong_app_password_says_so(posting: Posting) -> None:
    posting.environ["STATUSPAGE_BLUESKY_APP_PASSWORD"] = "wrong-password"
    posting.configure("bluesky", incidents={"api": TWO_UPDATES})
    result = posting.run()
    url = posting.servers["bluesky"].url
    assert result.failed == [
        (
            "bluesky",
            f"api update 1: {url}/xrpc/com.atproto.server.createSession answered 401 "
            "Unauthorized: Invalid password",
        )
    ]
    assert posting.sleeps == []  # a 4xx is not tried again


def test_x_posts_through_api_v2_only_with_a_token(posting: Posting) -> None:
    posting.configure("x", incidents={"api": TWO_UPDATES})
    posting.run()
    first, second = posting.servers["x"].requests
    texts = [posting.drafts("api", n, "x")[0].text for n in (1, 2)]
    assert (first.method, first.path, first.body) == ("POST", "/2/tweets", {"text": texts[0]})
    assert second.body == {"text": texts[1], "reply": {"in_reply_to_tweet_id": "190"}}
    assert first.headers["authorization"] == "Bearer x-token-0001"


def test_without_a_token_x_is_skipped_with_its_intent_links(posting: Posting) -> None:
    del posting.environ["STATUSPAGE_X_TOKEN"]
    posting.configure("x", incidents={"api": TWO_UPDATES})
    result = posting.run()
    assert posting.servers["x"].requests == []
    assert result.failed == [] and result.posted == []
    intents = [posting.drafts("api", n, "x")[0].intent for n in (1, 2)]
    assert posting.lines == [
        "x: skipped: STATUSPAGE_X_TOKEN is not set, so X is not posted to through its API "
        "(which bills per post); post each by hand with its intent link",
        f"x: api update 1: post it by hand: {intents[0]}",
        f"x: api update 2: post it by hand: {intents[1]}",
    ]


def test_slack_gets_mrkdwn_with_its_three_characters_escaped(posting: Posting) -> None:
    posting.configure("slack", incidents={"hooks": HOSTILE})
    posting.run()
    (request,) = posting.servers["slack"].requests
    assert (request.method, request.path) == ("POST", WEBHOOK_PATHS["slack"])
    assert request.body == {
        "text": f"*<{HOSTILE_URL}|Investigating: Errors on the &lt;API&gt; &amp; *more*>*\n\n"
        'Late for @everyone &lt;!channel&gt; now see #1 | x_y ~z~ c "q"'
    }


def test_discord_gets_escaped_markdown_and_pings_no_one(posting: Posting) -> None:
    posting.configure("discord", incidents={"hooks": HOSTILE})
    posting.run()
    (request,) = posting.servers["discord"].requests
    assert request.path == WEBHOOK_PATHS["discord"] + "?wait=true"
    assert request.body == {
        "content": f"**[Investigating: Errors on the \\<API\\> & \\*more\\*]({HOSTILE_URL})**\n\n"
        'Late for @everyone \\<!channel\\> now see #1 \\| x\\_y \\~z\\~ c "q"',
        "allowed_mentions": {"parse": []},
    }
    text = (posting.site.root / "social/posted.yaml").read_text()
    assert "- '13000'" in text  # the message's id, from ?wait=true


def test_teams_gets_an_adaptive_card(posting: Posting) -> None:
    posting.configure("teams", incidents={"hooks": HOSTILE})
    posting.run()
    (request,) = posting.servers["teams"].requests
    assert request.path == WEBHOOK_PATHS["teams"]
    card = {
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "type": "AdaptiveCard",
        "version": "1.4",
        "body": [
            {
                "type": "TextBlock",
                "text": "Investigating: Errors on the \\<API\\> & \\*more\\*",
                "weight": "Bolder",
                "size": "Medium",
                "wrap": True,
            },
            {
                "type": "TextBlock",
                "text": 'Late for @everyone \\<!channel\\> now see #1 \\| x\\_y \\~z\\~ c "q"',
                "wrap": True,
            },
        ],
        "actions": [{"type": "Action.OpenUrl", "title": "status.test.example", "url": HOSTILE_URL}],
    }
    assert request.body == {
        "type": "message",
        "attachments": [
            {"contentType": "application/vnd.microsoft.card.adaptive", "content": card}
        ],
    }


def test_matrix_gets_a_notice_with_a_transaction_id_that_repeats(posting: Posting) -> None:
    posting.configure("matrix", incidents={"hooks": HOSTILE})
    posting.run()
    (request,) = posting.servers["matrix"].requests
    prefix = "/_matrix/client/v3/rooms/%21room%3Ax.org/send/m.room.message/"
    assert request.method == "PUT" and request.path.startswith(prefix)
    assert request.headers["authorization"] == "Bearer matrix-token-0003"
    assert request.body == {
        "msgtype": "m.notice",
        "body": f"{HEADING}\n\n{WORDS}\n\n{HOSTILE_URL}",
        "format": "org.matrix.custom.html",
        "formatted_body": f'<p><strong><a href="{HOSTILE_URL}">Investigating: Errors on the '
        "&lt;API&gt; &amp; *more*</a></strong></p><p>Late for @everyone &lt;!channel&gt; now "
        "see #1 | x_y ~z~ c &quot;q&quot;</p>",
    }
    (posting.site.root / "social/posted.yaml").unlink()
    posting.run()
    assert posting.servers["matrix"].requests[1].path == request.path


def test_telegram_gets_html_through_the_bot_api(posting: Posting) -> None:
    posting.configure("telegram", incidents={"hooks": HOSTILE})
    posting.run()
    (request,) = posting.servers["telegram"].requests
    assert request.path == "/bot123456:telegram-token-0004/sendMessage"
    assert request.body == {
        "chat_id": "@examplestatus",
        "text": f'<b><a href="{HOSTILE_URL}">Investigating: Errors on the &lt;API&gt; &amp; '
        "*more*</a></b>\n\nLate for @everyone &lt;!channel&gt; now see #1 | x_y ~z~ c "
        "&quot;q&quot;",
        "parse_mode": "HTML",
        "link_preview_options": {"url": HOSTILE_URL},
    }


def test_matrix_and_telegram_thread_an_incident_s_later_updates(posting: Posting) -> None:
    posting.configure("matrix", "telegram", incidents={"api": TWO_UPDATES})
    assert posting.run().failed == []
    first, second = (request.body for request in posting.servers["matrix"].requests)
    assert "m.relates_to" not in first
    assert second["m.relates_to"] == {
        "rel_type": "m.thread",
        "event_id": "$event0",  # the incident's first notice, as the homeserver named it
        "is_falling_back": True,
        "m.in_reply_to": {"event_id": "$event0"},
    }
    first, second = (request.body for request in posting.servers["telegram"].requests)
    assert "reply_parameters" not in first
    assert second["reply_parameters"] == {"message_id": 500, "allow_sending_without_reply": True}


def test_mail_goes_to_the_list_threaded_by_message_ids(make_site: MakeSite) -> None:
    with fake_servers() as servers, mail_server() as (port, recorder):
        posting = Posting(make_site(), servers, port, environment(servers))
        posting.configure("email", incidents={"api": TWO_UPDATES, "hooks": HOSTILE})
        result = posting.run()
    assert result.failed == []
    assert recorder.logins == [("status-bot", "smtp-secret-99")] * 3  # a connection a mail
    mails = {m["Subject"]: (sender, to, m) for sender, to, m in recorder.mails}
    assert list(mails) == [
        "[Status] Investigating: Errors on the API",
        "[Status] Investigating: Errors on the <API> & *more*",
        "[Status] Monitoring: Errors on the API",
    ]
    sender, to, first = mails["[Status] Investigating: Errors on the API"]
    assert (sender, to) == ("status@test.example", ["status@lists.example.com"])
    assert first["From"] == "Test Status <status@test.example>"
    assert first["To"] == "status@lists.example.com"
    assert first["Date"] == "Mon, 23 Nov 2026 12:00:00 +0000"
    assert first.get_content_type() == "multipart/alternative"
    first_id = first["Message-ID"]
    assert first_id.endswith("@status.test.example>") and "In-Reply-To" not in first
    second = mails["[Status] Monitoring: Errors on the API"][2]
    assert second["In-Reply-To"] == first_id and second["References"] == first_id
    plain = second.get_body(("plain",))
    html = second.get_body(("html",))
    assert plain is not None and html is not None
    url = f"{SITE}/incidents/api/#update-2"
    text = plain.get_content().replace("\r\n", "\n")  # SMTP carries lines ending CRLF
    assert text == f"Monitoring: Errors on the API\n\nBetter.\n\n{url}\n"
    hostile = mails["[Status] Investigating: Errors on the <API> & *more*"][2]
    page = hostile.get_body(("html",))
    assert page is not None
    assert (
        "<p>Late for @everyone &lt;!channel&gt; now see #1 | x_y ~z~ c &quot;q&quot;</p>"
        in page.get_content()
    )


@pytest.fixture(scope="module")
def authority() -> trustme.CA:
    return trustme.CA()


def test_mail_over_starttls_logs_in_only_once_the_connection_is_secure(
    make_site: MakeSite, authority: trustme.CA, tmp_path: Path
) -> None:
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    authority.issue_cert("127.0.0.1").configure_cert(server_context)
    client_context = ssl.create_default_context()
    authority.configure_trust(client_context)
    # The server refuses anything before STARTTLS, and a login without TLS.
    with fake_servers() as servers, mail_server(tls=server_context) as (port, recorder):
        posting = Posting(make_site(), servers, port, environment(servers))
        posting.configure("email", incidents={"api": TWO_UPDATES})
        config = (posting.site.root / "statuspage.yaml").read_text()
        posting.site.write("statuspage.yaml", config.replace("tls: none", "tls: starttls"))
        result = posting.run(ssl_context=client_context)
        assert result.failed == [] and len(recorder.mails) == 2
        assert recorder.logins == [("status-bot", "smtp-secret-99")] * 2
        # A certificate the client does not trust fails the channel, and is not retried.
        (posting.site.root / "social/posted.yaml").unlink()
        failed = posting.run(ssl_context=ssl.create_default_context())
    (why,) = [why for _, why in failed.failed]
    assert why.startswith(f"api update 1: smtp://127.0.0.1:{port}: TLS failed (")
    assert posting.sleeps == []

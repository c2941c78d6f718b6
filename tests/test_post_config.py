"""sources.socialconfig, the posting part: `post`, `post_within` and each channel's settings,
every mistake named at its line."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from statuspage.model.social import (
    DEFAULT_POST_WITHIN,
    EmailSettings,
    MailTls,
    MatrixSettings,
    NetworkSettings,
    TelegramSettings,
)
from tests.conftest import CONFIG, MakeSite

LINE = CONFIG.count("\n") + 1  # the line `social:` is on


def test_without_post_nothing_is_posted(make_site: MakeSite) -> None:
    social = make_site().load().config.social
    assert social.post == () and social.post_within == DEFAULT_POST_WITHIN == timedelta(hours=24)


def test_every_channels_settings_are_read(make_site: MakeSite) -> None:
    text = CONFIG + (
        "social:\n"
        "  post: [email, matrix, slack, telegram, bluesky, x]\n"
        "  post_within: 7d\n"
        "  x: {api: 'https://api.x.example/'}\n"
        "  bluesky: {handle: s.example.com, service: 'http://127.0.0.1:9/'}\n"
        "  matrix: {homeserver: 'https://m.example.org/', room: '#status:example.org'}\n"
        "  telegram: {chat: '-100123'}\n"
        "  email: {to: a@b.example, from: 'S <c@d.example>', host: smtp.example.com, tls: ssl}\n"
    )
    social = make_site(config=text).load().config.social
    assert social.post == ("email", "matrix", "slack", "telegram", "bluesky", "x")
    assert social.post_within == timedelta(days=7)
    assert social.network("x") == NetworkSettings("x", api="https://api.x.example")
    # http:// is allowed to this machine alone: tests point every channel at loopback.
    assert social.network("bluesky") == NetworkSettings(
        "bluesky", handle="s.example.com", api="http://127.0.0.1:9"
    )
    assert social.matrix == MatrixSettings("https://m.example.org", "#status:example.org")
    assert social.telegram == TelegramSettings("-100123")
    assert social.email == EmailSettings(
        "a@b.example", "S <c@d.example>", "smtp.example.com", 465, MailTls.SSL
    )
    starttls = text.replace(", tls: ssl", "")
    email = make_site(config=starttls).load().config.social.email
    assert email is not None and (email.port, email.tls) == (587, MailTls.STARTTLS)


@pytest.mark.parametrize(
    ("section", "problem"),
    [
        (
            "  post: [mastodon, myspace]\n  mastodon: {instance: m.example}\n",
            "1:20: unknown channel 'myspace'; expected one of x, mastodon, bluesky, slack, "
            "discord, teams, matrix, telegram, email",
        ),
        ("  post: [slack, slack]\n", "1:17: 'slack' is listed twice in 'post'"),
        (
            "  post: [x]\n  mastodon: {instance: m.example}\n",
            "1:10: 'post' lists x, which gets no drafts: add it to 'networks', or give it "
            "settings (x: {})",
        ),
        (
            "  post: [mastodon]\n  mastodon: {limit: 500}\n",
            "1:10: posting to mastodon needs its server: set 'instance' under 'mastodon' (or a "
            "handle such as @status@mastodon.social)",
        ),
        (
            "  post: [bluesky]\n",
            "1:10: posting to bluesky needs the account: set 'handle' under 'bluesky' (such as "
            "status.example.com)",
        ),
        (
            "  post: [matrix]\n",
            "1:10: posting to matrix needs its settings: add 'matrix:' to 'social' "
            "({homeserver: https://matrix.example.org, room: '!abc:example.org'})",
        ),
        (
            "  post: [slack]\n  telegram: {chat: '@examplestatus'}\n",
            "2:3: 'telegram' has settings but is not in 'post'; add it there, or remove them",
        ),
        (
            "  post: [x]\n  x: {api: 'http://api.x.com'}\n",
            "2:12: 'api' must be an https:// address such as https://api.x.com: http:// would "
            "send the token in the clear (it is allowed only to this machine, for tests)",
        ),
        (
            "  post: [email]\n"
            "  email: {to: a@b.example, from: c@d.example, host: smtp.example.com, tls: none}\n",
            "2:76: 'tls: none' sends the login and the mail in the clear: it is only for a "
            "server on this machine (localhost, 127.0.0.1), for tests; use starttls or ssl",
        ),
        (
            "  post_within: 2 weeks\n",
            "1:16: 'post_within' must be a duration from 1m to 3650d such as 30m, 24h or 7d, "
            "not '2 weeks'",
        ),
        (
            "  post: [matrix]\n  matrix: {homeserver: 'https://m.example.org', room: status}\n",
            "2:55: 'room' must be a room id such as '!abc:example.org' or an alias such as "
            "'#status:example.org' (in quotes: YAML reads # as a comment), not 'status'",
        ),
        (
            "  post: [email]\n"
            "  email: {to: 'not an address', from: c@d.example, host: smtp.example.com}\n",
            "2:15: 'to' must be a mail address such as status@lists.example.com, not 'not an "
            "address'",
        ),
        (
            "  post: [telegram]\n  telegram: {chat: example status}\n",
            "2:20: 'chat' must be a channel's name such as '@examplestatus' or its numeric id, "
            "not 'example status'",
        ),
    ],
)
def test_mistakes_are_named_at_their_place(make_site: MakeSite, section: str, problem: str) -> None:
    site = make_site(config=CONFIG + "social:\n" + section)
    line, rest = problem.split(":", 1)
    assert site.problems() == [f"statuspage.yaml:{LINE + int(line)}:{rest}"]


def test_the_readmes_example_is_valid(make_site: MakeSite) -> None:
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    part = readme[readme.index("### Posting") :]
    example = part[part.index("```yaml\n") + 8 : part.index("```\n", part.index("```yaml\n") + 8)]
    social = make_site(config=CONFIG + example).load().config.social
    assert social.post == (
        "mastodon",
        "bluesky",
        "slack",
        "discord",
        "teams",
        "matrix",
        "telegram",
        "email",
    )
    assert social.email is not None and social.email.port == 587

"""sources.socialconfig: `social:` in statuspage.yaml, every mistake named at its line."""

from __future__ import annotations

import pytest

from statuspage.model.social import NetworkSettings, SocialSettings
from tests.conftest import CONFIG, MakeSite

LINE = CONFIG.count("\n") + 1  # the line `social:` is on


def test_without_social_drafts_are_written_for_every_network(make_site: MakeSite) -> None:
    social = make_site().load().config.social
    assert social == SocialSettings()
    assert [n.name for n in social.networks] == ["x", "mastodon", "bluesky"]
    assert social.days == 30


def test_settings_are_read_and_name_the_networks(make_site: MakeSite) -> None:
    text = CONFIG + (
        "social:\n"
        "  days: 7\n"
        "  mastodon:\n"
        "    handle: '@status@Mastodon.Example'\n"
        "    hashtags: ['#status', outage, status]\n"
        "    limit: 1000\n"
        "    url_length: 30\n"
        "    thread: true\n"
        "  x: {handle: '@teststatus'}\n"
    )
    social = make_site(config=text).load().config.social
    assert social.days == 7
    assert social.networks == (
        NetworkSettings("x", handle="@teststatus"),
        NetworkSettings(
            "mastodon",
            handle="@status@Mastodon.Example",
            hashtags=("status", "outage"),
            thread=True,
            limit=1000,
            url_length=30,
            instance="mastodon.example",  # from the handle
        ),
    )


def test_networks_picks_them_in_its_order_and_an_empty_list_turns_drafts_off(
    make_site: MakeSite,
) -> None:
    text = CONFIG + "social:\n  networks: [bluesky, x]\n  x: {hashtags: [status]}\n"
    social = make_site(config=text).load().config.social
    assert [n.name for n in social.networks] == ["bluesky", "x"]
    assert social.network("x") == NetworkSettings("x", hashtags=("status",))
    assert social.network("mastodon") is None
    off = make_site(config=CONFIG + "social:\n  networks: []\n").load().config.social
    assert off.networks == ()


@pytest.mark.parametrize(
    ("social", "expected"),
    [
        (
            "social: yes\n",
            f"{LINE}:9: 'social' must be a mapping of keys to values, not true/false",
        ),
        (
            "social:\n  networks: [x, mastadon]\n",
            f"{LINE + 1}:17: unknown network 'mastadon'; did you mean 'mastodon'?",
        ),
        ("social:\n  networks: [x, x]\n", f"{LINE + 1}:17: 'x' is listed twice in 'networks'"),
        (
            "social:\n  networks: [x]\n  bluesky: {}\n",
            f"{LINE + 2}:3: 'bluesky' has settings but is not in 'networks'; add it there, "
            "or remove them",
        ),
        (
            "social:\n  twitter: {}\n",
            f"{LINE + 1}:3: unknown key 'twitter'; "
            "expected one of days, networks, x, mastodon, bluesky, post, post_within, matrix, "
            "telegram, email",
        ),
        ("social:\n  days: 0\n", f"{LINE + 1}:9: 'days' must be at least 1, not 0"),
        (
            "social:\n  x: {handle: 'not a handle'}\n",
            f"{LINE + 1}:15: 'handle' must be an account name on x such as @examplestatus, "
            "not 'not a handle'",
        ),
        (
            "social:\n  x: {hashtags: [big outage]}\n",
            f"{LINE + 1}:18: a hashtag holds letters, digits and _ (not only digits), "
            "such as status; not 'big outage'",
        ),
        (
            "social:\n  x: {hashtags: ['2026']}\n",
            f"{LINE + 1}:18: a hashtag holds letters, digits and _ (not only digits), "
            "such as status; not '2026'",
        ),
        (
            "social:\n  x: {thread: yes}\n",
            f"{LINE + 1}:15: 'thread' must be true or false, not 'yes'",
        ),
        (
            "social:\n  x: {limit: 500}\n",
            f"{LINE + 1}:7: unknown key 'limit'; expected one of handle, hashtags, thread, api",
        ),
        (
            "social:\n  mastodon: {instance: 'https://bad host/'}\n",
            f"{LINE + 1}:24: 'instance' must be the host name of a Mastodon server such as "
            "mastodon.social, not 'https://bad host/'",
        ),
        (
            "social:\n  mastodon: {limit: 50}\n",
            f"{LINE + 1}:21: 'limit' must be at least 100, not 50",
        ),
    ],
)
def test_social_problems(make_site: MakeSite, social: str, expected: str) -> None:
    assert make_site(config=CONFIG + social).problems() == [f"statuspage.yaml:{expected}"]

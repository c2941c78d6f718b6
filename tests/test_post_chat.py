"""publishers.chat and each chat's message maker: escaped for its format, cut to its limit."""

from __future__ import annotations

import json

from statuspage.publishers.channel import Announcement
from statuspage.publishers.chat import fit, markdown_escape, slack_escape, utf16_length
from statuspage.publishers.credentials import Scrubber
from statuspage.publishers.discord import discord_content
from statuspage.publishers.matrix import LIMIT_BYTES, matrix_content
from statuspage.publishers.slack import slack_text
from statuspage.publishers.teams import teams_message
from statuspage.publishers.telegram import telegram_text
from statuspage.publishers.webhooks import shown_webhook
from statuspage.social.drafts import EntryWords

URL = "https://status.example.com/incidents/api/#update-1"


def announcement(message: str, title: str = "Errors on the API") -> Announcement:
    return Announcement("api", 1, "Investigating", title, message, URL, "en")


def test_slack_escapes_its_three_characters_only() -> None:
    assert slack_escape("a & b <!here> *c* <https://x|y>") == (
        "a &amp; b &lt;!here&gt; *c* &lt;https://x|y&gt;"
    )


def test_markdown_escapes_what_starts_formatting_and_leaves_addresses_whole() -> None:
    text = "# Title\n- item\n1. first\n> quote\n**b** _i_ ~s~ `c` ||spoiler|| [l](u) a-b 2.5"
    assert markdown_escape(text) == (
        "\\# Title\n\\- item\n\\1. first\n\\> quote\n\\*\\*b\\*\\* \\_i\\_ \\~s\\~ \\`c\\` "
        "\\|\\|spoiler\\|\\| \\[l\\](u) a-b 2.5"
    )
    assert markdown_escape("see https://a.example/x_y*z now_") == (
        "see https://a.example/x_y*z now\\_"
    )


def test_a_long_message_is_cut_after_a_word_to_fit_each_chat() -> None:
    words = " ".join(f"word{n}" for n in range(2_000))  # 17,890 characters
    discord = discord_content(announcement(words))
    assert utf16_length(discord) <= 2_000 < utf16_length(discord) + len(" word0000")
    assert discord.endswith("…") and discord.rsplit(" ", 1)[1].startswith("word")
    assert discord.startswith(f"**[Investigating: Errors on the API]({URL})**\n\nword0 word1 ")
    whole = slack_text(announcement(words))
    assert whole == f"*<{URL}|Investigating: Errors on the API>*\n\n{words}"  # under 40,000
    # Telegram counts the text its HTML shows, so entities cost one character each.
    text = telegram_text(announcement(" ".join(["a&b"] * 1_500)))
    visible = text.split("\n\n", 1)[1].replace("&amp;", "&")
    assert 4_096 - len(" a&b…") < len("Investigating: Errors on the API\n\n" + visible) <= 4_096
    content = matrix_content(announcement(words * 4))
    assert len(json.dumps(content, ensure_ascii=False).encode()) <= LIMIT_BYTES
    assert content["body"].endswith(f"…\n\n{URL}")
    card = teams_message(announcement(words * 2))
    assert len(json.dumps(card, ensure_ascii=False).encode()) <= 27_000


def test_fit_cuts_only_what_it_must() -> None:
    assert fit("one two three", lambda m: f"[{m}]", lambda t: len(t) <= 15) == "[one two three]"
    assert fit("one two three", lambda m: f"[{m}]", lambda t: len(t) <= 12) == "[one two…]"


def test_an_update_without_words_is_its_heading_and_link() -> None:
    empty = announcement("")
    assert slack_text(empty) == f"*<{URL}|Investigating: Errors on the API>*"
    assert matrix_content(empty)["body"] == f"Investigating: Errors on the API\n\n{URL}"
    assert [
        block["text"] for block in teams_message(empty)["attachments"][0]["content"]["body"]
    ] == ["Investigating: Errors on the API"]


def test_webhooks_are_shown_by_their_host_alone() -> None:
    assert (
        shown_webhook("https://hooks.slack.com/services/T/B/secret")
        == "https://hooks.slack.com/***"
    )
    assert shown_webhook("https://user:pw@example.com/x?sig=1") == "https://example.com/***"
    assert shown_webhook("not a url") == "***"


def test_the_scrubber_masks_secrets_and_their_encoded_forms() -> None:
    scrub = Scrubber(["a b/c+d", "abc"])
    assert scrub("x a b/c+d y a%20b%2Fc%2Bd z a+b%2Fc%2Bd") == "x *** y *** z ***"
    assert scrub("abc is too short to be masked") == "abc is too short to be masked"


def test_a_chat_message_ends_with_the_next_update_its_update_promises() -> None:
    def words(promise: str) -> EntryWords:
        context = {"next_update": promise}
        return EntryWords("api", 1, URL, "Investigating", "Errors on the API", "We look.", context)

    promised = Announcement.of(words("Next update by 14:30 CET."), "en")
    assert slack_text(promised) == (
        f"*<{URL}|Investigating: Errors on the API>*\n\nWe look.\n\nNext update by 14:30 CET."
    )
    assert Announcement.of(words(""), "en").message == "We look."

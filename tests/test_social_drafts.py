"""social.drafts: a post per network for every update, within each network's exact rules."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from twitter_text import parse_tweet

from statuspage.errors import ThemeError
from statuspage.model import Site
from statuspage.model.social import NETWORKS
from statuspage.render.feeds import entry_times
from statuspage.render.views import SiteIndex
from statuspage.social.drafts import POSTMORTEM, Draft, DraftWriter
from statuspage.social.mastodon import mastodon_length
from statuspage.social.networks import NETWORK_TYPES
from statuspage.social.text import ELLIPSIS, grapheme_count
from statuspage.social.xlength import weighted_length
from statuspage.sources.theme import Theme

from . import conftest
from .conftest import NOW, MakeSite, SiteDir

# The test site at a real top-level domain, so that X and Mastodon count its links as 23.
CONFIG = conftest.CONFIG.replace("https://status.test.example", "https://status.example.com")

URL = "https://status.example.com/incidents/api-errors/#update-1"


def incident(message: str, title: str = "Errors on the API", status: str = "investigating") -> str:
    body = textwrap.indent(message, "      ")
    return (
        f"title: {json.dumps(title, ensure_ascii=False)}\n"
        "impact: major\ncomponents: [api]\nupdates:\n"
        f"  - at: 2026-11-23T09:00:00Z\n    status: {status}\n    message: |\n{body}\n"
    )


def site_with(make_site: MakeSite, message: str, social: str = "", **kwargs: str) -> SiteDir:
    return make_site(CONFIG + social, {"api-errors": incident(message, **kwargs)})


def drafts_of(site: SiteDir, number: int = 1) -> dict[str, list[Draft]]:
    loaded = site.load()
    writer = DraftWriter(loaded.config, Theme.load(site.root))
    view = SiteIndex(loaded, NOW).view(loaded.incident("api-errors"))
    found: dict[str, list[Draft]] = {}
    for draft in writer.drafts(view, number):
        found.setdefault(draft.network, []).append(draft)
    return found


def test_each_network_gets_the_status_title_message_and_link(make_site: MakeSite) -> None:
    drafts = drafts_of(
        site_with(make_site, "We are seeing **errors** on [the API](https://a.example).")
    )
    text = f"Investigating: Errors on the API\n\nWe are seeing errors on the API.\n\n{URL}"
    x, mastodon = drafts["x"][0], drafts["mastodon"][0]
    assert x.text == text and mastodon.text == text
    assert x.length.plain() == {
        "value": weighted_length(text),
        "limit": 280,
        "unit": "weighted characters",
    }
    assert x.length.value == parse_tweet(text).weightedLength == 34 + 34 + 23
    assert mastodon.length.value == 34 + 34 + 23  # the link counts 23 on Mastodon too
    assert x.intent == (
        "https://x.com/intent/post?text=Investigating%3A%20Errors%20on%20the%20API%0A%0A"
        "We%20are%20seeing%20errors%20on%20the%20API.%0A%0Ahttps%3A%2F%2Fstatus.example.com"
        "%2Fincidents%2Fapi-errors%2F%23update-1"
    )
    assert mastodon.intent is None  # no instance configured: no one share page for everyone
    bluesky = drafts["bluesky"][0]
    link = "status.example.com/incidents/ap..."
    assert bluesky.text == text.replace(URL, link)
    assert bluesky.length.value == grapheme_count(bluesky.text)
    assert bluesky.intent is not None and "https%3A%2F%2Fstatus.example.com%2Fincidents" in (
        bluesky.intent
    )
    (facet,) = bluesky.facets
    data = bluesky.text.encode("utf-8")
    assert data[facet.byte_start : facet.byte_end].decode("utf-8") == link
    assert facet.uri == URL
    assert facet.plain() == {
        "index": {"byteStart": facet.byte_start, "byteEnd": facet.byte_end},
        "features": [{"$type": "app.bsky.richtext.facet#link", "uri": URL}],
    }


MESSAGES = {
    "english": "We are seeing elevated error rates on the API; retries succeed. " * 3,
    "german": "Die Störung ist behoben: Übertragungen laufen wieder, die Größe sinkt. " * 4,
    "japanese": "ログインできない問題を調査しています。ご迷惑をおかけして申し訳ありません。" * 3,
    "arabic": "نحن نحقق في ارتفاع معدلات الخطأ في واجهة برمجة التطبيقات. " * 4,
    "skin tones": "Fixed 👍🏽👍🏿 thanks to the on-call team 🙌🏻 " * 12,
    "flags and zwj": "Regions 🇩🇪 🇫🇷 🇯🇵 and everyone 👨‍👩‍👧‍👦 🏳️‍🌈 can log in. " * 10,
    "combining marks": "Cafe\u0301 n\u0303 a\u0308 z\u0336\u0301\u0327 " * 30,
    "long urls": "Runbook: https://docs.example.com/runbooks/" + "very-long-path/" * 20 + " ok",
    "hashtags": "Resolved #outage #status #api for @example_support " * 8,
    "far over every limit": "An account of what went wrong, at length. " * 200,
}


@pytest.mark.parametrize("message", MESSAGES.values(), ids=MESSAGES.keys())
def test_x_drafts_are_valid_as_twitter_text_parser_counts_them(
    make_site: MakeSite, message: str
) -> None:
    social = "social:\n  x: {hashtags: [status]}\n"
    for draft in drafts_of(site_with(make_site, message, social))["x"]:
        reference = parse_tweet(draft.text)  # an independent twitter-text, from PyPI
        assert reference.valid and reference.weightedLength == draft.length.value <= 280
        assert draft.text.endswith(f"{URL} #status") or draft.text.endswith(URL)


def test_facets_count_bytes_not_characters(make_site: MakeSite) -> None:
    site = site_with(make_site, "Grüße 👨‍👩‍👧‍👦 🇩🇪 日本語 e\u0301", title="Fehler für alle 🙇🏽")
    (bluesky,) = drafts_of(site)["bluesky"]
    (facet,) = bluesky.facets
    data = bluesky.text.encode("utf-8")
    assert data[facet.byte_start : facet.byte_end] == b"status.example.com/incidents/ap..."
    assert facet.byte_start == len(bluesky.text[: bluesky.text.index("status.")].encode("utf-8"))
    # The family is one grapheme, the flag one, é one (NFC), the bowing person one.
    assert "👨‍👩‍👧‍👦 🇩🇪" in bluesky.text
    assert bluesky.length.value == grapheme_count(bluesky.text)


def test_bluesky_links_the_addresses_a_message_writes_out(make_site: MakeSite) -> None:
    message = "Workaround: https://docs.example.com/runbook (step 2). Not javascript:x or a.b."
    (bluesky,) = drafts_of(site_with(make_site, message))["bluesky"]
    data = bluesky.text.encode("utf-8")
    assert [(data[f.byte_start : f.byte_end].decode(), f.uri) for f in bluesky.facets] == [
        ("https://docs.example.com/runbook", "https://docs.example.com/runbook"),
        ("status.example.com/incidents/ap...", URL),
    ]


def test_markdown_becomes_the_plain_text_a_reader_sees(make_site: MakeSite) -> None:
    message = (
        "## What we know\n\nWe *think* it is the `db-7` node &amp; its disk.\n\n"
        "- writes fail\n- reads are slow\n\n1. first\n2. second\n\n![graph](https://x.example/g.png)"
    )
    (x,) = drafts_of(site_with(make_site, message))["x"]
    assert x.text == (
        "Investigating: Errors on the API\n\n"
        "What we know\n\nWe think it is the db-7 node & its disk.\n\n"
        "• writes fail\n• reads are slow\n\n1. first\n2. second\n\ngraph\n\n"
        f"{URL}"
    )


LONG = " ".join(f"Sentence {n} of a long account of what went wrong." for n in range(1, 40))


def test_a_long_message_is_cut_after_a_word_and_keeps_the_status_title_and_link(
    make_site: MakeSite,
) -> None:
    drafts = drafts_of(site_with(make_site, LONG))
    for name, (draft,) in drafts.items():
        assert draft.text.startswith("Investigating: Errors on the API\n\nSentence 1 of"), name
        head = draft.text.rpartition("\n\n")[0]
        assert head.endswith(ELLIPSIS) and not head.endswith(" " + ELLIPSIS)
        assert LONG.startswith(head.split("\n\n", 1)[1].removesuffix(ELLIPSIS))
        assert draft.length.value <= draft.length.limit
        # Nearly full: a cut a word later would not fit.
        assert draft.length.value > draft.length.limit - 20, name
    assert parse_tweet(drafts["x"][0].text).valid
    assert drafts["x"][0].length.value == parse_tweet(drafts["x"][0].text).weightedLength


def test_a_title_too_long_for_any_post_keeps_its_start(make_site: MakeSite) -> None:
    title = "Very " * 130 + "long title"
    drafts = drafts_of(site_with(make_site, "Short.", title=title))
    for draft in (d for found in drafts.values() for d in found):
        assert draft.text.startswith("Investigating: Very Very")
        assert ELLIPSIS in draft.text and draft.length.value <= draft.length.limit
        assert draft.text.endswith(URL if draft.network != "bluesky" else "ap...")


def test_with_thread_a_long_message_becomes_a_numbered_thread(make_site: MakeSite) -> None:
    social = "social:\n  x: {thread: true, hashtags: [status]}\n  mastodon: {thread: true}\n"
    drafts = drafts_of(site_with(make_site, LONG, social))
    thread = drafts["x"]
    count = len(thread)
    assert 5 < count <= 10
    assert [(d.position, d.count) for d in thread] == [(n, count) for n in range(1, count + 1)]
    assert thread[0].text.startswith("Investigating: Errors on the API\n\nSentence 1 of")
    assert thread[0].text.endswith(f"{URL} #status 1/{count}")
    for n, draft in enumerate(thread[1:], start=2):
        assert draft.text.endswith(f" {n}/{count}") and URL not in draft.text
        assert draft.plain()["thread"] == {"position": n, "of": count, "root": 1, "reply_to": n - 1}
    for draft in thread:
        assert parse_tweet(draft.text).valid
        assert draft.length.value == parse_tweet(draft.text).weightedLength <= 280
    # Every word of the message is in the thread, in order, once.
    words = [w for d in thread for w in d.text.split() if w not in (URL, "#status")]
    said = " ".join(words)
    assert LONG.split()[-3:] == said.split()[-4:-1]
    assert len(drafts["mastodon"]) > 1 and "bluesky" not in drafts  # only where asked


def test_a_postmortem_gets_drafts_of_its_admission(make_site: MakeSite) -> None:
    text = incident("Fixed.", status="resolved") + (
        "postmortem_at: 2026-11-24T10:00:00Z\n"
        "admission: We broke the API for **two hours**. We are sorry.\n"
        "cause: A bad deploy.\nfix: A rollback.\nprevention: Canaries.\n"
    )
    site = make_site(CONFIG, {"api-errors": text})
    loaded = site.load()
    entries = entry_times(loaded.incident("api-errors"))  # the entries that get drafts
    assert [number for _, _, number in entries] == [1, POSTMORTEM]
    (x,) = drafts_of(site, POSTMORTEM)["x"]
    assert x.text == (
        "Postmortem: Errors on the API\n\nWe broke the API for two hours. We are sorry.\n\n"
        "https://status.example.com/incidents/api-errors/#admission"
    )
    assert x.plain()["kind"] == "postmortem" and x.update == POSTMORTEM


HOSTILE = (
    "<script>alert(1)</script> [click](javascript:alert(1)) <javascript:alert(2)>\n\n"
    "Visit \u202egro.elpmaxe\u202c or pay\u200d\u200dpal\u200b.com\u2066x\u2069 now\u2060."
)


def test_hostile_text_comes_out_as_inert_plain_text(make_site: MakeSite) -> None:
    drafts = drafts_of(site_with(make_site, HOSTILE, title="Fix \u202eevil\u202c \u200bnow"))
    for draft in (d for found in drafts.values() for d in found):
        for hidden in "\u202e\u202c\u200d\u200b\u2066\u2069\u2060":
            assert hidden not in draft.text
        assert "<script>alert(1)</script>" in draft.text  # as words, never markup
        assert "click" in draft.text and "(javascript:" not in draft.text
        assert "Visit gro.elpmaxe or paypal.com" in draft.text
        assert draft.text.startswith("Investigating: Fix evil now")
        if draft.network == "bluesky":
            assert [f.uri for f in draft.facets] == [URL]  # the only link the post carries


def test_custom_templates_replace_the_default_and_must_show_the_link(make_site: MakeSite) -> None:
    site = site_with(make_site, "Errors.", "social:\n  x: {handle: '@teststatus'}\n")
    site.write(
        "site-template/social/x.txt",
        "{{ status | upper }} · {{ title }} ({{ components }}) via {{ handle }}\n{{ link }}\n",
    )
    assert drafts_of(site)["x"][0].text == (
        f"INVESTIGATING · Errors on the API (Public API) via @teststatus\n{URL}"
    )
    site.write("site-template/social/x.txt", "{{ status }}: {{ title }}\n")
    with pytest.raises(ThemeError, match=r"site-template/social/x.txt: a post must show its link"):
        drafts_of(site)
    site.write("site-template/social/x.txt", "{{ status }} {{ nonsense }} {{ link }}\n")
    with pytest.raises(ThemeError, match=r"site-template/social/x.txt:1: 'nonsense' is undefined"):
        drafts_of(site)


def test_a_template_that_changes_the_message_is_cut_as_it_renders(make_site: MakeSite) -> None:
    site = site_with(make_site, LONG, "social:\n  x: {}\n")
    # Upper case doubles nothing here, but a filter makes the post differ from the message
    # put in place: the cut is searched again, rendering each candidate.
    site.write("site-template/social/x.txt", "{{ message | upper }} {{ link }}\n")
    (x,) = drafts_of(site)["x"]
    assert x.text.startswith("SENTENCE 1 OF A LONG ACCOUNT") and x.text.endswith(f"… {URL}")
    assert 270 < x.length.value <= 280 == x.length.limit
    site.write("site-template/social/x.txt", "{{ message }}{{ message[:1] }} {{ link }}\n")
    (x,) = drafts_of(site)["x"]
    assert x.text.endswith(f"…S {URL}") and x.length.value <= 280


def test_the_networks_are_one_list() -> None:
    assert tuple(NETWORK_TYPES) == NETWORKS


# -- every draft within its limit, with its link: for any text ---------------------------

ALPHABET = st.sampled_from(
    [
        *"abcdefghijklmnopqrstuvwxyz ABC0123456789.,:/-_@#()\n",
        "ü", "ß", "日本", "語", "مرحبا", "👨‍👩‍👧‍👦", "🇩🇪", "👍🏽", "🧑‍🎄", "e\u0301",
        "\u200d", "\ufe0f",
        "https://", "example.com", ".org/", "www.", "@alice@example.social", "#status", " ",
        "\u202e", "\u200b", "<b>", "*", "`", "[", "](", ")", "\ue000",
    ]
)  # fmt: skip
texts = st.lists(ALPHABET, max_size=400).map("".join)


@pytest.fixture(scope="module")
def any_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Path]:
    root = tmp_path_factory.mktemp("drafts")
    (root / "statuspage.yaml").write_text(
        CONFIG
        + "social:\n  x: {hashtags: [status, outage]}\n"
        + "  mastodon: {thread: true, limit: 500, instance: mastodon.social}\n  bluesky: {}\n",
        encoding="utf-8",
    )
    (root / "incidents").mkdir()
    (root / "incidents" / "api-errors.yaml").write_text(incident("x"), encoding="utf-8")
    return SiteDir(root).load(), root


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(message=texts, title=texts)
def test_every_draft_is_within_its_limit_and_keeps_the_link(
    any_site: tuple[Site, Path], message: str, title: str
) -> None:
    from dataclasses import replace

    from statuspage.model import Update

    site, root = any_site
    original = site.incident("api-errors")
    updates = (replace(original.updates[0], message=message or "x"),)
    changed = replace(original, title=title.strip() or "t", updates=updates)
    loaded = replace(site, details={"api-errors": changed})
    assert isinstance(updates[0], Update)
    writer = DraftWriter(loaded.config, Theme.load(root))
    for draft in writer.drafts(SiteIndex(loaded, NOW).view(changed), 1):
        net = NETWORK_TYPES[draft.network](loaded.config.social.network(draft.network))
        assert draft.length.value <= draft.length.limit, draft
        # Counted again from the text alone: the port is held to twitter-text's JavaScript in
        # test_xlength, and the Mastodon count to Mastodon's own cases in test_mastodon_length.
        if draft.network == "x":
            assert 0 < weighted_length(draft.text) == draft.length.value <= 280
        if draft.network == "mastodon":
            assert 0 < mastodon_length(draft.text) == draft.length.value <= 500
        if draft.network == "bluesky":
            assert len(draft.text.encode("utf-8")) <= 3000
            data = draft.text.encode("utf-8")
            shown = {data[f.byte_start : f.byte_end].decode(): f.uri for f in draft.facets}
            if draft.position == 1:
                assert shown.pop(net.link_text(URL)) == URL
            assert all(text == uri for text, uri in shown.items())  # what the message wrote
        if draft.position == 1:
            assert net.link_text(URL) in draft.text
        assert "\ue000" not in draft.text and "\u202e" not in draft.text

"""The interface in the site's language (statuspage.i18n): which catalog serves a language
tag, the catalogs complete and compiled, messages.pot up to date with the sources, and a
site built in German. (Interface strings made in Python, dates and numbers are still
English: issue 17 is under way.)"""

from __future__ import annotations

import gettext
import gzip
import io
import re
from pathlib import Path

import lxml.html
import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

from statuspage.engine.build import build_site
from statuspage.i18n import LOCALE_DIR, catalog_for, shipped
from statuspage.i18n import language as language_module
from statuspage.render import templates
from statuspage.render.feeds import FEED_WORDS
from tests.conftest import CONFIG, NOW, REPO, MakeSite, example_copy

POT = REPO / "statuspage" / "i18n" / "messages.pot"
CATALOGS = [c for c in shipped() if c != "en"]
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


@pytest.mark.parametrize(
    ("tag", "catalog"),
    [
        ("en", "en"),
        ("en-GB", "en"),
        ("de", "de"),
        ("de-AT", "de"),
        ("pt-BR", "pt_BR"),
        ("pt", "pt_BR"),
        ("zh-Hans", "zh_Hans"),
        ("zh", "zh_Hans"),
        ("zh-CN", "zh_Hans"),
        ("zh-TW", None),  # written in the other script
        ("ar-EG", "ar"),
        ("ja", "ja"),
        ("nl", None),
        ("xx-nonsense", None),
    ],
)
def test_the_catalog_that_serves_a_language_tag(tag: str, catalog: str | None) -> None:
    assert catalog_for(tag) == catalog


def test_a_language_without_a_catalog_is_refused_at_its_line(make_site: MakeSite) -> None:
    site = make_site(CONFIG.replace("timezone: UTC\n", "timezone: UTC\nlanguage: nl\n"))
    problems = site.problems()
    assert len(problems) == 1
    assert problems[0].startswith("statuspage.yaml:4:11: statuspage has no interface in 'nl'")
    tags = ", ".join(c.replace("_", "-") for c in shipped())
    assert f"; it has {tags} (README, 'Languages', says how to add one)" in problems[0]
    assert tags.startswith("en, ") and "de" in tags


def _entries(catalog: str) -> list[tuple[object, object, str | None]]:
    with (LOCALE_DIR / catalog / "LC_MESSAGES" / "statuspage.po").open("rb") as file:
        po = read_po(file)
    return [(m.id, m.string, m.context) for m in po if m.id]


@pytest.mark.parametrize("catalog", CATALOGS)
def test_every_message_is_translated_with_the_same_placeholders(catalog: str) -> None:
    for msgid, msgstr, _ in _entries(catalog):
        ids = msgid if isinstance(msgid, tuple) else (msgid,)
        strings = msgstr if isinstance(msgstr, tuple) else (msgstr,)
        assert all(strings), f"{catalog}: {ids[0]!r} is not translated"
        wanted = set(PLACEHOLDER.findall(ids[-1])) - {"num"}  # a singular may omit the count
        for string in strings:
            assert wanted <= set(PLACEHOLDER.findall(string)), f"{catalog}: {string!r}"
            assert set(PLACEHOLDER.findall(string)) <= set(PLACEHOLDER.findall(ids[-1])), string


def _plain(string: object) -> object:
    return tuple(string) if isinstance(string, list | tuple) else string


@pytest.mark.parametrize("catalog", CATALOGS)
def test_the_compiled_catalog_is_the_po_file_compiled(catalog: str) -> None:
    folder = LOCALE_DIR / catalog / "LC_MESSAGES"
    with (folder / "statuspage.po").open("rb") as file:
        po = {(_plain(m.id), m.context): _plain(m.string) for m in read_po(file) if m.id}
    mo_catalog = read_mo(io.BytesIO((folder / "statuspage.mo").read_bytes()))
    mo = {(_plain(m.id), m.context): _plain(m.string) for m in mo_catalog if m.id}
    assert mo == po, "run: pybabel compile -D statuspage -d statuspage/i18n/locale"


def test_messages_pot_holds_every_interface_string_of_the_sources() -> None:
    found = {
        (message, context)
        for _, _, message, _, context in extract_from_dir(
            str(REPO),
            method_map=[("statuspage/**.py", "python"), ("site-template/**.html", "jinja2")],
            options_map={"site-template/**.html": {"extensions": "jinja2.ext.i18n"}},
            keywords={
                "N_": None,
                "_": None,
                "gettext": None,
                "ngettext": (1, 2),
                "npgettext": ((1, "c"), 2, 3),
            },
        )
    }
    with POT.open("rb") as file:
        pot = {(m.id, m.context) for m in read_po(file) if m.id}
    ids = {(m if isinstance(m, str) else m[0], c) for m, c in found}
    held = {(m if isinstance(m, str) else m[0], c) for m, c in pot}
    assert ids == held, "run pybabel extract and update (README, 'Languages')"
    for catalog in CATALOGS:
        translated = {(m if isinstance(m, str) else m[0], c) for m, _, c in _entries(catalog)}
        assert translated == held, f"run: pybabel update ({catalog})"


def test_a_site_in_german_shows_its_templates_words_in_german(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(CONFIG.replace("timezone: UTC\n", "timezone: UTC\nlanguage: de\n"))
    out = tmp_path / "public"
    build_site(site.root, out, NOW)
    index = lxml.html.parse(str(out / "index.html")).getroot()
    assert index.get("lang") == "de"
    headings = [h.text_content().strip() for h in index.cssselect("h2")]
    assert headings == ["Komponenten", "Vergangene Störungen", "Abonnieren"]
    not_found = lxml.html.parse(str(out / "404.html")).getroot()
    assert not_found.cssselect("h1")[0].text_content() == "Seite nicht gefunden"
    # Back in English, an incremental build writes the English pages again.
    site.write("statuspage.yaml", CONFIG)
    build_site(site.root, out, NOW)
    index = lxml.html.parse(str(out / "index.html")).getroot()
    assert [h.text_content().strip() for h in index.cssselect("h2")][:2] == [
        "Components",
        "Past incidents",
    ]


def test_a_message_without_placeholders_holds_no_percent_escape() -> None:
    # render.templates.Interface shows such a message as written, without `%` formatting.
    with POT.open("rb") as file:
        for message in read_po(file):
            ids = message.id if isinstance(message.id, tuple) else (message.id,)
            for text in ids:
                if text and not re.search(r"%\(\w+\)s", text) and "num" not in text:
                    assert "%" not in text, text


# --- Every language, on the example site ---------------------------------------------------


def _interface_text(page: Path) -> str:
    """The words a page shows of its own, not those of the incidents: the updates' messages
    and the postmortem's sections are what incidents say, in their own language."""
    tree = lxml.html.parse(str(page)).getroot()
    for node in tree.cssselect(".message, .postmortem section > :not(h2):not(.lead)"):
        node.drop_tree()
    return " ".join(tree.text_content().split())


def untranslated(out: Path, catalog: str) -> list[str]:
    """The catalog's messages of three words or more that the pages in `out` show in English
    (a message left untranslated, or shown from a string the catalog never had)."""
    with (LOCALE_DIR / catalog / "LC_MESSAGES" / "statuspage.po").open("rb") as file:
        po = read_po(file)
    english = set()
    for message in po:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in ids:
            plain = re.sub(r"<[^>]+>", "", text)
            for part in re.split(r"%\(\w+\)s|%%", plain):
                if len(part.split()) >= 3 and part.strip() not in strings:
                    english.add(" ".join(part.split()))
    # Labels, which are short: the whole text of the elements that show one.
    labels = {
        message.id
        for message in po
        if isinstance(message.id, str) and message.id and message.string != message.id
    }
    found = set()
    for page in sorted(out.rglob("*.html")):
        shown = _interface_text(page)
        found |= {text for text in english if text in shown}
        tree = lxml.html.parse(str(page)).getroot()
        for node in tree.cssselect(LABELLED):
            if node.text_content().strip() in labels:
                found.add(node.text_content().strip())
    return sorted(found)


# Elements whose whole text is one interface label.
LABELLED = "dt, h2, .status, .tag, .state, .kicker, nav a, summary, th, .bar-legend li"


def _example_in(language: str, root: Path) -> Path:
    example_copy(root)
    config = (REPO / "statuspage.yaml").read_text(encoding="utf-8")
    (root / "statuspage.yaml").write_text(config.replace("language: en", f"language: {language}"))
    build_site(root, root / "public", NOW, use_cache=False)
    return root / "public"


@pytest.mark.parametrize("catalog", CATALOGS)
def test_the_example_site_in_every_language_shows_no_english_interface_words(
    catalog: str, tmp_path: Path
) -> None:
    out = _example_in(catalog.replace("_", "-"), tmp_path)
    assert untranslated(out, catalog) == []
    index = lxml.html.parse(str(out / "index.html")).getroot()
    assert index.get("lang") == catalog.replace("_", "-")
    assert index.get("dir") == ("rtl" if catalog == "ar" else None)
    # The feeds' and the social drafts' scaffolding too.
    translated = {msgid: msgstr for msgid, msgstr, _ in _entries(catalog)}
    english = {
        part.strip()
        for text in FEED_WORDS.values()
        if translated[text] != text  # "Postmortem: %(title)s" is Spanish too
        for part in re.split(r"%\(\w+\)s", text)
        if len(part.strip()) >= 8
    }
    followed = [*out.rglob("feed.*"), *(out / "social").rglob("*")]
    shown = "\n".join(p.read_text(encoding="utf-8") for p in followed if p.is_file())
    assert shown and [text for text in sorted(english) if text in shown] == []
    # Page weight: the index with its stylesheet, as a server sends them, in 14 KB.
    weight = sum(
        len(gzip.compress((out / name).read_bytes(), 9)) for name in ("index.html", "style.css")
    )
    assert weight <= 14 * 1024, weight


def test_an_untranslated_message_is_found(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The check above, proven able to fail: German with a sentence and a label in English.
    import statuspage.i18n as i18n

    real = i18n.translations("de")

    class OneLeftOut(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            if message.startswith("Each bar is one UTC day") or message == "Components":
                return message
            return real.gettext(message)

        def ngettext(self, singular: str, plural: str, n: int) -> str:
            return real.ngettext(singular, plural, n)

        def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
            return real.npgettext(context, singular, plural, n)

    monkeypatch.setattr(templates, "translations", lambda catalog: OneLeftOut())
    monkeypatch.setattr(language_module, "translations", lambda catalog: OneLeftOut())
    language_module.language.cache_clear()
    try:
        out = _example_in("de", tmp_path)
    finally:
        language_module.language.cache_clear()
    found = untranslated(out, "de")
    left_out = (
        "Each bar is one UTC day, oldest on the left, today on the right. Point at a bar for that "
        'day, or see "Day by day".'
    )
    assert "Components" in found  # a label: the heading of the components, in English
    found.remove("Components")
    assert left_out in found and all(text in left_out for text in found), found


def test_german_writes_times_durations_and_numbers_as_german_does() -> None:
    from datetime import UTC, date, datetime, timedelta
    from zoneinfo import ZoneInfo

    de = language_module.language("de")
    berlin = datetime(2026, 11, 20, 14, 10, tzinfo=UTC).astimezone(ZoneInfo("Europe/Berlin"))
    assert de.local_time(berlin) == "20. Nov. 2026, 15:10 CET"
    assert de.day(date(2026, 12, 15)) == "15. Dez. 2026"
    assert de.month(berlin) == "November 2026"
    assert de.duration(timedelta(hours=1, minutes=42)) == "1 Stunde 42 Minuten"
    assert de.duration(timedelta(days=3, hours=4)) == "3 Tage 4 Stunden"
    assert de.duration(timedelta(seconds=20)) == "unter einer Minute"
    assert (de.percent("99.95"), de.ms(1250.0), de.ms(3.4), de.decimal(12500)) == (
        "99,95",
        "1.250 ms",
        "3,4 ms",
        "12.500",
    )
    assert de.direction == "ltr"
    en = language_module.language("en")
    assert (en.local_time(berlin), en.duration(timedelta(hours=1, minutes=42))) == (
        "20 Nov 2026, 15:10 CET",
        "1 hour 42 minutes",
    )


SAID_IN_ENGLISH = """\
title: Errors on the API
language: en
impact: minor
components: [api]
updates:
  - at: 2026-11-23T09:00:00Z
    status: investigating
    message: About one in five requests fails.
"""


def test_an_incident_in_another_language_marks_its_text_so(
    make_site: MakeSite, tmp_path: Path
) -> None:
    german = CONFIG.replace("timezone: UTC\n", "timezone: UTC\nlanguage: de\n")
    site = make_site(german, incidents={"errors": SAID_IN_ENGLISH})
    out = tmp_path / "public"
    build_site(site.root, out, NOW)
    page = lxml.html.parse(str(out / "incidents/errors/index.html")).getroot()
    assert page.get("lang") == "de"  # the interface's
    marked = [(e.tag, e.get("class")) for e in page.iter() if e.get("lang") == "en"]
    assert marked == [("h1", None), ("div", "message")]
    assert page.cssselect("dt")[0].get("lang") is None  # "Status": the interface's words
    # Written in the site's language, nothing is marked.
    site.write("statuspage.yaml", CONFIG)
    build_site(site.root, out, NOW)
    page = lxml.html.parse(str(out / "incidents/errors/index.html")).getroot()
    assert [e for e in page.iter() if e.get("lang") and e.tag != "html"] == []


def test_an_incident_language_must_be_a_tag(make_site: MakeSite) -> None:
    site = make_site(incidents={"errors": SAID_IN_ENGLISH.replace("en\n", "English\n", 1)})
    assert site.problems() == [
        "incidents/errors.yaml:2:11: 'language' must be a language tag such as en or pt-BR, "
        "not 'English'"
    ]

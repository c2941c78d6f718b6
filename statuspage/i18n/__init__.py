"""The interface in the reader's language: gettext catalogs managed with Babel.

Every interface string of the theme and of the pages' Python parts is English in the source
and marked for translation (`_("...")` in templates, `gettext` here); `pybabel extract`
collects them into `messages.pot`, each language's `locale/<id>/LC_MESSAGES/statuspage.po`
translates them, and `pybabel compile` makes the `.mo` files the wheel ships (see the
README's "Languages"). English needs no catalog: it is the source.

`language:` in statuspage.yaml is a language tag (de, pt-BR, zh-Hans); `catalog_for` finds
the shipped catalog that serves it.
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import re
from pathlib import Path

LOCALE_DIR = Path(__file__).parent / "locale"
LANGUAGE_TAG = re.compile(r"[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*")  # BCP 47, loosely
DOMAIN = "statuspage"
SOURCE_LANGUAGE = "en"


def N_(message: str) -> str:
    """Marks `message` for extraction where it is translated later, by whoever shows it."""
    return message


@functools.cache
def shipped() -> tuple[str, ...]:
    """The catalogs statuspage ships, by Babel locale id (pt_BR, zh_Hans), English first."""
    found = sorted(p.parent.parent.name for p in LOCALE_DIR.glob(f"*/LC_MESSAGES/{DOMAIN}.mo"))
    return (SOURCE_LANGUAGE, *found)


def catalog_for(tag: str) -> str | None:
    """The shipped catalog for the language tag `tag`, or None if none serves it.

    An exact match first (pt-BR: pt_BR), then the language's own (de-AT: de), then the one
    catalog of that language if there is only one (pt: pt_BR; zh, zh-CN: zh_Hans, but
    not zh-TW, which is written in the other script).
    """
    available = shipped()
    if tag.replace("-", "_") in available:  # without Babel, whose import costs a no-op build
        return tag.replace("-", "_")
    from babel import Locale, UnknownLocaleError

    try:
        wanted = Locale.parse(tag, sep="-")
    except (ValueError, UnknownLocaleError):
        return None
    if str(wanted) in available:
        return str(wanted)
    if wanted.language in available:
        return wanted.language
    same = [Locale.parse(a) for a in available if Locale.parse(a).language == wanted.language]
    if wanted.script is not None:  # Babel gives zh-CN Hans, zh-TW Hant: never the other
        same = [a for a in same if a.script in (None, wanted.script)]
    return str(same[0]) if len(same) == 1 else None


def interface_catalog(tag: str) -> str:
    """The catalog a site whose `language:` is `tag` shows its interface in; the config
    reader refuses a tag no catalog serves, so English stands in only for such a config
    made in code."""
    return catalog_for(tag) or SOURCE_LANGUAGE


@functools.cache
def catalog_digest(catalog: str) -> str:
    """A digest of the compiled catalog, for the keys of the pages it translates."""
    if catalog == SOURCE_LANGUAGE:
        return SOURCE_LANGUAGE
    data = (LOCALE_DIR / catalog / "LC_MESSAGES" / f"{DOMAIN}.mo").read_bytes()
    return hashlib.sha256(data).hexdigest()[:16]


@functools.cache
def translations(catalog: str) -> gettext.NullTranslations:
    """The translations of one shipped catalog (`catalog_for`'s answer); English: none."""
    if catalog == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    with (LOCALE_DIR / catalog / "LC_MESSAGES" / f"{DOMAIN}.mo").open("rb") as file:
        return gettext.GNUTranslations(file)

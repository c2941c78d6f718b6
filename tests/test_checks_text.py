"""The rules about what incidents say: admission-apology, admission-scope,
resolution-impact, jargon, blame and vague (statuspage.checks.text), each firing and not,
at the words in the file, and silenced."""

from __future__ import annotations

from datetime import UTC, datetime

from tests.conftest import CONFIG, MakeSite
from tests.test_checks_timeliness import warnings_of

NOW = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)

GOOD = """\
title: Errors on the API
impact: major
components: [api]
updates:
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: |
      About one in five requests to the API fails. We are investigating.
  - at: 2026-11-20T15:00:00Z
    status: resolved
    message: |
      Error rates are back to normal. No data was lost.
admission: |
  From 14:02 to 14:52 UTC about 20 % of API requests failed. We are sorry.
"""


def test_good_text_has_no_warning(make_site: MakeSite) -> None:
    assert warnings_of(make_site(incidents={"errors": GOOD}), NOW) == []


def test_an_admission_without_sorry(make_site: MakeSite) -> None:
    text = GOOD.replace(" We are sorry.", "")
    site = make_site(incidents={"errors": text})
    assert warnings_of(site, NOW) == [
        "incidents/errors.yaml:13:12: warning[admission-apology]: the admission of a major "
        "incident does not apologise; say sorry, plainly, to those it let down"
    ]
    site.incident("errors", text.replace("impact: major", "impact: minor"))
    assert warnings_of(site, NOW) == []  # owed by major and critical incidents


def test_an_admission_without_how_long_or_how_many(make_site: MakeSite) -> None:
    text = GOOD.replace("From 14:02 to 14:52 UTC about 20 % of API requests failed.", "It broke.")
    site = make_site(incidents={"errors": text})
    assert warnings_of(site, NOW) == [
        "incidents/errors.yaml:13:12: warning[admission-scope]: the admission does not say how "
        "long it lasted (such as '50 minutes' or 'from 14:05 to 14:55') nor how many it "
        "affected (a number or share, such as '12 % of requests' or 'about 300 customers')"
    ]
    only_long = GOOD.replace("about 20 % of API requests failed", "requests failed")
    site.incident("errors", only_long)
    assert warnings_of(site, NOW) == [
        "incidents/errors.yaml:13:12: warning[admission-scope]: the admission does not say how "
        "many it affected (a number or share, such as '12 % of requests' or 'about 300 "
        "customers')"
    ]


def test_a_resolution_silent_on_data(make_site: MakeSite) -> None:
    text = GOOD.replace(" No data was lost.", "")
    site = make_site(incidents={"errors": text})
    assert warnings_of(site, NOW) == [
        "incidents/errors.yaml:11:14: warning[resolution-impact]: the resolving update does not "
        "say whether data was lost or any impact remains; say so, such as 'No data was lost' "
        "or what customers must do"
    ]
    site.incident("errors", text.replace("impact: major", "impact: none"))
    assert warnings_of(site, NOW) == []  # nothing was affected: nothing to say of it


def test_jargon_is_found_at_its_words(make_site: MakeSite) -> None:
    text = GOOD.replace(
        "About one in five requests to the API fails.",
        "About one in five requests fails with HTTP 503 on db-03.internal.",
    )
    site = make_site(incidents={"errors": text})
    assert warnings_of(site, NOW) == [
        "incidents/errors.yaml:8:45: warning[jargon]: 'HTTP 503' is an HTTP status code; say "
        'what readers saw instead, such as "pages failed to load"',
        "incidents/errors.yaml:8:57: warning[jargon]: 'db-03.internal' is a host name; name the "
        'service readers know instead, such as "the database"',
    ]


def test_the_glossary_names_internal_words(make_site: MakeSite) -> None:
    text = GOOD.replace("We are investigating.", "Kraken is down.")
    site = make_site(incidents={"errors": text})
    assert warnings_of(site, NOW) == []
    site.write("statuspage.yaml", CONFIG + "checks:\n  jargon: {glossary: [kraken]}\n")
    assert warnings_of(site, NOW) == [
        "incidents/errors.yaml:8:52: warning[jargon]: 'Kraken' is in the internal glossary; use "
        "the name readers know"
    ]


def test_blame_without_owning_it(make_site: MakeSite) -> None:
    text = GOOD.replace(
        "Error rates are back to normal.",
        "This was due to an issue with our cloud provider.",
    )
    site = make_site(incidents={"errors": text})
    assert warnings_of(site, NOW) == [
        "incidents/errors.yaml:12:16: warning[blame]: 'due to an issue with our cloud provider' "
        "pins the fault on a supplier; say what we will change so that their failure does not "
        "become ours"
    ]
    owned = text.replace("cloud provider.", "cloud provider; choosing one region was our mistake.")
    site.incident("errors", owned)
    assert warnings_of(site, NOW) == []


def test_vague_boilerplate(make_site: MakeSite) -> None:
    text = GOOD.replace(
        "About one in five requests to the API fails.", "Some users may experience issues."
    )
    site = make_site(incidents={"errors": text})
    assert warnings_of(site, NOW) == [
        "incidents/errors.yaml:8:7: warning[vague]: 'Some users may experience issues' is "
        "vague; say who is affected and how (a number or share, a region, a feature)"
    ]
    scoped = text.replace("issues.", "issues: about 300 customers in the EU cannot sign in.")
    site.incident("errors", scoped)
    assert warnings_of(site, NOW) == []


def test_each_text_rule_is_silenced_by_its_comment(make_site: MakeSite) -> None:
    text = GOOD.replace(
        "About one in five requests to the API fails.", "Some users may experience issues."
    ).replace(
        "    message: |\n      Some",
        "    message: |  # statuspage: ignore[vague] quoted\n      Some",
    )
    site = make_site(incidents={"errors": text})
    assert warnings_of(site, NOW) == []
    text = text.replace("ignore[vague]", "ignore[jargon]")
    site.incident("errors", text)
    assert [w.split(": warning")[1].split("]")[0] for w in warnings_of(site, NOW)] == ["[vague"]

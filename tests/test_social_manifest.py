"""social.manifest: social/manifest.json, the drafts of open and recent updates, planned by key."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from statuspage.engine.build import build_site
from statuspage.errors import OutputError
from statuspage.render.outputs import SiteRenderer
from statuspage.render.views import IncidentView
from statuspage.social.drafts import Draft, DraftWriter
from statuspage.social.manifest import MANIFEST
from statuspage.sources.theme import Theme
from tests.conftest import API_OUTAGE, CONFIG, NOW, OPEN, RESOLVED, MakeSite, SiteDir, cold_build

# Resolved 2026-10-01: older than 30 days at NOW.
OLD = RESOLVED.replace("2026-11-20", "2026-10-01")
POSTMORTEM = RESOLVED + (
    "postmortem_at: 2026-11-21T09:00:00Z\nadmission: We broke the API. Sorry.\n"
    "cause: A bad deploy.\nfix: We rolled it back.\nprevention: Canary deploys.\n"
)


def manifest(site: SiteDir, now: object = NOW) -> dict[str, object]:
    out = site.root / "public"
    build_site(site.root, out, now)  # type: ignore[arg-type]
    document: dict[str, object] = json.loads((out / MANIFEST).read_bytes())
    return document


def test_the_manifest_holds_open_and_recent_entries_newest_first(make_site: MakeSite) -> None:
    site = make_site(incidents={"webhooks": OPEN, "db": POSTMORTEM, "old": OLD})
    document = manifest(site)
    assert document["version"] == 1 and document["days"] == 30
    assert document["site"] == "https://status.test.example/"
    assert document["networks"] == [
        {"name": "x", "title": "X", "limit": 280, "unit": "weighted characters"},
        {"name": "mastodon", "title": "Mastodon", "limit": 500, "unit": "characters"},
        {"name": "bluesky", "title": "Bluesky", "limit": 300, "unit": "graphemes"},
    ]
    drafts = document["drafts"]
    assert isinstance(drafts, list)
    entries = [(d["incident"], d["update"], d["network"]) for d in drafts]
    assert entries == [
        (incident, number, network)
        for incident, number in [("webhooks", 1), ("db", 0), ("db", 2), ("db", 1)]
        for network in ("x", "mastodon", "bluesky")
    ]
    first = drafts[0]
    assert first["text"] == (
        "Investigating: Webhooks delayed\n\nDeliveries are late.\n\n"
        "https://status.test.example/incidents/webhooks/#update-1"
    )
    assert first["url"] == "https://status.test.example/incidents/webhooks/#update-1"
    assert first["kind"] == "update" and first["length"]["limit"] == 280
    assert first["thread"] == {"position": 1, "of": 1, "root": None, "reply_to": None}
    assert drafts[3]["kind"] == "postmortem"
    assert drafts[3]["url"] == "https://status.test.example/incidents/db/#admission"
    assert "facets" not in first and drafts[2]["facets"][0]["index"]["byteEnd"] > 0


def test_an_open_incident_older_than_the_window_is_still_covered(make_site: MakeSite) -> None:
    site = make_site(incidents={"webhooks": OPEN})
    later = NOW + timedelta(days=90)
    drafts = manifest(site, later)["drafts"]
    assert isinstance(drafts, list) and {d["incident"] for d in drafts} == {"webhooks"}


def test_no_networks_no_manifest(make_site: MakeSite) -> None:
    site = make_site(config=CONFIG + "social:\n  networks: []\n", incidents={"webhooks": OPEN})
    build_site(site.root, site.root / "public", NOW)
    assert not (site.root / "public" / "social").exists()


def test_the_manifest_depends_only_on_the_entries_it_holds(make_site: MakeSite) -> None:
    site = make_site(incidents={"webhooks": OPEN, "old": OLD})

    def key() -> str:
        loaded = site.load()
        renderer = SiteRenderer(loaded, NOW, Theme.load(site.root))
        (job,) = [job for job in renderer.plan() if job.path == MANIFEST]
        assert job.needs == ("webhooks",)
        return job.key

    before = key()
    site.incident("old", OLD.replace("Fixed.", "Fixed for good."))
    assert key() == before  # outside the window: the manifest is not rendered again
    site.incident("webhooks", OPEN.replace("late.", "very late."))
    assert key() != before
    edited = key()
    site.write("site-template/social/x.txt", "{{ title }} {{ link }}\n")
    assert key() != edited  # a template of the drafts


def test_a_social_template_changes_no_page(make_site: MakeSite) -> None:
    site = make_site(incidents={"webhooks": OPEN})
    theme = Theme.load(site.root)
    site.write("site-template/social/x.txt", "{{ title }} {{ link }}\n")
    changed = Theme.load(site.root)
    assert changed.digest == theme.digest  # what page keys depend on
    assert changed.text_digest != theme.text_digest
    assert "social/x.txt" not in changed.assets  # a template, never copied to the output


def test_an_incremental_build_writes_what_a_cold_build_writes(make_site: MakeSite) -> None:
    site = make_site(incidents={"webhooks": OPEN, "db": POSTMORTEM})
    out = site.root / "public"
    build_site(site.root, out, NOW)
    site.incident("webhooks", OPEN.replace("late.", "late by 20 minutes."))
    site.write("site-template/social/bluesky.txt", "{{ status }} · {{ title }} {{ link }}\n")
    build_site(site.root, out, NOW)
    built = (out / MANIFEST).read_bytes()
    assert built == cold_build(site, NOW)[MANIFEST]
    assert "late by 20 minutes." in built.decode()
    assert "Investigating · Webhooks delayed status.test.example" in built.decode()


def test_an_edit_drafts_only_the_edited_incident_again(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(incidents={"webhooks": OPEN, "db": POSTMORTEM, "api": API_OUTAGE})
    out = site.root / "public"
    drafted: list[tuple[str, int]] = []
    drafts = DraftWriter.drafts

    def counting(self: DraftWriter, view: IncidentView, number: int) -> list[Draft]:
        drafted.append((view.incident.id, number))
        return drafts(self, view, number)

    monkeypatch.setattr(DraftWriter, "drafts", counting)
    build_site(site.root, out, NOW, workers=1)
    assert sorted(drafted) == [
        ("api", 1),
        ("api", 2),
        ("db", 0),
        ("db", 1),
        ("db", 2),
        ("webhooks", 1),
    ]
    drafted.clear()
    site.incident("webhooks", OPEN.replace("late.", "late by 20 minutes."))
    build_site(site.root, out, NOW, workers=1)
    assert drafted == [("webhooks", 1)]  # the others' drafts come from the stash
    assert (out / MANIFEST).read_bytes() == cold_build(site, NOW)[MANIFEST]
    # A stash that is not as it was written is never trusted: the build says so, removes
    # it, and the next one drafts again.
    stash = site.root / ".statuspage-cache" / "stash" / "social"
    for kept in stash.iterdir():
        kept.write_bytes(b"{not json")
    drafted.clear()
    site.incident("webhooks", OPEN.replace("late.", "late by 30 minutes."))
    with pytest.raises(OutputError, match=r"stash/social/\w+: the stashed drafts of incident"):
        build_site(site.root, out, NOW, workers=1)
    build_site(site.root, out, NOW, workers=1)
    assert sorted(set(drafted)) == [
        ("api", 1), ("api", 2), ("db", 0), ("db", 1), ("db", 2), ("webhooks", 1),
    ]  # fmt: skip
    assert (out / MANIFEST).read_bytes() == cold_build(site, NOW)[MANIFEST]


def test_the_incidents_in_the_stash_are_not_loaded(make_site: MakeSite) -> None:
    site = make_site(incidents={"webhooks": OPEN, "db": POSTMORTEM})
    build_site(site.root, site.root / "public", NOW)

    def needs() -> tuple[str, ...]:
        renderer = SiteRenderer(
            site.load(), NOW, Theme.load(site.root), stashes=site.root / ".statuspage-cache/stash"
        )
        (job,) = [job for job in renderer.plan() if job.path == MANIFEST]
        return job.needs

    assert needs() == ()
    site.incident("webhooks", OPEN.replace("late.", "late by 20 minutes."))
    assert needs() == ("webhooks",)

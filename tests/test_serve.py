"""The preview server: serves the built site, rebuilds on change, shows problems."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from statuspage.serve.preview import PreviewServer
from tests.conftest import NOW, RESOLVED, MakeSite, SiteDir, fetch, wait_for


@pytest.fixture
def served(make_site: MakeSite) -> Iterator[tuple[SiteDir, PreviewServer]]:
    site = make_site(incidents={"db": RESOLVED})
    messages: list[str] = []
    preview = PreviewServer(site.root, port=0, now=NOW, report=messages.append)
    preview.start()
    try:
        yield site, preview
    finally:
        preview.stop()


def test_serves_the_site_and_rebuilds_on_change(served: tuple[SiteDir, PreviewServer]) -> None:
    site, preview = served
    status, body = fetch(preview.url + "incidents/db/")
    assert status == 200
    assert "<h1>Elevated error rates</h1>" in body
    site.incident("db", RESOLVED.replace("Elevated error rates", "Fewer errors"))
    wait_for(lambda: "<h1>Fewer errors</h1>" in fetch(preview.url + "incidents/db/")[1])
    assert not (site.root / "public").exists()  # previews never touch the real output


def test_shows_problems_over_the_last_good_site_until_they_are_fixed(
    served: tuple[SiteDir, PreviewServer],
) -> None:
    site, preview = served
    site.incident("db", RESOLVED.replace("status: resolved", "status: fixed"))
    wait_for(lambda: "statuspage-problems" in fetch(preview.url)[1])
    status, body = fetch(preview.url + "incidents/db/")
    assert status == 200 and "<h1>Elevated error rates</h1>" in body  # the last good site
    assert "incidents/db.yaml:9:13: unknown status &#x27;fixed&#x27;" in body
    assert body.index('id="statuspage-problems"') < body.index("</body>")
    site.incident("db", RESOLVED)
    wait_for(lambda: "statuspage-problems" not in fetch(preview.url)[1])


def test_a_site_never_built_shows_its_problems(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED.replace("status: resolved", "status: fixed")})
    preview = PreviewServer(site.root, port=0, now=NOW, report=lambda _: None)
    preview.start()
    try:
        status, body = fetch(preview.url)
        assert status == 500 and "<h1>The site has a problem</h1>" in body
        assert "unknown status &#x27;fixed&#x27;" in body
    finally:
        preview.stop()


def test_what_serve_adds_is_never_in_the_build(served: tuple[SiteDir, PreviewServer]) -> None:
    _, preview = served
    assert 'new EventSource("/_events")' in fetch(preview.url)[1]
    for page in preview.out.rglob("*.html"):
        assert "EventSource" not in page.read_text()


def test_unknown_paths_get_the_site_404_page(served: tuple[SiteDir, PreviewServer]) -> None:
    _, preview = served
    status, body = fetch(preview.url + "no/such/page/")
    assert status == 404
    assert "<h1>Page not found</h1>" in body


def test_only_inputs_are_watched(served: tuple[SiteDir, PreviewServer]) -> None:
    site, preview = served
    assert {Path(e.watch.path) for e in preview._observer.emitters} == {
        site.root,
        site.root / "incidents",
    }
    site.write("site-template/logo.svg", "<svg/>")  # a theme folder made while serving
    wait_for(lambda: fetch(preview.url + "logo.svg")[0] == 200)
    assert {Path(e.watch.path) for e in preview._observer.emitters} == {
        site.root,
        site.root / "incidents",
        site.root / "site-template",
    }


def test_an_input_folder_linked_out_of_the_site_is_not_watched(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site()
    outside = tmp_path / "outside"
    (outside / "deep" / "deeper").mkdir(parents=True)
    (site.root / "incidents").symlink_to(outside)
    messages: list[str] = []
    preview = PreviewServer(site.root, port=0, now=NOW, report=messages.append)
    preview.start()
    try:
        assert {Path(e.watch.path) for e in preview._observer.emitters} == {site.root}
        assert messages == [
            f"incidents: symlink to {outside} points outside the site; "
            "replace it with the folder itself\nFound 1 problem in 1 file."
        ]
    finally:
        preview.stop()


def test_an_input_folder_linked_within_the_site_is_watched(make_site: MakeSite) -> None:
    site = make_site()
    site.incident("db", RESOLVED, folder="common/incidents")
    (site.root / "incidents").symlink_to("common/incidents")
    preview = PreviewServer(site.root, port=0, now=NOW, report=lambda _: None)
    preview.start()
    try:
        assert "<h1>Elevated error rates</h1>" in fetch(preview.url + "incidents/db/")[1]
        site.incident("db", RESOLVED.replace("Elevated error rates", "Fewer errors"), "incidents")
        wait_for(lambda: "<h1>Fewer errors</h1>" in fetch(preview.url + "incidents/db/")[1])
    finally:
        preview.stop()


def test_the_drafts_page_shows_the_latest_drafts_with_their_links(make_site: MakeSite) -> None:
    from tests.conftest import OPEN

    site = make_site(incidents={"webhooks": OPEN, "db": RESOLVED})
    preview = PreviewServer(site.root, port=0, now=NOW, report=lambda _: None)
    preview.start()
    try:
        status, body = fetch(preview.drafts_url)
        assert status == 200
        assert "<h1>Drafts for social networks</h1>" in body
        assert "webhooks, update 1" in body and "db, update 2" in body
        assert '<a href="/incidents/webhooks/#update-1">' in body  # the page on this preview
        assert "<h3>X <small>(" in body and "<h3>Bluesky <small>(" in body
        assert "db, update 1" not in body  # the latest entry of each incident only
        assert "<pre>Investigating: Webhooks delayed\n\nDeliveries are late.\n\n" in body
        assert 'href="https://x.com/intent/post?text=Investigating%3A%20Webhooks' in body
        assert not (preview.out / "_drafts").exists()  # never part of the build
        site.incident("webhooks", OPEN.replace("late.", "late &amp; <slow>."))
        wait_for(lambda: "late &amp; &lt;slow&gt;." in fetch(preview.drafts_url)[1])
    finally:
        preview.stop()

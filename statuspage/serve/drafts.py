"""The preview's drafts page (`/_drafts/`): what would be posted next, beside the page being
edited. Made from the built `social/manifest.json`, so it shows exactly the drafts a build
makes; never part of a build's output."""

from __future__ import annotations

import html
import json
from pathlib import Path
from typing import Any

from ..social.manifest import MANIFEST

DRAFTS_PATH = "/_drafts/"
SHOWN_ENTRIES = 20  # the latest entry of each incident, newest first, at most this many


def drafts_page(manifest: bytes | None) -> bytes:
    """The drafts page for the manifest's bytes (None: the site writes no drafts)."""
    if manifest is None:
        body = (
            "<p>This site writes no drafts: <code>social.networks</code> in "
            "<code>statuspage.yaml</code> lists no network.</p>"
        )
        return _page(body)
    document = json.loads(manifest)
    latest: dict[tuple[str, int], list[dict[str, Any]]] = {}
    seen: set[str] = set()
    for record in document["drafts"]:  # newest entry first
        entry = (record["incident"], record["update"])
        if entry not in latest and (record["incident"] in seen or len(latest) >= SHOWN_ENTRIES):
            continue
        seen.add(record["incident"])
        latest.setdefault(entry, []).append(record)
    if not latest:
        body = (
            f"<p>No drafts: no incident is open and none was updated in the last "
            f"{int(document['days'])} days.</p>"
        )
        return _page(body)
    titles = {net["name"]: net["title"] for net in document["networks"]}
    site = document["site"]
    sections = [_entry(records, titles, site) for records in latest.values()]
    intro = (
        "<p>The latest update of each open or recent incident, as each network will take it. "
        "An intent link opens the post ready to send; nothing is posted from here.</p>"
    )
    return _page(intro + "\n".join(sections))


def _entry(records: list[dict[str, Any]], titles: dict[str, str], site: str) -> str:
    first = records[0]
    which = "postmortem" if first["kind"] == "postmortem" else f"update {int(first['update'])}"
    heading = f"{html.escape(first['incident'])}, {which}"
    url = first["url"]
    here = "/" + url.removeprefix(site) if url.startswith(site) else url  # on this preview
    drafts = "\n".join(_draft(record, titles) for record in records)
    return f'<section>\n<h2><a href="{html.escape(here)}">{heading}</a></h2>\n{drafts}\n</section>'


def _draft(record: dict[str, Any], titles: dict[str, str]) -> str:
    length = record["length"]
    about = f"{int(length['value'])} of {int(length['limit'])} {html.escape(length['unit'])}"
    thread = record["thread"]
    if int(thread["of"]) > 1:
        about += f", post {int(thread['position'])} of {int(thread['of'])}"
    intent = record["intent"]
    action = (
        f'<a href="{html.escape(intent)}">Open it ready to post</a>'
        if intent
        else "No share link: set <code>social.mastodon.instance</code>."
    )
    return (
        f"<article>\n<h3>{html.escape(titles.get(record['network'], record['network']))} "
        f"<small>({about})</small></h3>\n"
        f"<pre>{html.escape(record['text'])}</pre>\n<p>{action}</p>\n</article>"
    )


def _page(body: str) -> bytes:
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head><meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>Drafts for social networks</title>\n"
        '<link rel="stylesheet" href="/style.css">\n'
        "<style>pre{white-space:pre-wrap;overflow-wrap:anywhere}</style></head>\n"
        "<body>\n<main>\n<h1>Drafts for social networks</h1>\n"
        f"{body}\n</main>\n</body>\n</html>\n"
    ).encode()


def manifest_of(out: Path) -> bytes | None:
    """The built manifest in the output folder `out`, or None when the build made none."""
    try:
        return (out / MANIFEST).read_bytes()
    except FileNotFoundError:
        return None

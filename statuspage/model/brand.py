"""The site's own face, from `brand:` in statuspage.yaml: its logo, accent colours and home."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Brand:
    """What the pages show of the company: a logo, accent colours and a link back.

    `logo_svg` is markup made by the reader (sources.brandconfig): sanitised and with every
    value escaped, so templates inline it as it is. Its digest is in the config's, so pages
    follow a changed logo file.
    """

    logo_svg: str | None = None  # an <svg role="img" aria-label=...> element
    logo_alt: str | None = None
    accent: str | None = None  # #rrggbb, for light mode: links, focus rings, the header's bar
    accent_dark: str | None = None  # #rrggbb, for dark mode; given or derived when accent is
    link: str | None = None  # the company's own site, http or https
    link_text: str | None = None  # what the link says; by default the link's host name

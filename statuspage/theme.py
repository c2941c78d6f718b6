"""The theme: templates and static files, the site's own overriding the default ones by name."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

THEME_DIR = "site-template"
TEMPLATE_SUFFIX = ".html"


def default_theme_dir() -> Path:
    """The default theme: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parent
    for candidate in (package / THEME_DIR, package.parent / THEME_DIR):
        if (candidate / "base.html").is_file():
            return candidate
    raise FileNotFoundError(f"the default theme ({THEME_DIR}/) is missing from {package}")


@dataclass(frozen=True, slots=True)
class Theme:
    """Template sources by name and static files by output path, read once per build.

    `origins` tells where each template came from, for error messages.
    """

    templates: dict[str, str]
    assets: dict[str, bytes]
    origins: dict[str, str]

    @property
    def digest(self) -> str:
        """Changes whenever any template or static file does."""
        hasher = hashlib.blake2b(digest_size=16)
        for name in sorted(self.templates):
            hasher.update(f"{name}\0{self.templates[name]}\0".encode())
        for name in sorted(self.assets):
            hasher.update(name.encode() + b"\0" + self.assets[name] + b"\0")
        return hasher.hexdigest()

    @classmethod
    def load(cls, site_root: Path) -> Theme:
        """The default theme, with any file of the same name in site_root/site-template over it."""
        templates: dict[str, str] = {}
        assets: dict[str, bytes] = {}
        origins: dict[str, str] = {}
        default = default_theme_dir()
        for directory in (default, site_root / THEME_DIR):
            if not directory.is_dir():
                continue
            shown = f"{THEME_DIR} (default theme)" if directory == default else THEME_DIR
            for path in sorted(directory.rglob("*")):
                relative = path.relative_to(directory)
                if not path.is_file() or any(p.startswith(".") for p in relative.parts):
                    continue
                name = relative.as_posix()
                if path.suffix == TEMPLATE_SUFFIX:
                    templates[name] = path.read_text(encoding="utf-8")
                    origins[name] = f"{shown}/{name}"
                else:
                    assets[name] = path.read_bytes()
        return cls(templates=templates, assets=assets, origins=origins)

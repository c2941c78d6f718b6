"""The theme: templates and static files, the site's own overriding the default ones by name."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ThemeError

if TYPE_CHECKING:
    from .inputs import InputFile

THEME_DIR = "site-template"
TEMPLATE_SUFFIX = ".html"
TEXT_TEMPLATE_DIR = "social/"  # plain-text templates: the social drafts, one per network
TEXT_TEMPLATE_SUFFIX = ".txt"


def default_theme_dir() -> Path:
    """The default theme: inside the installed package, or beside it in a source checkout."""
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / THEME_DIR, package.parent / THEME_DIR):
        if (candidate / "base.html").is_file():
            return candidate
    raise FileNotFoundError(f"the default theme ({THEME_DIR}/) is missing from {package}")


@dataclass(frozen=True, slots=True)
class Theme:
    """Template sources by name and static files by output path, read once per build.

    `texts` are the plain-text templates (social/x.txt...), which are never written out and
    which no page reads: `digest` leaves them out, so editing one re-renders no page, and
    `text_digest` covers them. `origins` tells where each template came from, for messages.
    """

    templates: dict[str, str]
    assets: dict[str, bytes]
    origins: dict[str, str]
    texts: dict[str, str] = field(default_factory=dict)
    digest: str = field(init=False)  # changes whenever any page template or static file does
    text_digest: str = field(init=False)  # changes whenever any plain-text template does

    def __post_init__(self) -> None:
        hasher = hashlib.blake2b(digest_size=16)
        for name in sorted(self.templates):
            hasher.update(f"{name}\0{self.templates[name]}\0".encode())
        for name in sorted(self.assets):
            hasher.update(name.encode() + b"\0" + self.assets[name] + b"\0")
        object.__setattr__(self, "digest", hasher.hexdigest())
        texts = hashlib.blake2b(digest_size=16)
        for name in sorted(self.texts):
            texts.update(f"{name}\0{self.texts[name]}\0".encode())
        object.__setattr__(self, "text_digest", texts.hexdigest())

    @classmethod
    def read(cls, files: Iterable[InputFile]) -> Theme:
        """The theme made of the scanned theme files: the default ones, then the site's own.

        A file's name is its path below its theme folder; a later file of the same name
        replaces an earlier one. Raises ThemeError for a file that cannot be read, or a
        template that is not UTF-8.
        """
        templates: dict[str, str] = {}
        assets: dict[str, bytes] = {}
        origins: dict[str, str] = {}
        texts: dict[str, str] = {}
        for entry in files:
            name = entry.display.split("/", 1)[1]
            try:
                data = Path(entry.path).read_bytes()
            except OSError as error:
                raise ThemeError(
                    f"{entry.display}: cannot be read: {error.strerror}; give the user who runs "
                    f"statuspage read access, or remove it"
                ) from None
            if name.endswith(TEMPLATE_SUFFIX):
                templates[name] = _template_text(entry.display, data)
                origins[name] = entry.display
            elif name.startswith(TEXT_TEMPLATE_DIR) and name.endswith(TEXT_TEMPLATE_SUFFIX):
                texts[name] = _template_text(entry.display, data)
                origins[name] = entry.display
            else:
                assets[name] = data
        return cls(templates=templates, assets=assets, origins=origins, texts=texts)

    @classmethod
    def load(cls, site_root: Path) -> Theme:
        """The default theme, with any file of the same name in site_root/site-template over it."""
        from .inputs import THEME, find

        return cls.read(find(site_root, THEME))


def _template_text(display: str, data: bytes) -> str:
    """A template's text; ThemeError naming where it stops being UTF-8, as for any input."""
    # Here, not at the top: the scan imports this module, and a build with nothing to do
    # never loads YAML.
    from .textfile import decode
    from .yamlio import SourceFile

    file = SourceFile(display)
    text = decode(data, file)
    if text is None:
        raise ThemeError(str(file.problems[0]))
    return text

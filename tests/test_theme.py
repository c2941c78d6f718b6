"""The default theme ships inside the wheel, so an installed statuspage builds anywhere."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from statuspage.errors import ThemeError
from statuspage.sources.theme import Theme, default_theme_dir
from tests.conftest import REPO, RESOLVED, MakeSite


def test_the_default_theme_has_every_page_template() -> None:
    theme = Theme.load(Path("/nonexistent"))
    assert {
        "base.html",
        "index.html",
        "incident.html",
        "history.html",
        "component.html",
        "404.html",
    } <= set(theme.templates)
    assert set(theme.assets) == {"style.css", "favicon.svg"}
    assert default_theme_dir() == REPO / "site-template"


def test_the_wheel_carries_the_theme_and_builds_outside_the_repository(
    make_site: MakeSite, tmp_path: Path
) -> None:
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(dist)],
        cwd=REPO,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("statuspage-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for template in ("base.html", "index.html", "incident.html", "style.css"):
        assert f"statuspage/site-template/{template}" in names
    unpacked = tmp_path / "installed"
    zipfile.ZipFile(wheel).extractall(unpacked)
    site = make_site(incidents={"db": RESOLVED})
    result = subprocess.run(
        [sys.executable, "-m", "statuspage", "build", "--now", "2026-11-23T12:00:00Z"],
        cwd=site.root,
        env={"PYTHONPATH": str(unpacked), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert (site.root / "public" / "incidents" / "db" / "index.html").is_file()
    located = subprocess.run(
        [
            sys.executable,
            "-c",
            "from statuspage.sources.theme import default_theme_dir; print(default_theme_dir())",
        ],
        cwd=tmp_path,
        env={"PYTHONPATH": str(unpacked)},
        capture_output=True,
        text=True,
        check=True,
    )
    assert located.stdout.strip() == str(unpacked / "statuspage" / "site-template")


def test_a_template_that_is_not_utf8_is_named_with_its_position(make_site: MakeSite) -> None:
    site = make_site()
    (site.root / "site-template").mkdir()
    (site.root / "site-template" / "base.html").write_bytes(b"<p>\n<p>caf\xe9</p>\n")
    with pytest.raises(ThemeError) as error:
        Theme.load(site.root)
    assert str(error.value) == (
        "site-template/base.html:2:7: byte 0xe9 is not UTF-8 (the file may be in Latin-1 or "
        "Windows-1252); save it as UTF-8"
    )


def test_a_theme_file_that_cannot_be_read_is_named(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site()
    site.write("site-template/logo.png", "x")
    real = Path.read_bytes

    def unreadable(path: Path) -> bytes:
        if path.name == "logo.png":  # tests run as root, whom file modes do not stop
            raise PermissionError(13, "Permission denied")
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", unreadable)
    with pytest.raises(ThemeError) as error:
        Theme.load(site.root)
    assert str(error.value) == (
        "site-template/logo.png: cannot be read: Permission denied; give the user who runs "
        "statuspage read access, or remove it"
    )

"""The build: reproducible output, atomic replacement, safe output locations, theme overrides."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from statuspage import build as build_module
from statuspage.build import build_site
from statuspage.errors import OutputError, ThemeError, ValidationFailed
from tests.conftest import NOW, RESOLVED, MakeSite, SiteDir


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file below `folder` with its bytes."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


@pytest.fixture
def site(make_site: MakeSite) -> SiteDir:
    return make_site(incidents={"db": RESOLVED})


def test_build_writes_every_page(site: SiteDir) -> None:
    result = build_site(site.root, site.root / "public", NOW)
    assert sorted(snapshot(result.out)) == [
        "404.html",
        "components/api/index.html",
        "components/dashboard/index.html",
        "components/docs/index.html",
        "components/webhooks/index.html",
        "favicon.svg",
        "history/index.html",
        "incidents/db/index.html",
        "index.html",
        "style.css",
    ]
    assert result.files == 10
    assert result.size == sum(len(b) for b in snapshot(result.out).values())


def test_same_input_and_now_give_the_same_bytes(site: SiteDir, tmp_path: Path) -> None:
    first = snapshot(build_site(site.root, tmp_path / "a", NOW).out)
    second = snapshot(build_site(site.root, tmp_path / "b", NOW).out)
    assert first == second
    third = snapshot(build_site(site.root, tmp_path / "a", NOW).out)
    assert third == first
    later = snapshot(build_site(site.root, tmp_path / "c", NOW + timedelta(minutes=5)).out)
    assert later["index.html"] != first["index.html"]  # the page says when it was generated


def test_invalid_input_leaves_the_previous_output_byte_identical(site: SiteDir) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    before = snapshot(out)
    site.incident("broken", RESOLVED.replace("impact: major", "impact: huge"))
    with pytest.raises(ValidationFailed):
        build_site(site.root, out, NOW + timedelta(hours=1))
    assert snapshot(out) == before
    assert sorted(p.name for p in site.root.iterdir()) == ["incidents", "public", "statuspage.yaml"]


def test_a_failure_while_writing_leaves_the_previous_output_and_no_debris(
    site: SiteDir, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    before = snapshot(out)
    written: list[str] = []
    real_write = Path.write_bytes

    def failing_write(self: Path, data: bytes) -> int:
        written.append(self.name)
        if len(written) == 5:
            raise OSError(28, "No space left on device")
        return real_write(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing_write)
    with pytest.raises(OutputError, match="No space left on device"):
        build_site(site.root, out, NOW + timedelta(hours=1))
    monkeypatch.undo()
    assert len(written) == 5
    assert snapshot(out) == before
    assert sorted(p.name for p in site.root.iterdir()) == ["incidents", "public", "statuspage.yaml"]


def test_the_swap_works_without_renameat2(site: SiteDir, monkeypatch: pytest.MonkeyPatch) -> None:
    out = site.root / "public"
    build_site(site.root, out, NOW)
    (out / "stale.html").write_text("from an older build")
    monkeypatch.setattr(build_module, "_exchange", lambda a, b: False)
    build_site(site.root, out, NOW)
    assert not (out / "stale.html").exists()
    assert (out / "index.html").is_file()
    assert sorted(p.name for p in site.root.iterdir()) == ["incidents", "public", "statuspage.yaml"]


def test_renameat2_exchange_swaps_two_folders(tmp_path: Path) -> None:
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    (a / "x").write_text("a")
    (b / "x").write_text("b")
    if not build_module._exchange(a, b):
        pytest.skip("this kernel or C library has no renameat2")  # macOS and old kernels
    assert ((a / "x").read_text(), (b / "x").read_text()) == ("b", "a")


def test_output_is_readable_by_others(site: SiteDir) -> None:
    out = build_site(site.root, site.root / "public", NOW).out
    assert out.stat().st_mode & 0o055 == 0o055  # a web server running as another user reads it


@pytest.mark.parametrize("where", [".", "..", "incidents", "incidents/2026", "site-template"])
def test_refuses_to_replace_the_site_itself(site: SiteDir, where: str) -> None:
    before = snapshot(site.root)
    with pytest.raises(OutputError, match="choose another --out"):
        build_site(site.root, site.root / where, NOW)
    assert snapshot(site.root) == before


def test_refuses_to_replace_a_folder_that_is_not_a_build(site: SiteDir, tmp_path: Path) -> None:
    other = tmp_path / "documents"
    other.mkdir()
    (other / "thesis.txt").write_text("precious")
    with pytest.raises(OutputError) as error:
        build_site(site.root, other, NOW)
    assert str(error.value) == (
        f"{other} is not empty and does not look like a statuspage build (no index.html); "
        f"empty it or choose another --out"
    )
    assert (other / "thesis.txt").read_text() == "precious"


def test_a_site_template_overrides_the_default_theme(site: SiteDir) -> None:
    site.write(
        "site-template/incident.html",
        """\
        {% extends "base.html" %}
        {% block main %}<h1 class="custom">{{ view.incident.title }}</h1>{% endblock %}
        """,
    )
    site.write("site-template/style.css", "body { color: rebeccapurple; }\n")
    site.write("site-template/logo.svg", "<svg/>")
    out = build_site(site.root, site.root / "public", NOW).out
    incident = (out / "incidents/db/index.html").read_text()
    assert '<h1 class="custom">Elevated error rates</h1>' in incident
    assert '<link rel="stylesheet" href="../../style.css">' in incident  # base.html still default
    assert (out / "style.css").read_text() == "body { color: rebeccapurple; }\n"
    assert (out / "logo.svg").read_text() == "<svg/>"
    assert "Past incidents" in (out / "index.html").read_text()  # other pages unchanged


def test_a_template_typo_fails_the_build_instead_of_printing_nothing(site: SiteDir) -> None:
    site.write(
        "site-template/404.html",
        '{% extends "base.html" %}{% block main %}{{ page.titel }}{% endblock %}',
    )
    out = site.root / "public"
    with pytest.raises(ThemeError) as error:
        build_site(site.root, out, NOW)
    assert str(error.value) == (
        "site-template/404.html:1: 'statuspage.render.Page object' has no attribute 'titel'"
    )
    assert not out.exists()


def test_a_template_syntax_error_names_file_and_line(site: SiteDir) -> None:
    site.write("site-template/404.html", '{% extends "base.html" %}\n{% block main %}\n{% if %}')
    with pytest.raises(ThemeError) as error:
        build_site(site.root, site.root / "public", NOW)
    assert (
        str(error.value)
        == "site-template/404.html:3: Expected an expression, got 'end of statement block'"
    )


def test_an_error_in_a_default_template_names_the_default_theme(site: SiteDir) -> None:
    site.write(
        "site-template/404.html",
        '{% extends "base.html" %}{% import "_macros.html" as m %}'
        "{% block main %}{{ m.state_badge(3) }}{% endblock %}",
    )
    with pytest.raises(ThemeError) as error:
        build_site(site.root, site.root / "public", NOW)
    assert str(error.value) == (
        "site-template (default theme)/_macros.html:4: 'int object' has no attribute 'value'"
    )

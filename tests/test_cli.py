"""The commands as a user runs them: output, exit codes, files written."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuspage import __version__
from statuspage.cli import main
from tests.conftest import RESOLVED, MakeSite

NOW = "2026-11-23T12:00:00Z"


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_check_on_a_valid_site(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED})
    now = "2026-11-21T12:00:00Z"  # a day after: no postmortem is due yet
    code, out, err = run("check", "--root", str(site.root), "--now", now)
    assert (code, out) == (
        0,
        "No problems: 1 incident (0 open), 0 maintenance, 4 components; 1 warning.\n",
    )
    assert err.startswith("incidents/db.yaml:10:14: warning[resolution-impact]: ")


def test_check_lists_every_problem_sorted_then_a_count(make_site: MakeSite) -> None:
    site = make_site(
        incidents={
            "b": RESOLVED.replace("status: resolved", "status: fixed"),
            "a": RESOLVED.replace("impact: major", "impact: huge").replace("[api]", "[ap]"),
        }
    )
    code, out, err = run("check", "--root", str(site.root))
    assert code == 1
    assert out == (
        "incidents/a.yaml:2:9: unknown impact 'huge'; "
        "expected one of none, minor, major, critical\n"
        "incidents/a.yaml:3:14: unknown component 'ap'; did you mean 'api'?\n"
        "incidents/b.yaml:9:13: unknown status 'fixed'; "
        "expected one of investigating, identified, monitoring, resolved\n"
        "Found 3 problems in 2 files.\n"
    )
    assert err == ""


def test_build_writes_the_site_and_reports_it(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED})
    code, out, err = run("build", "--root", str(site.root), "--now", NOW)
    assert (code, err) == (0, "")
    assert out.startswith("Wrote 55 files (")
    assert out.rstrip().endswith(" s.")
    assert f" to {site.root / 'public'}" in out
    assert (site.root / "public" / "incidents" / "db" / "index.html").is_file()


def test_build_into_another_folder(make_site: MakeSite, tmp_path: Path) -> None:
    site = make_site(incidents={"db": RESOLVED})
    code, _, _ = run(
        "build", "--root", str(site.root), "--out", str(tmp_path / "www"), "--now", NOW
    )
    assert code == 0
    assert (tmp_path / "www" / "index.html").is_file()
    assert not (site.root / "public").exists()


def test_build_with_problems_writes_nothing(make_site: MakeSite) -> None:
    site = make_site(incidents={"db": RESOLVED.replace("status: resolved", "status: fixed")})
    code, out, err = run("build", "--root", str(site.root), "--now", NOW)
    assert (code, out) == (1, "")
    assert err == (
        "incidents/db.yaml:9:13: unknown status 'fixed'; "
        "expected one of investigating, identified, monitoring, resolved\n"
        "Found 1 problem in 1 file; nothing was written.\n"
    )
    assert not (site.root / "public").exists()


def test_build_rejects_a_now_without_offset(make_site: MakeSite) -> None:
    site = make_site()
    code, out, err = run("build", "--root", str(site.root), "--now", "2026-11-23T12:00:00")
    assert (code, out) == (2, "")
    assert "Invalid value for '--now': time '2026-11-23T12:00:00' has no UTC offset" in err


def test_build_reports_an_unsafe_output_folder(make_site: MakeSite) -> None:
    site = make_site()
    code, out, err = run("build", "--root", str(site.root), "--out", str(site.root))
    assert (code, out) == (2, "")  # a usage error: the command must name another --out
    assert err == (
        f"error: {site.root} holds the site's own files; choose another --out, such as public\n"
    )


def test_a_folder_that_is_not_a_site_is_left_as_it_was(tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("not a site")
    message = (
        f"statuspage.yaml: not found in {tmp_path}; run statuspage in the site's folder or "
        f"pass --root\n"
    )
    assert run("check", "--root", str(tmp_path)) == (
        1,
        message + "Found 1 problem in 1 file.\n",
        "",
    )
    assert run("build", "--root", str(tmp_path)) == (
        1,
        "",
        message + "Found 1 problem in 1 file; nothing was written.\n",
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes.txt"]  # no cache, no public/


@pytest.mark.parametrize("command", ["check", "build", "serve"])
def test_a_root_that_does_not_exist_is_not_made(tmp_path: Path, command: str) -> None:
    missing = tmp_path / "no-such-site"
    code, out, err = run(command, "--root", str(missing))
    assert (code, out) == (2, "")
    assert f"Directory '{missing}' does not exist." in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("command", ["check", "build", "serve"])
def test_exit_codes_mean_the_same_for_every_command(
    make_site: MakeSite, tmp_path: Path, command: str
) -> None:
    """0 ok, 1 the site has problems (or could not be built), 2 the command line is wrong."""
    site = make_site(incidents={"db": RESOLVED.replace("status: resolved", "status: fixed")})
    assert run(command, "--root", str(site.root), "--no-such-option")[0] == 2
    if command == "serve":  # it keeps serving, showing problems in the browser
        return
    assert run(command, "--root", str(site.root))[0] == 1
    (site.root / "incidents" / "db.yaml").write_text(RESOLVED)
    assert run(command, "--root", str(site.root))[0] == 0


def test_an_output_folder_that_is_not_statuspage_s_is_a_usage_error(
    make_site: MakeSite, tmp_path: Path
) -> None:
    site = make_site(incidents={"db": RESOLVED})
    web = tmp_path / "www"
    (web / "blog").mkdir(parents=True)
    (web / "index.html").write_text("<p>my blog</p>")
    code, out, err = run("build", "--root", str(site.root), "--out", str(web), "--now", NOW)
    assert (code, out) == (2, "")
    assert err == (
        f"error: {web} is not empty and was not written by statuspage (no .statuspage-build); "
        f"empty it, or choose another --out\n"
    )
    assert sorted(p.name for p in web.iterdir()) == ["blog", "index.html"]


def test_version() -> None:
    assert run("--version") == (0, f"statuspage, version {__version__}\n", "")


def test_the_installed_command_flushes_its_output_and_keeps_exit_codes(
    make_site: MakeSite,
) -> None:
    """`python -m statuspage` leaves with os._exit: nothing printed may be lost on the way."""

    def command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
        line = [sys.executable, "-m", "statuspage", *args]
        return subprocess.run(line, cwd=cwd, capture_output=True, text=True, check=False)

    good = make_site(incidents={"db": RESOLVED})
    built = command("build", "--now", NOW, cwd=good.root)
    assert (built.returncode, built.stderr) == (0, "")
    assert built.stdout.startswith("Wrote 55 files (")
    assert command("--version", cwd=good.root).stdout == f"statuspage, version {__version__}\n"
    bad = make_site(incidents={"db": RESOLVED.replace("status: resolved", "status: fixed")})
    checked = command("check", cwd=bad.root)
    assert checked.returncode == 1
    assert checked.stdout.endswith("Found 1 problem in 1 file.\n")
    misused = command("build", "--now", "yesterday", cwd=bad.root)
    assert misused.returncode == 2
    assert "--now" in misused.stderr

"""`statuspage probe`: every probe checked once against loopback, the results in the history."""

from __future__ import annotations

import csv
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner

from statuspage.cli import main
from statuspage.sources.history import UPTIME_DIR
from tests.conftest import CONFIG, MakeSite, serving


def closed_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def probes(url: str, port: int) -> str:
    return (
        "probes:\n"
        f"  - {{id: health, component: api, type: http, url: '{url}/healthz', timeout: 2s,"
        " expect: {body_contains: ok}}\n"
        f"  - {{id: db, component: api, type: tcp, host: 127.0.0.1, port: {port}, timeout: 1s}}\n"
    )


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["probe", *args])
    return result.exit_code, result.stdout, result.stderr


def history(root: Path) -> dict[str, str]:
    folder = root / UPTIME_DIR
    return {
        path.relative_to(folder).as_posix(): path.read_text()
        for path in sorted(folder.rglob("*.csv"))
    }


def test_each_probe_is_checked_and_recorded_and_a_second_run_adds_up(
    make_site: MakeSite, tmp_path: Path
) -> None:
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "healthz").write_text("ok")
    port = closed_port()
    with serving(tmp_path / "www") as url:
        site = make_site(config=CONFIG + probes(url, port))
        code, out, err = run("--root", str(site.root), "--location", "eu")
        assert (code, err) == (0, "")
        lines = out.splitlines()
        assert [line.split()[:2] for line in lines[:2]] == [["health", "up"], ["db", "down"]]
        assert "connection refused" in lines[1]
        assert lines[2] == "Checked 2 probes: 1 up, 1 down; recorded at eu in 2 files."
        code, out, _ = run("--root", str(site.root), "--location", "eu", "--only", "db")
        assert (code, out.splitlines()[-1]) == (
            0,
            "Checked 1 probe: 1 down; recorded at eu in 1 file.",
        )
    files = history(site.root)
    month = next(iter(files)).partition("/")[2].partition(".")[0]  # this UTC month: YYYY-MM
    assert sorted(files) == [f"db/{month}.eu.csv", f"health/{month}.eu.csv"]
    # checks, up, degraded, down of today's row
    assert files[f"db/{month}.eu.csv"].splitlines()[1].split(",")[1:5] == ["2", "0", "0", "2"]
    assert files[f"health/{month}.eu.csv"].splitlines()[1].split(",")[1:5] == ["1", "1", "0", "0"]


def test_a_wrong_command_line_is_a_usage_error_and_records_nothing(make_site: MakeSite) -> None:
    site = make_site(config=CONFIG + probes("http://127.0.0.1:9", closed_port()))
    code, out, err = run("--root", str(site.root), "--only", "nope")
    assert (code, out) == (2, "")
    assert err == "error: no probe named nope; the site's probes: db, health\n"
    code, out, err = run("--root", str(site.root), "--location", "EU West")
    assert (code, out) == (2, "")
    assert err.startswith("error: --location: location 'EU West' must be lowercase letters")
    assert not (site.root / UPTIME_DIR).exists()


def test_a_site_with_problems_records_nothing(make_site: MakeSite) -> None:
    site = make_site(config=CONFIG + "probes:\n  - {id: x, type: htp, component: api}\n")
    code, out, err = run("--root", str(site.root))
    assert (code, out) == (1, "")
    assert err.splitlines()[-1] == "Found 1 problem in 1 file; nothing was recorded."
    assert "unknown probe type 'htp'; did you mean 'http'?" in err
    assert not (site.root / UPTIME_DIR).exists()


def test_a_proxy_that_refuses_is_the_reason_shown_and_kept_without_its_password(
    make_site: MakeSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "www").mkdir()
    (tmp_path / "www" / "healthz").write_text("ok")
    proxy_port = closed_port()
    monkeypatch.setenv("HTTP_PROXY", f"http://probe:s3cret@127.0.0.1:{proxy_port}")
    with serving(tmp_path / "www") as url:
        site = make_site(config=CONFIG + probes(url, closed_port()))
        code, out, err = run("--root", str(site.root), "--only", "health")
    refused = f"proxy 127.0.0.1:{proxy_port} refused the connection"
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split(None, 3) == ["health", "down", "-", refused]
    files = history(site.root)
    assert [
        row["latest_reason"] for text in files.values() for row in csv.DictReader(text.splitlines())
    ] == [refused]
    assert "s3cret" not in out + "".join(files.values())


def test_a_proxy_variable_that_cannot_be_used_stops_the_run(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HTTPS_PROXY", "socks5://probe:s3cret@127.0.0.1:1080")
    site = make_site(config=CONFIG + probes("http://127.0.0.1:9", closed_port()))
    code, out, err = run("--root", str(site.root))
    assert (code, out) == (2, "")
    assert err == (
        "error: HTTPS_PROXY: statuspage reaches a proxy over http:// or https://, not socks5:// "
        "('socks5://***@127.0.0.1:1080'); name one such as http://proxy.example.com:3128\n"
    )
    assert not (site.root / UPTIME_DIR).exists()

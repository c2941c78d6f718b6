"""`statuspage serve` as a user runs it: pages reload by themselves after an edit, and a bad
edit shows its problems over the last good site until it is fixed."""

from __future__ import annotations

import http.client
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO, RESOLVED, MakeSite, SiteDir, fetch


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def serving(
    make_site: MakeSite, tmp_path: Path
) -> Iterator[tuple[SiteDir, str, subprocess.Popen[str]]]:
    site = make_site(incidents={"db": RESOLVED})
    port = free_port()
    scratch = tmp_path / "tmp"  # where serve makes its temporary folder
    scratch.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "statuspage", "serve", "--root", str(site.root),
         "--port", str(port), "--now", "2026-11-23T12:00:00Z"],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        env={**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(scratch)},
    )  # fmt: skip
    assert process.stdout is not None
    try:
        for line in process.stdout:  # wait until it serves
            if line.startswith("Serving "):
                break
        yield site, f"http://127.0.0.1:{port}/", process
    finally:
        process.terminate()  # as a service manager stops it; Ctrl+C ends the same way
        process.wait(timeout=10)
    assert list(scratch.iterdir()) == []  # its temporary folder went with it


def events(url: str) -> queue.Queue[str]:
    """The server-sent events of `url`, as they come, in a queue."""
    found: queue.Queue[str] = queue.Queue()
    host, port = url.removeprefix("http://").strip("/").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=30)
    connection.request("GET", "/_events")
    response = connection.getresponse()
    assert response.getheader("Content-Type") == "text/event-stream"

    def read() -> None:
        for line in response:
            if line.startswith(b"data: "):
                found.put(line[6:].strip().decode())

    threading.Thread(target=read, daemon=True).start()
    return found


def test_pages_reload_after_an_edit_and_show_a_bad_one_over_the_last_good_site(
    serving: tuple[SiteDir, str, subprocess.Popen[str]],
) -> None:
    site, url, _ = serving
    page = url + "incidents/db/"
    assert "<h1>Elevated error rates</h1>" in fetch(page)[1]
    reloads = events(url)
    time.sleep(0.1)  # the stream is open before the edit
    site.incident("db", RESOLVED.replace("Elevated error rates", "Fewer errors"))
    started = time.monotonic()
    assert reloads.get(timeout=2) == "reload"
    assert time.monotonic() - started < 2
    assert "<h1>Fewer errors</h1>" in fetch(page)[1]

    site.incident("db", RESOLVED.replace("status: resolved", "status: fixed"))
    assert reloads.get(timeout=2) == "reload"
    status, body = fetch(page)
    assert status == 200 and "<h1>Fewer errors</h1>" in body  # the last good site stays
    assert "incidents/db.yaml:9:13: unknown status &#x27;fixed&#x27;" in body
    assert "white-space:pre-wrap" in body  # the overlay wraps on a phone

    site.incident("db", RESOLVED)
    assert reloads.get(timeout=2) == "reload"
    body = fetch(page)[1]
    assert "<h1>Elevated error rates</h1>" in body and "statuspage-problems" not in body


def test_serve_refuses_a_folder_that_is_no_site_and_leaves_nothing(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO), "TMPDIR": str(scratch)}
    site = tmp_path / "site"
    site.mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "statuspage", "serve", "--root", str(site), "--port", "0"],
        capture_output=True, text=True, timeout=30, env=env,
    )  # fmt: skip
    assert result.returncode == 1
    assert "statuspage.yaml: " in result.stderr and "nothing was served" in result.stderr
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        (site / "statuspage.yaml").write_text("title: T\nurl: https://s.example\n")
        result = subprocess.run(
            [sys.executable, "-m", "statuspage", "serve", "--root", str(site),
             "--port", str(port)],
            capture_output=True, text=True, timeout=30, env=env,
        )  # fmt: skip
    assert result.returncode == 1 and f"cannot listen on 127.0.0.1:{port}" in result.stderr
    assert list(scratch.iterdir()) == []  # no temporary folder left behind

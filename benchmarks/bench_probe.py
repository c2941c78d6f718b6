"""Measure `statuspage probe` against a loopback HTTP server: one `name value` figure a line.

Makes a site with `--probes` HTTP probes of one component, all against an asyncio HTTP server
on 127.0.0.1 that answers `ok`, then times whole `statuspage probe` runs as child processes
(best of `--repeat`). The goal (issue 13): 500 probes at concurrency 50 in under 5 s.

    python benchmarks/bench_probe.py [--probes 500] [--concurrency 50] [--repeat 3]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


async def _answer_ok(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    """Answer every request of a connection with `ok`, in one write each (no Nagle wait)."""
    try:
        while True:
            await reader.readuntil(b"\r\n\r\n")
            writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
            await writer.drain()
    except (asyncio.IncompleteReadError, ConnectionError):
        pass
    finally:
        writer.close()


def serve_ok() -> int:
    """Start the loopback server in a thread of its own; its port."""
    started = threading.Event()
    ports: list[int] = []

    def run() -> None:
        loop = asyncio.new_event_loop()
        server = loop.run_until_complete(
            asyncio.start_server(_answer_ok, "127.0.0.1", 0, backlog=1024)
        )
        ports.append(server.sockets[0].getsockname()[1])
        started.set()
        loop.run_forever()

    threading.Thread(target=run, daemon=True).start()
    started.wait()
    return ports[0]


def site(root: Path, probes: int, url: str) -> None:
    """A site of one component and `probes` HTTP probes of it."""
    lines = [
        "title: Probe benchmark",
        "url: https://status.test.example",
        "components:",
        "  - {id: api, name: API}",
        "probes:",
    ]
    lines += [
        f"  - {{id: p{n:04d}, component: api, type: http, url: '{url}/health/{n}', timeout: 5s,"
        " expect: {body_contains: ok}}"
        for n in range(probes)
    ]
    (root / "incidents").mkdir(parents=True)
    (root / "statuspage.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def probe_seconds(root: Path, concurrency: int) -> tuple[float, str]:
    """Wall seconds of one `statuspage probe` run, and its last line."""
    command = [sys.executable, "-m", "statuspage", "probe", "--root", str(root)]
    command += ["--concurrency", str(concurrency), "--location", "bench"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the probe run failed:\n{done.stderr}")
    return seconds, done.stdout.splitlines()[-1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--probes", type=int, default=500)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the best of")
    options = parser.parse_args()
    port = serve_ok()
    with tempfile.TemporaryDirectory(prefix="statuspage-probe-") as scratch:
        root = Path(scratch) / "site"
        site(root, options.probes, f"http://127.0.0.1:{port}")
        runs = [probe_seconds(root, options.concurrency) for _ in range(options.repeat)]
    print(f"probes {options.probes}")
    print(f"concurrency {options.concurrency}")
    print(f"probe_seconds {min(seconds for seconds, _ in runs):.3f}")
    print(f"last_line {runs[-1][1]}")


if __name__ == "__main__":
    main()

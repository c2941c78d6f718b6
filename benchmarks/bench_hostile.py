"""Measure builds of the worst files the input limits accept: one figure a line.

Each case is one incident file as large as the limits allow (MAX_FILE_BYTES in all, at most
MAX_TEXT_CHARS a message), every message the same tangled shape of Markdown, or ordinary
Markdown for comparison. The goal (issue 12): every one builds in under 2 s, from scratch.

    python benchmarks/bench_hostile.py [--repeat 3] [--scale 1.0]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from statuspage.sources.limits import MAX_FILE_BYTES, MAX_TEXT_CHARS

CONFIG = """\
title: Hostile
url: https://status.test.example
components:
  - id: api
    name: API
"""

SHAPES = {
    "unclosed_brackets": "[x",
    "unclosed_images": "![",
    "unclosed_links": "[](",
    "links_with_quotes": '[a](b"c)',
    "code_spans": "``a`",
    "rules": "-\n",
    "headings": "x\n=\n",
    "quotes": "> ",
    "nested_lists": "- - - - x\n",
    "ordinary": "We moved [traffic](https://example.com/x) to **EU-2**; `api` is _fine_ now.\n\n",
}


def incident(shape: str, scale: float) -> str:
    """An incident file of messages of `shape`, as large as the limits allow (times `scale`)."""
    head = "title: Tangled\nimpact: minor\ncomponents: [api]\nupdates:\n"
    room = int(MAX_FILE_BYTES * scale) - len(head) - 200
    per_message = min(MAX_TEXT_CHARS - 1000, room)
    updates = []
    used = 0
    hour = 0
    while used < room:
        target = min(per_message, room - used)
        size = target
        text = json.dumps((shape * (size // len(shape) + 1))[:size])
        while len(text) > target and size > 0:  # quotes and escapes make it longer
            size -= len(text) - target
            text = json.dumps((shape * (size // len(shape) + 1))[:size])
        if size <= 0:
            break
        at = f"2026-11-{20 + hour // 24:02d}T{hour % 24:02d}:00:00Z"
        updates.append(f"  - at: {at}\n    status: investigating\n    message: {text}\n")
        used += len(updates[-1])
        hour += 1
    return head + "".join(updates)


def build_seconds(root: Path, out: Path) -> float:
    """Wall seconds of one `statuspage build` from scratch, as a child process."""
    shutil.rmtree(out, ignore_errors=True)
    command = [sys.executable, "-m", "statuspage", "build", "--root", str(root), "--out"]
    command += [str(out), "--no-cache", "--now", "2026-11-23T12:00:00Z"]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"the build failed:\n{done.stderr}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs to take the best of")
    parser.add_argument("--scale", type=float, default=1.0, help="of the limit (smoke: 0.02)")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="statuspage-hostile-") as scratch:
        root = Path(scratch) / "site"
        (root / "incidents").mkdir(parents=True)
        (root / "statuspage.yaml").write_text(CONFIG, encoding="utf-8")
        for name, shape in SHAPES.items():
            path = root / "incidents" / "tangled.yaml"
            path.write_text(incident(shape, options.scale), encoding="utf-8")
            best = min(build_seconds(root, Path(scratch) / "out") for _ in range(options.repeat))
            print(f"{name}_kb {path.stat().st_size / 1024:.0f}")
            print(f"{name}_seconds {best:.3f}")


if __name__ == "__main__":
    main()

"""No input makes a traceback: arbitrary text and mutated valid files through check and build.

Every file `check` accepts must build, and every file it refuses must get one-line messages
that name the file and a position. The examples are drawn by hypothesis; the cases it once
found are kept as `@example`s, so they run on every run.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from lxml import etree

from statuspage.engine.build import build_site, check_site
from statuspage.errors import ValidationFailed

from .conftest import API_OUTAGE, CONFIG, NOW, OPEN, RESOLVED, RUNNING, UPCOMING

# A problem as `check` prints it: the file, a position, one line of message.
_PROBLEM = re.compile(r"(statuspage\.yaml|incidents/[^:\n]+)(:\d+:\d+)?: [^\n]+")
# What a message must never show: Python's reprs and parser internals.
_INTERNALS = ("Node(", "Traceback", "Error(", "<yaml.", "object at 0x")

# Whole valid files, to mutate: every field an incident or the config has somewhere.
FULL = """\
title: Database failover
impact: critical
components: [api, dashboard]
admission: |
  We broke the API for **an hour**. Sorry. See [the docs](https://docs.test.example).
cause: A disk filled up.
fix: We freed space and failed over.
prevention:
  - action: Alert on disk usage
    owner: SRE
    status: done
  - action: Automate failover
    owner: Platform
    status: planned
updates:
  - at: 2026-11-20T14:10:00+01:00
    status: investigating
    message: |
      Errors on *every* request.

      - Affected: EU
    components: {api: major_outage, dashboard: partial_outage}
  - at: 2026-11-20T15:52:00+01:00
    status: resolved
    message: Fixed.
"""
SEEDS = [FULL, RESOLVED, OPEN, API_OUTAGE, RUNNING, UPCOMING]

# The probes of statuspage.yaml, one of each type, every key used somewhere.
PROBES = """\
probes:
  - id: api-health
    component: api
    type: http
    url: https://api.test.example/healthz
    method: POST
    headers: {Accept: application/json}
    body: '{}'
    follow_redirects: true
    timeout: 10s
    retries: 1
    quorum: 2
    affects_state: false
    expect: {status: [200, 204], max_response_ms: 800, body_contains: ok, cert_days_min: 14}
  - {id: db-port, component: api, type: tcp, host: db.test.example, port: 5432}
  - {id: site-cert, component: dashboard, type: tls, host: test.example, port: 443}
  - {id: dns, component: docs, type: dns, name: test.example, expect: {contains: 1.2.3.4}}
  - {id: up, type: statuspage, url: https://www.githubstatus.com, components: [API], show_as: Up}
"""

# Bits of YAML and of text that have broken parsers: structure, YAML 1.1's odd scalars,
# times at the edges of the calendar, characters that are line breaks only to YAML.
TOKENS = [
    ":",
    ": ",
    "- ",
    "\n",
    "\n  ",
    "\t",
    "[",
    "]",
    "{",
    "}",
    "&a ",
    "*a",
    "*b",
    "<<: *a",
    "!!python/object:os.system ",
    "!x ",
    "'",
    '"',
    '"\\x',
    "#",
    "|",
    ">-",
    "---\n",
    "...\n",
    "017",
    "0o17",
    "0b_",
    "0x_",
    "1:30",
    "1_000",
    ".inf",
    "9" * 5000,
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59-14:00",
    "2026-02-30T00:00:00Z",
    "null",
    "yes",
    "~",
    "\u2028",
    "\u0085",
    "\ufeff",
    "\x00",
    "\x07",
    "\x9b",
    "\ud800",
    "[x" * 50,
    "<script>alert(1)</script>",
    "{{ 7*7 }}",
    "é",
    "😀",
]


@st.composite
def mutated(draw: st.DrawFn, seeds: list[str]) -> str:
    """A valid file with a few random edits: spans deleted, repeated or replaced by tokens."""
    text = draw(st.sampled_from(seeds))
    for _ in range(draw(st.integers(1, 4))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 40)))
        edit = draw(st.sampled_from(["delete", "repeat", "insert", "replace"]))
        if edit == "delete":
            text = text[:start] + text[end:]
        elif edit == "repeat":
            text = text[:end] + text[start:end] * draw(st.integers(1, 3)) + text[end:]
        else:
            piece = draw(st.sampled_from(TOKENS) | st.text(max_size=8))
            text = text[:start] + piece + text[end if edit == "replace" else start :]
    return text


class Scratch:
    """One site reused by every example: the config and one incident file, rewritten."""

    def __init__(self, root: Path) -> None:
        self.root = root / "site"
        self.out = root / "public"
        (self.root / "incidents").mkdir(parents=True)
        self.reset()

    def reset(self) -> None:
        (self.root / "statuspage.yaml").write_text(CONFIG, encoding="utf-8")
        for old in (self.root / "incidents").iterdir():
            old.unlink()

    def write(self, relative: str, content: str | bytes) -> None:
        data = content if isinstance(content, bytes) else content.encode("utf-8", "surrogatepass")
        (self.root / relative).write_bytes(data)

    def check_and_build(self, *files: str) -> None:
        """Check the site; if it passes, build it and parse every file the build wrote.

        Problems may be only in `files`.
        """
        try:
            check_site(self.root)
        except ValidationFailed as failure:
            assert failure.problems
            for problem in failure.problems:
                shown = str(problem)
                assert _PROBLEM.fullmatch(shown), shown
                assert problem.path in files, shown
                assert not any(bit in shown for bit in _INTERNALS), shown
            return
        build_site(self.root, self.out, NOW)
        _parse_outputs(self.out)


def _parse_outputs(out: Path) -> None:
    """Parse every file of a build with a strict parser of its kind."""
    strict = etree.XMLParser(recover=False, resolve_entities=False, no_network=True)
    for path in out.rglob("*"):
        if path.suffix in (".xml", ".svg"):
            etree.fromstring(path.read_bytes(), strict)
        elif path.suffix == ".json":
            json.loads(path.read_bytes())
        elif path.suffix == ".html":
            path.read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def scratch() -> Iterator[Scratch]:
    folder = Path(tempfile.mkdtemp(prefix="statuspage-fuzz-"))
    try:
        yield Scratch(folder)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


FUZZ = settings(
    max_examples=200,
    deadline=None,  # a first build compiles the templates
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@FUZZ
@given(text=st.text(max_size=300))
@example(text="feeds: {limit: 017}")
@example(text="\ufeff\x00")
def test_arbitrary_text_as_an_incident(scratch: Scratch, text: str) -> None:
    scratch.reset()
    scratch.write("incidents/fuzz.yaml", text)
    scratch.check_and_build("incidents/fuzz.yaml")


@FUZZ
@given(data=st.binary(max_size=200))
@example(data="title: x".encode("utf-16"))
@example(data=b"title: \xff\xfe")
def test_arbitrary_bytes_as_an_incident(scratch: Scratch, data: bytes) -> None:
    scratch.reset()
    scratch.write("incidents/fuzz.yaml", data)
    scratch.check_and_build("incidents/fuzz.yaml")


@FUZZ
@given(text=mutated(SEEDS))
@example(text=RESOLVED.replace("2026-11-20T14:10:00Z", "0001-01-01T00:00:00+14:00"))
@example(text=RESOLVED.replace("2026-11-20T15:52:00Z", "9999-12-31T23:59:59-14:00"))
def test_mutated_incident(scratch: Scratch, text: str) -> None:
    scratch.reset()
    scratch.write("incidents/fuzz.yaml", text)
    scratch.check_and_build("incidents/fuzz.yaml")


@FUZZ
@given(text=mutated([CONFIG + "feeds:\n  limit: 20\n", CONFIG + PROBES]))
@example(text=CONFIG + "feeds: {limit: 017}\n")
@example(text=CONFIG + "feeds: {limit: 1:30}\n")
@example(text=CONFIG + "feeds: {limit: 0x_}\n")
@example(text=CONFIG + "feeds: {limit: " + "9" * 5000 + "}\n")
@example(text=CONFIG.replace("https://", "https://[x[x"))
def test_mutated_config(scratch: Scratch, text: str) -> None:
    scratch.reset()
    scratch.write("incidents/a.yaml", FULL)
    scratch.write("statuspage.yaml", text)
    scratch.check_and_build("statuspage.yaml", "incidents/a.yaml")  # a component gone, say

"""Read the `probes:` list of statuspage.yaml: what each uptime probe checks, and how.

Which keys a probe may hold depends on its `type`; the tables below say which, once, and
the README's list is checked against them. Every problem of every probe is reported, each
at its place; a probe with any problem is left out, and the config with it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from typing import Any

from yaml.nodes import Node, ScalarNode

from ..model.ids import id_problem
from ..model.probes import Expect, Probe, ProbeType
from .limits import shown
from .yamlio import (
    Mapping,
    SourceFile,
    describe,
    is_null,
    read_address,
    tag_of,
    unknown_message,
)

_BASE_KEYS = ("id", "type", "timeout", "retries")
_MEASURING_KEYS = ("component", "expect", "affects_state", "quorum")  # all types but statuspage
TYPE_KEYS: dict[ProbeType, tuple[str, ...]] = {
    ProbeType.HTTP: (
        *_BASE_KEYS,
        *_MEASURING_KEYS,
        "url",
        "method",
        "headers",
        "body",
        "follow_redirects",
    ),
    ProbeType.TCP: (*_BASE_KEYS, *_MEASURING_KEYS, "host", "port"),
    ProbeType.TLS: (*_BASE_KEYS, *_MEASURING_KEYS, "host", "port"),
    ProbeType.DNS: (*_BASE_KEYS, *_MEASURING_KEYS, "name", "record"),
    ProbeType.STATUSPAGE: (*_BASE_KEYS, "url", "components", "show_as"),
}
"""The keys each type of probe may hold."""

PROBE_KEYS = tuple(dict.fromkeys(key for keys in TYPE_KEYS.values() for key in keys))

REQUIRED_KEYS: dict[ProbeType, tuple[str, ...]] = {
    ProbeType.HTTP: ("component", "url"),
    ProbeType.TCP: ("component", "host", "port"),
    ProbeType.TLS: ("component", "host", "port"),
    ProbeType.DNS: ("component", "name"),
    ProbeType.STATUSPAGE: ("url", "components"),
}
"""The keys each type of probe needs, besides id and type."""

EXPECT_KEYS: dict[ProbeType, tuple[str, ...]] = {
    ProbeType.HTTP: ("status", "max_response_ms", "body_contains", "cert_days_min"),
    ProbeType.TCP: ("max_response_ms",),
    ProbeType.TLS: ("max_response_ms", "cert_days_min"),
    ProbeType.DNS: ("max_response_ms", "contains"),
    ProbeType.STATUSPAGE: (),
}
"""The keys of `expect` each type of probe may hold."""

_ALL_EXPECT_KEYS = tuple(dict.fromkeys(key for keys in EXPECT_KEYS.values() for key in keys))

METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
RECORDS = ("A", "AAAA", "CNAME", "MX", "TXT", "NS", "SOA", "CAA")
# The model's defaults, so that they are never typed twice.
_DEFAULTS: dict[str, Any] = {f.name: f.default for f in fields(Probe)}
DEFAULT_TIMEOUT_MS: int = _DEFAULTS["timeout_ms"]
MIN_TIMEOUT_MS = 100
MAX_TIMEOUT_MS = 60_000
MAX_RETRIES = 5
MAX_QUORUM = 100  # locations; far more than any team runs probes from
MAX_CERT_DAYS = 3650

_EXAMPLES = {  # shown when a required key is missing
    "url": "https://api.example.com/healthz",
    "host": "db.example.com",
    "port": "5432",
    "name": "example.com",
    "components": "[Git Operations, API Requests]",
}
_UPSTREAM_URL = "https://www.githubstatus.com"
_DURATION = re.compile(r"([0-9]{1,9})(ms|s|m)")
_UNIT_MS = {"ms": 1, "s": 1_000, "m": 60_000}
_TOKEN = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")  # an HTTP field name (RFC 9110)
_DOMAIN = re.compile(r"(?=[^\n]{1,254}\Z)[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_])?\.?")
_IPV6 = re.compile(r"[0-9A-Fa-f.]*:[0-9A-Fa-f:.]*")
_STATUS = re.compile(r"[1-5][0-9][0-9]")


def read_probes(top: Mapping, components: Sequence[str] | None) -> tuple[Probe, ...] | None:
    """The probes under `probes:` of statuspage.yaml, or None having reported each problem.

    `components` are the site's component ids, None when they could not be read (then a
    probe's component is not checked, so that one mistake does not show as many).
    """
    if "probes" not in top:
        return ()
    seq = top.sequence("probes", "[{id: db-port, component: db, type: tcp, host: db, port: 5432}]")
    if seq is None:
        return None
    first_line: dict[str, int] = {}
    probes = [_read_probe(top.file, node, components, first_line) for node in seq.value]
    return tuple(p for p in probes if p is not None) if None not in probes else None


def _read_probe(
    file: SourceFile, node: Node, components: Sequence[str] | None, first_line: dict[str, int]
) -> Probe | None:
    before = len(file.problems)
    entry = Mapping.read(file, node, "each probe", PROBE_KEYS, ("id", "type"))
    if entry is None:
        return None
    pid = _read_id(entry, first_line)
    kind = entry.choice("type", ProbeType, list(ProbeType), "probe type")
    usable = {key for key in entry.values if key in entry}  # set, not null: null is absent
    if kind is not None:
        usable = _check_keys(entry, kind, components[0] if components else "api")
    timeout = _read_timeout(entry) if "timeout" in usable else DEFAULT_TIMEOUT_MS
    timeout_ms = DEFAULT_TIMEOUT_MS if timeout is None else timeout
    url = _read_url(entry, kind) if "url" in usable else None
    expect = _read_expect(entry, kind, url, timeout) if "expect" in usable else Expect()
    probe = Probe(
        id=pid or "",
        type=kind or ProbeType.HTTP,
        component=_read_component(entry, components) if "component" in usable else None,
        timeout_ms=timeout_ms,
        retries=_integer(entry, usable, "retries", 0, MAX_RETRIES, None) or _DEFAULTS["retries"],
        expect=expect,
        affects_state=_flag(entry, usable, "affects_state", _DEFAULTS["affects_state"]),
        quorum=_integer(entry, usable, "quorum", 1, MAX_QUORUM, None),
        url=url,
        method=_pick(entry, usable, "method", METHODS, _DEFAULTS["method"]),
        headers=_read_headers(entry) if "headers" in usable else (),
        body=entry.text("body") if "body" in usable else None,
        follow_redirects=_flag(entry, usable, "follow_redirects", _DEFAULTS["follow_redirects"]),
        host=_read_host(entry, "host") if "host" in usable else None,
        port=_integer(entry, usable, "port", 1, 65_535, None),
        name=_read_host(entry, "name") if "name" in usable else None,
        record=_pick(entry, usable, "record", RECORDS, _DEFAULTS["record"]),
        components=_read_upstream(entry) if "components" in usable else (),
        show_as=_strip(entry.text("show_as")) if "show_as" in usable else None,
        line=entry.node.start_mark.line + 1,
        column=entry.node.start_mark.column + 1,
    )
    return probe if len(file.problems) == before else None


def _article(kind: ProbeType) -> str:
    return f"an {kind}" if kind is ProbeType.HTTP else f"a {kind}"


def _owners(key: str, table: dict[ProbeType, tuple[str, ...]]) -> str:
    """'tcp and tls probes': the types whose keys in `table` include `key`."""
    names = [str(kind) for kind, keys in table.items() if key in keys]
    listed = ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else names[0]
    return f"{listed} probes have it"


def _check_keys(entry: Mapping, kind: ProbeType, component: str) -> set[str]:
    """Report the keys that are not of a `kind` probe and those it lacks; the usable keys."""
    allowed = TYPE_KEYS[kind]
    usable = set()
    for key in entry.values:
        if key in allowed:
            if key in entry:
                usable.add(key)
            continue
        entry.file.report(
            entry.keys[key],
            f"'{key}' is not a key of {_article(kind)} probe; "
            f"remove it ({_owners(key, TYPE_KEYS)})",
        )
    for key in REQUIRED_KEYS[kind]:
        if key not in entry:
            example = _EXAMPLES.get(key, component)
            if kind is ProbeType.STATUSPAGE and key == "url":
                example = _UPSTREAM_URL
            entry.file.report(
                entry.keys.get(key, entry.node),
                f"missing required key '{key}' of {_article(kind)} probe, such as {key}: {example}",
            )
    return usable


def _read_id(entry: Mapping, first_line: dict[str, int]) -> str | None:
    pid = entry.text("id")
    node = entry.get("id")
    if pid is None or node is None:
        return None
    problem = id_problem(pid, "probe id")
    if problem is None and pid in first_line:
        problem = f"duplicate probe id '{pid}' (first at line {first_line[pid]}); choose another"
    if problem is not None:
        entry.file.report(node, problem)
        return None
    first_line[pid] = node.start_mark.line + 1
    return pid


def _read_component(entry: Mapping, components: Sequence[str] | None) -> str | None:
    cid = entry.text("component")
    if cid is None or components is None or cid in components:
        return cid
    entry.file.report(entry.get("component"), unknown_message("component", cid, sorted(components)))
    return None


def _read_timeout(entry: Mapping) -> int | None:
    node = entry.get("timeout")
    assert node is not None  # only read when set
    form = "a duration such as 10s, 500ms or 1m"
    if not isinstance(node, ScalarNode):
        entry.file.report(node, f"'timeout' must be {form}, not {describe(node)}")
        return None
    match = _DURATION.fullmatch(node.value.strip())
    if match is None:
        entry.file.report(node, f"'timeout' must be {form}, not '{shown(node.value)}'")
        return None
    milliseconds = int(match[1]) * _UNIT_MS[match[2]]
    if not MIN_TIMEOUT_MS <= milliseconds <= MAX_TIMEOUT_MS:
        entry.file.report(
            node, f"'timeout' must be from 100ms to 60s, not {shown(node.value.strip())}"
        )
        return None
    return milliseconds


def _read_url(entry: Mapping, kind: ProbeType | None) -> str | None:
    if kind is ProbeType.STATUSPAGE:
        address = read_address(entry, "url", _UPSTREAM_URL)
        return address.rstrip("/") if address is not None else None
    return read_address(entry, "url", _EXAMPLES["url"])


def _integer(
    entry: Mapping, usable: set[str], key: str, low: int, high: int, default: int | None
) -> int | None:
    value = entry.integer(key, low, high) if key in usable else None
    return default if value is None else value


def _flag(entry: Mapping, usable: set[str], key: str, default: bool) -> bool:
    value = entry.flag(key) if key in usable else None
    return default if value is None else value


def _pick(entry: Mapping, usable: set[str], key: str, choices: Sequence[str], default: str) -> str:
    value = entry.text(key) if key in usable else None
    if value is None or value in choices:
        return value or default
    what = "HTTP method" if key == "method" else "DNS record type"
    if value.strip().upper() in choices:  # both are case-sensitive on the wire
        message = f"unknown {what} '{shown(value)}'; did you mean '{value.strip().upper()}'?"
    else:
        message = unknown_message(what, value, choices)
    entry.file.report(entry.get(key), message)
    return default


def _read_host(entry: Mapping, key: str) -> str | None:
    value = entry.text(key)
    if value is None:
        return None
    host = value.strip()
    if _DOMAIN.fullmatch(host) or (key == "host" and _IPV6.fullmatch(host)):
        return host
    what = "a host name or IP address" if key == "host" else "a domain name"
    entry.file.report(
        entry.get(key), f"'{key}' must be {what} such as {_EXAMPLES[key]}, not '{shown(value)}'"
    )
    return None


def _read_headers(entry: Mapping) -> tuple[tuple[str, str], ...]:
    node = entry.mapping("headers", "{Accept: application/json}")
    if node is None:
        return ()
    file = entry.file
    headers: list[tuple[str, str]] = []
    first: dict[str, Node] = {}
    for key, value in node.value:
        if not isinstance(key, ScalarNode) or not _TOKEN.fullmatch(key.value):
            written = f"'{shown(key.value)}'" if isinstance(key, ScalarNode) else describe(key)
            file.report(
                key,
                f"a header name must be letters, digits and hyphens such as X-Request-Id, "
                f"not {written}",
            )
            continue
        earlier = first.get(key.value.lower())  # header names are case-insensitive
        if earlier is not None:
            file.report(
                key,
                f"duplicate header '{shown(key.value)}' (first at line "
                f"{earlier.start_mark.line + 1}); keep only one",
            )
            continue
        first[key.value.lower()] = key
        name = key.value
        if is_null(value):
            file.report(value, f"header '{name}' is empty; write its value, or '' for none")
        elif not isinstance(value, ScalarNode):
            file.report(value, f"header '{name}' must be text, not {describe(value)}")
        elif "\n" in value.value or "\r" in value.value:
            file.report(value, f"header '{name}' must be one line; remove its line breaks")
        else:
            headers.append((name, value.value))
    return tuple(headers)


def _read_upstream(entry: Mapping) -> tuple[str, ...]:
    seq = entry.sequence("components", _EXAMPLES["components"])
    if seq is None:
        return ()
    file = entry.file
    if not seq.value:
        file.report(
            seq, f"'components' is empty; name the upstream ones, such as {_EXAMPLES['components']}"
        )
        return ()
    names: list[str] = []
    first: dict[str, Node] = {}
    for item in seq.value:
        if not isinstance(item, ScalarNode) or is_null(item) or not item.value.strip():
            actual = "empty" if isinstance(item, ScalarNode) else describe(item)
            file.report(item, f"each upstream component must be its name as text, not {actual}")
            continue
        name = item.value.strip()
        earlier = first.get(name)
        if earlier is not None:
            file.report(
                item,
                f"duplicate upstream component '{shown(name)}' "
                f"(first at line {earlier.start_mark.line + 1}); keep only one",
            )
            continue
        first[name] = item
        names.append(name)
    return tuple(names)


def _read_expect(
    entry: Mapping, kind: ProbeType | None, url: str | None, timeout_ms: int | None
) -> Expect:
    file = entry.file
    expect = Mapping.read(file, entry.get("expect"), "'expect'", _ALL_EXPECT_KEYS)
    if expect is None:
        return Expect()
    usable = {key for key in expect.values if key in expect}
    if kind is not None:
        usable &= set(EXPECT_KEYS[kind])
        for key in expect.values:
            if key not in usable:
                file.report(
                    expect.keys[key],
                    f"'{key}' is not a key of the expect of {_article(kind)} probe; "
                    f"remove it ({_owners(key, EXPECT_KEYS)})",
                )
    status = _read_status(expect) if "status" in usable else (200,)
    slowest = _integer(expect, usable, "max_response_ms", 1, MAX_TIMEOUT_MS, None)
    if slowest is not None and timeout_ms is not None and slowest > timeout_ms:
        file.report(
            expect.get("max_response_ms"),
            f"'max_response_ms' is {slowest:,}, longer than the timeout of {timeout_ms:,} ms; "
            f"lower it, or raise 'timeout'",
        )
    cert_days = _integer(expect, usable, "cert_days_min", 0, MAX_CERT_DAYS, None)
    if cert_days is not None and url is not None and not url.lower().startswith("https:"):
        file.report(
            expect.keys["cert_days_min"],
            "'cert_days_min' needs an https address; remove it, or make 'url' start with https://",
        )
    return Expect(
        status=status,
        max_response_ms=slowest,
        body_contains=expect.text("body_contains") if "body_contains" in usable else None,
        cert_days_min=cert_days,
        contains=_strip(expect.text("contains")) if "contains" in usable else None,
    )


def _read_status(expect: Mapping) -> tuple[int, ...]:
    node = expect.get("status")
    if isinstance(node, ScalarNode):
        items: list[Node] = [node]  # one code alone, as `status: 204`
    else:
        seq = expect.sequence("status", "[200, 204]")
        if seq is None:
            return (200,)
        items = list(seq.value)
    if not items:
        expect.file.report(
            node, "'status' is empty; list the codes that count as up, such as [200]"
        )
        return (200,)
    codes: list[int] = []
    for item in items:
        if not (
            isinstance(item, ScalarNode)
            and tag_of(item).endswith(":int")
            and _STATUS.fullmatch(item.value)
        ):
            written = f"'{shown(item.value)}'" if isinstance(item, ScalarNode) else describe(item)
            expect.file.report(
                item, f"each 'status' must be an HTTP status code from 100 to 599, not {written}"
            )
        elif int(item.value) not in codes:
            codes.append(int(item.value))
    return tuple(codes) or (200,)


def _strip(text: str | None) -> str | None:
    return text.strip() if text is not None else None

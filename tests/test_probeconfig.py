"""The probes: list of statuspage.yaml: each type's keys, defaults and every problem."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from statuspage.model.probes import Expect, Probe, ProbeType
from statuspage.sources.limits import MAX_ENTRIES
from statuspage.sources.probeconfig import EXPECT_KEYS, TYPE_KEYS
from tests.conftest import CONFIG, MakeSite

REPO = Path(__file__).resolve().parent.parent

# CONFIG has 15 lines and components api, dashboard, webhooks and docs: probes start at 17.
PROBES = """\
probes:
  - id: api-health
    component: api
    type: http
    url: https://api.example.com/healthz
    method: POST
    headers: {Accept: application/json, X-Probe: "1"}
    body: '{"ping": true}'
    follow_redirects: true
    timeout: 500ms
    retries: 1
    affects_state: false
    quorum: 2
    expect:
      status: [200, 204]
      max_response_ms: 400
      body_contains: ok
      cert_days_min: 14
  - {id: db-port, component: webhooks, type: tcp, host: db.example.com, port: 5432}
  - {id: site-cert, component: docs, type: tls, host: "::1", port: 443, timeout: 1m,
     expect: {cert_days_min: 0, max_response_ms: 900}}
  - {id: dns, component: docs, type: dns, name: example.com., record: AAAA,
     expect: {contains: 2001:db8::7}}
  - {id: github, type: statuspage, url: https://www.githubstatus.com/, retries: 5,
     components: [Git Operations, API Requests], show_as: "GitHub (upstream)"}
"""


def test_one_probe_of_each_type(make_site: MakeSite) -> None:
    probes = make_site(config=CONFIG + PROBES).load().config.probes
    assert probes == (
        Probe(
            id="api-health",
            type=ProbeType.HTTP,
            component="api",
            timeout_ms=500,
            retries=1,
            expect=Expect(
                status=(200, 204), max_response_ms=400, body_contains="ok", cert_days_min=14
            ),
            affects_state=False,
            quorum=2,
            url="https://api.example.com/healthz",
            method="POST",
            headers=(("Accept", "application/json"), ("X-Probe", "1")),
            body='{"ping": true}',
            follow_redirects=True,
            line=17,
            column=5,
        ),
        Probe(
            id="db-port",
            type=ProbeType.TCP,
            component="webhooks",
            host="db.example.com",
            port=5432,
            line=34,
            column=5,
        ),
        Probe(
            id="site-cert",
            type=ProbeType.TLS,
            component="docs",
            timeout_ms=60_000,
            expect=Expect(max_response_ms=900, cert_days_min=0),
            host="::1",
            port=443,
            line=35,
            column=5,
        ),
        Probe(
            id="dns",
            type=ProbeType.DNS,
            component="docs",
            expect=Expect(contains="2001:db8::7"),
            name="example.com.",
            record="AAAA",
            line=37,
            column=5,
        ),
        Probe(
            id="github",
            type=ProbeType.STATUSPAGE,
            component=None,
            retries=5,
            url="https://www.githubstatus.com",
            components=("Git Operations", "API Requests"),
            show_as="GitHub (upstream)",
            line=39,
            column=5,
        ),
    )


@pytest.mark.parametrize("probes", ["", "probes:\n", "probes: []\n"])
def test_no_probes(make_site: MakeSite, probes: str) -> None:
    assert make_site(config=CONFIG + probes).load().config.probes == ()


def test_a_key_left_empty_is_absent(make_site: MakeSite) -> None:
    probe = "{id: p, component: api, type: tcp, host: h, port: 1, timeout: , expect: , quorum: ~}"
    probes = make_site(config=f"{CONFIG}probes:\n  - {probe}\n").load().config.probes
    assert probes == (
        Probe(id="p", type=ProbeType.TCP, component="api", host="h", port=1, line=17, column=5),
    )


HTTP = "{id: p, component: api, type: http, url: 'https://a.example/'"


@pytest.mark.parametrize(
    ("probe", "where", "message"),
    [
        (
            "{id: API, component: api, type: tcp, host: h, port: 1}",
            "API",
            "probe id 'API' must be lowercase letters, digits and hyphens, starting with "
            "a letter or digit; for example 'api'",
        ),
        (
            "{id: con, component: api, type: tcp, host: h, port: 1}",
            "con",
            "probe id 'con' is a device name on Windows, where no file or folder can have "
            "it; choose another, such as 'con-1'",
        ),
        ("{component: api, type: tcp, host: h, port: 1}", None, "missing required key 'id'"),
        ("{id: p, component: api, host: h, port: 1}", None, "missing required key 'type'"),
        (
            "{id: p, component: api, type: htps, url: 'https://a.example'}",
            "htps",
            "unknown probe type 'htps'; did you mean 'http'?",
        ),
        (
            "{id: p, component: api, type: ping, host: h}",
            "ping",
            "unknown probe type 'ping'; expected one of http, tcp, tls, dns, statuspage",
        ),
        (
            "{id: p, type: http, url: 'https://a.example'}",
            None,
            "missing required key 'component' of an http probe, such as component: api",
        ),
        (
            "{id: p, component: ap, type: http, url: 'https://a.example'}",
            "ap",
            "unknown component 'ap'; did you mean 'api'?",
        ),
        (
            "{id: p, component: db, type: http, url: 'https://a.example'}",
            "db",
            "unknown component 'db'; expected one of api, dashboard, docs, webhooks",
        ),
        (
            "{id: p, component: api, type: http}",
            None,
            "missing required key 'url' of an http probe, such as "
            "url: https://api.example.com/healthz",
        ),
        (
            f"{HTTP}, port: 443}}",
            "port: 443",
            "'port' is not a key of an http probe; remove it (tcp and tls probes have it)",
        ),
        (
            f"{HTTP}, components: [x]}}",
            "components: [x]",
            "'components' is not a key of an http probe; remove it (statuspage probes have it)",
        ),
        (
            f"{HTTP}, timeuot: 1s}}",
            "timeuot: 1s",
            "unknown key 'timeuot'; did you mean 'timeout'?",
        ),
        (
            "{id: p, component: api, type: http, url: api.example.com}",
            "api.example.com",
            "'url' must be an absolute address such as https://api.example.com/healthz, "
            "not 'api.example.com'",
        ),
        (
            "{id: p, component: api, type: http, url: 'ftp://a.example'}",
            "'ftp://a.example'",
            "'url' must be an absolute address such as https://api.example.com/healthz, "
            "not 'ftp://a.example'",
        ),
        (
            f"{HTTP}, method: get}}",
            "get",
            "unknown HTTP method 'get'; did you mean 'GET'?",
        ),
        (
            f"{HTTP}, method: FETCH}}",
            "FETCH",
            "unknown HTTP method 'FETCH'; expected one of GET, HEAD, POST, PUT, PATCH, "
            "DELETE, OPTIONS",
        ),
        (
            f"{HTTP}, headers: [Accept]}}",
            "[Accept]",
            "'headers' must be a mapping such as {Accept: application/json}, not a list",
        ),
        (
            f"{HTTP}, headers: {{'X Id': 1}}}}",
            "'X Id': 1",
            "a header name must be letters, digits and hyphens such as X-Request-Id, not 'X Id'",
        ),
        (
            f"{HTTP}, headers: {{Accept: a, accept: b}}}}",
            "accept: b",
            "duplicate header 'accept' (first at line 17); keep only one",
        ),
        (
            f"{HTTP}, headers: {{Accept: [a]}}}}",
            "[a]",
            "header 'Accept' must be text, not a list",
        ),
        (
            f"{HTTP}, headers: {{Accept: }}}}",
            "}}",
            "header 'Accept' is empty; write its value, or '' for none",
        ),
        (
            f'{HTTP}, headers: {{Accept: "a\\nb"}}}}',
            '"a\\nb"',
            "header 'Accept' must be one line; remove its line breaks",
        ),
        (
            f"{HTTP}, follow_redirects: yes}}",
            "yes",
            "'follow_redirects' must be true or false, not 'yes'",
        ),
        (
            f"{HTTP}, affects_state: [no]}}",
            "[no]",
            "'affects_state' must be true or false, not a list",
        ),
        (
            f"{HTTP}, timeout: 10}}",
            "10",
            "'timeout' must be a duration such as 10s, 500ms or 1m, not '10'",
        ),
        (
            f"{HTTP}, timeout: 50ms}}",
            "50ms",
            "'timeout' must be from 100ms to 60s, not 50ms",
        ),
        (
            f"{HTTP}, timeout: 2m}}",
            "2m",
            "'timeout' must be from 100ms to 60s, not 2m",
        ),
        (f"{HTTP}, retries: 6}}", "6", "'retries' must be at most 5, not 6"),
        (f"{HTTP}, retries: -1}}", "-1", "'retries' must be at least 0, not -1"),
        (f"{HTTP}, quorum: 0}}", "0", "'quorum' must be at least 1, not 0"),
        (
            "{id: p, component: api, type: tcp, host: h, port: 0}",
            "0",
            "'port' must be at least 1, not 0",
        ),
        (
            "{id: p, component: api, type: tls, host: h, port: 65536}",
            "65536",
            "'port' must be at most 65,535, not 65536",
        ),
        (
            "{id: p, component: api, type: tls, port: 443}",
            None,
            "missing required key 'host' of a tls probe, such as host: db.example.com",
        ),
        (
            "{id: p, component: api, type: tcp, host: h}",
            None,
            "missing required key 'port' of a tcp probe, such as port: 5432",
        ),
        (
            "{id: p, component: api, type: tcp, host: 'https://db.example', port: 1}",
            "'https://db.example'",
            "'host' must be a host name or IP address such as db.example.com, "
            "not 'https://db.example'",
        ),
        (
            "{id: p, component: api, type: tcp, host: h, port: 1, url: 'https://h'}",
            "url: 'https://h'",
            "'url' is not a key of a tcp probe; remove it (http and statuspage probes have it)",
        ),
        (
            "{id: p, component: api, type: dns}",
            None,
            "missing required key 'name' of a dns probe, such as name: example.com",
        ),
        (
            "{id: p, component: api, type: dns, name: 'a b.example'}",
            "'a b.example'",
            "'name' must be a domain name such as example.com, not 'a b.example'",
        ),
        (
            "{id: p, component: api, type: dns, name: a.example, record: aaaa}",
            "aaaa",
            "unknown DNS record type 'aaaa'; did you mean 'AAAA'?",
        ),
        (
            "{id: p, component: api, type: dns, name: a.example, record: PTR}",
            "PTR",
            "unknown DNS record type 'PTR'; expected one of A, AAAA, CNAME, MX, TXT, NS, SOA, CAA",
        ),
        (
            "{id: p, type: statuspage, components: [API]}",
            None,
            "missing required key 'url' of a statuspage probe, such as "
            "url: https://www.githubstatus.com",
        ),
        (
            "{id: p, type: statuspage, url: 'https://s.example'}",
            None,
            "missing required key 'components' of a statuspage probe, such as "
            "components: [Git Operations, API Requests]",
        ),
        (
            "{id: p, type: statuspage, url: s.example, components: [API]}",
            "s.example",
            "'url' must be an absolute address such as https://www.githubstatus.com, "
            "not 's.example'",
        ),
        (
            "{id: p, type: statuspage, url: 'https://s.example', components: []}",
            "[]",
            "'components' is empty; name the upstream ones, such as [Git Operations, API Requests]",
        ),
        (
            "{id: p, type: statuspage, url: 'https://s.example', components: [API, API]}",
            "API]",
            "duplicate upstream component 'API' (first at line 17); keep only one",
        ),
        (
            "{id: p, type: statuspage, url: 'https://s.example', components: [{a: b}]}",
            "{a: b",
            "each upstream component must be its name as text, not a mapping",
        ),
        (
            "{id: p, type: statuspage, url: 'https://s.example', components: [A], component: api}",
            "component: api",
            "'component' is not a key of a statuspage probe; remove it "
            "(http, tcp, tls and dns probes have it)",
        ),
        (
            "{id: p, type: statuspage, url: 'https://s.example', components: [A], "
            "expect: {status: 200}}",
            "expect: {status: 200",
            "'expect' is not a key of a statuspage probe; remove it "
            "(http, tcp, tls and dns probes have it)",
        ),
        (
            "{id: p, type: statuspage, url: 'https://s.example', components: [A], show_as: [x]}",
            "[x]",
            "'show_as' must be text, not a list",
        ),
        (
            f"{HTTP}, expect: 200}}",
            "200",
            "'expect' must be a mapping of keys to values, not a number",
        ),
        (
            f"{HTTP}, expect: {{status: [99]}}}}",
            "99]",
            "each 'status' must be an HTTP status code from 100 to 599, not '99'",
        ),
        (
            f"{HTTP}, expect: {{status: ['200']}}}}",
            "'200']",
            "each 'status' must be an HTTP status code from 100 to 599, not '200'",
        ),
        (
            f"{HTTP}, expect: {{status: []}}}}",
            "[]",
            "'status' is empty; list the codes that count as up, such as [200]",
        ),
        (
            f"{HTTP}, expect: {{status: {{a: 1}}}}}}",
            "{a: 1",
            "'status' must be a list such as [200, 204], not a mapping",
        ),
        (
            f"{HTTP}, expect: {{max_response_ms: 0}}}}",
            "0",
            "'max_response_ms' must be at least 1, not 0",
        ),
        (
            f"{HTTP}, timeout: 1s, expect: {{max_response_ms: 1500}}}}",
            "1500",
            "'max_response_ms' is 1,500, longer than the timeout of 1,000 ms; "
            "lower it, or raise 'timeout'",
        ),
        (
            f"{HTTP}, expect: {{cert_days_min: 3651}}}}",
            "3651",
            "'cert_days_min' must be at most 3,650, not 3651",
        ),
        (
            "{id: p, component: api, type: http, url: 'http://a.example', "
            "expect: {cert_days_min: 7}}",
            "cert_days_min: 7",
            "'cert_days_min' needs an https address; remove it, or make 'url' start with https://",
        ),
        (
            f"{HTTP}, expect: {{contains: x}}}}",
            "contains: x",
            "'contains' is not a key of the expect of an http probe; remove it "
            "(dns probes have it)",
        ),
        (
            "{id: p, component: api, type: tcp, host: h, port: 1, expect: {cert_days_min: 1}}",
            "cert_days_min: 1",
            "'cert_days_min' is not a key of the expect of a tcp probe; remove it "
            "(http and tls probes have it)",
        ),
        (
            "{id: p, component: api, type: dns, name: a.example, expect: {body_contains: x}}",
            "body_contains: x",
            "'body_contains' is not a key of the expect of a dns probe; remove it "
            "(http probes have it)",
        ),
        (
            f"{HTTP}, expect: {{stauts: [200]}}}}",
            "stauts: [200]",
            "unknown key 'stauts'; did you mean 'status'?",
        ),
        ("api-health", None, "each probe must be a mapping of keys to values, not text"),
    ],
)
def test_a_wrong_probe(make_site: MakeSite, probe: str, where: str | None, message: str) -> None:
    """Each problem alone, at `where` in the probe's line (at the entry when None)."""
    text = f"{CONFIG}probes:\n  - {probe}\n"
    column = 5 if where is None else 5 + probe.index(where)
    assert make_site(config=text).problems() == [f"statuspage.yaml:17:{column}: {message}"]


def test_probe_ids_are_unique(make_site: MakeSite) -> None:
    probe = "{id: p, component: api, type: tcp, host: h, port: 1}"
    text = f"{CONFIG}probes:\n  - {probe}\n  - {probe}\n"
    assert make_site(config=text).problems() == [
        "statuspage.yaml:18:10: duplicate probe id 'p' (first at line 17); choose another"
    ]


def test_every_problem_of_a_probe_is_reported(make_site: MakeSite) -> None:
    text = f"{CONFIG}probes:\n  - {{id: P, component: x, type: tcp, host: h, port: 0}}\n"
    assert make_site(config=text).problems() == [
        "statuspage.yaml:17:10: probe id 'P' must be lowercase letters, digits and hyphens, "
        "starting with a letter or digit; for example 'p'",
        "statuspage.yaml:17:24: unknown component 'x'; expected one of api, dashboard, docs, "
        "webhooks",
        "statuspage.yaml:17:53: 'port' must be at least 1, not 0",
    ]


def test_probes_must_be_a_list(make_site: MakeSite) -> None:
    assert make_site(config=f"{CONFIG}probes: {{id: p}}\n").problems() == [
        "statuspage.yaml:16:9: 'probes' must be a list such as [{id: db-port, component: db, "
        "type: tcp, host: db, port: 5432}], not a mapping"
    ]


def test_at_most_max_entries_probes(make_site: MakeSite) -> None:
    probe = "{id: p, component: api, type: tcp, host: h, port: 1}"
    text = CONFIG + "probes:\n" + f"  - {probe}\n" * (MAX_ENTRIES + 1)
    assert make_site(config=text).problems() == [
        f"statuspage.yaml:17:3: 'probes' has {MAX_ENTRIES + 1:,} entries, more than the limit "
        f"of {MAX_ENTRIES:,}; keep fewer (split a very long incident into several)"
    ]


def test_a_broken_components_list_does_not_flood_probes_with_unknown_components(
    make_site: MakeSite,
) -> None:
    text = CONFIG.replace("  - id: docs", "  - id: Docs") + (
        "probes:\n  - {id: p, component: nowhere, type: tcp, host: h, port: 1}\n"
    )
    assert make_site(config=text).problems() == [
        "statuspage.yaml:14:9: component id 'Docs' must be lowercase letters, digits and "
        "hyphens, starting with a letter or digit; for example 'docs'"
    ]


def test_the_readme_documents_every_key_of_every_type() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("#### `probes:`", 1)[1].split("\n#", 1)[0]
    documented = set(re.findall(r"^\| `(\w+)` \|", section, re.MULTILINE))
    keys = {key for table in (TYPE_KEYS, EXPECT_KEYS) for keys in table.values() for key in keys}
    assert documented == keys

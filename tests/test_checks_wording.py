"""The wording lapses of public incident text (statuspage.checks.wording)."""

from __future__ import annotations

import pytest

from statuspage.checks.wording import (
    Finding,
    blame,
    has_duration,
    has_scale,
    jargon,
    says_sorry,
    states_data_impact,
    vague,
)

# The messages spelled out here, not imported, so that a changed message fails a test.


def http(words: str) -> str:
    return (
        f"'{words}' is an HTTP status code; say what readers saw instead, "
        'such as "pages failed to load"'
    )


def host(words: str) -> str:
    return (
        f"'{words}' is a host name; name the service readers know instead, such as \"the database\""
    )


def ip(words: str) -> str:
    return f"'{words}' is an IP address; name the service readers know instead"


def trace(words: str) -> str:
    return f"'{words}' is from a stack trace; say in plain words what failed"


def glossary(words: str) -> str:
    return f"'{words}' is in the internal glossary; use the name readers know"


def pinned(words: str) -> str:
    return (
        f"'{words}' pins the fault on a supplier; "
        "say what we will change so that their failure does not become ours"
    )


def unscoped(words: str) -> str:
    return (
        f"'{words}' is vague; say who is affected and how (a number or share, a region, a feature)"
    )


def at(text: str, words: str, message: str) -> Finding:
    """The finding of `words` in `text`, found by where they first are."""
    return Finding(text.index(words), len(words), message)


GOOD = (
    "Between 14:05 and 14:55 CET about 12 % of API requests failed with errors, and every "
    "dashboard was slow. We are sorry: you rely on us and we let you down. No data was lost.",
    "A database change locked the orders table; checkouts failed for 50 minutes. "
    "We have rolled it back.",
    "Logins were slow from 09:00 to 09:40 UTC for 1,400 customers. Version 2.4.1 of the app "
    "is fine. We served 300 pages per second at the peak; 500 ms was the slowest response.",
    "In 2025 we moved to a new data centre. On 3 March, 503 customers in the EU region saw\n"
    "slow pages for 2 hours. We chose the new site, and that is on us.",
    "The email service delayed about 2,000 messages by up to 30 minutes. All queued messages "
    "have been delivered. See [the write-up](https://example.com/blog/db-03.internal) or "
    "<https://10.0.3.17/status>.",
    "Don't panic: your data is safe. Search was down for 15 minutes at 10:45 because a deploy "
    "went wrong; we have added a check that stops such a deploy.",
    "The sorry state of our deploy scripts caused this: a script removed 3 of our 12 servers "
    "at 02:00, and 1 in 4 requests failed until 02:25. Our partners saw errors too.",
)


@pytest.mark.parametrize("text", GOOD)
def test_good_text_has_no_findings(text: str) -> None:
    assert (jargon(text, ["Kraken"]), blame(text), vague(text)) == ([], [], [])


# --- jargon --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("Pages showed HTTP 503 for an hour.", "HTTP 503"),
        ("The proxy answered HTTP/1.1 502 Bad Gateway.", "HTTP/1.1 502 Bad Gateway"),
        ("We saw 503 errors on checkout.", "503 errors"),
        ("It sent 404 Not Found for every image.", "404 Not Found"),
        ("Readers got a 502.", "502"),
        ("Readers got a 500 from the API.", "500"),
        ("The API returned 500s to apps.", "500s"),
        ("A rise in 5xx responses.", "5xx responses"),
        ("Clients got status code 429 when busy.", "status code 429"),
        ("Search failed with error 503 for ten minutes.", "error 503"),
        ("Search returned 503 for ten minutes.", "503"),
    ],
)
def test_jargon_finds_status_codes(text: str, words: str) -> None:
    assert jargon(text) == [at(text, words, http(words))]


@pytest.mark.parametrize(
    "text",
    [
        "503 customers could not log in.",
        "In 2025 we moved.",
        "At 14:05 we rolled back.",
        "Pages took 500 ms longer.",
        "We served about 500 requests a second.",
        "We logged about 500 errors a minute.",
        "Hundreds of users, 100s of users.",
        "A 500-person team.",
        "1,503 errors in the logs were from 3 users.",
        "We sent 404 invoices late.",
        "The error rate rose to 40 % at 14:05.",
        "A 20x rise.",
    ],
)
def test_jargon_leaves_ordinary_numbers(text: str) -> None:
    assert jargon(text) == []


@pytest.mark.parametrize(
    ("text", "words", "message"),
    [
        ("The primary at 10.0.3.17 stopped.", "10.0.3.17", ip("10.0.3.17")),
        ("It listened on 10.0.3.17:5432 only.", "10.0.3.17:5432", ip("10.0.3.17:5432")),
        ("Requests from 2001:db8::1 failed.", "2001:db8::1", ip("2001:db8::1")),
        ("The host db-03.internal filled up.", "db-03.internal", host("db-03.internal")),
        ("Calls to api-7.prod.example.net hung.", "api-7.prod.example.net", None),
        ("redis.svc.cluster.local restarted.", "redis.svc.cluster.local", None),
        ("Traffic left web-12.eu.example.com.", "web-12.eu.example.com", None),
        ("The cache at cache.stg.example.io went away.", "cache.stg.example.io", None),
    ],
)
def test_jargon_finds_hosts_and_addresses(text: str, words: str, message: str | None) -> None:
    assert jargon(text) == [at(text, words, message or host(words))]


@pytest.mark.parametrize(
    "text",
    [
        'Read [the write-up](https://web-12.eu.example.com/a_(b) "Write-up").',
        "Read <https://db-03.internal/x> or https://10.0.3.17/status, then mail <ops@db-03.lan>.",
        "See [the post][1].\n\n[1]: https://api-7.prod.example.net/post\n",
        "Our site example.com and office365.com were fine.",
        "Version 1.2.3 and backup-2025.tar.gz are unaffected; node.js was too.",
        "From 14:05:30 to 14:10, and then at 10:00:: (a typo).",
        "Use std::vector, says the manual.",
    ],
)
def test_jargon_leaves_links_domains_and_versions(text: str) -> None:
    assert jargon(text) == []


@pytest.mark.parametrize(
    "words",
    [
        "Traceback (most recent call last):",
        'File "app/db.py", line 3, in connect',
        "at com.foo.Bar.baz(Bar.java:42)",
        "NullPointerException",
        "java.lang.OutOfMemoryError",
        "panic: runtime error: index out of range",
        "goroutine 1 [running]:",
        "segfault",
        "SIGSEGV",
        "OOMKilled",
        "ECONNREFUSED",
        "ETIMEDOUT",
        "CrashLoopBackOff",
    ],
)
def test_jargon_finds_stack_traces(words: str) -> None:
    text = f"The worker crashed:\n\n    {words}\n\nWe restarted it."
    assert jargon(text) == [at(text, words, trace(words))]


def test_jargon_reads_fenced_code_as_public_text() -> None:
    text = (
        "We saw this:\n\n```\nTraceback (most recent call last):\n"
        "  File \"app.py\", line 3, in <module>\nKeyError: 'x'\n```\n"
    )
    assert jargon(text) == [
        at(text, "Traceback (most recent call last):", trace("Traceback (most recent call last):")),
        at(
            text,
            'File "app.py", line 3, in <module>',
            trace('File "app.py", line 3, in <module>'),
        ),
        at(text, "KeyError", trace("KeyError")),
    ]


def test_jargon_leaves_plain_words_that_look_like_traces() -> None:
    assert jargon("Don't panic: pages showed an Internal Server Error notice.") == []


def test_jargon_finds_glossary_terms_as_whole_words_in_any_case() -> None:
    text = "KRAKEN lagged, then the blue\ncluster; the Krakens were fine."
    assert jargon(text, ["Kraken", "the blue cluster", "  "]) == [
        Finding(0, 6, glossary("KRAKEN")),
        Finding(20, 16, glossary("the blue cluster")),
    ]


def test_jargon_keeps_one_finding_per_span_sorted() -> None:
    text = "Kraken at db-03.internal (10.0.3.17) sent HTTP 503 errors."
    assert jargon(text, ["db-03", "Kraken"]) == [
        Finding(0, 6, glossary("Kraken")),
        Finding(10, 14, host("db-03.internal")),
        Finding(26, 9, ip("10.0.3.17")),
        Finding(42, 15, http("HTTP 503 errors")),
    ]


# --- blame ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (
            "Checkout failed due to an issue with our cloud provider.",
            "due to an issue with our cloud provider",
        ),
        ("It was caused by a third-party outage.", "caused by a third-party outage"),
        ("Logins failed because of AWS.", "because of AWS"),
        ("At 14:05 our upstream provider failed.", "our upstream provider failed"),
        ("This was the vendor's fault.", "the vendor's fault"),
        ("This was the vendor\u2019s fault.", "the vendor\u2019s fault"),
        ("The cause was beyond our control.", "beyond our control"),
        ("Cloudflare had an outage at noon.", "Cloudflare had an outage"),
        ("It was not our fault.", "not our fault"),
        (
            "Payments failed due to a problem at one of our payment processors.",
            "due to a problem at one of our payment processors",
        ),
    ],
)
def test_blame_finds_fault_pinned_on_suppliers(text: str, words: str) -> None:
    assert blame(text) == [at(text, words, pinned(words))]


def test_blame_finds_wording_wrapped_across_lines() -> None:
    text = "Pages failed due to an issue\nwith our cloud\n  provider."
    assert blame(text) == [Finding(13, 41, pinned("due to an issue with our cloud provider"))]


@pytest.mark.parametrize(
    "owning",
    [
        "We are responsible for our choice of provider.",
        "That is our responsibility.",
        "We should have had a second provider.",
        "We chose a single region.",
        "It was our mistake.",
        "We failed to plan for it.",
        "It is our fault that it spread.",
        "We own our uptime.",
        "That is on us.",
    ],
)
def test_blame_is_silent_when_the_text_owns_the_fault(owning: str) -> None:
    assert blame(f"Checkout failed due to an issue with our cloud provider. {owning}") == []


def test_blame_owning_does_not_count_when_negated() -> None:
    text = "Checkout failed because of AWS. It isn't our responsibility."
    assert blame(text) == [
        at(text, "because of AWS", pinned("because of AWS")),
        at(text, "isn't our responsibility", pinned("isn't our responsibility")),
    ]


@pytest.mark.parametrize(
    "text",
    [
        "Our partners saw errors, and our partners experienced delays.",
        "We failed over to the other region.",
        "Because of the outage, orders were delayed.",
        "Search failed because of the CDN cache rules we set.",
        "Our provider notified us at 14:00, and we moved to a second CDN.",
        "The cause was a bug in our code, not our cloud provider.",
        "Due to a bug, our CDN served stale pages.",
        "Some partners failed to receive webhooks.",
    ],
)
def test_blame_leaves_plain_mentions_of_suppliers(text: str) -> None:
    assert blame(text) == []


# --- vague ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "words",
    [
        "some users may experience issues",
        "Some customers may be affected",
        "A small number of users",
        "We are aware of an issue",
        "Intermittent issues",
        "Degraded performance for some users",
        "Issues with some services",
        "Some of our customers were affected",
        "Users may experience intermittent issues",
    ],
)
def test_vague_finds_boilerplate(words: str) -> None:
    text = f"{words}. We are working on it."
    assert vague(text) == [Finding(0, len(words), unscoped(words))]


def test_vague_finds_each_phrase_once() -> None:
    text = "Some users may experience issues. A small\nnumber of users saw intermittent issues."
    assert vague(text) == [
        Finding(0, 32, unscoped("Some users may experience issues")),
        Finding(34, 47, unscoped("A small number of users saw intermittent issues")),
    ]


@pytest.mark.parametrize(
    "scale",
    [
        "About 300 customers could not log in.",
        "12 % of requests failed.",
        "It was in the EU region.",
        "One in five requests failed.",
    ],
)
def test_vague_is_silent_when_the_text_says_the_scale(scale: str) -> None:
    assert vague(f"Some users may experience issues. {scale}") == []


@pytest.mark.parametrize(
    "text",
    [
        "We are aware of an issue with login.",
        "Some users have asked whether data was lost.",
        "We restarted some services.",
        "Some of the services were restarted.",
    ],
)
def test_vague_leaves_scoped_or_ordinary_text(text: str) -> None:
    assert vague(text) == []


# --- says_sorry ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("We are sorry.", True),
        ("SORRY for the trouble.", True),
        ("We apologise.", True),
        ("We apologize.", True),
        ("Our apologies.", True),
        ("We regret the disruption.", True),
        ("We deeply regret it.", True),
        ("Our scripts were in a sorry state.", False),
        ("Regrettably, the cache was cold.", False),
        ("We fixed it.", False),
    ],
)
def test_says_sorry(text: str, expected: bool) -> None:
    assert says_sorry(text) is expected


# --- has_duration --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("It lasted 50 minutes.", True),
        ("It was down for 2 hours.", True),
        ("It was down 1 h 20 min.", True),
        ("It was down 1h20m.", True),
        ("It was down from 14:05 to 14:55.", True),
        ("It was down between 14:05 and 14:55 CET.", True),
        ("It was down 14:05\u201314:55 UTC.", True),
        ("It was down from 2 pm until 4 pm.", True),
        ("It was down for 90 seconds.", True),
        ("It was down for three hours.", True),
        ("It was down for half an hour.", True),
        ("It was down all day.", True),
        ("It went down at 14:05 and we posted at 14:55.", False),
        ("It has been down since 14:05.", False),
        ("503 customers were affected.", False),
    ],
)
def test_has_duration(text: str, expected: bool) -> None:
    assert has_duration(text) is expected


# --- has_scale -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12 % failed.", True),
        ("12% of requests failed.", True),
        ("About 300 customers were affected.", True),
        ("One in five requests failed.", True),
        ("A third of logins failed.", True),
        ("Half of the pages were slow.", True),
        ("All users were affected.", True),
        ("Every customer was affected.", True),
        ("Every request failed.", True),
        ("No customers were affected.", True),
        ("1,200 accounts were locked.", True),
        ("Three customers were affected.", True),
        ("Users in the EU region were affected.", True),
        ("It was us-east; eu-west-1 was fine.", True),
        ("Customers in Germany were affected.", True),
        ("Nobody could log in.", True),
        ("Some users were affected.", False),
        ("A few customers and many users were affected.", False),
        ("It lasted 50 minutes, from 14:05, for half an hour.", False),
        ("The region was slow. No data was lost.", False),
        ("Pages showed HTTP 503.", False),
    ],
)
def test_has_scale(text: str, expected: bool) -> None:
    assert has_scale(text) is expected


# --- states_data_impact --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("No data was lost.", True),
        ("There was no data loss.", True),
        ("Some data was lost.", True),
        ("We lost data.", True),
        ("There is no lingering impact.", True),
        ("There is no further impact.", True),
        ("There is no remaining impact.", True),
        ("No action is needed.", True),
        ("Nothing was lost.", True),
        ("All data is intact.", True),
        ("You need to do nothing.", True),
        ("Customers must re-send their orders.", True),
        ("Please retry.", True),
        ("We have rolled it back.", False),
        ("The data centre was slow.", False),
    ],
)
def test_states_data_impact(text: str, expected: bool) -> None:
    assert states_data_impact(text) is expected


def test_predicates_ignore_link_destinations() -> None:
    text = "[Read more](https://example.com/sorry/50-minutes/all-users/no-data-loss)."
    assert (says_sorry(text), has_duration(text), has_scale(text), states_data_impact(text)) == (
        False,
        False,
        False,
        False,
    )

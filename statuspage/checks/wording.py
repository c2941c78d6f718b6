"""Lapses in the public text of an incident: jargon, blame, vague scope, missing facts.

Pure functions of one Markdown source text, for the `check` rules to call: they do no I/O,
read no config, and know nothing of files or lines. A finder returns `Finding`s (an offset
into the text, a length, a message), sorted, at most one per overlapping span; a `has_*`
or `says_*` predicate says whether the text states a fact a resolved update owes readers.

Every function first blanks out link destinations (the `(url)` of `[text](url)`, `<url>`
autolinks, bare `https://...` URLs, reference definitions): a link is fine in public text,
whatever host it names. Fenced code is read like prose, since a stack trace pasted into a
public update is itself the lapse. Phrases may wrap across lines, as Markdown source does.

The patterns aim at precision over recall: a false warning on plain, good text teaches
users to ignore the checks. So the finders fire on forms that are hard to misread, and the
predicates (which silence or prompt a warning) accept the common ways of stating a fact.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import NamedTuple


class Finding(NamedTuple):
    """Words of a text that a reader should not have to see, and what to write instead."""

    offset: int  # index into the text where the offending words start
    length: int  # how many characters they span
    message: str  # the warning's text: what is wrong, quoting the words, then what to do


HTTP_STATUS = (
    "'{}' is an HTTP status code; say what readers saw instead, such as \"pages failed to load\""
)
HOST_NAME = "'{}' is a host name; name the service readers know instead, such as \"the database\""
IP_ADDRESS = "'{}' is an IP address; name the service readers know instead"
STACK_TRACE = "'{}' is from a stack trace; say in plain words what failed"
GLOSSARY = "'{}' is in the internal glossary; use the name readers know"
BLAME = (
    "'{}' pins the fault on a supplier; "
    "say what we will change so that their failure does not become ours"
)
VAGUE = "'{}' is vague; say who is affected and how (a number or share, a region, a feature)"


def _re(pattern: str, flags: int = re.IGNORECASE) -> re.Pattern[str]:
    """Compile `pattern` with each literal space standing for any run of whitespace.

    Markdown source wraps lines anywhere, so a phrase's words may be split by a newline.
    Lookbehinds must be fixed-width, so they spell their whitespace as a single `\\s`.
    """
    return re.compile(pattern.replace(" ", r"\s+"), flags)


# --- Links, blanked out before any rule reads the text -------------------------------------

_LINKS: tuple[re.Pattern[str], ...] = (
    # The destination of an inline link or image, `(url "title")` right after its `[text]`.
    _re(
        r"(?<=\])\(\s*(?:<[^<>\n]*>|(?:[^()\s]|\([^()\s]*\))*)"
        r"(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?\s*\)"
    ),
    # An autolink, `<https://...>` or `<ops@example.com>`.
    _re(r"<(?:[a-z][a-z0-9+.-]{1,31}:[^\s<>]*|[^\s<>@]+@[^\s<>@]+)>"),
    # A reference definition, `[id]: url "title"`, on a line of its own (not a footnote).
    re.compile(
        r"(?m)^[ ]{0,3}\[(?!\^)[^\]\n]+\]:[ \t]*(?:<[^<>\n]*>|\S*[/#.]\S*)"
        r"(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^()\n]*\)))?[ \t]*$"
    ),
    # A bare URL in prose, without the sentence's closing punctuation.
    _re(r"\b(?:https?|ftp)://[^\s<>()\[\]\"'`]*[^\s<>()\[\]\"'`.,;:!?]"),
)


def _without_links(text: str) -> str:
    """`text` with every link destination replaced by spaces, so that offsets still hold."""
    chars = list(text)
    for pattern in _LINKS:
        for match in pattern.finditer(text):
            chars[match.start() : match.end()] = " " * (match.end() - match.start())
    return "".join(chars)


def _quote(words: str) -> str:
    """The words as a message quotes them: on one line, as a wrapped phrase reads."""
    return " ".join(words.split())


def _one_per_span(found: Iterable[tuple[int, int, str]]) -> list[Finding]:
    """Findings sorted by offset, keeping the first and longest of those that overlap."""
    kept: list[Finding] = []
    end = 0
    for start, stop, message in sorted(found, key=lambda f: (f[0], -f[1])):
        if start >= end and stop > start:
            kept.append(Finding(start, stop - start, message))
            end = stop
    return kept


def _find_all(
    text: str, patterns: Sequence[tuple[re.Pattern[str], str]]
) -> list[tuple[int, int, str]]:
    """Every match of every pattern (its group `w` if it has one), with its message."""
    found = []
    for pattern, template in patterns:
        group = "w" if "w" in pattern.groupindex else 0
        for match in pattern.finditer(text):
            start, stop = match.span(group)
            found.append((start, stop, template.format(_quote(text[start:stop]))))
    return found


# --- Jargon --------------------------------------------------------------------------------

_CODE = r"[1-5]\d\d"
# The reason phrases of the error codes an incident shows, as servers print them.
_REASON = (
    r"(?:Bad Request|Unauthori[sz]ed|Forbidden|Not Found|Method Not Allowed|Request Time-?out"
    r"|Too Many Requests|Internal Server Error|Not Implemented|Bad Gateway"
    r"|Service Unavailable|Gateway Time-?out)"
)
# The nouns that make a number after them a status code: "503 errors", "5xx responses".
_HTTP_NOUN = r"(?:errors?|responses?|status(?:es| codes?)?|error (?:codes?|pages?))"
# A number a cue does not turn into a status code: a share, a duration, a count of things.
_NOT_A_CODE = (
    r"(?!\s*(?:%|percent\b|per\b|times\b|ms\b|milli|s\b|secs?\b|seconds?\b|mins?\b|minutes?\b"
    r"|h\b|hrs?\b|hours?\b|days?\b|users?\b|customers?\b|people\b|accounts?\b|requests?\b))"
)
# What may follow a bare code after "returned": the end of a clause or a preposition.
_AFTER_BARE_CODE = (
    r"(?=\s*(?:[.,;:!?)\]\"'\u201d\u2019]|$)|\s+(?:from|when|on|for|after|instead|while|if"
    r"|and|or|with|at|in|during|since|until|error|errors|response|responses|status)\b)"
)
# A number that is not part of a larger one (1,503 or 2.503), a time (14:503) or a price.
_NUMBER_START = r"(?<![\w.,:$€£#/+-])"

_OCTET = r"(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)"

_JARGON: tuple[tuple[re.Pattern[str], str], ...] = (
    # "HTTP 503", "HTTP/1.1 502 Bad Gateway", "HTTP status code 404", "HTTP 500 errors".
    (
        _re(
            rf"\bHTTP(?:/\d(?:\.\d)?)?(?:\s*|-)(?:(?:status|error|response) )?(?:codes? )?"
            rf"{_CODE}(?:['\u2019]?s)?\b(?![.,]\d)(?: {_REASON})?(?: (?:{_HTTP_NOUN}|codes?)\b)?"
        ),
        HTTP_STATUS,
    ),
    # "status code 429", "error 503", "response code 500", "a status of 502".
    (
        _re(
            rf"\b(?:status(?: codes?)?|(?:error|response|return|result) codes?|error)"
            rf"(?: of|\s*[:=])?\s*{_NUMBER_START}{_CODE}(?:['\u2019]?s)?\b(?![.,]\d){_NOT_A_CODE}"
            rf"(?: {_REASON})?"
        ),
        HTTP_STATUS,
    ),
    # "503 errors", "502 Bad Gateway", "429 responses", but not "about 500 errors" (a count).
    (
        _re(
            # The lookahead first: the lookbehinds are tried only where a code may start.
            r"(?=[45]\d\d)(?<!\babout\s)(?<!\baround\s)(?<!\broughly\s)(?<!\bapproximately\s)"
            r"(?<!\bnearly\s)(?<!\balmost\s)(?<!\bover\s)(?<!\bunder\s)(?<!\bthan\s)"
            r"(?<!\bsome\s)(?<!\bonly\s)(?<!\bjust\s)(?<!\bof\s)(?<!\bto\s)(?<!~)(?<!~\s)"
            rf"{_NUMBER_START}[45]\d\d(?:['\u2019]?s)?\b(?![.,]\d)"
            rf"(?: {_REASON}(?: (?:errors?|responses?)\b)?|\s*-?\s*{_HTTP_NOUN}\b)"
            r"(?! (?:per|each|every|an?)\b|\s*/\s*(?:s|sec|min|h)\b)"
        ),
        HTTP_STATUS,
    ),
    # "5xx", "4XX errors": a class of codes written with x's.
    (_re(rf"(?<![\w.-])[1-5]xx(?:['\u2019]?s)?\b(?: (?:{_HTTP_NOUN}|codes?)\b)?"), HTTP_STATUS),
    # "500s", "returned 502s": codes in the plural, but not "100s of users" (hundreds).
    (_re(rf"{_NUMBER_START}[45]\d\d['\u2019]?s\b(?! of\b)"), HTTP_STATUS),
    # "got a 502.", "a 500 from the API", "a 404 page": a bare error code after an article.
    (
        _re(rf"\ban? (?P<w>[45]\d\d)\b(?![.,]\d|['\u2019]?\w)(?:{_AFTER_BARE_CODE}|(?= page\b))"),
        HTTP_STATUS,
    ),
    # "returned 503 for", "failed with a 500.": a bare code after a verb that answers.
    (
        _re(
            r"\b(?:returned|returning|returns|threw|throwing|throws"
            r"|(?:responded|responding|respond|failed|failing|fail) with)"
            rf" (?:an? )?(?P<w>{_CODE})\b(?![.,]\d|['\u2019]?\w){_AFTER_BARE_CODE}"
        ),
        HTTP_STATUS,
    ),
    # An IPv6 address with its zero run written "::" (2001:db8::1, ::ffff:10.0.0.1), or in full.
    (
        _re(
            # A digit, and a hex letter or a group after "::", so that "10:00::" is no address.
            r"(?<![\w:.])(?=[0-9a-f:.]*\d)(?=[0-9a-f:.]*(?:[a-f]|::[0-9a-f]))"
            r"(?:(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}"
            r"|(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?::"
            r"(?:(?:[0-9a-f]{1,4}:){0,5}\d{1,3}(?:\.\d{1,3}){3}"
            r"|[0-9a-f]{1,4}(?::[0-9a-f]{1,4}){0,6})?)"
            r"(?:/\d{1,3})?(?![\w:]|\.\d)"
        ),
        IP_ADDRESS,
    ),
    # An IPv4 address, with its port or prefix length if any (10.0.3.17:5432, 10.0.0.0/8).
    (
        _re(
            rf"(?<![\w.:])(?:{_OCTET}\.){{3}}{_OCTET}"
            r"(?::\d{1,5}|/\d{1,2})?(?!\w|\.\d)"
        ),
        IP_ADDRESS,
    ),
    # A name in a private domain: db-03.internal, redis.svc.cluster.local, build.corp.
    (
        re.compile(
            r"(?<![\w.@/:-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
            r"(?:internal|local|localdomain|lan|corp|intra|intranet|svc|home\.arpa)"
            r"(?![\w-]|\.[a-z0-9])(?::\d{1,5})?"
        ),
        HOST_NAME,
    ),
    # A machine's name under a public domain: its first label numbered (web-12.eu.example.com).
    (
        re.compile(
            r"(?<![\w.@/:-])[a-z][a-z0-9-]*\d[a-z0-9-]*(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+"
            r"\.(?!(?:gz|tgz|xz|zip|tar|log|txt|json|ya?ml|toml|py|js|ts|sql|csv|bak|md|html?"
            r"|xml|conf|cfg|ini|sh|rb|go|java|jar|war|exe|dll|so|pdf|png|jpe?g|gif|svg)\b)"
            r"[a-z]{2,63}(?![\w-]|\.[a-z0-9])(?::\d{1,5})?"
        ),
        HOST_NAME,
    ),
    # A machine's name under an environment's subdomain: api.prod.example.net, db.stg.acme.io.
    (
        re.compile(
            r"(?<![\w.@/:-])(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+"
            r"(?:prod|production|staging|stage|stg|dev|qa|uat|preprod|infra|k8s|mgmt|priv)\."
            r"(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)*[a-z]{2,63}(?![\w-]|\.[a-z0-9])(?::\d{1,5})?"
        ),
        HOST_NAME,
    ),
    # The loopback host, which no reader can reach.
    (re.compile(r"\blocalhost(?::\d{1,5})?\b"), HOST_NAME),
    # Python's traceback header and frame lines: `File "x.py", line 3, in main`.
    (re.compile(r"Traceback \(most recent call last\):?"), STACK_TRACE),
    (re.compile(r"\bFile \"[^\"\n]+\", line \d+(?:, in \S+)?"), STACK_TRACE),
    # A JVM frame: at com.foo.Bar.baz(Bar.java:42), at x.Y.z(Native Method).
    (
        re.compile(r"\bat (?:[\w$]+\.)+[\w$<>]+\((?:[\w$.-]+:\d+|Native Method|Unknown Source)\)"),
        STACK_TRACE,
    ),
    # An exception's class, qualified or not: NullPointerException, java.lang.OutOfMemoryError.
    (re.compile(r"\b(?:[a-z_]\w*\.)*[A-Z][A-Za-z0-9]*(?:Exception|Error)\b"), STACK_TRACE),
    # Go's and Rust's crash lines: "panic: runtime error: ...", "goroutine 1 [running]:".
    (re.compile(r"\bpanic: runtime error\b(?::[^\n.;]*[^\s.;])?"), STACK_TRACE),
    (re.compile(r"\bgoroutine \d+ \[[^\]\n]+\]:?"), STACK_TRACE),
    (re.compile(r"\bthread '[^'\n]*' panicked at\b|\bpanicked at\b"), STACK_TRACE),
    # Signals and crashes by their system names: segfault, SIGSEGV, "core dumped".
    (
        _re(
            r"\b(?:segfault(?:ed|s|ing)?|segmentation fault|SIG(?:SEGV|KILL|ABRT|BUS)"
            r"|core dumped)\b"
        ),
        STACK_TRACE,
    ),
    # The kernel's and Kubernetes' words for a process killed or restarting: OOMKilled.
    (
        re.compile(r"\bOOM(?:Killed|[- ]?kill(?:ed|er|s)?)?\b|\boom[- ]?kill(?:ed|er)\b"),
        STACK_TRACE,
    ),
    (re.compile(r"\b(?:CrashLoopBackOff|ImagePullBackOff|ErrImagePull)\b"), STACK_TRACE),
    # An errno name from a socket or file call: ECONNREFUSED, ETIMEDOUT.
    (
        re.compile(
            r"\bE(?:CONNREFUSED|CONNRESET|CONNABORTED|TIMEDOUT|HOSTUNREACH|NETUNREACH|ADDRINUSE"
            r"|ADDRNOTAVAIL|NOENT|ACCES|PERM|PIPE|NOTFOUND|AI_AGAIN|MFILE|NFILE|NOSPC|NOMEM"
            r"|AGAIN|EXIST|ROFS|DQUOT)\b"
        ),
        STACK_TRACE,
    ),
)


@lru_cache(maxsize=64)
def _glossary_pattern(terms: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern for the terms, longest first, whole words, any case, wrapping allowed."""
    words = sorted({" ".join(term.split()) for term in terms if term.strip()}, key=len)
    if not words:
        return None
    alternatives = "|".join(re.escape(word).replace(r"\ ", " ") for word in reversed(words))
    return _re(rf"(?<!\w)(?:{alternatives})(?!\w)")


def jargon(text: str, glossary: Sequence[str] = ()) -> list[Finding]:
    """Words the public should not need to read: status codes, hosts, traces, internal names.

    HTTP status codes count only where a cue makes them codes ("HTTP 503", "503 errors",
    "status code 429", "a 502.", "5xx"), never a bare number ("503 customers", "500 ms").
    Host names count when private (db-03.internal, anything under .internal, .local, .lan,
    .corp, .intra, .svc), numbered (web-12.eu.example.com) or under an environment's
    subdomain (api.prod.example.net); a plain public domain and any host inside a link do
    not. The glossary's terms match whole words in any case.
    """
    masked = _without_links(text)
    found = _find_all(masked, _JARGON)
    pattern = _glossary_pattern(tuple(glossary))
    if pattern is not None:
        found += _find_all(masked, ((pattern, GLOSSARY),))
    return _one_per_span(found)


# --- Blame ---------------------------------------------------------------------------------

# A word between the words of a phrase is `[\w-]{1,30}`: bounded, so that one long token
# costs each pattern linear time, not quadratic.
_DETERMINER = r"(?:our|the|an?|its|their|one of (?:our|the|its)|(?:some|several|two|a few) of our)"
# What kind of supplier a noun names: our *cloud* provider, a *third-party* CDN.
_KIND = (
    r"(?:cloud|hosting|network(?:ing)?|upstream|third-party|third party|external|outside|dns|cdn"
    r"|payments?|card|e-?mail|sms|voice|infrastructure|storage|database|service|internet"
    r"|telecoms?|telecommunications|connectivity|transit|backbone|main|primary|largest|major"
    r"|key|platform|api|identity|login|authentication|messaging|mail|hardware|software|saas"
    r"|iaas|paas|managed|colocation|colo|datacent(?:er|re)|data|server|certificate|monitoring"
    r"|logging|shipping|banking|bank|aws|azure|gcp|google|amazon|microsoft|cloudflare|fastly"
    r"|akamai)"
)
# A noun that names someone we buy from (a partner may also be who we serve: see _SUBJECT).
_SUPPLIER_NOUN = (
    r"(?:providers?|vendors?|suppliers?|isps?|cdns?|data cent(?:re|er)s?|datacent(?:re|er)s?"
    r"|third part(?:y|ies)|hosting|carriers?|upstreams?|(?:payment|card) processors?)"
)
_SUPPLIER_NAME = (
    r"(?:AWS|Amazon(?: Web Services)?|(?:Microsoft )?Azure|Google Cloud(?: Platform)?|GCP"
    r"|Cloudflare|Fastly|Akamai)"
)
# A supplier by noun or by name: "our cloud provider", "one of our partners", "AWS".
_SUPPLIER = (
    rf"(?:{_DETERMINER} (?:{_KIND} ){{0,3}}(?:{_SUPPLIER_NOUN}|partners?)\b"
    rf"|(?:{_DETERMINER} )?(?:{_KIND} ){{0,2}}{_SUPPLIER_NAME}\b(?: (?:{_KIND} ){{0,2}}"
    rf"{_SUPPLIER_NOUN}\b)?)"
    # Not our own setup at a supplier ("because of the CDN cache we configured wrongly").
    r"(?! (?:cache|caching|config\w*|settings|rules?|setup|integration|account|keys?"
    r"|certificates?|credentials)\b)"
)
_PROBLEM = (
    r"(?:issues?|problems?|failures?|outages?|incidents?|faults?|errors?|disruptions?"
    r"|degradation|bugs?|misconfiguration|maintenance|interruptions?|downtime|changes?"
    r"|events?|breakdown)"
)
# A problem that belongs to a supplier by its adjective: "a third-party outage".
_SUPPLIER_PROBLEM = (
    rf"(?:{_DETERMINER} |some )?(?:third-party|third party|upstream|external|vendor|provider"
    rf"|supplier|partner|cdn|isp|{_SUPPLIER_NAME}|(?:cloud|hosting|network|dns) (?:provider"
    rf"|vendor)) (?:[\w-]{{1,30}} )?{_PROBLEM}\b"
)
_CAUSE = (
    r"(?:due to|owing to|caused by|because of|as a result of|the result of|result(?:ed|ing) from"
    r"|triggered by|stemm(?:ed|ing) from|originat(?:ed|ing) (?:at|with|from|in)|on account of"
    r"|attributable to|blamed on)"
)
# The supplier's own problem, systems or fault, after a possessive: "our provider's outage".
_POSSESSED = rf"(?:['\u2019]s? (?:(?:[\w-]{{1,30}} )?{_PROBLEM}|fault|side|end)\b)?"
# Verbs that make a supplier the subject of the failure: "failed", "had an outage".
_FAILED = (
    r"(?:failed(?! to\b| over\b)|went down|goes down|(?:was|were|is|are) down|went offline"
    r"|(?:was|were) offline|broke|crashed|had (?:an? |some |major |a major )?(?:[\w-]{1,30} )?"
    r"(?:outage|issue|problem|failure|incident)s?|experienced|suffered|caused|introduced"
    r"|misconfigured|took (?:[\w-]{1,30} ){1,3}(?:down|offline)"
    r"|brought (?:[\w-]{1,30} ){0,3}down|knocked)\b"
)
# A supplier as a sentence's subject; a bare "partner" is left out, as partners are often
# the people affected ("our partners saw errors").
_SUBJECT = (
    rf"(?:{_DETERMINER} (?:{_KIND} ){{0,3}}{_SUPPLIER_NOUN}|(?:{_KIND} ){{1,3}}partners?"
    rf"|(?:(?:the|an?) )?{_SUPPLIER_NAME}|{_SUPPLIER_PROBLEM}"
    rf"|(?:(?:the|an?) )?(?:[\w-]{{1,30}} )?{_PROBLEM} (?:at|with|in|on) {_SUPPLIER})"
)

# A word that any supplier, as the patterns below name one, contains.
_SUPPLIER_WORD = (
    rf"(?:{_SUPPLIER_NOUN}|partner|{_SUPPLIER_NAME}|third-party|upstream|external|vendor"
    r"|provider|supplier|cdn|isp)"
)

# Each pattern with its message and, for the costly ones, quicker patterns that every match
# of it contains: a text without any one of them is not searched further.
_BLAME: tuple[tuple[re.Pattern[str], str, tuple[re.Pattern[str], ...]], ...] = (
    # "due to an issue with our cloud provider", "because of AWS", "caused by our vendor's bug".
    (
        _re(
            rf"\b{_CAUSE} (?:(?:{_DETERMINER} |some )?(?:[\w-]{{1,30}} ){{0,2}}?{_PROBLEM} "
            rf"(?:with|at|in|on|affecting|from|within|inside|of) )?{_SUPPLIER}{_POSSESSED}"
        ),
        BLAME,
        (),
    ),
    # "caused by a third-party outage", "due to an upstream issue", "due to an AWS outage".
    (_re(rf"\b{_CAUSE} {_SUPPLIER_PROBLEM}"), BLAME, ()),
    # "due to an issue upstream".
    (
        _re(
            rf"\b{_CAUSE} (?:{_DETERMINER} |some )?(?:[\w-]{{1,30}} ){{0,2}}?{_PROBLEM} "
            r"(?:upstream|at a third party|outside our (?:network|systems|infrastructure))\b"
        ),
        BLAME,
        (),
    ),
    # "our upstream provider failed", "AWS had an outage", "a third-party outage took us down".
    (
        _re(rf"\b{_SUBJECT}(?:['\u2019]s? (?:[\w-]{{1,30}} )?[\w-]{{1,30}})? {_FAILED}"),
        BLAME,
        (_re(_SUPPLIER_WORD), _re(rf"\b{_FAILED}")),
    ),
    # "the vendor's fault", "AWS's fault", "their fault", "the fault of our provider".
    (
        _re(
            rf"\b(?:(?:{_DETERMINER} )?(?:{_KIND} ){{0,3}}(?:{_SUPPLIER_NOUN}|partners?"
            rf"|{_SUPPLIER_NAME})['\u2019]s?|their) fault\b|\bthe fault (?:of|lies with|was with) "
            rf"{_SUPPLIER}"
        ),
        BLAME,
        (_re("fault"),),
    ),
    # "not our fault", "through no fault of our own".
    (
        _re(
            r"\b(?:not|\w+n['\u2019]t) our (?:fault|responsibility|doing)\b"
            r"|\b(?:through )?no fault of (?:our own|ours)\b"
        ),
        BLAME,
        (),
    ),
    # "beyond our control", "outside of our control", "out of our hands".
    (_re(r"\b(?:beyond|outside(?: of)?|out of) our (?:control|hands)\b"), BLAME, ()),
    # "on the provider's side", "on AWS's end".
    (
        _re(
            rf"\bon (?:the |our )?(?:{_KIND} )?(?:{_SUPPLIER_NOUN}|partners?|{_SUPPLIER_NAME})"
            r"['\u2019]s? (?:side|end)\b"
        ),
        BLAME,
        (),
    ),
)

# Owning the fault, anywhere in the text; a negated "not our fault" does not count.
_OWNS = _re(
    r"\bwe(?: are|['\u2019]re| were| was| take| accept| bear)(?: fully| entirely| solely| wholly)?"
    r" (?:the )?responsib(?:le|ility)\b"
    r"|(?=our )(?<!\bnot\s)(?<!n['\u2019]t\s)(?<!\bnever\s)(?<!\bno\s)"
    r"\bour (?:own )?(?:responsibility|fault|mistakes?)\b"
    r"|\b(?:it|this|that)(?: is|['\u2019]s| was) on us\b|\bwe should have\b|\bwe chose\b"
    r"|\bwe made (?:an? |the )?(?:[\w-]{1,30} )?(?:mistake|error)s?\b|\bwe failed\b(?! over\b)"
    r"|\bwe own\b"
    r"|\bthe (?:fault|responsibility|mistake) (?:is|was|lies with|lay with) (?:ours|us)\b"
    r"|\bwe(?: are|['\u2019]re| were) to blame\b|\bwe (?:misconfigured|broke)\b"
)


def blame(text: str) -> list[Finding]:
    """Wording that pins the fault on a supplier, unless the text also owns the fault.

    A supplier is a provider, vendor, supplier, third party, upstream, partner, hosting,
    data centre, CDN, ISP, carrier or payment processor, or a named cloud (AWS, Azure,
    Google Cloud, GCP, Cloudflare, Fastly, Akamai). The wording pins the fault when it
    makes the supplier the cause ("due to an issue with our cloud provider", "because of
    AWS"), the one that failed ("our upstream provider failed"), the one at fault ("the
    vendor's fault"), or puts the cause out of our hands ("beyond our control"). Owning
    it anywhere ("our responsibility", "we should have", "that is on us") silences all.
    """
    masked = _without_links(text)
    if _OWNS.search(masked):
        return []
    patterns = [(p, t) for p, t, needs in _BLAME if all(n.search(masked) for n in needs)]
    return _one_per_span(_find_all(masked, patterns))


# --- Vague scope ---------------------------------------------------------------------------

_WHO = (
    r"(?:users|customers|clients|accounts|people|merchants|visitors|tenants|members|subscribers"
    r"|developers|teams|organi[sz]ations|stores|shops|workspaces|projects|sites|services"
    r"|systems|features|components|regions|requests)"
)
# Quantifiers that hide how many, when nothing else in the text says it.
_SOME = r"(?:some|certain|a few|select)(?: of (?:our|the))?"
_SUBSET = (
    r"a (?:(?:very )?(?:small|limited|tiny) )?(?:number|subset|portion|handful|percentage"
    r"|proportion|fraction|minority|group) of(?: (?:our|the))?"
)
# What boilerplate says happens to them: "may experience issues", "may be affected".
_MAY_SUFFER = (
    r"(?: (?:may|might|could|can|will|would|are|were|is|was|have|has|had)"
    r"(?: (?:be|been|have|also|currently|now|still|possibly|temporarily|continue to)){0,3})?"
    r" (?:(?:experienc(?:e|es|ed|ing)|see|seeing|seen|saw|notic(?:e|ed|ing)"
    r"|encounter(?:s|ed|ing)?|hav(?:e|ing)|had|fac(?:e|ing)|run into|running into)"
    r"(?: (?:some|intermittent|minor|occasional|temporary|brief|technical|unexpected|degraded"
    r"|an?)\b){0,2} (?:issues?|problems?|difficult(?:y|ies)|disruptions?|trouble|errors?"
    r"|delays?|slowness|interruptions?|impact|performance|behaviou?r|service)"
    r"|(?:be )?(?:affected|impacted|unavailable|degraded|disrupted|interrupted|slow|down))\b"
)
_GENERIC_TROUBLE = (
    r"(?:(?:some|intermittent|minor|occasional|temporary|technical|unexpected) ){0,2}"
    r"(?:issues|problems|difficulties|disruptions?|trouble|degraded performance"
    r"|unexpected behaviou?r)\b"
)

_VAGUE: tuple[tuple[re.Pattern[str], str], ...] = (
    # "some users may experience issues", "certain customers may be affected".
    (_re(rf"\b{_SOME} {_WHO}{_MAY_SUFFER}"), VAGUE),
    # "a small number of users", "a subset of customers may see errors".
    (_re(rf"\b{_SUBSET} {_WHO}\b(?:{_MAY_SUFFER})?"), VAGUE),
    # "Users may experience issues", "customers may be affected", with no quantifier at all.
    (
        _re(
            r"\b(?:users|customers|clients|you) (?:may|might|could)(?: (?:also|currently|still))?"
            rf" (?:(?:experience|see|notice|encounter|have|face|run into) {_GENERIC_TROUBLE}"
            r"|be (?:affected|impacted)\b)"
        ),
        VAGUE,
    ),
    # "we are aware of an issue", "we are investigating reports of problems", said of nothing.
    (
        _re(
            r"\bwe(?: are|['\u2019]re| have been| were)(?: currently| now)?"
            r" (?:aware of|investigating|looking into) (?:an?|some|reports of(?: an?| some)?)"
            r" (?:(?:potential|possible|minor|technical|intermittent) )?"
            r"(?:issues?|problems?|incident|difficult(?:y|ies)|disruptions?)\b"
            r"(?! (?:with|affecting|impacting|in|on|where|that|which|causing|preventing|when"
            r"|for)\b)"
        ),
        VAGUE,
    ),
    # "issues with some services", "problems affecting a small number of customers".
    (
        _re(
            r"\b(?:issues?|problems?|errors?|disruptions?) (?:with|affecting|impacting|for)"
            rf" (?:{_SOME}|several|multiple|various|{_SUBSET}) {_WHO}\b"
        ),
        VAGUE,
    ),
    # "intermittent issues", "intermittent connectivity problems".
    (
        _re(
            r"\bintermittent"
            r" (?:(?:connectivity|connection|network|service|technical|performance) )?"
            r"(?:issues|problems|errors|failures|disruptions?|difficulties|instability|outages"
            r"|slowness)\b"
        ),
        VAGUE,
    ),
    # "degraded performance for some users".
    (
        _re(
            r"\bdegraded (?:performance|service|availability) (?:for|affecting|impacting)"
            rf" (?:{_SOME}|{_SUBSET}) {_WHO}\b"
        ),
        VAGUE,
    ),
    # "we are experiencing technical difficulties".
    (
        _re(
            r"\b(?:experiencing|having|facing) (?:some )?technical"
            r" (?:issues|difficulties|problems)\b"
        ),
        VAGUE,
    ),
)


def vague(text: str) -> list[Finding]:
    """Boilerplate that hides who is affected, unless the text says the scale elsewhere.

    It finds "some users may experience issues", "a small number of users", "we are aware
    of an issue" (of nothing named), "intermittent issues", "degraded performance for some
    users", "issues with some services"; none of them when `has_scale(text)` holds.
    """
    masked = _without_links(text)
    if _has_scale(masked):
        return []
    return _one_per_span(_find_all(masked, _VAGUE))


# --- Facts a resolved update owes its readers ----------------------------------------------

# An apology; "a sorry state" is not one.
_SORRY = _re(
    r"\bsorry\b(?! (?:state|sight|tale|affair|excuse|lot|spectacle|mess)\b)"
    r"|\bapologi(?:[sz]e[sd]?|[sz]ing|es|y)\b|\bwe (?:(?:deeply|sincerely|truly|greatly) )?regret\b"
)


def says_sorry(text: str) -> bool:
    """Whether the text apologises: sorry, apologise/apologize, apologies, we regret."""
    return _SORRY.search(_without_links(text)) is not None


_NUMBER_WORD = (
    r"(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen"
    r"|fifteen|sixteen|seventeen|eighteen|nineteen|(?:twenty|thirty|forty|fifty|sixty|seventy"
    r"|eighty|ninety)(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
)
_TIME = r"(?:\d{1,2}(?::\d{2}){1,2}(?: ?[ap]\.?m\b\.?)?|\d{1,2} ?[ap]\.?m\b\.?)"
# A time zone after a time: CET, UTC, UTC+1, GMT+01:00.
_ZONE = r"(?: (?:[a-z]{2,5}[+-]\d{1,2}(?::?\d{2})?|[a-z]{2,5})\b)?"
_DATE = r"(?:\d{4}-\d{2}-\d{2}(?:t| | at )|(?:[a-z]+,? )?)"

_DURATION: tuple[re.Pattern[str], ...] = (
    # A number of units: "50 minutes", "90 seconds", "1 h 20 min", "2.5 hrs", "500 ms".
    _re(
        r"(?<![\w.,:])\d+(?:[.,]\d+)?\s*(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?"
        r"|weeks?|ms|milliseconds?)\b"
    ),
    # Hours and minutes run together: "1h20m", "1h 20min".
    _re(r"\b\d+h\s*\d+m(?:in)?\b"),
    # Units counted in words: "three hours", "half an hour", "an hour", "a few minutes".
    _re(
        rf"\b(?:{_NUMBER_WORD}|an?|half an?|a few|a couple of|several|one and a half)"
        r" (?:seconds?|minutes?|hours?|days?|weeks?)\b"
    ),
    # A span of clock times: "from 14:05 to 14:55", "14:05-14:55 CET" (or en dash), "2 pm to 4 pm".
    _re(
        rf"(?<![\d:]){_TIME}{_ZONE}\s*(?:-|\u2013|\u2014|to|until|till|through|thru)\s*"
        rf"(?:(?:about|around|roughly|approximately) )?{_DATE}{_TIME}"
    ),
    # "between 14:05 and 14:55 CET", "between Monday 23:00 and Tuesday 01:30".
    _re(rf"\bbetween {_DATE}{_TIME}{_ZONE} and {_DATE}{_TIME}"),
    # A whole part of the day: "all day", "the whole night", "the entire morning".
    _re(r"\b(?:all|the whole|the entire) (?:day|night|morning|afternoon|evening|weekend)\b"),
)


def has_duration(text: str) -> bool:
    """Whether the text says how long: "50 minutes", "from 14:05 to 14:55", "all day".

    A number (in digits or words) of seconds, minutes, hours, days or weeks counts, as do
    "half an hour", "1 h 20 min", a span between two clock times, and "all day".
    """
    masked = _without_links(text)
    return any(pattern.search(masked) for pattern in _DURATION)


# Things an incident affects, counted: "300 customers", "every request", "no accounts".
_COUNTED = (
    r"(?:users?|customers?|clients?|accounts?|people|persons?|merchants?|visitors?|tenants?"
    r"|members?|subscribers?|developers?|requests?|calls?|orders?|payments?|transactions?"
    r"|messages?|e-?mails?|notifications?|jobs?|builds?|deployments?|deploys?|uploads?"
    r"|downloads?|files?|pages?|sites?|websites?|stores?|shops?|projects?|workspaces?"
    r"|organi[sz]ations?|teams?|tickets?|bookings?|devices?|sessions?|repositories|repos?"
    r"|domains?|checkouts?|logins?|sign-ins?|searches|search(?:es)?|queries|query|invoices?"
    r"|reports?|dashboards?|apps?|applications?|regions?|countries|country|markets?"
    r"|locations?|zones?|cities|city|services?|features?|components?|endpoints?|APIs?"
    r"|databases?|servers?|instances?|clusters?|links?|images?|videos?|posts?|records?)"
)
# A word between a count and what it counts ("300 business customers"), never a time unit.
_MODIFIER = (
    r"(?!(?:seconds?|secs?|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|ms|am|pm"
    r"|times|time|point|and|or|to|in|at|on|for|of|the|an?|we|who|which|that|was|were|is|are"
    r"|may|might|could|can|will|would|have|has|had|be|been)\b)[a-z][\w-]*"
)
_NUMBER = (
    rf"(?:\d{{1,3}}(?:[,.]\d{{3}})+|\d+(?:\.\d+)?(?: ?[km])?|{_NUMBER_WORD}"
    r"|a (?:single|dozen|hundred|thousand|million)|(?:tens of |hundreds of )?(?:dozens"
    r"|hundreds|thousands|millions) of)(?: (?:hundred|thousand|million))?"
)
_REGIONS = (
    r"(?-i:EU|US|USA|UK|EEA|EMEA|APAC|APJ|LATAM|AMER|NA)|Europe|Asia|Africa|Oceania|Australia"
    r"|(?:North|South|Latin|Central) America|the Americas|the Middle East"
)

_SCALE: tuple[re.Pattern[str], ...] = (
    # A share: "12 %", "12% of", "3.5 percent".
    _re(r"\d+(?:[.,]\d+)?\s*(?:%|percent\b|per cent\b)"),
    # A count of things: "300 customers", "1,200 accounts", "three of our 40 stores".
    _re(
        rf"(?<![\w.,:/-]){_NUMBER} (?:of (?:our|the|all|its|their) (?:{_NUMBER} )?)?"
        rf"(?:{_MODIFIER} ){{0,2}}{_COUNTED}\b"
    ),
    # A ratio: "one in five requests", "3 out of 10".
    _re(rf"\b(?:{_NUMBER}|a) (?:in|out of) (?:every )?(?:{_NUMBER})\b"),
    # A fraction: "a third of", "half of", "half the", "the majority of our users".
    _re(
        r"\b(?:(?:a|one|two) (?:third|quarter|fifth|tenth)s?|three quarters|(?:a|the) majority"
        r"|(?:nearly |almost )?half) (?:of|the|our|all)\b"
        rf"|\b(?:most|nearly all|almost all)(?: of)?(?: (?:our|the))? (?:{_MODIFIER} )?{_COUNTED}\b"
    ),
    # All or none: "all users", "every customer", "no customers", "none of our stores".
    _re(
        r"\b(?:all|every|no|none)(?: of)?(?: (?:our|the|its|their|your))?"
        rf" (?:{_MODIFIER} ){{0,2}}{_COUNTED}\b|\b(?:everyone|everybody|nobody|no one|no-one)\b"
    ),
    # A region: "in the EU region", "the Frankfurt region", "us-east", "eu-west-1".
    _re(
        r"\b(?-i:(?!(?:The|A|An|This|That|These|Those|Our|Which|Any|Some|Their|Its|Your|Multiple"
        r"|Several|Many|Certain|Various|Other|Affected|Same)\b)[A-Z][\w-]*)"
        r" regions?\b|\bregions? (?-i:[A-Z0-9][\w-]*)"
        r"|\b(?:us|eu|ap|sa|ca|me|af|il|mx|uk|in|jp|au|de|fr|asia|europe|australia"
        r"|northamerica|southamerica)-(?:east|west|north|south|central|northeast|northwest"
        r"|southeast|southwest)\d*(?:-\d+)?\b"
    ),
    # A place: "in the EU", "customers in Germany", "across Europe".
    _re(
        rf"\b(?:in|from|across|throughout) (?:the )?(?:{_REGIONS})\b"
        rf"|\b{_COUNTED} (?:in|from|based in|located in) (?:the )?(?-i:[A-Z][a-z]+)\b"
    ),
)


def _has_scale(masked: str) -> bool:
    """`has_scale` of a text whose links are already blanked out."""
    return any(pattern.search(masked) for pattern in _SCALE)


def has_scale(text: str) -> bool:
    """Whether the text says how many or how much were affected, or where.

    Any of these counts: a share ("12 %", "12 percent"); a number, in digits or words, of
    people or things ("about 300 customers", "1,200 accounts", "three customers", "a
    single merchant", "hundreds of orders"); a ratio ("one in five requests"); a fraction
    ("a third of", "half of", "most users"); all or none ("all users", "every request",
    "no customers", "nobody"); a region ("in the EU region", "us-east", "eu-west-1") or a
    place ("in Europe", "customers in Germany"). Vague words ("some", "a few", "many")
    do not count.
    """
    return _has_scale(_without_links(text))


_DATA_IMPACT: tuple[re.Pattern[str], ...] = (
    # Data lost or kept: "no data was lost", "some data was lost", "all data is intact".
    _re(
        r"\bdata (?:was|were|is|are|has been|have been|had been|will be|remains|remained)"
        r" (?:(?:not|never|fully|entirely|completely|permanently) )?(?:lost|intact|safe"
        r"|unaffected|corrupted|deleted|exposed|leaked|accessed|compromised|preserved|restored"
        r"|recovered|at risk)\b"
    ),
    # "no data loss", "without data loss", "lost data", "lost some customer data".
    _re(r"\bdata loss\b|\blost (?:(?:some|any|no|all|your|customer|user) ){0,2}data\b"),
    # Things not lost: "nothing was lost", "no orders were lost", "emails were not lost".
    _re(
        r"\b(?:nothing |no (?:[\w-]{1,30} ){1,2})(?:was|were|is|has been|have been|got) lost\b"
        r"|\b(?:was|were|is|are|has been|have been)(?: not|n['\u2019]t) lost\b"
    ),
    # Nothing left over: "no lingering impact", "no further effects", "no remaining issues".
    _re(
        r"\bno (?:lingering|further|remaining|lasting|ongoing|residual|continued|other)"
        r" (?:customer )?(?:impact|effects?|issues?|problems|consequences)\b"
    ),
    # What readers must do, or that they need not: "no action is needed", "you need to do nothing".
    _re(
        r"\bno (?:further )?action (?:is |was |will be )?(?:needed|required|necessary)\b"
        r"|\bno need to (?:do anything|take (?:any )?action)\b"
        r"|\byou (?:need to|have to|must) do nothing\b"
        r"|\byou (?:do not|don['\u2019]t|will not|won['\u2019]t) (?:need|have) to do anything\b"
        r"|\bnothing (?:further )?(?:for you )?to do\b"
    ),
    # What to redo: "customers must re-send", "please retry", "try again".
    _re(r"\b(?:re-?try|try again|re-?send|re-?submit|re-?upload|re-?enter)\b"),
    # Work held back and then done: "queued emails have all been delivered".
    _re(
        r"\b(?:have|has) (?:all |now )?been (?:re-?)?(?:processed|delivered|sent|recovered"
        r"|restored)\b|\bwill (?:all |now )?be (?:re-?)?(?:processed|delivered|sent)\b"
    ),
)


def states_data_impact(text: str) -> bool:
    """Whether the text says if data was lost, or that readers are left with no impact.

    Counts: data lost or kept ("no data was lost", "data loss", "all data is intact",
    "nothing was lost"), nothing left over ("no lingering impact", "no further impact"),
    what readers must or need not do ("no action is needed", "you need to do nothing",
    "customers must re-send", "retry"), and held-back work done ("have been delivered").
    """
    masked = _without_links(text)
    return any(pattern.search(masked) for pattern in _DATA_IMPACT)

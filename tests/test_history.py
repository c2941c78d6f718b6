"""The uptime history format: what serialise writes, what parse reads, and every problem."""

from __future__ import annotations

import marshal
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, cast

import pytest

from statuspage.errors import SourceError
from statuspage.model.probes import CheckResult, DayCounters, Measured, ProbeHistory
from statuspage.sources import history
from statuspage.sources.inputs import InputFile, Remembered, Stamp, scan
from statuspage.sources.loader import load_site
from tests.conftest import MakeSite, SiteDir

HEADER = history.HEADER_LINE
AT = datetime(2026, 11, 3, 12, 5, 7, tzinfo=UTC)
SINCE = datetime(2026, 11, 2, 22, 0, 0, tzinfo=UTC)
LATEST = CheckResult("api", AT, Measured.DOWN, 812.5, 'HTTP 500, "oops"', (), SINCE)
ROW = DayCounters(
    date(2026, 11, 3), 3, 1, 1, 1, 1000.5, 812.5, (1, 0, 0, 0, 0, 0, 1, 1, 0, 0), LATEST
)
ROW_TEXT = (
    "2026-11-03,3,1,1,1,1000.5,812.5,1 0 0 0 0 0 1 1 0 0,"
    '2026-11-03T12:05:07Z,down,812.5,"HTTP 500, ""oops""",,2026-11-02T22:00:00Z'
)
GOOD = f"{HEADER}\n{ROW_TEXT}\n"
NAME = "uptime/api/2026-11.eu.csv"


def parse(text: str) -> tuple[list[DayCounters], list[str]]:
    rows, problems = history.parse(text, NAME, "api", "2026-11")
    return rows, [str(p) for p in problems]


def test_serialise_writes_a_header_and_one_line_a_day_sorted() -> None:
    empty = DayCounters(date(2026, 11, 1), 0, 0, 0, 0, 0.0, 0.0, (0,) * 10, None)
    assert history.serialise([ROW, empty]) == (
        f"{HEADER}\n2026-11-01,0,0,0,0,0,0,0 0 0 0 0 0 0 0 0 0,,,,,,\n{ROW_TEXT}\n"
    )
    assert HEADER == (
        "day,checks,up,degraded,down,response_ms_sum,response_ms_max,histogram,"
        "latest_at,latest_measured,latest_response_ms,latest_reason,latest_upstream,latest_since"
    )


def test_a_latest_check_is_written_with_when_its_run_began() -> None:
    unknown = ROW._replace(latest=LATEST._replace(since=None))
    with pytest.raises(ValueError, match="the latest check of 2026-11-03 has no `since`"):
        history.serialise([unknown])


def test_a_reason_never_breaks_a_row() -> None:
    latest = CheckResult("api", AT, Measured.UP, 1.25, "line\nbreak\x1b[31m\ttab", (), AT)
    row = DayCounters(AT.date(), 1, 1, 0, 0, 1.25, 1.25, (1,) + (0,) * 9, latest)
    text = history.serialise([row])
    assert text.count("\n") == 2
    rows, problems = parse(text)
    assert problems == []
    assert rows[0].latest is not None
    assert rows[0].latest.reason == "line break [31m tab"
    assert rows[0].response_ms_sum == 1.2  # at most one decimal


def test_parse_reads_what_serialise_writes_with_upstream_states() -> None:
    latest = CheckResult(
        "api", AT, Measured.DEGRADED, None, "upstream", (('Git, "ops"', "partial_outage"),), AT
    )
    row = DayCounters(AT.date(), 1, 0, 1, 0, 0.0, 0.0, (0,) * 10, latest)
    earlier = ROW._replace(day=date(2026, 11, 2), latest=None)
    assert parse(history.serialise([row, earlier])) == ([earlier, row], [])


def test_the_fast_path_and_the_csv_reader_agree() -> None:
    for text in (GOOD, GOOD.replace("\n", "\r\n"), GOOD.rstrip("\n")):
        fast = history._parse_fast(text.removeprefix(f"{HEADER}\n"), "api", "2026-11")
        slow = history._parse_csv(text, NAME, "api", "2026-11")
        assert slow == ([ROW], [])
        assert fast is None or fast[0] == [ROW]
    fast = history._parse_fast(GOOD.removeprefix(f"{HEADER}\n"), "api", "2026-11")
    assert fast is not None and fast[0] == [ROW]
    # Its plain values are those of the rows, which they give back.
    assert fast[1] == history.plain_rows([ROW])
    assert history.rebuilt_rows(fast[1], "api") == [ROW]


def test_plain_values_give_back_every_row_and_are_what_marshal_keeps() -> None:
    latest = CheckResult("api", AT, Measured.UP, None, "ok", (("Git", "outage"),), SINCE)
    rows = [
        DayCounters(date(2026, 11, 1), 0, 0, 0, 0, 0.0, 0.0, (0,) * 10, None),
        ROW._replace(day=date(2026, 11, 2), latest=LATEST._replace(at=AT.replace(day=2, hour=23))),
        DayCounters(AT.date(), 1, 1, 0, 0, 0.0, 0.0, (0,) * 10, latest),
    ]
    text = history.serialise(rows)
    parsed, plain, problems = history.parse_plain(text, NAME, "api", "2026-11")
    assert (parsed, problems) == (rows, [])
    assert plain == history.plain_rows(rows)
    assert history.rebuilt_rows(marshal.loads(marshal.dumps(plain)), "api") == rows
    # The CSV reader's rows, from a file the fast path refuses, give the same values.
    assert history.parse_plain(text.replace("\n", "\r\n"), NAME, "api", "2026-11")[1] == plain


ONE = "2026-11-03,1,1,0,0,5,5,1 0 0 0 0 0 0 0 0 0"  # a row of one check, up to its latest

BAD_ROWS = {
    "2026-11-03,3,1,1,0,0,0,0 0 0 0 0 0 0 0 0 0,,,,,,": (
        f"{NAME}:2:12: up + degraded + down is 2, not checks (3); correct the counts"
    ),
    "2026-12-03,0,0,0,0,0,0,0 0 0 0 0 0 0 0 0 0,,,,,,": (
        f"{NAME}:2:1: 2026-12-03 is not in 2026-11, the month the file name gives"
    ),
    "2026-11-31,0,0,0,0,0,0,0 0 0 0 0 0 0 0 0 0,,,,,,": (
        f"{NAME}:2:1: day '2026-11-31' is not a date; write it as 2026-11-03"
    ),
    "2026-11-03,x,0,0,0,0,0,0 0 0 0 0 0 0 0 0 0,,,,,,": (
        f"{NAME}:2:12: checks 'x' is not a whole number"
    ),
    "2026-11-03,0,0,0,0,1.25,0,0 0 0 0 0 0 0 0 0 0,,,,,,": (
        f"{NAME}:2:20: response_ms_sum '1.25' is not a number of ms like 12.5"
    ),
    "2026-11-03,0,0,0,0,0,0,0 0 0,,,,,,": (
        f"{NAME}:2:24: histogram has 3 counts; it has 10, one per bucket "
        "(up to 50, 100, 200, 300, 500, 800, 1000, 2000, 5000 ms, and slower)"
    ),
    "2026-11-03,0,0,0,0,0,0": f"{NAME}:2:1: 7 fields; a row has 14, one per column of the header",
    f"{ONE},2026-11-04T00:00:00Z,up,5,ok,,2026-11-03T00:00:00Z": (
        f"{NAME}:2:44: latest_at 2026-11-04T00:00:00Z is not on 2026-11-03, the row's day"
    ),
    f"{ONE},2026-11-03T00:00:00Z,fine,5,ok,,2026-11-03T00:00:00Z": (
        f"{NAME}:2:65: latest_measured 'fine' is not one of up, degraded, down"
    ),
    f"{ONE},2026-11-03T10:00:00Z,up,5,ok,,2026-11-03 09:00": (
        f"{NAME}:2:74: latest_since '2026-11-03 09:00' is not a UTC time like 2026-11-03T12:00:00Z"
    ),
    f"{ONE},2026-11-03T10:00:00Z,up,5,ok,,2026-02-30T09:00:00Z": (
        f"{NAME}:2:74: latest_since '2026-02-30T09:00:00Z' is not a UTC time like "
        "2026-11-03T12:00:00Z"
    ),
    f"{ONE},2026-11-03T10:00:00Z,up,5,ok,,2026-11-03T10:00:01Z": (
        f"{NAME}:2:74: latest_since 2026-11-03T10:00:01Z is after latest_at "
        "2026-11-03T10:00:00Z; a run begins at or before its latest check, so make it "
        "2026-11-03T10:00:00Z or earlier"
    ),
    f"{ONE},2026-11-03T10:00:00Z,up,5,ok,,": (
        f"{NAME}:2:74: latest_since is empty; a row with a latest check gives when its run of "
        "equal results began, a UTC time like 2026-11-03T12:00:00Z"
    ),
}


@pytest.mark.parametrize("row", BAD_ROWS)
def test_every_problem_of_a_row_is_located(row: str) -> None:
    assert parse(f"{HEADER}\n{row}\n") == ([], [BAD_ROWS[row]])


def test_duplicate_and_unsorted_days_and_a_bad_header() -> None:
    day = "2026-11-0{},0,0,0,0,0,0,0 0 0 0 0 0 0 0 0 0,,,,,,"
    text = f"{HEADER}\n{day.format(3)}\n{day.format(3)}\n{day.format(2)}\n"
    assert parse(text)[1] == [
        f"{NAME}:3:1: a second row for 2026-11-03; each day has one row, so add them up",
        f"{NAME}:4:1: 2026-11-02 comes after 2026-11-03; rows are sorted by day",
    ]
    assert parse("day,checks\n")[1] == [f"{NAME}:1:1: the first line must be the header {HEADER}"]


def test_a_field_over_two_lines_is_refused() -> None:
    text = GOOD.replace('"HTTP 500, ""oops"""', '"HTTP 500\n"')
    assert parse(text)[1] == [f"{NAME}:2:1: a field spans lines; a row is one line, so join it"]


def write(root: Path, name: str, text: str) -> None:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_reader_adds_locations_and_keeps_each_ones_latest(make_site: MakeSite) -> None:
    site = make_site()
    write(site.root, NAME, GOOD)
    later = CheckResult("api", AT.replace(hour=13), Measured.UP, 20.0, "HTTP 200", (), AT)
    us = DayCounters(AT.date(), 1, 1, 0, 0, 20.0, 20.0, (1,) + (0,) * 9, later)
    write(site.root, "uptime/api/2026-11.us.csv", history.serialise([us]))
    loaded = load_site(site.root)
    data = loaded.inputs["uptime"]
    assert data.value == {"api": ProbeHistory((ROW + us,), {"eu": LATEST, "us": later})}
    assert (ROW + us).checks == 4 and (ROW + us).latest == later


def test_a_site_without_history_has_no_uptime_input(make_site: MakeSite) -> None:
    assert "uptime" not in load_site(make_site().root).inputs


def test_names_that_are_not_history_files_are_problems(make_site: MakeSite) -> None:
    site = make_site()
    for name in (
        "uptime/api/november.eu.csv",
        "uptime/Api/2026-11.eu.csv",
        "uptime/x.csv",
        "uptime/api/2026-13.eu.csv",
        "uptime/api/2026-11.EU.csv",
    ):
        write(site.root, name, GOOD)
    write(site.root, "uptime/api/notes.txt", "not read")
    problems = sorted(str(p) for p in scan(site.root).problems)
    rename = "a history file is named <YYYY-MM>.<location>.csv, such as 2026-11.eu.csv; rename it"
    assert problems == [
        "uptime/Api/2026-11.eu.csv:1:1: probe id 'Api' must be lowercase letters, digits and "
        "hyphens, starting with a letter or digit; for example 'api'; the folder is named after it",
        "uptime/api/2026-11.EU.csv:1:1: location 'EU' must be lowercase letters, digits and "
        "hyphens, starting with a letter or digit; for example 'eu'; the file name holds it",
        f"uptime/api/2026-13.eu.csv:1:1: {rename}",
        f"uptime/api/november.eu.csv:1:1: {rename}",
        "uptime/x.csv:1:1: not where history is kept: files are "
        "uptime/<probe-id>/<YYYY-MM>.<location>.csv; move it",
    ]


def test_a_broken_file_fails_the_load_with_its_place(make_site: MakeSite) -> None:
    site = make_site()
    write(site.root, NAME, GOOD.replace(",3,1,1,1,", ",3,1,1,2,"))
    _, problems = history.read(tuple(scan(site.root).files["uptime"]))
    assert problems == [
        SourceError(NAME, 2, 12, "up + degraded + down is 4, not checks (3); correct the counts")
    ]


def test_a_file_too_large_or_not_utf8_is_named_as_any_input_is(make_site: MakeSite) -> None:
    from statuspage.sources.limits import MAX_FILE_BYTES

    site = make_site()
    write(site.root, NAME, GOOD + "\n" * MAX_FILE_BYTES)
    (site.root / "uptime/api/2026-10.eu.csv").write_bytes(GOOD.encode().replace(b"HTTP", b"\xe9"))
    _, problems = history.read(tuple(scan(site.root).files["uptime"]))
    assert [str(problem) for problem in problems] == [
        "uptime/api/2026-10.eu.csv:2:"
        f"{GOOD.splitlines()[1].index('HTTP') + 1}: byte 0xe9 is not UTF-8 (the file may be in "
        "Latin-1 or Windows-1252); save it as UTF-8",
        f"{NAME}:1:1: the file is {len(GOOD) + MAX_FILE_BYTES:,} bytes, more than the limit of "
        f"{MAX_FILE_BYTES:,} bytes; a month of days needs far less; restore it from the "
        "repository's history",
    ]


class DictMemo:
    """A FileMemo that keeps everything, trusting every stamp: the reader's side of it."""

    def __init__(self) -> None:
        self.entries: dict[tuple[str, Stamp], Remembered] = {}
        self.kept_whole: tuple[list[tuple[str, Stamp]], bytes] | None = None

    def get(self, display: str, stamp: Stamp, digest: str | None = None) -> Remembered | None:
        return self.entries.get((display, stamp))

    def put(self, display: str, stamp: Stamp, digest: str, value: Any) -> None:
        kept = marshal.dumps(value)
        self.entries[(display, stamp)] = Remembered(digest, lambda: marshal.loads(kept))

    def whole(self, files: Sequence[InputFile]) -> Any:
        listing, kept = self.kept_whole or (None, b"")
        return marshal.loads(kept) if listing == [(f.display, f.stamp) for f in files] else None

    def put_whole(self, files: Sequence[InputFile], value: Any) -> None:
        self.kept_whole = ([(f.display, f.stamp) for f in files], marshal.dumps(value))


def history_site(make_site: MakeSite) -> SiteDir:
    site = make_site()
    write(site.root, NAME, GOOD)
    empty = DayCounters(date(2026, 10, 30), 0, 0, 0, 0, 0.0, 0.0, (0,) * 10, None)
    at = datetime(2026, 10, 31, 23, 59, 59, tzinfo=UTC)
    latest = CheckResult("api", at, Measured.UP, None, "x", (("Git", "outage"),), at.replace(day=1))
    row = DayCounters(at.date(), 1, 1, 0, 0, 0.0, 0.0, (0,) * 10, latest)
    write(site.root, "uptime/api/2026-10.us.csv", history.serialise([empty, row]))
    write(site.root, "uptime/db/2026-11.eu.csv", GOOD)
    return site


def test_with_a_memo_unchanged_files_are_neither_read_nor_parsed(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = history_site(make_site)
    files = tuple(scan(site.root).files["uptime"])
    memo = DictMemo()
    cold = history.read(files)
    assert cold[1] == []
    assert history.read(files, memo) == cold
    assert len(memo.entries) == 3
    read: list[str] = []
    monkeypatch.setattr(history, "read_bytes", lambda path, *_: read.append(path))
    assert history.read(files, memo) == cold  # the same value and the same digest
    assert read == []


def test_with_a_file_changed_only_it_is_read_again_and_the_whole_is_made_anew(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = history_site(make_site)
    memo = DictMemo()
    history.read(tuple(scan(site.root).files["uptime"]), memo)
    kept = memo.kept_whole
    write(site.root, NAME, GOOD.replace(",3,1,1,1,", ",4,2,1,1,"))
    files = tuple(scan(site.root).files["uptime"])
    cold = history.read(files)
    read: list[str] = []
    real = history.read_bytes
    monkeypatch.setattr(history, "read_bytes", lambda path, *a: read.append(path) or real(path, *a))
    warm = history.read(files, memo)
    assert warm == cold
    assert len(read) == 1 and Path(read[0]).as_posix().endswith(NAME)
    assert memo.kept_whole is not None and memo.kept_whole != kept
    read.clear()
    assert history.read(files, memo) == warm
    assert read == []


@pytest.mark.parametrize(
    "whole",
    [
        ("digest", {}, []),
        ("digest", "digests", "names"),
        7,
        ("d", {"api": {}}, [("api",)]),
        ("d", {"api": {}, "db": {}}, [("api", 0, [("2026-10", "us")]), ("db", 5, [])]),
        ("d", {"api": {}, "db": {}}, [("api", 0, [("2026-10", "us")]), ("api", 1, [])]),
    ],
)
def test_a_whole_of_another_shape_is_not_used(make_site: MakeSite, whole: object) -> None:
    site = history_site(make_site)
    files = tuple(scan(site.root).files["uptime"])
    memo = DictMemo()
    cold = history.read(files, memo)
    memo.put_whole(files, whole)
    assert history.read(files, memo) == cold


def test_histories_taken_whole_look_at_their_files_only_when_their_days_are_asked_for(
    make_site: MakeSite,
) -> None:
    site = history_site(make_site)
    files = tuple(scan(site.root).files["uptime"])
    memo = DictMemo()
    cold = history.read(files, memo)[0]
    loads: list[str] = []
    for (display, _), kept in list(memo.entries.items()):
        memo.entries[display, _] = kept._replace(
            load=lambda kept=kept, display=display: loads.append(display) or kept.load()
        )
    warm = history.read(files, memo)[0]
    assert cold is not None and warm is not None
    first = date(2026, 10, 1)
    for probe in ("api", "db"):  # the same digests, from the months' alone
        assert warm.value[probe].window_digest(first) == cold.value[probe].window_digest(first)
    assert loads == []
    assert warm.value["api"].days_from(first) == cold.value["api"].days_from(first)
    assert sorted(loads) == ["uptime/api/2026-10.us.csv", NAME]  # not db's
    assert warm == cold


def test_the_digest_follows_the_content_with_a_memo_or_without(make_site: MakeSite) -> None:
    site = history_site(make_site)
    memo = DictMemo()
    before = history.read(tuple(scan(site.root).files["uptime"]), memo)[0]
    write(site.root, NAME, GOOD.replace(",3,1,1,1,", ",4,2,1,1,"))
    files = tuple(scan(site.root).files["uptime"])
    after, with_memo = history.read(files)[0], history.read(files, memo)[0]
    assert before is not None and after is not None
    assert after.digest != before.digest
    assert with_memo == after
    assert after.value["api"].days[-1].checks == 4  # type: ignore[index]


def test_a_memo_value_of_another_shape_is_not_used(make_site: MakeSite) -> None:
    site = history_site(make_site)
    files = tuple(scan(site.root).files["uptime"])
    memo = DictMemo()
    cold = history.read(files, memo)
    for key, (digest, load) in list(memo.entries.items()):
        value = load()
        memo.entries[key] = Remembered(digest, lambda value=value: [value[0][1:], "rows"])
    assert history.read(files, memo) == cold


def test_with_a_memo_only_the_months_asked_for_are_made_into_rows(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = history_site(make_site)  # api: 2026-10 (us) and 2026-11 (eu); db: 2026-11 (eu)
    september = DayCounters(date(2026, 9, 3), 2, 1, 0, 1, 0.0, 0.0, (0,) * 10, None)
    write(site.root, "uptime/api/2026-09.eu.csv", history.serialise([september]))
    files = tuple(scan(site.root).files["uptime"])
    memo = DictMemo()
    cold = history.read(files, memo)[0]
    made: list[str] = []
    real = history.rebuilt_rows
    monkeypatch.setattr(
        history, "rebuilt_rows", lambda plain, probe: made.append(probe) or real(plain, probe)
    )
    warm = history.read(files, memo)[0]
    assert warm is not None and cold is not None
    assert made == []  # nothing until asked for
    histories = cast("dict[str, ProbeHistory]", warm.value)
    latest = {probe: dict(found.latest) for probe, found in histories.items()}
    # Each location's newest month, for its latest result: api's two, db's one.
    assert sorted(made) == ["api", "api", "db"]
    assert latest == {p: dict(h.latest) for p, h in cold.value.items()}  # type: ignore[attr-defined]
    api = histories["api"]
    november = api.days_from(date(2026, 11, 1))
    assert november == cold.value["api"].days_from(date(2026, 11, 1))  # type: ignore[index]
    assert all(row.day.month == 11 for row in november)
    assert len(made) == 3  # nothing more was made
    assert api.days[0] == september  # asked for at last: made then
    assert len(made) == 4

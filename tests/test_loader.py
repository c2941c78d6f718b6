"""Finding incident files, their ids, and collecting problems across files."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import BinaryIO

import pytest

from statuspage.sources import textfile
from statuspage.sources.limits import MAX_FILE_BYTES
from tests.conftest import CONFIG, RESOLVED, MakeSite


def test_incidents_in_subfolders_are_found_and_sorted_newest_first(make_site: MakeSite) -> None:
    site = make_site()
    site.incident("old", RESOLVED.replace("2026-11-20", "2025-03-01"), folder="incidents/2025")
    site.incident("new", RESOLVED, folder="incidents/2026")
    loaded = site.load()
    assert [(i.id, i.path) for i in loaded.incidents] == [
        ("new", "incidents/2026/new.yaml"),
        ("old", "incidents/2025/old.yaml"),
    ]


def test_a_site_without_incidents_folder_loads(make_site: MakeSite) -> None:
    assert make_site().load().incidents == ()


def test_bad_incident_id(make_site: MakeSite) -> None:
    site = make_site(incidents={"DB_Failover": RESOLVED})
    assert site.problems() == [
        "incidents/DB_Failover.yaml:1:1: incident id 'DB_Failover' must be lowercase letters, "
        "digits and hyphens, starting with a letter or digit; for example 'db-failover'; "
        "the id is the file name, so rename the file"
    ]


def test_duplicate_ids_across_folders(make_site: MakeSite) -> None:
    site = make_site()
    site.incident("db", RESOLVED, folder="incidents/2025")
    site.incident("db", RESOLVED, folder="incidents/2026")
    assert site.problems() == [
        "incidents/2026/db.yaml:1:1: duplicate incident id 'db' (also incidents/2025/db.yaml); "
        "ids are file names and must be unique across incidents/"
    ]


def test_yml_files_are_flagged_and_other_files_ignored(make_site: MakeSite) -> None:
    site = make_site()
    site.write("incidents/db.yml", RESOLVED)
    site.write("incidents/README.md", "# Our incidents\n")
    site.write("incidents/.draft.yaml", "not: [valid")
    assert site.problems() == [
        "incidents/db.yml:1:1: incident files end in .yaml; rename it to db.yaml"
    ]


def test_non_utf8_file(make_site: MakeSite) -> None:
    site = make_site()
    (site.root / "incidents").mkdir()
    (site.root / "incidents" / "db.yaml").write_bytes(b"title: Caf\xe9\n")
    assert site.problems() == [
        "incidents/db.yaml:1:11: byte 0xe9 is not UTF-8 (the file may be in Latin-1 or "
        "Windows-1252); save it as UTF-8"
    ]


def test_problems_of_all_files_are_sorted_together(make_site: MakeSite) -> None:
    site = make_site(
        config=CONFIG.replace("timezone: UTC", "timezone: Nowhere"),
        incidents={
            "b": RESOLVED.replace("impact: major", "impact: big"),
            "a": RESOLVED.replace("status: resolved", "status: done"),
        },
    )
    assert site.problems() == [
        "incidents/a.yaml:9:13: unknown status 'done'; "
        "expected one of investigating, identified, monitoring, resolved",
        "incidents/b.yaml:2:9: unknown impact 'big'; expected one of none, minor, major, critical",
        "statuspage.yaml:3:11: unknown time zone 'Nowhere'; use an IANA name such as Europe/Berlin",
    ]


def test_a_byte_order_mark_is_accepted(make_site: MakeSite) -> None:
    site = make_site()
    (site.root / "incidents").mkdir()
    (site.root / "incidents" / "db.yaml").write_bytes(b"\xef\xbb\xbf" + RESOLVED.encode())
    assert site.load().incidents[0].title == "Elevated error rates"


def test_an_incident_named_as_a_windows_device_is_refused(make_site: MakeSite) -> None:
    site = make_site(incidents={"aux": RESOLVED, "auxiliary": RESOLVED})
    assert site.problems() == [
        "incidents/aux.yaml:1:1: incident id 'aux' is a device name on Windows, where no file "
        "or folder can have it; choose another, such as 'aux-1'; the id is the file name, "
        "so rename the file"
    ]


def test_a_file_may_be_as_large_as_the_limit_and_no_larger(make_site: MakeSite) -> None:
    site = make_site()
    padding = "# " + "x" * 98 + "\n"
    text = RESOLVED + padding * ((MAX_FILE_BYTES - len(RESOLVED)) // len(padding))
    text += "#" * (MAX_FILE_BYTES - len(text) - 1) + "\n"
    path = site.incident("db", text)
    assert path.stat().st_size == MAX_FILE_BYTES
    assert [i.id for i in site.load().incidents] == ["db"]
    with path.open("a") as handle:
        handle.write("\n")
    assert site.problems() == [
        "incidents/db.yaml:1:1: the file is 262,145 bytes, more than the limit of 262,144 "
        "bytes; shorten it, or link to long texts instead of including them"
    ]


class _Recording:
    """A file opened for reading that records how much each read asks for."""

    def __init__(self, handle: BinaryIO, asked: list[int]) -> None:
        self.handle = handle
        self.asked = asked

    def __enter__(self) -> _Recording:
        return self

    def __exit__(self, *exc: object) -> None:
        self.handle.close()

    def read(self, size: int = -1) -> bytes:
        self.asked.append(size)
        return self.handle.read(size)

    def fileno(self) -> int:
        return self.handle.fileno()


def test_a_huge_file_is_read_no_further_than_the_limit(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site()
    size = site.incident("db", RESOLVED + "#" * (3 * MAX_FILE_BYTES) + "\n").stat().st_size
    asked: list[int] = []
    monkeypatch.setattr(
        textfile,
        "open",
        lambda path, mode: _Recording(Path(path).open(mode), asked),  # noqa: SIM115
        raising=False,
    )
    assert site.problems() == [
        f"incidents/db.yaml:1:1: the file is {size:,} bytes, more than the limit of 262,144 "
        f"bytes; shorten it, or link to long texts instead of including them"
    ]
    assert asked == [len(CONFIG) + 1, MAX_FILE_BYTES + 1]  # statuspage.yaml, the incident


def test_a_file_that_has_no_size_is_read_no_further_than_the_limit(
    make_site: MakeSite, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site()
    site.incident("db", RESOLVED + "#" * (3 * MAX_FILE_BYTES) + "\n")
    monkeypatch.setattr(textfile.os, "fstat", lambda fd: SimpleNamespace(st_size=0))  # a device
    asked: list[int] = []
    monkeypatch.setattr(
        textfile,
        "open",
        lambda path, mode: _Recording(Path(path).open(mode), asked),  # noqa: SIM115
        raising=False,
    )
    assert site.problems() == [
        "incidents/db.yaml:1:1: the file is more than the limit of 262,144 bytes; "
        "shorten it, or link to long texts instead of including them"
    ]
    assert asked[-2:] == [1, MAX_FILE_BYTES]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ("title: x\n".encode("utf-16"), "1:1: the file is UTF-16 text; save it as UTF-8"),
        (
            "title: x\n".encode("utf-16-be"),
            "1:1: the file looks like UTF-16 text; save it as UTF-8",
        ),
        ("title: x\n".encode("utf-32"), "1:1: the file is UTF-32 text; save it as UTF-8"),
        (
            b"\xef\xbb\xbftitle: \xc3\xa9\r\n  x\xff",
            "2:4: byte 0xff is not UTF-8 (the file may be in Latin-1 or Windows-1252); "
            "save it as UTF-8",
        ),
    ],
)
def test_text_in_another_encoding_is_named(make_site: MakeSite, data: bytes, expected: str) -> None:
    site = make_site()
    (site.root / "incidents").mkdir()
    (site.root / "incidents" / "db.yaml").write_bytes(data)
    assert site.problems() == [f"incidents/db.yaml:{expected}"]

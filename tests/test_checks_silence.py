"""Silence comments (statuspage.checks.silence): which lines each one covers."""

from __future__ import annotations

from statuspage.checks.silence import Silences

TEXT = """\
title: Errors
impact: major
updates:
  # statuspage: ignore[stale-incident, jargon] quoted from the supplier
  - at: 2026-11-20T14:10:00Z
    status: investigating
    message: |
      Errors. # statuspage: ignore[blame] is text here, not a comment
  - at: 2026-11-20T14:35:00Z
    status: identified
    message: |  # statuspage: ignore[vague]
      Some users may experience issues.
      More text.
admission: A. # statuspage: ignore[admission-scope]
"""


def test_a_comment_alone_covers_what_starts_on_the_next_line() -> None:
    silences = Silences.read(TEXT)
    for line in (5, 6, 7, 8):  # the whole first update
        assert silences.silenced("stale-incident", line)
        assert silences.silenced("jargon", line)
    assert not silences.silenced("jargon", 9)  # the next update
    assert not silences.silenced("jargon", 4)


def test_a_comment_at_the_end_of_a_line_covers_what_starts_on_it() -> None:
    silences = Silences.read(TEXT)
    assert [line for line in range(1, 16) if silences.silenced("vague", line)] == [11, 12, 13]
    assert [line for line in range(1, 16) if silences.silenced("admission-scope", line)] == [14]


def test_words_inside_a_message_are_not_a_comment() -> None:
    assert not any(Silences.read(TEXT).silenced("blame", line) for line in range(1, 16))


def test_ignore_file_covers_every_line() -> None:
    silences = Silences.read("# statuspage: ignore-file[late-first-post] imported\ntitle: A\n")
    assert silences.silenced("late-first-post", 2)
    assert silences.silenced("late-first-post", 100)
    assert not silences.silenced("jargon", 2)


def test_a_file_without_comments_silences_nothing() -> None:
    assert Silences.read("title: A\n") == Silences(frozenset(), ())

"""Background: work a forked child does while the build goes on, redone here when it fails."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import pytest

from statuspage.engine.background import Background, can_fork

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="the child is a fork: Linux only")

HOME = os.getpid()


def in_child() -> bool:
    return os.getpid() != HOME


def where() -> dict[str, int]:
    return {"pid": os.getpid()}


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_child_does_the_work_and_is_reaped() -> None:
    with Background(where, dict, dict) as work:
        made = work.result()
    assert made["pid"] != HOME  # made in the child
    assert no_children_left()


def test_without_fork_the_work_is_done_here_when_asked_for() -> None:
    done: list[int] = []

    def work() -> dict[str, int]:
        done.append(1)
        return where()

    background = Background(work, dict, dict, fork=False)
    assert done == []
    assert background.result() == {"pid": HOME}


def test_what_the_work_raises_in_the_child_is_raised_here_by_the_work_done_again() -> None:
    tries: list[int] = []

    def work() -> dict[str, int]:
        tries.append(os.getpid())  # in the child's memory, then in ours
        raise ValueError(f"no such file (in {'child' if in_child() else 'parent'})")

    with pytest.raises(ValueError, match="in parent"):
        Background(work, dict, dict).result()
    assert tries == [HOME]
    assert no_children_left()


def test_a_child_that_dies_or_cannot_send_its_result_is_replaced_by_the_work_done_here() -> None:
    def killed() -> dict[str, int]:
        if in_child():
            os.kill(os.getpid(), signal.SIGKILL)
        return where()

    assert Background(killed, dict, dict).result() == {"pid": HOME}

    def unsendable(value: dict[str, int]) -> object:
        return object() if in_child() else value  # marshal refuses it

    assert Background(where, unsendable, dict).result() == {"pid": HOME}
    assert no_children_left()


def test_close_stops_a_child_whose_result_is_not_wanted(tmp_path: Path) -> None:
    mark = tmp_path / "finished"

    def slow() -> dict[str, int]:
        time.sleep(30)
        mark.write_text("finished")
        return where()

    started = time.monotonic()
    with Background(slow, dict, dict):
        pass  # an error, say, before the result was asked for
    assert time.monotonic() - started < 10
    assert no_children_left()
    assert not mark.exists()


def test_a_fork_needs_linux_and_a_second_core(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0})
    assert not can_fork()
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1})
    assert can_fork()

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


def test_the_head_comes_first_and_may_be_all_that_is_wanted(tmp_path: Path) -> None:
    mark = tmp_path / "sent"

    def body(value: dict[str, int]) -> dict[str, int]:
        mark.write_text("the body was made")  # in the child, after the head was sent
        time.sleep(30)
        return value

    with Background(where, body, dict, head=lambda made: [made["pid"], "head"]) as work:
        head = work.head()
        assert head[1] == "head" and head[0] != HOME
        assert work.head() == head  # read once
        for _ in range(500):  # the body follows the head at once; it waits to be read
            if mark.exists():
                break
            time.sleep(0.01)
        assert work.ready()
    assert no_children_left()  # stopped, though its body was never read
    with Background(where, dict, dict, head=lambda made: made["pid"]) as work:
        assert work.result()["pid"] == work.head() != HOME


def test_ready_tells_whether_the_head_would_wait() -> None:
    def slow() -> dict[str, int]:
        if in_child():
            time.sleep(30)
        return where()

    with Background(slow, dict, dict, head=lambda made: 1) as work:
        assert not work.ready()
    assert Background(slow, dict, dict, fork=False).ready()
    with Background(where, dict, dict, head=lambda made: 1) as work:
        for _ in range(1000):
            if work.ready():
                break
            time.sleep(0.01)
        assert work.head() == 1


def test_a_child_that_fails_before_its_head_leaves_the_work_to_be_done_here() -> None:
    def failing() -> dict[str, int]:
        if in_child():
            raise OSError("in the child")
        return where()

    with Background(failing, dict, dict, head=lambda made: 1) as work:
        assert work.head() is None
        assert work.ready()
        assert work.result() == {"pid": HOME}
    assert no_children_left()

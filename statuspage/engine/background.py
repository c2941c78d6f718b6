"""Work a forked child does while the build goes on: the scan of a large site.

A scan of 10,000 incident files spends most of its time in system calls, one stat a file,
which a second core can make while this process loads the rest of its code and the cache.
The child sends what it made as plain values through a pipe and ends. Should it fail or
die, this process does the work itself: whatever the work raises is raised where it always
is, and the result is the same either way.

Used on Linux only (as the build's workers are), with more than one core to run on.
"""

from __future__ import annotations

import gc
import marshal
import os
import signal
import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Whether a child would run beside this process: Linux, and more than one core to use."""
    return sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1


class Background(Generic[T]):
    """`work()` done in a forked child from now on; `result()` waits for what it made.

    `plain` turns the result into values marshal takes, `rebuild` turns those back. Without
    `fork` (or when it fails) `result()` does the work here. `close()` stops a child whose
    result is no longer wanted; the instance is a context manager that does so.
    """

    def __init__(
        self,
        work: Callable[[], T],
        plain: Callable[[T], Any],
        rebuild: Callable[[Any], T],
        *,
        fork: bool = True,
    ) -> None:
        self._work, self._rebuild = work, rebuild
        self._child: tuple[int, int] | None = None  # its process id, and the pipe's read end
        if fork:
            self._child = _start(work, plain)

    def result(self) -> T:
        """What the work made: the child's, or this process's when the child had none."""
        if self._child is None:
            return self._work()
        pid, read = self._child
        self._child = None
        try:
            with open(read, "rb", closefd=True) as pipe:  # noqa: PTH123 - a descriptor
                data = pipe.read()
        finally:
            _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) == 0:
            try:
                return self._rebuild(marshal.loads(data))
            except (ValueError, EOFError, TypeError):  # pragma: no cover - a bug of ours
                pass
        return self._work()  # it failed (the work raises here what it raised there) or died

    def close(self) -> None:
        """Stop the child, if it still runs, and forget it."""
        if self._child is not None:
            pid, read = self._child
            self._child = None
            os.close(read)
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:  # pragma: no cover - it has been reaped by another
                return
            os.waitpid(pid, 0)

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _start(work: Callable[[], Any], plain: Callable[[Any], Any]) -> tuple[int, int] | None:
    """Fork a child that does `work` and writes its plain result to a pipe; None if none."""
    read, write = os.pipe()
    try:
        pid = os.fork()
    except OSError:
        os.close(read)
        os.close(write)
        return None
    if pid == 0:  # pragma: no cover - the child: coverage is not measured in it
        code = 1
        try:
            # The collector would visit every object the fork shares, copying their pages:
            # the child lives for one piece of work, and ends by exiting.
            gc.disable()
            os.close(read)
            data = memoryview(marshal.dumps(plain(work())))
            while data:
                data = data[os.write(write, data) :]
            code = 0
        finally:
            # Whatever happened: no exit handlers, no flushing of the parent's buffers, no
            # traceback. The parent does the work again and reports what goes wrong.
            os._exit(code)
    os.close(write)
    return pid, read

"""Work a forked child does while the build goes on: the scan of a large site.

A scan of 10,000 incident files spends most of its time in system calls, one stat a file,
which a second core can make while this process loads the rest of its code and the cache.
The child sends what it made as plain values through a pipe and ends. Should it fail or
die, this process does the work itself: whatever the work raises is raised where it always
is, and the result is the same either way.

Used on Linux only (as the build's workers are), with more than one core to run on.
"""

from __future__ import annotations

import contextlib
import fcntl
import gc
import marshal
import os
import select
import signal
import struct
import sys
from collections.abc import Callable
from typing import Any, Generic, TypeVar

T = TypeVar("T")


def can_fork() -> bool:
    """Whether a child would run beside this process: Linux, and more than one core to use."""
    return sys.platform == "linux" and len(os.sched_getaffinity(0)) > 1


class Background(Generic[T]):
    """`work()` done in a forked child from now on; `result()` waits for what it made.

    `plain` turns the result into values marshal takes, `rebuild` turns those back. With
    `head`, the child first sends `head(result)`, a few plain values that `head()` gives as
    soon as they come: enough, maybe, for the rest not to be wanted. Without `fork` (or when
    it fails) `result()` does the work here. `close()` stops a child whose result is no
    longer wanted; the instance is a context manager that does so.
    """

    def __init__(
        self,
        work: Callable[[], T],
        plain: Callable[[T], Any],
        rebuild: Callable[[Any], T],
        *,
        head: Callable[[T], Any] | None = None,
        fork: bool = True,
    ) -> None:
        self._work, self._rebuild = work, rebuild
        self._child: tuple[int, int] | None = None  # its process id, and the pipe's read end
        self._head: Any = None
        self._head_read = False
        if fork:
            self._child = _start(work, plain, head or _nothing)

    def head(self) -> Any:
        """What `head` made of the child's result, once it has come; None without a child,
        or when the child failed (then `result()` does the work here)."""
        if self._child is not None and not self._head_read:
            frame = _frame(self._child[1])
            if frame is None:
                self._give_up()
            else:
                self._head, self._head_read = marshal.loads(frame), True
        return self._head

    def ready(self) -> bool:
        """Whether asking for `head()` would not wait: the child has sent it, or ended, or
        there is no child."""
        if self._child is None or self._head_read:
            return True
        return bool(select.select([self._child[1]], [], [], 0)[0])

    def result(self) -> T:
        """What the work made: the child's, or this process's when the child had none."""
        self.head()  # read first, if it was not
        if self._child is None:  # no child, or it failed before its head
            return self._work()
        pid, read = self._child
        self._child = None
        try:
            frame = _frame(read)
        finally:
            os.close(read)
            _, status = os.waitpid(pid, 0)
        if frame is not None and os.waitstatus_to_exitcode(status) == 0:
            try:
                return self._rebuild(marshal.loads(frame))
            except (ValueError, EOFError, TypeError):  # pragma: no cover - a bug of ours
                pass
        return self._work()  # it failed (the work raises here what it raised there) or died

    def _give_up(self) -> None:
        """Reap a child that sent less than it should: it failed, or died."""
        assert self._child is not None
        pid, read = self._child
        self._child = None
        os.close(read)
        os.waitpid(pid, 0)

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


def _nothing(result: object) -> None:
    return None


PIPE_BYTES = 1 << 20  # Linux's most for a user by default (/proc/sys/fs/pipe-max-size)
_LENGTH = struct.Struct("<Q")  # what comes first in a frame: the length of its data


def _start(
    work: Callable[[], Any], plain: Callable[[Any], Any], head: Callable[[Any], Any]
) -> tuple[int, int] | None:
    """Fork a child that does `work` and writes two frames to a pipe, its result's head and
    its plain values; None if no child could be made."""
    read, write = os.pipe()
    with contextlib.suppress(OSError):  # a larger pipe: the child need not wait for reads
        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
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
            result = work()
            _send(write, head(result))  # first: it may be all the parent wants
            _send(write, plain(result))
            code = 0
        finally:
            # Whatever happened: no exit handlers, no flushing of the parent's buffers, no
            # traceback. The parent does the work again and reports what goes wrong.
            os._exit(code)
    os.close(write)
    return pid, read


def _send(write: int, value: Any) -> None:
    """Write `value`, marshalled, as one frame: its length, then its data."""
    data = marshal.dumps(value)
    view = memoryview(_LENGTH.pack(len(data)) + data)
    while view:
        view = view[os.write(write, view) :]


def _frame(read: int) -> bytes | None:
    """The data of the next frame on the pipe; None when it ends first."""
    length = _read_exactly(read, _LENGTH.size)
    if length is None:
        return None
    return _read_exactly(read, _LENGTH.unpack(length)[0])


def _read_exactly(read: int, size: int) -> bytes | None:
    chunks: list[bytes] = []
    while size:
        chunk = os.read(read, min(size, 1 << 20))
        if not chunk:
            return None
        chunks.append(chunk)
        size -= len(chunk)
    return b"".join(chunks)

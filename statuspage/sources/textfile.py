"""Reading an input file's bytes within the size limit, and its text as UTF-8.

Every kind of input file is read this way, so each is bounded the same (a device or a file of
gigabytes costs no more than the limit) and each encoding problem gets the same message.
"""

from __future__ import annotations

import codecs
import hashlib
import os

from .limits import MAX_FILE_BYTES
from .yamlio import SourceFile

SHORTEN = "shorten it, or link to long texts instead of including them"


def content_digest(data: bytes) -> str:
    """The digest that identifies a file's content in caches and output keys."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def read_bytes(path: str, file: SourceFile, too_large: str = SHORTEN) -> bytes | None:
    """A file's bytes, or None having reported why it cannot be read (or is too large).

    `too_large` says what to do with a file over the limit.
    """
    try:
        with open(path, "rb") as handle:  # noqa: PTH123 - str paths: no Path per file
            # Never more than the limit plus one byte: the file may be gigabytes, or endless
            # (a device). Asking for the size read saves allocating the limit for every file.
            size = os.fstat(handle.fileno()).st_size
            data = handle.read(min(size, MAX_FILE_BYTES) + 1)
            if len(data) > size:  # it grew, or has no size (a device): read on, up to the limit
                data += handle.read(MAX_FILE_BYTES + 1 - len(data))
            if len(data) > MAX_FILE_BYTES:
                what = f"{size:,} bytes, more than" if size > MAX_FILE_BYTES else "more than"
                file.report(
                    None,
                    f"the file is {what} the limit of {MAX_FILE_BYTES:,} bytes; {too_large}",
                )
                return None
            return data
    except OSError as exc:
        file.report(None, f"cannot be read: {exc.strerror}")
        return None


# Byte-order marks of the encodings a Windows editor may save in, longest first.
_OTHER_ENCODINGS = (
    (codecs.BOM_UTF32_LE, "UTF-32"),
    (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"),
    (codecs.BOM_UTF16_BE, "UTF-16"),
)


def decode(data: bytes, file: SourceFile) -> str | None:
    """UTF-8 text (a byte-order mark allowed), or None having reported where it is not."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:  # its object is the data after a byte-order mark
        file.report_at(*_decode_problem(data, exc.object, exc.start))
        return None
    if "\x00" in text and _looks_like_utf16(data):  # UTF-16 without a mark may decode
        file.report(None, "the file looks like UTF-16 text; save it as UTF-8")
        return None
    return text


def _decode_problem(data: bytes, body: bytes, start: int) -> tuple[int, int, str]:
    """Line, column and message for text that is not UTF-8: `body[start]` is the first bad byte.

    `body` is `data` without its UTF-8 byte-order mark, if it has one.
    """
    for mark, name in _OTHER_ENCODINGS:
        if data.startswith(mark):
            return 1, 1, f"the file is {name} text; save it as UTF-8"
    if _looks_like_utf16(data):
        return 1, 1, "the file looks like UTF-16 text; save it as UTF-8"
    head = body[:start]
    line_start = max(head.rfind(b"\n"), head.rfind(b"\r")) + 1
    line = 1 + head.count(b"\n") + head.count(b"\r") - head.count(b"\r\n")
    column = 1 + len(head[line_start:].decode("utf-8"))
    return (
        line,
        column,
        f"byte 0x{body[start]:02x} is not UTF-8 (the file may be in Latin-1 or Windows-1252); "
        f"save it as UTF-8",
    )


def _looks_like_utf16(data: bytes) -> bool:
    """Whether mostly-ASCII text is saved as UTF-16: a zero byte in every other place."""
    head = data[:64]
    return head[1::2].count(0) * 4 > len(head) or head[0::2].count(0) * 4 > len(head)

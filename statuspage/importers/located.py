"""JSON whose objects know the line they start on, for messages that point into the file."""

from __future__ import annotations

import bisect
import json
import json.decoder
import json.scanner
import re
from collections.abc import Callable
from typing import Any

from ..errors import StatuspageError


class ImportFailed(StatuspageError):
    """A source cannot be read or fetched at all; the message says which and why."""


class Located(dict[str, Any]):
    """A JSON object, and the 1-based line of its opening brace."""

    line: int = 0


def load_json(text: str, display: str) -> Any:
    """The JSON value of `text` (the file `display`), its objects Located.

    ImportFailed naming the line and column where `text` is not JSON.
    """
    newlines = [match.start() for match in re.finditer("\n", text)]
    decoder = json.JSONDecoder()
    parse_object: Callable[..., tuple[dict[str, Any], int]] = json.decoder.JSONObject  # type: ignore[attr-defined]

    def located(s_and_end: tuple[str, int], *args: Any) -> tuple[Located, int]:
        value, end = parse_object(s_and_end, *args)
        obj = Located(value)
        obj.line = bisect.bisect_left(newlines, s_and_end[1] - 1) + 1
        return obj, end

    decoder.parse_object = located  # type: ignore[attr-defined]
    decoder.scan_once = json.scanner.py_make_scanner(decoder)  # type: ignore[attr-defined]
    try:
        return decoder.decode(text)
    except json.JSONDecodeError as error:
        raise ImportFailed(
            f"{display}:{error.lineno}:{error.colno}: not JSON ({error.msg}); "
            "give the file as the API served it"
        ) from None
    except RecursionError:
        raise ImportFailed(f"{display}: nested too deeply to be an API answer") from None

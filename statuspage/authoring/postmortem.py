"""`statuspage postmortem`: the four sections of a postmortem, ready to fill in.

They go at the end of the incident's file as comments: `check` refuses an empty section,
and a section with placeholder words would be published. The author writes each one and
removes the `# ` before its key; `postmortem_at` publishes them (in the feeds too), so it
stays a comment until they are done.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path

from ..errors import UsageError
from ..model import Config
from ..sources.incidentfile import SECTIONS
from ..sources.inputs import InputFile
from .text import checked
from .times import format_time
from .update import file_text, replace_whole

MARKER = "# Postmortem:"  # the skeleton's first line: there is one already where it is

SKELETON = """\
{marker} write each section in plain words, then remove the "# " before its key (and
# before the lines under it). Set postmortem_at to publish it; `statuspage check` says what
# is missing.
# postmortem_at: {at}
# admission: |
#   What happened, who was hurt, how badly and for how long, from the customer's side; and
#   an apology, without "any inconvenience".
# cause: |
#   Why it happened: the chain of causes, in terms a customer follows, without blame.
# fix: |
#   What was done to end it, and when.
# prevention:
#   - action: What will stop it happening again, one item each
#     owner: the-team
#     status: planned
#     due: {due}
"""

_SECTION_KEY = re.compile(rf"^(?:{'|'.join(SECTIONS)}|postmortem_at):", re.MULTILINE)


def add_postmortem(config: Config, entry: InputFile, now: datetime) -> None:
    """Append the skeleton to the incident file `entry`; a UsageError if it has a
    postmortem (or the skeleton) already."""
    path = Path(entry.path)
    text = file_text(entry)
    found = _SECTION_KEY.search(text)
    if found is not None:
        raise UsageError(
            f"{entry.display}: has a postmortem already ({found.group()} on line "
            f"{text.count(chr(10), 0, found.start()) + 1}); nothing was added"
        )
    if MARKER in text:
        raise UsageError(f"{entry.display}: has the postmortem's sections to fill in already")
    at = now.astimezone(config.zone).replace(microsecond=0)
    skeleton = SKELETON.format(
        marker=MARKER, at=format_time(at), due=(at + timedelta(days=30)).date().isoformat()
    )
    newline = "\r\n" if "\r\n" in text else "\n"
    if text and not text.endswith("\n"):
        text += newline
    blank = "" if text.endswith(newline * 2) else newline  # one blank line before it
    updated = text + blank + skeleton.replace("\n", newline)
    checked(updated, entry.display, entry.stem, config)
    replace_whole(path, updated)

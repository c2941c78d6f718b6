"""The rules about what incidents say: the admission's apology and scope, the resolution's
word on data, and jargon, blame and vague boilerplate in any public text.

Atlassian's incident-communication guidance asks for the same: say plainly what happened,
to whom, for how long, apologise, and leave out internal terms and finger-pointing.
The words themselves are found by `wording`; this places them in the file.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from ..model import Impact, Incident
from ..model.checks import POSTMORTEM_IMPACTS
from . import wording
from .found import Found, Subject

# The top keys of an incident file whose text the public reads.
_PUBLIC_KEYS = ("title", "admission", "cause", "fix", "prevention")


def admission_without_apology(subject: Subject, incident: Incident) -> list[Found]:
    """A major or critical incident whose admission says no sorry."""
    if incident.impact not in POSTMORTEM_IMPACTS or not incident.admission:
        return []
    if wording.says_sorry(incident.admission):
        return []
    text = (
        f"the admission of a {incident.impact.value} incident does not apologise; say sorry, "
        f"plainly, to those it let down"
    )
    return _at_value(subject, incident, "admission", text)


def admission_without_scope(subject: Subject, incident: Incident) -> list[Found]:
    """An admission that does not say how long the impact lasted, or how many it reached."""
    if not incident.admission:
        return []
    missing = []
    if not wording.has_duration(incident.admission):
        missing.append("how long it lasted (such as '50 minutes' or 'from 14:05 to 14:55')")
    if not wording.has_scale(incident.admission):
        missing.append(
            "how many it affected (a number or share, such as '12 % of requests' or "
            "'about 300 customers')"
        )
    if not missing:
        return []
    return _at_value(
        subject, incident, "admission", f"the admission does not say {' nor '.join(missing)}"
    )


def resolution_without_impact(subject: Subject, incident: Incident) -> list[Found]:
    """A resolved incident whose resolving update says nothing of lost data or what remains."""
    if incident.is_open or incident.impact is Impact.NONE:
        return []
    closing = incident.latest
    positions = subject.positions(incident)
    if wording.states_data_impact(closing.message) or positions is None:
        return []
    line, column = positions.update(closing.number).value("message")
    text = (
        "the resolving update does not say whether data was lost or any impact remains; "
        "say so, such as 'No data was lost' or what customers must do"
    )
    return [(incident.path, line, column, text)]


def jargon(subject: Subject, incident: Incident) -> list[Found]:
    """Status codes, host names, IP addresses, stack traces and glossary words in public text."""
    glossary = subject.settings.words("jargon", "glossary")
    return _words(subject, incident, lambda text: wording.jargon(text, glossary))


def blame(subject: Subject, incident: Incident) -> list[Found]:
    """Wording that pins the fault on a supplier without owning it."""
    return _words(subject, incident, wording.blame)


def vague(subject: Subject, incident: Incident) -> list[Found]:
    """Boilerplate that says nothing of who is affected."""
    return _words(subject, incident, wording.vague)


def _at_value(subject: Subject, incident: Incident, key: str, text: str) -> list[Found]:
    positions = subject.positions(incident)
    if positions is None:
        return []
    line, column = positions.top.value(key)
    return [(incident.path, line, column, text)]


def _words(
    subject: Subject, incident: Incident, find: Callable[[str], Sequence[wording.Finding]]
) -> list[Found]:
    """Where `find` finds words in any public text of an incident or maintenance."""
    positions = subject.positions(incident)
    if positions is None:
        return []
    texts = [(positions.top, key, _top_text(incident, key)) for key in _PUBLIC_KEYS]
    texts += [(positions.update(u.number), "message", u.message) for u in incident.updates]
    found: list[Found] = []
    for entry, key, text in texts:
        if not text:
            continue
        for finding in find(text):
            snippet = text[finding.offset : finding.offset + finding.length]
            line, column = positions.words(entry, key, snippet)
            found.append((incident.path, line, column, finding.message))
    return found


def _top_text(incident: Incident, key: str) -> str | None:
    if key == "prevention":
        items = " ".join(item.action for item in incident.action_items)
        return incident.prevention_text or items or None
    value: str | None = getattr(incident, key)
    return value

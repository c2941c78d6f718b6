"""The `unadmitted-outage` rule: monitoring already shows an outage the page does not admit."""

from __future__ import annotations

from collections.abc import Mapping
from typing import cast

from ..model.measured import reading
from ..model.probes import Measured, ProbeHistory
from ..render.timefmt import format_duration, format_time
from ..sources.inputs import CONFIG_FILE
from .found import Found, Subject


def unadmitted_outages(subject: Subject) -> list[Found]:
    """Probes that measure their component down for over the rule's `after`, and no open
    incident names it.

    Only probes that may change the state count, and as the page counts them (fresh
    locations, the quorum); an open incident or maintenance that names the component is the
    admission, whatever its state says.
    """
    site, now = subject.site, subject.now
    admit_within = subject.settings.duration("unadmitted-outage", "after")
    uptime = site.inputs.get("uptime")
    if uptime is None:
        return []
    histories = cast("Mapping[str, ProbeHistory]", uptime.value)
    admitted = {cid for incident in site.open if incident.has_begun for cid in incident.components}
    names = {c.id: c.name for c in site.components}
    zone = site.config.zone
    found = []
    for probe in site.config.probes:
        cid = probe.component
        if cid is None or not probe.affects_state or cid in admitted:
            continue
        measured = reading(probe, histories.get(probe.id), now, site.config.uptime.stale_after_s)
        if measured is None or measured.measured is not Measured.DOWN or measured.since is None:
            continue
        lasted = now - measured.since
        if lasted <= admit_within:
            continue
        since = format_time(measured.since, zone)
        where = (
            f"at {measured.agreeing} of {measured.locations} locations"
            if measured.locations > 1
            else "at its only location"
        )
        text = (
            f"probe {probe.id} has measured {cid} ({names[cid]}) down since {since} "
            f"({format_duration(lasted)}, {where}) and no open incident names {cid}; "
            f"open one in incidents/ so that the page admits it, or fix the probe"
        )
        found.append((CONFIG_FILE, probe.line, probe.column, text))
    return found

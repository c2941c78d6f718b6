"""The loaded site: its settings, its components and every incident, as frozen values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import NamedTuple
from zoneinfo import ZoneInfo

from .brand import Brand
from .checks import CheckSettings
from .incident import Incident, IncidentSummary, as_at
from .probes import Probe
from .social import SocialSettings
from .uptime import UptimeSettings


@dataclass(frozen=True, slots=True)
class Component:
    """One part of the service whose state the page shows."""

    id: str
    name: str
    description: str | None
    group: str | None
    position: int


@dataclass(frozen=True, slots=True)
class Config:
    """The site's settings, from statuspage.yaml."""

    title: str
    url: str  # absolute, without a trailing slash
    timezone: str
    language: str
    description: str | None
    components: tuple[Component, ...]
    feed_limit: int  # entries in the site-wide and per-component feeds
    page_id: str | None = None  # the API's page id; None: the site's host name
    probes: tuple[Probe, ...] = ()  # the uptime probes, in the order statuspage.yaml lists them
    uptime: UptimeSettings = field(default_factory=UptimeSettings)
    social: SocialSettings = field(default_factory=SocialSettings)
    checks: CheckSettings = field(default_factory=CheckSettings)
    brand: Brand = field(default_factory=Brand)  # empty: the default theme's own look

    @property
    def zone(self) -> ZoneInfo:
        """The time zone pages show times in (ZoneInfo caches one instance per key)."""
        return ZoneInfo(self.timezone)


class InputData(NamedTuple):
    """What the reader of an input kind beyond config, incidents and theme made of its files."""

    value: object
    digest: str  # changes whenever any of its files does: for the keys of what shows it


@dataclass(frozen=True, slots=True)
class Site:
    """Everything loaded from a site's files.

    `incidents` summarises every incident and maintenance, newest first. `details` holds
    their whole text: all of them after a full load; an incremental build loads only those
    whose pages it renders, and asking for another is a bug that `incident` reports.
    `inputs` holds the other input kinds' data, by kind name (see sources.inputs).
    """

    config: Config
    incidents: tuple[IncidentSummary, ...]
    details: Mapping[str, Incident]
    inputs: Mapping[str, InputData] = field(default_factory=dict)
    now: datetime | None = None  # the clock the incidents stand at (see `at`); None: as written
    # The incidents and maintenance still open, newest first: what the status page, the
    # API's live endpoints and the components' states look at, found in one pass.
    open: tuple[IncidentSummary, ...] = field(init=False)

    def __post_init__(self) -> None:
        open_ = tuple(i for i in self.incidents if not i.status.is_closed)
        object.__setattr__(self, "open", open_)

    @property
    def components(self) -> tuple[Component, ...]:
        """The components, in the order statuspage.yaml lists them."""
        return self.config.components

    def at(self, now: datetime) -> Site:
        """The site as it stands at `now`: maintenance nobody updated follows its window."""
        if self.now == now:
            return self
        incidents = tuple(as_at(incident, now) for incident in self.incidents)
        return Site(self.config, incidents, self.details, self.inputs, now)

    def incident(self, incident_id: str) -> Incident:
        """The whole text of one incident (as it stands at `now`, when the site has one)."""
        try:
            incident = self.details[incident_id]
        except KeyError:
            raise LookupError(f"incident {incident_id!r} was not loaded for this build") from None
        return incident if self.now is None else as_at(incident, self.now)

"""One interface language: its words (gettext) and how it writes times, durations and numbers.

English is the source: its formats are the project's own fast functions (render/timefmt.py),
so English pages stay as they were. Every other language takes CLDR's patterns through
Babel: dates by the skeletons yMMMd and yMMMM, times of day in the locale's short form, the
two joined by its medium date-time pattern, the zone by its abbreviation (CET, JST) as the
English pages show it, and numbers with the locale's separators. Babel is imported only
then: its import takes longer than a build with nothing to do.
"""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta
from typing import Literal

from ..model import ComponentState, Status
from ..model.enums import ActionState
from ..render import timefmt
from . import N_, SOURCE_LANGUAGE, interface_catalog, translations

# The words of the closed sets, as pages show them; English: the values' own labels.
LABELS = {
    Status.INVESTIGATING: N_("Investigating"),
    Status.IDENTIFIED: N_("Identified"),
    Status.MONITORING: N_("Monitoring"),
    Status.RESOLVED: N_("Resolved"),
    Status.SCHEDULED: N_("Scheduled"),
    Status.IN_PROGRESS: N_("In progress"),
    Status.VERIFYING: N_("Verifying"),
    Status.COMPLETED: N_("Completed"),
    ComponentState.OPERATIONAL: N_("Operational"),
    ComponentState.UNDER_MAINTENANCE: N_("Under maintenance"),
    ComponentState.DEGRADED_PERFORMANCE: N_("Degraded performance"),
    ComponentState.PARTIAL_OUTAGE: N_("Partial outage"),
    ComponentState.MAJOR_OUTAGE: N_("Major outage"),
    ActionState.PLANNED: N_("Planned"),
    ActionState.IN_PROGRESS: N_("In progress"),
    ActionState.DONE: N_("Done"),
}


class Language:
    """The words and formats of one shipped catalog (see statuspage.i18n)."""

    def __init__(self, catalog: str) -> None:
        self.catalog = catalog
        self.english = catalog == SOURCE_LANGUAGE
        self._translated = translations(catalog)
        self._labels = {member: self.gettext(words) for member, words in LABELS.items()}
        self.direction = "ltr"
        if not self.english:
            from babel import Locale

            self.locale = Locale.parse(catalog)
            if self.locale.character_order == "right-to-left":
                self.direction = "rtl"
            self._date_time = str(self.locale.datetime_formats["medium"])
        self._dates: dict[tuple[str, date], str] = {}

    # -- words ---------------------------------------------------------------

    def gettext(self, message: str) -> str:
        return self._translated.gettext(message)

    def ngettext(self, singular: str, plural: str, count: int) -> str:
        return self._translated.ngettext(singular, plural, count)

    def npgettext(self, context: str, singular: str, plural: str, count: int) -> str:
        return self._translated.npgettext(context, singular, plural, count)

    def label(self, member: Status | ComponentState | ActionState) -> str:
        """'In progress', 'Teilausfall': a status or state as readers see it."""
        return self._labels[member]

    # -- times and numbers ---------------------------------------------------

    def local_time(self, local: datetime) -> str:
        """'20 Nov 2026, 15:10 CET'; '20.11.2026, 15:10 CET' (de): a time in the site's zone."""
        if self.english:
            return timefmt.format_local_time(local)
        shown = self._date_time.format(self.time_of_day(local), self.day(local.date()))
        return f"{shown} {local.tzname()}"

    def time_of_day(self, local: datetime) -> str:
        """'15:10' without the zone."""
        if self.english:
            return f"{local.hour:02d}:{local.minute:02d}"
        from babel.dates import format_time

        return format_time(local, "short", locale=self.locale)

    def promise(self, moment: datetime, said_at: datetime, zone: object) -> str:
        """'15:30 CET' on the day it was said; the whole time else (timefmt.format_promise)."""
        if self.english:
            return timefmt.format_promise(moment, said_at, zone)  # type: ignore[arg-type]
        local = moment.astimezone(zone)  # type: ignore[arg-type]
        said = said_at.astimezone(zone)  # type: ignore[arg-type]
        if local.date() == said.date():
            return f"{self.time_of_day(local)} {local.tzname()}"
        return self.local_time(local)

    def day(self, day: date) -> str:
        """'15 Dec 2026'; '15. Dez. 2026' (de)."""
        if self.english:
            return timefmt.format_day(day)
        return self._skeleton("yMMMd", day)

    def month(self, local: datetime) -> str:
        """'November 2026'; '2026年11月' (ja)."""
        if self.english:
            return timefmt.format_month(local, local.tzinfo)  # type: ignore[arg-type]
        return self._skeleton("yMMMM", date(local.year, local.month, 1))

    def _skeleton(self, skeleton: str, day: date) -> str:
        """The day as CLDR's `skeleton` has it in the locale; a page shows a day many times,
        and a month for every incident of it: each is made once."""
        shown = self._dates.get((skeleton, day))
        if shown is None:
            from babel.dates import format_skeleton

            shown = format_skeleton(skeleton, day, locale=self.locale)
            self._dates[(skeleton, day)] = shown
        return shown

    def duration(self, span: timedelta) -> str:
        """'1 hour 42 minutes', '3 days 4 hours', 'under a minute'; '1 Stunde 42 Minuten'."""
        if self.english:
            return timefmt.format_duration(span)
        minutes = int(span.total_seconds() // 60)
        if minutes < 1:
            return self.gettext("under a minute")
        days, rest = divmod(minutes, 24 * 60)
        hours, minutes = divmod(rest, 60)
        pairs: list[tuple[Literal["day", "hour", "minute"], int]] = (
            [("day", days), ("hour", hours)] if days else [("hour", hours), ("minute", minutes)]
        )
        parts = [self._unit(unit, count) for unit, count in pairs if count]
        if len(parts) == 1:
            return parts[0]
        return self.gettext("%(larger)s %(smaller)s") % {"larger": parts[0], "smaller": parts[1]}

    def _unit(self, unit: Literal["day", "hour", "minute"], count: int) -> str:
        """'42 Minuten': a count of one unit of time, in words."""
        from babel.dates import format_timedelta

        span = timedelta(**{f"{unit}s": count})
        return format_timedelta(span, granularity=unit, threshold=1e9, locale=self.locale)

    def decimal(self, value: float, pattern: str = "#,##0.###") -> str:
        """A number with the locale's separators: '1,250', '99,95' (de)."""
        if self.english and isinstance(value, int):
            return f"{value:,}"
        from babel.numbers import format_decimal

        return format_decimal(float(value), pattern, locale=self.locale)

    def percent(self, figure: str) -> str:
        """'99.95' (model.uptime.format_percent) as the locale writes it: '99,95' (de)."""
        return figure if self.english else self.decimal(float(figure), "0.00")

    def ms(self, value: float) -> str:
        """'120 ms', '1,250 ms', '3.4 ms' (timefmt.format_ms), with the locale's separators."""
        if self.english:
            return timefmt.format_ms(value)
        return f"{self.decimal(value, '0.#' if value < 10 else '#,##0')} ms"


@functools.cache
def language(catalog: str) -> Language:
    """The Language of a shipped catalog, made once a process."""
    return Language(catalog)


def words_for(tag: str) -> Language:
    """The Language a site of `language: tag` speaks: its catalog's."""
    return language(interface_catalog(tag))

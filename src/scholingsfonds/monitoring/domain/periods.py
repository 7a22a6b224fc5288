"""Reporting periods: a month, a quarter, a year or everything, and how months roll up."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from scholingsfonds.core.domain.errors import DomainError

# Grains of the aggregate table, finest first. "a" is everything (period key "").
MONTH, QUARTER, YEAR, ALL = "m", "q", "y", "a"
GRAINS: tuple[str, ...] = (MONTH, QUARTER, YEAR, ALL)

_MONTHS_NL = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)
_PATTERNS = (
    (MONTH, re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")),
    (QUARTER, re.compile(r"^(\d{4})-Q([1-4])$")),
    (YEAR, re.compile(r"^(\d{4})$")),
)


@dataclass(frozen=True)
class Period:
    """A reporting period; `start` and `end` are inclusive days (None for everything)."""

    grain: str
    key: str
    start: date | None
    end: date | None

    @property
    def label_nl(self) -> str:
        """How the period reads in Dutch: `maart 2025`, `2e kwartaal 2025`, `2025`."""
        if self.grain == ALL or self.start is None:
            return "alle jaren"
        if self.grain == MONTH:
            return f"{_MONTHS_NL[self.start.month - 1]} {self.start.year}"
        if self.grain == QUARTER:
            return f"{quarter_of(self.start)}e kwartaal {self.start.year}"
        return str(self.start.year)

    @property
    def year_fraction(self) -> Fraction | None:
        """The share of a year this period is, to pro-rate yearly targets; None for all."""
        return {MONTH: Fraction(1, 12), QUARTER: Fraction(1, 4), YEAR: Fraction(1)}.get(self.grain)

    def contains(self, day: date) -> bool:
        """Whether `day` falls in the period."""
        if self.start is None or self.end is None:
            return True
        return self.start <= day <= self.end

    def months(self) -> list[date]:
        """The first days of the months in the period (empty for everything: unbounded)."""
        if self.start is None or self.end is None:
            return []
        result, current = [], self.start
        while current <= self.end:
            result.append(current)
            current = add_months(current, 1)
        return result


EVERYTHING = Period(ALL, "", None, None)


def add_months(month: date, months: int) -> date:
    """The first day of the month `months` after the month of `month` (negative: before)."""
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def quarter_of(day: date) -> int:
    """1 to 4."""
    return (day.month - 1) // 3 + 1


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def quarter_key(day: date) -> str:
    return f"{day.year:04d}-Q{quarter_of(day)}"


def year_key(day: date) -> str:
    return f"{day.year:04d}"


def rollup_keys(month: date) -> tuple[tuple[str, str], ...]:
    """The (grain, key) of every period a month counts in: its month, quarter, year, all."""
    return (
        (MONTH, month_key(month)),
        (QUARTER, quarter_key(month)),
        (YEAR, year_key(month)),
        (ALL, ""),
    )


def _last_day(first_of_next: date) -> date:
    return date.fromordinal(first_of_next.toordinal() - 1)


def period_of(grain: str, day: date) -> Period:
    """The period of the given grain that contains `day`."""
    if grain == MONTH:
        start = day.replace(day=1)
        return Period(MONTH, month_key(day), start, _last_day(add_months(start, 1)))
    if grain == QUARTER:
        start = date(day.year, 3 * (quarter_of(day) - 1) + 1, 1)
        return Period(QUARTER, quarter_key(day), start, _last_day(add_months(start, 3)))
    if grain == YEAR:
        return Period(YEAR, year_key(day), date(day.year, 1, 1), date(day.year, 12, 31))
    if grain == ALL:
        return EVERYTHING
    raise DomainError("monitoring.bad_grain", f"Onbekende periode-soort {grain!r}.")


def parse_period(text: str) -> Period:
    """Read `2025`, `2025-Q2`, `2025-03` or `` / `all` (everything)."""
    text = (text or "").strip()
    if text in ("", "all", "alles"):
        return EVERYTHING
    for grain, pattern in _PATTERNS:
        match = pattern.match(text)
        if match:
            year = int(match.group(1))
            if not 1900 <= year <= 2999:
                break
            if grain == MONTH:
                return period_of(MONTH, date(year, int(match.group(2)), 1))
            if grain == QUARTER:
                return period_of(QUARTER, date(year, 3 * (int(match.group(2)) - 1) + 1, 1))
            return period_of(YEAR, date(year, 1, 1))
    raise DomainError(
        "monitoring.bad_period",
        "Kies een periode als 2025, 2025-Q2 of 2025-03.",
        "Choose a period such as 2025, 2025-Q2 or 2025-03.",
    )


def series_grain(period: Period) -> str:
    """The grain of the time series within a period: months, for everything quarters."""
    return QUARTER if period.grain == ALL else MONTH

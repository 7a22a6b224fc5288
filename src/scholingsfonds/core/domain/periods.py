"""Periods in time: a fund's policy periods, a funder's source period, a scheme's validity.

A fund's rules come as a sequence of periods. The sequence must never overlap (two sets of
rules on one day) and never leave a gap (a day on which nobody may apply), unless a period
explicitly says that a gap before it is intended. The last period may be open-ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_date_en, format_date_nl

# Managers are warned this many days before the last period of a fund ends without successor.
ENDING_WARNING_DAYS = 90


@dataclass(frozen=True)
class Period:
    label: str
    start: date
    end: date | None = None
    # A gap between the previous period and this one is intended (a fund paused on purpose).
    gap_allowed: bool = False

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _fmt_nl(d: date | None) -> str:
    return format_date_nl(d) if d else "onbepaalde tijd"


def _fmt_en(d: date | None) -> str:
    return format_date_en(d) if d else "open-ended"


def check_sequence(periods: Iterable[Period], *, what_nl: str, what_en: str) -> None:
    """Raise DomainError('period.overlap' / 'period.gap') unless the periods follow each other.

    `what_nl`/`what_en` name the sequence in the message (e.g. "beleid van Twents Fonds").
    """
    ordered = sorted(periods, key=lambda p: p.start)
    for earlier, later in zip(ordered, ordered[1:], strict=False):
        if earlier.end is None or earlier.end >= later.start:
            raise DomainError(
                "period.overlap",
                f"De perioden van {what_nl} overlappen: {earlier.label} "
                f"({format_date_nl(earlier.start)} tot en met {_fmt_nl(earlier.end)}) en "
                f"{later.label} (vanaf {format_date_nl(later.start)}). Laat de eerste periode "
                f"eindigen op de dag voor de volgende begint.",
                f"The periods of {what_en} overlap: {earlier.label} "
                f"({format_date_en(earlier.start)} to {_fmt_en(earlier.end)}) and "
                f"{later.label} (from {format_date_en(later.start)}). End the first the day "
                f"before the next begins.",
            )
        if earlier.end + timedelta(days=1) != later.start and not later.gap_allowed:
            raise DomainError(
                "period.gap",
                f"Tussen de perioden van {what_nl} zit een gat: {earlier.label} eindigt op "
                f"{format_date_nl(earlier.end)}, {later.label} begint op "
                f"{format_date_nl(later.start)}. Sluit ze op elkaar aan, of zet "
                f"'gap_allowed = true' in {later.label} als het gat de bedoeling is.",
                f"There is a gap between the periods of {what_en}: {earlier.label} ends on "
                f"{format_date_en(earlier.end)}, {later.label} begins on "
                f"{format_date_en(later.start)}. Make them adjoin, or set 'gap_allowed = true' "
                f"in {later.label} if the gap is intended.",
            )


def period_on(periods: Sequence[Period], day: date) -> Period | None:
    """The period in force on `day`, if any (the latest start wins, as a safeguard)."""
    covering = [p for p in periods if p.covers(day)]
    return max(covering, key=lambda p: p.start) if covering else None


@dataclass(frozen=True)
class PeriodOutlook:
    """Where a sequence of periods stands on one day, for warnings and the public page."""

    current: Period | None
    # The last period that ended before `day` when none is in force now.
    ended: Period | None
    # The next period that starts after `day`.
    upcoming: Period | None
    # Set from ENDING_WARNING_DAYS before the current period ends when no successor follows.
    ending_without_successor: bool

    @property
    def open(self) -> bool:
        return self.current is not None


def outlook(
    periods: Sequence[Period], day: date, warning_days: int = ENDING_WARNING_DAYS
) -> PeriodOutlook:
    current = period_on(periods, day)
    later = sorted((p for p in periods if p.start > day), key=lambda p: p.start)
    earlier = sorted(
        (p for p in periods if p.end is not None and p.end < day), key=lambda p: p.end or day
    )
    ending = False
    if current is not None and current.end is not None:
        successor = any(p.start > current.end for p in periods)
        ending = not successor and (current.end - day).days < warning_days
    return PeriodOutlook(
        current=current,
        ended=earlier[-1] if earlier and current is None else None,
        upcoming=later[0] if later else None,
        ending_without_successor=ending,
    )

"""Time slots for conversations: a morning cut into appointments, repeated weekly (pure)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from scholingsfonds.core.domain.errors import DomainError

MAX_SLOTS = 200


def slot_series(
    *, day: date, start: time, end: time, minutes: int, weeks: int = 1
) -> list[tuple[datetime, datetime]]:
    """Local (naive) start and end of every slot from `start` to `end`, for `weeks` weeks."""
    if minutes < 10 or minutes > 240:
        raise DomainError(
            "slots.invalid_length",
            "Een gesprek duurt tussen 10 en 240 minuten.",
            "A conversation lasts between 10 and 240 minutes.",
        )
    if end <= start:
        raise DomainError(
            "slots.invalid_times",
            "De eindtijd ligt niet na de begintijd.",
            "The end time is not after the start time.",
        )
    if not 1 <= weeks <= 12:
        raise DomainError(
            "slots.invalid_weeks",
            "Herhaal hoogstens 12 weken.",
            "Repeat for at most 12 weeks.",
        )
    length = timedelta(minutes=minutes)
    series: list[tuple[datetime, datetime]] = []
    for week in range(weeks):
        moment = datetime.combine(day + timedelta(weeks=week), start)
        stop = datetime.combine(day + timedelta(weeks=week), end)
        while moment + length <= stop:
            series.append((moment, moment + length))
            moment += length
    if not series:
        raise DomainError(
            "slots.too_short",
            "Tussen begin- en eindtijd past geen enkel gesprek.",
            "No conversation fits between the start and end time.",
        )
    if len(series) > MAX_SLOTS:
        raise DomainError(
            "slots.too_many",
            f"Dat zijn meer dan {MAX_SLOTS} tijdsloten in één keer.",
            f"That is more than {MAX_SLOTS} slots at once.",
        )
    return series


def overlaps(a: tuple[datetime, datetime], b: tuple[datetime, datetime]) -> bool:
    """Two periods overlap when each starts before the other ends."""
    return a[0] < b[1] and b[0] < a[1]

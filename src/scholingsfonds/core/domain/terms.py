"""Legal terms: Awb decision and objection terms, moved by the Algemene termijnenwet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm)."""
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def _kings_day(year: int) -> date:
    # Since 2014 King's Day (27 April); moved to the 26th when the 27th is a Sunday.
    # Before 2014 Queen's Day (30 April, the 29th when the 30th was a Sunday).
    day = date(year, 4, 27) if year >= 2014 else date(year, 4, 30)
    return day - timedelta(days=1) if day.weekday() == 6 else day


@lru_cache(maxsize=256)
def termijnenwet_holidays(year: int) -> frozenset[date]:
    """The general recognised holidays of Algemene termijnenwet art. 3 in `year`."""
    easter = easter_sunday(year)
    # Not listed: Good Friday, and Easter/Whit Sunday (already Sundays). The `holidays`
    # package only has 5 May every fifth year; art. 3 names Liberation Day every year.
    return frozenset(
        {
            date(year, 1, 1),
            easter + timedelta(days=1),  # Easter Monday
            _kings_day(year),
            date(year, 5, 5),  # Liberation Day
            easter + timedelta(days=39),  # Ascension Day
            easter + timedelta(days=50),  # Whit Monday
            date(year, 12, 25),
            date(year, 12, 26),
        }
    )


def is_termijnenwet_rest_day(d: date) -> bool:
    """Saturday, Sunday or a holiday of Algemene termijnenwet art. 3."""
    return d.weekday() >= 5 or d in termijnenwet_holidays(d.year)


def next_working_day_on_or_after(d: date) -> date:
    """`d`, or the first following day that is not a rest day (Atw art. 1)."""
    while is_termijnenwet_rest_day(d):
        d += timedelta(days=1)
    return d


def objection_deadline(sent_on: date) -> date:
    """Last day to object: six weeks from the day after sending (Awb 6:7, 6:8), then Atw."""
    # The term starts the day after sending, so its last day is sent_on + 6 * 7 days.
    return next_working_day_on_or_after(sent_on + timedelta(weeks=6))


def suspended_days(suspensions: Sequence[tuple[date, date | None]], today: date) -> int:
    """Days the decision term is suspended (Awb 4:15), overlapping suspensions counted once."""
    # Awb 4:15: suspended from the day after the repair request (start) up to, not including,
    # the day the application was repaired or the repair term lapsed unused (end). A suspension
    # that is still running covers every day up to and including today.
    days: set[date] = set()
    for start, end in suspensions:
        first = start + timedelta(days=1)
        stop = end if end is not None else today + timedelta(days=1)
        day = first
        while day < stop:
            days.add(day)
            day += timedelta(days=1)
    return len(days)


def decision_due_date(
    complete_on: date,
    term_weeks: int,
    suspensions: Sequence[tuple[date, date | None]],
    today: date,
) -> date:
    """Last day to decide: term from the day after completeness, plus suspensions, then Atw."""
    if term_weeks < 0:
        raise ValueError("term_weeks must not be negative")
    raw = complete_on + timedelta(weeks=term_weeks, days=suspended_days(suspensions, today))
    return next_working_day_on_or_after(raw)


def days_overdue(due: date, today: date) -> int:
    """Whole days past the due date; 0 when not overdue."""
    return max(0, (today - due).days)


def repair_deadline(requested_on: date, days: int) -> date:
    """Last day to repair an application (Awb 4:5), counted from the day after the request."""
    if days < 0:
        raise ValueError("days must not be negative")
    return next_working_day_on_or_after(requested_on + timedelta(days=days))

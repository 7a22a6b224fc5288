"""The demo's calendar, relative to the day it is loaded (plain Python, no Django).

The demo must make sense on whatever day `manage.py load_demo` runs: its letters are dated on
working days (Algemene termijnenwet), and its funding sources run up to the year after today,
so that a grant decided today always finds money.
"""

from datetime import date, timedelta

from scholingsfonds.core.domain.terms import (
    is_termijnenwet_rest_day,
    next_working_day_on_or_after,
)


def working_day_on_or_before(day: date) -> date:
    """`day`, or the last working day before it."""
    while is_termijnenwet_rest_day(day):
        day -= timedelta(days=1)
    return day


def office_day(day: date, today: date) -> date:
    """The day an office acts on something due on `day`: the first working day on or after
    it, but never after `today` (then the last working day up to today).

    Decisions and their letters are sent on working days; the demo never writes the future.
    """
    moved = next_working_day_on_or_after(day)
    return moved if moved <= today else working_day_on_or_before(today)


def funding_years(first_year: int, today: date) -> range:
    """The calendar years from `first_year` up to and including the year after today's.

    Yearly demo sources for these years mean a grant decided today (or until the end of the
    year after) always finds a source whose period covers the decision date.
    """
    return range(first_year, max(first_year, today.year + 1) + 1)


def year_bounds(year: int) -> tuple[date, date]:
    return date(year, 1, 1), date(year, 12, 31)


def pledge_day(period_start: date, today: date) -> date:
    """When a funder's pledge is booked: at the start of its period, or today for money
    pledged ahead (next year's budget is known before the year begins)."""
    return min(period_start, today)


def spread_age_days(index: int, lowest: int, highest: int, jitter: int) -> int:
    """An age in days for case `index`, spread evenly over `lowest..highest`.

    Consecutive cases land in different strides of the range (a stride of 7 over 11 strata
    visits every stratum), so even a small demo covers most months of the year; `jitter` is
    the random part within the stratum, which the caller draws.
    """
    strata = 11
    width = (highest - lowest) // strata
    stratum = (index * 7) % strata
    return lowest + stratum * width + min(max(jitter, 0), width - 1)


def payment_run_days(first: date, last: date) -> list[date]:
    """Finance pays every other Thursday (even ISO weeks), or the next working day."""
    days = []
    day = first + timedelta(days=(3 - first.weekday()) % 7)
    if day.isocalendar().week % 2:
        day += timedelta(days=7)
    while day <= last:
        run = next_working_day_on_or_after(day)
        if run <= last:
            days.append(run)
        day += timedelta(days=14)
    return days

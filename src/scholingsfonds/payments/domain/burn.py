"""How fast voucher money is used, and when it runs out at that pace (plain Python, no Django)."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

# The journal kinds that change what is bound to vouchers (committed + paid).
COMMIT = "commit"
PAY = "pay"
RELEASE = "release"

# The mean Gregorian month is 365.2425 / 12 days = 146097 / 4800 days: integer arithmetic only.
_DAYS_PER_MONTH_NUM = 146_097
_DAYS_PER_MONTH_DEN = 4_800


@dataclass(frozen=True)
class Movement:
    """One journal movement of voucher money: committed, paid or released on a day."""

    day: date
    kind: str
    amount_cents: int


@dataclass(frozen=True)
class MonthUse:
    """Voucher money moved in one month of the window, from `first_day` to `last_day`."""

    first_day: date
    last_day: date
    committed_cents: int
    paid_cents: int
    released_cents: int

    @property
    def net_cents(self) -> int:
        """Growth of committed + paid: new commitments minus money given back."""
        return self.committed_cents - self.released_cents


def shift_months(day: date, months: int) -> date:
    """The same day `months` later (earlier when negative), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def window(today: date, months: int = 6) -> tuple[tuple[date, date], ...]:
    """The last `months` months up to and including today, oldest first, as (first, last) days.

    A rolling window: the running month counts with its days so far, so a grant made this
    week shows in the pace at once, and the window always spans the same length of time.
    """
    if months <= 0:
        raise ValueError("months must be positive")
    after_today = today + timedelta(days=1)
    bounds = [shift_months(after_today, -n) for n in range(months, -1, -1)]
    return tuple(
        (start, next_start - timedelta(days=1))
        for start, next_start in zip(bounds, bounds[1:], strict=False)
    )


def monthly_use(
    movements: Iterable[Movement], today: date, months: int = 6
) -> tuple[MonthUse, ...]:
    """Sum the movements per month of the window; months without movements count as zero."""
    periods = window(today, months)
    totals = [[0, 0, 0] for _ in periods]
    column = {COMMIT: 0, PAY: 1, RELEASE: 2}
    for movement in movements:
        if movement.kind not in column:
            raise ValueError(f"unknown movement kind {movement.kind!r}")
        for n, (first, last) in enumerate(periods):
            if first <= movement.day <= last:
                totals[n][column[movement.kind]] += movement.amount_cents
                break
    return tuple(MonthUse(first, last, *totals[n]) for n, (first, last) in enumerate(periods))


def burn_rate_cents(months: Sequence[MonthUse]) -> int:
    """Mean net use per month in whole cents (rounded down); never negative."""
    if not months:
        return 0
    total = sum(m.net_cents for m in months)
    return max(total // len(months), 0)


def run_out_date(available_cents: int, rate_cents_per_month: int, today: date) -> date | None:
    """The day the available money is used up at this rate; None when it cannot be foretold.

    A rate of zero (or less) never uses the money up, and a date past the calendar's end is
    no forecast either: both are "not predictable".
    """
    if rate_cents_per_month <= 0:
        return None
    if available_cents <= 0:
        return today
    days = (available_cents * _DAYS_PER_MONTH_NUM) // (rate_cents_per_month * _DAYS_PER_MONTH_DEN)
    if days > (date.max - today).days:
        return None
    return today + timedelta(days=days)

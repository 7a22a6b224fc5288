"""Figures from aggregate rows: sums, shares, targets, lead times, outcomes, run-out (plain Python).

A row is a mapping of measure name to integer, as the aggregate table stores it per
dimension value. These functions never touch a database, so they are tested on plain rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from fractions import Fraction

from scholingsfonds.monitoring.domain.facts import JOB_CHANGES, MEASURES, WAVES
from scholingsfonds.monitoring.domain.periods import Period, add_months

Row = Mapping[str, int]


def empty_row() -> dict[str, int]:
    """A row of zeros for every measure."""
    return dict.fromkeys(MEASURES, 0)


def add_rows(rows: Iterable[Row]) -> dict[str, int]:
    """The measure-wise sum of rows."""
    total = empty_row()
    for row in rows:
        for measure in MEASURES:
            total[measure] += int(row.get(measure, 0))
    return total


def subtract_rows(a: Row, b: Row) -> dict[str, int]:
    """a - b, measure by measure."""
    return {m: int(a.get(m, 0)) - int(b.get(m, 0)) for m in MEASURES}


def is_zero(row: Row) -> bool:
    """Whether every measure is zero (such rows are not stored)."""
    return not any(int(row.get(m, 0)) for m in MEASURES)


def percent(part: int, whole: int) -> float | None:
    """part / whole in percent, one decimal; None when there is nothing to divide by."""
    if whole <= 0:
        return None
    return round(100 * part / whole, 1)


def average(total: int, count: int) -> float | None:
    """total / count, one decimal; None without observations."""
    if count <= 0:
        return None
    return round(total / count, 1)


@dataclass(frozen=True)
class Progress:
    """An actual number against a target for the same period."""

    actual: int
    target: int | None

    @property
    def percent(self) -> float | None:
        return None if self.target is None else percent(self.actual, self.target)


def prorated_target(per_year: int | None, period: Period, years: int = 1) -> int | None:
    """A yearly target for a month, quarter or year; for everything: per year x years.

    Rounded half up to a whole number (625 a year is 156.25, so 156, a quarter).
    """
    if per_year is None:
        return None
    share = period.year_fraction
    amount = Fraction(per_year * years) if share is None else per_year * share
    return int(amount + Fraction(1, 2))


def share_in(rows_by_value: Mapping[str, Row], values: Iterable[str], measure: str) -> int:
    """The sum of a measure over the given dimension values."""
    wanted = set(values)
    return sum(int(row.get(measure, 0)) for value, row in rows_by_value.items() if value in wanted)


@dataclass(frozen=True)
class LeadTimes:
    """Average waiting and decision times in days, and the share decided within the term."""

    days_to_conversation: float | None
    days_to_decision: float | None
    decided: int
    in_term_percent: float | None


def lead_times(row: Row) -> LeadTimes:
    """Lead times from one aggregate row."""
    decided = int(row.get("decided", 0))
    return LeadTimes(
        days_to_conversation=average(int(row.get("wait_days", 0)), int(row.get("waited", 0))),
        days_to_decision=average(int(row.get("lead_days", 0)), decided),
        decided=decided,
        in_term_percent=percent(int(row.get("in_term", 0)), decided),
    )


@dataclass(frozen=True)
class OutcomeSummary:
    """The answers of one questionnaire wave (6 or 12 months after the training ended)."""

    wave: int
    sent: int
    responses: int
    finished: int
    certificate: int
    changes: tuple[tuple[str, int], ...]

    @property
    def response_percent(self) -> float | None:
        return percent(self.responses, self.sent)

    @property
    def finished_percent(self) -> float | None:
        return percent(self.finished, self.responses)

    @property
    def certificate_percent(self) -> float | None:
        return percent(self.certificate, self.responses)

    @property
    def better_position(self) -> int:
        """Answers that name a step on the labour market (anything but "no change")."""
        return sum(n for change, n in self.changes if change != "none")

    @property
    def better_position_percent(self) -> float | None:
        return percent(self.better_position, self.responses)


def outcome_summary(row: Row, wave: int) -> OutcomeSummary:
    """Read one wave's outcome measures from a row."""
    if wave not in WAVES:
        raise ValueError(f"unknown wave {wave}")
    return OutcomeSummary(
        wave=wave,
        sent=int(row.get(f"sent{wave}", 0)),
        responses=int(row.get(f"resp{wave}", 0)),
        finished=int(row.get(f"finished{wave}", 0)),
        certificate=int(row.get(f"cert{wave}", 0)),
        changes=tuple((change, int(row.get(f"chg_{change}_{wave}", 0))) for change in JOB_CHANGES),
    )


# The pace of spending is measured over at most this many months before the current one.
PACE_MONTHS = 6
# Beyond this a date means nothing: the projection says "more than 50 years".
MAX_PROJECTION_MONTHS = 600


def monthly_pace(flows: Mapping[date, int], today: date) -> Fraction:
    """Net commitments (committed minus released) per month, recently.

    Measured from the first month with a movement, at most PACE_MONTHS before the current
    month, up to today; the running month counts for the part that has passed, so a fund
    that started this month is not judged by empty months before it existed.
    """
    window_start = add_months(today.replace(day=1), -PACE_MONTHS)
    active = sorted(m for m, amount in flows.items() if amount and m >= window_start)
    if not active:
        return Fraction(0)
    start = active[0]
    current = today.replace(day=1)
    whole = (current.year - start.year) * 12 + current.month - start.month
    days_in_month = (add_months(current, 1) - current).days
    elapsed = whole + Fraction(today.day, days_in_month)
    total = sum(amount for m, amount in flows.items() if start <= m <= current)
    return Fraction(total) / elapsed


@dataclass(frozen=True)
class RunOut:
    """When a source's available money runs out at the recent pace."""

    available_cents: int
    monthly_net_cents: int  # the pace; zero or negative means nothing is being used up
    months_left: float | None
    runs_out_in: date | None


def run_out(available_cents: int, pace: Fraction, today: date) -> RunOut:
    """Project when the available money is used up at `pace` cents a month."""
    if pace <= 0:
        return RunOut(available_cents, int(pace), None, None)
    left = Fraction(available_cents) / pace
    if left > MAX_PROJECTION_MONTHS:
        return RunOut(available_cents, int(pace), round(float(left), 1), None)
    # The month in which the money runs out (the current month counts as month 0).
    when = add_months(today.replace(day=1), int(left))
    return RunOut(available_cents, int(pace), round(float(left), 1), when)


def recent_months(today: date, count: int = 6) -> list[date]:
    """The `count` complete months before the month of `today`, oldest first."""
    start = today.replace(day=1)
    return [add_months(start, -n) for n in range(count, 0, -1)]

"""Small statistics for the advisor's overview: lead times and targets (pure)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class LeadTime:
    """How long a step took, over `count` cases, in days."""

    count: int
    median_days: float | None
    p90_days: int | None


def median(values: Sequence[int]) -> float | None:
    """The middle value (the mean of the two middle ones for an even count)."""
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return float(ordered[middle])
    return (ordered[middle - 1] + ordered[middle]) / 2


def percentile(values: Sequence[int], percent: int) -> int | None:
    """Nearest-rank percentile: the smallest value with `percent` % of values at or below it."""
    if not values:
        return None
    if not 0 < percent <= 100:
        raise ValueError("percent must be in (0, 100]")
    ordered = sorted(values)
    rank = math.ceil(percent * len(ordered) / 100)
    return ordered[rank - 1]


def lead_time(days: Sequence[int]) -> LeadTime:
    """Median and 90th percentile of a list of durations in days."""
    return LeadTime(count=len(days), median_days=median(days), p90_days=percentile(days, 90))


def monthly_target(per_year: int) -> float:
    """The yearly target spread evenly over twelve months (1,375 a year: 114.6 a month)."""
    return round(per_year / 12, 1)


def target_to_date(per_year: int, months: int) -> int:
    """The part of the yearly target due after `months` whole months, rounded half up."""
    months = max(0, min(12, months))
    return (per_year * months * 2 + 12) // 24


def percent_of(part: int, whole: int | float) -> int | None:
    """`part` as a whole percentage of `whole` (None without a whole)."""
    if not whole:
        return None
    return round(100 * part / whole)

"""Periods of policies, sources and targets: no overlap, no unintended gap, a clear outlook."""

from datetime import date, timedelta

import pytest

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.periods import (
    ENDING_WARNING_DAYS,
    Period,
    check_sequence,
    outlook,
    period_on,
)

# Pure functions: every date is an argument, the clock is never read.
START = date(2023, 1, 1)
END = date(2026, 12, 31)


def seq(*periods: Period) -> None:
    check_sequence(periods, what_nl="het beleid van x", what_en="the policy of x")


def test_adjoining_periods_and_an_open_end_are_accepted():
    seq(Period("a", START, END), Period("b", END + timedelta(days=1)))


def test_overlap_is_refused_with_both_periods_named():
    with pytest.raises(DomainError) as error:
        seq(Period("a.toml", START, END), Period("b.toml", END))
    assert error.value.code == "period.overlap"
    assert "a.toml" in error.value.message_nl and "b.toml" in error.value.message_nl


def test_an_open_ended_period_followed_by_another_overlaps():
    with pytest.raises(DomainError) as error:
        seq(Period("a", START), Period("b", END))
    assert error.value.code == "period.overlap"


def test_a_gap_is_refused_unless_the_later_period_allows_it():
    with pytest.raises(DomainError) as error:
        seq(Period("a", START, END), Period("b", END + timedelta(days=2)))
    assert error.value.code == "period.gap" and "gap_allowed" in error.value.message_nl
    seq(Period("a", START, END), Period("b", END + timedelta(days=2), gap_allowed=True))


def test_the_period_in_force_on_each_boundary_day():
    a, b = Period("a", START, END), Period("b", END + timedelta(days=1))
    assert period_on([a, b], END) == a
    assert period_on([a, b], END + timedelta(days=1)) == b
    assert period_on([a, b], START - timedelta(days=1)) is None


def test_the_warning_starts_ninety_days_before_an_end_without_successor():
    a = Period("a", START, END)
    before = END - timedelta(days=ENDING_WARNING_DAYS)
    assert not outlook([a], before).ending_without_successor
    assert outlook([a], before + timedelta(days=1)).ending_without_successor
    assert outlook([a], END).ending_without_successor
    # With a successor there is nothing to warn about.
    assert not outlook([a, Period("b", END + timedelta(days=1))], END).ending_without_successor


def test_after_the_end_the_outlook_names_the_ended_period_and_what_comes():
    a = Period("a", START, END)
    after = outlook([a], END + timedelta(days=1))
    assert after.current is None and after.ended == a and after.upcoming is None
    c = Period("c", END + timedelta(days=30), gap_allowed=True)
    between = outlook([a, c], END + timedelta(days=1))
    assert between.ended == a and between.upcoming == c and not between.open

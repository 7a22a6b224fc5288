"""Burn rate and run-out date: plain Python, no database."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholingsfonds.payments.domain.burn import (
    MonthUse,
    Movement,
    burn_rate_cents,
    monthly_use,
    run_out_date,
    shift_months,
    window,
)

TODAY = date(2026, 3, 15)


def test_window_is_six_rolling_months_ending_today():
    assert window(TODAY) == (
        (date(2025, 9, 16), date(2025, 10, 15)),
        (date(2025, 10, 16), date(2025, 11, 15)),
        (date(2025, 11, 16), date(2025, 12, 15)),
        (date(2025, 12, 16), date(2026, 1, 15)),
        (date(2026, 1, 16), date(2026, 2, 15)),
        (date(2026, 2, 16), date(2026, 3, 15)),
    )


def test_window_clamps_month_ends_and_leaves_no_gap():
    periods = window(date(2026, 3, 30))  # 31 March is the first day after today
    assert periods[-1] == (date(2026, 2, 28), date(2026, 3, 30))
    for (_, last), (first, _) in zip(periods, periods[1:], strict=False):
        assert first == last + timedelta(days=1)


def test_window_refuses_zero_months():
    with pytest.raises(ValueError):
        window(TODAY, 0)


def test_monthly_use_sums_per_month_and_ignores_days_outside_the_window():
    movements = [
        Movement(date(2026, 3, 15), "commit", 150_000),  # today counts
        Movement(date(2026, 2, 16), "commit", 100_000),
        Movement(date(2026, 3, 1), "pay", 90_000),
        Movement(date(2026, 2, 15), "release", 20_000),
        Movement(date(2026, 3, 16), "commit", 999_999),  # after today
        Movement(date(2025, 9, 15), "commit", 888_888),  # before the window
    ]
    months = monthly_use(movements, TODAY)
    last = months[-1]
    assert (last.committed_cents, last.paid_cents, last.released_cents) == (250_000, 90_000, 0)
    assert months[-2].net_cents == -20_000
    assert sum(m.committed_cents for m in months) == 250_000


def test_monthly_use_refuses_an_unknown_kind():
    with pytest.raises(ValueError):
        monthly_use([Movement(date(2026, 2, 1), "claim", 1)], TODAY)


def _use(committed: int, paid: int = 0, released: int = 0) -> MonthUse:
    return MonthUse(date(2026, 1, 1), date(2026, 1, 31), committed, paid, released)


def test_burn_rate_is_the_mean_net_use_rounded_down():
    months = [_use(100, 50), _use(100, 50), _use(2)]
    assert burn_rate_cents(months) == 67  # 202 / 3 = 67.33


def test_burn_rate_never_goes_negative():
    assert burn_rate_cents([_use(0, released=500)]) == 0
    assert burn_rate_cents([]) == 0


def test_payments_do_not_count_as_use_the_money_was_already_bound():
    months = monthly_use([Movement(date(2026, 3, 3), "pay", 150_000)], TODAY)
    assert burn_rate_cents(months) == 0


def test_run_out_is_not_predictable_without_use():
    assert run_out_date(1_000_000, 0, TODAY) is None


def test_run_out_of_six_months_of_money_is_about_half_a_year_away():
    # 6 x the monthly rate lasts 6 mean months = 182 days (182.62 rounded down).
    assert run_out_date(600_000, 100_000, TODAY) == date(2026, 9, 13)


def test_run_out_is_today_when_nothing_is_available():
    assert run_out_date(0, 100, TODAY) == TODAY


def test_run_out_past_the_calendar_is_not_predictable():
    assert run_out_date(10**18, 1, TODAY) is None


@given(
    available=st.integers(min_value=0, max_value=10**11),
    rate=st.integers(min_value=1, max_value=10**9),
)
def test_more_use_never_moves_the_run_out_date_later(available, rate):
    slower = run_out_date(available, rate, TODAY)
    faster = run_out_date(available, rate + 1, TODAY)
    if slower is not None:
        assert faster is not None and faster <= slower


@given(st.integers(min_value=-500, max_value=500), st.integers(min_value=1, max_value=28))
def test_shift_months_round_trips_for_days_every_month_has(n, day):
    start = date(2026, 1, day)
    assert shift_months(shift_months(start, n), -n) == start


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2100, 1, 1)))
def test_window_always_ends_today_and_spans_about_half_a_year(today):
    periods = window(today)
    assert periods[-1][1] == today
    assert 180 <= (today - periods[0][0]).days <= 184

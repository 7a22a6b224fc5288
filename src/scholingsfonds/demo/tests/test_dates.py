"""The demo's calendar: working days for letters, yearly sources up to the year after today."""

from datetime import date, timedelta

from scholingsfonds.core.domain.terms import is_termijnenwet_rest_day
from scholingsfonds.demo.domain.dates import (
    funding_years,
    office_day,
    payment_run_days,
    pledge_day,
    spread_age_days,
    working_day_on_or_before,
)


def test_office_day_moves_to_a_working_day_and_never_past_today():
    # Saturday 27 March 2027 -> Monday 29 March; Easter Monday (29 March 2027) is a holiday.
    saturday = date(2027, 3, 27)
    assert office_day(saturday, date(2027, 6, 1)) == date(2027, 3, 30)
    # With today on Sunday, a Saturday's business falls back to Friday.
    assert office_day(date(2027, 3, 6), date(2027, 3, 7)) == date(2027, 3, 5)
    for n in range(400):
        day = date(2026, 1, 1) + timedelta(days=n)
        moved = office_day(day, date(2027, 12, 31))
        assert moved >= day and not is_termijnenwet_rest_day(moved)


def test_working_day_on_or_before_skips_christmas_and_the_weekend():
    assert working_day_on_or_before(date(2028, 12, 26)) == date(2028, 12, 22)


def test_funding_years_run_to_the_year_after_today():
    assert list(funding_years(2027, date(2026, 12, 3))) == [2027]
    assert list(funding_years(2027, date(2027, 3, 1))) == [2027, 2028]
    assert list(funding_years(2025, date(2028, 6, 1))) == [2025, 2026, 2027, 2028, 2029]


def test_a_pledge_is_booked_at_its_period_start_or_today_when_ahead():
    assert pledge_day(date(2023, 1, 1), date(2027, 3, 1)) == date(2023, 1, 1)
    assert pledge_day(date(2028, 1, 1), date(2027, 3, 1)) == date(2027, 3, 1)


def test_case_ages_cover_the_whole_year():
    ages = [spread_age_days(index, 40, 362, 0) for index in range(11)]
    assert len(set(ages)) == 11
    assert min(ages) == 40 and max(ages) <= 362
    assert spread_age_days(3, 40, 362, 999) < spread_age_days(3, 40, 362, 0) + 29


def test_payment_runs_every_other_thursday_on_working_days():
    days = payment_run_days(date(2027, 1, 1), date(2027, 12, 31))
    assert len(days) in (25, 26)
    assert all(not is_termijnenwet_rest_day(day) for day in days)
    # Ascension Day 2027 (Thursday 6 May) moves its run to Friday.
    assert date(2027, 5, 7) in days and date(2027, 5, 6) not in days
    gaps = {(b - a).days for a, b in zip(days, days[1:], strict=False)}
    assert gaps <= {13, 14, 15}

from datetime import date, timedelta

import holidays
import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholingsfonds.core.domain.terms import (
    days_overdue,
    decision_due_date,
    easter_sunday,
    is_termijnenwet_rest_day,
    next_working_day_on_or_after,
    objection_deadline,
    repair_deadline,
    suspended_days,
    termijnenwet_holidays,
)

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


def test_liberation_day_is_a_rest_day_every_year_not_only_every_fifth() -> None:
    assert date(2026, 5, 5).weekday() == 1  # a Tuesday
    assert is_termijnenwet_rest_day(date(2026, 5, 5))
    # Why we do not rely on the package for 5 May:
    assert date(2026, 5, 5) not in holidays.country_holidays("NL", years=2026)


def test_good_friday_is_a_working_day() -> None:
    assert date(2026, 4, 3).weekday() == 4
    assert not is_termijnenwet_rest_day(date(2026, 4, 3))


def test_kings_day_moves_to_26_april_when_27_april_is_a_sunday() -> None:
    assert date(2025, 4, 27).weekday() == 6
    assert date(2025, 4, 26) in termijnenwet_holidays(2025)
    assert date(2025, 4, 27) not in termijnenwet_holidays(2025)  # a rest day only as a Sunday
    assert date(2026, 4, 27) in termijnenwet_holidays(2026)  # a Monday


@pytest.mark.parametrize(
    "day",
    [
        date(2026, 1, 1),
        date(2026, 4, 6),
        date(2026, 5, 14),
        date(2026, 5, 25),
        date(2026, 12, 25),
        date(2027, 3, 29),
        date(2027, 5, 6),
        date(2027, 5, 17),
        date(2027, 12, 27),  # an ordinary Monday: the 26th is a Sunday
    ],
)
def test_known_rest_days_and_one_working_day(day: date) -> None:
    assert is_termijnenwet_rest_day(day) is (day != date(2027, 12, 27))


def test_weekends_are_rest_days_and_an_ordinary_wednesday_is_not() -> None:
    assert is_termijnenwet_rest_day(date(2025, 11, 15))  # Saturday
    assert is_termijnenwet_rest_day(date(2025, 11, 16))  # Sunday
    assert not is_termijnenwet_rest_day(date(2025, 11, 19))


def test_our_holidays_match_the_holidays_package_apart_from_the_documented_differences() -> None:
    for year in range(1990, 2101):
        theirs = holidays.country_holidays("NL", years=year)
        skip = {
            d for d, name in theirs.items() if name in ("Good Friday", "Easter Sunday", "Pentecost")
        }
        expected = (set(theirs) - skip) | {date(year, 5, 5)}
        assert termijnenwet_holidays(year) == expected, year
        assert easter_sunday(year) + timedelta(days=1) in theirs


def test_objection_deadline_is_six_weeks_after_sending() -> None:
    # Sent Wednesday 5 March 2025: term starts 6 March, last day Wednesday 16 April 2025.
    assert objection_deadline(date(2025, 3, 5)) == date(2025, 4, 16)


def test_objection_deadline_on_christmas_moves_past_boxing_day_and_the_weekend() -> None:
    assert date(2025, 11, 13) + timedelta(weeks=6) == date(2025, 12, 25)
    assert objection_deadline(date(2025, 11, 13)) == date(2025, 12, 29)


def test_objection_deadline_on_liberation_day_moves_to_the_next_day() -> None:
    assert objection_deadline(date(2026, 3, 24)) == date(2026, 5, 6)


def test_decision_due_date_is_the_term_after_completeness() -> None:
    assert decision_due_date(date(2025, 3, 3), 8, [], date(2025, 3, 3)) == date(2025, 4, 28)


def test_decision_due_date_on_5_may_2026_moves_to_6_may() -> None:
    assert decision_due_date(date(2026, 3, 10), 8, [], date(2026, 3, 10)) == date(2026, 5, 6)


def test_repair_request_suspends_the_term_from_the_next_day_until_the_repair_day() -> None:
    # Requested 10 March, repaired 20 March: suspended 11..19 March, 9 days (Awb 4:15).
    assert suspended_days([(date(2025, 3, 10), date(2025, 3, 20))], date(2025, 6, 1)) == 9
    due = decision_due_date(
        date(2025, 3, 3), 8, [(date(2025, 3, 10), date(2025, 3, 20))], date(2025, 6, 1)
    )
    assert due == date(2025, 5, 7)


def test_running_suspension_counts_up_to_and_including_today() -> None:
    assert suspended_days([(date(2025, 3, 10), None)], date(2025, 3, 15)) == 5
    later = decision_due_date(date(2025, 3, 3), 8, [(date(2025, 3, 10), None)], date(2025, 3, 16))
    earlier = decision_due_date(date(2025, 3, 3), 8, [(date(2025, 3, 10), None)], date(2025, 3, 15))
    assert later >= earlier


def test_overlapping_suspensions_are_counted_once() -> None:
    s = [(date(2025, 3, 10), date(2025, 3, 20)), (date(2025, 3, 15), date(2025, 3, 25))]
    assert suspended_days(s, date(2025, 6, 1)) == 14  # 11..24 March


def test_days_overdue_counts_only_after_the_due_date() -> None:
    assert days_overdue(date(2025, 5, 7), date(2025, 5, 7)) == 0
    assert days_overdue(date(2025, 5, 7), date(2025, 5, 1)) == 0
    assert days_overdue(date(2025, 5, 7), date(2025, 5, 21)) == 14


def test_repair_deadline_moves_off_a_weekend() -> None:
    # 14 days after Friday 12 December 2025 is Friday 26 December (Boxing Day) -> Monday 29th.
    assert repair_deadline(date(2025, 12, 12), 14) == date(2025, 12, 29)
    assert repair_deadline(date(2025, 3, 3), 14) == date(2025, 3, 17)


def test_negative_terms_are_refused() -> None:
    with pytest.raises(ValueError):
        repair_deadline(date(2025, 3, 3), -1)
    with pytest.raises(ValueError):
        decision_due_date(date(2025, 3, 3), -1, [], date(2025, 3, 3))


@given(d=dates)
def test_next_working_day_is_never_a_rest_day_nor_earlier_nor_far_away(d: date) -> None:
    result = next_working_day_on_or_after(d)
    assert not is_termijnenwet_rest_day(result)
    assert d <= result <= d + timedelta(days=5)
    assert all(is_termijnenwet_rest_day(d + timedelta(days=i)) for i in range((result - d).days))


@given(sent=dates)
def test_objection_deadline_is_never_a_rest_day_nor_before_six_weeks(sent: date) -> None:
    deadline = objection_deadline(sent)
    assert not is_termijnenwet_rest_day(deadline)
    assert deadline >= sent + timedelta(weeks=6)


@given(
    complete=dates,
    weeks=st.integers(min_value=0, max_value=26),
    suspensions=st.lists(st.tuples(st.integers(0, 60), st.integers(0, 30)), max_size=3),
)
def test_decision_due_date_is_never_a_rest_day_nor_before_the_raw_term(
    complete: date, weeks: int, suspensions: list[tuple[int, int]]
) -> None:
    spans = [
        (complete + timedelta(days=a), complete + timedelta(days=a + b)) for a, b in suspensions
    ]
    due = decision_due_date(complete, weeks, spans, complete + timedelta(days=100))
    assert not is_termijnenwet_rest_day(due)
    assert due >= complete + timedelta(weeks=weeks)
    assert due >= complete + timedelta(weeks=weeks, days=suspended_days(spans, complete))


@given(requested=dates, days=st.integers(min_value=0, max_value=60))
def test_repair_deadline_is_never_a_rest_day_nor_before_the_raw_date(
    requested: date, days: int
) -> None:
    deadline = repair_deadline(requested, days)
    assert not is_termijnenwet_rest_day(deadline)
    assert deadline >= requested + timedelta(days=days)

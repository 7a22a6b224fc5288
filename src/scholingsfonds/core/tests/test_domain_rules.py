"""The rule primitives the fund's eligibility and the schemes' stacking share."""

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.rules import (
    CAP_SHAPES,
    LABOUR_MARKET_RESULTS,
    POLICY_CAP_SHAPES,
    SCHEME_CAP_SHAPES,
    RuleOutcome,
    among,
    counted_cents,
    labour_market_passed,
    left_under_cap,
    outcome,
    payable_cents,
    require_amounts,
    require_known,
    share_cents,
    share_needed_cents,
    share_reached,
)

money = st.integers(min_value=0, max_value=10**10)
percent = st.integers(min_value=0, max_value=100)


# --- outcomes -----------------------------------------------------------------------------------


def test_an_outcome_round_trips_through_its_stored_form() -> None:
    for passed in (True, False, None):
        o = outcome("cap", passed, "Nog € 1,00 over.", "€1.00 left.")
        assert RuleOutcome.from_dict(o.to_dict()) == o


def test_a_broken_stored_outcome_is_refused() -> None:
    with pytest.raises(DomainError) as error:
        RuleOutcome.from_dict({"rule_id": "cap", "passed": "yes", "reason_nl": "", "reason_en": ""})
    assert error.value.code == "eligibility.invalid_outcome"


# --- facts --------------------------------------------------------------------------------------


def test_negative_amounts_are_refused_and_unknown_amounts_are_not() -> None:
    require_amounts("x.invalid_facts", [0, None, 5])
    with pytest.raises(DomainError) as error:
        require_amounts("x.invalid_facts", [5, -1])
    assert error.value.code == "x.invalid_facts"


def test_an_unknown_code_is_refused_with_what_it_is() -> None:
    require_known("x.invalid_facts", None, ("a",), "waarde", "value")
    require_known("x.invalid_facts", "a", ("a",), "waarde", "value")
    with pytest.raises(DomainError) as error:
        require_known("x.invalid_facts", "b", ("a",), "waarde voor route", "value for route")
    assert error.value.message_nl == "Onbekende waarde voor route: b."
    assert error.value.message_en == "Unknown value for route: b."


def test_among_is_unknown_until_the_value_is_known() -> None:
    assert among(None, ("a",)) is None
    assert among("a", ("a", "b")) is True
    assert among("c", ("a", "b")) is False


@pytest.mark.parametrize(
    ("result", "passed"), [("listed", True), ("motivated", True), ("failed", False), (None, None)]
)
def test_labour_market_test(result: str | None, passed: bool | None) -> None:
    assert labour_market_passed(result) is passed
    assert result is None or result in LABOUR_MARKET_RESULTS


# --- shares -------------------------------------------------------------------------------------


def test_share_is_rounded_down_to_the_cent() -> None:
    assert share_cents(99999, 50) == 49999
    assert share_cents(300000, 50) == 150000
    assert share_cents(333, 50) == 166  # never more than the share
    with pytest.raises(ValueError):
        share_cents(-1, 50)


@given(cost=money, percent=percent)
def test_share_never_exceeds_the_exact_share(cost: int, percent: int) -> None:
    s = share_cents(cost, percent)
    assert s * 100 <= cost * percent < (s + 1) * 100


@given(cost=money, percent=percent)
def test_the_share_needed_is_the_least_amount_that_reaches_the_share(
    cost: int, percent: int
) -> None:
    need = share_needed_cents(cost, percent)
    assert share_reached(need, cost, percent)
    assert need == 0 or not share_reached(need - 1, cost, percent)
    assert share_needed_cents(301, 50) == 151  # rounded up


@given(cost=st.integers(min_value=1, max_value=10**9), counted=money, percent=percent)
def test_share_reached_agrees_with_the_exact_fraction(
    cost: int, counted: int, percent: int
) -> None:
    assert share_reached(counted, cost, percent) is (
        Fraction(counted, cost) >= Fraction(percent, 100)
    )


def test_only_the_counted_payers_count() -> None:
    parts = [("employer", 100), ("fund", 500), ("applicant", 30), ("employer", 1)]
    assert counted_cents(parts, ("employer", "applicant")) == 131
    assert counted_cents(parts, ()) == 0


@given(limits=st.lists(st.integers(min_value=-(10**9), max_value=10**9), min_size=1))
def test_payable_is_the_least_limit_and_never_negative(limits: list[int]) -> None:
    amount = payable_cents(*limits)
    assert amount >= 0
    assert all(amount <= limit for limit in limits if limit >= 0)
    assert amount == max(0, min(limits))


# --- caps ---------------------------------------------------------------------------------------


def test_every_cap_shape_a_file_may_use_has_labels() -> None:
    for code in (*POLICY_CAP_SHAPES, *SCHEME_CAP_SHAPES):
        shape = CAP_SHAPES[code]
        assert shape.code == code and shape.label_nl and shape.label_en


@pytest.mark.parametrize("shape", ["per_voucher", "per_application"])
def test_a_cap_per_grant_ignores_earlier_grants(shape: str) -> None:
    assert left_under_cap(shape, 250000, 900000) == 250000


def test_a_yearly_cap_counts_what_was_granted_this_year_and_never_goes_below_zero() -> None:
    assert left_under_cap("per_person_per_year", 250000, 100000) == 150000
    assert left_under_cap("per_person_per_year", 250000, 999999) == 0


def test_once_per_year_means_nothing_left_after_any_payment() -> None:
    assert left_under_cap("once_per_year", 100000, 0) == 100000
    assert left_under_cap("once_per_year", 100000, 1) == 0


def test_no_cap_leaves_no_limit() -> None:
    assert left_under_cap("per_application", None, 5) is None

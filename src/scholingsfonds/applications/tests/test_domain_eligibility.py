import dataclasses
import json
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scholingsfonds.applications.domain.eligibility import (
    RULE_IDS,
    CofinancingPart,
    Facts,
    RuleOutcome,
    all_passed,
    birthday_in_year,
    cap_left_cents,
    evaluate,
    failed,
    grant_amount_cents,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.domain.policy import Policy
from scholingsfonds.funds.domain.policy_file import load_policy

POLICIES = Path(__file__).resolve().parents[4] / "policies"
TWENTE = load_policy(POLICIES / "twente-2023.toml")
STEDENDRIEHOEK = load_policy(POLICIES / "stedendriehoek-2020.toml")
TODAY = date(2025, 6, 1)


def _facts(**changes: object) -> Facts:
    base = Facts(
        application_date=date(2025, 3, 3),
        birth_date=date(1990, 5, 17),
        municipality_code="GM0153",  # Enschede
        route="individual",
        applicant_kind="employee",
        training_level="mbo4",
        provider_kind="ocw",
        cost_cents=300000,
        cofinancing=(CofinancingPart("employer", 150000),),
        labour_market_test="listed",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _outcome(facts: Facts, rule_id: str, policy: Policy = TWENTE) -> RuleOutcome:
    return next(o for o in evaluate(facts, policy, TODAY) if o.rule_id == rule_id)


def test_complete_twente_application_passes_every_rule() -> None:
    outcomes = evaluate(_facts(), TWENTE, TODAY)
    assert tuple(o.rule_id for o in outcomes) == RULE_IDS
    assert all_passed(outcomes)
    assert failed(outcomes) == ()


def test_every_outcome_has_dutch_and_english_reasons() -> None:
    for o in evaluate(_facts(birth_date=None, cost_cents=None), TWENTE, TODAY):
        assert o.reason_nl and o.reason_en


def test_region_rule_fails_for_a_resident_outside_twente() -> None:
    o = _outcome(_facts(municipality_code="GM0200"), "region")  # Apeldoorn
    assert o.passed is False
    assert "GM0200" in o.reason_nl


def test_region_rule_uses_the_employer_establishment_in_the_employer_route() -> None:
    facts = _facts(
        route="employer",
        municipality_code="GM0363",  # lives in Amsterdam
        employer_municipality_code="GM0164",
    )  # firm in Hengelo
    assert _outcome(facts, "region").passed is True
    outside = dataclasses.replace(facts, employer_municipality_code="GM0363")
    assert _outcome(outside, "region").passed is False


def test_region_rule_is_unknown_without_a_municipality() -> None:
    assert _outcome(_facts(municipality_code=None), "region").passed is None


def test_age_rule_passes_on_the_18th_birthday() -> None:
    o = _outcome(_facts(birth_date=date(2007, 3, 3)), "minimum_age")
    assert o.passed is True
    assert o.reason_nl == "U bent op 3 maart 2025 18 jaar of ouder."


def test_age_rule_fails_one_day_before_18th_birthday() -> None:
    o = _outcome(_facts(birth_date=date(2007, 3, 4)), "minimum_age")
    assert o.passed is False
    assert "4 maart 2025" in o.reason_nl


def test_age_rule_for_29_february_birthday_passes_on_1_march_in_a_non_leap_year() -> None:
    born = date(2008, 2, 29)
    assert birthday_in_year(born, 18) == date(2026, 3, 1)
    assert (
        _outcome(_facts(birth_date=born, application_date=date(2026, 2, 28)), "minimum_age").passed
        is False
    )
    assert (
        _outcome(_facts(birth_date=born, application_date=date(2026, 3, 1)), "minimum_age").passed
        is True
    )


def test_birthday_of_29_february_falls_on_29_february_in_a_leap_year() -> None:
    # 18 years after a leap day is never a leap year, so check another age for the leap case.
    assert birthday_in_year(date(2004, 2, 29), 20) == date(2024, 2, 29)
    assert birthday_in_year(date(2004, 2, 29), 18) == date(2022, 3, 1)


def test_age_rule_is_unknown_without_a_birth_date() -> None:
    assert _outcome(_facts(birth_date=None), "minimum_age").passed is None


def test_route_rule_fails_for_a_route_the_fund_does_not_have() -> None:
    assert _outcome(_facts(route="lottery"), "route").passed is False


def test_route_rule_fails_for_an_applicant_kind_the_policy_excludes() -> None:
    policy = dataclasses.replace(TWENTE, applicant_kinds=("employee",))
    assert _outcome(_facts(applicant_kind="zzp"), "route", policy).passed is False


def test_route_rule_is_unknown_without_a_work_status() -> None:
    assert _outcome(_facts(applicant_kind=None), "route").passed is None


def test_policy_period_rule_checks_both_ends_inclusive() -> None:
    assert _outcome(_facts(application_date=date(2023, 1, 1)), "policy_period").passed is True
    assert _outcome(_facts(application_date=date(2026, 12, 31)), "policy_period").passed is True
    assert _outcome(_facts(application_date=date(2022, 12, 31)), "policy_period").passed is False
    assert _outcome(_facts(application_date=date(2027, 1, 1)), "policy_period").passed is False


def test_training_level_rule_is_unknown_until_a_training_is_chosen() -> None:
    assert _outcome(_facts(training_level=None), "training_level").passed is None
    narrow = dataclasses.replace(TWENTE, education_levels=("mbo1", "mbo2"))
    assert _outcome(_facts(training_level="wo"), "training_level", narrow).passed is False


def test_provider_registered_only_with_crkbo_is_not_recognised() -> None:
    o = _outcome(_facts(provider_kind="crkbo"), "provider_recognised")
    assert o.passed is False
    assert "CRKBO" in o.reason_nl


def test_provider_rule_follows_the_policy_list() -> None:
    narrow = dataclasses.replace(TWENTE, provider_kinds=("ocw",))
    assert _outcome(_facts(provider_kind="nrto"), "provider_recognised", narrow).passed is False
    assert _outcome(_facts(provider_kind=None), "provider_recognised").passed is None


def test_cofinancing_of_exactly_half_passes_and_one_cent_less_fails() -> None:
    exact = _facts(cost_cents=300001, cofinancing=(CofinancingPart("employer", 150001),))
    assert _outcome(exact, "cofinancing").passed is True
    # 150000 / 300001 is just under 50 %: integer comparison, no rounding up.
    short = _facts(cost_cents=300001, cofinancing=(CofinancingPart("employer", 150000),))
    assert _outcome(short, "cofinancing").passed is False


def test_cofinancing_adds_up_parts_of_several_allowed_payers() -> None:
    facts = _facts(
        cofinancing=(CofinancingPart("oo_fund", 100000), CofinancingPart("applicant", 50000))
    )
    assert _outcome(facts, "cofinancing").passed is True


def test_cofinancing_ignores_payers_the_route_does_not_allow() -> None:
    facts = _facts(
        route="employer",
        employer_municipality_code="GM0200",
        cofinancing=(CofinancingPart("applicant", 150000),),
    )
    o = _outcome(facts, "cofinancing", STEDENDRIEHOEK)
    assert o.passed is False
    assert "aanvrager zelf" in o.reason_nl
    assert "the applicant" in o.reason_en


def test_stedendriehoek_individual_route_needs_no_cofinancing() -> None:
    facts = _facts(municipality_code="GM0150", cofinancing=())
    assert _outcome(facts, "cofinancing", STEDENDRIEHOEK).passed is True


def test_cofinancing_is_unknown_while_the_cost_is_unknown() -> None:
    assert _outcome(_facts(cost_cents=None), "cofinancing").passed is None


def test_cap_rule_fails_when_this_years_cap_is_used_up() -> None:
    assert _outcome(_facts(granted_this_year_cents=250000), "cap").passed is False
    assert _outcome(_facts(granted_this_year_cents=249999), "cap").passed is True


def test_per_voucher_cap_ignores_earlier_grants() -> None:
    facts = _facts(municipality_code="GM0301", granted_this_year_cents=900000)
    assert _outcome(facts, "cap", STEDENDRIEHOEK).passed is True
    assert cap_left_cents(STEDENDRIEHOEK, 900000) == 250000


def test_cap_left_never_goes_below_zero() -> None:
    assert cap_left_cents(TWENTE, 100000) == 150000
    assert cap_left_cents(TWENTE, 999999) == 0


@pytest.mark.parametrize(
    ("result", "passed"), [("listed", True), ("motivated", True), ("failed", False), (None, None)]
)
def test_labour_market_test_outcome_follows_the_advisors_result(
    result: str | None, passed: bool | None
) -> None:
    assert _outcome(_facts(labour_market_test=result), "labour_market_test").passed is passed


def test_labour_market_test_passes_when_the_policy_does_not_require_it() -> None:
    policy = dataclasses.replace(TWENTE, labour_market_test_required=False)
    assert _outcome(_facts(labour_market_test=None), "labour_market_test", policy).passed is True


def test_unknown_outcomes_are_not_all_passed_but_not_failed_either() -> None:
    outcomes = evaluate(_facts(training_level=None), TWENTE, TODAY)
    assert not all_passed(outcomes)
    assert failed(outcomes) == ()


def test_negative_amounts_in_facts_are_refused() -> None:
    with pytest.raises(DomainError):
        _facts(cost_cents=-1)


def test_rule_outcome_round_trips_through_json() -> None:
    for o in evaluate(_facts(training_level=None, birth_date=date(2010, 1, 1)), TWENTE, TODAY):
        assert RuleOutcome.from_dict(json.loads(json.dumps(o.to_dict()))) == o


def test_grant_is_cost_minus_cofinancing_when_the_cap_does_not_bind() -> None:
    assert (
        grant_amount_cents(cost_cents=300000, cofinancing_cents=150000, cap_left_cents=250000)
        == 150000
    )


def test_grant_is_the_cap_left_when_the_cap_binds() -> None:
    assert (
        grant_amount_cents(cost_cents=800000, cofinancing_cents=400000, cap_left_cents=250000)
        == 250000
    )


money = st.integers(min_value=0, max_value=10**10)


@given(cost=money, cofinancing=money, cap_left=money)
def test_grant_is_never_above_cap_left_nor_uncovered_cost_nor_negative(
    cost: int, cofinancing: int, cap_left: int
) -> None:
    grant = grant_amount_cents(
        cost_cents=cost, cofinancing_cents=cofinancing, cap_left_cents=cap_left
    )
    assert 0 <= grant <= cap_left
    assert grant <= max(0, cost - cofinancing)
    # And it is the largest such amount.
    assert grant == min(cap_left, max(0, cost - cofinancing))


@given(cost=st.integers(min_value=1, max_value=10**9), paid=money)
def test_cofinancing_rule_agrees_with_exact_fraction(cost: int, paid: int) -> None:
    from fractions import Fraction

    o = _outcome(
        _facts(cost_cents=cost, cofinancing=(CofinancingPart("employer", paid),)), "cofinancing"
    )
    assert o.passed is (Fraction(paid, cost) >= Fraction(1, 2))


@given(
    birth=st.dates(min_value=date(1940, 1, 1), max_value=date(2015, 12, 31)),
    applied=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
)
def test_age_rule_passes_exactly_from_the_18th_birthday(birth: date, applied: date) -> None:
    o = _outcome(_facts(birth_date=birth, application_date=applied), "minimum_age")
    completed = (
        applied.year - birth.year - ((applied.month, applied.day) < (birth.month, birth.day))
    )
    assert o.passed is (completed >= 18)

"""The stacking of financing schemes: pure functions, no database."""

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from scholingsfonds.advising.domain.schemes import (
    OWN_CONTRIBUTION,
    SCHEME_CAP_SHAPES,
    SECTORS,
    WORK_STATUSES,
    Scheme,
    StackFacts,
    check_no_overlap,
    compute_stack,
    read_scheme,
    regional_fund_limit_cents,
    scheme_from_dict,
)
from scholingsfonds.applications.domain.eligibility import (
    CofinancingPart,
    Facts,
    cap_left_cents,
    evaluate,
    grant_amount_cents,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.rules import left_under_cap, share_cents
from scholingsfonds.funds.domain.policy_file import load_policy, policy_from_dict, policy_to_dict

ROOT = Path(__file__).resolve().parents[4]
SCHEMES = [read_scheme(p)[1] for p in sorted((ROOT / "policies" / "schemes").glob("*.toml"))]
TWENTE = load_policy(ROOT / "policies" / "twente-2023.toml")
# The period in force on the facts' default date (2026): the Regio Deal period ended in 2024.
SD = load_policy(ROOT / "policies" / "stedendriehoek-2025.toml")
POLICIES = {"twente": TWENTE, "stedendriehoek": SD}


def test_the_regional_fund_schemes_follow_their_policy_periods():
    """Each regional fund scheme version covers exactly one policy period of its fund."""
    policies = {
        p.name: load_policy(p) for p in (ROOT / "policies").glob("*.toml") if p.name != "funds.toml"
    }
    for scheme in (s for s in SCHEMES if s.kind == "regional_fund"):
        matching = [
            p
            for p in policies.values()
            if p.fund_slug == scheme.fund_slug
            and p.valid_from == scheme.valid_from
            and p.valid_to == scheme.valid_to
        ]
        assert len(matching) == 1, (scheme.key, scheme.version)


ENSCHEDE, DEVENTER = "GM0153", "GM0150"


def facts(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "on": date(2026, 3, 2),
        "cost_cents": 300_000,
        "work_status": "employee",
        "municipality_code": ENSCHEDE,
        "training_level": "mbo3",
        "provider_kind": "ocw",
        "birth_date": date(1990, 5, 17),
        "labour_market_test": "listed",
    }
    data.update(overrides)
    return StackFacts(**data)


def stack(**overrides):  # type: ignore[no-untyped-def]
    return compute_stack(facts(**overrides), SCHEMES, POLICIES, home_fund="twente")


def paid(result) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return {p.scheme.key: p.amount_cents for p in result.parts if p.amount_cents}


# --- the shipped scheme files -------------------------------------------------------------


def test_the_shipped_scheme_files_are_valid_and_do_not_overlap():
    check_no_overlap(SCHEMES)
    kinds = {s.kind for s in SCHEMES}
    assert kinds == {
        "employer",
        "sector_fund",
        "benefits_agency",
        "national_budget",
        "regional_fund",
        "own_contribution",
    }


def test_stap_is_valid_only_in_2022_and_2023():
    stap = next(s for s in SCHEMES if s.key == "stap")
    assert stap.valid_to == date(2023, 12, 31)
    assert stap.cap_cents == 100_000 and stap.cap_shape == "once_per_year"


# --- the order and the amounts ---------------------------------------------------------------


def test_employee_in_technology_gets_employer_sector_fund_and_the_fund():
    result = stack(
        employer_sector="technical", employer_contribution_cents=60_000, cost_cents=360_000
    )
    assert paid(result) == {"werkgever": 60_000, "oo-techniek": 125_000, "twente": 175_000}
    assert result.own_cents == 0
    assert [p.scheme.key for p in result.paying()] == ["werkgever", "oo-techniek", "twente"]


def test_job_seeker_without_other_payers_pays_half_and_the_fund_the_other_half():
    result = stack(work_status="job_seeker")
    assert paid(result) == {"twente": 150_000, "eigen-bijdrage": 150_000}
    fund = result.part("twente")
    assert fund is not None and fund.applies and not fund.conditional


def test_the_cap_binds_and_the_person_pays_the_rest():
    result = stack(work_status="job_seeker", cost_cents=700_000)
    assert paid(result) == {"twente": 250_000, "eigen-bijdrage": 450_000}


def test_the_yearly_cap_counts_what_the_person_already_got_this_year():
    result = stack(work_status="job_seeker", used_this_year={"twente": 200_000})
    assert paid(result)["twente"] == 50_000
    result = stack(work_status="job_seeker", used_this_year={"twente": 250_000})
    fund = result.part("twente")
    assert fund is not None and fund.amount_cents == 0 and not fund.applies
    cap = next(o for o in fund.outcomes if o.rule_id == "cap")
    assert cap.passed is False and "al bereikt" in cap.reason_nl


def test_benefits_agency_pays_for_a_job_seeker_with_a_benefit_before_the_fund():
    result = stack(work_status="job_seeker", receives_benefit=True, cost_cents=300_000)
    assert paid(result) == {"uwv-gemeente": 250_000, "twente": 50_000}


def test_benefits_agency_waits_for_the_labour_market_test():
    result = stack(work_status="job_seeker", receives_benefit=True, labour_market_test=None)
    uwv = result.part("uwv-gemeente")
    assert uwv is not None and uwv.conditional and uwv.amount_cents == 250_000


def test_stap_is_offered_in_2023_and_counts_as_the_applicants_contribution():
    result = stack(on=date(2023, 5, 1), work_status="job_seeker")
    assert paid(result) == {"stap": 100_000, "twente": 150_000, "eigen-bijdrage": 50_000}


def test_stap_once_per_calendar_year():
    result = stack(on=date(2023, 5, 1), work_status="job_seeker", used_this_year={"stap": 50_000})
    stap = result.part("stap")
    assert stap is not None and stap.amount_cents == 0 and not stap.applies


@pytest.mark.parametrize("day", [date(2024, 1, 1), date(2026, 3, 2), date(2021, 12, 31)])
def test_stap_is_never_offered_outside_its_dates(day):
    result = stack(on=day, work_status="job_seeker")
    assert result.part("stap") is None


def test_stedendriehoek_employer_route_needs_half_from_the_employer():
    sd_facts = {
        "route": "employer",
        "municipality_code": DEVENTER,
        "employer_municipality_code": DEVENTER,
    }
    short = compute_stack(
        facts(**sd_facts, employer_contribution_cents=90_000),
        SCHEMES,
        POLICIES,
        home_fund="stedendriehoek",
    )
    fund = short.part("stedendriehoek")
    assert fund is not None and fund.amount_cents == 0
    assert next(o for o in fund.outcomes if o.rule_id == "cofinancing").passed is False
    enough = compute_stack(
        facts(**sd_facts, employer_contribution_cents=150_000),
        SCHEMES,
        POLICIES,
        home_fund="stedendriehoek",
    )
    assert paid(enough) == {"werkgever": 150_000, "stedendriehoek": 150_000}


def test_only_one_regional_fund_of_a_group_pays_and_the_home_fund_comes_first():
    sd = next(s for s in SCHEMES if s.key == "stedendriehoek")
    twin = replace(sd, key="tweeling", fund_slug="tweeling", order=99)  # same region as Twente
    policies = {**POLICIES, "tweeling": TWENTE}
    result = compute_stack(
        facts(work_status="job_seeker"), [*SCHEMES, twin], policies, home_fund="tweeling"
    )
    assert paid(result) == {"tweeling": 150_000, "eigen-bijdrage": 150_000}
    twente = result.part("twente")
    assert twente is not None and twente.amount_cents == 0
    assert next(o for o in twente.outcomes if o.rule_id == "exclusive").passed is False


def test_the_fund_part_uses_the_eligibility_rules_of_its_policy():
    result = stack(work_status="job_seeker", municipality_code=DEVENTER)
    fund = result.part("twente")
    assert fund is not None and fund.amount_cents == 0
    region = next(o for o in fund.outcomes if o.rule_id == "region")
    assert region.passed is False and "Twente" in region.reason_nl


def test_unknown_facts_make_a_part_conditional_not_failed():
    result = stack(work_status="job_seeker", labour_market_test=None, birth_date=None)
    fund = result.part("twente")
    assert fund is not None and fund.conditional and fund.amount_cents == 150_000


def test_saving_the_stack_gives_the_same_grant_and_the_same_rule_outcomes():
    f = facts(employer_sector="technical", employer_contribution_cents=60_000, cost_cents=360_000)
    result = compute_stack(f, SCHEMES, POLICIES, home_fund="twente")
    fund = result.part("twente")
    assert fund is not None
    parts = tuple(
        CofinancingPart(payer=p["payer"], amount_cents=p["amount_cents"])
        for p in result.cofinancing()
    )
    cofinancing = sum(p.amount_cents for p in parts)
    grant = grant_amount_cents(
        cost_cents=f.cost_cents,
        cofinancing_cents=cofinancing,
        cap_left_cents=cap_left_cents(TWENTE, 0),
    )
    assert grant == fund.amount_cents
    outcomes = evaluate(
        Facts(
            application_date=f.on,
            birth_date=f.birth_date,
            municipality_code=f.municipality_code,
            route=f.route,
            applicant_kind=f.work_status,
            training_level=f.training_level,
            provider_kind=f.provider_kind,
            cost_cents=f.cost_cents,
            cofinancing=parts,
            labour_market_test=f.labour_market_test,
            requested_cents=grant,
        ),
        TWENTE,
        f.on,
    )
    assert [o.to_dict() for o in outcomes] == [
        o.to_dict() for o in fund.outcomes if o.rule_id not in ("exclusive", "amount")
    ]


def test_every_part_explains_itself_in_dutch_and_english():
    result = stack(employer_sector="technical", employer_contribution_cents=60_000)
    for part in result.parts:
        assert part.outcomes
        for outcome in part.outcomes:
            assert outcome.reason_nl and outcome.reason_en
        assert len({o.rule_id for o in part.outcomes}) == len(part.outcomes)


# --- reading scheme data ----------------------------------------------------------------------


BASE = {
    "key": "oo-test",
    "version": "1",
    "kind": "sector_fund",
    "name_nl": "Test",
    "name_en": "Test",
    "order": 20,
    "valid_from": "2024-01-01",
    "employer_sectors": ["technical"],
}


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"kind": "lottery"}, "kind"),
        ({"colour": "red"}, "colour"),
        ({"employer_sectors": []}, "employer_sectors"),
        ({"cap_shape": "per_person_per_year"}, "cap_cents"),
        ({"valid_to": "2023-01-01"}, "valid_to"),
        ({"share_percent": 101}, "share_percent"),
        ({"payer": "fund"}, "payer"),
        ({"work_statuses": ["pensioner"]}, "work_statuses"),
    ],
)
def test_a_malformed_scheme_is_refused_with_the_key_named(change, fragment):
    with pytest.raises(DomainError) as error:
        scheme_from_dict({**BASE, **change})
    assert error.value.code == "scheme.invalid"
    assert fragment in error.value.message_nl


def test_a_bad_scheme_file_is_named_with_the_key_and_the_expected_value(tmp_path):
    path = tmp_path / "stap-budget.toml"
    text = (ROOT / "policies" / "schemes" / "stap-budget.toml").read_text(encoding="utf-8")
    path.write_text(text.replace('cap_shape = "once_per_year"', 'cap_shape = "monthly"'))
    with pytest.raises(DomainError) as error:
        read_scheme(path)
    assert error.value.code == "scheme.invalid"
    assert error.value.message_en == (
        f"{path.as_posix()}: cap_shape: expected one of: "
        'per_application, per_person_per_year, once_per_year, got "monthly"'
    )
    assert error.value.message_nl == (
        f"{path.as_posix()}: cap_shape: verwacht een van: "
        'per_application, per_person_per_year, once_per_year, niet "monthly"'
    )


def test_a_scheme_rule_across_keys_names_the_key_it_refuses():
    with pytest.raises(DomainError) as error:
        scheme_from_dict({**BASE, "cap_shape": "per_person_per_year"}, source="x.toml")
    assert error.value.message_en == (
        "x.toml: cap_cents: is missing "
        "(expected an amount in whole cents: needed when cap_shape = per_person_per_year)"
    )


def test_a_regional_fund_takes_no_rules_of_its_own():
    data = {**BASE, "kind": "regional_fund", "fund_slug": "twente", "cap_cents": 1}
    del data["employer_sectors"]
    with pytest.raises(DomainError, match="beleid"):
        scheme_from_dict(data)


def test_two_versions_of_a_scheme_may_not_overlap():
    a = scheme_from_dict({**BASE, "valid_to": "2024-12-31"})
    b = scheme_from_dict({**BASE, "version": "2", "valid_from": "2024-12-01"})
    with pytest.raises(DomainError, match="overlappen"):
        check_no_overlap([a, b])
    check_no_overlap([a, replace(b, valid_from=date(2025, 1, 1))])


def test_negative_amounts_and_unknown_codes_are_refused():
    with pytest.raises(DomainError):
        facts(cost_cents=-1)
    with pytest.raises(DomainError):
        facts(employer_sector="crypto")
    with pytest.raises(DomainError):
        facts(used_this_year={"twente": -5})


def test_the_regional_fund_limit_keeps_the_cofinancing_share():
    assert (
        regional_fund_limit_cents(
            policy=TWENTE, route="individual", cost_cents=301, parts_before=[], used_cents=0
        )
        == 150
    )  # 50 % of 301 rounded up for the others, so the fund pays 150


# --- properties -------------------------------------------------------------------------------


def _scheme(draw, index: int) -> Scheme:  # type: ignore[no-untyped-def]
    kind = draw(st.sampled_from(["employer", "sector_fund", "benefits_agency", "national_budget"]))
    shape = draw(st.sampled_from(SCHEME_CAP_SHAPES))
    cap = draw(st.one_of(st.none(), st.integers(1, 400_000)))
    if cap is None:
        shape = "per_application"
    payer = {
        "employer": "employer",
        "sector_fund": "oo_fund",
        "benefits_agency": "benefits_agency",
        "national_budget": "applicant",
    }[kind]
    return Scheme(
        key=f"s{index}",
        version="1",
        kind=kind,
        name_nl=f"Regeling {index}",
        name_en=f"Scheme {index}",
        payer=payer,
        order=draw(st.integers(0, 99)),
        valid_from=date(2020, 1, 1),
        valid_to=draw(st.sampled_from([None, date(2023, 12, 31), date(2030, 1, 1)])),
        share_percent=draw(st.integers(0, 100)),
        cap_cents=cap,
        cap_shape=shape,
        work_statuses=tuple(draw(st.sets(st.sampled_from(WORK_STATUSES), max_size=2))),
        employer_sectors=("technical",) if kind == "sector_fund" else (),
        requires_benefit=kind == "benefits_agency" and draw(st.booleans()),
        exclusive_group=draw(st.sampled_from(["", "", "groep"])),
    )


@st.composite
def scenarios(draw):  # type: ignore[no-untyped-def]
    schemes = [_scheme(draw, n) for n in range(draw(st.integers(0, 5)))]
    share = draw(st.integers(0, 100))
    payers = draw(
        st.sets(
            st.sampled_from(["employer", "benefits_agency", "oo_fund", "applicant"]), min_size=1
        )
    )
    data = policy_to_dict(TWENTE)
    data["cap_cents"] = draw(st.integers(1, 500_000))
    data["cap_shape"] = draw(st.sampled_from(["per_person_per_year", "per_voucher"]))
    data["routes"] = ["individual"]
    data["cofinancing"] = {"individual": {"min_share_percent": share, "payers": sorted(payers)}}
    policy = policy_from_dict(data)
    regional = scheme_from_dict(
        {
            "key": "twente",
            "version": "x",
            "kind": "regional_fund",
            "fund_slug": "twente",
            "name_nl": "Fonds",
            "name_en": "Fund",
            "order": draw(st.integers(0, 99)),
            "valid_from": "2023-01-01",
            "exclusive_group": "regionaal",
        }
    )
    day = draw(st.dates(min_value=date(2023, 1, 1), max_value=date(2026, 12, 31)))
    keys = [s.key for s in schemes] + ["twente"]
    used = {k: draw(st.integers(0, 300_000)) for k in keys if draw(st.booleans())}
    stack_facts = StackFacts(
        on=day,
        cost_cents=draw(st.integers(1, 1_500_000)),
        work_status=draw(st.sampled_from(WORK_STATUSES)),
        municipality_code=ENSCHEDE,
        training_level="mbo3",
        provider_kind="ocw",
        employer_sector=draw(st.one_of(st.none(), st.sampled_from(SECTORS))),
        employer_contribution_cents=draw(st.integers(0, 1_000_000)),
        receives_benefit=draw(st.booleans()),
        labour_market_test=draw(st.sampled_from([None, "listed", "failed"])),
        birth_date=date(1990, 1, 1),
        used_this_year=used,
    )
    return stack_facts, [*schemes, regional, OWN_CONTRIBUTION], policy


def _check_stack(stack_facts, schemes, policy):  # type: ignore[no-untyped-def]
    result = compute_stack(stack_facts, schemes, {"twente": policy}, home_fund="twente")
    cost = stack_facts.cost_cents
    # The parts sum to the cost, and nobody pays a negative amount.
    assert result.total_cents == cost
    assert all(p.amount_cents >= 0 for p in result.parts)
    for part in result.parts:
        scheme = part.scheme
        # Never offered outside its dates.
        assert scheme.is_valid_on(stack_facts.on)
        if part.amount_cents == 0 or scheme.kind == "own_contribution":
            continue
        assert part.applies  # only a scheme whose rules hold pays
        used = stack_facts.used(scheme.key)
        if scheme.kind == "regional_fund":
            # No more than the cap left (per person per year, or per voucher).
            assert part.amount_cents <= cap_left_cents(policy, used)
            # The co-financing share holds: the counted payers pay at least the share.
            rule = policy.cofinancing["individual"]
            counted = sum(
                p.amount_cents
                for p in result.parts
                if p.scheme.payer in rule.payers and p is not part
            )
            assert counted * 100 >= rule.min_share_percent * cost
        else:
            assert part.amount_cents <= share_cents(cost, scheme.share_percent)
            left = left_under_cap(scheme.cap_shape, scheme.cap_cents, used)
            assert left is None or part.amount_cents <= left
            if scheme.kind == "employer":
                assert part.amount_cents <= stack_facts.employer_contribution_cents
    groups: dict[str, int] = {}
    for part in result.paying():
        if part.scheme.exclusive_group:
            groups[part.scheme.exclusive_group] = groups.get(part.scheme.exclusive_group, 0) + 1
    assert all(n == 1 for n in groups.values())  # one payer per exclusive group
    return result


@settings(max_examples=300, deadline=None)
@given(scenarios())
def test_property_parts_sum_to_the_cost_and_no_scheme_exceeds_cap_or_share(scenario):
    _check_stack(*scenario)


@settings(max_examples=150, deadline=None)
@given(scenarios(), st.lists(st.integers(1, 800_000), min_size=2, max_size=5))
def test_property_the_yearly_caps_hold_across_applications(scenario, costs):
    stack_facts, schemes, policy = scenario
    assume(policy.cap_shape == "per_person_per_year")
    used: dict[str, int] = {}
    received: dict[str, list[int]] = {}
    for cost in costs:
        current = replace(stack_facts, cost_cents=cost, used_this_year=dict(used))
        result = _check_stack(current, schemes, policy)
        for part in result.paying():
            key = part.scheme.key
            used[key] = used.get(key, 0) + part.amount_cents
            received.setdefault(key, []).append(part.amount_cents)
    assert used.get("twente", 0) <= policy.cap_cents
    for scheme in schemes:
        if scheme.cap_cents is None or scheme.kind == "regional_fund":
            continue
        if scheme.cap_shape == "per_person_per_year":
            assert used.get(scheme.key, 0) <= scheme.cap_cents
        if scheme.cap_shape == "once_per_year":
            assert len(received.get(scheme.key, [])) <= 1


@settings(max_examples=100, deadline=None)
@given(st.dates(min_value=date(2024, 1, 1), max_value=date(2040, 12, 31)), st.integers(1, 10**6))
def test_property_stap_is_never_offered_after_2023(day, cost):
    result = compute_stack(
        facts(on=day, cost_cents=cost, work_status="job_seeker"),
        SCHEMES,
        POLICIES,
        home_fund="twente",
    )
    assert all(p.scheme.key != "stap" for p in result.parts)

"""Eligibility rules for a voucher application, evaluated against one fund policy."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from scholingsfonds.core.domain.formatting import (
    format_cents_en,
    format_cents_nl,
    format_date_en,
    format_date_nl,
)
from scholingsfonds.core.domain.rules import (
    CAP_SHAPES,
    LABOUR_MARKET_RESULTS,
    RuleOutcome,
    among,
    counted_cents,
    labour_market_passed,
    left_under_cap,
    outcome,
    payable_cents,
    require_amounts,
    require_known,
    share_reached,
)
from scholingsfonds.funds.domain.policy import Policy

RULE_IDS = (
    "region",
    "minimum_age",
    "route",
    "policy_period",
    "training_level",
    "provider_recognised",
    "cofinancing",
    "cap",
    "labour_market_test",
)


@dataclass(frozen=True)
class CofinancingPart:
    """Money another payer contributes to the training cost."""

    payer: str
    amount_cents: int


@dataclass(frozen=True)
class Facts:
    """What is known about an application at the moment of evaluation."""

    application_date: date
    birth_date: date | None
    municipality_code: str | None
    route: str
    applicant_kind: str | None
    training_level: str | None = None
    provider_kind: str | None = None
    cost_cents: int | None = None
    cofinancing: tuple[CofinancingPart, ...] = ()
    labour_market_test: str | None = None
    granted_this_year_cents: int = 0
    requested_cents: int | None = None
    employer_municipality_code: str | None = None
    # Names for the reasons people read; the codes above decide.
    municipality_name: str | None = None
    employer_municipality_name: str | None = None

    def __post_init__(self) -> None:
        require_amounts(
            "eligibility.invalid_facts",
            [
                self.cost_cents,
                self.requested_cents,
                self.granted_this_year_cents,
                *(p.amount_cents for p in self.cofinancing),
            ],
        )
        require_known(
            "eligibility.invalid_facts",
            self.labour_market_test,
            LABOUR_MARKET_RESULTS,
            "uitkomst arbeidsmarkttoets",
            "labour-market test result",
        )


# Words people read instead of the codes the rules use (Dutch, English).
LABELS: dict[str, tuple[str, str]] = {
    "individual": ("de individuele route", "the individual route"),
    "employer": ("de werkgeversroute", "the employer route"),
    "employee": ("werknemer", "employee"),
    "job_seeker": ("werkzoekende", "job seeker"),
    "zzp": ("zzp'er", "self-employed"),
    "mbo1": ("mbo 1", "mbo level 1"),
    "mbo2": ("mbo 2", "mbo level 2"),
    "mbo3": ("mbo 3", "mbo level 3"),
    "mbo4": ("mbo 4", "mbo level 4"),
    "hbo": ("hbo", "higher professional education (hbo)"),
    "wo": ("wo", "university (wo)"),
    "other": ("cursus of certificaat", "course or certificate"),
    "ocw": ("erkend door OCW", "recognised by the Ministry of Education (OCW)"),
    "nrto": ("NRTO-keurmerk", "NRTO quality mark"),
    "cedeo": ("CEDEO-erkend", "CEDEO recognised"),
    "nlqf": ("NLQF-ingeschaald", "NLQF classified"),
    "sector": ("erkend door de sector", "recognised by the sector"),
    "crkbo": ("alleen CRKBO-register", "CRKBO register only"),
    "benefits_agency": ("uitkeringsinstantie", "benefits agency"),
    "oo_fund": ("O&O-fonds", "sector training fund"),
    "applicant": ("aanvrager zelf", "the applicant"),
}


def nl(code: str | None) -> str:
    """The Dutch words for a code (the code itself when unknown)."""
    return LABELS.get(code or "", (code or "", code or ""))[0]


def en(code: str | None) -> str:
    """The English words for a code (the code itself when unknown)."""
    return LABELS.get(code or "", (code or "", code or ""))[1]


def birthday_in_year(birth_date: date, years: int) -> date:
    """The date a person turns `years` old; born on 29 February means 1 March in other years."""
    target = birth_date.year + years
    try:
        return birth_date.replace(year=target)
    except ValueError:
        # 29 February in a non-leap year: the year is only completed once 28 February has
        # passed, so the age is reached on 1 March (never grant a day early).
        return date(target, 3, 1)


def _rule_region(facts: Facts, policy: Policy) -> RuleOutcome:
    if facts.route == "employer":
        code = facts.employer_municipality_code
        name = facts.employer_municipality_name or code
        who_nl, who_en = "De werkgever is gevestigd", "The employer is established"
    else:
        code = facts.municipality_code
        name = facts.municipality_name or code
        who_nl, who_en = "U woont", "You live"
    inside = among(code, policy.municipalities)
    if inside is None:
        return outcome(
            "region", None, "De gemeente is nog niet bekend.", "The municipality is not known yet."
        )
    if inside:
        return outcome(
            "region",
            True,
            f"{who_nl} in gemeente {name}. Die hoort bij regio {policy.region_name}.",
            f"{who_en} in {name}, part of region {policy.region_name}.",
        )
    return outcome(
        "region",
        False,
        f"{who_nl} in gemeente {name}. Die hoort niet bij regio {policy.region_name}.",
        f"{who_en} in {name}, outside region {policy.region_name}.",
    )


def _rule_minimum_age(facts: Facts, policy: Policy) -> RuleOutcome:
    if facts.birth_date is None:
        return outcome(
            "minimum_age",
            None,
            "Uw geboortedatum is nog niet bekend.",
            "Your date of birth is not known yet.",
        )
    on_nl, on_en = format_date_nl(facts.application_date), format_date_en(facts.application_date)
    age = policy.minimum_age
    # Settled reading of "ouder dan 18 jaar": 18 or older on the application date.
    birthday = birthday_in_year(facts.birth_date, age)
    if facts.application_date >= birthday:
        return outcome(
            "minimum_age",
            True,
            f"U bent op {on_nl} {age} jaar of ouder.",
            f"You are {age} or older on {on_en}.",
        )
    return outcome(
        "minimum_age",
        False,
        f"U bent op {on_nl} jonger dan {age} jaar. U wordt {age} op {format_date_nl(birthday)}.",
        f"You are younger than {age} on {on_en}. You turn {age} on {format_date_en(birthday)}.",
    )


def _rule_route(facts: Facts, policy: Policy) -> RuleOutcome:
    if facts.route not in policy.routes:
        return outcome(
            "route",
            False,
            f"Dit fonds kent {nl(facts.route)} niet "
            f"(wel: {', '.join(nl(r) for r in policy.routes)}).",
            f"This fund has no {en(facts.route)} "
            f"(it has: {', '.join(en(r) for r in policy.routes)}).",
        )
    allowed = among(facts.applicant_kind, policy.applicant_kinds)
    if allowed is None:
        return outcome(
            "route",
            None,
            "Uw werksituatie is nog niet bekend.",
            "Your work status is not known yet.",
        )
    if not allowed:
        return outcome(
            "route",
            False,
            f"Aanvragers met werksituatie {nl(facts.applicant_kind)} kunnen hier geen "
            "cheque krijgen.",
            f"Applicants with work status {en(facts.applicant_kind)} cannot get a voucher here.",
        )
    return outcome(
        "route",
        True,
        f"{nl(facts.route).capitalize()} en de werksituatie {nl(facts.applicant_kind)} "
        "zijn toegestaan.",
        f"{en(facts.route).capitalize()} and work status {en(facts.applicant_kind)} are allowed.",
    )


def _rule_policy_period(facts: Facts, policy: Policy) -> RuleOutcome:
    d = facts.application_date
    until_nl = "" if policy.valid_to is None else f" tot en met {format_date_nl(policy.valid_to)}"
    until_en = "" if policy.valid_to is None else f" to {format_date_en(policy.valid_to)}"
    period_nl = f"van {format_date_nl(policy.valid_from)}{until_nl}"
    period_en = f"from {format_date_en(policy.valid_from)}{until_en}"
    if policy.is_valid_on(d):
        return outcome(
            "policy_period",
            True,
            f"De aanvraag van {format_date_nl(d)} valt in de looptijd ({period_nl}).",
            f"The application of {format_date_en(d)} is within the period ({period_en}).",
        )
    return outcome(
        "policy_period",
        False,
        f"De aanvraag van {format_date_nl(d)} valt buiten de looptijd ({period_nl}).",
        f"The application of {format_date_en(d)} is outside the period ({period_en}).",
    )


def _rule_training_level(facts: Facts, policy: Policy) -> RuleOutcome:
    level = facts.training_level
    allowed = among(level, policy.education_levels)
    if level is None or allowed is None:
        return outcome(
            "training_level",
            None,
            "De opleiding is nog niet gekozen.",
            "The training has not been chosen yet.",
        )
    if allowed:
        return outcome(
            "training_level",
            True,
            f"Opleidingsniveau {nl(level)} is toegestaan.",
            f"Training level {en(level)} is allowed.",
        )
    return outcome(
        "training_level",
        False,
        f"Opleidingsniveau {nl(level)} is niet toegestaan.",
        f"Training level {en(level)} is not allowed.",
    )


def _rule_provider(facts: Facts, policy: Policy) -> RuleOutcome:
    kind = facts.provider_kind
    recognised = among(kind, policy.provider_kinds)
    if kind is None or recognised is None:
        return outcome(
            "provider_recognised",
            None,
            "De opleider is nog niet gekozen.",
            "The training provider has not been chosen yet.",
        )
    if kind == "crkbo":
        # CRKBO is a VAT-exemption register, not a quality mark (docs/domain.md, providers).
        return outcome(
            "provider_recognised",
            False,
            "Een CRKBO-registratie alleen is geen erkenning: het is een btw-register, "
            "geen keurmerk.",
            "A CRKBO registration alone is not recognition: it is a VAT register, "
            "not a quality mark.",
        )
    if recognised:
        return outcome(
            "provider_recognised",
            True,
            f"De opleider is erkend ({nl(kind)}).",
            f"The provider is recognised ({en(kind)}).",
        )
    return outcome(
        "provider_recognised",
        False,
        f"Erkenning {nl(kind)} telt niet voor dit fonds "
        f"(wel: {', '.join(nl(k) for k in policy.provider_kinds)}).",
        f"Recognition {en(kind)} does not count for this fund "
        f"(it accepts: {', '.join(en(k) for k in policy.provider_kinds)}).",
    )


def _rule_cofinancing(facts: Facts, policy: Policy) -> RuleOutcome:
    rule = policy.cofinancing.get(facts.route)
    if rule is None or rule.min_share_percent == 0:
        return outcome(
            "cofinancing",
            True,
            "Voor deze route is geen eigen bijdrage verplicht.",
            "No co-financing is required for this route.",
        )
    share = rule.min_share_percent
    if facts.cost_cents is None:
        return outcome(
            "cofinancing",
            None,
            "De kosten van de opleiding zijn nog niet bekend.",
            "The training cost is not known yet.",
        )
    counted = counted_cents(((p.payer, p.amount_cents) for p in facts.cofinancing), rule.payers)
    ignored = sorted({p.payer for p in facts.cofinancing if p.payer not in rule.payers})
    ok = share_reached(counted, facts.cost_cents, share)
    need_nl = f"minstens {share} % van {format_cents_nl(facts.cost_cents)}"
    need_en = f"at least {share} % of {format_cents_en(facts.cost_cents)}"
    note_nl = f" Niet meegeteld: {', '.join(nl(p) for p in ignored)}." if ignored else ""
    note_en = f" Not counted: {', '.join(en(p) for p in ignored)}." if ignored else ""
    verdict_nl = "Dat is genoeg." if ok else "Dat is te weinig."
    verdict_en = "That is enough." if ok else "That is not enough."
    return outcome(
        "cofinancing",
        ok,
        f"Anderen betalen {format_cents_nl(counted)}; nodig is {need_nl}. {verdict_nl}{note_nl}",
        f"Others pay {format_cents_en(counted)}; required is {need_en}. {verdict_en}{note_en}",
    )


def _rule_cap(facts: Facts, policy: Policy) -> RuleOutcome:
    left = cap_left_cents(policy, facts.granted_this_year_cents)
    shape = CAP_SHAPES[policy.cap_shape]
    scope_nl = f"{shape.label_nl} ({format_cents_nl(policy.cap_cents)})"
    scope_en = f"{shape.label_en} ({format_cents_en(policy.cap_cents)})"
    if left <= 0:
        return outcome(
            "cap",
            False,
            f"Het maximum {scope_nl} is dit jaar al bereikt.",
            f"The maximum {scope_en} has already been reached this year.",
        )
    extra_nl = extra_en = ""
    if facts.requested_cents is not None and facts.requested_cents > left:
        extra_nl = f" U vraagt {format_cents_nl(facts.requested_cents)}; meer dan dit kan niet."
        extra_en = f" You ask {format_cents_en(facts.requested_cents)}; more is not possible."
    return outcome(
        "cap",
        True,
        f"Er is nog {format_cents_nl(left)} over van het maximum {scope_nl}.{extra_nl}",
        f"{format_cents_en(left)} is left of the maximum {scope_en}.{extra_en}",
    )


def _rule_labour_market_test(facts: Facts, policy: Policy) -> RuleOutcome:
    rid = "labour_market_test"
    if not policy.labour_market_test_required:
        return outcome(
            rid,
            True,
            "Dit fonds vraagt geen arbeidsmarkttoets.",
            "This fund does not require a labour-market test.",
        )
    result = facts.labour_market_test
    passed = labour_market_passed(result)
    if passed is None:
        return outcome(
            rid,
            None,
            "De arbeidsmarkttoets is nog niet gedaan.",
            "The labour-market test has not been done yet.",
        )
    # Twents Fonds ordinance art. 4: a promising occupation (UWV list) or a motivated perspective.
    if result == "listed":
        return outcome(
            rid,
            True,
            "De opleiding leidt tot een kansrijk beroep in de regio (lijst van UWV).",
            "The training leads to a promising occupation in the region (UWV list).",
        )
    if passed:
        return outcome(
            rid,
            True,
            "De adviseur heeft gemotiveerd dat de opleiding kansen geeft op werk in de regio.",
            "The advisor motivated that the training gives job prospects in the region.",
        )
    return outcome(
        rid,
        False,
        "De opleiding verbetert uw kansen op werk in de regio niet genoeg.",
        "The training does not improve your job prospects in the region enough.",
    )


def evaluate(facts: Facts, policy: Policy, today: date) -> tuple[RuleOutcome, ...]:
    """Evaluate every rule in the fixed order of RULE_IDS."""
    # `today` is part of the contract so time-dependent rules can be added without a signature
    # change; every current rule is judged on the application date (settled reading on age).
    del today
    return (
        _rule_region(facts, policy),
        _rule_minimum_age(facts, policy),
        _rule_route(facts, policy),
        _rule_policy_period(facts, policy),
        _rule_training_level(facts, policy),
        _rule_provider(facts, policy),
        _rule_cofinancing(facts, policy),
        _rule_cap(facts, policy),
        _rule_labour_market_test(facts, policy),
    )


def all_passed(outcomes: Iterable[RuleOutcome]) -> bool:
    """True only when every rule passed (unknown counts as not passed)."""
    return all(o.passed is True for o in outcomes)


def failed(outcomes: Iterable[RuleOutcome]) -> tuple[RuleOutcome, ...]:
    """The rules that definitely failed."""
    return tuple(o for o in outcomes if o.passed is False)


def cap_left_cents(policy: Policy, granted_this_year_cents: int) -> int:
    """How much the fund may still grant this person under the policy's cap."""
    return left_under_cap(policy.cap_shape, policy.cap_cents, granted_this_year_cents)


def grant_amount_cents(*, cost_cents: int, cofinancing_cents: int, cap_left_cents: int) -> int:
    """The lesser of the cap left and cost minus co-financing, never below zero."""
    # Settled reading "Co-financing": when the cap binds, the co-financer or person pays the rest.
    return payable_cents(cap_left_cents, cost_cents - cofinancing_cents)

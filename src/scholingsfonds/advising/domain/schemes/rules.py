"""The rules of a scheme that is not a regional fund: one outcome per condition (pure).

Each rule words its reason for the advisor and the person (Dutch and English) and decides
with the shared primitives (core/domain/rules.py), so it judges a work status, a cap or a
labour-market test as the fund's eligibility does. A regional fund's rules are its policy's
(applications/domain/eligibility.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from scholingsfonds.advising.domain.schemes.model import Scheme, StackFacts, StackPart
from scholingsfonds.applications.domain.eligibility import en as code_en
from scholingsfonds.applications.domain.eligibility import nl as code_nl
from scholingsfonds.core.domain.formatting import format_cents_en, format_cents_nl
from scholingsfonds.core.domain.rules import (
    CAP_SHAPES,
    RuleOutcome,
    among,
    labour_market_passed,
    left_under_cap,
    outcome,
)

# Rule ids of the schemes that are not a regional fund (those use eligibility.RULE_IDS).
RULE_IDS = (
    "validity",
    "work_status",
    "route",
    "region",
    "employer_sector",
    "benefit",
    "training_level",
    "provider",
    "labour_market_test",
    "employer_contribution",
    "cap",
    "exclusive",
    "amount",
    "rest",
)

# Facts the process only learns later (the test is done after the advice): unknown, the
# scheme pays under reserve. Any other unknown fact (the employer's sector, the work status)
# is asked now: until it is known the scheme pays nothing, marked "not known yet".
LATER_RULES = frozenset({"labour_market_test"})

_SECTOR_WORDS: dict[str, tuple[str, str]] = {
    "ICT": ("ICT", "ICT"),
    "technical": ("techniek", "technology"),
    "transport & logistics": ("transport en logistiek", "transport and logistics"),
    "care & welfare": ("zorg en welzijn", "care and welfare"),
    "hospitality": ("horeca", "hospitality"),
    "other": ("een andere sector", "another sector"),
}


def _sector_nl(code: str) -> str:
    return _SECTOR_WORDS.get(code, (code, code))[0]


def _sector_en(code: str) -> str:
    return _SECTOR_WORDS.get(code, (code, code))[1]


def _listing(codes: Iterable[str], words: Callable[[str], str]) -> str:
    return ", ".join(words(c) for c in codes)


def _rule_validity(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    return outcome(
        "validity",
        True,
        f"De regeling geldt {scheme.period_nl()}.",
        f"The scheme applies {scheme.period_en()}.",
    )


def _rule_work_status(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    allowed_nl = _listing(scheme.work_statuses, code_nl)
    allowed_en = _listing(scheme.work_statuses, code_en)
    fits = among(facts.work_status, scheme.work_statuses)
    if fits is None:
        return outcome(
            "work_status",
            None,
            f"De werksituatie is nog niet bekend (de regeling is voor: {allowed_nl}).",
            f"The work status is not known yet (the scheme is for: {allowed_en}).",
        )
    if fits:
        return outcome(
            "work_status",
            True,
            f"Werksituatie {code_nl(facts.work_status)}: past bij de regeling.",
            f"Work status {code_en(facts.work_status)}: fits the scheme.",
        )
    return outcome(
        "work_status",
        False,
        f"Werksituatie {code_nl(facts.work_status)}: de regeling is alleen voor {allowed_nl}.",
        f"Work status {code_en(facts.work_status)}: the scheme is only for {allowed_en}.",
    )


def _rule_route(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    ok = facts.route in scheme.routes
    return outcome(
        "route",
        ok,
        f"{code_nl(facts.route).capitalize()}: de regeling kent "
        f"{_listing(scheme.routes, code_nl)}.",
        f"{code_en(facts.route).capitalize()}: the scheme has {_listing(scheme.routes, code_en)}.",
    )


def _rule_region(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    if facts.route == "employer":
        code, name = facts.employer_municipality_code, facts.employer_municipality_name
        who_nl, who_en = "De werkgever is gevestigd", "The employer is established"
    else:
        code, name = facts.municipality_code, facts.municipality_name
        who_nl, who_en = "De aanvrager woont", "The applicant lives"
    ok = among(code, scheme.municipalities)
    if code is None or ok is None:
        return outcome(
            "region", None, "De gemeente is nog niet bekend.", "The municipality is not known yet."
        )
    where = name or code
    return outcome(
        "region",
        ok,
        f"{who_nl} in {where}: {'binnen' if ok else 'buiten'} het werkgebied van de regeling.",
        f"{who_en} in {where}: {'inside' if ok else 'outside'} the scheme's area.",
    )


def _rule_employer_sector(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    sectors_nl = _listing(scheme.employer_sectors, _sector_nl)
    sectors_en = _listing(scheme.employer_sectors, _sector_en)
    ok = among(facts.employer_sector, scheme.employer_sectors)
    if facts.employer_sector is None or ok is None:
        return outcome(
            "employer_sector",
            None,
            f"De sector van de werkgever is nog niet bekend (de regeling is voor {sectors_nl}).",
            f"The employer's sector is not known yet (the scheme is for {sectors_en}).",
        )
    return outcome(
        "employer_sector",
        ok,
        f"De werkgever hoort bij {_sector_nl(facts.employer_sector)}; "
        f"de regeling is voor {sectors_nl}.",
        f"The employer is in {_sector_en(facts.employer_sector)}; the scheme is for {sectors_en}.",
    )


def _rule_benefit(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    if facts.receives_benefit:
        return outcome(
            "benefit",
            True,
            "De aanvrager heeft een uitkering (WW of bijstand).",
            "The applicant receives a benefit (unemployment or social assistance).",
        )
    return outcome(
        "benefit",
        False,
        "De regeling is alleen voor mensen met een uitkering (WW of bijstand).",
        "The scheme is only for people who receive a benefit.",
    )


def _rule_training_level(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    fits = among(facts.training_level, scheme.training_levels)
    if fits is None:
        return outcome(
            "training_level",
            None,
            "Het niveau van de opleiding is nog niet bekend.",
            "The level of the training is not known yet.",
        )
    if fits:
        return outcome(
            "training_level",
            True,
            f"Niveau {code_nl(facts.training_level)}: past bij de regeling.",
            f"Level {code_en(facts.training_level)}: fits the scheme.",
        )
    return outcome(
        "training_level",
        False,
        f"Niveau {code_nl(facts.training_level)}: de regeling betaalt alleen "
        f"{_listing(scheme.training_levels, code_nl)}.",
        f"Level {code_en(facts.training_level)}: the scheme only pays "
        f"{_listing(scheme.training_levels, code_en)}.",
    )


def _rule_provider(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    counts = among(facts.provider_kind, scheme.provider_kinds)
    if counts is None:
        return outcome(
            "provider", None, "De opleider is nog niet gekozen.", "No provider has been chosen yet."
        )
    if counts:
        return outcome(
            "provider",
            True,
            f"De erkenning van de opleider ({code_nl(facts.provider_kind)}) telt voor deze "
            "regeling.",
            f"The provider's recognition ({code_en(facts.provider_kind)}) counts for this scheme.",
        )
    return outcome(
        "provider",
        False,
        f"De erkenning van de opleider ({code_nl(facts.provider_kind)}) telt niet voor deze "
        f"regeling (wel: {_listing(scheme.provider_kinds, code_nl)}).",
        f"The provider's recognition ({code_en(facts.provider_kind)}) does not count for this "
        f"scheme (it accepts: {_listing(scheme.provider_kinds, code_en)}).",
    )


def _rule_labour_market_test(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    ok = labour_market_passed(facts.labour_market_test)
    if ok is None:
        return outcome(
            "labour_market_test",
            None,
            "De regeling vraagt een opleiding met kans op werk; de arbeidsmarkttoets is nog "
            "niet gedaan.",
            "The scheme requires job prospects; the labour-market test has not been done yet.",
        )
    return outcome(
        "labour_market_test",
        ok,
        "De opleiding geeft kans op werk (arbeidsmarkttoets)."
        if ok
        else "De opleiding geeft volgens de arbeidsmarkttoets te weinig kans op werk.",
        "The training gives job prospects (labour-market test)."
        if ok
        else "The labour-market test found too few job prospects.",
    )


def _rule_employer_contribution(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    amount = facts.employer_contribution_cents
    if amount > 0:
        return outcome(
            "employer_contribution",
            True,
            f"De werkgever zegt {format_cents_nl(amount)} toe.",
            f"The employer commits {format_cents_en(amount)}.",
        )
    return outcome(
        "employer_contribution",
        False,
        "De werkgever betaalt (nog) niet mee.",
        "The employer does not contribute (yet).",
    )


def _rule_cap(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    cap = scheme.cap_cents or 0
    used = facts.used(scheme.key)
    left = left_under_cap(scheme.cap_shape, cap, used)
    shape = CAP_SHAPES[scheme.cap_shape]
    if scheme.cap_shape == "once_per_year":
        if left == 0:
            return outcome(
                "cap",
                False,
                f"Eén keer per kalenderjaar, tot {format_cents_nl(cap)}: "
                f"dit jaar al gebruikt ({format_cents_nl(used)}).",
                f"Once per calendar year, up to {format_cents_en(cap)}: "
                f"already used this year ({format_cents_en(used)}).",
            )
        return outcome(
            "cap",
            True,
            f"Eén keer per kalenderjaar, tot {format_cents_nl(cap)}; dit jaar nog niet gebruikt.",
            f"Once per calendar year, up to {format_cents_en(cap)}; not used yet this year.",
        )
    if scheme.cap_shape == "per_person_per_year":
        if left == 0:
            return outcome(
                "cap",
                False,
                f"Het maximum van {format_cents_nl(cap)} {shape.label_nl} is al bereikt.",
                f"The maximum of {format_cents_en(cap)} {shape.label_en} is reached.",
            )
        return outcome(
            "cap",
            True,
            f"Nog {format_cents_nl(left)} over van {format_cents_nl(cap)} {shape.label_nl}.",
            f"{format_cents_en(left)} left of {format_cents_en(cap)} {shape.label_en}.",
        )
    return outcome(
        "cap",
        True,
        f"Hoogstens {format_cents_nl(cap)} {shape.label_nl}.",
        f"At most {format_cents_en(cap)} {shape.label_en}.",
    )


def rule_exclusive(scheme: Scheme, paid_by: Mapping[str, StackPart]) -> RuleOutcome:
    other = paid_by.get(scheme.exclusive_group)
    if other is None:
        return outcome(
            "exclusive",
            True,
            "Geen andere regeling uit dezelfde groep betaalt mee.",
            "No other scheme of the same group pays.",
        )
    return outcome(
        "exclusive",
        False,
        f"Niet samen met {other.scheme.name_nl}, die al meebetaalt.",
        f"Not together with {other.scheme.name_en}, which already pays.",
    )


def scheme_outcomes(
    scheme: Scheme, facts: StackFacts, paid_by: Mapping[str, StackPart]
) -> list[RuleOutcome]:
    """The outcome of every condition the scheme sets, in the order of RULE_IDS.

    `paid_by` maps an exclusive group to the part that already pays for it.
    """
    outcomes = [_rule_validity(scheme, facts)]
    if scheme.work_statuses:
        outcomes.append(_rule_work_status(scheme, facts))
    if scheme.routes:
        outcomes.append(_rule_route(scheme, facts))
    if scheme.municipalities:
        outcomes.append(_rule_region(scheme, facts))
    if scheme.employer_sectors:
        outcomes.append(_rule_employer_sector(scheme, facts))
    if scheme.requires_benefit:
        outcomes.append(_rule_benefit(scheme, facts))
    if scheme.training_levels:
        outcomes.append(_rule_training_level(scheme, facts))
    if scheme.provider_kinds:
        outcomes.append(_rule_provider(scheme, facts))
    if scheme.requires_labour_market_test:
        outcomes.append(_rule_labour_market_test(scheme, facts))
    if scheme.kind == "employer":
        outcomes.append(_rule_employer_contribution(scheme, facts))
    if scheme.cap_cents is not None:
        outcomes.append(_rule_cap(scheme, facts))
    if scheme.exclusive_group:
        outcomes.append(rule_exclusive(scheme, paid_by))
    return outcomes


def holds_now(outcomes: Iterable[RuleOutcome]) -> bool:
    """No rule failed, and every fact asked now is known (LATER_RULES may wait)."""
    return not any(
        o.passed is False or (o.passed is None and o.rule_id not in LATER_RULES) for o in outcomes
    )

"""How the schemes stack over the cost of one training (pure).

`compute_stack` takes the schemes offered on the day in a fixed order and gives each its
part, with one outcome per rule in the same shape as eligibility (`RuleOutcome`). A regional
fund is a scheme whose rules are its policy: its outcomes *are* the eligibility rules, so the
advice and the assessor's screen agree.

Order (docs/domain.md, settled reading "Co-financing"): first the other payers (employer,
O&O fund, benefits agency, a national budget) by their `order`; then the regional funds,
which complement them (the lesser of the cap left and the cost minus the co-financing);
the person pays what is left. A scheme outside its validity dates is never offered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date

from scholingsfonds.advising.domain.schemes.model import (
    OWN_CONTRIBUTION,
    Scheme,
    Stack,
    StackFacts,
    StackPart,
)
from scholingsfonds.advising.domain.schemes.rules import holds_now, rule_exclusive, scheme_outcomes
from scholingsfonds.applications.domain.eligibility import (
    CofinancingPart,
    Facts,
    cap_left_cents,
    evaluate,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_cents_en, format_cents_nl
from scholingsfonds.core.domain.rules import (
    RuleOutcome,
    counted_cents,
    left_under_cap,
    outcome,
    payable_cents,
    share_cents,
    share_needed_cents,
    share_reached,
)
from scholingsfonds.funds.domain.policy import Policy


def _amount_outcome(
    amount: int, limits: Sequence[tuple[int, str, str]], remaining: int
) -> RuleOutcome:
    parts_nl = [f"{label_nl} ({format_cents_nl(v)})" for v, label_nl, _ in limits]
    parts_en = [f"{label_en} ({format_cents_en(v)})" for v, _, label_en in limits]
    parts_nl.append(f"wat nog te betalen is ({format_cents_nl(remaining)})")
    parts_en.append(f"what is still to be paid ({format_cents_en(remaining)})")
    if remaining == 0:
        return outcome(
            "amount",
            True,
            "Er is niets meer over om te betalen.",
            "Nothing is left to be paid.",
        )
    return outcome(
        "amount",
        True,
        f"Betaalt {format_cents_nl(amount)}: het laagste van {', '.join(parts_nl)}.",
        f"Pays {format_cents_en(amount)}: the least of {', '.join(parts_en)}.",
    )


def _other_part(
    scheme: Scheme, facts: StackFacts, paid: int, paid_by: Mapping[str, StackPart]
) -> StackPart:
    outcomes = scheme_outcomes(scheme, facts, paid_by)
    if not holds_now(outcomes):
        return StackPart(scheme=scheme, amount_cents=0, outcomes=tuple(outcomes))
    cost = facts.cost_cents
    remaining = cost - paid
    limits: list[tuple[int, str, str]] = []
    if scheme.share_percent < 100:
        limits.append(
            (
                share_cents(cost, scheme.share_percent),
                f"{scheme.share_percent} % van de kosten",
                f"{scheme.share_percent} % of the cost",
            )
        )
    cap_left = left_under_cap(scheme.cap_shape, scheme.cap_cents, facts.used(scheme.key))
    if cap_left is not None:
        limits.append((cap_left, "het maximum dat over is", "the cap left"))
    if scheme.kind == "employer":
        limits.append(
            (facts.employer_contribution_cents, "wat de werkgever toezegt", "the employer's offer")
        )
    amount = payable_cents(remaining, *(v for v, _, _ in limits))
    outcomes.append(_amount_outcome(amount, limits, remaining))
    return StackPart(scheme=scheme, amount_cents=amount, outcomes=tuple(outcomes))


def regional_fund_limit_cents(
    *,
    policy: Policy,
    route: str,
    cost_cents: int,
    parts_before: Sequence[tuple[str, int]],
    used_cents: int,
) -> int:
    """The most a regional fund pays after `parts_before` (payer, amount), by its policy.

    The lesser of the cap left and the cost minus what others pay, and no more than keeps the
    co-financing share (settled reading "Co-financing"). When the person's own money counts as
    co-financing, the person makes up the share; when it does not (Stedendriehoek's employer
    route), the counted payers must already reach it, or the fund pays nothing.
    """
    rule = policy.cofinancing.get(route)
    share = rule.min_share_percent if rule else 0
    payers = rule.payers if rule else ()
    before = sum(amount for _, amount in parts_before)
    counted = counted_cents(parts_before, payers)
    need = share_needed_cents(cost_cents, share)
    if share == 0:
        by_share = cost_cents - before
    elif "applicant" in payers:
        by_share = cost_cents - need - (before - counted)
    else:
        by_share = cost_cents - before if share_reached(counted, cost_cents, share) else 0
    return payable_cents(cap_left_cents(policy, used_cents), cost_cents - before, by_share)


def _fund_facts(
    facts: StackFacts, parts_before: Sequence[tuple[str, int]], amount: int, used: int
) -> Facts:
    own = facts.cost_cents - sum(a for _, a in parts_before) - amount
    cofinancing = [CofinancingPart(payer=p, amount_cents=a) for p, a in parts_before if p != "fund"]
    if own > 0:
        cofinancing.append(CofinancingPart(payer="applicant", amount_cents=own))
    return Facts(
        application_date=facts.on,
        birth_date=facts.birth_date,
        municipality_code=facts.municipality_code,
        route=facts.route,
        applicant_kind=facts.work_status,
        training_level=facts.training_level,
        provider_kind=facts.provider_kind,
        cost_cents=facts.cost_cents,
        cofinancing=tuple(cofinancing),
        labour_market_test=facts.labour_market_test,
        granted_this_year_cents=used,
        requested_cents=amount,
        employer_municipality_code=facts.employer_municipality_code,
        municipality_name=facts.municipality_name,
        employer_municipality_name=facts.employer_municipality_name,
    )


def _regional_part(
    scheme: Scheme,
    policy: Policy,
    facts: StackFacts,
    parts: Sequence[StackPart],
    paid_by: Mapping[str, StackPart],
) -> StackPart:
    before = [(p.scheme.payer, p.amount_cents) for p in parts if p.amount_cents > 0]
    used = facts.used(scheme.key)
    amount = regional_fund_limit_cents(
        policy=policy,
        route=facts.route,
        cost_cents=facts.cost_cents,
        parts_before=before,
        used_cents=used,
    )
    extra: list[RuleOutcome] = []
    if scheme.exclusive_group:
        extra.append(rule_exclusive(scheme, paid_by))
    # The fund's own rules, exactly as the assessor will see them on the application.
    outcomes = evaluate(_fund_facts(facts, before, amount, used), policy, facts.on)
    if any(o.passed is False for o in (*outcomes, *extra)):
        amount = 0
        outcomes = evaluate(_fund_facts(facts, before, 0, used), policy, facts.on)
        return StackPart(scheme=scheme, amount_cents=0, outcomes=(*outcomes, *extra))
    remaining = facts.cost_cents - sum(a for _, a in before)
    rule = policy.cofinancing.get(facts.route)
    share = rule.min_share_percent if rule else 0
    nl_text = (
        f"Het fonds betaalt {format_cents_nl(amount)}: het laagste van wat over is van het "
        f"maximum ({format_cents_nl(cap_left_cents(policy, used))}) en de kosten min wat "
        f"anderen betalen ({format_cents_nl(remaining)})"
    )
    en_text = (
        f"The fund pays {format_cents_en(amount)}: the least of the cap left "
        f"({format_cents_en(cap_left_cents(policy, used))}) and the cost minus what others pay "
        f"({format_cents_en(remaining)})"
    )
    if share:
        nl_text += f", zo dat anderen samen minstens {share} % van de kosten betalen."
        en_text += f", so that others pay at least {share} % of the cost together."
    else:
        nl_text += "."
        en_text += "."
    if remaining == 0:
        nl_text, en_text = "Er is niets meer over om te betalen.", "Nothing is left to be paid."
    amount_outcome = outcome("amount", True, nl_text, en_text)
    return StackPart(
        scheme=scheme, amount_cents=amount, outcomes=(*outcomes, *extra, amount_outcome)
    )


def _own_part(scheme: Scheme, rest: int) -> StackPart:
    if rest == 0:
        said = outcome("rest", True, "U hoeft zelf niets te betalen.", "You pay nothing yourself.")
    else:
        said = outcome(
            "rest",
            True,
            f"U betaalt zelf wat overblijft: {format_cents_nl(rest)}.",
            f"You pay what is left yourself: {format_cents_en(rest)}.",
        )
    return StackPart(scheme=scheme, amount_cents=rest, outcomes=(said,))


def offered_schemes(
    schemes: Iterable[Scheme], policies: Mapping[str, Policy], on: date
) -> list[Scheme]:
    """The schemes that may be offered on `on`: inside their dates (and their fund's policy)."""
    offered = []
    for scheme in schemes:
        if not scheme.is_valid_on(on):
            continue  # e.g. the STAP budget after 2023: never offered (settled reading)
        if scheme.kind == "regional_fund":
            policy = policies.get(scheme.fund_slug)
            if policy is None or not policy.is_valid_on(on):
                continue
        offered.append(scheme)
    keys = [s.key for s in offered]
    if len(set(keys)) != len(keys):
        raise DomainError(
            "scheme.overlap",
            "Twee versies van dezelfde regeling gelden op dezelfde dag.",
            "Two versions of the same scheme apply on the same day.",
        )
    return offered


def compute_stack(
    facts: StackFacts,
    schemes: Iterable[Scheme],
    policies: Mapping[str, Policy],
    *,
    home_fund: str = "",
) -> Stack:
    """Which schemes pay for this training, how much, in which order, and what is left.

    `policies` maps a fund slug to its policy in force on `facts.on`; `home_fund` is the fund
    the advisor works for: among the regional funds it comes first.
    """
    offered = offered_schemes(schemes, policies, facts.on)
    own = min(
        (s for s in offered if s.kind == "own_contribution"),
        key=lambda s: (s.order, s.key),
        default=OWN_CONTRIBUTION,
    )

    def position(s: Scheme) -> tuple[int, int, int, str]:
        phase = 1 if s.kind == "regional_fund" else 0
        home = 0 if s.fund_slug == home_fund and home_fund else 1
        return (phase, home if phase else 0, s.order, s.key)

    ordered = sorted((s for s in offered if s.kind != "own_contribution"), key=position)
    parts: list[StackPart] = []
    paid_by: dict[str, StackPart] = {}
    paid = 0
    for scheme in ordered:
        if scheme.kind == "regional_fund":
            part = _regional_part(scheme, policies[scheme.fund_slug], facts, parts, paid_by)
        else:
            part = _other_part(scheme, facts, paid, paid_by)
        parts.append(part)
        paid += part.amount_cents
        if part.amount_cents > 0 and scheme.exclusive_group:
            paid_by.setdefault(scheme.exclusive_group, part)
    parts.append(_own_part(own, facts.cost_cents - paid))
    return Stack(facts=facts, parts=tuple(parts))

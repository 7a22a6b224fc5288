"""Reads for the financing advice: the schemes and policies in force, the facts of the stacking
rules for an application, the stack they give, and the saved arrangement."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.db.models import Q
from django.utils import timezone

from scholingsfonds.advising.domain.schemes import Scheme as DomainScheme
from scholingsfonds.advising.domain.schemes import Stack, StackFacts, compute_stack
from scholingsfonds.advising.models import FinancingArrangement, Scheme
from scholingsfonds.advising.selectors.cases import latest_held
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import granted_this_year_cents
from scholingsfonds.core.domain.vocabulary import SECTORS
from scholingsfonds.funds.domain.policy import Policy
from scholingsfonds.funds.models import Fund, Municipality

# Applications whose saved arrangement still counts against a person's yearly caps.
CLOSED_WITHOUT_MONEY = (states.REFUSED, states.REFERRED, states.WITHDRAWN)
# The sectors with a sector fund among the schemes: the application's training sector is the
# employer's sector only for these.
SECTOR_CODES = frozenset(SECTORS.without("other").codes())
# The financing form asks what the person already got this year from these.
YEARLY_CAP_SHAPES = ("per_person_per_year", "once_per_year")


# --- schemes and policies ---------------------------------------------------------------------


def schemes_on(day: date) -> list[DomainScheme]:
    """The scheme versions valid on `day`."""
    rows = Scheme.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    return [row.scheme for row in rows]


def yearly_schemes(day: date) -> list[DomainScheme]:
    """The schemes valid on `day` with a yearly cap, the regional funds aside."""
    return [
        s for s in schemes_on(day) if s.cap_shape in YEARLY_CAP_SHAPES and s.kind != "regional_fund"
    ]


def scheme_rows(today: date) -> list[tuple[Scheme, DomainScheme, bool]]:
    """Every stored scheme version, parsed, and whether it is valid today."""
    return [(row, row.scheme, row.scheme.is_valid_on(today)) for row in Scheme.objects.all()]


def policies_on(day: date) -> dict[str, Policy]:
    """Each fund's policy in force on `day` (funds without one are left out)."""
    policies = {}
    for fund in Fund.objects.all():
        version = fund.policy_on(day)
        if version is not None:
            policies[fund.slug] = version.policy
    return policies


def fund_by_slug(slug: str) -> Fund | None:
    return Fund.objects.filter(slug=slug).first()


def municipality_by_code(cbs_code: str) -> Municipality | None:
    return Municipality.objects.filter(cbs_code=cbs_code).first()


# --- the facts and the stack ------------------------------------------------------------------


def used_this_year(application: Application, year: int) -> dict[str, int]:
    """What this person already got this year, per scheme, from their other applications.

    The fund's own cap counts vouchers (granted minus released), exactly as the cap rule;
    other schemes count the arrangements saved for the person's other applications.
    """
    used: dict[str, int] = {}
    arrangements = (
        FinancingArrangement.objects.filter(
            application__applicant=application.applicant, computed_on__year=year
        )
        .exclude(application=application)
        .exclude(application__state__in=CLOSED_WITHOUT_MONEY)
        .order_by("application_id", "-saved_at", "-id")
    )
    seen: set[int] = set()
    for arrangement in arrangements:
        if arrangement.application_id in seen:
            continue  # only the latest arrangement of each application counts
        seen.add(arrangement.application_id)
        for part in arrangement.paying_parts:
            if part.get("kind") in ("regional_fund", "own_contribution"):
                continue
            key = str(part["scheme"])
            used[key] = used.get(key, 0) + int(part["amount_cents"])
    used[application.fund.slug] = granted_this_year_cents(application, year)
    return used


def financing_facts(
    application: Application,
    *,
    employer_contribution_cents: int = 0,
    employer_sector: str | None = None,
    receives_benefit: bool = False,
    received_elsewhere: Mapping[str, int] | None = None,
    today: date | None = None,
) -> StackFacts:
    """The facts of the stacking rules for an application, plus what the advisor asked."""
    today = today or timezone.localdate()
    used = used_this_year(application, today.year)
    for key, cents in (received_elsewhere or {}).items():
        if cents:
            used[key] = used.get(key, 0) + cents
    conversation = latest_held(application)
    test = getattr(application, "labour_market_test", None)
    employer = application.employer
    return StackFacts(
        on=today,
        cost_cents=application.cost_cents or 0,
        route=application.route,
        work_status=(conversation.work_status if conversation else "")
        or application.work_status
        or None,
        municipality_code=application.municipality.cbs_code if application.municipality else None,
        municipality_name=application.municipality.name if application.municipality else None,
        employer_municipality_code=employer.municipality.cbs_code if employer else None,
        employer_municipality_name=employer.municipality.name if employer else None,
        training_level=application.training_level or None,
        provider_kind=application.provider.kind if application.provider else None,
        employer_sector=employer_sector or None,
        employer_contribution_cents=employer_contribution_cents,
        receives_benefit=receives_benefit,
        labour_market_test=test.result if test else None,
        birth_date=application.birth_date,
        used_this_year=used,
    )


def facts_to_dict(facts: StackFacts) -> dict[str, Any]:
    """The facts as stored with an arrangement: no birth date, no names."""
    return {
        "on": facts.on.isoformat(),
        "cost_cents": facts.cost_cents,
        "route": facts.route,
        "work_status": facts.work_status,
        "municipality_code": facts.municipality_code,
        "employer_municipality_code": facts.employer_municipality_code,
        "training_level": facts.training_level,
        "provider_kind": facts.provider_kind,
        "employer_sector": facts.employer_sector,
        "employer_contribution_cents": facts.employer_contribution_cents,
        "receives_benefit": facts.receives_benefit,
        "labour_market_test": facts.labour_market_test,
        "used_this_year": dict(facts.used_this_year),
    }


def financing_stack(*, facts: StackFacts, home_fund: str) -> Stack:
    """Compute the stack with the schemes and fund policies in force on the facts' date."""
    return compute_stack(facts, schemes_on(facts.on), policies_on(facts.on), home_fund=home_fund)


# --- the saved arrangement --------------------------------------------------------------------


def latest_arrangement(application: Application) -> FinancingArrangement | None:
    return application.financing_arrangements.order_by("-saved_at", "-id").first()


def arrangement_stale(arrangement: FinancingArrangement | None, application: Application) -> bool:
    """Whether the co-financing changed since the advice was saved (the training form can
    change it afterwards): the saved stack's paying parts against the application's."""
    if arrangement is None:
        return False
    saved = [
        (p["payer"], p["amount_cents"])
        for p in arrangement.stack.get("parts", [])
        if p["amount_cents"] and p["payer"] != "fund"
    ]
    return saved != [(p["payer"], int(p["amount_cents"])) for p in application.cofinancing]


def financing_initial(
    application: Application, arrangement: FinancingArrangement | None
) -> dict[str, Any]:
    """What the financing form starts with: the saved advice's answers, or else the
    employer's share from the application (its co-financing, or its percentage of the cost)."""
    if arrangement is not None:
        facts = arrangement.facts
        return {
            "employer_contribution": facts.get("employer_contribution_cents") or None,
            "employer_sector": facts.get("employer_sector") or "",
            "receives_benefit": bool(facts.get("receives_benefit")),
        }
    employer_part = sum(
        int(p["amount_cents"]) for p in application.cofinancing if p.get("payer") == "employer"
    )
    if not employer_part and application.employer_contribution_percent and application.cost_cents:
        employer_part = application.cost_cents * application.employer_contribution_percent // 100
    return {
        "employer_contribution": employer_part or None,
        "employer_sector": application.training_sector
        if application.employer_id and application.training_sector in SECTOR_CODES
        else "",
        "receives_benefit": False,
    }

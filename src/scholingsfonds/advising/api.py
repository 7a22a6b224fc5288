"""The advice across schemes in the REST API (django-ninja Router, mounted by `api`).

Two operations: the schemes offered on a date, and the financing advice for one training.
They take only the facts the rules need (no BSN, no name, no birth date: an age is
enough) and store nothing; an advisor saves an advice to an application on the website.

Mounting (in scholingsfonds.api.endpoints, with the API's authentication):

    api.add_router("/advice", advice_router, auth=AUTH)

`build_router()` makes a fresh Router, so a test can mount one on a throwaway NinjaAPI.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import Router, Schema, Status
from pydantic import ConfigDict, Field

from scholingsfonds.advising.domain.schemes import Stack, StackFacts, offered_schemes
from scholingsfonds.advising.permissions import can_use_financing_advice
from scholingsfonds.advising.selectors.financing import (
    financing_stack,
    fund_by_slug,
    municipality_by_code,
    policies_on,
    schemes_on,
)
from scholingsfonds.core.choices import api_enum
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.vocabulary import (
    LABOUR_MARKET_RESULTS,
    PROVIDER_KINDS,
    ROUTES,
    SECTORS,
    TRAINING_LEVELS,
    WORK_STATUSES,
)

MAX_COST_CENTS = 5_000_000  # EUR 50,000, as the website's forms

RouteValue = api_enum(ROUTES)
WorkStatusValue = api_enum(WORK_STATUSES)
TrainingLevelValue = api_enum(TRAINING_LEVELS)
ProviderKindValue = api_enum(PROVIDER_KINDS)
SectorValue = api_enum(SECTORS)
TestValue = api_enum(LABOUR_MARKET_RESULTS)


# --- schemas -------------------------------------------------------------------------------


class ErrorOut(Schema):
    code: str
    message_nl: str
    message_en: str


class FieldErrorOut(Schema):
    field: str
    code: str
    message_nl: str
    message_en: str


class ValidationErrorOut(ErrorOut):
    errors: list[FieldErrorOut]


class UsedIn(Schema):
    scheme: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        max_length=40,
        description="Sleutel van de regeling (zie GET /advice/schemes) / scheme key",
    )
    amount_cents: int = Field(ge=0, le=MAX_COST_CENTS, strict=True)

    model_config = ConfigDict(extra="forbid")


FINANCING_EXAMPLE: dict[str, Any] = {
    "fund": "twente",
    "on": "2026-11-22",
    "cost_cents": 360000,
    "route": "individual",
    "work_status": "employee",
    "municipality": "GM0153",
    "age": 34,
    "training_level": "mbo3",
    "provider_kind": "ocw",
    "employer_sector": "technical",
    "employer_contribution_cents": 60000,
    "receives_benefit": False,
    "labour_market_test": "listed",
    "used_this_year": [],
}
FINANCING_EXAMPLE_STAP: dict[str, Any] = {
    "fund": "twente",
    "on": "2023-05-01",
    "cost_cents": 300000,
    "route": "individual",
    "work_status": "job_seeker",
    "municipality": "GM0164",
    "age": 41,
    "training_level": "mbo2",
    "provider_kind": "nrto",
    "receives_benefit": False,
    "used_this_year": [{"scheme": "stap", "amount_cents": 0}],
}


class FinancingAdviceIn(Schema):
    """The facts the rules need about one person and one training. No BSN, no name."""

    fund: str = Field(
        pattern=r"^[a-z0-9][a-z0-9-]*$",
        max_length=50,
        description="Het fonds waar de persoon aanvraagt (komt als eerste regionale fonds) / "
        "the fund the person applies to",
    )
    on: date | None = Field(
        default=None, description="Peildatum, standaard vandaag / date of the advice"
    )
    cost_cents: int = Field(ge=1, le=MAX_COST_CENTS, strict=True, description="Totale kosten")
    route: RouteValue = "individual"  # type: ignore[valid-type]
    work_status: WorkStatusValue | None = None  # type: ignore[valid-type]
    municipality: str | None = Field(
        default=None, pattern=r"^GM[0-9]{4}$", description="CBS-code van de woongemeente"
    )
    employer_municipality: str | None = Field(
        default=None, pattern=r"^GM[0-9]{4}$", description="CBS-code van de vestiging"
    )
    age: int | None = Field(default=None, ge=0, le=130, description="Leeftijd op de peildatum")
    training_level: TrainingLevelValue | None = None  # type: ignore[valid-type]
    provider_kind: ProviderKindValue | None = None  # type: ignore[valid-type]
    employer_sector: SectorValue | None = None  # type: ignore[valid-type]
    employer_contribution_cents: int = Field(default=0, ge=0, le=MAX_COST_CENTS, strict=True)
    receives_benefit: bool = False
    labour_market_test: TestValue | None = None  # type: ignore[valid-type]
    used_this_year: list[UsedIn] = Field(
        default_factory=list,
        max_length=20,
        description="Al ontvangen dit kalenderjaar, per regeling (jaarmaximum) / "
        "already received this calendar year",
    )

    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [FINANCING_EXAMPLE]})


class RuleOutcomeOut(Schema):
    rule_id: str
    passed: bool | None = Field(description="null: nog niet bekend / not known yet")
    reason_nl: str
    reason_en: str


class PartOut(Schema):
    order: int = Field(description="Volgorde van betalen / order of paying, from 1")
    scheme: str
    version: str
    kind: str
    name_nl: str
    name_en: str
    payer: str = Field(description="Telt als / counts as (co-financing payer, or 'fund')")
    amount_cents: int
    applies: bool = Field(description="Geen regel faalt / no rule failed")
    conditional: bool = Field(description="Geldt onder voorbehoud / depends on unknown facts")
    unknown: bool = Field(
        description="Betaalt niets zolang een gevraagd gegeven ontbreekt / pays nothing until a "
        "missing fact is known"
    )
    how_to_apply_nl: str
    how_to_apply_en: str
    outcomes: list[RuleOutcomeOut]


class FinancingAdviceOut(Schema):
    fund: str
    on: date
    cost_cents: int
    fund_cents: int = Field(description="Wat het fonds betaalt / what the fund pays")
    own_cents: int = Field(description="Wat de persoon zelf betaalt / what the person pays")
    parts: list[PartOut]


class SchemeOut(Schema):
    key: str
    version: str
    kind: str
    name_nl: str
    name_en: str
    payer: str
    order: int
    valid_from: date
    valid_to: date | None
    share_percent: int | None = Field(description="null bij een regionaal fonds (zie beleid)")
    cap_cents: int | None
    cap_shape: str | None


# --- examples ---------------------------------------------------------------------------------


def _outcome(rule_id: str, passed: bool | None, nl: str, en: str) -> dict[str, Any]:
    return {"rule_id": rule_id, "passed": passed, "reason_nl": nl, "reason_en": en}


ADVICE_EXAMPLE: dict[str, Any] = {
    "fund": "twente",
    "on": "2026-11-22",
    "cost_cents": 360000,
    "fund_cents": 175000,
    "own_cents": 0,
    "parts": [
        {
            "order": 1,
            "scheme": "werkgever",
            "version": "2020",
            "kind": "employer",
            "name_nl": "Werkgever",
            "name_en": "Employer",
            "payer": "employer",
            "amount_cents": 60000,
            "applies": True,
            "conditional": False,
            "unknown": False,
            "how_to_apply_nl": "Leg de toezegging van de werkgever schriftelijk vast.",
            "how_to_apply_en": "Get the employer's commitment in writing.",
            "outcomes": [
                _outcome(
                    "employer_contribution",
                    True,
                    "De werkgever zegt € 600,00 toe.",
                    "The employer commits €600.00.",
                ),
            ],
        },
        {
            "order": 2,
            "scheme": "oo-techniek",
            "version": "2024",
            "kind": "sector_fund",
            "name_nl": "O&O-fonds Techniek (voorbeeld)",
            "name_en": "Technology sector training fund (example)",
            "payer": "oo_fund",
            "amount_cents": 125000,
            "applies": True,
            "conditional": False,
            "unknown": False,
            "how_to_apply_nl": "De werkgever vraagt de bijdrage aan bij het O&O-fonds.",
            "how_to_apply_en": "The employer applies to the sector fund.",
            "outcomes": [
                _outcome(
                    "amount",
                    True,
                    "Betaalt € 1.250,00: het laagste van 50 % van de kosten (€ 1.800,00), "
                    "het maximum dat over is (€ 1.250,00), wat nog te betalen is (€ 3.000,00).",
                    "Pays €1,250.00: the least of 50 % of the cost (€1,800.00), the cap left "
                    "(€1,250.00), what is still to be paid (€3,000.00).",
                ),
            ],
        },
        {
            "order": 3,
            "scheme": "twente",
            "version": "2023",
            "kind": "regional_fund",
            "name_nl": "Twents Fonds voor Vakmanschap",
            "name_en": "Twents Fonds voor Vakmanschap (regional training fund)",
            "payer": "fund",
            "amount_cents": 175000,
            "applies": True,
            "conditional": False,
            "unknown": False,
            "how_to_apply_nl": "De loopbaanadviseur vraagt de scholingscheque met u aan.",
            "how_to_apply_en": "The career advisor applies for the voucher with you.",
            "outcomes": [
                _outcome(
                    "cofinancing",
                    True,
                    "Anderen betalen € 1.850,00; nodig is minstens 50 % van € 3.600,00. "
                    "Dat is genoeg.",
                    "Others pay €1,850.00; required is at least 50 % of €3,600.00. That is enough.",
                ),
            ],
        },
        {
            "order": 4,
            "scheme": "eigen-bijdrage",
            "version": "2020",
            "kind": "own_contribution",
            "name_nl": "Eigen bijdrage",
            "name_en": "Own contribution",
            "payer": "applicant",
            "amount_cents": 0,
            "applies": True,
            "conditional": False,
            "unknown": False,
            "how_to_apply_nl": "U betaalt dit deel zelf aan de opleider.",
            "how_to_apply_en": "You pay this part to the provider yourself.",
            "outcomes": [
                _outcome(
                    "rest", True, "U hoeft zelf niets te betalen.", "You pay nothing yourself."
                )
            ],
        },
    ],
}
SCHEME_EXAMPLE: dict[str, Any] = {
    "key": "stap",
    "version": "2022",
    "kind": "national_budget",
    "name_nl": "STAP-budget (landelijk)",
    "name_en": "STAP budget (national)",
    "payer": "applicant",
    "order": 40,
    "valid_from": "2022-03-01",
    "valid_to": "2023-12-31",
    "share_percent": 100,
    "cap_cents": 100000,
    "cap_shape": "once_per_year",
}


def _error(code: str, nl: str, en: str) -> dict[str, Any]:
    return {"code": code, "message_nl": nl, "message_en": en}


ERR_AUTH = _error(
    "auth.required",
    "Log in, of stuur een geldig API-token mee (Authorization: Bearer <token>).",
    "Log in, or send a valid API token (Authorization: Bearer <token>).",
)
ERR_FORBIDDEN = _error(
    "auth.forbidden",
    "Log in om het financieringsadvies te berekenen.",
    "Log in to compute the financing advice.",
)
ERR_NO_FUND = _error("fund.not_found", "Dit fonds bestaat niet.", "No such fund.")
ERR_FACTS = {
    **_error(
        "stack.invalid_facts",
        "Onbekende gemeente: GM9999.",
        "Unknown municipality: GM9999.",
    ),
    "errors": [
        {
            "field": "municipality",
            "code": "stack.invalid_facts",
            "message_nl": "Onbekende gemeente: GM9999.",
            "message_en": "Unknown municipality: GM9999.",
        }
    ],
}


def _example(value: Any, summary: str) -> dict[str, Any]:
    return {"summary": summary, "value": value}


def _responses(examples: dict[int, dict[str, dict[str, Any]]]) -> dict[str, Any]:
    return {
        status: {"content": {"application/json": {"examples": named}}}
        for status, named in examples.items()
    }


FINANCING_DESCRIPTION = """
Bereken voor één persoon en één opleiding welke regelingen meebetalen, hoeveel elk
betaalt, in welke volgorde, met per regeling één uitkomst per regel (Nederlands en
Engels), en wat de persoon zelf betaalt. Dezelfde regels als de website en als de
beoordelaar: een regionaal fonds rekent met zijn eigen beleid.

* Volgorde: eerst werkgever, O&O-fonds, uitkeringsinstantie en landelijke regelingen;
  dan de regionale fondsen (het gevraagde fonds eerst), die aanvullen tot hun maximum zo
  dat de verplichte cofinanciering blijft staan; de persoon betaalt de rest. De delen
  tellen altijd op tot `cost_cents`.
* Een regeling buiten haar looptijd wordt nooit aangeboden (het STAP-budget na 2023).
* `passed: null` betekent: nog niet bekend; het deel geldt dan onder voorbehoud.
* Geen BSN, geen naam, geen geboortedatum (`age` is genoeg); onbekende velden geven 422.
* Slaat niets op. Een adviseur slaat een advies op bij een aanvraag via de website.

Compute which schemes pay for one training, how much each pays and in which order, with one
outcome per rule, and what the person pays. Stores nothing.
"""


def build_router() -> Router:
    """A fresh Router with the two operations (mount it once per API)."""
    router = Router(tags=["advice"])

    @router.get(
        "/schemes",
        response={200: list[SchemeOut], 401: ErrorOut},
        summary="Regelingen op een datum / schemes offered on a date",
        description=(
            "De regelingen die op de peildatum (standaard vandaag) mogen worden aangeboden, "
            "in volgorde van betalen. Een regionaal fonds staat er alleen in als zijn beleid op "
            "die datum geldt.\n\nThe schemes that may be offered on the date, in paying order."
        ),
        operation_id="advice_schemes_list",
        openapi_extra={
            "responses": _responses(
                {
                    200: {"stap": _example([SCHEME_EXAMPLE], "Het STAP-budget in 2023")},
                    401: {"auth": _example(ERR_AUTH, "Niet ingelogd")},
                }
            )
        },
    )
    def schemes_list(request: HttpRequest, on: date | None = None) -> list[dict[str, Any]]:
        day = on or timezone.localdate()
        offered = offered_schemes(schemes_on(day), policies_on(day), day)
        rows = []
        for scheme in sorted(offered, key=lambda s: (s.kind == "regional_fund", s.order, s.key)):
            regional = scheme.kind == "regional_fund"
            rows.append(
                {
                    "key": scheme.key,
                    "version": scheme.version,
                    "kind": scheme.kind,
                    "name_nl": scheme.name_nl,
                    "name_en": scheme.name_en,
                    "payer": scheme.payer,
                    "order": scheme.order,
                    "valid_from": scheme.valid_from,
                    "valid_to": scheme.valid_to,
                    "share_percent": None if regional else scheme.share_percent,
                    "cap_cents": None if regional else scheme.cap_cents,
                    "cap_shape": None if regional else scheme.cap_shape,
                }
            )
        return rows

    @router.post(
        "/financing",
        response={
            200: FinancingAdviceOut,
            401: ErrorOut,
            403: ErrorOut,
            404: ErrorOut,
            422: ValidationErrorOut,
        },
        summary="Financieringsadvies over alle regelingen / financing advice across schemes",
        description=FINANCING_DESCRIPTION,
        operation_id="advice_financing_compute",
        openapi_extra={
            "requestBody": {
                "content": {
                    "application/json": {
                        "examples": {
                            "werknemer_techniek": _example(
                                FINANCING_EXAMPLE, "Werknemer in de techniek, 2026"
                            ),
                            "stap_2023": _example(
                                FINANCING_EXAMPLE_STAP, "Werkzoekende met STAP-budget, 2023"
                            ),
                        }
                    }
                }
            },
            "responses": _responses(
                {
                    200: {"stack": _example(ADVICE_EXAMPLE, "Werkgever, O&O-fonds en fonds")},
                    401: {"auth": _example(ERR_AUTH, "Niet ingelogd")},
                    403: {"forbidden": _example(ERR_FORBIDDEN, "Geen toegang")},
                    404: {"fund": _example(ERR_NO_FUND, "Onbekend fonds")},
                    422: {"facts": _example(ERR_FACTS, "Onbekende gemeente")},
                }
            ),
        },
    )
    def financing_compute(
        request: HttpRequest, payload: FinancingAdviceIn
    ) -> Status[dict[str, Any]]:
        user = getattr(request, "auth", None) or getattr(request, "user", None)
        allowed, _reason = can_use_financing_advice(user)
        if not allowed:
            return Status(403, ERR_FORBIDDEN)
        fund = fund_by_slug(payload.fund)
        if fund is None:
            return Status(404, ERR_NO_FUND)
        try:
            facts = _facts(payload)
            stack = financing_stack(facts=facts, home_fund=fund.slug)
        except DomainError as error:
            field = getattr(error, "field", "")
            body = _error(error.code, error.message_nl, error.message_en)
            detail = {"field": field, **body} if field else None
            return Status(422, {**body, "errors": [detail] if detail else []})
        return Status(200, _advice(fund.slug, stack))

    return router


def _municipality(code: str | None, field: str) -> tuple[str | None, str | None]:
    if code is None:
        return None, None
    municipality = municipality_by_code(code)
    if municipality is None:
        error = DomainError(
            "stack.invalid_facts", f"Onbekende gemeente: {code}.", f"Unknown municipality: {code}."
        )
        error.field = field  # type: ignore[attr-defined]
        raise error
    return municipality.cbs_code, municipality.name


def _birth_date_for_age(on: date, age: int) -> date:
    """A birth date that makes the person exactly `age` on `on` (29 February: 28th)."""
    try:
        return on.replace(year=on.year - age)
    except ValueError:
        return date(on.year - age, 2, 28)


def _facts(payload: FinancingAdviceIn) -> StackFacts:
    on = payload.on or timezone.localdate()
    code, name = _municipality(payload.municipality, "municipality")
    employer_code, employer_name = _municipality(
        payload.employer_municipality, "employer_municipality"
    )
    used: dict[str, int] = {}
    for item in payload.used_this_year:
        used[item.scheme] = used.get(item.scheme, 0) + item.amount_cents
    return StackFacts(
        on=on,
        cost_cents=payload.cost_cents,
        route=payload.route,
        work_status=payload.work_status,
        municipality_code=code,
        municipality_name=name,
        employer_municipality_code=employer_code,
        employer_municipality_name=employer_name,
        training_level=payload.training_level,
        provider_kind=payload.provider_kind,
        employer_sector=payload.employer_sector,
        employer_contribution_cents=payload.employer_contribution_cents,
        receives_benefit=payload.receives_benefit,
        labour_market_test=payload.labour_market_test,
        birth_date=None if payload.age is None else _birth_date_for_age(on, payload.age),
        used_this_year=used,
    )


def _advice(fund_slug: str, stack: Stack) -> dict[str, Any]:
    fund_part = stack.part(fund_slug)
    return {
        "fund": fund_slug,
        "on": stack.facts.on,
        "cost_cents": stack.facts.cost_cents,
        "fund_cents": fund_part.amount_cents if fund_part else 0,
        "own_cents": stack.own_cents,
        "parts": [{"order": n, **part.to_dict()} for n, part in enumerate(stack.parts, start=1)],
    }


router = build_router()

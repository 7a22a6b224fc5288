"""Financing schemes as data, and how they stack over the cost of one training (pure).

A scheme is one payer's rules: whom and which training it serves, its share of the cost,
its cap and its validity dates. `compute_stack` takes the schemes in a fixed order and gives
each its part, with one outcome per rule in the same shape as eligibility (`RuleOutcome`,
reasons in Dutch and English). A regional fund is a scheme whose rules are its policy: its
outcomes *are* the eligibility rules, so the advice and the assessor's screen agree.

Order (docs/domain.md, settled reading "Co-financing"): first the other payers (employer,
O&O fund, benefits agency, a national budget) by their `order`; then the regional funds,
which complement them (the lesser of the cap left and the cost minus the co-financing);
the person pays what is left. A scheme outside its validity dates is never offered.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from scholingsfonds.applications.domain.eligibility import (
    CofinancingPart,
    Facts,
    cap_left_cents,
    evaluate,
)
from scholingsfonds.applications.domain.eligibility import en as code_en
from scholingsfonds.applications.domain.eligibility import nl as code_nl
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import (
    format_cents_en,
    format_cents_nl,
    format_date_en,
    format_date_nl,
)
from scholingsfonds.core.domain.rules import RuleOutcome
from scholingsfonds.funds.domain.policy import Policy

KINDS = (
    "employer",
    "sector_fund",
    "benefits_agency",
    "national_budget",
    "regional_fund",
    "own_contribution",
)
# What a part counts as in a regional fund's co-financing rule (the policy's payers), or the
# regional fund itself.
PAYERS = ("employer", "benefits_agency", "oo_fund", "applicant", "fund")
DEFAULT_PAYER = {
    "employer": "employer",
    "sector_fund": "oo_fund",
    "benefits_agency": "benefits_agency",
    "national_budget": "applicant",
    "regional_fund": "fund",
    "own_contribution": "applicant",
}
CAP_SHAPES = ("per_application", "per_person_per_year", "once_per_year")
ROUTES = ("individual", "employer")
WORK_STATUSES = ("employee", "job_seeker", "zzp")
SECTORS = ("ICT", "technical", "transport & logistics", "care & welfare", "hospitality", "other")
TRAINING_LEVELS = ("mbo1", "mbo2", "mbo3", "mbo4", "hbo", "wo", "other")
PROVIDER_KINDS = ("ocw", "nrto", "cedeo", "nlqf", "sector", "crkbo")
LABOUR_MARKET_RESULTS = ("listed", "motivated", "failed")

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

_KNOWN_KEYS = frozenset(
    {
        "key",
        "version",
        "kind",
        "name_nl",
        "name_en",
        "payer",
        "order",
        "valid_from",
        "valid_to",
        "share_percent",
        "cap_cents",
        "cap_shape",
        "work_statuses",
        "routes",
        "employer_sectors",
        "municipalities",
        "training_levels",
        "provider_kinds",
        "requires_benefit",
        "requires_labour_market_test",
        "exclusive_group",
        "fund_slug",
        "how_to_apply_nl",
        "how_to_apply_en",
        "note",
    }
)
# A regional fund's rules are its policy; the scheme file only places it in the order.
_REGIONAL_FUND_KEYS = frozenset(
    {
        "key",
        "version",
        "kind",
        "name_nl",
        "name_en",
        "payer",
        "order",
        "valid_from",
        "valid_to",
        "exclusive_group",
        "fund_slug",
        "how_to_apply_nl",
        "how_to_apply_en",
        "note",
    }
)


@dataclass(frozen=True)
class Scheme:
    """One payer's rules for one period."""

    key: str
    version: str
    kind: str
    name_nl: str
    name_en: str
    payer: str
    order: int
    valid_from: date
    valid_to: date | None = None
    share_percent: int = 100
    cap_cents: int | None = None
    cap_shape: str = "per_application"
    work_statuses: tuple[str, ...] = ()
    routes: tuple[str, ...] = ()
    employer_sectors: tuple[str, ...] = ()
    municipalities: tuple[str, ...] = ()
    training_levels: tuple[str, ...] = ()
    provider_kinds: tuple[str, ...] = ()
    requires_benefit: bool = False
    requires_labour_market_test: bool = False
    exclusive_group: str = ""
    fund_slug: str = ""
    how_to_apply_nl: str = ""
    how_to_apply_en: str = ""

    def is_valid_on(self, d: date) -> bool:
        """Whether the scheme may be offered on `d` (never outside its dates)."""
        return self.valid_from <= d and (self.valid_to is None or d <= self.valid_to)

    def period_nl(self) -> str:
        """Its validity in Dutch words."""
        until = "" if self.valid_to is None else f" tot en met {format_date_nl(self.valid_to)}"
        return f"vanaf {format_date_nl(self.valid_from)}{until}"

    def period_en(self) -> str:
        """Its validity in English words."""
        until = "" if self.valid_to is None else f" to {format_date_en(self.valid_to)}"
        return f"from {format_date_en(self.valid_from)}{until}"


# --- reading schemes from data -----------------------------------------------------------


def _invalid(key: str, problem_nl: str, problem_en: str) -> DomainError:
    return DomainError(
        "scheme.invalid",
        f"Ongeldige regeling, sleutel '{key}': {problem_nl}",
        f"Invalid scheme, key '{key}': {problem_en}",
    )


def _text(data: Mapping[str, Any], key: str, default: str | None = None) -> str:
    value = data.get(key, default)
    if not isinstance(value, str) or (default is None and not value.strip()):
        raise _invalid(key, "moet tekst zijn en mag niet leeg zijn", "must be a non-empty string")
    return value


def _integer(
    data: Mapping[str, Any], key: str, default: int | None, minimum: int, maximum: int | None
) -> int | None:
    value = data.get(key, default)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool):
        raise _invalid(key, "moet een geheel getal zijn", "must be an integer")
    if value < minimum or (maximum is not None and value > maximum):
        raise _invalid(key, "valt buiten de toegestane grenzen", "is out of range")
    return value


def _day(data: Mapping[str, Any], key: str) -> date | None:
    value = data.get(key)
    if value is None:
        return None
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    raise _invalid(key, "moet een datum zijn (JJJJ-MM-DD)", "must be a date (YYYY-MM-DD)")


def _codes(data: Mapping[str, Any], key: str, allowed: tuple[str, ...] | None) -> tuple[str, ...]:
    value = data.get(key, [])
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise _invalid(key, "moet een lijst met teksten zijn", "must be a list of strings")
    items = tuple(str(v) for v in value)
    if len(set(items)) != len(items):
        raise _invalid(key, "bevat dubbele waarden", "contains duplicates")
    for item in items:
        if allowed is not None and item not in allowed:
            raise _invalid(
                key,
                f"onbekende waarde '{item}' (toegestaan: {', '.join(allowed)})",
                f"unknown value '{item}' (allowed: {', '.join(allowed)})",
            )
    return items


def _flag(data: Mapping[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise _invalid(key, "moet true of false zijn", "must be true or false")
    return value


def scheme_from_dict(data: Mapping[str, Any]) -> Scheme:
    """Parse and validate one scheme (TOML or its JSON copy); DomainError('scheme.invalid')."""
    if not isinstance(data, Mapping):
        raise DomainError(
            "scheme.invalid", "Een regeling moet een tabel zijn.", "A scheme must be a table."
        )
    unknown = sorted(set(data) - _KNOWN_KEYS)
    if unknown:
        raise _invalid(", ".join(unknown), "onbekende sleutel (typefout?)", "unknown key (typo?)")
    kind = _text(data, "kind")
    if kind not in KINDS:
        raise _invalid("kind", f"moet een van {', '.join(KINDS)} zijn", "unknown kind")
    if kind == "regional_fund":
        extra = sorted(set(data) - _REGIONAL_FUND_KEYS)
        if extra:
            raise _invalid(
                ", ".join(extra),
                "een regionaal fonds haalt zijn regels uit zijn beleid (policies/*.toml)",
                "a regional fund takes its rules from its policy (policies/*.toml)",
            )
    key = _text(data, "key")
    payer = _text(data, "payer", DEFAULT_PAYER[kind])
    if payer not in PAYERS:
        raise _invalid("payer", f"moet een van {', '.join(PAYERS)} zijn", "unknown payer")
    if (kind == "regional_fund") != (payer == "fund"):
        raise _invalid(
            "payer",
            "alleen een regionaal fonds betaalt als 'fund'",
            "only a regional fund pays as 'fund'",
        )
    if kind == "own_contribution" and payer != "applicant":
        raise _invalid("payer", "de eigen bijdrage is van de aanvrager", "own money is 'applicant'")
    valid_from = _day(data, "valid_from")
    if valid_from is None:
        raise _invalid("valid_from", "ontbreekt", "is missing")
    valid_to = _day(data, "valid_to")
    if valid_to is not None and valid_to < valid_from:
        raise _invalid("valid_to", "ligt voor valid_from", "is before valid_from")
    cap_shape = _text(data, "cap_shape", "per_application")
    if cap_shape not in CAP_SHAPES:
        raise _invalid("cap_shape", f"moet een van {', '.join(CAP_SHAPES)} zijn", "unknown shape")
    cap = _integer(data, "cap_cents", None, 1, None)
    if cap is None and cap_shape != "per_application":
        raise _invalid("cap_cents", "nodig bij een maximum per jaar", "needed for a yearly cap")
    sectors = _codes(data, "employer_sectors", SECTORS)
    if kind == "sector_fund" and not sectors:
        raise _invalid(
            "employer_sectors", "een O&O-fonds hoort bij een sector", "a sector fund needs sectors"
        )
    fund_slug = _text(data, "fund_slug", "")
    if kind == "regional_fund" and not fund_slug:
        raise _invalid("fund_slug", "nodig bij een regionaal fonds", "needed for a regional fund")
    order = _integer(data, "order", None, 0, 1000)
    if order is None:
        raise _invalid("order", "ontbreekt", "is missing")
    share = _integer(data, "share_percent", 100, 0, 100)
    return Scheme(
        key=key,
        version=_text(data, "version"),
        kind=kind,
        name_nl=_text(data, "name_nl"),
        name_en=_text(data, "name_en"),
        payer=payer,
        order=order,
        valid_from=valid_from,
        valid_to=valid_to,
        share_percent=100 if share is None else share,
        cap_cents=cap,
        cap_shape=cap_shape,
        work_statuses=_codes(data, "work_statuses", WORK_STATUSES),
        routes=_codes(data, "routes", ROUTES),
        employer_sectors=sectors,
        municipalities=_codes(data, "municipalities", None),
        training_levels=_codes(data, "training_levels", TRAINING_LEVELS),
        provider_kinds=_codes(data, "provider_kinds", PROVIDER_KINDS),
        requires_benefit=_flag(data, "requires_benefit"),
        requires_labour_market_test=_flag(data, "requires_labour_market_test"),
        exclusive_group=_text(data, "exclusive_group", ""),
        fund_slug=fund_slug,
        how_to_apply_nl=_text(data, "how_to_apply_nl", ""),
        how_to_apply_en=_text(data, "how_to_apply_en", ""),
    )


def check_no_overlap(schemes: Iterable[Scheme]) -> None:
    """Two versions of one scheme may not both be valid on the same day."""
    by_key: dict[str, list[Scheme]] = {}
    for scheme in schemes:
        by_key.setdefault(scheme.key, []).append(scheme)
    for key, versions in by_key.items():
        versions.sort(key=lambda s: s.valid_from)
        for earlier, later in zip(versions, versions[1:], strict=False):
            if earlier.valid_to is None or earlier.valid_to >= later.valid_from:
                raise _invalid(
                    key,
                    f"versies {earlier.version} en {later.version} overlappen",
                    f"versions {earlier.version} and {later.version} overlap",
                )


# --- the facts and the result ------------------------------------------------------------


@dataclass(frozen=True)
class StackFacts:
    """What the rules need about one person and one training; no name, no BSN."""

    on: date
    cost_cents: int
    route: str = "individual"
    work_status: str | None = None
    municipality_code: str | None = None
    employer_municipality_code: str | None = None
    training_level: str | None = None
    provider_kind: str | None = None
    employer_sector: str | None = None
    employer_contribution_cents: int = 0
    receives_benefit: bool = False
    labour_market_test: str | None = None
    birth_date: date | None = None
    # Money this person already received this calendar year, per scheme key (other
    # applications): the yearly caps count it.
    used_this_year: Mapping[str, int] = field(default_factory=dict, hash=False)
    municipality_name: str | None = None
    employer_municipality_name: str | None = None

    def __post_init__(self) -> None:
        amounts = [self.cost_cents, self.employer_contribution_cents, *self.used_this_year.values()]
        if any(a < 0 for a in amounts):
            raise DomainError(
                "stack.invalid_facts",
                "Bedragen mogen niet negatief zijn.",
                "Amounts must not be negative.",
            )
        if self.cost_cents < 1:
            raise DomainError(
                "stack.invalid_facts",
                "Vul de kosten van de opleiding in.",
                "Enter the cost of the training.",
            )
        checks: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
            ("route", self.route, ROUTES),
            ("work_status", self.work_status, WORK_STATUSES),
            ("training_level", self.training_level, TRAINING_LEVELS),
            ("provider_kind", self.provider_kind, PROVIDER_KINDS),
            ("employer_sector", self.employer_sector, SECTORS),
            ("labour_market_test", self.labour_market_test, LABOUR_MARKET_RESULTS),
        )
        for name, value, allowed in checks:
            if value is not None and value not in allowed:
                raise DomainError(
                    "stack.invalid_facts",
                    f"Onbekende waarde voor {name}: {value}.",
                    f"Unknown value for {name}: {value}.",
                )

    def used(self, key: str) -> int:
        """Money received from scheme `key` this calendar year before this training."""
        return int(self.used_this_year.get(key, 0))


@dataclass(frozen=True)
class StackPart:
    """What one scheme pays, and why (one outcome per rule)."""

    scheme: Scheme
    amount_cents: int
    outcomes: tuple[RuleOutcome, ...]

    @property
    def applies(self) -> bool:
        """No rule failed (some may not be known yet)."""
        return all(o.passed is not False for o in self.outcomes)

    @property
    def conditional(self) -> bool:
        """It applies, but only if the facts not yet known turn out right."""
        return self.applies and any(o.passed is None for o in self.outcomes)

    @property
    def unknown(self) -> bool:
        """It might apply, but a fact asked now is missing: it pays nothing until known."""
        return self.conditional and self.amount_cents == 0

    def to_dict(self) -> dict[str, Any]:
        """JSON-storable form (also the API's)."""
        return {
            "scheme": self.scheme.key,
            "version": self.scheme.version,
            "kind": self.scheme.kind,
            "name_nl": self.scheme.name_nl,
            "name_en": self.scheme.name_en,
            "payer": self.scheme.payer,
            "amount_cents": self.amount_cents,
            "applies": self.applies,
            "conditional": self.conditional,
            "unknown": self.unknown,
            "how_to_apply_nl": self.scheme.how_to_apply_nl,
            "how_to_apply_en": self.scheme.how_to_apply_en,
            "outcomes": [o.to_dict() for o in self.outcomes],
        }


@dataclass(frozen=True)
class Stack:
    """Every scheme offered on the day, in the order they pay, with what each pays."""

    facts: StackFacts
    parts: tuple[StackPart, ...]

    @property
    def total_cents(self) -> int:
        """Always the cost: the person pays what is left."""
        return sum(p.amount_cents for p in self.parts)

    @property
    def own_cents(self) -> int:
        """What the person still pays (the own contribution part)."""
        return sum(p.amount_cents for p in self.parts if p.scheme.kind == "own_contribution")

    def part(self, key: str) -> StackPart | None:
        """The part of scheme `key`, if it is offered."""
        return next((p for p in self.parts if p.scheme.key == key), None)

    def paying(self) -> tuple[StackPart, ...]:
        """The parts that pay something."""
        return tuple(p for p in self.parts if p.amount_cents > 0)

    def cofinancing(self) -> list[dict[str, Any]]:
        """What others pay besides the regional funds, as an application stores it."""
        return [
            {"payer": p.scheme.payer, "amount_cents": p.amount_cents, "scheme": p.scheme.key}
            for p in self.paying()
            if p.scheme.payer != "fund"
        ]

    def to_dict(self) -> dict[str, Any]:
        """JSON-storable form (also the API's)."""
        return {
            "on": self.facts.on.isoformat(),
            "cost_cents": self.facts.cost_cents,
            "own_cents": self.own_cents,
            "parts": [p.to_dict() for p in self.parts],
        }


# --- the rules ---------------------------------------------------------------------------


def _out(rule_id: str, passed: bool | None, reason_nl: str, reason_en: str) -> RuleOutcome:
    return RuleOutcome(rule_id=rule_id, passed=passed, reason_nl=reason_nl, reason_en=reason_en)


def _sector_nl(code: str) -> str:
    return _SECTOR_WORDS.get(code, (code, code))[0]


def _sector_en(code: str) -> str:
    return _SECTOR_WORDS.get(code, (code, code))[1]


def _listing(codes: Iterable[str], words: Callable[[str], str]) -> str:
    return ", ".join(words(c) for c in codes)


def _rule_validity(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    return _out(
        "validity",
        True,
        f"De regeling geldt {scheme.period_nl()}.",
        f"The scheme applies {scheme.period_en()}.",
    )


def _rule_work_status(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    allowed_nl = _listing(scheme.work_statuses, code_nl)
    allowed_en = _listing(scheme.work_statuses, code_en)
    if facts.work_status is None:
        return _out(
            "work_status",
            None,
            f"De werksituatie is nog niet bekend (de regeling is voor: {allowed_nl}).",
            f"The work status is not known yet (the scheme is for: {allowed_en}).",
        )
    if facts.work_status in scheme.work_statuses:
        return _out(
            "work_status",
            True,
            f"Werksituatie {code_nl(facts.work_status)}: past bij de regeling.",
            f"Work status {code_en(facts.work_status)}: fits the scheme.",
        )
    return _out(
        "work_status",
        False,
        f"Werksituatie {code_nl(facts.work_status)}: de regeling is alleen voor {allowed_nl}.",
        f"Work status {code_en(facts.work_status)}: the scheme is only for {allowed_en}.",
    )


def _rule_route(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    ok = facts.route in scheme.routes
    return _out(
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
    if code is None:
        return _out(
            "region", None, "De gemeente is nog niet bekend.", "The municipality is not known yet."
        )
    ok = code in scheme.municipalities
    where = name or code
    return _out(
        "region",
        ok,
        f"{who_nl} in {where}: {'binnen' if ok else 'buiten'} het werkgebied van de regeling.",
        f"{who_en} in {where}: {'inside' if ok else 'outside'} the scheme's area.",
    )


def _rule_employer_sector(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    sectors_nl = _listing(scheme.employer_sectors, _sector_nl)
    sectors_en = _listing(scheme.employer_sectors, _sector_en)
    if facts.employer_sector is None:
        return _out(
            "employer_sector",
            None,
            f"De sector van de werkgever is nog niet bekend (de regeling is voor {sectors_nl}).",
            f"The employer's sector is not known yet (the scheme is for {sectors_en}).",
        )
    ok = facts.employer_sector in scheme.employer_sectors
    return _out(
        "employer_sector",
        ok,
        f"De werkgever hoort bij {_sector_nl(facts.employer_sector)}; "
        f"de regeling is voor {sectors_nl}.",
        f"The employer is in {_sector_en(facts.employer_sector)}; the scheme is for {sectors_en}.",
    )


def _rule_benefit(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    if facts.receives_benefit:
        return _out(
            "benefit",
            True,
            "De aanvrager heeft een uitkering (WW of bijstand).",
            "The applicant receives a benefit (unemployment or social assistance).",
        )
    return _out(
        "benefit",
        False,
        "De regeling is alleen voor mensen met een uitkering (WW of bijstand).",
        "The scheme is only for people who receive a benefit.",
    )


def _rule_training_level(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    if facts.training_level is None:
        return _out(
            "training_level",
            None,
            "Het niveau van de opleiding is nog niet bekend.",
            "The level of the training is not known yet.",
        )
    if facts.training_level in scheme.training_levels:
        return _out(
            "training_level",
            True,
            f"Niveau {code_nl(facts.training_level)}: past bij de regeling.",
            f"Level {code_en(facts.training_level)}: fits the scheme.",
        )
    return _out(
        "training_level",
        False,
        f"Niveau {code_nl(facts.training_level)}: de regeling betaalt alleen "
        f"{_listing(scheme.training_levels, code_nl)}.",
        f"Level {code_en(facts.training_level)}: the scheme only pays "
        f"{_listing(scheme.training_levels, code_en)}.",
    )


def _rule_provider(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    if facts.provider_kind is None:
        return _out(
            "provider", None, "De opleider is nog niet gekozen.", "No provider has been chosen yet."
        )
    if facts.provider_kind in scheme.provider_kinds:
        return _out(
            "provider",
            True,
            f"De erkenning van de opleider ({code_nl(facts.provider_kind)}) telt voor deze "
            "regeling.",
            f"The provider's recognition ({code_en(facts.provider_kind)}) counts for this scheme.",
        )
    return _out(
        "provider",
        False,
        f"De erkenning van de opleider ({code_nl(facts.provider_kind)}) telt niet voor deze "
        f"regeling (wel: {_listing(scheme.provider_kinds, code_nl)}).",
        f"The provider's recognition ({code_en(facts.provider_kind)}) does not count for this "
        f"scheme (it accepts: {_listing(scheme.provider_kinds, code_en)}).",
    )


def _rule_labour_market_test(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    result = facts.labour_market_test
    if result is None:
        return _out(
            "labour_market_test",
            None,
            "De regeling vraagt een opleiding met kans op werk; de arbeidsmarkttoets is nog "
            "niet gedaan.",
            "The scheme requires job prospects; the labour-market test has not been done yet.",
        )
    ok = result in ("listed", "motivated")
    return _out(
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
        return _out(
            "employer_contribution",
            True,
            f"De werkgever zegt {format_cents_nl(amount)} toe.",
            f"The employer commits {format_cents_en(amount)}.",
        )
    return _out(
        "employer_contribution",
        False,
        "De werkgever betaalt (nog) niet mee.",
        "The employer does not contribute (yet).",
    )


def scheme_cap_left(scheme: Scheme, used_cents: int) -> int | None:
    """What is left of the scheme's cap for this person (None: no cap)."""
    if scheme.cap_cents is None:
        return None
    if scheme.cap_shape == "per_application":
        return scheme.cap_cents
    if scheme.cap_shape == "once_per_year":
        return 0 if used_cents > 0 else scheme.cap_cents
    return max(0, scheme.cap_cents - used_cents)


def _rule_cap(scheme: Scheme, facts: StackFacts) -> RuleOutcome:
    cap = scheme.cap_cents or 0
    used = facts.used(scheme.key)
    left = scheme_cap_left(scheme, used) or 0
    if scheme.cap_shape == "once_per_year":
        if left == 0:
            return _out(
                "cap",
                False,
                f"Eén keer per kalenderjaar, tot {format_cents_nl(cap)}: "
                f"dit jaar al gebruikt ({format_cents_nl(used)}).",
                f"Once per calendar year, up to {format_cents_en(cap)}: "
                f"already used this year ({format_cents_en(used)}).",
            )
        return _out(
            "cap",
            True,
            f"Eén keer per kalenderjaar, tot {format_cents_nl(cap)}; dit jaar nog niet gebruikt.",
            f"Once per calendar year, up to {format_cents_en(cap)}; not used yet this year.",
        )
    if scheme.cap_shape == "per_person_per_year":
        if left == 0:
            return _out(
                "cap",
                False,
                f"Het maximum van {format_cents_nl(cap)} per persoon per kalenderjaar is al "
                "bereikt.",
                f"The maximum of {format_cents_en(cap)} per person per calendar year is reached.",
            )
        return _out(
            "cap",
            True,
            f"Nog {format_cents_nl(left)} over van {format_cents_nl(cap)} per persoon per "
            "kalenderjaar.",
            f"{format_cents_en(left)} left of {format_cents_en(cap)} per person per calendar year.",
        )
    return _out(
        "cap",
        True,
        f"Hoogstens {format_cents_nl(cap)} per aanvraag.",
        f"At most {format_cents_en(cap)} per application.",
    )


def _rule_exclusive(scheme: Scheme, paid_by: Mapping[str, StackPart]) -> RuleOutcome:
    other = paid_by.get(scheme.exclusive_group)
    if other is None:
        return _out(
            "exclusive",
            True,
            "Geen andere regeling uit dezelfde groep betaalt mee.",
            "No other scheme of the same group pays.",
        )
    return _out(
        "exclusive",
        False,
        f"Niet samen met {other.scheme.name_nl}, die al meebetaalt.",
        f"Not together with {other.scheme.name_en}, which already pays.",
    )


def share_limit_cents(cost_cents: int, percent: int) -> int:
    """`percent` % of the cost, rounded down to the cent (a scheme never pays more)."""
    return cost_cents * percent // 100


def _amount_outcome(
    amount: int, limits: Sequence[tuple[int, str, str]], remaining: int
) -> RuleOutcome:
    parts_nl = [f"{label_nl} ({format_cents_nl(v)})" for v, label_nl, _ in limits]
    parts_en = [f"{label_en} ({format_cents_en(v)})" for v, _, label_en in limits]
    parts_nl.append(f"wat nog te betalen is ({format_cents_nl(remaining)})")
    parts_en.append(f"what is still to be paid ({format_cents_en(remaining)})")
    if remaining == 0:
        return _out(
            "amount",
            True,
            "Er is niets meer over om te betalen.",
            "Nothing is left to be paid.",
        )
    return _out(
        "amount",
        True,
        f"Betaalt {format_cents_nl(amount)}: het laagste van {', '.join(parts_nl)}.",
        f"Pays {format_cents_en(amount)}: the least of {', '.join(parts_en)}.",
    )


def _other_part(
    scheme: Scheme, facts: StackFacts, paid: int, paid_by: Mapping[str, StackPart]
) -> StackPart:
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
        outcomes.append(_rule_exclusive(scheme, paid_by))
    if any(
        o.passed is False or (o.passed is None and o.rule_id not in LATER_RULES) for o in outcomes
    ):
        return StackPart(scheme=scheme, amount_cents=0, outcomes=tuple(outcomes))
    cost = facts.cost_cents
    remaining = cost - paid
    limits: list[tuple[int, str, str]] = []
    if scheme.share_percent < 100:
        limits.append(
            (
                share_limit_cents(cost, scheme.share_percent),
                f"{scheme.share_percent} % van de kosten",
                f"{scheme.share_percent} % of the cost",
            )
        )
    cap_left = scheme_cap_left(scheme, facts.used(scheme.key))
    if cap_left is not None:
        limits.append((cap_left, "het maximum dat over is", "the cap left"))
    if scheme.kind == "employer":
        limits.append(
            (facts.employer_contribution_cents, "wat de werkgever toezegt", "the employer's offer")
        )
    amount = max(0, min([remaining, *(v for v, _, _ in limits)]))
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
    counted = sum(amount for payer, amount in parts_before if payer in payers)
    need = -(-cost_cents * share // 100)  # rounded up: counted * 100 >= share * cost
    if share == 0:
        by_share = cost_cents - before
    elif "applicant" in payers:
        by_share = cost_cents - need - (before - counted)
    else:
        by_share = cost_cents - before if counted >= need else 0
    return max(0, min(cap_left_cents(policy, used_cents), cost_cents - before, by_share))


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
        extra.append(_rule_exclusive(scheme, paid_by))
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
    amount_outcome = _out("amount", True, nl_text, en_text)
    return StackPart(
        scheme=scheme, amount_cents=amount, outcomes=(*outcomes, *extra, amount_outcome)
    )


OWN_CONTRIBUTION = Scheme(
    key="eigen-bijdrage",
    version="ingebouwd",
    kind="own_contribution",
    name_nl="Eigen bijdrage",
    name_en="Own contribution",
    payer="applicant",
    order=1000,
    valid_from=date(2000, 1, 1),
)


def _own_part(scheme: Scheme, rest: int) -> StackPart:
    if rest == 0:
        outcome = _out("rest", True, "U hoeft zelf niets te betalen.", "You pay nothing yourself.")
    else:
        outcome = _out(
            "rest",
            True,
            f"U betaalt zelf wat overblijft: {format_cents_nl(rest)}.",
            f"You pay what is left yourself: {format_cents_en(rest)}.",
        )
    return StackPart(scheme=scheme, amount_cents=rest, outcomes=(outcome,))


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

"""Financing schemes as data: the vocabulary, a scheme, the facts and the stack (pure).

A scheme is one payer's rules: whom and which training it serves, its share of the cost,
its cap and its validity dates. The facts describe one person and one training; the stack is
what each scheme offered on the day pays, with one outcome per rule (`RuleOutcome`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from scholingsfonds.core.domain import vocabulary
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_date_en, format_date_nl
from scholingsfonds.core.domain.rules import (
    LABOUR_MARKET_RESULTS,
    RuleOutcome,
    require_amounts,
    require_known,
)

KINDS = vocabulary.SCHEME_KINDS.codes()
# What a part counts as in a regional fund's co-financing rule (the policy's payers), or the
# regional fund itself.
PAYERS = (*vocabulary.PAYERS.codes(), "fund")
# Who a scheme of each kind counts as; the kinds not named pay as themselves (an employer's
# scheme counts as the employer).
_PAYER_OF_KIND = {
    "sector_fund": "oo_fund",
    "national_budget": "applicant",
    "regional_fund": "fund",
    "own_contribution": "applicant",
}
DEFAULT_PAYER = {kind: _PAYER_OF_KIND.get(kind, kind) for kind in KINDS}
ROUTES = vocabulary.ROUTES.codes()
WORK_STATUSES = vocabulary.WORK_STATUSES.codes()
SECTORS = vocabulary.SECTORS.codes()
TRAINING_LEVELS = vocabulary.TRAINING_LEVELS.codes()
PROVIDER_KINDS = vocabulary.PROVIDER_KINDS.codes()


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


# What the person pays when no own-contribution scheme is offered: always last.
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
        require_amounts(
            "stack.invalid_facts",
            [self.cost_cents, self.employer_contribution_cents, *self.used_this_year.values()],
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
            require_known(
                "stack.invalid_facts", value, allowed, f"waarde voor {name}", f"value for {name}"
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

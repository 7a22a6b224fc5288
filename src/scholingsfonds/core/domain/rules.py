"""Rule primitives: the checks a fund's eligibility and the schemes' stacking share (pure).

A rule judges one fact and gives a `RuleOutcome`: passed, failed, or not known yet (None),
with the reason in Dutch and English. The two rule sets (`applications/domain/eligibility.py`
for a fund's policy, `advising/domain/schemes/` for the other payers) word their reasons for
their own readers, but they decide with the primitives below, so a share, a cap or a
labour-market test is computed the same way wherever it is asked.

Money is in integer cents; a share of the cost is never rounded in the payer's favour.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, overload

from scholingsfonds.core.domain import vocabulary
from scholingsfonds.core.domain.errors import DomainError

# --- the outcome of one rule ------------------------------------------------------------------


@dataclass(frozen=True)
class RuleOutcome:
    """Result of one rule; `passed` is None while the facts are not yet known."""

    rule_id: str
    passed: bool | None
    reason_nl: str
    reason_en: str

    def to_dict(self) -> dict[str, Any]:
        """JSON-storable form."""
        return {
            "rule_id": self.rule_id,
            "passed": self.passed,
            "reason_nl": self.reason_nl,
            "reason_en": self.reason_en,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> RuleOutcome:
        """Read back what `to_dict` wrote."""
        passed = data.get("passed")
        rule_id, nl, en = data.get("rule_id"), data.get("reason_nl"), data.get("reason_en")
        if (
            not isinstance(rule_id, str)
            or not isinstance(nl, str)
            or not isinstance(en, str)
            or not (passed is None or isinstance(passed, bool))
        ):
            raise DomainError(
                "eligibility.invalid_outcome",
                "Ongeldige opgeslagen regeluitkomst.",
                "Invalid stored rule outcome.",
            )
        return cls(rule_id=rule_id, passed=passed, reason_nl=nl, reason_en=en)


def outcome(rule_id: str, passed: bool | None, reason_nl: str, reason_en: str) -> RuleOutcome:
    """One rule's outcome with its reason in both languages."""
    return RuleOutcome(rule_id=rule_id, passed=passed, reason_nl=reason_nl, reason_en=reason_en)


# --- facts --------------------------------------------------------------------------------------


def require_amounts(error_code: str, amounts: Iterable[int | None]) -> None:
    """Refuse (DomainError `error_code`) a negative amount among the facts; None is unknown."""
    if any(a is not None and a < 0 for a in amounts):
        raise DomainError(
            error_code, "Bedragen mogen niet negatief zijn.", "Amounts must not be negative."
        )


def require_known(
    error_code: str, value: str | None, allowed: Collection[str], what_nl: str, what_en: str
) -> None:
    """Refuse (DomainError `error_code`) a code outside `allowed`; None is not known yet."""
    if value is not None and value not in allowed:
        raise DomainError(
            error_code, f"Onbekende {what_nl}: {value}.", f"Unknown {what_en}: {value}."
        )


def among(value: str | None, allowed: Collection[str]) -> bool | None:
    """Whether `value` is one of `allowed`; None while it is not known yet."""
    if value is None:
        return None
    return value in allowed


# The advisor's labour-market test (Twents Fonds ordinance art. 4): the training leads to an
# occupation on the regional list of promising occupations, or the advisor motivated its
# prospects; otherwise it failed.
LABOUR_MARKET_RESULTS = vocabulary.LABOUR_MARKET_RESULTS.codes()


def labour_market_passed(result: str | None) -> bool | None:
    """A listed or motivated occupation passes, a failed test fails; None: not done yet."""
    if result is None:
        return None
    return result in ("listed", "motivated")


# --- shares of the cost -------------------------------------------------------------------------


def share_cents(cost_cents: int, percent: int) -> int:
    """`percent` % of `cost_cents`, rounded down to the cent (a payer never pays more)."""
    if cost_cents < 0 or percent < 0:
        raise ValueError("cost_cents and percent must not be negative")
    return cost_cents * percent // 100


def share_needed_cents(cost_cents: int, percent: int) -> int:
    """The least amount that makes `percent` % of `cost_cents` (rounded up to the cent)."""
    if cost_cents < 0 or percent < 0:
        raise ValueError("cost_cents and percent must not be negative")
    return -(-cost_cents * percent // 100)


def share_reached(counted_cents: int, cost_cents: int, percent: int) -> bool:
    """Whether `counted_cents` is at least `percent` % of the cost, compared exactly."""
    # counted / cost >= percent / 100, in integers: no rounding either way.
    return counted_cents * 100 >= percent * cost_cents


def counted_cents(parts: Iterable[tuple[str, int]], payers: Collection[str]) -> int:
    """The money of the (payer, amount) parts whose payer counts towards a share."""
    return sum(amount for payer, amount in parts if payer in payers)


def payable_cents(*limits: int) -> int:
    """The least of the limits (what is left to pay, a cap, a share), never below zero."""
    return max(0, min(limits))


# --- caps ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CapShape:
    """How a maximum amount counts: per grant, or per person per calendar year."""

    code: str
    label_nl: str
    label_en: str
    # The money this person already received this calendar year counts against the cap.
    yearly: bool = False
    # At most one payment per calendar year, whatever its amount.
    once: bool = False


# One vocabulary for the stored codes. A fund's policy grants vouchers ("per_voucher"); a
# scheme pays applications ("per_application"); both cap grants one by one in the same way.
CAP_SHAPES: dict[str, CapShape] = {
    shape.code: shape
    for shape in (
        CapShape("per_voucher", "per cheque", "per voucher"),
        CapShape("per_application", "per aanvraag", "per application"),
        CapShape(
            "per_person_per_year",
            "per persoon per kalenderjaar",
            "per person per calendar year",
            yearly=True,
        ),
        CapShape(
            "once_per_year",
            "één keer per kalenderjaar",
            "once per calendar year",
            yearly=True,
            once=True,
        ),
    )
}
# The shapes a fund's policy (policies/*.toml) and a scheme (policies/schemes/*.toml) may use.
POLICY_CAP_SHAPES = ("per_person_per_year", "per_voucher")
SCHEME_CAP_SHAPES = ("per_application", "per_person_per_year", "once_per_year")


@overload
def left_under_cap(shape: str, cap_cents: int, used_cents: int) -> int: ...
@overload
def left_under_cap(shape: str, cap_cents: None, used_cents: int) -> None: ...
@overload
def left_under_cap(shape: str, cap_cents: int | None, used_cents: int) -> int | None: ...
def left_under_cap(shape: str, cap_cents: int | None, used_cents: int) -> int | None:
    """What is left of a cap for this person, given what they got this year (None: no cap).

    A yearly cap counts granted minus released money (settled reading "Cap", docs/domain.md).
    """
    if cap_cents is None:
        return None
    counts = CAP_SHAPES[shape]
    if counts.once:
        return 0 if used_cents > 0 else cap_cents
    if counts.yearly:
        return max(0, cap_cents - used_cents)
    return cap_cents

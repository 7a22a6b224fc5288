"""Splitting money by weight to the cent, e.g. the municipalities' risk by population."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


def split_by_weight(total_cents: int, weights: Mapping[K, int]) -> dict[K, int]:
    """Split `total_cents` in proportion to the weights, exact to the cent.

    Every share is first rounded down; the cents that leaves go one each to the largest
    remainders (ties: the first key in the mapping), so the shares sum exactly to the total
    and no share differs more than one cent from its exact value.
    """
    if total_cents < 0:
        raise ValueError("total_cents must not be negative")
    if not weights:
        raise ValueError("at least one weight is needed")
    if any(w < 0 for w in weights.values()):
        raise ValueError("weights must not be negative")
    weight_sum = sum(weights.values())
    if weight_sum == 0:
        raise ValueError("the weights must not all be zero")
    keys = list(weights)
    shares = {k: total_cents * weights[k] // weight_sum for k in keys}
    left = total_cents - sum(shares.values())
    by_remainder = sorted(
        range(len(keys)),
        key=lambda i: (-((total_cents * weights[keys[i]]) % weight_sum), i),
    )
    for i in by_remainder[:left]:
        shares[keys[i]] += 1
    return shares


@dataclass(frozen=True)
class RiskShare:
    """One municipality's share: of the population and of the money at risk."""

    key: str
    population: int
    population_share: Fraction
    amount_cents: int


@dataclass(frozen=True)
class RiskSplit:
    """The split, or the municipalities whose population is not known (then no split)."""

    shares: tuple[RiskShare, ...]
    missing: tuple[str, ...]

    @property
    def complete(self) -> bool:
        return not self.missing


def risk_split(total_cents: int, populations: Mapping[str, int | None]) -> RiskSplit:
    """Each municipality carries the money at risk in proportion to its population.

    Without every population there is no honest split: the missing ones are named instead.
    """
    missing = tuple(k for k, p in populations.items() if p is None or p <= 0)
    if missing or not populations:
        return RiskSplit(shares=(), missing=missing)
    known = {k: int(p) for k, p in populations.items() if p is not None}
    amounts = split_by_weight(total_cents, known)
    people = sum(known.values())
    return RiskSplit(
        shares=tuple(RiskShare(k, known[k], Fraction(known[k], people), amounts[k]) for k in known),
        missing=(),
    )

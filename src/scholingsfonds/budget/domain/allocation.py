"""Choose which funding sources pay for a grant, never spending beyond what funders committed."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_cents_en, format_cents_nl, format_date_nl


@dataclass(frozen=True)
class SourceView:
    """A funding source as the allocator sees it; empty routes/sectors mean "any"."""

    source_id: int
    name: str
    available_cents: int
    routes: tuple[str, ...]
    sectors: tuple[str, ...]
    period_start: date
    period_end: date
    restricted: bool
    order: int
    # Target groups by work situation (employee, job_seeker, zzp); empty means everyone.
    target_groups: tuple[str, ...] = ()


@dataclass(frozen=True)
class AllocationRequest:
    """An amount to be paid from the sources for one grant."""

    amount_cents: int
    route: str
    sector: str | None
    on_date: date
    target_group: str | None = None


@dataclass(frozen=True)
class AllocationLine:
    """Part of a grant paid from one source."""

    source_id: int
    amount_cents: int
    explanation_nl: str


def is_eligible(source: SourceView, request: AllocationRequest) -> bool:
    """Whether the source's earmarks and period allow it to pay this request."""
    if source.available_cents <= 0:
        return False
    if source.routes and request.route not in source.routes:
        return False
    # A sector earmark can only be met when the training's sector is known.
    if source.sectors and (request.sector is None or request.sector not in source.sectors):
        return False
    if source.target_groups and (
        request.target_group is None or request.target_group not in source.target_groups
    ):
        return False
    return source.period_start <= request.on_date <= source.period_end


def _sort_key(source: SourceView) -> tuple[bool, date, int, int]:
    # Earmarked money first (it can pay fewer things), then money that expires first,
    # so unrestricted and longer-running money stays free for later applications.
    return (not source.restricted, source.period_end, source.order, source.source_id)


def spending_order(sources: Iterable[SourceView]) -> list[int]:
    """Source ids in the order the allocation rule spends them.

    A voucher is paid in this order (earmarked and earlier-ending money is spent within its
    period first) and gives money back in the reverse order.
    """
    return [source.source_id for source in sorted(sources, key=_sort_key)]


def _explain(source: SourceView, amount: int, request: AllocationRequest) -> str:
    why: list[str] = []
    if source.routes:
        why.append(f"geoormerkt voor route {', '.join(source.routes)}")
    if source.sectors:
        why.append(f"geoormerkt voor sector {', '.join(source.sectors)}")
    if source.target_groups:
        why.append(f"geoormerkt voor doelgroep {', '.join(source.target_groups)}")
    if source.restricted and not why:
        why.append("geoormerkt budget gaat voor")
    why.append(f"loopt tot en met {format_date_nl(source.period_end)}")
    return f"{format_cents_nl(amount)} uit {source.name} ({'; '.join(why)})."


def allocate(
    request: AllocationRequest, sources: Iterable[SourceView]
) -> tuple[AllocationLine, ...]:
    """Split the amount greedily over the eligible sources; the lines always sum to the amount."""
    if request.amount_cents < 0:
        raise ValueError("amount_cents must not be negative")
    if request.amount_cents == 0:
        return ()
    eligible = sorted((s for s in sources if is_eligible(s, request)), key=_sort_key)
    total = sum(s.available_cents for s in eligible)
    if total < request.amount_cents:
        # Awb 4:25: above the subsidy ceiling the application must be refused; the fund never
        # spends more than the funders committed.
        raise DomainError(
            "budget.insufficient_funds",
            f"Het subsidieplafond is bereikt: er is nog {format_cents_nl(total)} beschikbaar "
            f"voor deze aanvraag, nodig is {format_cents_nl(request.amount_cents)}.",
            f"The subsidy ceiling has been reached: {format_cents_en(total)} is available "
            f"for this application, {format_cents_en(request.amount_cents)} is needed.",
        )
    lines: list[AllocationLine] = []
    remaining = request.amount_cents
    for source in eligible:
        if remaining == 0:
            break
        take = min(remaining, source.available_cents)
        lines.append(AllocationLine(source.source_id, take, _explain(source, take, request)))
        remaining -= take
    return tuple(lines)

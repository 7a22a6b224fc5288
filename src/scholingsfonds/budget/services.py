"""Writes to the budget ledger: every financial event is one balanced journal transaction.

Each service locks the affected source balances first (select_for_update on PostgreSQL; on
SQLite the IMMEDIATE transaction already holds the write lock), checks, posts, and updates the
derived balances in the same transaction. The CHECK constraints on SourceBalance are the last
line of defence against spending more than funders committed.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from django.db import transaction
from django.db.models import F

from scholingsfonds.budget.domain.allocation import (
    AllocationLine,
    AllocationRequest,
    SourceView,
    allocate,
    spending_order,
)
from scholingsfonds.budget.models import (
    FundingSource,
    JournalTransaction,
    Posting,
    SourceBalance,
    SourceClosure,
    SpendingCategory,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_cents_nl
from scholingsfonds.funds.models import Fund

# Which balance column an account kind moves (the pledge account is the funder's side).
_COLUMN = {
    "available": "available_cents",
    "claimed": "claimed_cents",
    "committed": "committed_cents",
    "paid": "paid_cents",
    "returned": "returned_cents",
    "carried": "carried_cents",
}


def _post(
    *,
    fund: Fund,
    kind: str,
    ref: str,
    memo: str,
    actor: Any,
    postings: Sequence[tuple[FundingSource, str, str, int]],
) -> JournalTransaction:
    """Write one journal transaction; postings are (source, account, ref, amount)."""
    if not postings:
        raise DomainError("ledger.empty", "Een boeking zonder regels is niet toegestaan.")
    if sum(amount for _, _, _, amount in postings) != 0:
        raise DomainError("ledger.unbalanced", "De boeking is niet in evenwicht.")
    tx = JournalTransaction.objects.create(
        fund=fund,
        kind=kind,
        ref=ref,
        memo=memo[:240],
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )
    Posting.objects.bulk_create(
        Posting(transaction=tx, source=source, account=account, ref=pref, amount_cents=amount)
        for source, account, pref, amount in postings
    )
    deltas: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for source, account, _, amount in postings:
        if account == "pledge":
            deltas[source.pk]["pledged_cents"] -= amount
        else:
            deltas[source.pk][_COLUMN[account]] += amount
        if kind == "release" and account == "available":
            deltas[source.pk]["released_cents"] += amount
    for source_id, columns in deltas.items():
        SourceBalance.objects.filter(source_id=source_id).update(
            **{column: F(column) + delta for column, delta in columns.items() if delta}
        )
    if kind == "release":
        _follow_closures(
            fund=fund,
            ref=ref,
            actor=actor,
            released={
                source.pk: amount
                for source, account, _, amount in postings
                if account == "available" and amount > 0
            },
        )
    return tx


def _follow_closures(*, fund: Fund, ref: str, actor: Any, released: dict[int, int]) -> None:
    """Money released on a closed source follows the close decision at once.

    An expiry, a lower final invoice or a recovery after the close would otherwise sit as
    available money on a source nobody may spend from; it goes back to the funder or on to
    the next period's source, each time in its own transaction with the voucher's reference.
    """
    if not released:
        return
    closures = SourceClosure.objects.filter(
        source_id__in=released, approved_at__isnull=False
    ).select_related("source", "carry_to")
    for closure in closures:
        budget_close_out(
            closure=closure,
            amount_cents=released[closure.source_id],
            ref=ref,
            actor=actor,
            memo=f"Na afsluiting vrijgevallen ({ref})",
        )


def budget_close_out(
    *, closure: SourceClosure, amount_cents: int, ref: str, actor: Any, memo: str
) -> JournalTransaction | None:
    """Move `amount_cents` of a closed source's available money as its closure decides.

    Runs inside the caller's transaction, which holds the source's balance lock.
    """
    if amount_cents <= 0:
        return None
    source = closure.source
    target = closure.carry_to
    # A target that has been closed itself keeps nothing available: carried money would be
    # stranded there, so what is released later goes back to the funder instead.
    target_closed = (
        target is not None
        and SourceClosure.objects.filter(source=target, approved_at__isnull=False).exists()
    )
    # Both ways the money leaves the closed source's available account; a carry-over books it
    # in on the next source as a pledge, so each source balances on its own.
    postings: list[tuple[FundingSource, str, str, int]] = [(source, "available", "", -amount_cents)]
    if closure.decision == SourceClosure.Decision.CARRY_OVER and target and not target_closed:
        kind, where = "carry_over", f"{source.name} → {target.name} ({closure.consent_reference})"
        postings += [
            (source, "carried", "", amount_cents),
            (target, "pledge", "", -amount_cents),
            (target, "available", "", amount_cents),
        ]
    else:
        kind, where = "return", f"terug naar {source.funder}"
        postings.append((source, "returned", "", amount_cents))
    return _post(
        fund=source.fund,
        kind=kind,
        ref=ref,
        memo=f"{memo}: {where}"[:240],
        actor=actor,
        postings=postings,
    )


def _lock_balances(source_ids: Iterable[int]) -> dict[int, SourceBalance]:
    # A fixed lock order (by id) keeps two concurrent grants from deadlocking.
    return {
        balance.source_id: balance
        for balance in SourceBalance.objects.select_for_update()
        .filter(source_id__in=sorted(set(source_ids)))
        .order_by("source_id")
    }


def source_create(
    *,
    fund: Fund,
    name: str,
    funder: str,
    category: str,
    pledged_cents: int,
    period_start: date,
    period_end: date,
    routes: Sequence[str] = (),
    sectors: Sequence[str] = (),
    target_groups: Sequence[str] = (),
    restricted: bool = False,
    order: int = 0,
    note: str = "",
    actor: Any = None,
) -> FundingSource:
    """Register a funder's pledge and post it to the journal as available money."""
    with transaction.atomic():
        source = FundingSource.objects.create(
            fund=fund,
            name=name,
            funder=funder,
            category=category,
            routes=list(routes),
            sectors=list(sectors),
            target_groups=list(target_groups),
            period_start=period_start,
            period_end=period_end,
            restricted=restricted,
            order=order,
            note=note,
        )
        SourceBalance.objects.create(source=source)
        if pledged_cents:
            _post(
                fund=fund,
                kind="pledge",
                ref="",
                memo=f"Toezegging {funder}",
                actor=actor,
                postings=[
                    (source, "pledge", "", -pledged_cents),
                    (source, "available", "", pledged_cents),
                ],
            )
        return source


def _view(balance: SourceBalance) -> SourceView:
    return _source_view(balance.source, balance.available_cents)


def _source_view(source: FundingSource, available_cents: int) -> SourceView:
    return SourceView(
        source_id=source.pk,
        name=source.name,
        available_cents=available_cents,
        routes=tuple(source.routes),
        sectors=tuple(source.sectors),
        period_start=source.period_start,
        period_end=source.period_end,
        restricted=source.restricted,
        order=source.order,
        target_groups=tuple(source.target_groups),
    )


def payment_split(committed: dict[int, int], amount_cents: int) -> list[tuple[FundingSource, int]]:
    """How a payment is spread over what a voucher holds per source: the first-allocated first.

    `committed` is `committed_by_source` of the voucher. The payment run's books show this
    split before the payment is posted, so both must come from here.
    """
    parts = []
    left = amount_cents
    for source in sources_in_spending_order(committed):
        take = min(committed[source.pk], left)
        if take:
            parts.append((source, take))
            left -= take
    return parts


def sources_in_spending_order(source_ids: Iterable[int]) -> list[FundingSource]:
    """The sources in the order the allocation rule spends them (see `spending_order`)."""
    sources = FundingSource.objects.in_bulk(list(source_ids))
    order = spending_order(_source_view(source, 0) for source in sources.values())
    return [sources[source_id] for source_id in order]


def _allocate_locked(
    fund: Fund,
    amount_cents: int,
    route: str,
    sector: str | None,
    on_date: date,
    target_group: str | None = None,
) -> tuple[tuple[AllocationLine, ...], dict[int, FundingSource]]:
    # The fund's voucher balances with their sources, locked in one query in the same order
    # as _lock_balances (by source id), so two concurrent grants cannot deadlock.
    balances = list(
        SourceBalance.objects.select_for_update(of=("self",))
        .select_related("source")
        .filter(source__fund=fund, source__category=SpendingCategory.VOUCHERS)
        .order_by("source_id")
    )
    lines = allocate(
        AllocationRequest(
            amount_cents=amount_cents,
            route=route,
            sector=sector,
            on_date=on_date,
            target_group=target_group,
        ),
        [_view(balance) for balance in balances],
    )
    return lines, {balance.source_id: balance.source for balance in balances}


def budget_claim(
    *,
    fund: Fund,
    application_ref: str,
    amount_cents: int,
    route: str,
    sector: str | None,
    on_date: date,
    actor: Any,
    target_group: str | None = None,
) -> tuple[AllocationLine, ...]:
    """Reserve an application's requested amount (available → claimed), in order of receipt.

    Runs inside the caller's transaction, which holds the window lock, so claims follow the
    receipt numbers. Raises budget.insufficient_funds when the ceiling is reached.
    """
    lines, by_id = _allocate_locked(fund, amount_cents, route, sector, on_date, target_group)
    postings: list[tuple[FundingSource, str, str, int]] = []
    for line in lines:
        postings.append((by_id[line.source_id], "available", "", -line.amount_cents))
        postings.append((by_id[line.source_id], "claimed", application_ref, line.amount_cents))
    _post(
        fund=fund,
        kind="claim",
        ref=application_ref,
        memo="Claim in volgorde van ontvangst",
        actor=actor,
        postings=postings,
    )
    return lines


def claimed_by_source(*, application_ref: str) -> dict[int, int]:
    """What an application still holds as a claim, per source."""
    totals: dict[int, int] = defaultdict(int)
    for source_id, amount in Posting.objects.filter(
        ref=application_ref, account="claimed"
    ).values_list("source_id", "amount_cents"):
        totals[source_id] += amount
    return {source_id: amount for source_id, amount in totals.items() if amount}


def budget_release_claim(*, fund: Fund, application_ref: str, actor: Any, memo: str) -> int:
    """Give an application's whole claim back to the same sources (refusal, withdrawal)."""
    remaining = claimed_by_source(application_ref=application_ref)
    if not remaining:
        return 0
    _lock_balances(remaining)
    remaining = claimed_by_source(application_ref=application_ref)
    sources = FundingSource.objects.in_bulk(remaining)
    postings: list[tuple[FundingSource, str, str, int]] = []
    for source_id, amount in sorted(remaining.items()):
        postings.append((sources[source_id], "claimed", application_ref, -amount))
        postings.append((sources[source_id], "available", "", amount))
    _post(fund=fund, kind="release", ref=application_ref, memo=memo, actor=actor, postings=postings)
    return sum(remaining.values())


def budget_commit_voucher(
    *,
    fund: Fund,
    voucher_ref: str,
    amount_cents: int,
    route: str,
    sector: str | None,
    on_date: date,
    actor: Any,
    claim_ref: str | None = None,
    target_group: str | None = None,
) -> tuple[AllocationLine, ...]:
    """Commit a grant's money from the fund's voucher sources, split by the allocation rule.

    With a claim (first-come-first-served), the claim pays first, source by source, and what
    the grant does not need returns to available. Must run inside the caller's transaction
    (the grant), so that the voucher and its money appear together or not at all.
    """
    claim = claimed_by_source(application_ref=claim_ref) if claim_ref else {}
    if claim:
        _lock_balances(claim)
        claim = claimed_by_source(application_ref=claim_ref or "")
        postings: list[tuple[FundingSource, str, str, int]] = []
        lines: list[AllocationLine] = []
        left = amount_cents
        for source in sources_in_spending_order(claim):
            held = claim[source.pk]
            take = min(held, left)
            left -= take
            if take:
                postings.append((source, "claimed", claim_ref or "", -take))
                postings.append((source, "committed", voucher_ref, take))
                lines.append(
                    AllocationLine(
                        source_id=source.pk,
                        amount_cents=take,
                        explanation_nl=f"{format_cents_nl(take)} uit {source.name}: het geld "
                        "dat bij ontvangst van de aanvraag in volgorde van binnenkomst voor "
                        "deze aanvraag is gereserveerd.",
                    )
                )
            if held - take:
                postings.append((source, "claimed", claim_ref or "", -(held - take)))
                postings.append((source, "available", "", held - take))
        _post(
            fund=fund,
            kind="commit",
            ref=voucher_ref,
            memo="Toekenning uit claim",
            actor=actor,
            postings=postings,
        )
        if left == 0:
            return tuple(lines)
        # The claim fell short (the cap moved): the rest comes from available money.
        amount_cents = left
        extra = budget_commit_voucher(
            fund=fund,
            voucher_ref=voucher_ref,
            amount_cents=amount_cents,
            route=route,
            sector=sector,
            on_date=on_date,
            actor=actor,
            target_group=target_group,
        )
        return (*lines, *extra)
    lines_, by_id = _allocate_locked(fund, amount_cents, route, sector, on_date, target_group)
    postings = []
    for line in lines_:
        postings.append((by_id[line.source_id], "available", "", -line.amount_cents))
        postings.append((by_id[line.source_id], "committed", voucher_ref, line.amount_cents))
    _post(
        fund=fund,
        kind="commit",
        ref=voucher_ref,
        memo="Toekenning scholingscheque",
        actor=actor,
        postings=postings,
    )
    return lines_


def committed_by_source(*, voucher_ref: str) -> dict[int, int]:
    """What is still committed to one voucher, per source."""
    totals: dict[int, int] = defaultdict(int)
    for source_id, amount in Posting.objects.filter(
        ref=voucher_ref, account="committed"
    ).values_list("source_id", "amount_cents"):
        totals[source_id] += amount
    return {source_id: amount for source_id, amount in totals.items() if amount}


def budget_release_voucher(
    *, fund: Fund, voucher_ref: str, amount_cents: int | None, actor: Any, memo: str
) -> int:
    """Give committed money back to the same sources (expiry, cancellation, lower invoice)."""
    if amount_cents is not None and amount_cents <= 0:
        raise DomainError("budget.amount_not_positive", "Het bedrag moet hoger zijn dan € 0,00.")
    with transaction.atomic():
        remaining = committed_by_source(voucher_ref=voucher_ref)
        _lock_balances(remaining)
        remaining = committed_by_source(voucher_ref=voucher_ref)
        to_release = sum(remaining.values()) if amount_cents is None else amount_cents
        if to_release > sum(remaining.values()):
            raise DomainError(
                "budget.release_too_large", "Er is minder vastgelegd dan u vrijgeeft."
            )
        postings: list[tuple[FundingSource, str, str, int]] = []
        # Back to the last-allocated source first: unrestricted, longer-running money returns
        # first, and earmarked money stays spent within its period.
        left = to_release
        for source in reversed(sources_in_spending_order(remaining)):
            take = min(remaining[source.pk], left)
            if take <= 0:
                break
            left -= take
            postings.append((source, "committed", voucher_ref, -take))
            postings.append((source, "available", "", take))
        if postings:
            _post(
                fund=fund,
                kind="release",
                ref=voucher_ref,
                memo=memo,
                actor=actor,
                postings=postings,
            )
        return to_release


def budget_pay_voucher(
    *, fund: Fund, voucher_ref: str, amount_cents: int, actor: Any, memo: str
) -> None:
    """Move committed money to paid, the first-allocated source first.

    Earmarked and earlier-ending money is paid out first, so it is spent within its period;
    a lower final invoice then gives back the longer-running money (see the release).
    """
    if amount_cents <= 0:
        # A negative payment would move paid money back into the commitment unseen.
        raise DomainError("budget.amount_not_positive", "Het bedrag moet hoger zijn dan € 0,00.")
    with transaction.atomic():
        remaining = committed_by_source(voucher_ref=voucher_ref)
        _lock_balances(remaining)
        remaining = committed_by_source(voucher_ref=voucher_ref)
        if amount_cents > sum(remaining.values()):
            raise DomainError("budget.payment_too_large", "Het bedrag is hoger dan wat vastligt.")
        postings: list[tuple[FundingSource, str, str, int]] = []
        for source, take in payment_split(remaining, amount_cents):
            postings.append((source, "committed", voucher_ref, -take))
            postings.append((source, "paid", voucher_ref, take))
        _post(fund=fund, kind="pay", ref=voucher_ref, memo=memo, actor=actor, postings=postings)

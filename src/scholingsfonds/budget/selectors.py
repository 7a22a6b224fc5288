"""Reads of the budget: balances per source and the full recount behind ledger_check."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum

from scholingsfonds.budget.domain.ledger import PLEDGE_PARTS
from scholingsfonds.budget.models import (
    FundingSource,
    JournalTransaction,
    Posting,
    SourceBalance,
    SourceClosure,
    SpendingCategory,
)
from scholingsfonds.funds.models import Fund


def source_balances(*, fund: Fund) -> list[dict[str, Any]]:
    rows = []
    for source in FundingSource.objects.filter(fund=fund).select_related("balance"):
        balance = source.balance
        rows.append({"source": source, "balance": balance})
    return rows


def voucher_money_available_cents(*, fund: Fund) -> int:
    """What the fund's voucher sources still have free (not claimed, committed or paid)."""
    return (
        SourceBalance.objects.filter(
            source__fund=fund, source__category=SpendingCategory.VOUCHERS
        ).aggregate(total=Sum("available_cents"))["total"]
        or 0
    )


def ledger_recount(*, fund: Fund | None = None) -> dict[str, Any]:
    """Recompute every balance from the journal and compare with the stored ones."""
    problems: list[str] = []
    transactions = JournalTransaction.objects.all()
    postings = Posting.objects.all()
    sources = FundingSource.objects.all()
    if fund is not None:
        transactions = transactions.filter(fund=fund)
        postings = postings.filter(source__fund=fund)
        sources = sources.filter(fund=fund)

    unbalanced = (
        postings.values("transaction_id").annotate(total=Sum("amount_cents")).exclude(total=0)
    )
    for row in unbalanced[:50]:
        problems.append(f"transaction {row['transaction_id']} sums to {row['total']}, not 0")
    empty = transactions.annotate(n=Count("postings")).filter(n=0).count()
    if empty:
        problems.append(f"{empty} transactions without postings")

    recount: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in postings.values("source_id", "account").annotate(total=Sum("amount_cents")):
        recount[row["source_id"]][row["account"]] = row["total"]
    released: dict[int, int] = defaultdict(int)
    for row in (
        postings.filter(transaction__kind="release", account="available")
        .values("source_id")
        .annotate(total=Sum("amount_cents"))
    ):
        released[row["source_id"]] = row["total"]

    closed = set(
        SourceClosure.objects.filter(approved_at__isnull=False).values_list("source_id", flat=True)
    )
    for source in sources:
        counted = recount[source.pk]
        pledged = -counted["pledge"]
        expected = {
            "pledged_cents": pledged,
            "available_cents": counted["available"],
            "claimed_cents": counted["claimed"],
            "committed_cents": counted["committed"],
            "paid_cents": counted["paid"],
            "released_cents": released[source.pk],
            "returned_cents": counted["returned"],
            "carried_cents": counted["carried"],
        }
        stored = SourceBalance.objects.filter(source=source).values(*expected).first()
        if stored is None:
            problems.append(f"source {source.pk} has no balance row")
            continue
        for column, value in expected.items():
            if stored[column] != value:
                problems.append(
                    f"source {source.pk} {column}: stored {stored[column]}, journal {value}"
                )
        if any(expected[c] < 0 for c in expected):
            problems.append(f"source {source.pk} has a negative balance")
        parts = sum(expected[f"{kind}_cents"] for kind in PLEDGE_PARTS)
        if pledged != parts:
            problems.append(f"source {source.pk}: pledged {pledged} != parts {parts}")
        # A closed source keeps nothing available: what is released after the close follows
        # the close decision in the same transaction.
        if source.pk in closed and expected["available_cents"] != 0:
            problems.append(
                f"source {source.pk} is closed but has {expected['available_cents']} available"
            )
        if source.pk not in closed and (expected["returned_cents"] or expected["carried_cents"]):
            problems.append(f"source {source.pk} returned or carried money without a close")

    vouchers = _check_vouchers(fund, postings, problems)
    return {
        "balanced": not problems,
        "transactions": transactions.count(),
        "sources": sources.count(),
        "vouchers": vouchers,
        "problems": problems,
    }


def _check_vouchers(fund: Fund | None, postings: Any, problems: list[str]) -> int:
    """Per voucher: committed = granted - paid - released, and never negative."""
    # Imported here: vouchers is a higher layer; the check reads it, the ledger never writes it.
    from django.apps import apps

    voucher_model = apps.get_model("vouchers", "Voucher")
    vouchers = voucher_model.objects.all()
    if fund is not None:
        vouchers = vouchers.filter(fund=fund)
    flows: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        postings.exclude(ref="")
        .values("ref", "transaction__kind", "account")
        .annotate(total=Sum("amount_cents"))
    ):
        flows[row["ref"]][f"{row['transaction__kind']}:{row['account']}"] += row["total"]
    count = 0
    for code, amount in vouchers.values_list("code", "amount_cents"):
        count += 1
        flow = flows.get(code, {})
        granted = flow.get("commit:committed", 0)
        paid = flow.get("pay:paid", 0)
        released = -flow.get("release:committed", 0)
        committed = sum(v for k, v in flow.items() if k.endswith(":committed"))
        if granted != amount:
            problems.append(f"voucher {code}: amount {amount} but {granted} committed in journal")
        if committed != granted - paid - released:
            problems.append(f"voucher {code}: committed {committed} != granted-paid-released")
        if committed < 0:
            problems.append(f"voucher {code}: negative commitment")
    return count


# --- Reads for the finance screens (payments app) --------------------------------------

# Which posting of which transaction kind is "voucher money moving", and under what name:
# what a grant committed, what redemption paid, what a release took back out of a
# commitment, and what a recovery (terugvordering) took back out of what was paid.
# (transaction kind, account) -> flow.
VOUCHER_FLOWS = {
    ("commit", "committed"): "commit",
    ("pay", "paid"): "pay",
    ("release", "committed"): "release",
    ("release", "paid"): "recover",
}
# A release and a recovery take money out of their account: that leg is negative.
_OUTGOING = {"release", "recover"}


def voucher_flows(
    *,
    source_ids: Iterable[int],
    start: datetime | None = None,
    end: datetime | None = None,
) -> list[dict[str, Any]]:
    """Voucher money per posting: flow (as `kind`), source, ref, positive amount, created_at.

    `start` is inclusive and `end` exclusive (both aware datetimes); None leaves that side open.
    """
    condition = Q()
    for kind, account in VOUCHER_FLOWS:
        condition |= Q(transaction__kind=kind, account=account)
    postings = Posting.objects.filter(condition, source_id__in=list(source_ids))
    if start is not None:
        postings = postings.filter(transaction__created_at__gte=start)
    if end is not None:
        postings = postings.filter(transaction__created_at__lt=end)
    rows = []
    for row in postings.values(
        "transaction__created_at",
        "transaction__kind",
        "account",
        "source_id",
        "ref",
        "amount_cents",
    ).order_by("transaction_id", "id"):
        flow = VOUCHER_FLOWS[(row["transaction__kind"], row["account"])]
        rows.append(
            {
                "created_at": row["transaction__created_at"],
                "kind": flow,
                "source_id": row["source_id"],
                "ref": row["ref"],
                "amount_cents": -row["amount_cents"] if flow in _OUTGOING else row["amount_cents"],
            }
        )
    return rows


def postings_for_ref(*, ref: str) -> QuerySet[Posting]:
    """Every posting of the transactions booked under one reference (a voucher code)."""
    return (
        Posting.objects.filter(transaction__ref=ref)
        .select_related("transaction", "source")
        .order_by("transaction__created_at", "transaction_id", "id")
    )


def source_balance_at(*, source: FundingSource, until: datetime) -> dict[str, int]:
    """The balances of one source recounted from the journal up to `until` (exclusive)."""
    totals: dict[str, int] = defaultdict(int)
    postings = Posting.objects.filter(source=source, transaction__created_at__lt=until)
    for row in postings.values("account").annotate(total=Sum("amount_cents")):
        totals[row["account"]] = row["total"]
    released = (
        postings.filter(transaction__kind="release", account="available").aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )
    return {
        "pledged_cents": -totals["pledge"],
        "available_cents": totals["available"],
        "claimed_cents": totals["claimed"],
        "committed_cents": totals["committed"],
        "paid_cents": totals["paid"],
        "released_cents": released,
        "returned_cents": totals["returned"],
        "carried_cents": totals["carried"],
    }


def source_postings_total(
    *, source: FundingSource, start: datetime, end: datetime
) -> dict[tuple[str, str], int]:
    """Sum of the source's postings in [start, end) per (transaction kind, account)."""
    return {
        (row["transaction__kind"], row["account"]): row["total"]
        for row in Posting.objects.filter(
            source=source, transaction__created_at__gte=start, transaction__created_at__lt=end
        )
        .values("transaction__kind", "account")
        .annotate(total=Sum("amount_cents"))
    }

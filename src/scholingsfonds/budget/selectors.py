"""Reads of the budget: balances per source and the full recount behind ledger_check."""

from collections import defaultdict
from typing import Any

from django.db.models import Count, Sum

from scholingsfonds.budget.models import FundingSource, JournalTransaction, Posting, SourceBalance
from scholingsfonds.funds.models import Fund


def source_balances(*, fund: Fund) -> list[dict[str, Any]]:
    rows = []
    for source in FundingSource.objects.filter(fund=fund).select_related("balance"):
        balance = source.balance
        rows.append({"source": source, "balance": balance})
    return rows


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
        if any(expected[c] < 0 for c in ("available_cents", "claimed_cents", "committed_cents")):
            problems.append(f"source {source.pk} has a negative balance")
        parts = sum(
            expected[c]
            for c in ("available_cents", "claimed_cents", "committed_cents", "paid_cents")
        )
        if pledged != parts:
            problems.append(f"source {source.pk}: pledged {pledged} != parts {parts}")

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

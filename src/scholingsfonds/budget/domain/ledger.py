"""In-memory double-entry budget ledger: the specification the database ledger mirrors."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_cents_en, format_cents_nl

# (kind, source_id, ref); ref is an application/voucher reference or "".
Account = tuple[str, int, str]

ACCOUNT_KINDS = ("pledge", "available", "claimed", "committed", "paid", "returned", "carried")
# Balances that must never go negative; "pledge" is the credit side and is negative by design.
# "returned" is money given back to the funder when its source closed; "carried" is money that
# left a closed source for a source of the next period (with the funder's written consent).
NON_NEGATIVE_KINDS = frozenset({"available", "claimed", "committed", "paid", "returned", "carried"})
# The parts a pledge is accounted for by: pledged = the sum of these, per source, always.
PLEDGE_PARTS = ("available", "claimed", "committed", "paid", "returned", "carried")
TRANSACTION_KINDS = ("pledge", "claim", "commit", "pay", "release", "return", "carry_over")


@dataclass(frozen=True)
class Posting:
    """One leg of a transaction; debit positive, credit negative."""

    account: Account
    amount_cents: int


@dataclass(frozen=True)
class Transaction:
    """A balanced set of postings."""

    kind: str
    postings: tuple[Posting, ...]
    ref: str


def _unbalanced(detail_nl: str, detail_en: str) -> DomainError:
    return DomainError(
        "ledger.unbalanced",
        f"Boeking niet in evenwicht: {detail_nl}",
        f"Unbalanced transaction: {detail_en}",
    )


def validate_transaction(tx: Transaction) -> None:
    """Raise unless the transaction is non-empty and sums to zero, per source too."""
    if not tx.postings:
        raise DomainError(
            "ledger.empty",
            "Een boeking zonder regels kan niet.",
            "A transaction needs at least one posting.",
        )
    for p in tx.postings:
        if p.account[0] not in ACCOUNT_KINDS:
            raise DomainError(
                "ledger.unknown_account",
                f"Onbekende rekening {p.account[0]}.",
                f"Unknown account kind {p.account[0]}.",
            )
    total = sum(p.amount_cents for p in tx.postings)
    if total != 0:
        raise _unbalanced(f"som is {total} cent", f"sum is {total} cents")
    # Money never moves between sources: earmarks and funder accountability depend on it.
    per_source: dict[int, int] = defaultdict(int)
    for p in tx.postings:
        per_source[p.account[1]] += p.amount_cents
    for source_id, amount in per_source.items():
        if amount != 0:
            raise _unbalanced(
                f"bron {source_id} telt op tot {amount} cent",
                f"source {source_id} sums to {amount} cents",
            )


def _positive(amount: int) -> None:
    if amount <= 0:
        raise DomainError(
            "ledger.invalid_amount",
            "Een bedrag moet groter zijn dan nul.",
            "An amount must be greater than zero.",
        )


def _move(
    kind: str, ref: str, source_id: int, amount: int, src: Account, dst: Account
) -> Transaction:
    _positive(amount)
    return Transaction(kind, (Posting(src, -amount), Posting(dst, amount)), ref)


def pledge(source_id: int, amount: int) -> Transaction:
    """A funder commits money to a source: pledge (credit) → available."""
    return _move(
        "pledge", "", source_id, amount, ("pledge", source_id, ""), ("available", source_id, "")
    )


def claim(source_id: int, application_ref: str, amount: int) -> Transaction:
    """Reserve money for an application under consideration: available → claimed."""
    return _move(
        "claim",
        application_ref,
        source_id,
        amount,
        ("available", source_id, ""),
        ("claimed", source_id, application_ref),
    )


def commit(
    lines: Sequence[tuple[int, int]], voucher_ref: str, from_claim_ref: str | None
) -> Transaction:
    """A granted voucher binds money: available (or the claim) → committed, per source line."""
    if not lines:
        raise DomainError(
            "ledger.empty",
            "Een toekenning zonder bronregels kan niet.",
            "A commitment needs at least one source line.",
        )
    postings: list[Posting] = []
    for source_id, amount in lines:
        _positive(amount)
        src: Account = (
            ("claimed", source_id, from_claim_ref)
            if from_claim_ref is not None
            else ("available", source_id, "")
        )
        postings += [Posting(src, -amount), Posting(("committed", source_id, voucher_ref), amount)]
    return Transaction("commit", tuple(postings), voucher_ref)


def pay(source_id: int, voucher_ref: str, amount: int) -> Transaction:
    """Pay a provider on redemption: committed → paid."""
    return _move(
        "pay",
        voucher_ref,
        source_id,
        amount,
        ("committed", source_id, voucher_ref),
        ("paid", source_id, voucher_ref),
    )


def release(source_id: int, ref: str, amount: int, from_kind: str = "committed") -> Transaction:
    """Give money back (expiry, lower invoice, refusal): claim/commitment → available."""
    if from_kind not in ("committed", "claimed"):
        raise DomainError(
            "ledger.invalid_release",
            f"Vrijgeven kan niet uit {from_kind}.",
            f"Cannot release from {from_kind}.",
        )
    return _move(
        "release", ref, source_id, amount, (from_kind, source_id, ref), ("available", source_id, "")
    )


def give_back(source_id: int, ref: str, amount: int) -> Transaction:
    """A closed source returns money it no longer needs to its funder: available → returned."""
    return _move(
        "return", ref, source_id, amount, ("available", source_id, ""), ("returned", source_id, "")
    )


def carry_over(from_source_id: int, to_source_id: int, ref: str, amount: int) -> Transaction:
    """A closed source's money goes on in a source of the next period, with consent.

    The closed source books it out (available → carried); the next source books it in as a
    pledge (pledge → available). Each source balances on its own, so the per-source rule of
    `validate_transaction` still holds and every euro stays traceable to where it came from.
    """
    _positive(amount)
    if from_source_id == to_source_id:
        raise DomainError(
            "ledger.same_source",
            "Geld kan niet naar dezelfde bron worden overgeheveld.",
            "Money cannot be carried over to the same source.",
        )
    return Transaction(
        "carry_over",
        (
            Posting(("available", from_source_id, ""), -amount),
            Posting(("carried", from_source_id, ""), amount),
            Posting(("pledge", to_source_id, ""), -amount),
            Posting(("available", to_source_id, ""), amount),
        ),
        ref,
    )


class Ledger:
    """Posts validated transactions and keeps balances; refuses anything that overspends."""

    def __init__(self) -> None:
        self.transactions: list[Transaction] = []
        self._balances: dict[Account, int] = defaultdict(int)

    def post(self, tx: Transaction) -> None:
        """Validate and apply `tx`; leave the ledger unchanged when it is refused."""
        validate_transaction(tx)
        delta: dict[Account, int] = defaultdict(int)
        for p in tx.postings:
            delta[p.account] += p.amount_cents
        for account, change in delta.items():
            new = self._balances.get(account, 0) + change
            if account[0] in NON_NEGATIVE_KINDS and new < 0:
                have = self._balances.get(account, 0)
                raise DomainError(
                    "budget.insufficient_funds",
                    f"Onvoldoende saldo op {account[0]} van bron {account[1]}: er is "
                    f"{format_cents_nl(have)}, nodig is {format_cents_nl(-change)}.",
                    f"Insufficient balance on {account[0]} of source {account[1]}: "
                    f"{format_cents_en(have)} present, {format_cents_en(-change)} needed.",
                )
        for account, change in delta.items():
            self._balances[account] += change
        self.transactions.append(tx)

    def balance(self, kind: str, source_id: int, ref: str | None = None) -> int:
        """Balance in its natural sign (pledge as a positive amount); ref None = all refs."""
        raw = sum(
            amount
            for (k, s, r), amount in self._balances.items()
            if k == kind and s == source_id and (ref is None or r == ref)
        )
        return -raw if kind == "pledge" else raw

    def source_ids(self) -> tuple[int, ...]:
        """Every source that has postings."""
        return tuple(sorted({s for (_, s, _) in self._balances}))

    def check(self) -> list[str]:
        """Recompute everything from the transactions and list the invariant violations."""
        problems: list[str] = []
        recomputed: dict[Account, int] = defaultdict(int)
        for i, tx in enumerate(self.transactions):
            total = sum(p.amount_cents for p in tx.postings)
            if total != 0:
                problems.append(f"transaction {i} ({tx.kind}) sums to {total}")
            for p in tx.postings:
                recomputed[p.account] += p.amount_cents
        for account in set(recomputed) | set(self._balances):
            if recomputed.get(account, 0) != self._balances.get(account, 0):
                problems.append(f"balance of {account} differs from its transactions")
            if account[0] in NON_NEGATIVE_KINDS and recomputed.get(account, 0) < 0:
                problems.append(f"negative balance on {account}")
        for source_id in sorted({s for (_, s, _) in recomputed}):

            def bal(kind: str, source_id: int = source_id) -> int:
                return sum(v for (k, s, _), v in recomputed.items() if k == kind and s == source_id)

            pledged = -bal("pledge")
            spent = sum(bal(kind) for kind in PLEDGE_PARTS)
            if pledged != spent:
                problems.append(f"source {source_id}: pledged {pledged} != accounted {spent}")
        return problems

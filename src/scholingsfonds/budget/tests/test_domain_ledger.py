from collections.abc import Callable

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from scholingsfonds.budget.domain.ledger import (
    Ledger,
    Posting,
    Transaction,
    claim,
    commit,
    pay,
    pledge,
    release,
    validate_transaction,
)
from scholingsfonds.core.domain.errors import DomainError


def _funded(amount: int = 1_000_000, source_id: int = 1) -> Ledger:
    ledger = Ledger()
    ledger.post(pledge(source_id, amount))
    return ledger


def test_a_pledge_makes_money_available() -> None:
    ledger = _funded()
    assert ledger.balance("pledge", 1) == 1_000_000
    assert ledger.balance("available", 1) == 1_000_000
    assert ledger.check() == []


def test_a_voucher_moves_from_claim_to_commitment_to_payment() -> None:
    ledger = _funded()
    ledger.post(claim(1, "APP-1", 250000))
    ledger.post(commit([(1, 200000)], "V-1", from_claim_ref="APP-1"))
    ledger.post(release(1, "APP-1", 50000, from_kind="claimed"))
    ledger.post(pay(1, "V-1", 180000))
    ledger.post(release(1, "V-1", 20000))  # lower invoice: the rest flows back
    assert ledger.balance("claimed", 1) == 0
    assert ledger.balance("committed", 1, "V-1") == 0
    assert ledger.balance("paid", 1) == 180000
    assert ledger.balance("available", 1) == 820000
    assert ledger.check() == []


def test_a_commitment_can_span_several_sources() -> None:
    ledger = _funded(100000, 1)
    ledger.post(pledge(2, 100000))
    ledger.post(commit([(1, 100000), (2, 50000)], "V-2", from_claim_ref=None))
    assert ledger.balance("committed", 1, "V-2") == 100000
    assert ledger.balance("committed", 2, "V-2") == 50000
    assert ledger.check() == []


def test_overspending_is_refused_and_leaves_the_ledger_unchanged() -> None:
    ledger = _funded(100000)
    with pytest.raises(DomainError) as info:
        ledger.post(commit([(1, 100001)], "V-1", from_claim_ref=None))
    assert info.value.code == "budget.insufficient_funds"
    assert ledger.balance("available", 1) == 100000
    assert ledger.balance("committed", 1) == 0
    assert len(ledger.transactions) == 1


def test_paying_more_than_committed_is_refused() -> None:
    ledger = _funded()
    ledger.post(commit([(1, 1000)], "V-1", from_claim_ref=None))
    with pytest.raises(DomainError, match="insufficient_funds"):
        ledger.post(pay(1, "V-1", 1001))


def test_releasing_another_vouchers_money_is_refused() -> None:
    ledger = _funded()
    ledger.post(commit([(1, 1000)], "V-1", from_claim_ref=None))
    with pytest.raises(DomainError):
        ledger.post(release(1, "V-2", 500))


def test_an_unbalanced_transaction_is_refused() -> None:
    tx = Transaction("pledge", (Posting(("available", 1, ""), 100),), "")
    with pytest.raises(DomainError) as info:
        validate_transaction(tx)
    assert info.value.code == "ledger.unbalanced"


def test_money_cannot_move_between_sources_in_one_transaction() -> None:
    tx = Transaction(
        "claim", (Posting(("available", 1, ""), -100), Posting(("claimed", 2, "APP"), 100)), "APP"
    )
    with pytest.raises(DomainError) as info:
        validate_transaction(tx)
    assert info.value.code == "ledger.unbalanced"


def test_an_empty_transaction_is_refused() -> None:
    with pytest.raises(DomainError) as info:
        validate_transaction(Transaction("pledge", (), ""))
    assert info.value.code == "ledger.empty"


def test_builders_refuse_zero_and_negative_amounts() -> None:
    builders: list[Callable[[], Transaction]] = [
        lambda: pledge(1, 0),
        lambda: claim(1, "A", -5),
        lambda: pay(1, "V", 0),
        lambda: commit([(1, 0)], "V", None),
        lambda: commit([], "V", None),
    ]
    for build in builders:
        with pytest.raises(DomainError):
            build()


def test_release_only_from_claimed_or_committed() -> None:
    with pytest.raises(DomainError):
        release(1, "V-1", 100, from_kind="paid")


SOURCES = st.sampled_from([1, 2, 3])
REFS = st.sampled_from(["A", "B", "C"])
AMOUNTS = st.integers(min_value=1, max_value=50_000)


class LedgerMachine(RuleBasedStateMachine):
    """Random budget histories never break the ledger's invariants."""

    def __init__(self) -> None:
        super().__init__()
        self.ledger = Ledger()
        self.pledged: dict[int, int] = {}

    def _post(self, tx: Transaction) -> None:
        before = {
            k: self.ledger.balance(k, s)
            for k in ("available", "claimed", "committed", "paid")
            for s in (1, 2, 3)
        }
        n = len(self.ledger.transactions)
        try:
            self.ledger.post(tx)
        except DomainError as err:
            assert err.code == "budget.insufficient_funds"
            after = {
                k: self.ledger.balance(k, s)
                for k in ("available", "claimed", "committed", "paid")
                for s in (1, 2, 3)
            }
            assert before == after and len(self.ledger.transactions) == n

    @rule(source=SOURCES, amount=AMOUNTS)
    def do_pledge(self, source: int, amount: int) -> None:
        self.ledger.post(pledge(source, amount))
        self.pledged[source] = self.pledged.get(source, 0) + amount

    @rule(source=SOURCES, ref=REFS, amount=AMOUNTS)
    def do_claim(self, source: int, ref: str, amount: int) -> None:
        self._post(claim(source, f"APP-{ref}", amount))

    @rule(
        lines=st.lists(st.tuples(SOURCES, AMOUNTS), min_size=1, max_size=3),
        ref=REFS,
        from_claim=st.booleans(),
    )
    def do_commit(self, lines: list[tuple[int, int]], ref: str, from_claim: bool) -> None:
        self._post(commit(lines, f"V-{ref}", f"APP-{ref}" if from_claim else None))

    @rule(source=SOURCES, ref=REFS, amount=AMOUNTS)
    def do_pay(self, source: int, ref: str, amount: int) -> None:
        self._post(pay(source, f"V-{ref}", amount))

    @rule(source=SOURCES, ref=REFS, amount=AMOUNTS, claimed=st.booleans())
    def do_release(self, source: int, ref: str, amount: int, claimed: bool) -> None:
        kind = "claimed" if claimed else "committed"
        self._post(release(source, f"{'APP' if claimed else 'V'}-{ref}", amount, kind))

    @precondition(lambda self: bool(self.ledger.transactions))
    @rule(source=SOURCES, ref=REFS)
    def release_everything_of_a_voucher(self, source: int, ref: str) -> None:
        left = self.ledger.balance("committed", source, f"V-{ref}")
        if left:
            self.ledger.post(release(source, f"V-{ref}", left))
            assert self.ledger.balance("committed", source, f"V-{ref}") == 0

    @invariant()
    def ledger_check_finds_no_problems(self) -> None:
        assert self.ledger.check() == []

    @invariant()
    def pledged_money_is_all_accounted_for(self) -> None:
        for source in (1, 2, 3):
            total = sum(
                self.ledger.balance(k, source)
                for k in ("available", "claimed", "committed", "paid")
            )
            assert self.ledger.balance("pledge", source) == self.pledged.get(source, 0) == total

    @invariant()
    def no_balance_is_negative(self) -> None:
        for source in (1, 2, 3):
            for ref in ("", "APP-A", "APP-B", "APP-C", "V-A", "V-B", "V-C"):
                for kind in ("available", "claimed", "committed", "paid"):
                    assert self.ledger.balance(kind, source, ref) >= 0


LedgerMachine.TestCase.settings = settings(max_examples=150, stateful_step_count=40, deadline=None)
test_ledger_invariants_hold_for_random_histories = LedgerMachine.TestCase

"""Random histories through the real ledger services keep the database ledger consistent.

A hypothesis state machine drives budget_claim, budget_release_claim, the real grant path
(decision_grant / decision_approve, which commit money for a voucher), budget_pay_voucher,
budget_release_voucher and voucher_cancel against the database, mixed with attempts that
must be refused. After every step the database is compared with an independent tally kept
by the machine, and ledger_recount (what `manage.py ledger_check` prints) must find nothing.

Each hypothesis example runs inside its own atomic block that is rolled back in teardown, so
every example starts from the same clean database (funds, staff and a few complete
applications built once per test).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import FundingSource, Posting, SourceBalance
from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.budget.services import (
    budget_claim,
    budget_pay_voucher,
    budget_release_claim,
    budget_release_voucher,
    claimed_by_source,
    committed_by_source,
    source_create,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services import decision_approve, decision_grant
from scholingsfonds.vouchers.models import Voucher
from scholingsfonds.vouchers.services import voucher_cancel
from tests.factories import complete_application

COLUMNS = SourceBalance.AMOUNT_FIELDS
ADVICE_PLEDGE = 500_000

# Costs of the prepared applications; the grant is half (the other half is co-financing).
# 450_000 gives EUR 2,250, above Twente's four-eyes threshold: proposal, then approval.
APPLICATION_COSTS = (60_000, 150_000, 300_000, 400_000, 450_000)
FOUR_EYES_THRESHOLD = 200_000

ROUTES = st.sampled_from(["individual", "employer"])
SECTORS = st.sampled_from([None, "care & welfare", "ict"])
TARGET_GROUPS = st.sampled_from([None, "job_seeker", "employee"])
FREE_CLAIM_REFS = ("TW-CLAIM-A", "TW-CLAIM-B")
# What every prepared application asks for: route, training sector, work situation.
GRANT = ("individual", "care & welfare", "job_seeker")
# Enough for a few grants, one grant, part of one, or nothing at all, give or take some
# cents. (Plain integers would mostly give tiny pledges: hypothesis leans to small values.)
PLEDGES = st.builds(
    lambda base, cents: base and base + cents,
    st.sampled_from([800_000, 300_000, 120_000, 30_000, 0]),
    st.integers(min_value=0, max_value=9_999),
)
# Mostly what fits, sometimes more than any source holds.
CLAIMS = st.one_of(
    st.integers(min_value=1, max_value=100_000), st.integers(min_value=100_000, max_value=600_000)
)


# --- The machine's own tally: an independent oracle of what the services must do ----------


@dataclass
class ModelSource:
    pk: int
    routes: tuple[str, ...]
    sectors: tuple[str, ...]
    target_groups: tuple[str, ...]
    period_start: date
    period_end: date
    restricted: bool
    order: int
    balance: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))

    def eligible(self, route: str, sector: str | None, group: str | None, today: date) -> bool:
        # The published allocation rule: money left, every earmark met, inside its period.
        if self.balance["available_cents"] <= 0:
            return False
        if self.routes and route not in self.routes:
            return False
        if self.sectors and sector not in self.sectors:
            return False
        if self.target_groups and group not in self.target_groups:
            return False
        return self.period_start <= today <= self.period_end


@dataclass
class ModelApplication:
    pk: int
    reference: str
    amount: int
    state: str = "complete"  # complete | proposed | granted


@dataclass
class ModelVoucher:
    code: str
    amount: int
    committed: dict[int, int]
    paid: dict[int, int] = field(default_factory=dict)
    cancelled: bool = False

    @property
    def open_cents(self) -> int:
        return sum(self.committed.values())


@dataclass
class Tally:
    sources: dict[int, ModelSource] = field(default_factory=dict)
    claims: dict[str, dict[int, int]] = field(default_factory=dict)
    vouchers: dict[str, ModelVoucher] = field(default_factory=dict)

    def move(self, pk: int, column_from: str, column_to: str, amount: int) -> None:
        balance = self.sources[pk].balance
        balance[column_from] -= amount
        balance[column_to] += amount

    def spending_order(self, pks: Any) -> list[int]:
        """Earmarked money first, then what ends first: the order in which money is spent
        (allocated, taken from a claim, paid) and, reversed, given back."""
        return sorted(pks, key=lambda pk: self._key(self.sources[pk]))

    @staticmethod
    def _key(source: ModelSource) -> tuple[bool, date, int, int]:
        return (not source.restricted, source.period_end, source.order, source.pk)

    def allocate(
        self, amount: int, route: str, sector: str | None, group: str | None, today: date
    ) -> list[tuple[int, int]] | None:
        """Greedy over eligible sources, earmarked first, then soonest-ending; None = ceiling."""
        eligible = sorted(
            (s for s in self.sources.values() if s.eligible(route, sector, group, today)),
            key=self._key,
        )
        if sum(s.balance["available_cents"] for s in eligible) < amount:
            return None
        lines = []
        left = amount
        for source in eligible:
            if left == 0:
                break
            take = min(left, source.balance["available_cents"])
            lines.append((source.pk, take))
            left -= take
        return lines

    def claim(self, ref: str, lines: list[tuple[int, int]]) -> None:
        held = self.claims.setdefault(ref, {})
        for pk, amount in lines:
            self.move(pk, "available_cents", "claimed_cents", amount)
            held[pk] = held.get(pk, 0) + amount

    def release_claim(self, ref: str) -> int:
        held = self.claims.pop(ref, {})
        for pk, amount in held.items():
            self.move(pk, "claimed_cents", "available_cents", amount)
            self.sources[pk].balance["released_cents"] += amount
        return sum(held.values())

    def grant(
        self, ref: str, code: str, amount: int, route: str, sector: str, group: str, today: date
    ) -> bool:
        """The grant path: the claim pays first (in spending order), its surplus becomes
        available again (a commit, not a release), and any shortfall comes from available
        money."""
        committed: dict[int, int] = {}
        left = amount
        claim = self.claims.pop(ref, {})
        for pk in self.spending_order(claim):
            held = claim[pk]
            take = min(held, left)
            left -= take
            if take:
                self.move(pk, "claimed_cents", "committed_cents", take)
                committed[pk] = take
            if held - take:
                self.move(pk, "claimed_cents", "available_cents", held - take)
        if left:
            lines = self.allocate(left, route, sector, group, today)
            if lines is None:
                return False
            for pk, take in lines:
                self.move(pk, "available_cents", "committed_cents", take)
                committed[pk] = committed.get(pk, 0) + take
        self.vouchers[code] = ModelVoucher(code=code, amount=amount, committed=committed)
        return True

    def pay(self, code: str, amount: int) -> None:
        voucher = self.vouchers[code]
        left = amount
        for pk in self.spending_order(voucher.committed):
            take = min(voucher.committed[pk], left)
            if take:
                self.move(pk, "committed_cents", "paid_cents", take)
                voucher.committed[pk] -= take
                voucher.paid[pk] = voucher.paid.get(pk, 0) + take
                left -= take

    def release_voucher(self, code: str, amount: int) -> None:
        # The reverse of the spending order: longer-running, unrestricted money returns first.
        voucher = self.vouchers[code]
        left = amount
        for pk in reversed(self.spending_order(voucher.committed)):
            take = min(voucher.committed[pk], left)
            if take:
                self.move(pk, "committed_cents", "available_cents", take)
                self.sources[pk].balance["released_cents"] += take
                voucher.committed[pk] -= take
                left -= take


# --- The machine --------------------------------------------------------------------------


class LedgerServicesMachine(RuleBasedStateMachine):
    """Drives the database services; set `context` (fund, staff, applications) before use."""

    context: dict[str, Any] = {}

    def __init__(self) -> None:
        super().__init__()
        self.fund = self.context["fund"]
        self.staff = self.context["staff"]
        self.today = timezone.localdate()
        self.tally = Tally()
        self.applications = [
            ModelApplication(pk=a.pk, reference=a.reference, amount=cost // 2)
            for a, cost in self.context["applications"]
        ]
        self.advice: FundingSource | None = None
        # One atomic block per example, rolled back in teardown: a clean database each time.
        self._atomic = transaction.atomic()
        self._atomic.__enter__()

    def teardown(self) -> None:
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    # -- helpers ---------------------------------------------------------------------------

    def _refused(self, code: str, call: Any) -> None:
        """The call must raise DomainError(code) and leave the database as the tally says."""
        with pytest.raises(DomainError) as info:
            call()
        assert info.value.code == code, info.value

    def _add_source(self, name: str, pledge: int, **fields: Any) -> None:
        fields.setdefault("period_start", self.today - timedelta(days=300))
        source = source_create(
            fund=self.fund,
            name=name,
            funder="Regio",
            category="vouchers",
            pledged_cents=pledge,
            actor=self.staff["finance"],
            **fields,
        )
        model = ModelSource(
            pk=source.pk,
            routes=tuple(source.routes),
            sectors=tuple(source.sectors),
            target_groups=tuple(source.target_groups),
            period_start=source.period_start,
            period_end=source.period_end,
            restricted=source.restricted,
            order=source.order,
        )
        model.balance["pledged_cents"] = model.balance["available_cents"] = pledge
        self.tally.sources[source.pk] = model

    def _open_vouchers(self) -> list[str]:
        # In order of issue, not by code: codes are random, and hypothesis needs the same
        # draws to pick the same voucher when it replays an example.
        return [code for code, v in self.tally.vouchers.items() if v.open_cents > 0]

    # -- setup -----------------------------------------------------------------------------

    @initialize(
        pledges=st.tuples(PLEDGES, PLEDGES, PLEDGES, PLEDGES, PLEDGES),
        restricted=st.tuples(st.booleans(), st.booleans()),
        orders=st.tuples(*[st.integers(min_value=0, max_value=2)] * 4),
        ends=st.tuples(*[st.sampled_from([40, 200, 400])] * 4),
    )
    def create_sources(
        self,
        pledges: tuple[int, ...],
        restricted: tuple[bool, bool],
        orders: tuple[int, ...],
        ends: tuple[int, ...],
    ) -> None:
        day = self.today
        self._add_source(
            "Regio (vrij)",
            pledges[0],
            order=orders[0],
            restricted=restricted[0],
            period_end=day + timedelta(days=ends[0]),
        )
        self._add_source(
            "Werkgeversroute",
            pledges[1],
            routes=["employer"],
            restricted=True,
            order=orders[1],
            period_end=day + timedelta(days=ends[1]),
        )
        self._add_source(
            "Zorg",
            pledges[2],
            sectors=["care & welfare"],
            restricted=restricted[1],
            order=orders[2],
            period_end=day + timedelta(days=ends[2]),
        )
        self._add_source(
            "Werkzoekenden individueel",
            pledges[3],
            routes=["individual"],
            target_groups=["job_seeker"],
            order=orders[3],
            period_end=day + timedelta(days=ends[3]),
        )
        # Money whose period has ended never pays anything.
        self._add_source(
            "Verlopen",
            pledges[4],
            period_start=day - timedelta(days=400),
            period_end=day - timedelta(days=1),
        )
        # Non-voucher money that no claim or grant may ever touch.
        self.advice = source_create(
            fund=self.fund,
            name="Adviesgesprekken",
            funder="Regio",
            category="advice",
            pledged_cents=ADVICE_PLEDGE,
            period_start=day - timedelta(days=300),
            period_end=day + timedelta(days=400),
        )

    # -- claims ----------------------------------------------------------------------------

    @rule(
        data=st.data(),
        amount=CLAIMS,
        route=ROUTES,
        sector=SECTORS,
        group=TARGET_GROUPS,
    )
    def claim(
        self, data: Any, amount: int, route: str, sector: str | None, group: str | None
    ) -> None:
        refs = [*FREE_CLAIM_REFS, *(a.reference for a in self.applications)]
        ref = data.draw(st.sampled_from(refs), label="ref")
        expected = self.tally.allocate(amount, route, sector, group, self.today)
        # No savepoint around it: window_application_submit catches the refusal and carries
        # on in the same transaction, so a refused claim must not have written anything.
        call = lambda: budget_claim(  # noqa: E731
            fund=self.fund,
            application_ref=ref,
            amount_cents=amount,
            route=route,
            sector=sector,
            on_date=self.today,
            actor=self.staff["assessor"],
            target_group=group,
        )
        if expected is None:
            self._refused("budget.insufficient_funds", call)
            return
        lines = call()
        assert [(line.source_id, line.amount_cents) for line in lines] == expected
        self.tally.claim(ref, expected)

    @precondition(lambda self: any(a.state != "granted" for a in self.applications))
    @rule(data=st.data(), share=st.sampled_from([50, 100, 150]))
    def claim_for_an_application(self, data: Any, share: int) -> None:
        """As a first-come-first-served window does: claim what the grant will need (or a
        claim that turns out too small or too large by the time of the decision)."""
        app = data.draw(
            st.sampled_from([a for a in self.applications if a.state != "granted"]), label="app"
        )
        amount = app.amount * share // 100
        expected = self.tally.allocate(amount, *GRANT, self.today)
        call = lambda: budget_claim(  # noqa: E731
            fund=self.fund,
            application_ref=app.reference,
            amount_cents=amount,
            route=GRANT[0],
            sector=GRANT[1],
            on_date=self.today,
            actor=None,
            target_group=GRANT[2],
        )
        if expected is None:
            self._refused("budget.insufficient_funds", call)
            return
        assert [(line.source_id, line.amount_cents) for line in call()] == expected
        self.tally.claim(app.reference, expected)

    @rule(data=st.data())
    def release_claim(self, data: Any) -> None:
        refs = [*FREE_CLAIM_REFS, *(a.reference for a in self.applications)]
        ref = data.draw(st.sampled_from(refs), label="ref")
        released = budget_release_claim(
            fund=self.fund, application_ref=ref, actor=self.staff["assessor"], memo="ingetrokken"
        )
        assert released == self.tally.release_claim(ref)

    @rule(amount=st.sampled_from([0, -1, -100_000]))
    def claim_of_nothing_or_less_is_refused(self, amount: int) -> None:
        with pytest.raises((DomainError, ValueError)):
            budget_claim(
                fund=self.fund,
                application_ref=FREE_CLAIM_REFS[0],
                amount_cents=amount,
                route="individual",
                sector=None,
                on_date=self.today,
                actor=None,
            )

    # -- grants (commit) -------------------------------------------------------------------

    @rule(index=st.integers(min_value=0, max_value=len(APPLICATION_COSTS) - 1))
    def grant(self, index: int) -> None:
        """The real grant path; at the ceiling it must be refused and roll back entirely."""
        app = self.applications[index]
        application = Application.objects.get(pk=app.pk)
        assessor, second = self.staff["assessor"], self.staff["assessor2"]
        if app.state == "granted":
            self._refused(
                "decision.not_decidable",
                lambda: decision_grant(application=application, actor=assessor),
            )
            return
        # The voucher code is random, but which sources pay does not depend on it.
        fits = copy.deepcopy(self.tally).grant(app.reference, "?", app.amount, *GRANT, self.today)
        if app.state == "complete":
            if app.amount <= FOUR_EYES_THRESHOLD:
                if not fits:
                    self._refused(
                        "budget.insufficient_funds",
                        lambda: decision_grant(application=application, actor=assessor),
                    )
                    self._assert_not_granted(app, states.COMPLETE)
                    return
                decision = decision_grant(application=application, actor=assessor)
                assert decision.amount_cents == app.amount
                self._record_grant(app)
                return
            # Above the threshold nothing moves yet: a proposal waits for a second assessor.
            proposal = decision_grant(application=application, actor=assessor)
            assert (proposal.status, proposal.amount_cents) == ("proposed", app.amount)
            app.state = "proposed"
        proposal = Decision.objects.get(application_id=app.pk, status=Decision.Status.PROPOSED)
        if not fits:
            self._refused(
                "budget.insufficient_funds",
                lambda: decision_approve(decision=proposal, actor=second),
            )
            self._assert_not_granted(app, states.AWAITING_SECOND_APPROVAL)
            return
        decision_approve(decision=proposal, actor=second)
        self._record_grant(app)

    def _assert_not_granted(self, app: ModelApplication, state: str) -> None:
        assert not Voucher.objects.filter(application_id=app.pk).exists()
        assert Application.objects.get(pk=app.pk).state == state

    def _record_grant(self, app: ModelApplication) -> None:
        voucher = Voucher.objects.get(application_id=app.pk)
        assert voucher.amount_cents == app.amount
        assert self.tally.grant(app.reference, voucher.code, app.amount, *GRANT, self.today)
        assert Application.objects.get(pk=app.pk).state == states.GRANTED
        app.state = "granted"

    # -- payments and releases ---------------------------------------------------------------

    @precondition(lambda self: bool(self._open_vouchers()))
    @rule(data=st.data(), whole=st.booleans())
    def pay(self, data: Any, whole: bool) -> None:
        code = data.draw(st.sampled_from(self._open_vouchers()), label="voucher")
        open_cents = self.tally.vouchers[code].open_cents
        amount = open_cents if whole else data.draw(st.integers(1, open_cents), label="amount")
        budget_pay_voucher(
            fund=self.fund, voucher_ref=code, amount_cents=amount, actor=None, memo="factuur"
        )
        self.tally.pay(code, amount)

    @precondition(lambda self: bool(self.tally.vouchers))
    @rule(data=st.data(), extra=st.integers(min_value=1, max_value=100_000))
    def paying_more_than_committed_is_refused(self, data: Any, extra: int) -> None:
        code = data.draw(st.sampled_from(list(self.tally.vouchers)), label="voucher")
        amount = self.tally.vouchers[code].open_cents + extra
        self._refused(
            "budget.payment_too_large",
            lambda: budget_pay_voucher(
                fund=self.fund, voucher_ref=code, amount_cents=amount, actor=None, memo="x"
            ),
        )

    @precondition(lambda self: bool(self._open_vouchers()))
    @rule(data=st.data())
    def release_part_of_a_voucher(self, data: Any) -> None:
        code = data.draw(st.sampled_from(self._open_vouchers()), label="voucher")
        open_cents = self.tally.vouchers[code].open_cents
        amount = data.draw(st.integers(1, open_cents), label="amount")
        released = budget_release_voucher(
            fund=self.fund, voucher_ref=code, amount_cents=amount, actor=None, memo="lager"
        )
        assert released == amount
        self.tally.release_voucher(code, amount)

    @precondition(lambda self: bool(self.tally.vouchers))
    @rule(data=st.data(), through_cancel=st.booleans())
    def release_the_remainder_of_a_voucher(self, data: Any, through_cancel: bool) -> None:
        code = data.draw(st.sampled_from(list(self.tally.vouchers)), label="voucher")
        model = self.tally.vouchers[code]
        open_cents = model.open_cents
        if through_cancel:
            # The real voucher flow: only an open voucher can be given back.
            voucher = Voucher.objects.get(code=code)
            if model.cancelled:
                self._refused(
                    "voucher.not_open",
                    lambda: voucher_cancel(voucher=voucher, actor=None, reason="verhuisd"),
                )
                return
            voucher_cancel(voucher=voucher, actor=None, reason="verhuisd")
            voucher.refresh_from_db()
            assert voucher.state == Voucher.State.CANCELLED
            assert voucher.released_cents == open_cents
            model.cancelled = True
        else:
            released = budget_release_voucher(
                fund=self.fund, voucher_ref=code, amount_cents=None, actor=None, memo="rest"
            )
            assert released == open_cents
        self.tally.release_voucher(code, open_cents)

    @precondition(lambda self: bool(self.tally.vouchers))
    @rule(data=st.data(), extra=st.integers(min_value=1, max_value=100_000))
    def releasing_more_than_committed_is_refused(self, data: Any, extra: int) -> None:
        code = data.draw(st.sampled_from(list(self.tally.vouchers)), label="voucher")
        amount = self.tally.vouchers[code].open_cents + extra
        self._refused(
            "budget.release_too_large",
            lambda: budget_release_voucher(
                fund=self.fund, voucher_ref=code, amount_cents=amount, actor=None, memo="x"
            ),
        )

    # -- invariants --------------------------------------------------------------------------

    @invariant()
    def ledger_check_finds_no_problems(self) -> None:
        result = ledger_recount()
        assert result["balanced"] is True, "\n".join(result["problems"])
        assert result["vouchers"] == len(self.tally.vouchers)

    @invariant()
    def balances_are_never_negative_and_add_up(self) -> None:
        for row in SourceBalance.objects.filter(source__fund=self.fund).values(*COLUMNS):
            assert all(row[column] >= 0 for column in COLUMNS), row
            parts = sum(
                row[c]
                for c in ("available_cents", "claimed_cents", "committed_cents", "paid_cents")
            )
            assert row["pledged_cents"] == parts, row

    @invariant()
    def database_matches_the_tally(self) -> None:
        stored = {
            row.pop("source_id"): row
            for row in SourceBalance.objects.filter(source_id__in=self.tally.sources).values(
                "source_id", *COLUMNS
            )
        }
        assert stored == {pk: s.balance for pk, s in self.tally.sources.items()}
        for ref in {*FREE_CLAIM_REFS, *(a.reference for a in self.applications)}:
            held = {pk: n for pk, n in self.tally.claims.get(ref, {}).items() if n}
            assert claimed_by_source(application_ref=ref) == held, ref
        for code, voucher in self.tally.vouchers.items():
            open_ = {pk: n for pk, n in voucher.committed.items() if n}
            assert committed_by_source(voucher_ref=code) == open_, code
            paid = dict(
                Posting.objects.filter(ref=code, account="paid")
                .values_list("source_id")
                .annotate(total=Sum("amount_cents"))
            )
            assert paid == {pk: n for pk, n in voucher.paid.items() if n}, code

    @invariant()
    def non_voucher_money_is_never_touched(self) -> None:
        if self.advice is None:
            return
        balance = SourceBalance.objects.get(source=self.advice)
        assert (balance.pledged_cents, balance.available_cents) == (ADVICE_PLEDGE, ADVICE_PLEDGE)
        assert balance.claimed_cents == balance.committed_cents == balance.paid_cents == 0


@pytest.mark.django_db
def test_random_service_histories_keep_the_database_ledger_consistent(
    twente: Any, staff: dict[str, Any], provider: Any
) -> None:
    # Complete applications are expensive to build, so they are made once; each example's
    # grants happen inside its own rolled-back atomic block.
    applications = [
        (complete_application(twente, staff["advisor"], provider, cost_cents=cost), cost)
        for cost in APPLICATION_COSTS
    ]
    LedgerServicesMachine.context = {"fund": twente, "staff": staff, "applications": applications}
    try:
        run_state_machine_as_test(
            LedgerServicesMachine,
            settings=settings(
                max_examples=40,
                stateful_step_count=25,
                deadline=None,
                database=None,  # keep the repository free of a .hypothesis example store
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )
    finally:
        LedgerServicesMachine.context = {}

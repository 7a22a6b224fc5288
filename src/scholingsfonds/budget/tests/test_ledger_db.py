"""The ledger in the database: ledger_check, and concurrent grants that never over-commit."""

import json
import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.utils import timezone

from scholingsfonds.budget.models import SourceBalance
from scholingsfonds.budget.services import budget_release_voucher, source_create
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.decisions.services import decision_grant
from scholingsfonds.vouchers.models import Voucher
from tests.factories import complete_application


def ledger_check(*args: str) -> tuple[int, dict]:
    out = StringIO()
    try:
        call_command("ledger_check", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.django_db
def test_ledger_check_passes_after_grant_and_release(twente, staff, provider, budget):
    application = complete_application(twente, staff["advisor"], provider)
    decision_grant(application=application, actor=staff["assessor"])
    voucher = Voucher.objects.get()
    budget_release_voucher(
        fund=twente,
        voucher_ref=voucher.code,
        amount_cents=50_000,
        actor=staff["finance"],
        memo="lagere factuur",
    )
    code, result = ledger_check("--fund", "twente")
    assert code == 0
    assert result["balanced"] is True
    assert result["transactions"] == 3  # pledge, commit, release
    assert result["vouchers"] == 1
    balance = SourceBalance.objects.get(source=budget["twente"])
    assert balance.released_cents == 50_000
    assert balance.available_cents == 1_000_000 - 150_000 + 50_000


@pytest.mark.django_db
def test_ledger_check_reports_a_tampered_balance(twente, staff, provider, budget):
    SourceBalance.objects.filter(source=budget["twente"]).update(available_cents=1)
    code, result = ledger_check()
    assert code == 1
    assert result["balanced"] is False
    assert any("available_cents" in problem for problem in result["problems"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    "column", ["available_cents", "claimed_cents", "committed_cents", "paid_cents", "pledged_cents"]
)
def test_database_refuses_a_negative_balance(twente, budget, column):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        SourceBalance.objects.filter(source=budget["twente"]).update(**{column: -1})


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_grants_never_spend_more_than_the_funders_committed(funds, staff, provider):
    twente = funds["twente"]
    # Room for exactly five grants of EUR 1,500.
    source_create(
        fund=twente,
        name="Krap",
        funder="Regio",
        category="vouchers",
        pledged_cents=5 * 150_000 + 99_999,
        period_start=timezone.localdate() - timedelta(days=365),
        period_end=timezone.localdate() + timedelta(days=365),
    )
    applications = [complete_application(twente, staff["advisor"], provider) for _ in range(12)]
    granted: list[str] = []
    refused: list[str] = []
    barrier = threading.Barrier(len(applications))

    def grant(application):  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            decision_grant(application=application, actor=staff["assessor"])
            granted.append(application.reference)
        except DomainError as error:
            assert error.code == "budget.insufficient_funds"
            refused.append(application.reference)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=grant, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert connection.vendor == "postgresql"
    assert len(granted) == 5 and len(refused) == 7
    balance = SourceBalance.objects.get(source__name="Krap")
    assert balance.available_cents == 99_999
    assert balance.committed_cents == 5 * 150_000
    code, result = ledger_check()
    assert code == 0 and result["balanced"], result["problems"]


@pytest.mark.django_db
def test_payment_spends_earmarked_money_first_and_a_release_returns_the_rest_first(
    twente, staff, provider
):
    """A voucher of EUR 1,500 split over an earmarked source that ends sooner (EUR 500) and a
    general one (EUR 1,000): paying takes the earmarked money first, whatever the ids are;
    a lower final invoice gives back the general money, so nothing earmarked is released."""
    from scholingsfonds.budget.selectors import ledger_recount
    from scholingsfonds.budget.services import budget_pay_voucher

    # Created first, so it has the lower id: order by id would pay it first.
    today = timezone.localdate()
    general = source_create(
        fund=twente,
        name="Algemeen",
        funder="Regio",
        category="vouchers",
        pledged_cents=1_000_000,
        period_start=today - timedelta(days=365),
        period_end=today + timedelta(days=730),
    )
    earmarked = source_create(
        fund=twente,
        name="Oormerk",
        funder="Provincie",
        category="vouchers",
        pledged_cents=50_000,
        period_start=today - timedelta(days=365),
        period_end=today + timedelta(days=365),
        restricted=True,
    )
    application = complete_application(twente, staff["advisor"], provider)
    decision_grant(application=application, actor=staff["assessor"])
    code = Voucher.objects.get().code

    def balance(source):
        return SourceBalance.objects.get(source=source)

    assert (balance(earmarked).committed_cents, balance(general).committed_cents) == (
        50_000,
        100_000,
    )
    # The payment run's books show the split before it is posted: the same split.
    from scholingsfonds.payments.services import pay_split

    assert pay_split(voucher_ref=code, amount_cents=60_000) == [
        {"source_id": earmarked.pk, "amount_cents": 50_000},
        {"source_id": general.pk, "amount_cents": 10_000},
    ]
    budget_pay_voucher(fund=twente, voucher_ref=code, amount_cents=60_000, actor=None, memo="1")
    assert balance(earmarked).paid_cents == 50_000 and balance(general).paid_cents == 10_000
    released = budget_release_voucher(
        fund=twente, voucher_ref=code, amount_cents=None, actor=None, memo="lagere eindfactuur"
    )
    assert released == 90_000
    assert balance(earmarked).released_cents == 0
    assert balance(general).released_cents == 90_000
    assert ledger_recount()["balanced"]


@pytest.mark.django_db
@pytest.mark.parametrize("amount", [0, -50_000])
def test_a_payment_or_release_of_nothing_or_less_is_refused(
    twente, staff, provider, budget, amount
):
    """A negative payment would move paid money back into the commitment, unseen by the
    ledger check (every rule still holds); it is refused before anything is posted."""
    from scholingsfonds.budget.services import budget_pay_voucher

    application = complete_application(twente, staff["advisor"], provider)
    decision_grant(application=application, actor=staff["assessor"])
    code = Voucher.objects.get().code
    budget_pay_voucher(fund=twente, voucher_ref=code, amount_cents=100_000, actor=None, memo="1")
    before = SourceBalance.objects.values().get(source=budget["twente"])
    with pytest.raises(DomainError) as paying:
        budget_pay_voucher(fund=twente, voucher_ref=code, amount_cents=amount, actor=None, memo="")
    with pytest.raises(DomainError) as releasing:
        budget_release_voucher(
            fund=twente, voucher_ref=code, amount_cents=amount, actor=None, memo=""
        )
    assert paying.value.code == releasing.value.code == "budget.amount_not_positive"
    assert SourceBalance.objects.values().get(source=budget["twente"]) == before

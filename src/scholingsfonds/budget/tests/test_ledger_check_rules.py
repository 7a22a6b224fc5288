"""Every rule of ledger_recount / `manage.py ledger_check` fires on a tampered database.

The services never write such rows, so each test bypasses them (raw ORM writes) to break
exactly one rule, and asserts the exact problem list: a rule that stopped firing, or one
that fires for the wrong reason, both fail. Also: the admin cannot edit the journal, and
grants never draw on money that is not meant for vouchers.
"""

from __future__ import annotations

import json
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import F
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from scholingsfonds.accounts.models import User
from scholingsfonds.budget.models import (
    FundingSource,
    JournalTransaction,
    Posting,
    SourceBalance,
)
from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.budget.services import budget_claim, source_create
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.decisions.services import decision_grant
from scholingsfonds.vouchers.models import Voucher
from tests.factories import complete_application, window_data

pytestmark = pytest.mark.django_db

PLEDGE = 1_000_000  # what the `budget` fixture pledges per fund


def ledger_check(*args: str) -> tuple[int, dict[str, Any]]:
    """Run the command as cron does: the exit status and the JSON it printed."""
    out = StringIO()
    try:
        call_command("ledger_check", *args, stdout=out)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, json.loads(out.getvalue().strip().splitlines()[-1])


def assert_reported(expected: list[str], *args: str) -> None:
    """Both the selector and the command report exactly these problems, and fail."""
    result = ledger_recount()
    assert result["balanced"] is False
    assert sorted(result["problems"]) == sorted(expected)
    code, printed = ledger_check(*args)
    assert code == 1
    assert printed["balanced"] is False
    assert sorted(printed["problems"]) == sorted(expected)


def raw_transaction(fund: Any, kind: str, ref: str, *postings: tuple[Any, str, str, int]) -> Any:
    """A journal entry written straight to the tables, as no service would."""
    tx = JournalTransaction.objects.create(fund=fund, kind=kind, ref=ref, memo="handmatig")
    for source, account, pref, amount in postings:
        Posting.objects.create(
            transaction=tx, source=source, account=account, ref=pref, amount_cents=amount
        )
    return tx


def shift_stored(source: Any, **deltas: int) -> None:
    """Move the stored balance along with a tampered journal, so only one rule breaks."""
    SourceBalance.objects.filter(source=source).update(
        **{column: F(column) + delta for column, delta in deltas.items()}
    )


@pytest.fixture
def voucher(twente: Any, staff: dict[str, Any], provider: Any, budget: Any) -> Voucher:
    """A granted voucher of EUR 1,500 committed from the Twente source."""
    application = complete_application(twente, staff["advisor"], provider)
    decision_grant(application=application, actor=staff["assessor"])
    return Voucher.objects.get(application=application)


def test_the_untampered_ledger_passes(voucher: Voucher) -> None:
    # The baseline for every test below: the fixtures themselves leave nothing to report.
    assert ledger_recount()["problems"] == []
    code, result = ledger_check()
    assert (code, result["balanced"], result["problems"], result["vouchers"]) == (0, True, [], 1)


# --- the rules ------------------------------------------------------------------------------


def test_a_transaction_that_does_not_sum_to_zero(twente: Any, budget: Any) -> None:
    source = budget["twente"]
    pledge_tx = JournalTransaction.objects.get(fund=twente, kind="pledge")
    Posting.objects.filter(transaction=pledge_tx, account="available").update(
        amount_cents=F("amount_cents") + 5
    )
    shift_stored(source, available_cents=5)
    # Five cents that nobody pledged: the transaction does not balance, and (necessarily,
    # since a source's postings sum to parts - pledged) neither does the source.
    assert_reported(
        [
            f"transaction {pledge_tx.pk} sums to 5, not 0",
            f"source {source.pk}: pledged {PLEDGE} != parts {PLEDGE + 5}",
        ]
    )


def test_a_transaction_without_postings(twente: Any, budget: Any) -> None:
    JournalTransaction.objects.create(fund=twente, kind="pay", ref="TFV-LEEG-0001")
    JournalTransaction.objects.create(fund=twente, kind="commit", ref="TFV-LEEG-0002")
    assert_reported(["2 transactions without postings"])


@pytest.mark.parametrize(
    "column", ["pledged_cents", "claimed_cents", "committed_cents", "paid_cents", "released_cents"]
)
def test_a_stored_balance_that_differs_from_the_journal(budget: Any, column: str) -> None:
    # test_ledger_db.py covers available_cents; every other stored column is checked too.
    source = budget["twente"]
    journal = SourceBalance.objects.values_list(column, flat=True).get(source=source)
    shift_stored(source, **{column: 7})
    assert_reported([f"source {source.pk} {column}: stored {journal + 7}, journal {journal}"])


def test_a_negative_balance_in_the_journal(twente: Any, budget: Any) -> None:
    # A balanced entry that gives back a claim nobody made: claimed goes below zero.
    source = budget["twente"]
    raw_transaction(
        twente,
        "claim",
        "TW-NIEMAND",
        (source, "claimed", "TW-NIEMAND", -5),
        (source, "available", "", 5),
    )
    shift_stored(source, available_cents=5)
    # The stored balance cannot follow to -5 (the CHECK below), so it differs as well.
    assert_reported(
        [
            f"source {source.pk} claimed_cents: stored 0, journal -5",
            f"source {source.pk} has a negative balance",
        ]
    )


def test_pledged_differs_from_its_parts(twente: Any, budget: Any) -> None:
    # Every transaction balances, yet money moved from one source to another: the first
    # has more parts than it was pledged, the second fewer.
    general = budget["twente"]
    other = source_create(
        fund=twente,
        name="Provincie",
        funder="Provincie",
        category="vouchers",
        pledged_cents=200_000,
        period_start=budget["twente"].period_start,
        period_end=budget["twente"].period_end,
    )
    raw_transaction(
        twente, "commit", "", (general, "available", "", 5), (other, "available", "", -5)
    )
    shift_stored(general, available_cents=5)
    shift_stored(other, available_cents=-5)
    assert_reported(
        [
            f"source {general.pk}: pledged {PLEDGE} != parts {PLEDGE + 5}",
            f"source {other.pk}: pledged 200000 != parts 199995",
        ]
    )


def test_a_source_without_a_balance_row(twente: Any, budget: Any) -> None:
    orphan = FundingSource.objects.create(
        fund=twente,
        name="Zonder saldo",
        funder="Regio",
        category="vouchers",
        period_start=budget["twente"].period_start,
        period_end=budget["twente"].period_end,
    )
    assert_reported([f"source {orphan.pk} has no balance row"])


def test_a_voucher_whose_commitment_is_not_granted_minus_paid_minus_released(
    twente: Any, budget: Any, voucher: Voucher
) -> None:
    # Money committed to the voucher by an entry that is no grant, payment or release.
    source = budget["twente"]
    raw_transaction(
        twente,
        "claim",
        voucher.code,
        (source, "available", "", -5),
        (source, "committed", voucher.code, 5),
    )
    shift_stored(source, available_cents=-5, committed_cents=5)
    assert_reported(
        [f"voucher {voucher.code}: committed {voucher.amount_cents + 5} != granted-paid-released"]
    )


def test_a_voucher_whose_amount_differs_from_what_was_committed(voucher: Voucher) -> None:
    Voucher.objects.filter(pk=voucher.pk).update(amount_cents=F("amount_cents") + 100)
    assert_reported(
        [
            f"voucher {voucher.code}: amount {voucher.amount_cents + 100} but "
            f"{voucher.amount_cents} committed in journal"
        ]
    )


def test_a_voucher_paid_beyond_its_commitment(twente: Any, budget: Any, voucher: Voucher) -> None:
    # A payment of EUR 2,000 on a EUR 1,500 voucher, written past budget_pay_voucher.
    source = budget["twente"]
    raw_transaction(
        twente,
        "pay",
        voucher.code,
        (source, "committed", voucher.code, -200_000),
        (source, "paid", voucher.code, 200_000),
    )
    shift_stored(source, paid_cents=200_000)  # committed cannot follow below zero
    assert_reported(
        [
            f"source {source.pk} committed_cents: stored 150000, journal -50000",
            f"source {source.pk} has a negative balance",
            f"voucher {voucher.code}: negative commitment",
        ]
    )


def test_ledger_check_for_one_fund_sees_only_that_fund(funds: Any, budget: Any) -> None:
    shift_stored(budget["stedendriehoek"], released_cents=3)
    problem = f"source {budget['stedendriehoek'].pk} released_cents: stored 3, journal 0"
    code, result = ledger_check("--fund", "twente")
    assert (code, result["balanced"], result["problems"]) == (0, True, [])
    assert_reported([problem], "--fund", "stedendriehoek")
    with pytest.raises(CommandError, match="unknown fund"):
        call_command("ledger_check", "--fund", "nergens", stdout=StringIO())


# --- the admin cannot change the journal ----------------------------------------------------


@pytest.fixture
def superuser_client(client: Any, db: Any) -> Any:
    client.force_login(
        User.objects.create_superuser(username="root", email="root@example.test", password="x")
    )
    return client


@pytest.mark.parametrize("model", ["journaltransaction", "sourcebalance", "fundingsource"])
def test_the_admin_shows_the_ledger_but_cannot_add_change_or_delete(
    superuser_client: Any, voucher: Voucher, model: str
) -> None:
    model_class = {
        "journaltransaction": JournalTransaction,
        "sourcebalance": SourceBalance,
        "fundingsource": FundingSource,
    }[model]
    obj = model_class.objects.order_by("pk").last()
    before = model_class.objects.count()
    url = f"admin:budget_{model}"
    # Even a superuser, who has every permission, may only look.
    assert superuser_client.get(reverse(f"{url}_changelist")).status_code == 200
    page = superuser_client.get(reverse(f"{url}_change", args=[obj.pk]))
    assert page.status_code == 200
    assert page.context["has_change_permission"] is False
    assert 'name="_save"' not in page.content.decode()
    assert superuser_client.get(reverse(f"{url}_add")).status_code == 403
    assert superuser_client.post(reverse(f"{url}_add"), {}).status_code == 403
    assert superuser_client.post(reverse(f"{url}_change", args=[obj.pk]), {}).status_code == 403
    assert superuser_client.get(reverse(f"{url}_delete", args=[obj.pk])).status_code == 403
    assert (
        superuser_client.post(reverse(f"{url}_delete", args=[obj.pk]), {"post": "yes"}).status_code
        == 403
    )
    # Nor through the bulk "delete selected" action of the list.
    superuser_client.post(
        reverse(f"{url}_changelist"),
        {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
    )
    assert model_class.objects.count() == before


def test_postings_have_no_admin_of_their_own_and_are_read_only_inline(
    superuser_client: Any, voucher: Voucher, rf: Any
) -> None:
    assert not admin.site.is_registered(Posting)
    with pytest.raises(NoReverseMatch):
        reverse("admin:budget_posting_changelist")
    tx = JournalTransaction.objects.get(kind="commit", ref=voucher.code)
    request = rf.get("/")
    request.user = User.objects.get(username="root")
    inline = next(
        i
        for i in admin.site._registry[JournalTransaction].get_inline_instances(request, tx)
        if i.model is Posting
    )
    assert inline.has_add_permission(request, tx) is False
    assert inline.can_delete is False
    editable = {f.name for f in Posting._meta.fields} - {"id", "transaction"}
    assert editable <= set(inline.get_readonly_fields(request, tx))
    # The transaction page shows the postings as text: no input to edit, no delete box.
    page = superuser_client.get(reverse("admin:budget_journaltransaction_change", args=[tx.pk]))
    html = page.content.decode()
    assert page.status_code == 200 and f"{tx.postings.first().amount_cents}" in html
    for name in (*editable, "DELETE"):
        assert f'name="postings-0-{name}"' not in html, name
    # Posting an edited inline through the transaction page is refused as a whole.
    posting = tx.postings.first()
    response = superuser_client.post(
        reverse("admin:budget_journaltransaction_change", args=[tx.pk]),
        {
            "postings-TOTAL_FORMS": "1",
            "postings-INITIAL_FORMS": "1",
            "postings-0-id": str(posting.pk),
            "postings-0-transaction": str(tx.pk),
            "postings-0-amount_cents": "1",
        },
    )
    assert response.status_code == 403
    posting.refresh_from_db()
    assert posting.amount_cents != 1
    assert ledger_recount()["balanced"]


# --- grants never draw on money that is not for vouchers -------------------------------------


def test_a_grant_never_draws_on_non_voucher_money(
    twente: Any, staff: dict[str, Any], provider: Any
) -> None:
    # Around today, so the voucher money is in its period whenever the test runs.
    today = timezone.localdate()
    start, end = today - timedelta(days=365), today + timedelta(days=365)
    advice = source_create(
        fund=twente,
        name="Adviesgesprekken",
        funder="Regio",
        category="advice",
        pledged_cents=5_000_000,
        period_start=start,
        period_end=end,
    )
    source_create(
        fund=twente,
        name="Te klein",
        funder="Regio",
        category="vouchers",
        pledged_cents=100_000,  # less than the EUR 1,500 the grant needs
        period_start=start,
        period_end=end,
    )
    application = complete_application(twente, staff["advisor"], provider)
    with pytest.raises(DomainError) as claim_error:
        budget_claim(
            fund=twente,
            application_ref=application.reference,
            amount_cents=150_000,
            route=application.route,
            sector=application.training_sector,
            on_date=timezone.localdate(),
            actor=None,
            target_group=application.work_status,
        )
    assert claim_error.value.code == "budget.insufficient_funds"
    with pytest.raises(DomainError) as grant_error:
        decision_grant(application=application, actor=staff["assessor"])
    assert grant_error.value.code == "budget.insufficient_funds"
    assert not Voucher.objects.exists()
    balance = SourceBalance.objects.get(source=advice)
    assert (balance.pledged_cents, balance.available_cents) == (5_000_000, 5_000_000)
    assert balance.claimed_cents == balance.committed_cents == balance.paid_cents == 0
    assert Posting.objects.filter(source=advice).exclude(transaction__kind="pledge").count() == 0
    assert ledger_recount()["balanced"]


def test_a_window_reaches_its_ceiling_whatever_advice_money_the_fund_has(
    window_fund: Any, provider: Any
) -> None:
    from scholingsfonds.decisions.services import window_application_submit

    today = timezone.localdate()
    advice = source_create(
        fund=window_fund,
        name="Advies",
        funder="Rijk",
        category="advice",
        pledged_cents=10_000_000,
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=365),
    )
    # EUR 3,000 of voucher money: three claims of EUR 1,000, then the ceiling.
    states = [
        window_application_submit(
            fund=window_fund, data=window_data(provider), submission_key=f"adv{n}"
        ).state
        for n in range(4)
    ]
    assert states == ["complete"] * 3 + ["refused"]
    balance = SourceBalance.objects.get(source=advice)
    assert (balance.available_cents, balance.claimed_cents) == (10_000_000, 0)
    assert ledger_recount()["balanced"]

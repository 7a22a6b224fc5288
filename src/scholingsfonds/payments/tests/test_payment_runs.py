"""From a completed voucher to money at the provider: invoice, approval, a payment run with
four eyes, a valid pain.001, the books' CSV, the ledger; advances, no-shows and recovery."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from scholingsfonds.budget.models import SourceBalance
from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.payments.models import FundBankAccount, PaymentBatch
from scholingsfonds.payments.sepa import batch_csv, pain001_errors
from scholingsfonds.payments.services import (
    payment_batch_approve,
    payment_batch_create,
    payment_batch_discard,
    payment_batch_mark_paid,
)
from scholingsfonds.vouchers.models import Invoice, Recovery, Voucher, VoucherReminder
from scholingsfonds.vouchers.services import (
    credit_note_submit,
    invoice_approve,
    invoice_submit,
    recovery_settle,
    voucher_confirm_start,
    voucher_report_completion,
    voucher_report_no_show,
    vouchers_expire,
    vouchers_remind,
)
from scholingsfonds.vouchers.tests.conftest import grant, pdf, set_policy
from tests.factories import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def finance2(twente):
    return make_user("finance2", "finance", [twente])


@pytest.fixture
def account(twente):
    return FundBankAccount.objects.create(
        fund=twente,
        name="Gemeente Enschede inzake Twents Fonds",
        iban="NL20INGB0001234567",
        bic="INGBNL2A",
    )


def _complete(voucher, user):
    today = timezone.localdate()
    voucher_confirm_start(voucher=voucher, actor=user, started_on=today)
    voucher_report_completion(
        voucher=voucher, actor=user, completed_on=today, attendance_percent=90, certificate=False
    )


def _invoice(voucher, user, number, amount, final=True):
    return invoice_submit(
        voucher=voucher,
        actor=user,
        number=number,
        invoice_date=timezone.localdate(),
        amount_cents=amount,
        upload=pdf(),
        is_final=final,
    )


def _pay(twente, staff, finance2):
    batch = payment_batch_create(
        fund=twente, actor=staff["finance"], execution_date=timezone.localdate() + timedelta(days=1)
    )
    batch = payment_batch_approve(batch=batch, actor=finance2)
    return payment_batch_mark_paid(batch=batch, actor=staff["finance"])


def test_a_run_needs_a_second_finance_officer_and_writes_a_valid_pain001(
    twente, staff, vouchers, roc, account, finance2
):
    voucher = vouchers["roc"]
    _complete(voucher, roc.staff_user)
    invoice = _invoice(voucher, roc.staff_user, "2026-001", 150_000)
    with pytest.raises(DomainError):
        invoice_approve(invoice=invoice, actor=roc.staff_user)  # a provider never approves
    invoice_approve(invoice=invoice, actor=staff["finance"])
    batch = payment_batch_create(
        fund=twente, actor=staff["finance"], execution_date=timezone.localdate() + timedelta(days=1)
    )
    assert batch.total_cents == 150_000 and batch.lines.count() == 1
    with pytest.raises(DomainError) as error:
        payment_batch_approve(batch=batch, actor=staff["finance"])
    assert error.value.code == "payment_batch.four_eyes"
    batch = payment_batch_approve(batch=batch, actor=finance2)
    assert batch.status == PaymentBatch.Status.APPROVED
    assert pain001_errors(batch.sepa_xml) == []
    assert "<IBAN>NL91ABNA0417164300</IBAN>" in batch.sepa_xml
    assert '<InstdAmt Ccy="EUR">1500.00</InstdAmt>' in batch.sepa_xml
    assert "<CtrlSum>1500.00</CtrlSum>" in batch.sepa_xml
    rows = batch_csv(batch).splitlines()
    assert rows[0].startswith("betaalronde;uitvoerdatum")
    assert sum(int(r.split(";")[-1].replace(",", "")) for r in rows[1:]) == 150_000
    payment_batch_mark_paid(batch=batch, actor=staff["finance"])
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.REDEEMED
    assert Invoice.objects.get().status == Invoice.Status.PAID
    balance = SourceBalance.objects.get(source__name="Regio – cheques")
    assert balance.paid_cents == 150_000
    assert ledger_recount()["balanced"]


def test_a_lower_final_invoice_releases_the_rest_to_the_sources(
    twente, staff, vouchers, roc, account, finance2, budget
):
    voucher = vouchers["roc"]
    _complete(voucher, roc.staff_user)
    invoice_approve(
        invoice=_invoice(voucher, roc.staff_user, "F-1", 120_000), actor=staff["finance"]
    )
    _pay(twente, staff, finance2)
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.REDEEMED
    assert voucher.released_cents == 30_000
    balance = SourceBalance.objects.get(source=budget["twente"])
    assert (balance.paid_cents, balance.released_cents) == (120_000, 30_000)
    assert ledger_recount()["balanced"]


def test_a_draft_run_can_be_discarded_and_its_invoices_wait_again(
    twente, staff, vouchers, roc, account
):
    voucher = vouchers["roc"]
    _complete(voucher, roc.staff_user)
    invoice = _invoice(voucher, roc.staff_user, "F-1", 150_000)
    invoice_approve(invoice=invoice, actor=staff["finance"])
    batch = payment_batch_create(
        fund=twente, actor=staff["finance"], execution_date=timezone.localdate()
    )
    payment_batch_discard(batch=batch, actor=staff["finance"], reason="verkeerde datum")
    invoice.refresh_from_db()
    assert invoice.status == Invoice.Status.APPROVED
    assert not PaymentBatch.objects.exists()


def test_a_run_without_a_fund_account_or_invoices_is_refused(twente, staff, vouchers, roc):
    with pytest.raises(DomainError) as error:
        payment_batch_create(
            fund=twente, actor=staff["finance"], execution_date=timezone.localdate()
        )
    assert error.value.code == "payment_batch.no_account"


def test_an_advance_at_the_start_and_a_no_show_become_a_recovery(
    twente, staff, vouchers, roc, account, finance2, budget
):
    set_policy(twente, payment_moment="advance_at_start", advance_percent=100)
    voucher = vouchers["roc"]
    voucher_confirm_start(voucher=voucher, actor=roc.staff_user, started_on=timezone.localdate())
    advance = Invoice.objects.get(voucher=voucher)
    assert (advance.kind, advance.amount_cents) == ("advance", 150_000)
    invoice_approve(invoice=advance, actor=staff["finance"])
    _pay(twente, staff, finance2)
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.STARTED  # paid in advance, not yet settled
    voucher_report_no_show(voucher=voucher, actor=roc.staff_user, reason="Na week 1 gestopt.")
    recovery = Recovery.objects.get()
    assert recovery.amount_cents == 150_000 and recovery.status == Recovery.Status.OPEN
    recovery_settle(recovery=recovery, actor=staff["finance"], received=True, note="ontvangen 1-12")
    balance = SourceBalance.objects.get(source=budget["twente"])
    assert balance.paid_cents == 0
    # Everything is back, except the other provider's voucher that is still committed.
    assert balance.committed_cents == vouchers["other"].amount_cents
    assert balance.available_cents == 1_000_000 - vouchers["other"].amount_cents
    assert ledger_recount()["balanced"]


def test_an_advance_settles_at_completion_when_nothing_is_left(
    twente, staff, vouchers, roc, account, finance2
):
    set_policy(twente, payment_moment="advance_at_start", advance_percent=100)
    voucher = vouchers["roc"]
    voucher_confirm_start(voucher=voucher, actor=roc.staff_user, started_on=timezone.localdate())
    invoice_approve(invoice=Invoice.objects.get(voucher=voucher), actor=staff["finance"])
    _pay(twente, staff, finance2)
    voucher_report_completion(
        voucher=voucher,
        actor=roc.staff_user,
        completed_on=timezone.localdate(),
        attendance_percent=None,
        certificate=True,
    )
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.REDEEMED
    assert ledger_recount()["balanced"]


def test_a_no_show_before_the_advance_is_paid_cancels_it_and_releases_everything(
    twente, staff, vouchers, roc, budget
):
    set_policy(twente, payment_moment="advance_at_start", advance_percent=80)
    voucher = vouchers["roc"]
    voucher_confirm_start(voucher=voucher, actor=roc.staff_user, started_on=timezone.localdate())
    assert Invoice.objects.get().amount_cents == 120_000
    voucher_report_no_show(voucher=voucher, actor=roc.staff_user, reason="Niet verschenen.")
    assert Invoice.objects.get().status == Invoice.Status.REJECTED
    assert not Recovery.objects.exists()
    voucher.refresh_from_db()
    assert voucher.released_cents == voucher.amount_cents
    assert ledger_recount()["balanced"]


def test_a_credit_note_on_a_paid_invoice_becomes_a_recovery(
    twente, staff, vouchers, roc, account, finance2
):
    voucher = vouchers["roc"]
    _complete(voucher, roc.staff_user)
    invoice = _invoice(voucher, roc.staff_user, "F-1", 150_000)
    invoice_approve(invoice=invoice, actor=staff["finance"])
    _pay(twente, staff, finance2)
    invoice.refresh_from_db()
    with pytest.raises(DomainError):
        credit_note_submit(
            invoice=invoice,
            actor=roc.staff_user,
            number="C-1",
            invoice_date=timezone.localdate(),
            amount_cents=150_001,
            upload=pdf(),
        )
    note = credit_note_submit(
        invoice=invoice,
        actor=roc.staff_user,
        number="C-1",
        invoice_date=timezone.localdate(),
        amount_cents=20_000,
        upload=pdf(),
    )
    invoice_approve(invoice=note, actor=staff["finance"])
    assert Recovery.objects.get().amount_cents == 20_000
    recovery_settle(
        recovery=Recovery.objects.get(), actor=staff["finance"], received=True, note="ok"
    )
    assert ledger_recount()["balanced"]


def test_a_credit_note_on_an_unpaid_invoice_lowers_what_is_paid(
    twente, staff, vouchers, roc, account, finance2
):
    voucher = vouchers["roc"]
    _complete(voucher, roc.staff_user)
    invoice = _invoice(voucher, roc.staff_user, "F-1", 150_000)
    note = credit_note_submit(
        invoice=invoice,
        actor=roc.staff_user,
        number="C-1",
        invoice_date=timezone.localdate(),
        amount_cents=50_000,
        upload=pdf(),
    )
    invoice_approve(invoice=invoice, actor=staff["finance"])
    invoice_approve(invoice=note, actor=staff["finance"])
    batch = _pay(twente, staff, finance2)
    assert batch.total_cents == 100_000
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.REDEEMED and voucher.released_cents == 50_000
    assert ledger_recount()["balanced"]


def test_the_course_cap_and_a_struck_course_stop_new_vouchers(twente, staff, roc, budget):
    from scholingsfonds.providers.services import course_suspend

    roc.course.voucher_cap = 1
    roc.course.save()
    first = (
        grant(twente, staff, roc, training_title_unused=None)
        if False
        else grant(twente, staff, roc)
    )
    assert first.course == roc.course
    with pytest.raises(DomainError) as error:
        grant(twente, staff, roc)
    assert error.value.code == "course.cap_reached"
    assert Voucher.objects.count() == 1
    assert ledger_recount()["balanced"]
    roc.course.voucher_cap = None
    roc.course.save()
    course_suspend(course=roc.course, actor=staff["manager"], reason="Geen arbeidsmarktwaarde.")
    with pytest.raises(DomainError) as error:
        grant(twente, staff, roc)
    assert error.value.code == "course.suspended"


def test_reminders_go_to_person_and_provider_once_and_expiry_releases_the_money(
    twente, staff, vouchers, roc, budget, django_capture_on_commit_callbacks
):
    voucher = vouchers["roc"]
    roc.contacts.create(name="Ilse", role="participants", email="deelnemers@roc.example")
    mail.outbox.clear()
    day = voucher.valid_until - timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        assert vouchers_remind(today=day) == 2  # both vouchers of the fixture
    subjects = [m.subject for m in mail.outbox]
    assert any(voucher.code in s and "verloopt bijna" in s for s in subjects)
    assert any("deelnemers@roc.example" in m.to for m in mail.outbox)
    assert vouchers_remind(today=day + timedelta(days=1)) == 0
    assert vouchers_remind(today=voucher.valid_until - timedelta(days=7)) == 2
    assert VoucherReminder.objects.filter(voucher=voucher).count() == 2
    assert vouchers_expire(today=voucher.valid_until + timedelta(days=1)) == 2
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.EXPIRED
    assert SourceBalance.objects.get(source=budget["twente"]).committed_cents == 0
    assert ledger_recount()["balanced"]

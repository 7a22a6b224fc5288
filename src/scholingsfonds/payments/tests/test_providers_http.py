"""The finance screens of the providers issue: who may do what, and what they see."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.core.models import AuditEvent
from scholingsfonds.payments.models import FundBankAccount, MarketAction, PaymentBatch
from scholingsfonds.providers.models import Course, Provider
from scholingsfonds.providers.services import course_create
from scholingsfonds.vouchers.models import Invoice
from scholingsfonds.vouchers.services import (
    invoice_submit,
    voucher_confirm_start,
    voucher_report_completion,
)
from scholingsfonds.vouchers.tests.conftest import pdf
from tests.factories import make_user

pytestmark = [pytest.mark.django_db, pytest.mark.urls("scholingsfonds.vouchers.tests.urls")]


@pytest.fixture
def submitted(vouchers, roc):
    voucher = vouchers["roc"]
    today = timezone.localdate()
    voucher_confirm_start(voucher=voucher, actor=roc.staff_user, started_on=today)
    voucher_report_completion(
        voucher=voucher,
        actor=roc.staff_user,
        completed_on=today,
        attendance_percent=100,
        certificate=False,
    )
    return invoice_submit(
        voucher=voucher,
        actor=roc.staff_user,
        number="F-1",
        invoice_date=today,
        amount_cents=150_000,
        upload=pdf(),
    )


def test_finance_approves_batches_with_four_eyes_through_the_screens(
    client, twente, staff, submitted
):
    FundBankAccount.objects.create(fund=twente, name="Gemeente Enschede", iban="NL20INGB0001234567")
    finance2 = make_user("finance2", "finance", [twente])
    client.force_login(staff["finance"])
    page = client.get(reverse("payments:invoices")).content.decode()
    assert "F-1" in page and "ROC van Twente" in page
    assert client.get(reverse("payments:invoice_document", args=[submitted.pk])).status_code == 200
    client.post(reverse("payments:invoice_approve", args=[submitted.pk]))
    submitted.refresh_from_db()
    assert submitted.status == Invoice.Status.APPROVED
    response = client.post(
        reverse("payments:batches"),
        {
            "fund": twente.pk,
            "execution_date": (timezone.localdate() + timedelta(days=2)).isoformat(),
        },
    )
    batch = PaymentBatch.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("payments:batch", args=[batch.number])).content.decode()
    assert "Een andere medewerker financiën keurt haar goed" in page
    client.post(reverse("payments:batch_approve", args=[batch.number]))
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.DRAFT  # the maker cannot approve
    client.force_login(finance2)
    client.post(reverse("payments:batch_approve", args=[batch.number]))
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.APPROVED and batch.approved_by == finance2
    xml = client.get(reverse("payments:batch_xml", args=[batch.number]))
    assert xml.status_code == 200 and b"CstmrCdtTrfInitn" in xml.content
    csv = client.get(reverse("payments:batch_csv", args=[batch.number]))
    assert csv.content.decode("utf-8-sig").startswith("betaalronde;")
    client.post(reverse("payments:batch_paid", args=[batch.number]))
    batch.refresh_from_db()
    assert batch.status == PaymentBatch.Status.PAID


def test_providers_funders_and_advisors_see_no_invoices_or_runs(client, people, submitted, roc):
    for user in (roc.staff_user, people["funder"], people["advisor"]):
        client.force_login(user)
        for name in ("payments:invoices", "payments:batches", "payments:market"):
            assert client.get(reverse(name)).status_code == 403, (user, name)
        assert client.get(
            reverse("payments:invoice_document", args=[submitted.pk])
        ).status_code in (403, 404)


def test_finance_of_another_fund_cannot_approve(client, people, submitted):
    client.force_login(people["finance_sd"])
    response = client.post(reverse("payments:invoice_approve", args=[submitted.pk]))
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert submitted.status == Invoice.Status.SUBMITTED


def test_only_the_administrator_approves_or_suspends_a_provider_with_a_reason(
    client, people, other
):
    pending = Provider.objects.create(
        name="Nieuw BV",
        kind="crkbo",
        status="pending",
        kvk_number="11112222",
        iban="NL91ABNA0417164300",
    )
    client.force_login(people["finance"])
    client.post(reverse("payments:provider_status", args=[other.pk, "schorsen"]), {"reason": "x"})
    other.refresh_from_db()
    assert other.status == Provider.Status.APPROVED
    client.force_login(people["administrator"])
    page = client.post(
        reverse("payments:provider_status", args=[pending.pk, "goedkeuren"]),
        {"reason": "gecontroleerd"},
        follow=True,
    ).content.decode()
    assert "CRKBO" in page  # CRKBO alone is not a quality mark
    pending.refresh_from_db()
    assert pending.status == Provider.Status.PENDING
    client.post(
        reverse("payments:provider_status", args=[other.pk, "schorsen"]),
        {"reason": "Klachten over niet-gegeven lessen."},
    )
    other.refresh_from_db()
    assert other.status == Provider.Status.SUSPENDED
    event = AuditEvent.objects.get(action="provider.suspended")
    assert (
        event.reason == "Klachten over niet-gegeven lessen."
        and event.actor == people["administrator"]
    )
    client.post(
        reverse("payments:provider_bank", args=[other.pk]),
        {"iban": "NL44RABO0123456789", "account_holder": "TOO", "reason": "teruggebeld"},
    )
    other.refresh_from_db()
    assert other.iban == "NL44RABO0123456789" and other.bic == "RABONL2U"
    assert AuditEvent.objects.filter(action="provider.bank_account_changed").exists()


def test_the_market_page_flags_new_short_courses_and_the_manager_suspends_one(
    client, twente, staff, vouchers, other
):
    for n in range(5):
        course_create(
            provider=other,
            actor=None,
            title=f"Snelcursus {n}",
            level="other",
            hours=6,
            sector="ICT",
            price_cents=95_000,
        )
    client.force_login(staff["manager"])
    page = client.get(reverse("payments:market") + "?fonds=twente").content.decode()
    assert "5 nieuwe korte opleidingen" in page and other.name in page
    course = Course.objects.get(title="Snelcursus 0")
    client.post(
        reverse("payments:market_action", args=["twente", other.pk]),
        {"kind": "suspend_course", "course": course.pk, "text": "Geen arbeidsmarktwaarde."},
    )
    course.refresh_from_db()
    assert course.status == Course.Status.SUSPENDED
    client.post(
        reverse("payments:market_action", args=["twente", other.pk]),
        {"kind": "ask_explanation", "text": "Waarom zoveel korte cursussen?"},
    )
    assert list(MarketAction.objects.values_list("kind", flat=True)) == [
        "ask_explanation",
        "suspend_course",
    ]
    page = client.get(reverse("payments:market") + "?fonds=twente").content.decode()
    assert "Waarom zoveel korte cursussen?" in page

"""The provider portal and API: a provider sees and touches only its own vouchers."""

import json
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.vouchers.models import Invoice, Voucher
from scholingsfonds.vouchers.tests.conftest import PDF, pdf

pytestmark = [pytest.mark.django_db, pytest.mark.urls("scholingsfonds.vouchers.tests.urls")]


def test_provider_sees_only_its_own_vouchers_and_never_a_bsn(client, vouchers, roc):
    roc_voucher, other_voucher = vouchers["roc"], vouchers["other"]
    roc_voucher.application.bsn = "111222333"
    roc_voucher.application.save()
    client.force_login(roc.staff_user)
    page = client.get(reverse("vouchers:portal")).content.decode()
    assert roc_voucher.code in page and roc_voucher.participant_name in page
    assert other_voucher.code not in page
    detail = client.get(reverse("vouchers:voucher", args=[roc_voucher.code])).content.decode()
    assert "111222333" not in detail and "1990" not in detail
    assert client.get(reverse("vouchers:voucher", args=[other_voucher.code])).status_code == 404


def test_provider_cannot_invoice_another_providers_voucher_by_guessing_its_code(
    client, vouchers, roc
):
    other_voucher = vouchers["other"]
    client.force_login(roc.staff_user)
    for name in ("confirm_start", "report_no_show"):
        response = client.post(
            reverse(f"vouchers:{name}", args=[other_voucher.code]),
            {"started_on": timezone.localdate().strftime("%d-%m-%Y"), "reason": "x"},
        )
        assert response.status_code == 404
    response = client.post(
        reverse("vouchers:invoice_new", args=[other_voucher.code]),
        {
            "number": "F-1",
            "invoice_date": timezone.localdate().strftime("%d-%m-%Y"),
            "amount": "100",
            "document": pdf(),
            "is_final": "on",
        },
    )
    assert response.status_code == 404
    assert not Invoice.objects.exists()
    other_voucher.refresh_from_db()
    assert other_voucher.state == Voucher.State.ISSUED


def test_other_roles_have_no_portal(client, vouchers, staff):
    client.force_login(staff["finance"])
    assert client.get(reverse("vouchers:portal")).status_code == 403
    assert client.get(reverse("vouchers:voucher", args=[vouchers["roc"].code])).status_code == 403


def _start_and_complete(client, voucher):
    today = timezone.localdate()
    response = client.post(
        reverse("vouchers:confirm_start", args=[voucher.code]),
        {"started_on": today.strftime("%d-%m-%Y")},
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post(
        reverse("vouchers:report_completion", args=[voucher.code]),
        {"completed_on": today.strftime("%d-%m-%Y"), "attendance_percent": "85"},
    )
    assert response.status_code == 302


def _invoice(client, voucher, number, amount, document=None, final=True):
    data = {
        "number": number,
        "invoice_date": timezone.localdate().strftime("%d-%m-%Y"),
        "amount": amount,
        "document": document or pdf(),
    }
    if final:
        data["is_final"] = "on"
    return client.post(reverse("vouchers:invoice_new", args=[voucher.code]), data)


def test_start_completion_and_two_invoices_that_cannot_exceed_the_voucher(client, vouchers, roc):
    voucher = vouchers["roc"]  # EUR 1,500 (cost 3,000 minus 50 % co-financing)
    client.force_login(roc.staff_user)
    _start_and_complete(client, voucher)
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.COMPLETED
    assert voucher.course == roc.course  # matched by title at issue
    assert _invoice(client, voucher, "F-1", "1000", final=False).status_code == 302
    too_much = _invoice(client, voucher, "F-2", "600")
    assert too_much.status_code == 422
    assert "hoger dan wat er op de cheque over is" in too_much.content.decode()
    assert _invoice(client, voucher, "F-1", "100").status_code == 422  # number used
    assert _invoice(client, voucher, "F-2", "500").status_code == 302
    assert sum(Invoice.objects.values_list("amount_cents", flat=True)) == 150_000
    invoice = Invoice.objects.get(number="F-2")
    assert invoice.document.read().startswith(b"%PDF-")
    assert len(invoice.document_sha256) == 64
    assert client.get(reverse("vouchers:invoice_document", args=[invoice.pk])).status_code == 200


def test_completion_below_the_attendance_threshold_is_refused(client, vouchers, roc):
    voucher = vouchers["roc"]
    client.force_login(roc.staff_user)
    today = timezone.localdate().strftime("%d-%m-%Y")
    client.post(reverse("vouchers:confirm_start", args=[voucher.code]), {"started_on": today})
    response = client.post(
        reverse("vouchers:report_completion", args=[voucher.code]),
        {"completed_on": today, "attendance_percent": "60"},
    )
    assert response.status_code == 422
    assert "80 %" in response.content.decode()
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.STARTED


@pytest.mark.parametrize(
    ("document", "message"),
    [
        (pdf(content=b"<html>nep</html>"), "geen PDF"),
        (pdf(name="factuur.docx"), "als PDF-bestand"),
        (pdf(content=PDF + b"x" * (5 * 1024 * 1024)), "groter dan 5 MB"),
    ],
)
def test_an_invoice_file_must_be_a_real_small_pdf(client, vouchers, roc, document, message):
    voucher = vouchers["roc"]
    client.force_login(roc.staff_user)
    _start_and_complete(client, voucher)
    response = _invoice(client, voucher, "F-9", "100", document=document)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not Invoice.objects.exists()


def test_api_lists_only_own_vouchers_and_refuses_a_guessed_code(client, vouchers, roc):
    client.force_login(roc.staff_user)
    listed = client.get("/test-api/provider/vouchers")
    assert listed.status_code == 200
    codes = [row["code"] for row in listed.json()]
    assert codes == [vouchers["roc"].code]
    assert "bsn" not in json.dumps(listed.json()).lower()
    guessed = vouchers["other"].code
    assert client.get(f"/test-api/provider/vouchers/{guessed}").status_code == 404
    response = client.post(
        f"/test-api/provider/vouchers/{guessed}/invoices",
        {
            "number": "X-1",
            "invoice_date": timezone.localdate().isoformat(),
            "amount_cents": "100",
            "file": pdf(),
        },
    )
    assert response.status_code == 404
    assert response.json()["code"] == "voucher.not_found"
    assert not Invoice.objects.exists()


def test_api_runs_the_same_steps_as_the_portal(client, vouchers, roc):
    code = vouchers["roc"].code
    client.force_login(roc.staff_user)
    today = timezone.localdate().isoformat()
    started = client.post(
        f"/test-api/provider/vouchers/{code}/start",
        {"started_on": today},
        content_type="application/json",
    )
    assert started.status_code == 200 and started.json()["state"] == "started"
    low = client.post(
        f"/test-api/provider/vouchers/{code}/completion",
        {"completed_on": today, "attendance_percent": 50},
        content_type="application/json",
    )
    assert low.status_code == 409 and low.json()["code"] == "voucher.completion_not_proven"
    done = client.post(
        f"/test-api/provider/vouchers/{code}/completion",
        {"completed_on": today, "certificate": True},
        content_type="application/json",
    )
    assert done.json()["state"] == "completed"
    invoiced = client.post(
        f"/test-api/provider/vouchers/{code}/invoices",
        {"number": "A-1", "invoice_date": today, "amount_cents": "150000", "file": pdf()},
    )
    assert invoiced.status_code == 200, invoiced.content
    assert invoiced.json()["room_cents"] == 0
    assert invoiced.json()["invoices"][0]["status"] == "submitted"
    fake = client.post(
        f"/test-api/provider/vouchers/{code}/invoices",
        {"number": "A-2", "invoice_date": today, "amount_cents": "1", "file": pdf(content=b"MZ")},
    )
    assert fake.status_code == 409


def test_provider_adds_a_course_and_a_new_price_keeps_the_history(client, roc):
    client.force_login(roc.staff_user)
    response = client.post(
        reverse("vouchers:courses"),
        {
            "title": "Heftruck",
            "level": "mbo2",
            "hours": "16",
            "sector": "transport & logistics",
            "price": "450",
        },
    )
    assert response.status_code == 302
    course = roc.courses.get(title="Heftruck")
    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(
        reverse("vouchers:course_price", args=[course.pk]),
        {"price": "495", "valid_from": tomorrow.strftime("%d-%m-%Y")},
    )
    assert list(course.prices.values_list("price_cents", flat=True)) == [45_000, 49_500]
    assert course.price_on(timezone.localdate()) == 45_000
    assert course.price_on(tomorrow) == 49_500


def test_a_provider_applies_and_waits_for_approval(client, db):
    from scholingsfonds.providers.models import Provider

    response = client.post(
        reverse("vouchers:provider_apply"),
        {
            "name": "Leerhuis Twente BV",
            "kind": "nrto",
            "recognition_reference": "NRTO 4711",
            "kvk_number": "1234 5678",
            "iban": "NL91 ABNA 0417 1643 00",
            "account_holder": "Leerhuis Twente BV",
            "city": "Enschede",
            "email": "info@leerhuis.example",
            "contact_name": "Jan Leerhuis",
            "contact_email": "jan@leerhuis.example",
        },
    )
    assert response.status_code == 200, response.content.decode()[:2000]
    provider = Provider.objects.get(name="Leerhuis Twente BV")
    assert provider.status == Provider.Status.PENDING
    assert (provider.iban, provider.bic, provider.kvk_number) == (
        "NL91ABNA0417164300",
        "ABNANL2A",
        "12345678",
    )
    bad = client.post(
        reverse("vouchers:provider_apply"),
        {
            "name": "X",
            "kind": "nrto",
            "kvk_number": "12345678",
            "iban": "NL91ABNA0417164301",
            "account_holder": "X",
            "city": "X",
            "email": "x@x.example",
            "contact_name": "X",
            "contact_email": "x@x.example",
        },
    )
    assert bad.status_code == 422 and "Dit IBAN klopt niet" in bad.content.decode()

"""The redemption rules without a database: states, proof of completion, PDFs, reminders."""

from datetime import date

import pytest

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.vouchers.domain import redemption as r


def test_a_started_voucher_can_no_longer_expire_or_be_given_back() -> None:
    with pytest.raises(DomainError):
        r.check_transition(r.STARTED, r.EXPIRED)
    with pytest.raises(DomainError):
        r.check_transition(r.STARTED, r.CANCELLED)
    r.check_transition(r.STARTED, r.COMPLETED)
    r.check_transition(r.ISSUED, r.NO_SHOW)


def test_completion_needs_the_attendance_threshold_or_a_certificate() -> None:
    both = ("attendance", "certificate")
    assert r.completion_accepted(
        attendance_percent=80, certificate=False, threshold_percent=80, evidence=both
    )[0]
    assert not r.completion_accepted(
        attendance_percent=79, certificate=False, threshold_percent=80, evidence=both
    )[0]
    assert r.completion_accepted(
        attendance_percent=10, certificate=True, threshold_percent=80, evidence=both
    )[0]


def test_a_policy_that_asks_a_certificate_does_not_take_attendance() -> None:
    ok, reason, _ = r.completion_accepted(
        attendance_percent=100, certificate=False, threshold_percent=80, evidence=("certificate",)
    )
    assert not ok and "certificaat" in reason


def test_invoice_room_counts_released_and_invoiced_money() -> None:
    assert (
        r.invoice_room_cents(amount_cents=1000, released_cents=200, invoiced_net_cents=300) == 500
    )
    assert r.invoice_room_cents(amount_cents=1000, released_cents=0, invoiced_net_cents=1200) == 0
    with pytest.raises(DomainError) as error:
        r.check_invoice_amount(amount_cents=501, room_cents=500)
    assert error.value.code == "invoice.exceeds_voucher"


def test_advance_is_rounded_down_to_the_cent() -> None:
    assert r.advance_cents(amount_cents=100_001, released_cents=0, percent=50) == 50_000


@pytest.mark.parametrize(
    ("name", "content_type", "size", "head", "code"),
    [
        ("f.pdf", "application/pdf", 0, b"", "invoice.file_empty"),
        (
            "f.pdf",
            "application/pdf",
            r.INVOICE_MAX_BYTES + 1,
            b"%PDF-1.7",
            "invoice.file_too_large",
        ),
        ("f.exe", "application/pdf", 100, b"%PDF-1.7", "invoice.file_type"),
        ("f.pdf", "text/html", 100, b"%PDF-1.7", "invoice.file_type"),
        ("f.pdf", "application/pdf", 100, b"MZ\x90\x00", "invoice.file_not_pdf"),
        ("f.pdf", "application/pdf", 100, b"<html>", "invoice.file_not_pdf"),
    ],
)
def test_invoice_files_are_checked_by_size_type_and_content(
    name: str, content_type: str, size: int, head: bytes, code: str
) -> None:
    with pytest.raises(DomainError) as error:
        r.check_pdf(name=name, content_type=content_type, size=size, head=head)
    assert error.value.code == code


def test_a_real_pdf_passes() -> None:
    r.check_pdf(name="Factuur.PDF", content_type="application/pdf", size=1000, head=b"%PDF-1.7")


def test_reminders_go_once_per_threshold_and_a_missed_one_is_not_sent_twice() -> None:
    end = date(2027, 1, 31)
    assert r.reminder_due(valid_until=end, today=date(2026, 12, 1), days=(30, 7), sent=()) is None
    assert r.reminder_due(valid_until=end, today=date(2027, 1, 1), days=(30, 7), sent=()) == (
        30,
        (30,),
    )
    assert r.reminder_due(valid_until=end, today=date(2027, 1, 2), days=(30, 7), sent=(30,)) is None
    # The task did not run for weeks: only the 7-day reminder goes, and 30 is marked done.
    assert r.reminder_due(valid_until=end, today=date(2027, 1, 28), days=(30, 7), sent=()) == (
        7,
        (7, 30),
    )
    assert r.reminder_due(valid_until=end, today=date(2027, 2, 1), days=(30, 7), sent=()) is None

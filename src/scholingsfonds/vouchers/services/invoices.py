"""Invoices and credit notes: the provider submits with a PDF, finance approves or rejects,
a payment run schedules them and the bank's payment settles them."""

import hashlib
import re
from datetime import date
from typing import Any, Protocol

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from scholingsfonds.budget.services import budget_pay_voucher
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.vouchers.domain import redemption
from scholingsfonds.vouchers.models import Invoice, Voucher
from scholingsfonds.vouchers.permissions import can_decide_invoices
from scholingsfonds.vouchers.selectors import credited_cents, room_cents
from scholingsfonds.vouchers.services._shared import (
    provider_may_act,
    voucher_locked,
    voucher_policy,
    voucher_settle_if_done,
)
from scholingsfonds.vouchers.services.recovery import recovery_create


class Upload(Protocol):
    """What an uploaded file offers (Django's UploadedFile, or a test double)."""

    name: str
    size: int
    content_type: str

    def read(self, size: int = -1) -> bytes: ...

    def seek(self, offset: int) -> Any: ...


def _store_pdf(upload: Upload, *, name: str) -> tuple[ContentFile[bytes], str, int]:
    """Check the upload (size, name, type and the first bytes) and read it once."""
    upload.seek(0)
    head = upload.read(8)
    redemption.check_pdf(
        name=upload.name or "",
        content_type=(upload.content_type or "").split(";")[0].strip().lower(),
        size=upload.size or 0,
        head=head,
    )
    upload.seek(0)
    data = upload.read(redemption.INVOICE_MAX_BYTES + 1)
    if len(data) > redemption.INVOICE_MAX_BYTES:  # the declared size was not the real one
        redemption.check_pdf(
            name=upload.name, content_type="application/pdf", size=len(data), head=head
        )
    return ContentFile(data, name=name), hashlib.sha256(data).hexdigest(), len(data)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9-]+", "-", text).strip("-")[:40] or "factuur"


def _number(number: str) -> str:
    number = number.strip()
    if not number or len(number) > 40:
        raise DomainError(
            "invoice.number_required",
            "Vul uw factuurnummer in (hoogstens 40 tekens).",
            "Enter your invoice number (at most 40 characters).",
        )
    return number


def _create_invoice(**fields: Any) -> Invoice:
    try:
        with transaction.atomic():
            return Invoice.objects.create(**fields)
    except IntegrityError as error:
        raise DomainError(
            "invoice.number_used",
            "U hebt dit factuurnummer al gebruikt. Elk factuurnummer kan één keer.",
            "You already used this invoice number.",
        ) from error


def invoice_submit(
    *,
    voucher: Voucher,
    actor: Any,
    number: str,
    invoice_date: date,
    amount_cents: int,
    upload: Upload,
    is_final: bool = True,
) -> Invoice:
    """The provider invoices against its voucher, with the PDF; never more than what is left."""
    number = _number(number)
    with transaction.atomic():
        locked = voucher_locked(voucher)
        provider_may_act(actor, locked)
        if locked.state != Voucher.State.COMPLETED:
            raise DomainError(
                "invoice.not_completed",
                "U factureert nadat u de afronding hebt gemeld (minstens "
                f"{voucher_policy(locked).attendance_threshold_percent} % aanwezig of een "
                "certificaat).",
                "Invoice after reporting completion.",
            )
        redemption.check_invoice_amount(amount_cents=amount_cents, room_cents=room_cents(locked))
        document, digest, size = _store_pdf(upload, name=f"{locked.code}-{_safe(number)}.pdf")
        assert locked.provider is not None  # noqa: S101 - checked by provider_may_act
        invoice = _create_invoice(
            voucher=locked,
            provider=locked.provider,
            kind=Invoice.Kind.INVOICE,
            number=number,
            invoice_date=invoice_date,
            amount_cents=amount_cents,
            is_final=is_final or amount_cents == room_cents(locked),
            document=document,
            document_sha256=digest,
            document_size=size,
            submitted_by=actor,
            submitted_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="invoice.submitted",
            obj=invoice,
            to_state=invoice.status,
            data={"amount_cents": amount_cents, "voucher": locked.code, "sha256": digest},
        )
    return invoice


def credit_note_submit(
    *,
    invoice: Invoice,
    actor: Any,
    number: str,
    invoice_date: date,
    amount_cents: int,
    upload: Upload,
    reason: str = "",
) -> Invoice:
    """A credit note against one of the provider's invoices, at most what that invoice holds."""
    number = _number(number)
    with transaction.atomic():
        locked = voucher_locked(invoice.voucher)
        provider_may_act(actor, locked)
        original = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if original.kind != Invoice.Kind.INVOICE or original.status == Invoice.Status.REJECTED:
            raise DomainError(
                "credit_note.not_possible",
                "Een creditnota hoort bij een eigen factuur die niet is afgewezen.",
                "A credit note belongs to one of your invoices that was not rejected.",
            )
        if original.status == Invoice.Status.SCHEDULED:
            raise DomainError(
                "credit_note.in_payment",
                "Deze factuur zit in een betaalronde. Dien de creditnota in zodra hij betaald is.",
                "This invoice is in a payment run; send the credit note once it is paid.",
            )
        left = original.amount_cents - credited_cents(original)
        if amount_cents <= 0 or amount_cents > left:
            raise DomainError(
                "credit_note.too_large",
                "Een creditnota is nooit hoger dan wat er van de factuur over is.",
                "A credit note never exceeds what is left of the invoice.",
            )
        document, digest, size = _store_pdf(upload, name=f"{locked.code}-{_safe(number)}.pdf")
        note = _create_invoice(
            voucher=locked,
            provider=original.provider,
            kind=Invoice.Kind.CREDIT_NOTE,
            credited_invoice=original,
            number=number,
            invoice_date=invoice_date,
            amount_cents=amount_cents,
            is_final=False,
            document=document,
            document_sha256=digest,
            document_size=size,
            submitted_by=actor,
            submitted_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="credit_note.submitted",
            obj=note,
            reason=reason,
            data={"amount_cents": amount_cents, "invoice": original.number},
        )
    return note


def _finance_may(actor: Any, invoice: Invoice) -> None:
    allowed, reason = can_decide_invoices(actor, invoice.voucher.fund)
    if not allowed:
        raise DomainError("invoice.not_allowed", reason)


def invoice_approve(*, invoice: Invoice, actor: Any) -> Invoice:
    """Finance checks an invoice against the voucher and approves it for payment."""
    with transaction.atomic():
        voucher = voucher_locked(invoice.voucher)
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        _finance_may(actor, locked)
        if locked.status != Invoice.Status.SUBMITTED:
            raise DomainError("invoice.not_submitted", "Deze factuur is al beoordeeld.")
        expected = {
            Invoice.Kind.ADVANCE: (Voucher.State.STARTED, Voucher.State.COMPLETED),
            Invoice.Kind.INVOICE: (Voucher.State.COMPLETED,),
            Invoice.Kind.CREDIT_NOTE: tuple(Voucher.State.values),
        }[Invoice.Kind(locked.kind)]
        if voucher.state not in expected:
            raise DomainError(
                "invoice.voucher_state",
                f"De cheque heeft status '{voucher.get_state_display()}'; deze factuur kan niet "
                "worden goedgekeurd.",
                "The voucher's state does not allow approving this invoice.",
            )
        if locked.is_credit and locked.credited_invoice.status == Invoice.Status.SCHEDULED:  # type: ignore[union-attr]
            raise DomainError(
                "credit_note.in_payment",
                "De factuur van deze creditnota zit in een betaalronde. Keur de creditnota goed "
                "als die ronde betaald is; dan wordt het een terugvordering.",
                "The credited invoice is in a payment run; approve the credit note afterwards.",
            )
        locked.status = Invoice.Status.APPROVED
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="invoice.approved",
            obj=locked,
            from_state=Invoice.Status.SUBMITTED,
            to_state=Invoice.Status.APPROVED,
        )
        if locked.is_credit:
            credited = locked.credited_invoice
            assert credited is not None  # noqa: S101 - a credit note always credits an invoice
            if credited.status == Invoice.Status.PAID:
                # Paid already: the provider owes the money back.
                recovery_create(voucher, locked.amount_cents, f"creditnota {locked.number}", actor)
            voucher_settle_if_done(voucher, actor)
    return locked


def invoice_reject(*, invoice: Invoice, actor: Any, reason: str) -> Invoice:
    """Finance rejects an invoice with a reason; the provider sees it and can invoice anew."""
    reason = reason.strip()
    if not reason:
        raise DomainError("invoice.reason_required", "Geef een reden voor de afwijzing.")
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        _finance_may(actor, locked)
        if locked.status not in (Invoice.Status.SUBMITTED, Invoice.Status.APPROVED):
            raise DomainError("invoice.not_open", "Deze factuur is al betaald of ingepland.")
        from_state = locked.status
        locked.status = Invoice.Status.REJECTED
        locked.rejection_reason = reason
        locked.decided_by = actor
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="invoice.rejected",
            obj=locked,
            from_state=from_state,
            to_state=Invoice.Status.REJECTED,
            reason=reason,
        )
    return locked


def invoice_schedule(*, invoice: Invoice, actor: Any, scheduled: bool) -> Invoice:
    """Put an approved invoice in a payment run (or take it out of a draft run)."""
    with transaction.atomic():
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        source, target = (
            (Invoice.Status.APPROVED, Invoice.Status.SCHEDULED)
            if scheduled
            else (Invoice.Status.SCHEDULED, Invoice.Status.APPROVED)
        )
        if locked.status != source or locked.is_credit:
            raise DomainError(
                "invoice.not_payable",
                f"Factuur {locked.number} is niet (meer) klaar voor betaling.",
                f"Invoice {locked.number} is not ready for payment.",
            )
        locked.status = target
        locked.save(update_fields=["status"])
        audit_record(
            actor=actor,
            action="invoice.scheduled" if scheduled else "invoice.unscheduled",
            obj=locked,
            from_state=source,
            to_state=target,
        )
    return locked


def invoice_mark_paid(*, invoice: Invoice, actor: Any, amount_cents: int, memo: str) -> Invoice:
    """The bank paid the invoice: committed → paid in the ledger, then settle the voucher."""
    with transaction.atomic():
        voucher = voucher_locked(invoice.voucher)
        locked = Invoice.objects.select_for_update().get(pk=invoice.pk)
        if locked.status != Invoice.Status.SCHEDULED:
            raise DomainError("invoice.not_scheduled", "Deze factuur zit niet in een betaalronde.")
        if amount_cents:
            budget_pay_voucher(
                fund=voucher.fund,
                voucher_ref=voucher.code,
                amount_cents=amount_cents,
                actor=actor,
                memo=memo,
            )
        locked.status = Invoice.Status.PAID
        locked.paid_at = timezone.now()
        locked.save(update_fields=["status", "paid_at"])
        # Approved credit notes on this invoice were netted in this payment.
        locked.credit_notes.filter(status=Invoice.Status.APPROVED).update(
            status=Invoice.Status.PAID, paid_at=locked.paid_at
        )
        audit_record(
            actor=actor,
            action="invoice.paid",
            obj=locked,
            from_state=Invoice.Status.SCHEDULED,
            to_state=Invoice.Status.PAID,
            data={"amount_cents": amount_cents, "voucher": voucher.code},
        )
        if voucher.state == Voucher.State.NO_SHOW and locked.kind == Invoice.Kind.ADVANCE:
            recovery_create(voucher, amount_cents, "voorschot betaald na melding afgehaakt", actor)
        voucher_settle_if_done(voucher, actor)
    return locked

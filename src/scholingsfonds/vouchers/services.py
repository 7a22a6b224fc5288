"""The voucher from issue to redemption: start, completion, invoices, payment, expiry, recovery.

Every write locks the voucher row, checks the state table (domain/redemption.py), acts, posts
to the ledger through the budget services where money moves, and audits, in one transaction.
"""

import calendar
import hashlib
import re
import secrets
from collections import defaultdict
from datetime import date
from typing import Any, Protocol

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone

from scholingsfonds.applications.models import Application
from scholingsfonds.budget.services import (
    budget_pay_voucher,
    budget_release_voucher,
    committed_by_source,
)
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.domain.policy import Policy
from scholingsfonds.providers.models import Course, Provider, ProviderContact
from scholingsfonds.providers.selectors import course_for_training
from scholingsfonds.vouchers.domain import redemption
from scholingsfonds.vouchers.models import Invoice, Recovery, Voucher, VoucherReminder
from scholingsfonds.vouchers.permissions import can_act_for_provider, can_decide_invoices
from scholingsfonds.vouchers.selectors import (
    OPEN_INVOICE_STATES,
    credited_cents,
    room_cents,
)

# No 0/O or 1/I: codes are read aloud over the phone and typed by providers.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


class Upload(Protocol):
    """What an uploaded file offers (Django's UploadedFile, or a test double)."""

    name: str
    size: int
    content_type: str

    def read(self, size: int = -1) -> bytes: ...

    def seek(self, offset: int) -> Any: ...


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def voucher_code_new(prefix: str) -> str:
    while True:
        body = "".join(secrets.choice(_ALPHABET) for _ in range(8))
        code = f"{prefix}-{body[:4]}-{body[4:]}"
        if not Voucher.objects.filter(code=code).exists():
            return code


def _policy(voucher: Voucher) -> Policy:
    return voucher.application.policy_version.policy


def course_vouchers_counted(course: Course) -> int:
    """Vouchers that hold a place under the course cap: expired and given-back ones do not."""
    return course.vouchers.exclude(
        state__in=(Voucher.State.EXPIRED, Voucher.State.CANCELLED)
    ).count()


def _check_course(course: Course, policy: Policy) -> None:
    """Lock the course, then refuse a struck course or one whose cap is reached (STAP: 300)."""
    locked = Course.objects.select_for_update().get(pk=course.pk)
    if locked.status != Course.Status.ACTIVE:
        raise DomainError(
            "course.suspended",
            f"De opleiding '{locked.title}' is geschorst: er worden geen cheques meer voor "
            "uitgegeven.",
            f"The course '{locked.title}' is suspended: no new vouchers.",
        )
    cap = locked.voucher_cap if locked.voucher_cap is not None else policy.course_voucher_cap
    if cap and course_vouchers_counted(locked) >= cap:
        raise DomainError(
            "course.cap_reached",
            f"Voor de opleiding '{locked.title}' zijn al {cap} cheques uitgegeven, het maximum "
            "per opleiding.",
            f"The course '{locked.title}' has reached its cap of {cap} vouchers.",
        )


def voucher_issue(
    *, application: Application, code: str, amount_cents: int, issued_on: date, actor: Any
) -> Voucher:
    """Create the voucher of a grant; call inside the grant's transaction.

    Refuses (and so rolls the grant back) a suspended provider, a struck course and a course
    whose voucher cap is reached.
    """
    policy = application.policy_version.policy
    provider = application.provider
    if provider is not None and provider.status == Provider.Status.SUSPENDED:
        raise DomainError(
            "provider.suspended",
            f"{provider.name} is geschorst: er worden geen cheques voor deze opleider uitgegeven.",
            f"{provider.name} is suspended: no new vouchers.",
        )
    course = course_for_training(
        provider_id=application.provider_id, title=application.training_title
    )
    if course is not None:
        _check_course(course, policy)
    voucher = Voucher.objects.create(
        fund=application.fund,
        application=application,
        code=code,
        amount_cents=amount_cents,
        issued_on=issued_on,
        valid_until=add_months(issued_on, policy.voucher_validity_months),
        provider=provider,
        course=course,
    )
    audit_record(
        actor=actor,
        action="voucher.issued",
        obj=voucher,
        to_state=voucher.state,
        data={"amount_cents": amount_cents, "course_id": course.pk if course else None},
    )
    return voucher


def _lock(voucher: Voucher) -> Voucher:
    return (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("application__policy_version", "provider", "fund")
        .get(pk=voucher.pk)
    )


def _move(voucher: Voucher, to_state: str, actor: Any, reason: str, **data: Any) -> None:
    redemption.check_transition(voucher.state, to_state)
    from_state = voucher.state
    voucher.state = to_state
    voucher.save()
    audit_record(
        actor=actor,
        action=f"voucher.{to_state}",
        obj=voucher,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data,
    )


# The states in which a voucher ends with its remaining money given back to the fund.
RELEASE_STATES = frozenset({Voucher.State.EXPIRED, Voucher.State.CANCELLED, Voucher.State.NO_SHOW})


def voucher_release(*, voucher: Voucher, to_state: str, actor: Any, reason: str) -> Voucher:
    """End a voucher that will not be (fully) used; what is still committed goes back."""
    if to_state not in RELEASE_STATES:
        # A release ends the voucher; any other state would leave its money unaccounted for.
        raise DomainError(
            "voucher.invalid_release_state",
            f"Een cheque kan niet vrijvallen naar status '{to_state}'.",
            f"A voucher cannot be released to state '{to_state}'.",
        )
    with transaction.atomic():
        locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if locked.state not in (Voucher.State.ISSUED, Voucher.State.STARTED):
            raise DomainError(
                "voucher.not_open",
                "Deze cheque is al verzilverd, verlopen of ingetrokken.",
                "This voucher is already redeemed, expired or cancelled.",
            )
        # The state table of the domain decides, here as in every other voucher service.
        redemption.check_transition(locked.state, to_state)
        open_cents = sum(committed_by_source(voucher_ref=locked.code).values())
        if open_cents:
            budget_release_voucher(
                fund=locked.fund,
                voucher_ref=locked.code,
                amount_cents=open_cents,
                actor=actor,
                memo=reason,
            )
        from_state = locked.state
        locked.state = to_state
        locked.released_cents += open_cents
        locked.save(update_fields=["state", "released_cents"])
        audit_record(
            actor=actor,
            action=f"voucher.{to_state}",
            obj=locked,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
            data={"released_cents": open_cents},
        )
    return locked


def voucher_cancel(*, voucher: Voucher, actor: Any, reason: str) -> Voucher:
    """The person (or staff on their behalf) gives the voucher back; the money returns."""
    return voucher_release(
        voucher=voucher,
        to_state=Voucher.State.CANCELLED,
        actor=actor,
        reason=reason or "ingetrokken door de deelnemer",
    )


def vouchers_expire(*, today: date, actor: Any = None) -> int:
    """Expire every voucher past its validity that was never started; returns the count."""
    due = Voucher.objects.filter(state=Voucher.State.ISSUED, valid_until__lt=today)
    count = 0
    for voucher in due.iterator():
        voucher_release(
            voucher=voucher,
            to_state=Voucher.State.EXPIRED,
            actor=actor,
            reason=f"verlopen na {voucher.valid_until.isoformat()}",
        )
        count += 1
    return count


# --- The provider's reports ------------------------------------------------------------


def _provider_may(actor: Any, voucher: Voucher) -> None:
    if voucher.provider is None or not can_act_for_provider(actor, voucher.provider)[0]:
        # The same answer as for a code that does not exist: nobody learns it does.
        raise DomainError(
            "voucher.not_found",
            "Deze cheque bestaat niet of is niet voor uw opleiding.",
            "This voucher does not exist or is not for your courses.",
        )


def _not_suspended(provider: Provider) -> None:
    if provider.status != Provider.Status.APPROVED:
        raise DomainError(
            "provider.not_approved",
            "Uw registratie als opleider is niet (meer) goedgekeurd. Neem contact op met het "
            "fonds.",
            "Your registration as a provider is not approved (any more).",
        )


def voucher_confirm_start(
    *,
    voucher: Voucher,
    actor: Any,
    started_on: date,
    course: Course | None = None,
    today: date | None = None,
) -> Voucher:
    """The provider confirms the enrolment; with an advance policy the advance becomes due."""
    today = today or timezone.localdate()
    with transaction.atomic():
        locked = _lock(voucher)
        _provider_may(actor, locked)
        assert locked.provider is not None  # noqa: S101 - checked by _provider_may
        _not_suspended(locked.provider)
        redemption.check_transition(locked.state, Voucher.State.STARTED)
        if locked.valid_until < today or started_on > locked.valid_until:
            raise DomainError(
                "voucher.expired",
                "De cheque is op die datum niet meer geldig.",
                "The voucher is not valid on that date.",
            )
        if started_on < timezone.localtime(locked.application.submitted_at).date():
            raise DomainError(
                "voucher.started_before_application",
                "De opleiding kan niet gestart zijn vóór de aanvraag.",
                "The training cannot have started before the application.",
            )
        policy = _policy(locked)
        if course is not None and locked.course_id != course.pk:
            if course.provider_id != locked.provider_id:
                raise DomainError("course.not_found", "Deze opleiding is niet van u.")
            if locked.course_id is not None:
                raise DomainError(
                    "voucher.course_fixed",
                    "Deze cheque hoort al bij een andere opleiding uit uw catalogus.",
                    "This voucher already belongs to another course.",
                )
            _check_course(course, policy)
            locked.course = course
        locked.started_on = started_on
        locked.start_reported_at = timezone.now()
        _move(locked, Voucher.State.STARTED, actor, "start bevestigd door de opleider")
        if policy.payment_moment == "advance_at_start":
            amount = redemption.advance_cents(
                amount_cents=locked.amount_cents,
                released_cents=locked.released_cents,
                percent=policy.advance_percent,
            )
            if amount > 0:
                advance = Invoice.objects.create(
                    voucher=locked,
                    provider=locked.provider,
                    kind=Invoice.Kind.ADVANCE,
                    number=f"VS-{locked.code}",
                    invoice_date=today,
                    amount_cents=amount,
                    is_final=False,
                    submitted_by=actor,
                    submitted_at=timezone.now(),
                )
                audit_record(
                    actor=actor,
                    action="invoice.advance_due",
                    obj=advance,
                    data={"amount_cents": amount, "voucher": locked.code},
                )
    return locked


def voucher_report_completion(
    *,
    voucher: Voucher,
    actor: Any,
    completed_on: date,
    attendance_percent: int | None,
    certificate: bool,
) -> Voucher:
    """The provider reports completion; the policy says what proves it (80 % or a certificate)."""
    with transaction.atomic():
        locked = _lock(voucher)
        _provider_may(actor, locked)
        redemption.check_transition(locked.state, Voucher.State.COMPLETED)
        if locked.started_on and completed_on < locked.started_on:
            raise DomainError(
                "voucher.completed_before_start",
                "De einddatum ligt vóór de startdatum.",
                "The end date is before the start date.",
            )
        if completed_on > timezone.localdate():
            raise DomainError(
                "voucher.completed_in_future",
                "Meld de afronding als de opleiding klaar is; de einddatum ligt in de toekomst.",
                "Report completion once the training has ended.",
            )
        policy = _policy(locked)
        accepted, reason_nl, reason_en = redemption.completion_accepted(
            attendance_percent=attendance_percent,
            certificate=certificate,
            threshold_percent=policy.attendance_threshold_percent,
            evidence=policy.completion_evidence,
        )
        if not accepted:
            raise DomainError("voucher.completion_not_proven", reason_nl, reason_en)
        locked.completed_on = completed_on
        locked.attendance_percent = attendance_percent
        locked.certificate = certificate
        locked.end_reported_at = timezone.now()
        _move(
            locked,
            Voucher.State.COMPLETED,
            actor,
            reason_nl,
            attendance_percent=attendance_percent,
            certificate=certificate,
        )
        _settle_if_done(locked, actor)
    return locked


def voucher_report_no_show(
    *, voucher: Voucher, actor: Any, reason: str, attendance_percent: int | None = None
) -> Voucher:
    """The person did not turn up or dropped out: nothing more is paid, and what was not spent
    goes back; an advance already paid (or on its way) becomes a recovery (terugvordering)."""
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "voucher.reason_required",
            "Beschrijf kort wat er gebeurde (niet verschenen, gestopt na week 3, ...).",
            "Describe briefly what happened.",
        )
    with transaction.atomic():
        locked = _lock(voucher)
        _provider_may(actor, locked)
        redemption.check_transition(locked.state, Voucher.State.NO_SHOW)
        advances = list(
            Invoice.objects.select_for_update().filter(voucher=locked, kind=Invoice.Kind.ADVANCE)
        )
        on_its_way = 0
        paid = 0
        for advance in advances:
            if advance.status in (Invoice.Status.SUBMITTED, Invoice.Status.APPROVED):
                advance.status = Invoice.Status.REJECTED
                advance.rejection_reason = "vervallen: deelnemer niet verschenen of afgehaakt"
                advance.decided_at = timezone.now()
                advance.save(update_fields=["status", "rejection_reason", "decided_at"])
            elif advance.status == Invoice.Status.SCHEDULED:
                on_its_way += advance.amount_cents  # stays committed; recovered once paid
            elif advance.status == Invoice.Status.PAID:
                paid += advance.amount_cents
        committed = sum(committed_by_source(voucher_ref=locked.code).values())
        release = committed - on_its_way
        if release > 0:
            budget_release_voucher(
                fund=locked.fund,
                voucher_ref=locked.code,
                amount_cents=release,
                actor=actor,
                memo=f"niet verschenen of afgehaakt: {reason}"[:240],
            )
            locked.released_cents += release
        locked.attendance_percent = attendance_percent
        locked.end_reported_at = timezone.now()
        _move(locked, Voucher.State.NO_SHOW, actor, reason, released_cents=max(release, 0))
        if paid:
            _recovery_create(
                locked, paid, f"voorschot betaald, deelnemer afgehaakt: {reason}", actor
            )
    return locked


def _recovery_create(voucher: Voucher, amount: int, reason: str, actor: Any) -> Recovery:
    assert voucher.provider is not None  # noqa: S101 - vouchers with money have a provider
    recovery = Recovery.objects.create(
        voucher=voucher,
        provider=voucher.provider,
        amount_cents=amount,
        reason=reason,
        created_at=timezone.now(),
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="recovery.created",
        obj=recovery,
        to_state=recovery.status,
        reason=reason,
        data={"amount_cents": amount, "voucher": voucher.code},
    )
    return recovery


# --- Invoices and credit notes ---------------------------------------------------------


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
        locked = _lock(voucher)
        _provider_may(actor, locked)
        if locked.state != Voucher.State.COMPLETED:
            raise DomainError(
                "invoice.not_completed",
                "U factureert nadat u de afronding hebt gemeld (minstens "
                f"{_policy(locked).attendance_threshold_percent} % aanwezig of een certificaat).",
                "Invoice after reporting completion.",
            )
        redemption.check_invoice_amount(amount_cents=amount_cents, room_cents=room_cents(locked))
        document, digest, size = _store_pdf(upload, name=f"{locked.code}-{_safe(number)}.pdf")
        assert locked.provider is not None  # noqa: S101 - checked by _provider_may
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
        locked = _lock(invoice.voucher)
        _provider_may(actor, locked)
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
        voucher = _lock(invoice.voucher)
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
                _recovery_create(voucher, locked.amount_cents, f"creditnota {locked.number}", actor)
            _settle_if_done(voucher, actor)
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
        voucher = _lock(invoice.voucher)
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
            _recovery_create(voucher, amount_cents, "voorschot betaald na melding afgehaakt", actor)
        _settle_if_done(voucher, actor)
    return locked


def _settle_if_done(voucher: Voucher, actor: Any) -> None:
    """Completed, nothing open, and the last invoice paid (or nothing left to invoice): the
    voucher is redeemed and what is still committed beyond the payments goes back."""
    if voucher.state != Voucher.State.COMPLETED:
        return
    invoices = Invoice.objects.filter(voucher=voucher)
    if invoices.filter(status__in=OPEN_INVOICE_STATES).exists():
        return
    final_paid = invoices.filter(
        kind=Invoice.Kind.INVOICE, is_final=True, status=Invoice.Status.PAID
    ).exists()
    if not final_paid and room_cents(voucher) > 0:
        return
    rest = sum(committed_by_source(voucher_ref=voucher.code).values())
    if rest:
        budget_release_voucher(
            fund=voucher.fund,
            voucher_ref=voucher.code,
            amount_cents=rest,
            actor=actor,
            memo="verzilverd: wat niet gefactureerd is, vloeit terug",
        )
        voucher.released_cents += rest
    _move(voucher, Voucher.State.REDEEMED, actor, "laatste betaling gedaan", released_cents=rest)


# --- Recovery ---------------------------------------------------------------------------


def recovery_settle(*, recovery: Recovery, actor: Any, received: bool, note: str) -> Recovery:
    """Finance records that the provider paid back (money returns to the sources) or waives it."""
    from scholingsfonds.budget.models import Posting
    from scholingsfonds.budget.services import _lock_balances, _post, sources_in_spending_order

    note = note.strip()
    if not note:
        raise DomainError(
            "recovery.note_required",
            "Noteer het bewijs (datum en kenmerk van de ontvangst) of de reden.",
            "Note the proof of receipt or the reason.",
        )
    with transaction.atomic():
        locked = Recovery.objects.select_for_update().get(pk=recovery.pk)
        voucher = _lock(locked.voucher)
        allowed, reason = can_decide_invoices(actor, voucher.fund)
        if not allowed:
            raise DomainError("recovery.not_allowed", reason)
        if locked.status != Recovery.Status.OPEN:
            raise DomainError("recovery.settled", "Deze terugvordering is al afgehandeld.")
        if received:
            paid: dict[int, int] = defaultdict(int)
            for source_id, amount in Posting.objects.filter(
                ref=voucher.code, account="paid"
            ).values_list("source_id", "amount_cents"):
                paid[source_id] += amount
            _lock_balances(paid)
            postings = []
            left = locked.amount_cents
            # Back to the sources that paid, the last-allocated first (as releases do).
            for source in reversed(sources_in_spending_order(paid)):
                take = min(paid[source.pk], left)
                if take <= 0:
                    continue
                left -= take
                postings.append((source, "paid", voucher.code, -take))
                postings.append((source, "available", "", take))
            if left:
                raise DomainError(
                    "recovery.more_than_paid", "Er wordt meer teruggevorderd dan er betaald is."
                )
            _post(
                fund=voucher.fund,
                kind="release",
                ref=voucher.code,
                memo=f"Terugvordering ontvangen: {note}"[:240],
                actor=actor,
                postings=postings,
            )
            voucher.released_cents += locked.amount_cents
            voucher.save(update_fields=["released_cents"])
        locked.status = Recovery.Status.RECEIVED if received else Recovery.Status.WAIVED
        locked.settled_at = timezone.now()
        locked.settled_by = actor
        locked.settled_note = note
        locked.save(update_fields=["status", "settled_at", "settled_by", "settled_note"])
        audit_record(
            actor=actor,
            action=f"recovery.{locked.status}",
            obj=locked,
            from_state=Recovery.Status.OPEN,
            to_state=locked.status,
            reason=note,
            data={"amount_cents": locked.amount_cents},
        )
    return locked


# --- Reminders before expiry ------------------------------------------------------------


def _provider_addresses(provider: Provider) -> list[str]:
    contacts = list(
        provider.contacts.filter(role=ProviderContact.Role.PARTICIPANTS).values_list(
            "email", flat=True
        )
    ) or list(provider.contacts.values_list("email", flat=True)[:1])
    if not contacts and provider.email:
        contacts = [provider.email]
    return contacts


def vouchers_remind(*, today: date) -> int:
    """Remind the person and the provider of vouchers not started yet, before they expire."""
    count = 0
    horizon = 366
    candidates = Voucher.objects.filter(
        state=Voucher.State.ISSUED,
        valid_until__gte=today,
        valid_until__lte=date.fromordinal(today.toordinal() + horizon),
    ).select_related("application__policy_version", "provider", "fund")
    for voucher in candidates.iterator():
        policy = _policy(voucher)
        sent = VoucherReminder.objects.filter(voucher=voucher).values_list("days_before", flat=True)
        due = redemption.reminder_due(
            valid_until=voucher.valid_until,
            today=today,
            days=policy.expiry_reminder_days,
            sent=list(sent),
        )
        if due is None:
            continue
        threshold, done = due
        recipients = [voucher.application.email]
        provider_to = _provider_addresses(voucher.provider) if voucher.provider else []
        with transaction.atomic():
            for days in done:
                VoucherReminder.objects.get_or_create(
                    voucher=voucher,
                    days_before=days,
                    defaults={
                        "sent_on": today,
                        "recipients": len(recipients) + len(provider_to)
                        if days == threshold
                        else 0,
                    },
                )
            audit_record(
                actor=None,
                action="voucher.reminder_sent",
                obj=voucher,
                data={"days_before": threshold},
            )
            context = {"voucher": voucher, "days": (voucher.valid_until - today).days}
            person = render_to_string("vouchers/email/reminder_person.txt", context)
            to_provider = render_to_string("vouchers/email/reminder_provider.txt", context)
            transaction.on_commit(
                lambda p=person, r=recipients, q=to_provider, t=provider_to, c=voucher.code: (
                    _mail(f"Uw scholingscheque {c} verloopt bijna", p, r),
                    _mail(f"Cheque {c} verloopt bijna: nog niet gestart", q, t),
                )
            )
        count += 1
    return count


def _mail(subject: str, body: str, to: list[str]) -> None:
    if to:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)

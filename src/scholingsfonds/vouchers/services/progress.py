"""The provider's reports on a voucher: the start, the completion, a no-show."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from scholingsfonds.budget.services import budget_release_voucher, committed_by_source
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.providers.models import Course
from scholingsfonds.vouchers.domain import redemption
from scholingsfonds.vouchers.models import Invoice, Voucher
from scholingsfonds.vouchers.services._shared import (
    course_check,
    provider_may_act,
    provider_not_suspended,
    voucher_locked,
    voucher_move,
    voucher_policy,
    voucher_settle_if_done,
)
from scholingsfonds.vouchers.services.recovery import recovery_create


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
        locked = voucher_locked(voucher)
        provider_may_act(actor, locked)
        assert locked.provider is not None  # noqa: S101 - checked by provider_may_act
        provider_not_suspended(locked.provider)
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
        policy = voucher_policy(locked)
        if course is not None and locked.course_id != course.pk:
            if course.provider_id != locked.provider_id:
                raise DomainError("course.not_found", "Deze opleiding is niet van u.")
            if locked.course_id is not None:
                raise DomainError(
                    "voucher.course_fixed",
                    "Deze cheque hoort al bij een andere opleiding uit uw catalogus.",
                    "This voucher already belongs to another course.",
                )
            course_check(course, policy)
            locked.course = course
        locked.started_on = started_on
        locked.start_reported_at = timezone.now()
        voucher_move(locked, Voucher.State.STARTED, actor, "start bevestigd door de opleider")
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
        locked = voucher_locked(voucher)
        provider_may_act(actor, locked)
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
        policy = voucher_policy(locked)
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
        voucher_move(
            locked,
            Voucher.State.COMPLETED,
            actor,
            reason_nl,
            attendance_percent=attendance_percent,
            certificate=certificate,
        )
        voucher_settle_if_done(locked, actor)
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
        locked = voucher_locked(voucher)
        provider_may_act(actor, locked)
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
        voucher_move(locked, Voucher.State.NO_SHOW, actor, reason, released_cents=max(release, 0))
        if paid:
            recovery_create(
                locked, paid, f"voorschot betaald, deelnemer afgehaakt: {reason}", actor
            )
    return locked

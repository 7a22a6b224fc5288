"""What the voucher services share: the row lock, the state move, the provider's and the
course's checks, and settlement once the last invoice is paid."""

from typing import Any

from scholingsfonds.budget.services import budget_release_voucher, committed_by_source
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.domain.policy import Policy
from scholingsfonds.providers.models import Course, Provider
from scholingsfonds.vouchers.domain import redemption
from scholingsfonds.vouchers.models import Invoice, Voucher
from scholingsfonds.vouchers.permissions import can_act_for_provider
from scholingsfonds.vouchers.selectors import OPEN_INVOICE_STATES, room_cents


def voucher_policy(voucher: Voucher) -> Policy:
    return voucher.application.policy_version.policy


def course_vouchers_counted(course: Course) -> int:
    """Vouchers that hold a place under the course cap: expired and given-back ones do not."""
    return course.vouchers.exclude(
        state__in=(Voucher.State.EXPIRED, Voucher.State.CANCELLED)
    ).count()


def course_check(course: Course, policy: Policy) -> None:
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


def voucher_locked(voucher: Voucher) -> Voucher:
    return (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("application__policy_version", "provider", "fund")
        .get(pk=voucher.pk)
    )


def voucher_move(voucher: Voucher, to_state: str, actor: Any, reason: str, **data: Any) -> None:
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


def provider_may_act(actor: Any, voucher: Voucher) -> None:
    if voucher.provider is None or not can_act_for_provider(actor, voucher.provider)[0]:
        # The same answer as for a code that does not exist: nobody learns it does.
        raise DomainError(
            "voucher.not_found",
            "Deze cheque bestaat niet of is niet voor uw opleiding.",
            "This voucher does not exist or is not for your courses.",
        )


def provider_not_suspended(provider: Provider) -> None:
    if provider.status != Provider.Status.APPROVED:
        raise DomainError(
            "provider.not_approved",
            "Uw registratie als opleider is niet (meer) goedgekeurd. Neem contact op met het "
            "fonds.",
            "Your registration as a provider is not approved (any more).",
        )


def voucher_settle_if_done(voucher: Voucher, actor: Any) -> None:
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
    voucher_move(
        voucher, Voucher.State.REDEEMED, actor, "laatste betaling gedaan", released_cents=rest
    )

"""A voucher comes with a grant and ends unused: issue, release, cancel, expiry."""

import calendar
import secrets
from datetime import date
from typing import Any

from django.db import transaction

from scholingsfonds.applications.models import Application
from scholingsfonds.budget.services import budget_release_voucher, committed_by_source
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.providers.models import Provider
from scholingsfonds.providers.selectors import course_for_training
from scholingsfonds.vouchers.domain import redemption
from scholingsfonds.vouchers.models import Voucher
from scholingsfonds.vouchers.services._shared import course_check

# No 0/O or 1/I: codes are read aloud over the phone and typed by providers.
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


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
        course_check(course, policy)
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

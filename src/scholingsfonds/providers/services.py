"""Writes to the provider registry and the course catalogue: lock, check, act, audit."""

from collections.abc import Iterable
from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from scholingsfonds.accounts.models import Role, User
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.permissions import has_role
from scholingsfonds.funds.models import Occupation
from scholingsfonds.providers.domain.registry import approval_problems, bank_account, kvk_number
from scholingsfonds.providers.models import Course, CoursePrice, Provider, ProviderContact

# Fields a provider fills in when it applies to be registered.
APPLICATION_FIELDS = (
    "name",
    "kind",
    "kvk_number",
    "institution_code",
    "recognition_reference",
    "crkbo_registered",
    "iban",
    "account_holder",
    "email",
    "phone",
    "website",
    "street",
    "postcode",
    "city",
)


def _only_administrator(actor: Any) -> None:
    if not has_role(actor, "administrator"):
        raise DomainError(
            "provider.not_allowed",
            "Alleen de beheerder van het fonds keurt opleiders goed of schorst ze.",
            "Only the fund administrator approves or suspends providers.",
        )


def _reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "provider.reason_required",
            "Geef een reden op; die komt in het logboek en de opleider ziet hem.",
            "Give a reason; it is logged and shown to the provider.",
        )
    return reason


def provider_apply(
    *, data: dict[str, Any], contact_name: str, contact_email: str, actor: Any = None
) -> Provider:
    """A provider asks to be registered; the contact gets a provider account (no password)."""
    values = {key: data.get(key, "") for key in APPLICATION_FIELDS}
    values["crkbo_registered"] = bool(data.get("crkbo_registered"))
    values["kvk_number"] = kvk_number(str(values["kvk_number"]))
    account = bank_account(str(values["iban"]))
    values["iban"], values["bic"] = account.iban, account.bic
    values["institution_code"] = str(values["institution_code"]).strip().upper()
    email = contact_email.strip().lower()
    with transaction.atomic():
        user = User.objects.filter(email__iexact=email).first()
        if user is not None and user.role != Role.PROVIDER:
            raise DomainError(
                "provider.email_in_use",
                "Dit e-mailadres hoort al bij een ander soort account. Gebruik een ander adres.",
                "This e-mail address belongs to another kind of account.",
            )
        if user is None:
            first, _, last = contact_name.strip().partition(" ")
            user = User.objects.create_user(
                username=f"opleider-{email}"[:150],
                email=email,
                password=None,
                first_name=first[:150],
                last_name=last[:150],
                role=Role.PROVIDER,
            )
        provider = Provider.objects.create(
            **values, status=Provider.Status.PENDING, applied_at=timezone.now()
        )
        provider.users.add(user)
        ProviderContact.objects.create(
            provider=provider,
            name=contact_name.strip(),
            role=ProviderContact.Role.GENERAL,
            email=email,
            phone=str(values["phone"]),
        )
        audit_record(
            actor=actor or user,
            action="provider.applied",
            obj=provider,
            to_state=provider.status,
            data={"kind": provider.kind},
        )
    return provider


def _set_status(*, provider: Provider, actor: Any, to_state: str, reason: str) -> Provider:
    with transaction.atomic():
        locked = Provider.objects.select_for_update().get(pk=provider.pk)
        from_state = locked.status
        locked.status = to_state
        locked.status_reason = reason
        locked.status_changed_at = timezone.now()
        locked.save(update_fields=["status", "status_reason", "status_changed_at"])
        audit_record(
            actor=actor,
            action=f"provider.{to_state}",
            obj=locked,
            from_state=from_state,
            to_state=to_state,
            reason=reason,
        )
    return locked


def provider_approve(*, provider: Provider, actor: Any, reason: str) -> Provider:
    """The administrator approves a provider (or lifts a suspension), with a reason."""
    _only_administrator(actor)
    reason = _reason(reason)
    problems = approval_problems(
        kind=provider.kind,
        institution_code=provider.institution_code,
        recognition_reference=provider.recognition_reference,
        kvk=provider.kvk_number,
        iban=provider.iban,
    )
    if problems:
        raise problems[0]
    if provider.status == Provider.Status.APPROVED:
        raise DomainError("provider.already_approved", "Deze opleider is al goedgekeurd.")
    return _set_status(
        provider=provider, actor=actor, to_state=Provider.Status.APPROVED, reason=reason
    )


def provider_suspend(*, provider: Provider, actor: Any, reason: str) -> Provider:
    """Suspend: no new vouchers, no new starts; training already given can still be invoiced."""
    _only_administrator(actor)
    reason = _reason(reason)
    if provider.status == Provider.Status.SUSPENDED:
        raise DomainError("provider.already_suspended", "Deze opleider is al geschorst.")
    return _set_status(
        provider=provider, actor=actor, to_state=Provider.Status.SUSPENDED, reason=reason
    )


def provider_bank_account_set(
    *, provider: Provider, actor: Any, iban: str, account_holder: str, reason: str
) -> Provider:
    """Change where the fund pays: the administrator only, after checking it with the provider.

    A changed bank account is the classic way to divert payments, so the provider cannot
    change it itself and every change is in the audit log with the old and new number.
    """
    _only_administrator(actor)
    reason = _reason(reason)
    account = bank_account(iban)
    with transaction.atomic():
        locked = Provider.objects.select_for_update().get(pk=provider.pk)
        old = locked.iban
        locked.iban, locked.bic = account.iban, account.bic
        locked.account_holder = account_holder.strip()[:70]
        locked.save(update_fields=["iban", "bic", "account_holder"])
        audit_record(
            actor=actor,
            action="provider.bank_account_changed",
            obj=locked,
            reason=reason,
            data={"old_iban": old, "new_iban": account.iban},
        )
    return locked


def course_create(
    *,
    provider: Provider,
    actor: Any,
    title: str,
    level: str,
    hours: int,
    sector: str,
    price_cents: int,
    occupations: Iterable[Occupation] = (),
    voucher_cap: int | None = None,
    today: date | None = None,
) -> Course:
    """Add a course to a provider's catalogue with its first price."""
    today = today or timezone.localdate()
    if provider.status == Provider.Status.SUSPENDED:
        raise DomainError(
            "provider.suspended",
            "Een geschorste opleider kan geen opleidingen toevoegen.",
            "A suspended provider cannot add courses.",
        )
    if hours <= 0 or price_cents <= 0:
        raise DomainError(
            "course.invalid", "Uren en prijs moeten groter dan nul zijn.", "Hours and price > 0."
        )
    title = title.strip()
    with transaction.atomic():
        if Course.objects.filter(provider=provider, title__iexact=title).exists():
            raise DomainError(
                "course.duplicate",
                "Deze opleider heeft al een opleiding met deze titel.",
                "This provider already has a course with this title.",
            )
        course = Course.objects.create(
            provider=provider,
            title=title,
            level=level,
            hours=hours,
            sector=sector,
            voucher_cap=voucher_cap,
            created_on=today,
        )
        course.target_occupations.set(list(occupations))
        CoursePrice.objects.create(
            course=course, price_cents=price_cents, valid_from=today, recorded_by=_user(actor)
        )
        audit_record(
            actor=actor,
            action="course.created",
            obj=course,
            data={"price_cents": price_cents, "hours": hours},
        )
    return course


def course_price_set(
    *, course: Course, actor: Any, price_cents: int, valid_from: date | None = None
) -> CoursePrice:
    """A new price from a date; the old prices stay (the market signals read the history)."""
    valid_from = valid_from or timezone.localdate()
    if price_cents <= 0:
        raise DomainError("course.invalid", "De prijs moet groter dan nul zijn.", "Price > 0.")
    with transaction.atomic():
        row = CoursePrice.objects.create(
            course=course, price_cents=price_cents, valid_from=valid_from, recorded_by=_user(actor)
        )
        audit_record(
            actor=actor,
            action="course.price_set",
            obj=course,
            data={"price_cents": price_cents, "valid_from": valid_from.isoformat()},
        )
    return row


def course_suspend(*, course: Course, actor: Any, reason: str) -> Course:
    """Strike a course: no new vouchers for it (the vouchers already issued stay valid)."""
    if not has_role(actor, "administrator", "manager", "finance"):
        raise DomainError(
            "course.not_allowed",
            "Alleen de beheerder, de manager of financiën schorst een opleiding.",
            "Only the administrator, manager or finance suspends a course.",
        )
    reason = _reason(reason)
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        if locked.status == Course.Status.SUSPENDED:
            raise DomainError("course.already_suspended", "Deze opleiding is al geschorst.")
        locked.status = Course.Status.SUSPENDED
        locked.status_reason = reason
        locked.save(update_fields=["status", "status_reason"])
        audit_record(
            actor=actor,
            action="course.suspended",
            obj=locked,
            from_state=Course.Status.ACTIVE,
            to_state=Course.Status.SUSPENDED,
            reason=reason,
        )
    return locked


def course_reinstate(*, course: Course, actor: Any, reason: str) -> Course:
    """Lift a course's suspension, with a reason."""
    _only_administrator(actor)
    reason = _reason(reason)
    with transaction.atomic():
        locked = Course.objects.select_for_update().get(pk=course.pk)
        locked.status = Course.Status.ACTIVE
        locked.status_reason = reason
        locked.save(update_fields=["status", "status_reason"])
        audit_record(
            actor=actor,
            action="course.reinstated",
            obj=locked,
            from_state=Course.Status.SUSPENDED,
            to_state=Course.Status.ACTIVE,
            reason=reason,
        )
    return locked


def _user(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None

"""Reminders to the person and the provider before a voucher that was never started expires."""

from datetime import date

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string

from scholingsfonds.core.audit import audit_record
from scholingsfonds.providers.models import Provider, ProviderContact
from scholingsfonds.vouchers.domain import redemption
from scholingsfonds.vouchers.models import Voucher, VoucherReminder
from scholingsfonds.vouchers.services._shared import voucher_policy


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
        policy = voucher_policy(voucher)
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

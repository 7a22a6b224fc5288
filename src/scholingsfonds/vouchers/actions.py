"""The facts of a voucher for its allowed actions (vouchers/domain/actions.py)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from scholingsfonds.core.domain.actions import Action
from scholingsfonds.providers.models import Provider
from scholingsfonds.vouchers.domain import actions as voucher_domain
from scholingsfonds.vouchers.models import Voucher
from scholingsfonds.vouchers.permissions import can_act_for_provider
from scholingsfonds.vouchers.selectors import room_cents


def voucher_facts(
    voucher: Voucher, user: Any, today: date | None = None
) -> voucher_domain.VoucherFacts:
    today = today or timezone.localdate()
    provider = voucher.provider
    authenticated = getattr(user, "is_authenticated", False)
    return voucher_domain.VoucherFacts(
        # The same predicate the services ask before any report of the provider.
        works_for_provider=provider is not None and can_act_for_provider(user, provider)[0],
        provider_approved=provider is not None and provider.status == Provider.Status.APPROVED,
        past_validity=voucher.valid_until < today,
        is_participant=bool(authenticated and voucher.application.applicant_id == user.pk),
        room_cents=room_cents(voucher) if voucher.state in voucher_domain.INVOICE_STATES else 0,
    )


def voucher_actions(voucher: Voucher, user: Any) -> list[Action]:
    """Every action on this voucher for this person, allowed or not."""
    role = getattr(user, "role", "") if getattr(user, "is_authenticated", False) else ""
    return voucher_domain.allowed_actions(voucher.state, role, voucher_facts(voucher, user))

"""Money a provider owes back (terugvordering): created when it is known, settled by finance."""

from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils import timezone

from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.vouchers.models import Recovery, Voucher
from scholingsfonds.vouchers.permissions import can_decide_invoices
from scholingsfonds.vouchers.services._shared import voucher_locked


def recovery_create(voucher: Voucher, amount: int, reason: str, actor: Any) -> Recovery:
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
        voucher = voucher_locked(locked.voucher)
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

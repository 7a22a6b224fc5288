"""Writes of the finance area: confirming co-financing and moving pledges between sources."""

from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import FundingSource, JournalTransaction
from scholingsfonds.budget.services import _lock_balances, _post
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_cents_en, format_cents_nl
from scholingsfonds.payments.models import CofinancingConfirmation
from scholingsfonds.payments.permissions import can_confirm_cofinancing, can_reallocate

# The journal has no kind of its own for a reallocation (budget/models.py is not ours to
# change): it is a pledge transaction whose memo starts with this word (ADR 0004).
REALLOCATION_MEMO = "Herverdeling"


def cofinancing_part_cents(application: Application, payer: str) -> int:
    """What the application says this payer contributes (the parts of one payer summed)."""
    return sum(
        int(part["amount_cents"]) for part in application.cofinancing if part.get("payer") == payer
    )


def cofinancing_confirm(
    *, application: Application, actor: Any, payer: str, proof_note: str
) -> CofinancingConfirmation:
    """Record that finance saw proof that a co-financer pays its part of a granted voucher."""
    allowed, reason = can_confirm_cofinancing(actor, application.fund)
    if not allowed:
        raise DomainError("payments.not_allowed", reason)
    proof_note = proof_note.strip()
    if not proof_note:
        raise DomainError(
            "cofinancing.proof_required",
            "Noteer welk bewijs u zag, bijvoorbeeld een factuurnummer of betaaldatum.",
            "Note which proof you saw, for example an invoice number or payment date.",
        )
    with transaction.atomic():
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not hasattr(application, "voucher"):
            raise DomainError(
                "cofinancing.not_granted",
                "Cofinanciering wordt pas bevestigd als er een scholingscheque is toegekend.",
                "Co-financing is confirmed only once a voucher has been granted.",
            )
        amount = cofinancing_part_cents(application, payer)
        if amount <= 0:
            raise DomainError(
                "cofinancing.no_such_part",
                "Deze aanvraag heeft geen bijdrage van deze betaler.",
                "This application has no contribution from this payer.",
            )
        if CofinancingConfirmation.objects.filter(application=application, payer=payer).exists():
            raise DomainError(
                "cofinancing.already_confirmed",
                "Deze bijdrage is al bevestigd.",
                "This contribution has already been confirmed.",
            )
        try:
            with transaction.atomic():
                confirmation = CofinancingConfirmation.objects.create(
                    application=application,
                    payer=payer,
                    amount_cents=amount,
                    confirmed_by=actor,
                    confirmed_at=timezone.now(),
                    proof_note=proof_note,
                )
        except IntegrityError as error:  # a parallel click won the race
            raise DomainError(
                "cofinancing.already_confirmed", "Deze bijdrage is al bevestigd."
            ) from error
        audit_record(
            actor=actor,
            action="cofinancing.confirmed",
            obj=application,
            reason=proof_note[:500],
            data={"payer": payer, "amount_cents": amount, "confirmation_id": confirmation.pk},
        )
    return confirmation


def source_reallocate(
    *,
    from_source: FundingSource,
    to_source: FundingSource,
    amount_cents: int,
    actor: Any,
    reason: str,
) -> JournalTransaction:
    """Move part of a funder's pledge from one source to another of the same funder and fund.

    One balanced transaction: the pledge of `from_source` and its available money go down by
    the amount, those of `to_source` go up. Only money that is still available can move, so
    nothing claimed, committed or paid ever changes source.
    """
    allowed, why = can_reallocate(actor)
    if not allowed:
        raise DomainError("payments.not_allowed", why)
    reason = reason.strip()
    if not reason:
        raise DomainError(
            "reallocation.reason_required",
            "Geef een reden voor de herverdeling.",
            "Give a reason for the reallocation.",
        )
    if amount_cents <= 0:
        raise DomainError(
            "reallocation.invalid_amount",
            "Het bedrag moet groter zijn dan nul.",
            "The amount must be greater than zero.",
        )
    if from_source.pk == to_source.pk:
        raise DomainError(
            "reallocation.same_source",
            "Kies twee verschillende bronnen.",
            "Choose two different sources.",
        )
    if from_source.fund_id != to_source.fund_id:
        raise DomainError(
            "reallocation.other_fund",
            "Geld gaat alleen over tussen bronnen van hetzelfde fonds.",
            "Money only moves between sources of the same fund.",
        )
    # Every euro stays traceable to its funder: money never changes funder.
    if from_source.funder != to_source.funder:
        raise DomainError(
            "reallocation.other_funder",
            "Geld gaat alleen over tussen bronnen van dezelfde financier.",
            "Money only moves between sources of the same funder.",
        )
    with transaction.atomic():
        balances = _lock_balances([from_source.pk, to_source.pk])
        available = balances[from_source.pk].available_cents
        if amount_cents > available:
            raise DomainError(
                "reallocation.insufficient_funds",
                f"Er is maar {format_cents_nl(available)} beschikbaar in {from_source.name}.",
                f"Only {format_cents_en(available)} is available in {from_source.name}.",
            )
        tx = _post(
            fund=from_source.fund,
            kind="pledge",
            ref="",
            memo=f"{REALLOCATION_MEMO} {from_source.name} → {to_source.name}: {reason}",
            actor=actor,
            postings=[
                (from_source, "pledge", "", amount_cents),
                (from_source, "available", "", -amount_cents),
                (to_source, "pledge", "", -amount_cents),
                (to_source, "available", "", amount_cents),
            ],
        )
        audit_record(
            actor=actor,
            action="budget.reallocated",
            obj=tx,
            reason=reason[:500],
            data={
                "from_source": from_source.pk,
                "to_source": to_source.pk,
                "amount_cents": amount_cents,
            },
        )
    return tx

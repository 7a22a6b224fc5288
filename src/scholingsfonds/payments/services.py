"""Writes of the finance area: confirming co-financing and moving pledges between sources."""

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import FundingSource, JournalTransaction, SourceClosure
from scholingsfonds.budget.services import _lock_balances, _post, budget_close_out
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_cents_en, format_cents_nl, format_date_nl
from scholingsfonds.payments.models import CofinancingConfirmation
from scholingsfonds.payments.permissions import (
    can_approve_close,
    can_confirm_cofinancing,
    can_propose_close,
    can_reallocate,
)

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
    # A closed source keeps nothing available: money moved in would be stranded there.
    if SourceClosure.objects.filter(source__in=[from_source, to_source]).exists():
        raise DomainError(
            "reallocation.source_closed",
            "Een afgesloten bron (of een bron met een voorstel tot afsluiten) herverdeelt niet.",
            "A closed source (or one proposed for closing) takes no part in a reallocation.",
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


# --- Payment runs (providers issue) -----------------------------------------------------


def _finance_of(actor: Any, fund: Any) -> None:
    from scholingsfonds.vouchers.permissions import can_decide_invoices

    allowed, reason = can_decide_invoices(actor, fund)
    if not allowed:
        raise DomainError("payments.not_allowed", reason)


def pay_split(*, voucher_ref: str, amount_cents: int) -> list[dict[str, int]]:
    """How the ledger will pay this amount over the voucher's sources, for the books' CSV
    before the payment is posted (the same split budget_pay_voucher posts)."""
    from scholingsfonds.budget.services import committed_by_source, payment_split

    committed = committed_by_source(voucher_ref=voucher_ref)
    return [
        {"source_id": source.pk, "amount_cents": take}
        for source, take in payment_split(committed, amount_cents)
    ]


def _batch_number(fund: Any, today: Any) -> str:
    from scholingsfonds.payments.models import PaymentBatch

    prefix = f"BR-{fund.reference_prefix}-{today:%Y}-"
    count = PaymentBatch.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


def payment_batch_create(*, fund: Any, actor: Any, execution_date: Any) -> Any:
    """Finance puts every approved invoice of the fund in a new draft payment run."""
    from scholingsfonds.payments.models import FundBankAccount, PaymentBatch, PaymentLine
    from scholingsfonds.vouchers.models import Invoice
    from scholingsfonds.vouchers.selectors import payable_cents
    from scholingsfonds.vouchers.services import invoice_schedule

    _finance_of(actor, fund)
    today = timezone.localdate()
    if execution_date < today:
        raise DomainError(
            "payment_batch.date_past",
            "De uitvoerdatum ligt in het verleden.",
            "The execution date is in the past.",
        )
    if not FundBankAccount.objects.filter(fund=fund).exists():
        raise DomainError(
            "payment_batch.no_account",
            "Het fonds heeft nog geen betaalrekening. De beheerder legt die vast in het beheer "
            "(Financiën → Betaalrekeningen fondsen).",
            "The fund has no bank account yet (admin: Financiën → Betaalrekeningen fondsen).",
        )
    with transaction.atomic():
        invoices = list(
            Invoice.objects.select_for_update(of=("self",))
            .filter(voucher__fund=fund, status=Invoice.Status.APPROVED)
            .exclude(kind=Invoice.Kind.CREDIT_NOTE)
            .select_related("provider", "voucher")
            .order_by("submitted_at", "id")
        )
        if not invoices:
            raise DomainError(
                "payment_batch.empty",
                "Er zijn geen goedgekeurde facturen om te betalen.",
                "There are no approved invoices to pay.",
            )
        batch = PaymentBatch.objects.create(
            fund=fund,
            number=_batch_number(fund, today),
            execution_date=execution_date,
            created_by=actor,
            created_at=timezone.now(),
        )
        total = 0
        for index, invoice in enumerate(invoices, start=1):
            provider = invoice.provider
            if not provider.iban:
                raise DomainError(
                    "payment_batch.no_iban",
                    f"{provider.name} heeft geen IBAN; vul het eerst in.",
                    f"{provider.name} has no IBAN.",
                )
            amount = payable_cents(invoice)
            if amount <= 0:
                continue
            invoice_schedule(invoice=invoice, actor=actor, scheduled=True)
            PaymentLine.objects.create(
                batch=batch,
                invoice=invoice,
                amount_cents=amount,
                payee_name=provider.payee_name[:70],
                iban=provider.iban,
                bic=provider.bic,
                end_to_end_id=f"{batch.number}-{index}"[:35],
                description=(
                    f"{invoice.get_kind_display()} {invoice.number} scholingscheque "
                    f"{invoice.voucher.code} {fund.short_name}"
                )[:140],
                split=pay_split(voucher_ref=invoice.voucher.code, amount_cents=amount),
            )
            total += amount
        batch.total_cents = total
        batch.save(update_fields=["total_cents"])
        audit_record(
            actor=actor,
            action="payment_batch.created",
            obj=batch,
            to_state=batch.status,
            data={"lines": batch.lines.count(), "total_cents": total},
        )
    return batch


def payment_batch_discard(*, batch: Any, actor: Any, reason: str) -> None:
    """A draft run is dropped; its invoices go back to 'approved'."""
    from scholingsfonds.payments.models import PaymentBatch
    from scholingsfonds.vouchers.services import invoice_schedule

    _finance_of(actor, batch.fund)
    with transaction.atomic():
        locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != PaymentBatch.Status.DRAFT:
            raise DomainError("payment_batch.not_draft", "Alleen een concept kan vervallen.")
        for line in locked.lines.select_related("invoice"):
            invoice_schedule(invoice=line.invoice, actor=actor, scheduled=False)
        audit_record(actor=actor, action="payment_batch.discarded", obj=locked, reason=reason)
        locked.lines.all().delete()
        locked.delete()


def payment_batch_approve(*, batch: Any, actor: Any) -> Any:
    """A second finance officer approves the run; the SEPA file is written and validated."""
    from scholingsfonds.payments.models import FundBankAccount, PaymentBatch
    from scholingsfonds.payments.sepa import pain001

    _finance_of(actor, batch.fund)
    with transaction.atomic():
        locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != PaymentBatch.Status.DRAFT:
            raise DomainError("payment_batch.not_draft", "Deze betaalronde is al goedgekeurd.")
        if locked.created_by_id == actor.pk:
            raise DomainError(
                "payment_batch.four_eyes",
                "Een andere medewerker financiën moet deze betaalronde goedkeuren, niet u zelf.",
                "Another finance officer must approve this payment run, not you.",
            )
        account = FundBankAccount.objects.get(fund=locked.fund)
        xml = pain001(locked, account)
        import hashlib
        import re

        found = re.search(rb"<MsgId>([^<]+)</MsgId>", xml)
        locked.message_id = found.group(1).decode() if found else ""
        locked.sepa_xml = xml.decode()
        locked.sepa_sha256 = hashlib.sha256(xml).hexdigest()
        locked.status = PaymentBatch.Status.APPROVED
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.save()
        audit_record(
            actor=actor,
            action="payment_batch.approved",
            obj=locked,
            from_state=PaymentBatch.Status.DRAFT,
            to_state=PaymentBatch.Status.APPROVED,
            data={"sha256": locked.sepa_sha256, "total_cents": locked.total_cents},
        )
    return locked


def payment_batch_mark_paid(*, batch: Any, actor: Any) -> Any:
    """The bank executed the run: every invoice is paid, posted committed → paid per voucher."""
    from scholingsfonds.budget.models import Posting
    from scholingsfonds.payments.models import PaymentBatch
    from scholingsfonds.vouchers.services import invoice_mark_paid

    _finance_of(actor, batch.fund)
    with transaction.atomic():
        locked = PaymentBatch.objects.select_for_update().get(pk=batch.pk)
        if locked.status != PaymentBatch.Status.APPROVED:
            raise DomainError(
                "payment_batch.not_approved",
                "Alleen een goedgekeurde betaalronde wordt als betaald gemarkeerd.",
                "Only an approved run can be marked paid.",
            )
        for line in locked.lines.select_related("invoice__voucher"):
            invoice_mark_paid(
                invoice=line.invoice,
                actor=actor,
                amount_cents=line.amount_cents,
                memo=f"Betaalronde {locked.number}, {line.invoice.number}",
            )
            # The books' CSV shows the split as the ledger made it.
            tx = (
                Posting.objects.filter(
                    transaction__kind="pay",
                    transaction__ref=line.invoice.voucher.code,
                    account="paid",
                )
                .order_by("-transaction_id")
                .values("transaction_id")
                .first()
            )
            if tx:
                line.split = [
                    {"source_id": source_id, "amount_cents": amount}
                    for source_id, amount in Posting.objects.filter(
                        transaction_id=tx["transaction_id"], account="paid"
                    ).values_list("source_id", "amount_cents")
                ]
                line.save(update_fields=["split"])
        locked.status = PaymentBatch.Status.PAID
        locked.paid_by = actor
        locked.paid_at = timezone.now()
        locked.save(update_fields=["status", "paid_by", "paid_at"])
        audit_record(
            actor=actor,
            action="payment_batch.paid",
            obj=locked,
            from_state=PaymentBatch.Status.APPROVED,
            to_state=PaymentBatch.Status.PAID,
            data={"total_cents": locked.total_cents},
        )
    return locked


# --- Market signals: the action log -----------------------------------------------------


def market_action_record(
    *,
    fund: Any,
    provider: Any,
    actor: Any,
    kind: str,
    text: str,
    course: Any = None,
    signal_code: str = "",
) -> Any:
    """Log what the fund does about a signal; asking an explanation mails the provider and
    suspending a course strikes it (no new vouchers)."""
    from django.conf import settings
    from django.core.mail import send_mail

    from scholingsfonds.core.permissions import has_role, is_staff_of
    from scholingsfonds.payments.models import MarketAction
    from scholingsfonds.providers.services import course_suspend

    if not (has_role(actor, "manager", "administrator", "finance") and is_staff_of(actor, fund)):
        raise DomainError(
            "market.not_allowed",
            "Alleen de manager, de beheerder of financiën van het fonds legt acties vast.",
            "Only the fund's manager, administrator or finance records actions.",
        )
    text = text.strip()
    if not text:
        raise DomainError(
            "market.text_required",
            "Schrijf op wat u doet en waarom; het komt in het logboek.",
            "Write what you do and why.",
        )
    if kind not in MarketAction.Kind.values:
        raise DomainError("market.kind", "Onbekende actie.", "Unknown action.")
    with transaction.atomic():
        if kind == MarketAction.Kind.SUSPEND_COURSE:
            if course is None or course.provider_id != provider.pk:
                raise DomainError(
                    "market.course_required",
                    "Kies de opleiding die u schorst.",
                    "Choose the course to suspend.",
                )
            course_suspend(course=course, actor=actor, reason=text)
        action = MarketAction.objects.create(
            fund=fund,
            provider=provider,
            course=course,
            signal_code=signal_code,
            kind=kind,
            text=text,
            actor=actor,
            created_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action=f"market.{kind}",
            obj=action,
            reason=text,
            data={"provider_id": provider.pk, "signal": signal_code},
        )
        if kind == MarketAction.Kind.ASK_EXPLANATION:
            to = [c.email for c in provider.contacts.all()] or (
                [provider.email] if provider.email else []
            )
            subject = f"{fund.name}: verzoek om uitleg"
            body = (
                f"Geachte {provider.name},\n\n{text}\n\nWilt u binnen twee weken reageren aan "
                f"{fund.contact_email or settings.DEFAULT_FROM_EMAIL}?\n\nMet vriendelijke groet,\n"
                f"{fund.name}\n"
            )
            if to:
                transaction.on_commit(
                    lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, to)
                )
    return action


# --- Closing a source at the end of its period (four eyes) -----------------------------------


def source_close_propose(
    *,
    source: FundingSource,
    actor: Any,
    decision: str,
    today: date,
    carry_to: FundingSource | None = None,
    consent_reference: str = "",
    note: str = "",
) -> SourceClosure:
    """Finance proposes to close a source whose period has ended: return or carry over.

    Nothing moves yet; a second person approves (source_close_approve).
    """
    allowed, why = can_propose_close(actor, source.fund)
    if not allowed:
        raise DomainError("payments.not_allowed", why)
    if today <= source.period_end:
        raise DomainError(
            "closure.period_running",
            f"De periode van {source.name} loopt nog tot en met "
            f"{format_date_nl(source.period_end)}; afsluiten kan vanaf de dag daarna.",
            f"The period of {source.name} runs until {source.period_end}; it can be closed "
            "from the day after.",
        )
    consent_reference = consent_reference.strip()
    if decision == SourceClosure.Decision.CARRY_OVER:
        _check_carry_over(source, carry_to, consent_reference, today)
    elif decision == SourceClosure.Decision.RETURN:
        carry_to = None
    else:
        raise DomainError(
            "closure.invalid_decision",
            "Kies terugbetalen of overhevelen.",
            "Choose return or carry over.",
        )
    with transaction.atomic():
        try:
            with transaction.atomic():
                closure = SourceClosure.objects.create(
                    source=source,
                    decision=decision,
                    carry_to=carry_to,
                    consent_reference=consent_reference,
                    note=note.strip(),
                    proposed_by=actor,
                )
        except IntegrityError as error:  # one close per source: the one-to-one refuses more
            raise DomainError(
                "closure.exists",
                f"Voor {source.name} is al een afsluiting voorgesteld of vastgesteld.",
                f"A close of {source.name} was already proposed or approved.",
            ) from error
        audit_record(
            actor=actor,
            action="budget.close_proposed",
            obj=closure,
            reason=note.strip()[:500],
            data={
                "source": source.pk,
                "decision": decision,
                "carry_to": carry_to.pk if carry_to else None,
                "consent_reference": consent_reference,
            },
        )
    return closure


def _check_carry_over(
    source: FundingSource, carry_to: FundingSource | None, consent: str, today: date
) -> None:
    if carry_to is None:
        raise DomainError(
            "closure.carry_to_required",
            "Kies de bron van de volgende periode waar het geld naartoe gaat.",
            "Choose the next period's source the money goes to.",
        )
    if not consent:
        raise DomainError(
            "closure.consent_required",
            "Overhevelen mag alleen met schriftelijke toestemming van de financier: vul het "
            "kenmerk van die brief of dat besluit in.",
            "Carrying over needs the funder's written consent: give its reference.",
        )
    if carry_to.pk == source.pk or carry_to.fund_id != source.fund_id:
        raise DomainError(
            "closure.carry_to_other_fund",
            "Het geld gaat naar een andere bron van hetzelfde fonds.",
            "The money goes to another source of the same fund.",
        )
    # Every euro stays traceable to its funder, as in a reallocation: the consent is the
    # funder's, so its money goes on in a source of its own.
    if carry_to.funder != source.funder:
        raise DomainError(
            "closure.carry_to_other_funder",
            f"{carry_to.name} is van {carry_to.funder}; het geld van {source.funder} gaat "
            "alleen over naar een bron van dezelfde financier.",
            "Money only carries over to a source of the same funder.",
        )
    # Earmarks hold across the close: voucher money stays voucher money.
    if carry_to.category != source.category:
        raise DomainError(
            "closure.carry_to_other_category",
            f"{carry_to.name} is voor {carry_to.get_category_display()}, {source.name} voor "
            f"{source.get_category_display()}: geld blijft in zijn categorie.",
            "Money stays in its spending category.",
        )
    # The next period: it starts after this one ended and still runs today.
    if carry_to.period_start <= source.period_end or carry_to.period_end < today:
        raise DomainError(
            "closure.carry_to_not_next",
            f"{carry_to.name} is geen bron van een volgende periode die nu loopt.",
            f"{carry_to.name} is not a source of a following period that runs now.",
        )
    if SourceClosure.objects.filter(source=carry_to).exists():
        raise DomainError(
            "closure.carry_to_closed",
            f"{carry_to.name} is zelf afgesloten.",
            f"{carry_to.name} is closed itself.",
        )


def source_close_approve(
    *, closure: SourceClosure, actor: Any, today: date | None = None
) -> SourceClosure:
    """The second person approves: what is available goes back or on, in one transaction."""
    today = today or timezone.localdate()
    source = closure.source
    allowed, why = can_approve_close(actor, source.fund)
    if not allowed:
        raise DomainError("payments.not_allowed", why)
    if closure.proposed_by_id == getattr(actor, "pk", None):
        raise DomainError(
            "closure.four_eyes",
            "Een ander dan wie de afsluiting voorstelde, keurt haar goed (vier ogen).",
            "Someone other than the proposer approves the close (four eyes).",
        )
    with transaction.atomic():
        ids = [source.pk] + ([closure.carry_to_id] if closure.carry_to_id else [])
        balances = _lock_balances(ids)
        locked = _locked_closure(closure)
        if locked.decision == SourceClosure.Decision.CARRY_OVER:
            # The target may have changed since the proposal (closed itself, period over).
            _check_carry_over(source, locked.carry_to, locked.consent_reference, today)
        if locked.approved:
            raise DomainError(
                "closure.already_approved",
                "Deze afsluiting is al goedgekeurd.",
                "This close was already approved.",
            )
        available = balances[source.pk].available_cents
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.closed_cents = available
        locked.save(update_fields=["approved_by", "approved_at", "closed_cents"])
        budget_close_out(
            closure=locked,
            amount_cents=available,
            ref=f"afsluiting-{source.pk}",
            actor=actor,
            memo="Afsluiting periode",
        )
        audit_record(
            actor=actor,
            action="budget.close_approved",
            obj=locked,
            data={
                "source": source.pk,
                "decision": locked.decision,
                "carry_to": locked.carry_to_id,
                "amount_cents": available,
            },
        )
    return locked


def _locked_closure(closure: SourceClosure) -> SourceClosure:
    try:
        return SourceClosure.objects.select_for_update().get(pk=closure.pk)
    except SourceClosure.DoesNotExist as error:  # withdrawn by a colleague a moment ago
        raise DomainError(
            "closure.gone",
            "Het voorstel is intussen ingetrokken.",
            "The proposal was withdrawn in the meantime.",
        ) from error


def source_close_withdraw(*, closure: SourceClosure, actor: Any, reason: str) -> None:
    """A proposal not yet approved can be withdrawn (by finance or management of the fund)."""
    allowed, why = can_approve_close(actor, closure.source.fund)
    if not allowed:
        raise DomainError("payments.not_allowed", why)
    with transaction.atomic():
        locked = _locked_closure(closure)
        if locked.approved:
            raise DomainError(
                "closure.already_approved",
                "Een goedgekeurde afsluiting blijft staan.",
                "An approved close stays.",
            )
        audit_record(
            actor=actor,
            action="budget.close_withdrawn",
            obj=locked.source,
            reason=reason.strip()[:500],
            data={"decision": locked.decision, "proposed_by": locked.proposed_by_id},
        )
        locked.delete()

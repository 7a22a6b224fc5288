"""The decision (beschikking): grant with four eyes above the threshold, refuse, hear (4:7)."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.accounts.models import Role
from scholingsfonds.accounts.services import login_link_send_to
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.domain.eligibility import (
    all_passed,
    cap_left_cents,
    evaluate,
    grant_amount_cents,
)
from scholingsfonds.applications.models import Application, ApplicationWindow
from scholingsfonds.applications.services import (
    applicant_account_for,
    application_evaluate,
    application_facts,
    application_submit,
    application_transition,
    cofinancing_part,
)
from scholingsfonds.budget.services import (
    budget_claim,
    budget_commit_voucher,
    budget_release_claim,
    claimed_by_source,
)
from scholingsfonds.core.audit import audit_event, audit_record, audit_save
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_cents_en, format_cents_nl
from scholingsfonds.core.domain.rules import RuleOutcome
from scholingsfonds.core.domain.terms import (
    decision_due_date,
    objection_deadline,
    repair_deadline,
)
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.decisions.models import Decision, Hearing
from scholingsfonds.vouchers.services import voucher_code_new, voucher_issue

DECIDABLE = (states.COMPLETE, states.HEARING)
CEILING_GROUNDS = (
    "Het subsidieplafond van het fonds is bereikt. Het geld dat de financiers voor "
    "scholingscheques beschikbaar stelden, is op. Aanvragen worden behandeld in de volgorde "
    "waarin ze compleet zijn ontvangen (artikel 4:25 Algemene wet bestuursrecht). Daarom kunnen "
    "wij u geen scholingscheque geven."
)


def proposed_amount_cents(application: Application, today: date) -> int:
    """The lesser of the cap left and the cost minus the co-financing."""
    facts = application_facts(application, today)
    policy = application.policy_version.policy
    return grant_amount_cents(
        cost_cents=application.cost_cents or 0,
        cofinancing_cents=application.cofinancing_cents,
        cap_left_cents=cap_left_cents(policy, facts.granted_this_year_cents),
    )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def decision_grant(*, application: Application, actor: Any, today: date | None = None) -> Decision:
    """Grant: at or below the threshold at once; above it, a proposal for a second assessor."""
    today = today or timezone.localdate()
    with transaction.atomic():
        application = _locked(application)
        if application.state not in DECIDABLE:
            raise DomainError(
                "decision.not_decidable",
                "Deze aanvraag is niet klaar voor een besluit.",
                "This application is not ready for a decision.",
            )
        application_evaluate(application=application, today=today)
        outcomes = [RuleOutcome.from_dict(o) for o in application.rule_outcomes]
        if not all_passed(outcomes):
            raise DomainError(
                "decision.rules_not_met",
                "Niet alle voorwaarden zijn voldaan. Een toekenning is niet mogelijk.",
                "Not every condition is met; a grant is not possible.",
            )
        amount = proposed_amount_cents(application, today)
        if amount <= 0:
            raise DomainError(
                "decision.nothing_to_grant",
                "Er is geen bedrag om toe te kennen: het maximum is bereikt.",
                "There is nothing to grant: the cap has been reached.",
            )
        policy = application.policy_version.policy
        decision = Decision.objects.create(
            application=application,
            outcome=Decision.Outcome.GRANT,
            status=Decision.Status.PROPOSED,
            amount_cents=amount,
            grounds=_grant_grounds(application, amount),
            policy_version=application.policy_version,
            rule_outcomes=application.rule_outcomes,
            proposed_by=actor,
            proposed_at=timezone.now(),
        )
        if amount > policy.four_eyes_threshold_cents:
            application_transition(
                application=application,
                to_state=states.AWAITING_SECOND_APPROVAL,
                actor=actor,
                reason="boven de grens voor het vier-ogenprincipe",
            )
            audit_record(
                actor=actor, action="decision.proposed", obj=decision, data={"amount_cents": amount}
            )
            return decision
        return _finalise_grant(decision=decision, actor=actor, today=today)


def decision_approve(*, decision: Decision, actor: Any, today: date | None = None) -> Decision:
    """The second assessor approves a proposed grant; never the one who proposed it."""
    today = today or timezone.localdate()
    if decision.proposed_by_id == actor.pk:
        raise DomainError(
            "decision.four_eyes",
            "Een tweede beoordelaar moet dit besluit goedkeuren, niet u zelf.",
            "A second assessor must approve this decision, not you.",
        )
    if decision.status != Decision.Status.PROPOSED:
        raise DomainError("decision.not_proposed", "Dit besluit is al genomen.")
    with transaction.atomic():
        decision.approved_by = actor
        return _finalise_grant(decision=decision, actor=actor, today=today)


def decision_return_proposal(*, decision: Decision, actor: Any, reason: str) -> None:
    """The second assessor does not agree: the proposal goes back, the case is complete again."""
    with transaction.atomic():
        application = decision.application
        audit_record(actor=actor, action="decision.proposal_returned", obj=decision, reason=reason)
        decision.delete()
        application_transition(
            application=application, to_state=states.COMPLETE, actor=actor, reason=reason
        )


def _finalise_grant(*, decision: Decision, actor: Any, today: date) -> Decision:
    application = decision.application
    code = voucher_code_new(application.fund.reference_prefix)
    if application.receipt_number is not None:
        _keep_the_order_of_receipt(application, decision.amount_cents)
    # The money first: if the sources cannot pay, nothing else happens (Awb 4:25 ceiling).
    lines = budget_commit_voucher(
        fund=application.fund,
        voucher_ref=code,
        amount_cents=decision.amount_cents,
        route=application.route,
        sector=application.training_sector or None,
        on_date=today,
        actor=actor,
        claim_ref=application.reference,
        target_group=application.work_status or None,
    )
    voucher_issue(
        application=application,
        code=code,
        amount_cents=decision.amount_cents,
        issued_on=today,
        actor=actor,
    )
    decision.allocation = [
        {
            "source_id": line.source_id,
            "amount_cents": line.amount_cents,
            "explanation_nl": line.explanation_nl,
        }
        for line in lines
    ]
    _send(decision, today)
    decision.save()
    application_transition(
        application=application,
        to_state=states.GRANTED,
        actor=actor,
        reason=f"toegekend: {decision.amount_cents} cent",
    )
    audit_record(
        actor=actor,
        action="decision.granted",
        obj=decision,
        data={"amount_cents": decision.amount_cents, "voucher": code},
    )
    return decision


def _keep_the_order_of_receipt(application: Application, amount_cents: int) -> None:
    """A window application granted beyond its own claim must not overtake a refusal.

    An application that holds no claim (it failed a rule at receipt and was put right later,
    say) or too small a claim would take the rest from whatever money is free now. Once the
    window has refused someone for the ceiling who asked as much or less, that would break
    the order of receipt (Awb 4:25): such a grant is refused for the ceiling too.
    """
    held = sum(claimed_by_source(application_ref=application.reference).values())
    if amount_cents <= held:
        return
    window = _window_locked(application.policy_version)
    lowest = window.lowest_refused_cents
    if lowest is not None and amount_cents >= lowest:
        raise DomainError(
            "budget.insufficient_funds",
            f"Het subsidieplafond is bereikt: in het aanvraagvenster is al een aanvraag van "
            f"{format_cents_nl(lowest)} afgewezen. Deze aanvraag heeft bij ontvangst niet "
            "genoeg geld geclaimd en mag niet vóór die eerder afgewezen aanvraag gaan "
            "(artikel 4:25 Awb).",
            f"The subsidy ceiling has been reached: the window already refused an application "
            f"of {format_cents_en(lowest)}. This application did not claim enough money at "
            "receipt and may not go before that refusal (Awb 4:25).",
        )


def _send(decision: Decision, today: date) -> None:
    _finalise(decision, today)
    _letter_on_commit(decision)


def _finalise(decision: Decision, today: date) -> None:
    decision.status = Decision.Status.FINAL
    decision.decided_on = today
    decision.sent_on = today
    # Awb 6:7/6:8: six weeks from the day after sending, moved past rest days (Atw).
    decision.objection_deadline = objection_deadline(today)


def _letter_on_commit(decision: Decision) -> None:
    decision_id = decision.pk
    transaction.on_commit(lambda: _enqueue_letter(decision_id))


def _enqueue_letter(decision_id: int) -> None:
    from scholingsfonds.decisions.tasks import send_decision_letter

    send_decision_letter.enqueue(decision_id)


def _grant_grounds(application: Application, amount: int) -> str:
    return (
        "U voldoet aan alle voorwaarden van de subsidieregeling. De opleiding versterkt uw "
        "positie op de regionale arbeidsmarkt (arbeidsmarkttoets). Het fonds betaalt het laagste "
        "van deze twee bedragen: wat er van het maximum over is, of de kosten min de bijdrage "
        "van anderen."
    )


def decision_refuse(
    *,
    application: Application,
    actor: Any,
    grounds: str,
    rests_on_other_facts: bool = False,
    ceiling_reached: bool = False,
    today: date | None = None,
) -> Decision:
    """Refuse with grounds; first hear the applicant when the refusal rests on other facts (4:7)."""
    today = today or timezone.localdate()
    if ceiling_reached:
        grounds = CEILING_GROUNDS + ("\n\n" + grounds if grounds.strip() else "")
    if not grounds.strip():
        raise DomainError(
            "decision.grounds_required",
            "Een afwijzing heeft een motivering nodig.",
            "A refusal needs grounds.",
        )
    with transaction.atomic():
        application = _locked(application)
        if application.state not in (
            *DECIDABLE,
            states.REPAIR_REQUESTED,
            states.AWAITING_SECOND_APPROVAL,
        ):
            raise DomainError(
                "decision.not_decidable", "Deze aanvraag is niet klaar voor een besluit."
            )
        # A grant proposal that could not be carried out (e.g. the money ran out) gives way.
        Decision.objects.filter(application=application, status=Decision.Status.PROPOSED).delete()
        heard = application.hearings.filter(closed_on__isnull=False).exists()
        if rests_on_other_facts and not heard:
            raise DomainError(
                "decision.hearing_required",
                "Deze afwijzing steunt op gegevens die de aanvrager niet zelf gaf. Vraag eerst "
                "de zienswijze van de aanvrager (artikel 4:7 Awb).",
                "This refusal rests on facts the applicant did not give: hear them first.",
            )
        application_evaluate(application=application, today=today)
        decision = Decision.objects.create(
            application=application,
            outcome=Decision.Outcome.REFUSE,
            status=Decision.Status.PROPOSED,
            amount_cents=0,
            grounds=grounds.strip(),
            ceiling_reached=ceiling_reached,
            policy_version=application.policy_version,
            rule_outcomes=application.rule_outcomes,
            proposed_by=actor,
            proposed_at=timezone.now(),
            approved_by=None,
        )
        _send(decision, today)
        decision.save()
        budget_release_claim(
            fund=application.fund,
            application_ref=application.reference,
            actor=actor,
            memo="Afwijzing: claim vrijgegeven",
        )
        application_transition(
            application=application, to_state=states.REFUSED, actor=actor, reason=grounds[:200]
        )
        audit_record(
            actor=actor,
            action="decision.refused",
            obj=decision,
            reason=grounds[:500],
            data={"ceiling_reached": ceiling_reached},
        )
    return decision


def hearing_start(
    *,
    application: Application,
    actor: Any,
    facts: str,
    days: int = 14,
    today: date | None = None,
) -> Hearing:
    """Ask the applicant's view on facts they have not seen, before a refusal (Awb 4:7)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        hearing = Hearing.objects.create(
            application=application,
            asked_by=actor,
            asked_on=today,
            deadline=repair_deadline(today, days),
            facts=facts,
        )
        application_transition(
            application=application,
            to_state=states.HEARING,
            actor=actor,
            reason="zienswijze gevraagd",
        )
        transaction.on_commit(lambda: _mail_hearing(hearing.pk))
    return hearing


def _mail_hearing(hearing_id: int) -> None:
    hearing = Hearing.objects.select_related("application__fund").get(pk=hearing_id)
    EmailMessage(
        f"Uw mening gevraagd over aanvraag {hearing.application.reference}",
        render_to_string(
            "decisions/email/hearing.txt", {"hearing": hearing, "site_url": settings.SITE_URL}
        ),
        settings.DEFAULT_FROM_EMAIL,
        [hearing.application.email],
    ).send()


def hearing_respond(
    *, hearing: Hearing, actor: Any, response: str, today: date | None = None
) -> Hearing:
    """The applicant's view is recorded; the assessor then decides."""
    today = today or timezone.localdate()
    with transaction.atomic():
        hearing.response = response
        hearing.responded_on = today
        hearing.closed_on = today
        hearing.save(update_fields=["response", "responded_on", "closed_on"])
        audit_record(actor=actor, action="hearing.responded", obj=hearing.application)
    return hearing


def hearing_close(*, hearing: Hearing, actor: Any, today: date | None = None) -> Hearing:
    """The deadline passed without a reaction: the assessor may decide now."""
    today = today or timezone.localdate()
    if today <= hearing.deadline and not hearing.responded_on:
        raise DomainError(
            "hearing.deadline_not_passed",
            "De termijn voor de zienswijze loopt nog.",
            "The deadline for the applicant's view has not passed.",
        )
    hearing.closed_on = today
    hearing.save(update_fields=["closed_on"])
    audit_record(actor=actor, action="hearing.closed", obj=hearing.application)
    return hearing


def letter_render(decision: Decision) -> bytes:
    """The decision letter as PDF (WeasyPrint), from the same HTML template staff can read."""
    from weasyprint import HTML

    html = render_to_string("decisions/letter.html", _letter_context(decision))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _letter_context(decision: Decision) -> dict[str, Any]:
    application = decision.application
    voucher = getattr(application, "voucher", None)
    return {
        "decision": decision,
        "application": application,
        "fund": application.fund,
        "voucher": voucher,
        "outcomes": decision.rule_outcomes,
        "policy": decision.policy_version.policy,
    }


def letter_store(*, decision: Decision) -> Decision:
    pdf = letter_render(decision)
    name = f"besluit-{decision.application.reference}.pdf"
    decision.letter_pdf.save(name, ContentFile(pdf), save=True)
    return decision


# --- first-come-first-served windows (Awb 4:25) ------------------------------------------

WINDOW_TRAINING_FIELDS = (
    "training_title",
    "training_level",
    "training_sector",
    "provider",
    "cost_cents",
    "cofinancing",
)


def window_access_send(*, fund: Any, email: str) -> None:
    """Mail the person a one-time link that logs them in and leads back to the window form.

    Applying in a window takes a confirmed e-mail address: one application per person is
    then one per address the person can read, and nobody can apply in another's name.
    """
    login_link_send_to(
        user=applicant_account_for(email),
        next_path=reverse("decisions:window_apply", args=[fund.slug]),
    )


def window_application_submit(
    *,
    fund: Any,
    data: dict[str, Any],
    submission_key: str,
    actor: Any = None,
    today: date | None = None,
    policy_version: Any = None,
) -> Application:
    """Receive a complete application in a window: receipt number and claim under one lock.

    The form already asks training, provider and cost, so the application is complete at
    submission. Claims follow the order of receipt; once the ceiling is reached the
    application is refused at once, and nobody asking as much as a refused person overtakes
    them later. Everything that does not depend on the order (the person, the application,
    its rules and amount) happens before the window's lock, so the lock is held briefly.
    """
    # Asked of every submission in a rush: the key alone, not the application's 41 columns.
    existing = (
        Application.objects.filter(submission_key=submission_key)
        .values_list("pk", flat=True)
        .first()
    )
    if existing is not None:
        return Application.objects.get(pk=existing)
    today = today or timezone.localdate()
    version = policy_version or fund.policy_on(today)
    policy = version.policy if version else None
    if policy is None or not policy.window_open_on(today):
        raise DomainError(
            "application.window_closed",
            "Het aanvraagvenster is gesloten. U kunt nu geen aanvraag doen.",
            "The application window is closed.",
        )
    short = {k: v for k, v in data.items() if k not in WINDOW_TRAINING_FIELDS}
    training = {
        field: data.get(field) if data.get(field) is not None else ""
        for field in WINDOW_TRAINING_FIELDS
    }
    training["cofinancing"] = [cofinancing_part(p) for p in data.get("cofinancing") or []]
    applying_for_themselves = getattr(actor, "role", None) == Role.APPLICANT
    if applying_for_themselves and actor.email.lower() != str(data.get("email", "")).lower():
        # A person applies with the address they confirmed, never in another's name.
        raise DomainError(
            "application.not_your_address",
            "U kunt alleen een aanvraag doen met uw eigen e-mailadres.",
            "You can only apply with your own e-mail address.",
        )
    events: list[AuditEvent] = []  # written together at the end: one INSERT
    with transaction.atomic():
        application = application_submit(
            fund=fund,
            data=short,
            submission_key=submission_key,
            actor=actor,
            today=today,
            extra_fields=training,
            completed_by_caller=True,
            policy_version=version,
            applicant=actor if applying_for_themselves else None,
            audit_into=events,
        )
        if application.receipt_number is not None or application.state != states.SUBMITTED:
            return application  # the same submission, already received
        facts = application_facts(application, today)
        application.rule_outcomes = [o.to_dict() for o in evaluate(facts, policy, today)]
        application.rules_evaluated_on = today
        amount = grant_amount_cents(
            cost_cents=application.cost_cents or 0,
            cofinancing_cents=application.cofinancing_cents,
            cap_left_cents=cap_left_cents(policy, facts.granted_this_year_cents),
        )
        application.requested_cents = amount
        application.complete_on = today
        application.decision_due_on = decision_due_date(
            today, policy.decision_term_weeks, [], today
        )
        # From here on the window's lock: receipt numbers and claims in order of receipt.
        window = _window_locked(version)
        if (
            Application.objects.filter(
                policy_version=version,
                applicant_id=application.applicant_id,
                receipt_number__isnull=False,
            )
            .exclude(pk=application.pk)
            .exists()
        ):
            raise DomainError(
                "application.one_per_window",
                "U hebt in dit aanvraagvenster al een aanvraag gedaan. "
                "Per persoon kan dat één keer.",
                "You already applied in this window; once per person.",
            )
        window.last_receipt_number += 1
        application.receipt_number = window.last_receipt_number
        states.check_transition(application.state, states.COMPLETE)
        application.state = states.COMPLETE
        application.save(
            update_fields=[
                "reference",
                "rule_outcomes",
                "rules_evaluated_on",
                "requested_cents",
                "complete_on",
                "decision_due_on",
                "receipt_number",
                "state",
            ]
        )
        events.append(
            audit_event(
                actor=actor,
                action="application.transition",
                obj=application,
                from_state=states.SUBMITTED,
                to_state=states.COMPLETE,
                reason=f"compleet bij ontvangst, volgnummer {application.receipt_number}",
            )
        )
        failed = any(o["passed"] is False for o in application.rule_outcomes)
        if not failed and amount > 0:
            lowest = window.lowest_refused_cents
            try:
                if lowest is not None and amount >= lowest:
                    raise DomainError("budget.insufficient_funds", CEILING_GROUNDS)
                budget_claim(
                    fund=fund,
                    application_ref=application.reference,
                    amount_cents=amount,
                    route=application.route,
                    sector=application.training_sector or None,
                    on_date=today,
                    actor=actor,
                    target_group=application.work_status or None,
                )
            except DomainError as error:
                if error.code != "budget.insufficient_funds":
                    raise
                events.extend(_refuse_for_ceiling(application, today))
                window.lowest_refused_cents = amount if lowest is None else min(lowest, amount)
        audit_save(events)
        window.save(update_fields=["last_receipt_number", "lowest_refused_cents"])
    return application


def _window_locked(version: Any) -> ApplicationWindow:
    window = ApplicationWindow.objects.select_for_update().filter(policy_version=version).first()
    if window is None:
        # The window's first application creates its row; a concurrent first one waits on
        # the unique policy version, then both lock the same row.
        ApplicationWindow.objects.get_or_create(policy_version=version)
        window = ApplicationWindow.objects.select_for_update().get(policy_version=version)
    return window


def _refuse_for_ceiling(application: Application, today: date) -> list[AuditEvent]:
    """Refuse at once for the ceiling; returns the audit events for the caller to write."""
    decision = Decision(
        application=application,
        outcome=Decision.Outcome.REFUSE,
        amount_cents=0,
        grounds=CEILING_GROUNDS,
        ceiling_reached=True,
        policy_version=application.policy_version,
        rule_outcomes=application.rule_outcomes,
        proposed_by=None,
        proposed_at=timezone.now(),
    )
    _finalise(decision, today)  # decided at once: written final, in one INSERT
    decision.save()
    _letter_on_commit(decision)
    # The application is this transaction's own row, already held: no second lock needed.
    states.check_transition(application.state, states.REFUSED)
    application.ceiling_refused = True
    application.state = states.REFUSED
    application.save(update_fields=["ceiling_refused", "state"])
    return [
        audit_event(
            actor=None,
            action="application.transition",
            obj=application,
            from_state=states.COMPLETE,
            to_state=states.REFUSED,
            reason="subsidieplafond bereikt (artikel 4:25 Awb)",
        ),
        audit_event(
            actor=None,
            action="decision.refused",
            obj=decision,
            reason="subsidieplafond bereikt",
            data={"ceiling_reached": True},
        ),
    ]

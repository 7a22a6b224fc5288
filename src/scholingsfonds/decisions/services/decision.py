"""The decision (beschikking): grant with four eyes above the threshold, or refuse."""

from datetime import date
from typing import Any

from django.db import transaction
from django.utils import timezone

from scholingsfonds.applications.domain import states
from scholingsfonds.applications.domain.eligibility import all_passed
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import application_evaluate, application_transition
from scholingsfonds.budget.services import (
    budget_commit_voucher,
    budget_release_claim,
    claimed_by_source,
)
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.formatting import format_cents_en, format_cents_nl
from scholingsfonds.core.domain.rules import RuleOutcome
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.selectors import proposed_amount_cents
from scholingsfonds.decisions.services.letter import decision_send
from scholingsfonds.decisions.services.window import CEILING_GROUNDS, window_locked
from scholingsfonds.vouchers.services import voucher_code_new, voucher_issue

DECIDABLE = (states.COMPLETE, states.HEARING)


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
    """The second assessor does not agree: the proposal goes back, the case is complete again.

    Only a second assessor judges a proposal: the one who proposed it can neither approve nor
    return it.
    """
    if decision.proposed_by_id == actor.pk:
        raise DomainError(
            "decision.four_eyes",
            "Een tweede beoordelaar beoordeelt dit voorstel.",
            "A second assessor reviews this proposal.",
        )
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
    decision_send(decision, today)
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
    window = window_locked(application.policy_version)
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
        decision_send(decision, today)
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

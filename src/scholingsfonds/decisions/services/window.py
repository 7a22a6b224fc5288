"""The subsidy ceiling (Awb 4:25) and the first-come-first-served window: receipt numbers
and claims in order of receipt, a refusal at once when the money is gone."""

from datetime import date
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.accounts.models import Role
from scholingsfonds.accounts.services import login_link_send_to
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.domain.eligibility import (
    cap_left_cents,
    evaluate,
    grant_amount_cents,
)
from scholingsfonds.applications.models import Application, ApplicationWindow
from scholingsfonds.applications.services import (
    applicant_account_for,
    application_facts,
    application_submit,
    cofinancing_part,
)
from scholingsfonds.budget.services import budget_claim
from scholingsfonds.core.audit import audit_event, audit_save
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.terms import decision_due_date
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.selectors import window_receipt_earlier
from scholingsfonds.decisions.services.letter import decision_finalise, letter_on_commit

CEILING_GROUNDS = (
    "Het subsidieplafond van het fonds is bereikt. Het geld dat de financiers voor "
    "scholingscheques beschikbaar stelden, is op. Aanvragen worden behandeld in de volgorde "
    "waarin ze compleet zijn ontvangen (artikel 4:25 Algemene wet bestuursrecht). Daarom kunnen "
    "wij u geen scholingscheque geven."
)

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
        window = window_locked(version)
        earlier = window_receipt_earlier(
            policy_version=version, applicant=application.applicant_id, application=application
        )
        if earlier is not None:
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


def window_locked(version: Any) -> ApplicationWindow:
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
    decision_finalise(decision, today)  # decided at once: written final, in one INSERT
    decision.save()
    letter_on_commit(decision)
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

"""Reads for decisions: the assessor's queue, what a case page shows, the window's state and
the decision letter."""

from datetime import date
from typing import Any

from django.db.models import F

from scholingsfonds.applications.domain import states
from scholingsfonds.applications.domain.eligibility import cap_left_cents, grant_amount_cents
from scholingsfonds.applications.models import Application, ApplicationWindow
from scholingsfonds.applications.selectors import staff_funds
from scholingsfonds.applications.services import application_facts
from scholingsfonds.core.domain.terms import days_overdue
from scholingsfonds.decisions.letters import letter_render
from scholingsfonds.decisions.models import Decision, Hearing
from scholingsfonds.funds.models import PolicyVersion

# The states in which a case waits for an assessor.
QUEUE_STATES = (
    states.COMPLETE,
    states.HEARING,
    states.AWAITING_SECOND_APPROVAL,
    states.REPAIR_REQUESTED,
)
QUEUE_LENGTH = 300


def proposed_amount_cents(application: Application, today: date) -> int:
    """The lesser of the cap left and the cost minus the co-financing."""
    facts = application_facts(application, today)
    policy = application.policy_version.policy
    return grant_amount_cents(
        cost_cents=application.cost_cents or 0,
        cofinancing_cents=application.cofinancing_cents,
        cap_left_cents=cap_left_cents(policy, facts.granted_this_year_cents),
    )


def assessor_queue(*, user: Any, today: date) -> list[dict[str, Any]]:
    """The cases of the assessor's funds that wait for a decision, the first due first, each
    with the days it is overdue."""
    applications = (
        Application.objects.filter(fund__in=staff_funds(user=user), state__in=QUEUE_STATES)
        .select_related("fund")
        .order_by(F("decision_due_on").asc(nulls_last=True), "complete_on", "id")[:QUEUE_LENGTH]
    )
    return [
        {"application": application, "overdue": _overdue(application, today)}
        for application in applications
    ]


def _overdue(application: Application, today: date) -> int:
    due = application.decision_due_on
    return days_overdue(due, today) if due else 0


def decision_of(application: Application) -> Decision | None:
    """The application's decision, proposed or final (there is at most one)."""
    return Decision.objects.filter(application=application).first()


def decision_proposed(application: Application) -> Decision | None:
    """A grant proposal that waits for a second assessor."""
    return Decision.objects.filter(application=application, status=Decision.Status.PROPOSED).first()


def decision_final(application: Application) -> Decision | None:
    """The decision taken and sent: the one the applicant sees, with its letter."""
    return Decision.objects.filter(application=application, status=Decision.Status.FINAL).first()


def hearing_open(application: Application) -> Hearing | None:
    """The hearing the applicant can still respond to, if any."""
    return application.hearings.filter(closed_on__isnull=True).first()


def case_page(application: Application, today: date) -> dict[str, Any]:
    """What the assessor's case page shows besides the application itself."""
    return {
        "test": getattr(application, "labour_market_test", None),
        "conversations": application.conversations.all(),
        "decision": decision_of(application),
        "proposed_amount": (
            proposed_amount_cents(application, today) if application.cost_cents else None
        ),
        "arrangement": application.financing_arrangements.order_by("-saved_at").first(),
        "hearings": application.hearings.all(),
        "open_hearing": hearing_open(application),
        "overdue": _overdue(application, today),
    }


def applicant_page(application: Application) -> dict[str, Any]:
    """What the applicant's own page shows: the decision once final, and what waits for them."""
    decision = decision_final(application)
    return {
        "decision": decision,
        "voucher": getattr(application, "voucher", None) if decision else None,
        "open_hearing": hearing_open(application),
        "open_repair": application.repair_requests.filter(resolved_on__isnull=True).first(),
        "conversation": application.conversations.filter(held_at__isnull=True).first(),
        # A window application has no conversation, hence no advice report to offer.
        "has_advice": application.conversations.filter(held_at__isnull=False).exists(),
    }


def decision_letter_pdf(decision: Decision) -> bytes:
    """The letter as sent: the stored PDF, or, before the worker has stored it (or where it
    never runs, as in the demo), the same letter rendered from the same recorded decision."""
    if decision.letter_pdf:
        with decision.letter_pdf.open("rb") as handle:
            return handle.read()
    return letter_render(decision)


# --- first-come-first-served windows (Awb 4:25) ------------------------------------------


def window_receipt_earlier(
    *, policy_version: PolicyVersion, applicant: Any, application: Application | None = None
) -> Application | None:
    """An application this person already had received in this window (once per person),
    other than `application` itself."""
    earlier = Application.objects.filter(
        policy_version=policy_version, applicant=applicant, receipt_number__isnull=False
    )
    if application is not None:
        earlier = earlier.exclude(pk=application.pk)
    return earlier.first()


def window_lowest_refused_cents(policy_version: PolicyVersion) -> int | None:
    """The smallest amount refused for the ceiling in this window: asking as much is refused."""
    return (
        ApplicationWindow.objects.filter(policy_version=policy_version)
        .values_list("lowest_refused_cents", flat=True)
        .first()
    )

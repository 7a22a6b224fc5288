"""A decision made final and sent: the objection term starts, and the letter follows
(the task worker stores it as a PDF and mails it)."""

from datetime import date

from django.core.files.base import ContentFile
from django.db import transaction

from scholingsfonds.core.domain.terms import objection_deadline
from scholingsfonds.decisions.letters import letter_render
from scholingsfonds.decisions.models import Decision


def decision_send(decision: Decision, today: date) -> None:
    decision_finalise(decision, today)
    letter_on_commit(decision)


def decision_finalise(decision: Decision, today: date) -> None:
    decision.status = Decision.Status.FINAL
    decision.decided_on = today
    decision.sent_on = today
    # Awb 6:7/6:8: six weeks from the day after sending, moved past rest days (Atw).
    decision.objection_deadline = objection_deadline(today)


def letter_on_commit(decision: Decision) -> None:
    decision_id = decision.pk
    transaction.on_commit(lambda: _enqueue_letter(decision_id))


def _enqueue_letter(decision_id: int) -> None:
    from scholingsfonds.decisions.tasks import send_decision_letter

    send_decision_letter.enqueue(decision_id)


def letter_store(*, decision: Decision) -> Decision:
    pdf = letter_render(decision)
    name = f"besluit-{decision.application.reference}.pdf"
    decision.letter_pdf.save(name, ContentFile(pdf), save=True)
    return decision

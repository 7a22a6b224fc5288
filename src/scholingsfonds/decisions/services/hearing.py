"""The hearing before a refusal that rests on facts the applicant did not give (Awb 4:7)."""

from datetime import date
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import application_transition
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.terms import repair_deadline
from scholingsfonds.decisions.models import Hearing


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

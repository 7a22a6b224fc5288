"""The advisor's work: invite, hold the conversation, do the arbeidsmarkttoets, refer."""

from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from scholingsfonds.advising.models import Conversation, LabourMarketTest
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import application_evaluate, application_transition
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.models import Occupation, PromisingOccupationList


def conversation_invite(
    *, application: Application, actor: Any, scheduled_at: datetime, location: str
) -> Conversation:
    """Plan the LLO conversation and send the invitation."""
    with transaction.atomic():
        conversation = Conversation.objects.create(
            application=application, advisor=actor, scheduled_at=scheduled_at, location=location
        )
        if application.state == states.SUBMITTED:
            application_transition(
                application=application,
                to_state=states.INVITED,
                actor=actor,
                reason=f"gesprek op {scheduled_at:%Y-%m-%d %H:%M}",
            )
        transaction.on_commit(lambda: _mail_invitation(conversation.pk))
    return conversation


def _mail_invitation(conversation_id: int) -> None:
    conversation = Conversation.objects.select_related("application__fund", "advisor").get(
        pk=conversation_id
    )
    send_mail(
        f"Uitnodiging gesprek over uw aanvraag {conversation.application.reference}",
        render_to_string("advising/email/invitation.txt", {"conversation": conversation}),
        settings.DEFAULT_FROM_EMAIL,
        [conversation.application.email],
    )


def conversation_record(
    *,
    conversation: Conversation,
    actor: Any,
    identity_checked: bool,
    notes: str,
    outcome: str,
    referral_to: str = "",
    referral_reason: str = "",
    held_at: datetime | None = None,
) -> Conversation:
    """Record what was discussed; a referral closes the application with its reason."""
    if outcome == Conversation.Outcome.REFERRAL and not (referral_to and referral_reason):
        raise DomainError(
            "advising.referral_needs_reason",
            "Vul in naar wie u doorverwijst en waarom.",
            "State where you refer to and why.",
        )
    application = conversation.application
    with transaction.atomic():
        conversation.held_at = held_at or timezone.now()
        conversation.identity_checked = identity_checked
        conversation.notes = notes
        conversation.outcome = outcome
        conversation.referral_to = referral_to
        conversation.referral_reason = referral_reason
        conversation.save()
        if application.state in (states.SUBMITTED, states.INVITED):
            if application.state == states.SUBMITTED:
                application_transition(
                    application=application,
                    to_state=states.INVITED,
                    actor=actor,
                    reason="gesprek zonder aparte uitnodiging",
                )
            application_transition(
                application=application,
                to_state=states.CONVERSATION_HELD,
                actor=actor,
                reason="gesprek gevoerd",
            )
        if outcome == Conversation.Outcome.REFERRAL:
            application_transition(
                application=application,
                to_state=states.REFERRED,
                actor=actor,
                reason=f"{referral_to}: {referral_reason}",
            )
        elif outcome == Conversation.Outcome.NONE:
            application_transition(
                application=application,
                to_state=states.WITHDRAWN,
                actor=actor,
                reason="geen vervolg na het gesprek",
            )
        audit_record(
            actor=actor,
            action="conversation.recorded",
            obj=conversation,
            data={"outcome": outcome, "identity_checked": identity_checked},
        )
    return conversation


def labour_market_test_record(
    *,
    application: Application,
    actor: Any,
    occupation: Occupation,
    motivation: str = "",
    today: date | None = None,
) -> LabourMarketTest:
    """Ordinance art. 4: on the region's promising list at that date, or motivated."""
    today = today or timezone.localdate()
    region = application.policy_version.policy.region_name
    promising = PromisingOccupationList.in_force(region, today)
    on_list = bool(promising and promising.occupations.filter(pk=occupation.pk).exists())
    if on_list:
        result = LabourMarketTest.Result.LISTED
    elif motivation.strip():
        result = LabourMarketTest.Result.MOTIVATED
    else:
        result = LabourMarketTest.Result.FAILED
    with transaction.atomic():
        test, _ = LabourMarketTest.objects.update_or_create(
            application=application,
            defaults={
                "occupation": occupation,
                "tested_on": today,
                "promising_list": promising,
                "on_list": on_list,
                "motivation": motivation.strip(),
                "result": result,
                "advisor": actor,
            },
        )
        application.target_occupation = occupation
        application.save(update_fields=["target_occupation"])
        application.labour_market_test = test
        application_evaluate(application=application, today=today)
        audit_record(
            actor=actor,
            action="labour_market_test.recorded",
            obj=application,
            data={
                "occupation": occupation.isco08,
                "result": result,
                "list": str(promising) if promising else None,
            },
        )
    return test

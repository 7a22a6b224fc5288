"""The LLO conversation: invite (in a slot or at a chosen time), move, cancel, record a
no-show, record what was discussed; and mail the person their advice summary."""

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from scholingsfonds.advising.models import Conversation, TimeSlot
from scholingsfonds.advising.services.notifications import mail_appointment, schedule_reminder
from scholingsfonds.advising.services.slots import slot_book
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import application_transition
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.models import Occupation

DEFAULT_MINUTES = 45
OPEN_FOR_CONVERSATION = (
    states.SUBMITTED,
    states.INVITED,
    states.CONVERSATION_HELD,
    states.REPAIR_REQUESTED,
)


# --- planning ---------------------------------------------------------------------------------


def conversation_invite(
    *,
    application: Application,
    actor: Any,
    scheduled_at: datetime | None = None,
    location: str = "",
    slot: TimeSlot | None = None,
    place: str = "",
    duration_minutes: int | None = None,
) -> Conversation:
    """Plan the LLO conversation (in a time slot or at a chosen time) and send the invitation."""
    if application.state not in OPEN_FOR_CONVERSATION:
        raise DomainError(
            "advising.closed",
            "Deze aanvraag is afgerond; een gesprek plannen kan niet meer.",
            "This application is closed; no conversation can be planned.",
        )
    if slot is None and (scheduled_at is None or not location):
        raise DomainError(
            "advising.when_where",
            "Kies een tijdslot, of datum, tijd en plaats.",
            "Choose a slot, or a date, time and location.",
        )
    try:
        with transaction.atomic():
            if application.conversations.filter(status=Conversation.Status.PLANNED).exists():
                raise DomainError(
                    "advising.already_planned",
                    "Er staat al een gesprek gepland. Verzet dat gesprek.",
                    "A conversation is already planned. Move that one instead.",
                )
            conversation = Conversation(
                application=application,
                advisor=actor,
                invited_at=timezone.now(),
                invited_by=actor if getattr(actor, "is_authenticated", False) else None,
                duration_minutes=duration_minutes or DEFAULT_MINUTES,
            )
            if slot is not None:
                _take_slot(conversation, slot_book(slot, application))
            else:
                assert scheduled_at is not None  # noqa: S101 - checked above
                conversation.scheduled_at = scheduled_at
                conversation.location = location
                conversation.place = place.strip()
            conversation.save()
            if application.state == states.SUBMITTED:
                when = timezone.localtime(conversation.scheduled_at)
                application_transition(
                    application=application,
                    to_state=states.INVITED,
                    actor=actor,
                    reason=f"gesprek op {when:%Y-%m-%d %H:%M}",
                )
            audit_record(
                actor=actor,
                action="conversation.invited",
                obj=conversation,
                data={
                    "scheduled_at": conversation.scheduled_at.isoformat(),
                    "location": conversation.location,
                    "slot": conversation.slot_id,
                    "advisor": conversation.advisor_id,
                },
            )
            pk = conversation.pk
            transaction.on_commit(lambda: mail_appointment(pk, "invitation"))
            transaction.on_commit(lambda: schedule_reminder(pk))
    except IntegrityError:
        # Two planners took the same slot at the same moment: the unique slot lets one in.
        raise DomainError(
            "advising.slot_taken",
            "Dit tijdslot is net door iemand anders geboekt. Kies een ander.",
            "This slot was just booked by someone else. Choose another.",
        ) from None
    return conversation


def _take_slot(conversation: Conversation, slot: TimeSlot) -> None:
    conversation.slot = slot
    conversation.advisor = slot.advisor  # the advisor whose hour it is holds the conversation
    conversation.scheduled_at = slot.starts_at
    conversation.duration_minutes = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
    conversation.location = slot.location
    conversation.place = slot.place


def _planned(conversation: Conversation) -> Conversation:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if locked.status != Conversation.Status.PLANNED:
        raise DomainError(
            "advising.not_planned",
            "Dit gesprek staat niet (meer) gepland.",
            "This conversation is not planned (any more).",
        )
    return locked


def conversation_reschedule(
    *,
    conversation: Conversation,
    actor: Any,
    slot: TimeSlot | None = None,
    scheduled_at: datetime | None = None,
    location: str = "",
    place: str = "",
    reason: str = "",
) -> Conversation:
    """Move a planned conversation; the person gets an updated invitation (same UID)."""
    if slot is None and (scheduled_at is None or not location):
        raise DomainError(
            "advising.when_where",
            "Kies een tijdslot, of datum, tijd en plaats.",
            "Choose a slot, or a date, time and location.",
        )
    try:
        with transaction.atomic():
            locked = _planned(conversation)
            before = locked.scheduled_at
            if slot is not None:
                _take_slot(locked, slot_book(slot, locked.application))
            else:
                assert scheduled_at is not None  # noqa: S101 - checked above
                locked.slot = None  # the old slot is free again
                locked.scheduled_at = scheduled_at
                locked.location = location
                locked.place = place.strip()
            locked.sequence += 1
            locked.reminder_sent_at = None
            locked.invited_at = timezone.now()
            locked.save()
            audit_record(
                actor=actor,
                action="conversation.rescheduled",
                obj=locked,
                reason=reason,
                data={"from": before.isoformat(), "to": locked.scheduled_at.isoformat()},
            )
            pk = locked.pk
            transaction.on_commit(lambda: mail_appointment(pk, "rescheduled"))
            transaction.on_commit(lambda: schedule_reminder(pk))
    except IntegrityError:
        raise DomainError(
            "advising.slot_taken",
            "Dit tijdslot is net door iemand anders geboekt. Kies een ander.",
            "This slot was just booked by someone else. Choose another.",
        ) from None
    conversation.refresh_from_db()
    return conversation


def conversation_cancel(*, conversation: Conversation, actor: Any, reason: str) -> Conversation:
    """Cancel a planned conversation; its slot is free again and the person is told."""
    with transaction.atomic():
        locked = _planned(conversation)
        locked.status = Conversation.Status.CANCELLED
        locked.slot = None
        locked.sequence += 1
        locked.save()
        audit_record(actor=actor, action="conversation.cancelled", obj=locked, reason=reason)
        pk = locked.pk
        transaction.on_commit(lambda: mail_appointment(pk, "cancelled"))
    conversation.refresh_from_db()
    return conversation


def conversation_no_show(
    *, conversation: Conversation, actor: Any, now: datetime | None = None
) -> Conversation:
    """The person did not come: recorded, the application stays invited for a new date."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _planned(conversation)
        if locked.scheduled_at > now:
            raise DomainError(
                "advising.not_yet",
                "Het gesprek is nog niet begonnen; 'niet verschenen' kan pas daarna.",
                "The conversation has not started yet.",
            )
        locked.status = Conversation.Status.NO_SHOW
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="conversation.no_show", obj=locked)
        pk = locked.pk
        transaction.on_commit(lambda: mail_appointment(pk, "no_show"))
    conversation.refresh_from_db()
    return conversation


# --- the conversation record ------------------------------------------------------------------


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
    referral_kind: str = "",
    situation: str = "",
    work_status: str = "",
    education_level: str = "",
    question: str = "",
    skills: str = "",
    skill_sources: Sequence[str] = (),
    target_occupation: Occupation | None = None,
    advice: str = "",
    follow_up: str = "",
    follow_up_on: date | None = None,
) -> Conversation:
    """Record what was discussed; a referral closes the application with its reason."""
    if outcome == Conversation.Outcome.REFERRAL and not (
        (referral_to or referral_kind) and referral_reason
    ):
        raise DomainError(
            "advising.referral_needs_reason",
            "Vul in naar wie u doorverwijst en waarom.",
            "State where you refer to and why.",
        )
    if conversation.status == Conversation.Status.CANCELLED:
        raise DomainError(
            "advising.cancelled",
            "Dit gesprek is geannuleerd.",
            "This conversation was cancelled.",
        )
    application = conversation.application
    with transaction.atomic():
        conversation.status = Conversation.Status.HELD
        conversation.held_at = held_at or timezone.now()
        conversation.identity_checked = identity_checked
        conversation.notes = notes
        conversation.outcome = outcome
        conversation.referral_kind = referral_kind if outcome == "referral" else ""
        conversation.referral_to = referral_to
        conversation.referral_reason = referral_reason
        conversation.situation = situation
        conversation.work_status = work_status
        conversation.education_level = education_level
        conversation.question = question
        conversation.skills = skills
        conversation.skill_sources = list(skill_sources)
        conversation.target_occupation = target_occupation
        conversation.advice = advice
        conversation.follow_up = follow_up
        conversation.follow_up_on = follow_up_on
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
            destination = referral_to or str(
                dict(Conversation.ReferralKind.choices).get(referral_kind, referral_kind)
            )
            application_transition(
                application=application,
                to_state=states.REFERRED,
                actor=actor,
                reason=f"{destination}: {referral_reason}",
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
            data={
                "outcome": outcome,
                "identity_checked": identity_checked,
                "referral_kind": conversation.referral_kind,
            },
        )
    return conversation


# --- the advice summary for the person --------------------------------------------------------


def advice_summary_send(*, application: Application, actor: Any) -> None:
    """Mail the person their advice summary (PDF), by the task worker."""
    with transaction.atomic():
        audit_record(actor=actor, action="advice_summary.sent", obj=application)
        pk = application.pk
        transaction.on_commit(lambda: _enqueue_summary(pk))


def _enqueue_summary(application_id: int) -> None:
    from scholingsfonds.advising.tasks import send_advice_summary

    send_advice_summary.enqueue(application_id)

"""Telling the person about their appointment: the e-mails after each change, and the
reminder the day before (queued with the task worker, sent once)."""

from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone, translation

from scholingsfonds.advising.appointments import appointment_mail, reminder_moment
from scholingsfonds.advising.models import Conversation
from scholingsfonds.core.audit import audit_record


def mail_appointment(conversation_id: int, kind: str) -> None:
    """Mail the person about the conversation (run on commit of the change)."""
    conversation = Conversation.objects.select_related("application__fund", "advisor").get(
        pk=conversation_id
    )
    _send_appointment_mail(conversation, kind)


def _send_appointment_mail(conversation: Conversation, kind: str) -> None:
    with translation.override("nl"):  # the letter's language, whatever the advisor's screen
        appointment_mail(conversation, kind).send()


def schedule_reminder(conversation_id: int) -> None:
    """With a task backend that can defer (the database worker), queue the reminder now."""
    from scholingsfonds.advising.tasks import send_conversation_reminder

    conversation = Conversation.objects.get(pk=conversation_id)
    moment = reminder_moment(conversation.scheduled_at)
    if moment <= timezone.now() or not send_conversation_reminder.get_backend().supports_defer:
        return  # too late for a reminder, or `manage.py conversation_reminders` sends it
    send_conversation_reminder.using(run_after=moment).enqueue(
        conversation.pk, conversation.scheduled_at.isoformat()
    )


def conversation_reminders_enqueue(*, now: datetime | None = None) -> int:
    """Queue the reminders that are due: planned for tomorrow, invited before the reminder hour."""
    from scholingsfonds.advising.tasks import send_conversation_reminder

    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    candidates = Conversation.objects.filter(
        status=Conversation.Status.PLANNED,
        reminder_sent_at__isnull=True,
        scheduled_at__gt=now,
        scheduled_at__lt=start + timedelta(days=1),
    )
    count = 0
    for conversation in candidates:
        moment = reminder_moment(conversation.scheduled_at)
        if moment > now:
            continue  # not due yet
        if conversation.invited_at is not None and conversation.invited_at >= moment:
            continue  # the invitation itself came after the reminder hour: no reminder
        send_conversation_reminder.enqueue(conversation.pk, conversation.scheduled_at.isoformat())
        count += 1
    return count


def conversation_reminder_send(*, conversation_id: int, scheduled_at: str) -> bool:
    """Send one reminder, once, and only if the conversation is still planned at that time."""
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update()
            .select_related("application__fund", "advisor")
            .filter(pk=conversation_id)
            .first()
        )
        if (
            conversation is None
            or conversation.status != Conversation.Status.PLANNED
            or conversation.reminder_sent_at is not None
            or conversation.scheduled_at != datetime.fromisoformat(scheduled_at)
            or conversation.scheduled_at <= timezone.now()
        ):
            return False
        _send_appointment_mail(conversation, "reminder")
        conversation.reminder_sent_at = timezone.now()
        conversation.save(update_fields=["reminder_sent_at"])
        audit_record(actor=None, action="conversation.reminder_sent", obj=conversation)
    return True

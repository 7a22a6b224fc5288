"""What the person receives about an appointment: the e-mail of each kind, with the .ics
attached, and the moment of the reminder. Builds messages; sending is the services' work."""

from datetime import datetime, time, timedelta
from email.mime.text import MIMEText
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import timezone

from scholingsfonds.advising.domain.ics import CalendarEvent, calendar_ics
from scholingsfonds.advising.models import Conversation

# The reminder goes out at this hour on the day before the conversation.
REMINDER_HOUR = 9


def reminder_moment(scheduled_at: datetime) -> datetime:
    """The day before the conversation, at REMINDER_HOUR local time."""
    day = timezone.localtime(scheduled_at).date() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(REMINDER_HOUR)))


MAIL_SUBJECTS = {
    "invitation": "Uitnodiging gesprek over uw aanvraag {reference}",
    "rescheduled": "Nieuwe datum voor uw gesprek over aanvraag {reference}",
    "cancelled": "Uw gesprek over aanvraag {reference} gaat niet door",
    "reminder": "Herinnering: morgen uw gesprek over aanvraag {reference}",
    "no_show": "We hebben u gemist: gesprek over aanvraag {reference}",
}


def appointment_mail(conversation: Conversation, kind: str) -> EmailMessage:
    """The e-mail of one kind (invitation, rescheduled, cancelled, reminder, no_show)."""
    application = conversation.application
    message = EmailMessage(
        MAIL_SUBJECTS[kind].format(reference=application.reference),
        render_to_string(
            f"advising/email/{kind}.txt",
            {"conversation": conversation, "application": application},
        ),
        settings.DEFAULT_FROM_EMAIL,
        [application.email],
    )
    if kind in ("invitation", "rescheduled", "cancelled"):
        method = "CANCEL" if kind == "cancelled" else "REQUEST"
        part = MIMEText(conversation_ics(conversation, method=method).decode(), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="afspraak.ics")
        message.attach(part)
    return message


def conversation_ics(conversation: Conversation, *, method: str = "REQUEST") -> bytes:
    """The appointment as an .ics file: the same UID for every update of this conversation."""
    application = conversation.application
    host = urlparse(settings.SITE_URL).hostname or "scholingsfonds.example"
    place = conversation.place_or_location
    advisor = conversation.advisor.get_full_name() or str(conversation.advisor)
    event = CalendarEvent(
        uid=f"gesprek-{conversation.pk}@{host}",
        sequence=conversation.sequence,
        starts_at=conversation.scheduled_at,
        ends_at=conversation.ends_at,
        stamp=timezone.now(),
        summary=f"Gesprek {application.fund.short_name} ({application.reference})",
        location=place,
        description=(
            f"Gesprek met {advisor} over uw aanvraag {application.reference} bij het "
            f"{application.fund.name}.\nNeem uw identiteitsbewijs mee."
        ),
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        organizer_name=application.fund.name,
        attendee_email=application.email,
        method=method,
        reminder_minutes=60,
    )
    return calendar_ics(event)

"""Background work of the advisor's workspace: reminders and the advice summary e-mail."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from scholingsfonds.advising.documents import advice_summary_pdf
from scholingsfonds.advising.services.notifications import conversation_reminder_send
from scholingsfonds.applications.models import Application


@task()
def send_conversation_reminder(conversation_id: int, scheduled_at: str) -> bool:
    """The reminder the day before; does nothing if the conversation moved or was cancelled."""
    return conversation_reminder_send(conversation_id=conversation_id, scheduled_at=scheduled_at)


@task()
def send_advice_summary(application_id: int) -> None:
    """Mail the person their advice summary as a PDF."""
    application = Application.objects.select_related("fund").get(pk=application_id)
    with translation.override("nl"):
        _summary_message(application).send()


def _summary_message(application: Application) -> EmailMessage:
    message = EmailMessage(
        f"Uw adviesrapport - {application.fund.name}",
        render_to_string("advising/email/advice_summary.txt", {"application": application}),
        settings.DEFAULT_FROM_EMAIL,
        [application.email],
    )
    message.attach(
        f"adviesrapport-{application.reference}.pdf",
        advice_summary_pdf(application),
        "application/pdf",
    )
    return message

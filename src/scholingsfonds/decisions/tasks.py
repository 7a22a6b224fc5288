"""Background work of decisions: the letter PDF and the e-mail that announces it."""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django_tasks import task

from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services.letter import letter_store


@task()
def send_decision_letter(decision_id: int) -> None:
    decision = Decision.objects.select_related("application__fund").get(pk=decision_id)
    if not decision.letter_pdf:
        letter_store(decision=decision)
    message = EmailMessage(
        f"Besluit op uw aanvraag {decision.application.reference}",
        render_to_string(
            "decisions/email/decision.txt", {"decision": decision, "site_url": settings.SITE_URL}
        ),
        settings.DEFAULT_FROM_EMAIL,
        [decision.application.email],
    )
    with decision.letter_pdf.open("rb") as handle:
        message.attach(
            f"besluit-{decision.application.reference}.pdf", handle.read(), "application/pdf"
        )
    message.send()

"""The person's advice summary (adviesrapport) as a PDF: Dutch, printable, from HTML."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import override

from scholingsfonds.advising.selectors.cases import latest_held
from scholingsfonds.advising.selectors.financing import latest_arrangement
from scholingsfonds.applications.models import Application


def advice_summary_context(application: Application) -> dict[str, Any]:
    """What the summary shows: the question, the conversation, the training and its financing."""
    arrangement = latest_arrangement(application)
    return {
        "application": application,
        "fund": application.fund,
        "conversation": latest_held(application),
        "test": getattr(application, "labour_market_test", None),
        "arrangement": arrangement,
        "parts": arrangement.paying_parts if arrangement else [],
        "today": timezone.localdate(),
    }


def advice_summary_html(application: Application) -> str:
    # The summary is for the person and in Dutch (the legally relevant language).
    with override("nl"):
        return render_to_string("advising/advice_summary.html", advice_summary_context(application))


def advice_summary_pdf(application: Application) -> bytes:
    """Render the summary with WeasyPrint (the same engine as the decision letters)."""
    from weasyprint import HTML

    return HTML(
        string=advice_summary_html(application), base_url=str(settings.BASE_DIR)
    ).write_pdf()

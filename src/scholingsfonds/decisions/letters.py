"""The decision letter as PDF (WeasyPrint), from the same HTML template staff can read."""

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string

from scholingsfonds.decisions.models import Decision


def letter_render(decision: Decision) -> bytes:
    """The decision letter as PDF (WeasyPrint), from the same HTML template staff can read."""
    from weasyprint import HTML

    html = render_to_string("decisions/letter.html", _letter_context(decision))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _letter_context(decision: Decision) -> dict[str, Any]:
    application = decision.application
    voucher = getattr(application, "voucher", None)
    return {
        "decision": decision,
        "application": application,
        "fund": application.fund,
        "voucher": voucher,
        "outcomes": decision.rule_outcomes,
        "policy": decision.policy_version.policy,
    }

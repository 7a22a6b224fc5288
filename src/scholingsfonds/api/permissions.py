"""Who may do what through the API (the `can_*` predicates of docs/design.md)."""

from typing import Any

from scholingsfonds.applications.models import Application
from scholingsfonds.core.permissions import ALLOWED, Verdict


def can_read_application(user: Any, application: Application) -> Verdict:
    """Through the API a person reads only their own applications."""
    if getattr(user, "is_authenticated", False) and application.applicant_id == user.pk:
        return ALLOWED
    return False, "Niet gevonden."

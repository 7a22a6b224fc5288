"""Who may do what through the API (the `can_*` predicates of DESIGN.md)."""

from typing import Any

from scholingsfonds.accounts.models import Role
from scholingsfonds.applications.models import Application
from scholingsfonds.core.permissions import ALLOWED, Verdict


def can_apply_in_window(user: Any) -> Verdict:
    """A person applies for themself; staff use the website's form on someone's behalf."""
    if not getattr(user, "is_authenticated", False):
        return False, "Log in om een aanvraag te doen."
    if user.role != Role.APPLICANT:
        return False, "Alleen aanvragers doen via de API een aanvraag voor zichzelf."
    if not user.email:
        return False, "Uw account heeft geen e-mailadres."
    return ALLOWED


def can_read_application(user: Any, application: Application) -> Verdict:
    """Through the API a person reads only their own applications."""
    if getattr(user, "is_authenticated", False) and application.applicant_id == user.pk:
        return ALLOWED
    return False, "Niet gevonden."

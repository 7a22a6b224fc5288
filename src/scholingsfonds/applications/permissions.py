"""Who may see and act on an application."""

from typing import Any

from scholingsfonds.accounts.models import Role
from scholingsfonds.applications.models import Application
from scholingsfonds.core.permissions import ALLOWED, Verdict, has_role, is_staff_of

CASE_ROLES = ("advisor", "assessor", "manager", "auditor", "administrator")
PERSONAL_DATA_ROLES = ("advisor", "assessor", "administrator")


def can_view_application(user: Any, application: Application) -> Verdict:
    if not getattr(user, "is_authenticated", False):
        return False, "Log in om deze aanvraag te zien."
    if application.applicant_id == user.pk:
        return ALLOWED
    if (
        user.role == "employer"
        and application.employer_id
        and application.employer.users.filter(pk=user.pk).exists()
    ):
        return ALLOWED
    if has_role(user, *CASE_ROLES) and is_staff_of(user, application.fund):
        return ALLOWED
    return False, "U hebt geen toegang tot deze aanvraag."


def can_view_personal_data(user: Any, application: Application) -> Verdict:
    """Birth date and BSN: only the people who check them (advisor, assessor)."""
    if application.applicant_id == getattr(user, "pk", None):
        return ALLOWED
    if has_role(user, *PERSONAL_DATA_ROLES) and is_staff_of(user, application.fund):
        return ALLOWED
    return False, "Persoonsgegevens zijn alleen zichtbaar voor adviseurs en beoordelaars."


def can_apply_on_behalf(user: Any, fund: Any) -> Verdict:
    if has_role(user, "advisor", "administrator") and is_staff_of(user, fund):
        return ALLOWED
    return False, "Alleen adviseurs van dit fonds vullen het formulier in namens iemand."


def can_apply_in_window(user: Any) -> Verdict:
    """A person applies for themself (website or API); staff use the form on someone's behalf."""
    if not getattr(user, "is_authenticated", False):
        return False, "Log in om een aanvraag te doen."
    if user.role != Role.APPLICANT:
        return False, (
            "Alleen aanvragers doen zelf een aanvraag in het aanvraagvenster. Medewerkers "
            "van het fonds vullen het formulier in namens iemand."
        )
    if not user.email:
        return False, "Uw account heeft geen e-mailadres."
    return ALLOWED

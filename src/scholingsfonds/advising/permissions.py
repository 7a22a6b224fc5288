"""Who may do what in the advisor's workspace: `can_*` predicates returning (allowed, reason)."""

from typing import Any

from django.utils.translation import gettext as _

from scholingsfonds.applications.models import Application
from scholingsfonds.core.permissions import ALLOWED, Verdict, has_role, is_staff_of

ADVISOR_ROLES = ("advisor", "administrator")
OVERVIEW_ROLES = ("advisor", "manager", "administrator")
TARGET_ROLES = ("manager", "administrator")
OCCUPATION_VIEW_ROLES = ("advisor", "assessor", "manager", "auditor", "administrator")
# The list of promising occupations is policy input: the fund administrator keeps it.
OCCUPATION_IMPORT_ROLES = ("administrator",)


def can_advise(user: Any, application: Application) -> Verdict:
    """Advisors of the application's fund handle it (and the administrator role)."""
    if has_role(user, *ADVISOR_ROLES) and is_staff_of(user, application.fund):
        return ALLOWED
    return False, _("Alleen adviseurs van dit fonds behandelen deze aanvraag.")


def can_plan(user: Any) -> Verdict:
    """Plan time slots and see the calendar."""
    if has_role(user, *ADVISOR_ROLES):
        return ALLOWED
    return False, _("Alleen loopbaanadviseurs plannen gesprekken.")


def can_manage_slots_of(user: Any, advisor: Any) -> Verdict:
    """An advisor keeps their own slots; the administrator role those of every advisor."""
    if has_role(user, "administrator") or (has_role(user, "advisor") and user.pk == advisor.pk):
        return ALLOWED
    return False, _("U beheert alleen uw eigen tijdsloten.")


def can_view_overview(user: Any, fund: Any) -> Verdict:
    """Caseload, lead times and targets of a fund."""
    if has_role(user, *OVERVIEW_ROLES) and is_staff_of(user, fund):
        return ALLOWED
    return False, _("Alleen adviseurs en managers van dit fonds zien dit overzicht.")


def can_set_target(user: Any, fund: Any) -> Verdict:
    """The yearly conversation target is set by management."""
    if has_role(user, *TARGET_ROLES) and is_staff_of(user, fund):
        return ALLOWED
    return False, _("Alleen een manager of beheerder stelt het jaardoel in.")


def can_view_occupations(user: Any) -> Verdict:
    if has_role(user, *OCCUPATION_VIEW_ROLES):
        return ALLOWED
    return False, _("Alleen medewerkers van het fonds zien de beroepentabel.")


def can_import_occupations(user: Any) -> Verdict:
    if has_role(user, *OCCUPATION_IMPORT_ROLES):
        return ALLOWED
    return False, _("Alleen de beheerder past de lijst van kansrijke beroepen aan.")


def can_view_advice_summary(user: Any, application: Application) -> Verdict:
    """The person's own advice summary: the person, and the advisors of the fund."""
    if getattr(user, "is_authenticated", False) and application.applicant_id == user.pk:
        return ALLOWED
    return can_advise(user, application)


def can_use_financing_advice(user: Any) -> Verdict:
    """The calculation stores nothing and needs no personal data: any logged-in user."""
    if getattr(user, "is_authenticated", False) and getattr(user, "is_active", False):
        return ALLOWED
    return False, _("Log in om het financieringsadvies te berekenen.")

"""Who may decide: the assessors of the application's fund, and for a proposal a second one."""

from typing import Any

from django.utils.translation import gettext as _

from scholingsfonds.applications.models import Application
from scholingsfonds.core.permissions import ALLOWED, Verdict, has_role, is_staff_of
from scholingsfonds.decisions.models import Decision

ASSESSOR_ROLES = ("assessor", "administrator")


def can_use_queue(user: Any) -> Verdict:
    """The assessor's queue: assessors (and the administrator)."""
    if has_role(user, *ASSESSOR_ROLES):
        return ALLOWED
    return False, _("Alleen voor beoordelaars.")


def can_decide(user: Any, application: Application) -> Verdict:
    """Grant, refuse, hear or ask for repair: the assessors of the application's fund."""
    if has_role(user, *ASSESSOR_ROLES) and is_staff_of(user, application.fund):
        return ALLOWED
    return False, _("Alleen beoordelaars van dit fonds nemen een besluit.")


def can_judge_proposal(user: Any, decision: Decision | None) -> Verdict:
    """Approve or return a grant proposal: a second assessor, never the one who proposed it
    (the services refuse it too)."""
    if decision is None or decision.status != Decision.Status.PROPOSED:
        return False, _("Er is geen voorstel om te beoordelen.")
    if decision.proposed_by_id == getattr(user, "pk", None):
        return False, _("Een tweede beoordelaar beoordeelt dit voorstel.")
    return ALLOWED

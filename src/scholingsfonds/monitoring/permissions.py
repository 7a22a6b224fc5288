"""Who sees the dashboard, the lists behind its numbers, and who sets the targets."""

from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from scholingsfonds.core.permissions import ALLOWED, Verdict, has_role, is_staff_of
from scholingsfonds.funds.models import Fund

# Fund staff who monitor, and funders (read-only; the advisory group uses these roles too).
DASHBOARD_ROLES = ("manager", "auditor", "administrator", "funder")
# Lists of individual applications: only roles that may see applications (CASE_ROLES).
DRILL_DOWN_ROLES = ("manager", "auditor", "administrator")
TARGET_ROLES = ("manager", "administrator")


def dashboard_funds(user: Any) -> QuerySet[Fund]:
    """The funds whose figures this person may see (none for other roles)."""
    if not has_role(user, *DASHBOARD_ROLES):
        return Fund.objects.none()
    if user.role == "administrator":
        return Fund.objects.all()
    # Funders are linked to their fund like staff (fund.staff); they are not fund staff.
    return Fund.objects.filter(staff=user)


def can_view_dashboard(user: Any) -> Verdict:
    if not getattr(user, "is_authenticated", False):
        return False, _("Log in om het dashboard te zien.")
    if not has_role(user, *DASHBOARD_ROLES):
        return False, _("Het dashboard is voor managers, auditors, beheerders en financiers.")
    if not dashboard_funds(user).exists():
        return False, _("U bent nog niet gekoppeld aan een fonds.")
    return ALLOWED


def can_drill_down(user: Any, fund: Fund) -> Verdict:
    """Lists of applications behind a number: fund staff who may see applications."""
    if has_role(user, *DRILL_DOWN_ROLES) and is_staff_of(user, fund):
        return ALLOWED
    return False, _("De lijst achter dit getal is alleen voor medewerkers van het fonds.")


def sees_small_numbers(user: Any) -> bool:
    """Fund staff see every number; funders get small cells suppressed."""
    return has_role(user, *DRILL_DOWN_ROLES)


def can_edit_targets(user: Any, fund: Fund) -> Verdict:
    if has_role(user, *TARGET_ROLES) and is_staff_of(user, fund):
        return ALLOWED
    return False, _("Alleen de manager of de beheerder van het fonds stelt de doelen vast.")

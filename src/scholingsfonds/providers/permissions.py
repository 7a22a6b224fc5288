"""Who may manage the provider registry."""

from typing import Any

from django.utils.translation import gettext as _

from scholingsfonds.core.permissions import ALLOWED, Verdict, has_role


def can_manage_providers(user: Any) -> Verdict:
    """Approving, suspending and changing a bank account: the fund administrator."""
    if has_role(user, "administrator"):
        return ALLOWED
    return False, _("Alleen de beheerder keurt opleiders goed of schorst ze.")


def can_view_providers(user: Any) -> Verdict:
    """The registry is visible to finance, the manager, the auditor and the administrator."""
    if has_role(user, "finance", "manager", "auditor", "administrator"):
        return ALLOWED
    return False, _("Alleen voor financiën, management, auditors en beheerders.")

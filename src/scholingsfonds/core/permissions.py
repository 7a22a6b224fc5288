"""Permission predicates return (allowed, reason) so a screen can say why not."""

from typing import Any

Verdict = tuple[bool, str]

ALLOWED: Verdict = (True, "")


def is_staff_of(user: Any, fund: Any) -> bool:
    """Fund staff see the fund's cases; the administrator role sees every fund."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == "administrator":
        return True
    return bool(user.is_fund_staff and fund.staff.filter(pk=user.pk).exists())


def has_role(user: Any, *roles: str) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in roles)

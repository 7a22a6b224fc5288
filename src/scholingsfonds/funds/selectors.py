"""Read-side queries about funds and their policy periods."""

from dataclasses import dataclass
from datetime import date
from typing import Any

from scholingsfonds.funds.models import Fund

# Who must act when a fund's rules run out: the people who can get new rules adopted.
POLICY_WARNING_ROLES = frozenset({"manager", "administrator"})


@dataclass(frozen=True)
class PolicyWarning:
    fund: Fund
    ends_on: date | None
    # True when the fund has no policy in force at all today (applying is closed).
    closed: bool


def policy_warnings(user: Any, today: date) -> list[PolicyWarning]:
    """Funds of `user` whose policy ends within the warning time without a successor."""
    if not getattr(user, "is_authenticated", False):
        return []
    if user.role not in POLICY_WARNING_ROLES and not user.is_superuser:
        return []
    funds = (
        Fund.objects.all()
        if user.role == "administrator" or user.is_superuser
        else Fund.objects.filter(staff=user)
    )
    warnings = []
    for fund in funds.prefetch_related("policy_versions"):
        outlook = fund.policy_outlook(today)
        if outlook.ending_without_successor and outlook.current is not None:
            warnings.append(PolicyWarning(fund, outlook.current.end, closed=False))
        elif outlook.current is None and outlook.ended is not None and outlook.upcoming is None:
            warnings.append(PolicyWarning(fund, outlook.ended.end, closed=True))
    return warnings

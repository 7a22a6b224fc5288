"""Who sees which money: fund staff their funds' sources, a funder only its own sources."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from scholingsfonds.applications.selectors import staff_funds
from scholingsfonds.budget.models import FundingSource
from scholingsfonds.core.permissions import ALLOWED, Verdict, has_role, is_staff_of
from scholingsfonds.funds.models import Fund
from scholingsfonds.payments.models import FunderAccess

FINANCE_ROLES = ("finance", "manager", "auditor", "administrator")
FUNDER_ROLE = "funder"


@dataclass(frozen=True)
class FinanceScope:
    """Per fund id: None = every source of the fund, else the funder names one may see."""

    funds: dict[int, frozenset[str] | None] = field(default_factory=dict)
    is_funder: bool = False

    def sees_fund(self, fund: Fund) -> bool:
        return fund.pk in self.funds

    def sees_whole_fund(self, fund: Fund) -> bool:
        return fund.pk in self.funds and self.funds[fund.pk] is None

    def sees_source(self, source: FundingSource) -> bool:
        if source.fund_id not in self.funds:
            return False
        funders = self.funds[source.fund_id]
        return funders is None or source.funder in funders

    def source_filter(self) -> Q:
        """A filter on FundingSource for exactly the sources in scope (nothing when empty)."""
        condition = Q(pk__in=[])
        for fund_id, funders in self.funds.items():
            if funders is None:
                condition |= Q(fund_id=fund_id)
            else:
                condition |= Q(fund_id=fund_id, funder__in=sorted(funders))
        return condition


def finance_scope(user: Any) -> FinanceScope:
    """The funds and sources the finance screens show this person."""
    if has_role(user, *FINANCE_ROLES):
        return FinanceScope(funds={fund.pk: None for fund in staff_funds(user=user)})
    if has_role(user, FUNDER_ROLE):
        funds: dict[int, set[str]] = {}
        for fund_id, funder in FunderAccess.objects.filter(user=user).values_list(
            "fund_id", "funder"
        ):
            funds.setdefault(fund_id, set()).add(funder)
        return FinanceScope(
            funds={fund_id: frozenset(names) for fund_id, names in funds.items()}, is_funder=True
        )
    return FinanceScope()


def can_view_finance(user: Any) -> Verdict:
    """The finance screens are for finance, manager, auditor, administrator and funders."""
    if has_role(user, *FINANCE_ROLES, FUNDER_ROLE):
        return ALLOWED
    return False, _("Alleen voor financiën, management, auditors, beheerders en financiers.")


def can_view_source(user: Any, source: FundingSource) -> Verdict:
    if finance_scope(user).sees_source(source):
        return ALLOWED
    return False, _("Deze bron hoort niet bij een fonds of financier die u mag zien.")


def can_view_fund_risk(user: Any, fund: Fund) -> Verdict:
    """The risk split covers every funder's money: fund staff only."""
    if has_role(user, *FINANCE_ROLES) and is_staff_of(user, fund):
        return ALLOWED
    return False, _("Alleen medewerkers van dit fonds zien de verdeling over de gemeenten.")


def can_confirm_cofinancing(user: Any, fund: Fund) -> Verdict:
    """Only finance of the fund confirms that co-financing was shown to be paid."""
    if has_role(user, "finance") and is_staff_of(user, fund):
        return ALLOWED
    return False, _("Alleen een medewerker financiën van dit fonds bevestigt cofinanciering.")


def can_reallocate(user: Any) -> Verdict:
    if has_role(user, "administrator"):
        return ALLOWED
    return False, _("Alleen de beheerder verdeelt geld opnieuw over bronnen.")


def can_propose_close(user: Any, fund: Fund) -> Verdict:
    """Finance of the fund proposes what happens to a closed source's money."""
    if has_role(user, "finance") and is_staff_of(user, fund):
        return ALLOWED
    return False, _("Alleen een medewerker financiën van dit fonds stelt een afsluiting voor.")


def can_approve_close(user: Any, fund: Fund) -> Verdict:
    """A second person of finance or management approves it (four eyes; not the proposer)."""
    if has_role(user, "finance", "manager") and is_staff_of(user, fund):
        return ALLOWED
    return False, _("Alleen financiën of management van dit fonds keurt een afsluiting goed.")

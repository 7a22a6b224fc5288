"""Which work areas a role opens: the home page's menu, the same table the pages check.

A person has no state here, only a role and a few facts, so `allowed_actions` takes those two.
"""

from __future__ import annotations

from dataclasses import dataclass

from scholingsfonds.accounts.domain.roles import (
    ADMINISTRATOR,
    ADVISOR,
    APPLICANT,
    ASSESSOR,
    AUDITOR,
    EMPLOYER,
    FINANCE,
    FUNDER,
    MANAGER,
    PROVIDER,
)
from scholingsfonds.core.domain.actions import ROLE, Action, Check, decide
from scholingsfonds.core.domain.i18n import gettext_noop

ADVISING_QUEUE = "advising_queue"
ASSESSMENT_QUEUE = "assessment_queue"
FINANCE_OVERVIEW = "finance_overview"
INVOICES = "invoices"
PAYMENT_BATCHES = "payment_batches"
MARKET_SIGNALS = "market_signals"
PROVIDER_PORTAL = "provider_portal"
MY_APPLICATIONS = "my_applications"

# The fund's finance screens about applications and every funder's money: fund staff only.
FINANCE_STAFF = frozenset({FINANCE, MANAGER, AUDITOR, ADMINISTRATOR})

# Per work area, in the menu's order: the roles that open it, and what the others are told.
WORKSPACES: dict[str, tuple[frozenset[str], str]] = {
    ADVISING_QUEUE: (
        frozenset({ADVISOR, ADMINISTRATOR}),
        gettext_noop("Alleen voor loopbaanadviseurs."),
    ),
    ASSESSMENT_QUEUE: (
        frozenset({ASSESSOR, ADMINISTRATOR}),
        gettext_noop("Alleen voor beoordelaars."),
    ),
    FINANCE_OVERVIEW: (
        FINANCE_STAFF | {FUNDER},
        gettext_noop("Alleen voor financiën, management, auditors, beheerders en financiers."),
    ),
    INVOICES: (
        FINANCE_STAFF,
        gettext_noop("Alleen voor financiën, management, auditors en beheerders."),
    ),
    PAYMENT_BATCHES: (
        FINANCE_STAFF,
        gettext_noop("Alleen voor financiën, management, auditors en beheerders."),
    ),
    MARKET_SIGNALS: (
        FINANCE_STAFF,
        gettext_noop("Alleen voor financiën, management, auditors en beheerders."),
    ),
    PROVIDER_PORTAL: (
        frozenset({PROVIDER}),
        gettext_noop("Het opleidersportaal is voor medewerkers van een geregistreerde opleider."),
    ),
    MY_APPLICATIONS: (
        frozenset({APPLICANT, EMPLOYER}),
        gettext_noop("Alleen aanvragers en werkgevers hebben eigen aanvragen."),
    ),
}

NO_FUND = "workspace.no_fund"
NO_PROVIDER = "workspace.no_provider"


@dataclass(frozen=True)
class WorkspaceFacts:
    """What the role alone does not tell: whom the person works for."""

    works_for_a_fund: bool = False  # on the staff of at least one fund (or the administrator)
    works_for_a_provider: bool = False  # on the staff of at least one registered provider


def allowed_actions(role: str, facts: WorkspaceFacts) -> list[Action]:
    """Every work area, in the menu's order, with whether this person may open it."""
    actions = []
    for code, (roles, refusal) in WORKSPACES.items():
        checks = [Check(role in roles, ROLE, refusal)]
        if code == MARKET_SIGNALS:
            checks.append(
                Check(
                    facts.works_for_a_fund,
                    NO_FUND,
                    gettext_noop("U bent geen medewerker van een fonds."),
                )
            )
        if code == PROVIDER_PORTAL:
            checks.append(Check(facts.works_for_a_provider, NO_PROVIDER, refusal))
        actions.append(decide(code, checks))
    return actions

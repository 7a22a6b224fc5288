"""The work areas a role opens (no database), and the domain's roles against the model's."""

import pytest

from scholingsfonds.accounts.domain import workspaces
from scholingsfonds.accounts.domain.roles import ROLES, STAFF_ROLES
from scholingsfonds.core.domain.actions import ROLE, by_code

ANY = workspaces.WorkspaceFacts(works_for_a_fund=True, works_for_a_provider=True)


def opens(role: str, facts: workspaces.WorkspaceFacts = ANY) -> set[str]:
    return {a.code for a in workspaces.allowed_actions(role, facts) if a.allowed}


def test_the_domain_roles_are_the_stored_roles() -> None:
    from scholingsfonds.accounts.models import STAFF_ROLES as MODEL_STAFF_ROLES
    from scholingsfonds.accounts.models import Role

    assert ROLES == tuple(Role.values)
    assert set(STAFF_ROLES) == set(MODEL_STAFF_ROLES)


@pytest.mark.parametrize("role", ROLES)
def test_every_work_area_is_answered_in_the_menus_order(role: str) -> None:
    actions = workspaces.allowed_actions(role, ANY)
    assert [a.code for a in actions] == list(workspaces.WORKSPACES)
    for action in actions:
        assert action.allowed or action.reason


@pytest.mark.parametrize(
    ("role", "areas"),
    [
        ("applicant", {workspaces.MY_APPLICATIONS}),
        ("employer", {workspaces.MY_APPLICATIONS}),
        ("provider", {workspaces.PROVIDER_PORTAL}),
        ("advisor", {workspaces.ADVISING_QUEUE}),
        ("assessor", {workspaces.ASSESSMENT_QUEUE}),
        ("funder", {workspaces.FINANCE_OVERVIEW}),
        (
            "finance",
            {
                workspaces.FINANCE_OVERVIEW,
                workspaces.INVOICES,
                workspaces.PAYMENT_BATCHES,
                workspaces.MARKET_SIGNALS,
            },
        ),
        (
            "administrator",
            {
                workspaces.ADVISING_QUEUE,
                workspaces.ASSESSMENT_QUEUE,
                workspaces.FINANCE_OVERVIEW,
                workspaces.INVOICES,
                workspaces.PAYMENT_BATCHES,
                workspaces.MARKET_SIGNALS,
            },
        ),
    ],
)
def test_each_role_opens_its_own_work_areas(role: str, areas: set[str]) -> None:
    assert opens(role) == areas


def test_the_portal_needs_a_registered_provider_and_market_signals_a_fund() -> None:
    nobody = workspaces.WorkspaceFacts()
    assert opens("provider", nobody) == set()
    assert workspaces.MARKET_SIGNALS not in opens("finance", nobody)
    refused = by_code(workspaces.allowed_actions("finance", nobody))
    assert refused[workspaces.MARKET_SIGNALS].reason_code == workspaces.NO_FUND
    assert refused[workspaces.PROVIDER_PORTAL].reason_code == ROLE

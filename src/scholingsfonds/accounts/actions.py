"""The facts of a person for the work areas they open (accounts/domain/workspaces.py)."""

from __future__ import annotations

from typing import Any

from scholingsfonds.accounts.domain import workspaces
from scholingsfonds.accounts.domain.roles import ADMINISTRATOR
from scholingsfonds.core.domain.actions import Action


def workspace_facts(user: Any) -> workspaces.WorkspaceFacts:
    # Through the reverse relations of Fund.staff and Provider.users: the apps that own those
    # models sit above accounts, so their names are not imported here.
    return workspaces.WorkspaceFacts(
        works_for_a_fund=user.role == ADMINISTRATOR or user.funds.exists(),
        works_for_a_provider=user.providers.exists(),
    )


def workspace_actions(user: Any, _viewer: Any = None) -> list[Action]:
    """Every work area with whether this person opens it; nothing for someone not logged in."""
    if not getattr(user, "is_authenticated", False):
        return []
    return workspaces.allowed_actions(user.role, workspace_facts(user))

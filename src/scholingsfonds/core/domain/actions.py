"""What a person may do with a thing in its state, and why not: one answer for every screen.

Each stateful thing has one pure `allowed_actions(state, role, facts)` in its app's `domain/`
(the application's assessment in applications/domain/actions.py, the voucher in
vouchers/domain/actions.py, a person's workspaces in accounts/domain/workspaces.py). It returns
every action of that thing, allowed or refused; a refused action carries a stable reason code
and a Dutch message for people. Templates, views, the API and bulk actions ask it instead of
re-deriving the rules, and tests/test_allowed_actions.py checks it against the services.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

# Refusals every state machine shares. A rule of one thing has its own code, the same as the
# DomainError its service raises where there is one (say "decision.four_eyes").
ROLE = "action.role"
STATE = "action.state"


@dataclass(frozen=True)
class Action:
    """One action on one thing: its stable code, whether it is allowed, and why not."""

    code: str
    allowed: bool
    reason_code: str = ""
    reason: str = ""  # Dutch, marked with gettext_noop: translate it where it is shown

    def __post_init__(self) -> None:
        if self.allowed and (self.reason_code or self.reason):
            raise ValueError(f"an allowed action has no reason: {self.code}")
        if not self.allowed and not (self.reason_code and self.reason):
            raise ValueError(f"a refused action says why: {self.code}")


@dataclass(frozen=True)
class Check:
    """A condition an action needs, with the refusal to give when it does not hold."""

    holds: bool
    reason_code: str
    reason: str


def decide(code: str, checks: Iterable[Check]) -> Action:
    """Allowed when every check holds; otherwise refused with the first check that fails.

    Callers list the checks from the most general (the role) to the most particular (a fact of
    this one thing), so the reason given is the one that matters to the person first.
    """
    for check in checks:
        if not check.holds:
            return Action(code, False, check.reason_code, check.reason)
    return Action(code, True)


def by_code(actions: Iterable[Action]) -> dict[str, Action]:
    """The actions keyed by their code, for a screen that asks for one by name."""
    return {action.code: action for action in actions}

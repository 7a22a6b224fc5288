"""The allowed actions of a thing for the person looking at it, ready for a template.

Each app registers, per model, a function that gathers the facts and asks the thing's domain
`allowed_actions` (the registry keeps core free of the apps above it). Templates ask with
`{% load allowed_actions %}{% allowed_actions voucher as actions %}` and then read
`actions.confirm_start.allowed` or `actions.confirm_start.reason`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext

from scholingsfonds.core.domain.actions import Action

ActionsFor = Callable[[Any, Any], list[Action]]

_REGISTRY: dict[str, ActionsFor] = {}


def register(model_label: str, actions_for: ActionsFor) -> None:
    """Say how to find the actions of a model's objects ("app_label.modelname")."""
    _REGISTRY[model_label.lower()] = actions_for


def actions_of(obj: Any, user: Any) -> list[Action]:
    """The domain's answer for this object and this person (every action, allowed or not)."""
    label = obj._meta.label_lower
    try:
        actions_for = _REGISTRY[label]
    except KeyError:
        raise LookupError(f"no allowed actions registered for {label}") from None
    return actions_for(obj, user)


@dataclass(frozen=True)
class ShownAction:
    """An action as a screen shows it: the reason in the person's language."""

    code: str
    allowed: bool
    reason_code: str
    reason: str


class ActionMenu(dict[str, ShownAction]):
    """The actions by code (`menu.grant.allowed`); `offered` lists the allowed ones in order."""

    @property
    def offered(self) -> list[ShownAction]:
        return [action for action in self.values() if action.allowed]


def action_menu(actions: Iterable[Action]) -> ActionMenu:
    return ActionMenu(
        (
            action.code,
            ShownAction(
                code=action.code,
                allowed=action.allowed,
                reason_code=action.reason_code,
                reason=gettext(action.reason) if action.reason else "",
            ),
        )
        for action in actions
    )

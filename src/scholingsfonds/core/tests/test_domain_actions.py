"""The shape every allowed-actions answer shares: allowed, or refused with a reason."""

import pytest

from scholingsfonds.core.domain.actions import (
    ROLE,
    STATE,
    Action,
    Check,
    by_code,
    decide,
)
from scholingsfonds.core.domain.i18n import gettext_noop


def test_the_marker_returns_the_message_unchanged() -> None:
    assert gettext_noop("Alleen voor beoordelaars.") == "Alleen voor beoordelaars."


def test_an_allowed_action_carries_no_reason_and_a_refused_one_always_does() -> None:
    assert Action("grant", True).reason == ""
    with pytest.raises(ValueError):
        Action("grant", True, ROLE, "Niet voor u.")
    with pytest.raises(ValueError):
        Action("grant", False)
    with pytest.raises(ValueError):
        Action("grant", False, ROLE, "")


def test_decide_allows_when_every_check_holds() -> None:
    assert decide("grant", [Check(True, ROLE, "r"), Check(True, STATE, "s")]) == Action(
        "grant", True
    )
    assert decide("grant", []) == Action("grant", True)


def test_decide_refuses_with_the_first_check_that_fails() -> None:
    action = decide(
        "grant", [Check(True, ROLE, "r"), Check(False, STATE, "s"), Check(False, "x.y", "z")]
    )
    assert action == Action("grant", False, STATE, "s")


def test_by_code_keys_the_actions_by_their_code() -> None:
    actions = [Action("a", True), Action("b", False, ROLE, "r")]
    assert by_code(actions) == {"a": actions[0], "b": actions[1]}

import pytest

from scholingsfonds.applications.domain.states import (
    STATE_LABELS_EN,
    STATE_LABELS_NL,
    STATES,
    TERMINAL_STATES,
    TRANSITIONS,
    check_transition,
)
from scholingsfonds.core.domain.errors import DomainError


def test_every_state_has_a_dutch_and_english_label_and_a_transition_entry() -> None:
    assert set(STATE_LABELS_NL) == set(STATE_LABELS_EN) == set(TRANSITIONS) == set(STATES)
    assert STATE_LABELS_NL["repair_requested"] == "Aanvulling gevraagd"


def test_transitions_only_lead_to_known_states() -> None:
    for targets in TRANSITIONS.values():
        assert targets <= set(STATES)


def test_terminal_states_have_no_way_out() -> None:
    for state in TERMINAL_STATES:
        assert TRANSITIONS[state] == frozenset()


def test_every_non_terminal_state_can_reach_a_terminal_state() -> None:
    for start in set(STATES) - TERMINAL_STATES:
        seen, todo = {start}, [start]
        while todo:
            for nxt in TRANSITIONS[todo.pop()] - seen:
                seen.add(nxt)
                todo.append(nxt)
        assert seen & TERMINAL_STATES, start


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("submitted", "invited"),
        ("submitted", "complete"),
        ("invited", "conversation_held"),
        ("conversation_held", "repair_requested"),
        ("repair_requested", "complete"),
        ("complete", "hearing"),
        ("complete", "awaiting_second_approval"),
        ("awaiting_second_approval", "granted"),
        ("hearing", "refused"),
    ],
)
def test_normal_steps_are_allowed(a: str, b: str) -> None:
    check_transition(a, b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("submitted", "granted"),
        ("granted", "refused"),
        ("withdrawn", "submitted"),
        ("invited", "granted"),
        ("awaiting_second_approval", "withdrawn"),
        ("nonsense", "complete"),
    ],
)
def test_skipping_steps_or_leaving_a_final_state_is_refused(a: str, b: str) -> None:
    with pytest.raises(DomainError) as info:
        check_transition(a, b)
    assert info.value.code == "application.invalid_transition"

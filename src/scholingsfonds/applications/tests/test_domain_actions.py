"""The assessment's allowed actions, read from the state table (no database)."""

import pytest

from scholingsfonds.accounts.domain.roles import ROLES
from scholingsfonds.applications.domain import actions as case
from scholingsfonds.applications.domain.states import (
    AWAITING_SECOND_APPROVAL,
    COMPLETE,
    CONVERSATION_HELD,
    GRANTED,
    HEARING,
    REFUSED,
    REPAIR_REQUESTED,
    STATES,
    TERMINAL_STATES,
    TRANSITIONS,
)
from scholingsfonds.core.domain.actions import ROLE, by_code

STAFF = case.CaseFacts(staff_of_fund=True)


def allowed(state: str, role: str = "assessor", facts: case.CaseFacts = STAFF) -> set[str]:
    return {a.code for a in case.allowed_actions(state, role, facts) if a.allowed}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_every_action_is_answered_once_in_a_fixed_order_and_every_refusal_says_why(
    state: str, role: str
) -> None:
    actions = case.allowed_actions(state, role, STAFF)
    assert tuple(a.code for a in actions) == case.ACTIONS
    for action in actions:
        assert action.allowed or (action.reason_code and action.reason)


def test_every_move_of_an_action_is_a_transition_of_the_state_table() -> None:
    targets = {t for moves in TRANSITIONS.values() for t in moves}
    assert set(case.MOVES.values()) <= targets
    assert case.grant_target(case.CaseFacts()) == GRANTED
    assert case.grant_target(case.CaseFacts(above_four_eyes_threshold=True)) == (
        AWAITING_SECOND_APPROVAL
    )


@pytest.mark.parametrize("role", sorted(set(ROLES) - case.ASSESSOR_ROLES))
def test_only_assessors_and_the_administrator_act_in_the_assessment(role: str) -> None:
    for action in case.allowed_actions(COMPLETE, role, STAFF):
        assert not action.allowed
        assert action.reason_code == ROLE


def test_an_assessor_of_another_fund_does_nothing_with_the_case() -> None:
    assert allowed(COMPLETE, facts=case.CaseFacts(staff_of_fund=False)) == set()


def test_a_complete_case_is_granted_refused_heard_or_sent_back_for_repair() -> None:
    assert allowed(COMPLETE) == {case.GRANT, case.REFUSE, case.ASK_HEARING, case.REQUEST_REPAIR}
    assert allowed(COMPLETE, "administrator") == allowed(COMPLETE)


def test_the_states_that_may_be_refused_are_exactly_those_the_table_lets_refuse() -> None:
    refusable = {s for s in STATES if REFUSED in TRANSITIONS[s]}
    assert refusable == {COMPLETE, HEARING, REPAIR_REQUESTED, AWAITING_SECOND_APPROVAL}
    for state in STATES:
        assert (case.REFUSE in allowed(state)) == (state in refusable)


def test_repair_is_asked_where_the_table_allows_it() -> None:
    for state in STATES:
        assert (case.REQUEST_REPAIR in allowed(state)) == (state in {CONVERSATION_HELD, COMPLETE})


@pytest.mark.parametrize("state", sorted(TERMINAL_STATES))
def test_a_decided_case_allows_nothing(state: str) -> None:
    assert allowed(state, facts=case.CaseFacts(staff_of_fund=True, open_hearing=True)) == set()


def test_a_proposal_is_approved_or_returned_by_another_assessor_only() -> None:
    facts = case.CaseFacts(staff_of_fund=True, has_proposal=True)
    assert allowed(AWAITING_SECOND_APPROVAL, facts=facts) == {
        case.APPROVE,
        case.RETURN_PROPOSAL,
        case.REFUSE,
    }
    own = case.CaseFacts(staff_of_fund=True, has_proposal=True, proposed_by_actor=True)
    actions = by_code(case.allowed_actions(AWAITING_SECOND_APPROVAL, "assessor", own))
    for code in (case.APPROVE, case.RETURN_PROPOSAL):
        assert not actions[code].allowed
        assert actions[code].reason_code == case.FOUR_EYES
    # A proposal is approved, not granted a second time.
    assert actions[case.GRANT].reason_code == case.NOT_DECIDABLE


def test_without_a_proposal_there_is_nothing_to_approve() -> None:
    actions = by_code(case.allowed_actions(AWAITING_SECOND_APPROVAL, "assessor", STAFF))
    assert actions[case.APPROVE].reason_code == case.NO_PROPOSAL


def test_a_hearing_is_closed_only_once_its_term_is_over() -> None:
    running = case.CaseFacts(staff_of_fund=True, open_hearing=True)
    actions = by_code(case.allowed_actions(HEARING, "assessor", running))
    assert actions[case.CLOSE_HEARING].reason_code == case.HEARING_RUNNING
    over = case.CaseFacts(staff_of_fund=True, open_hearing=True, hearing_term_over=True)
    assert case.CLOSE_HEARING in allowed(HEARING, facts=over)
    assert case.CLOSE_HEARING not in allowed(COMPLETE, facts=over)
    no_hearing = by_code(case.allowed_actions(HEARING, "assessor", STAFF))
    assert no_hearing[case.CLOSE_HEARING].reason_code == case.NO_OPEN_HEARING


def test_after_a_hearing_a_grant_above_the_threshold_is_refused_by_the_state_table() -> None:
    # The table has no move from a hearing to a second assessor's approval (see the report of
    # this change): the screen says so rather than offer a grant the service will refuse.
    below = case.CaseFacts(staff_of_fund=True)
    above = case.CaseFacts(staff_of_fund=True, above_four_eyes_threshold=True)
    assert case.GRANT in allowed(HEARING, facts=below)
    action = by_code(case.allowed_actions(HEARING, "assessor", above))[case.GRANT]
    assert action.reason_code == case.INVALID_TRANSITION
    assert case.GRANT in allowed(COMPLETE, facts=above)

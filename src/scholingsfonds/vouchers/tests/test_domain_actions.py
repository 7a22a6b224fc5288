"""The voucher's allowed actions, read from the state table (no database)."""

import pytest

from scholingsfonds.accounts.domain.roles import ROLES
from scholingsfonds.core.domain.actions import ROLE, by_code
from scholingsfonds.vouchers.domain import actions as voucher
from scholingsfonds.vouchers.domain.redemption import (
    CANCELLED,
    COMPLETED,
    EXPIRED,
    ISSUED,
    NO_SHOW,
    REDEEMED,
    STARTED,
    TRANSITIONS,
)

OWN = voucher.VoucherFacts(works_for_provider=True, room_cents=100)
PARTICIPANT = voucher.VoucherFacts(is_participant=True)


def allowed(state: str, role: str = "provider", facts: voucher.VoucherFacts = OWN) -> set[str]:
    return {a.code for a in voucher.allowed_actions(state, role, facts) if a.allowed}


@pytest.mark.parametrize("state", sorted(TRANSITIONS))
@pytest.mark.parametrize("role", ROLES)
def test_every_action_is_answered_once_in_a_fixed_order_and_every_refusal_says_why(
    state: str, role: str
) -> None:
    actions = voucher.allowed_actions(state, role, OWN)
    assert tuple(a.code for a in actions) == voucher.ACTIONS
    for action in actions:
        assert action.allowed or (action.reason_code and action.reason)


def test_every_move_of_an_action_is_a_transition_of_the_state_table() -> None:
    targets = {t for moves in TRANSITIONS.values() for t in moves}
    assert set(voucher.MOVES.values()) <= targets


def test_the_provider_of_the_voucher_acts_by_its_state() -> None:
    assert allowed(ISSUED) == {voucher.CONFIRM_START, voucher.REPORT_NO_SHOW}
    assert allowed(STARTED) == {voucher.REPORT_COMPLETION, voucher.REPORT_NO_SHOW}
    assert allowed(COMPLETED) == {voucher.SUBMIT_INVOICE}
    for state in (REDEEMED, EXPIRED, CANCELLED, NO_SHOW):
        assert allowed(state) == set()


def test_another_provider_and_other_roles_do_nothing() -> None:
    assert allowed(ISSUED, facts=voucher.VoucherFacts()) == set()
    refused = by_code(voucher.allowed_actions(ISSUED, "provider", voucher.VoucherFacts()))
    assert refused[voucher.CONFIRM_START].reason_code == voucher.NOT_FOUND
    for role in set(ROLES) - {"provider", "applicant"}:
        for action in voucher.allowed_actions(ISSUED, role, OWN):
            assert not action.allowed and action.reason_code == ROLE


def test_nothing_left_to_invoice_means_no_invoice() -> None:
    facts = voucher.VoucherFacts(works_for_provider=True, room_cents=0)
    action = by_code(voucher.allowed_actions(COMPLETED, "provider", facts))[voucher.SUBMIT_INVOICE]
    assert action.reason_code == voucher.NOTHING_LEFT
    early = by_code(voucher.allowed_actions(STARTED, "provider", OWN))[voucher.SUBMIT_INVOICE]
    assert early.reason_code == voucher.NOT_COMPLETED


def test_a_suspended_provider_or_a_lapsed_voucher_starts_nothing() -> None:
    suspended = voucher.VoucherFacts(works_for_provider=True, provider_approved=False)
    lapsed = voucher.VoucherFacts(works_for_provider=True, past_validity=True)
    for facts, code in ((suspended, voucher.NOT_APPROVED), (lapsed, voucher.EXPIRED)):
        action = by_code(voucher.allowed_actions(ISSUED, "provider", facts))[voucher.CONFIRM_START]
        assert action.reason_code == code
    # Reporting that nobody came is still possible: it gives the money back.
    assert voucher.REPORT_NO_SHOW in allowed(ISSUED, facts=suspended)


def test_the_participant_gives_back_a_voucher_that_has_not_started() -> None:
    assert allowed(ISSUED, "applicant", PARTICIPANT) == {voucher.GIVE_BACK}
    for state in (STARTED, COMPLETED, REDEEMED, EXPIRED, CANCELLED, NO_SHOW):
        action = by_code(voucher.allowed_actions(state, "applicant", PARTICIPANT))[
            voucher.GIVE_BACK
        ]
        assert action.reason_code == voucher.TRANSITION
    other = by_code(voucher.allowed_actions(ISSUED, "applicant", voucher.VoucherFacts()))
    assert other[voucher.GIVE_BACK].reason_code == ROLE

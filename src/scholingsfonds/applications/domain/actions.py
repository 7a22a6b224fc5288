"""What can be done with an application in the assessment, by whom: the assessor's case page.

Built on the state table in states.py: an action that moves the application is allowed only
where TRANSITIONS allows its move, so the screens and the services (which call
`check_transition`) cannot disagree. The intake actions of the advisor are not here yet.
"""

from __future__ import annotations

from dataclasses import dataclass

from scholingsfonds.accounts.domain.roles import ADMINISTRATOR, ASSESSOR
from scholingsfonds.applications.domain.states import (
    AWAITING_SECOND_APPROVAL,
    COMPLETE,
    GRANTED,
    HEARING,
    REFUSED,
    REPAIR_REQUESTED,
    allowed_next,
)
from scholingsfonds.core.domain.actions import ROLE, Action, Check, decide
from scholingsfonds.core.domain.i18n import gettext_noop

GRANT = "grant"
APPROVE = "approve"
RETURN_PROPOSAL = "return_proposal"
REFUSE = "refuse"
ASK_HEARING = "ask_hearing"
CLOSE_HEARING = "close_hearing"
REQUEST_REPAIR = "request_repair"

ACTIONS = (GRANT, APPROVE, RETURN_PROPOSAL, REFUSE, ASK_HEARING, CLOSE_HEARING, REQUEST_REPAIR)

ASSESSOR_ROLES = frozenset({ASSESSOR, ADMINISTRATOR})

# A grant is decided on a complete case, also after hearing the applicant; from the proposal
# that awaits a second assessor the case is granted by approval, not by a new grant.
DECIDABLE = frozenset({COMPLETE, HEARING})

# Where each action leaves the application (a grant: see `grant_target`).
MOVES: dict[str, str] = {
    APPROVE: GRANTED,
    RETURN_PROPOSAL: COMPLETE,
    REFUSE: REFUSED,
    ASK_HEARING: HEARING,
    REQUEST_REPAIR: REPAIR_REQUESTED,
}

# The reason codes are the codes of the DomainErrors the services raise for the same rule.
INVALID_TRANSITION = "application.invalid_transition"
NOT_DECIDABLE = "decision.not_decidable"
FOUR_EYES = "decision.four_eyes"
NO_PROPOSAL = "decision.not_proposed"
NO_OPEN_HEARING = "hearing.none_open"
HEARING_RUNNING = "hearing.deadline_not_passed"


@dataclass(frozen=True)
class CaseFacts:
    """What the state and the role do not tell about this case and this person."""

    staff_of_fund: bool = False  # the person works for the application's fund
    above_four_eyes_threshold: bool = False  # the grant needs a second assessor
    has_proposal: bool = False  # a grant proposal awaits approval
    proposed_by_actor: bool = False  # that proposal is this person's own
    open_hearing: bool = False  # the applicant was asked for their view, not closed yet
    hearing_term_over: bool = False  # the term of that hearing has passed


def grant_target(facts: CaseFacts) -> str:
    """A grant above the four-eyes threshold waits for a second assessor; below it is final."""
    return AWAITING_SECOND_APPROVAL if facts.above_four_eyes_threshold else GRANTED


def _moves(state: str, to_state: str) -> Check:
    return Check(
        to_state in allowed_next(state),
        INVALID_TRANSITION,
        gettext_noop("Dat kan niet bij een aanvraag met deze status."),
    )


def allowed_actions(state: str, role: str, facts: CaseFacts) -> list[Action]:
    """Every assessment action on an application in `state`, for a person with `role`."""
    may_decide = [
        Check(
            role in ASSESSOR_ROLES and facts.staff_of_fund,
            ROLE,
            gettext_noop("Alleen beoordelaars van dit fonds nemen een besluit."),
        )
    ]
    proposal = [
        Check(
            facts.has_proposal,
            NO_PROPOSAL,
            gettext_noop("Er is geen voorstel dat op goedkeuring wacht."),
        ),
        Check(
            not facts.proposed_by_actor,
            FOUR_EYES,
            gettext_noop("Een andere beoordelaar moet dit voorstel goedkeuren."),
        ),
    ]
    return [
        decide(
            GRANT,
            [
                *may_decide,
                Check(
                    state in DECIDABLE,
                    NOT_DECIDABLE,
                    gettext_noop("Deze aanvraag is niet klaar voor een besluit."),
                ),
                _moves(state, grant_target(facts)),
            ],
        ),
        decide(APPROVE, [*may_decide, _moves(state, MOVES[APPROVE]), *proposal]),
        decide(RETURN_PROPOSAL, [*may_decide, _moves(state, MOVES[RETURN_PROPOSAL]), *proposal]),
        decide(REFUSE, [*may_decide, _moves(state, MOVES[REFUSE])]),
        decide(ASK_HEARING, [*may_decide, _moves(state, MOVES[ASK_HEARING])]),
        decide(
            CLOSE_HEARING,
            [
                *may_decide,
                Check(
                    state == HEARING and facts.open_hearing,
                    NO_OPEN_HEARING,
                    gettext_noop("Er loopt geen zienswijze."),
                ),
                Check(
                    facts.hearing_term_over,
                    HEARING_RUNNING,
                    gettext_noop("De termijn voor de zienswijze loopt nog."),
                ),
            ],
        ),
        decide(REQUEST_REPAIR, [*may_decide, _moves(state, MOVES[REQUEST_REPAIR])]),
    ]

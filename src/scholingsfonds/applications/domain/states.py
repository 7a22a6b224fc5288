"""The application state machine, as data."""

from __future__ import annotations

from scholingsfonds.core.domain.errors import DomainError

SUBMITTED = "submitted"
INVITED = "invited"
CONVERSATION_HELD = "conversation_held"
REPAIR_REQUESTED = "repair_requested"
COMPLETE = "complete"
HEARING = "hearing"
AWAITING_SECOND_APPROVAL = "awaiting_second_approval"
GRANTED = "granted"
REFUSED = "refused"
REFERRED = "referred"
WITHDRAWN = "withdrawn"

STATES = (
    SUBMITTED,
    INVITED,
    CONVERSATION_HELD,
    REPAIR_REQUESTED,
    COMPLETE,
    HEARING,
    AWAITING_SECOND_APPROVAL,
    GRANTED,
    REFUSED,
    REFERRED,
    WITHDRAWN,
)

STATE_LABELS_NL: dict[str, str] = {
    SUBMITTED: "Ingediend",
    INVITED: "Uitgenodigd voor gesprek",
    CONVERSATION_HELD: "Gesprek gevoerd",
    REPAIR_REQUESTED: "Aanvulling gevraagd",
    COMPLETE: "Compleet",
    HEARING: "Zienswijze gevraagd",
    AWAITING_SECOND_APPROVAL: "Wacht op tweede beoordelaar",
    GRANTED: "Toegekend",
    REFUSED: "Afgewezen",
    REFERRED: "Doorverwezen",
    WITHDRAWN: "Ingetrokken",
}

STATE_LABELS_EN: dict[str, str] = {
    SUBMITTED: "Submitted",
    INVITED: "Invited for a conversation",
    CONVERSATION_HELD: "Conversation held",
    REPAIR_REQUESTED: "Additional information requested",
    COMPLETE: "Complete",
    HEARING: "Views requested",
    AWAITING_SECOND_APPROVAL: "Awaiting second approval",
    GRANTED: "Granted",
    REFUSED: "Refused",
    REFERRED: "Referred",
    WITHDRAWN: "Withdrawn",
}

TERMINAL_STATES: frozenset[str] = frozenset({GRANTED, REFUSED, REFERRED, WITHDRAWN})

TRANSITIONS: dict[str, frozenset[str]] = {
    # Straight to complete when the form already asks training, provider and cost (FCFS window).
    SUBMITTED: frozenset({INVITED, REFERRED, WITHDRAWN, COMPLETE}),
    INVITED: frozenset({CONVERSATION_HELD, REFERRED, WITHDRAWN}),
    CONVERSATION_HELD: frozenset({COMPLETE, REPAIR_REQUESTED, REFERRED, WITHDRAWN}),
    # Awb 4:5: an application not repaired in time may be refused (not treated).
    REPAIR_REQUESTED: frozenset({COMPLETE, REFUSED, WITHDRAWN}),
    # Awb 4:7 hearing before a refusal on other facts; four-eyes above the policy threshold.
    COMPLETE: frozenset(
        {
            GRANTED,
            REFUSED,
            HEARING,
            AWAITING_SECOND_APPROVAL,
            REPAIR_REQUESTED,
            WITHDRAWN,
        }
    ),
    HEARING: frozenset({GRANTED, REFUSED, COMPLETE, WITHDRAWN}),
    AWAITING_SECOND_APPROVAL: frozenset({GRANTED, REFUSED, COMPLETE}),
    GRANTED: frozenset(),
    REFUSED: frozenset(),
    REFERRED: frozenset(),
    WITHDRAWN: frozenset(),
}


def allowed_next(state: str) -> frozenset[str]:
    """The states an application in `state` may move to."""
    return TRANSITIONS.get(state, frozenset())


def check_transition(from_state: str, to_state: str) -> None:
    """Raise DomainError('application.invalid_transition') unless the move is allowed."""
    if to_state in allowed_next(from_state):
        return
    label_from_nl = STATE_LABELS_NL.get(from_state, from_state)
    label_to_nl = STATE_LABELS_NL.get(to_state, to_state)
    label_from_en = STATE_LABELS_EN.get(from_state, from_state)
    label_to_en = STATE_LABELS_EN.get(to_state, to_state)
    raise DomainError(
        "application.invalid_transition",
        f"Een aanvraag met status '{label_from_nl}' kan niet naar '{label_to_nl}'.",
        f"An application in state '{label_from_en}' cannot move to '{label_to_en}'.",
    )

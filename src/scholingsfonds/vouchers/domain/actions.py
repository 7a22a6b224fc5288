"""What can be done with a voucher in its state, by whom: the provider's and the participant's.

Built on the state table in redemption.py: an action that moves the voucher is allowed only
where TRANSITIONS allows its move, the same table the services check (`check_transition`).
"""

from __future__ import annotations

from dataclasses import dataclass

from scholingsfonds.accounts.domain.roles import APPLICANT, PROVIDER
from scholingsfonds.core.domain.actions import ROLE, Action, Check, decide
from scholingsfonds.core.domain.i18n import gettext_noop
from scholingsfonds.vouchers.domain.redemption import (
    CANCELLED,
    COMPLETED,
    NO_SHOW,
    STARTED,
    TRANSITIONS,
)

CONFIRM_START = "confirm_start"
REPORT_COMPLETION = "report_completion"
REPORT_NO_SHOW = "report_no_show"
SUBMIT_INVOICE = "submit_invoice"
GIVE_BACK = "give_back"

ACTIONS = (CONFIRM_START, REPORT_COMPLETION, REPORT_NO_SHOW, SUBMIT_INVOICE, GIVE_BACK)

# Where each action leaves the voucher; an invoice leaves it where it is.
MOVES: dict[str, str] = {
    CONFIRM_START: STARTED,
    REPORT_COMPLETION: COMPLETED,
    REPORT_NO_SHOW: NO_SHOW,
    GIVE_BACK: CANCELLED,
}

# The provider invoices once it reported the completion (the policy's proof).
INVOICE_STATES = frozenset({COMPLETED})

# The reason codes are the codes of the DomainErrors the services raise for the same rule.
TRANSITION = "voucher.transition"
NOT_FOUND = "voucher.not_found"
NOT_APPROVED = "provider.not_approved"
EXPIRED = "voucher.expired"
NOT_COMPLETED = "invoice.not_completed"
NOTHING_LEFT = "invoice.exceeds_voucher"


@dataclass(frozen=True)
class VoucherFacts:
    """What the state and the role do not tell about this voucher and this person."""

    works_for_provider: bool = False  # on the staff of the voucher's provider
    provider_approved: bool = True  # the provider's registration is (still) approved
    past_validity: bool = False  # today is after the voucher's last valid day
    is_participant: bool = False  # the person the voucher was granted to
    room_cents: int = 0  # what can still be invoiced


def _moves(state: str, action: str) -> Check:
    return Check(
        MOVES[action] in TRANSITIONS.get(state, frozenset()),
        TRANSITION,
        gettext_noop("Dat kan niet bij een cheque met deze status."),
    )


def allowed_actions(state: str, role: str, facts: VoucherFacts) -> list[Action]:
    """Every action on a voucher in `state`, for a person with `role`."""
    provider = [
        Check(
            role == PROVIDER,
            ROLE,
            gettext_noop(
                "Het opleidersportaal is voor medewerkers van een geregistreerde opleider."
            ),
        ),
        Check(
            facts.works_for_provider,
            NOT_FOUND,
            gettext_noop("U werkt niet voor deze opleider."),
        ),
    ]
    return [
        decide(
            CONFIRM_START,
            [
                *provider,
                Check(
                    facts.provider_approved,
                    NOT_APPROVED,
                    gettext_noop(
                        "Uw registratie als opleider is niet (meer) goedgekeurd. Neem contact "
                        "op met het fonds."
                    ),
                ),
                _moves(state, CONFIRM_START),
                Check(
                    not facts.past_validity,
                    EXPIRED,
                    gettext_noop("De cheque is op die datum niet meer geldig."),
                ),
            ],
        ),
        decide(REPORT_COMPLETION, [*provider, _moves(state, REPORT_COMPLETION)]),
        decide(REPORT_NO_SHOW, [*provider, _moves(state, REPORT_NO_SHOW)]),
        decide(
            SUBMIT_INVOICE,
            [
                *provider,
                Check(
                    state in INVOICE_STATES,
                    NOT_COMPLETED,
                    gettext_noop("U factureert nadat u de afronding hebt gemeld."),
                ),
                Check(
                    facts.room_cents > 0,
                    NOTHING_LEFT,
                    gettext_noop("Er is niets meer te factureren op deze cheque."),
                ),
            ],
        ),
        decide(
            GIVE_BACK,
            [
                Check(
                    role == APPLICANT and facts.is_participant,
                    ROLE,
                    gettext_noop("Alleen de deelnemer geeft de cheque terug."),
                ),
                _moves(state, GIVE_BACK),
            ],
        ),
    ]

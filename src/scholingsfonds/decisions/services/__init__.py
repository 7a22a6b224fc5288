"""The decision (beschikking) and what leads to it, one module per concept.

- `decision`: grant (four eyes above the threshold), approve, return a proposal, refuse.
- `hearing`: hear the applicant before a refusal on facts they did not give (Awb 4:7).
- `letter`: a decision made final and sent; the letter is stored and mailed by the worker.
- `window`: the subsidy ceiling and the first-come-first-served window (Awb 4:25).

Other apps import the services from this package; the modules of this app import the module
that holds a service.
"""

from scholingsfonds.decisions.services.decision import (
    DECIDABLE,
    decision_approve,
    decision_grant,
    decision_refuse,
    decision_return_proposal,
)
from scholingsfonds.decisions.services.hearing import hearing_close, hearing_respond, hearing_start
from scholingsfonds.decisions.services.letter import letter_store
from scholingsfonds.decisions.services.window import (
    CEILING_GROUNDS,
    WINDOW_TRAINING_FIELDS,
    window_access_send,
    window_application_submit,
)

__all__ = [
    "CEILING_GROUNDS",
    "DECIDABLE",
    "WINDOW_TRAINING_FIELDS",
    "decision_approve",
    "decision_grant",
    "decision_refuse",
    "decision_return_proposal",
    "hearing_close",
    "hearing_respond",
    "hearing_start",
    "letter_store",
    "window_access_send",
    "window_application_submit",
]

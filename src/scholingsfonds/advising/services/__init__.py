"""Writes of the advisor's workspace, one module per concept (each write one transaction):

- `slots`: an advisor's time slots, created and deleted, and booked by an invitation;
- `conversations`: invite, move, cancel, no-show, record the conversation, the advice summary;
- `notifications`: the appointment e-mails and the reminder the day before;
- `occupations`: the arbeidsmarkttoets and the import of a list of promising occupations;
- `financing`: the scheme files loaded and an advice saved as the financing;
- `targets`: the yearly conversation targets.

Import from the module. The names below are re-exported because other apps (the demo data)
and the shared test factories call them.
"""

from scholingsfonds.advising.services.conversations import (
    conversation_invite,
    conversation_record,
)
from scholingsfonds.advising.services.financing import schemes_load
from scholingsfonds.advising.services.occupations import labour_market_test_record
from scholingsfonds.advising.services.slots import time_slots_create
from scholingsfonds.advising.services.targets import targets_load

__all__ = [
    "conversation_invite",
    "conversation_record",
    "labour_market_test_record",
    "schemes_load",
    "targets_load",
    "time_slots_create",
]

"""The roles a person logs in with; the stored codes of accounts.models.Role."""

from __future__ import annotations

APPLICANT = "applicant"
EMPLOYER = "employer"
PROVIDER = "provider"
ADVISOR = "advisor"
ASSESSOR = "assessor"
FINANCE = "finance"
MANAGER = "manager"
AUDITOR = "auditor"
FUNDER = "funder"
ADMINISTRATOR = "administrator"

ROLES = (
    APPLICANT,
    EMPLOYER,
    PROVIDER,
    ADVISOR,
    ASSESSOR,
    FINANCE,
    MANAGER,
    AUDITOR,
    FUNDER,
    ADMINISTRATOR,
)

# The fund's own staff (a funder is linked to a fund, but is not its staff).
STAFF_ROLES = frozenset({ADVISOR, ASSESSOR, FINANCE, MANAGER, AUDITOR, ADMINISTRATOR})

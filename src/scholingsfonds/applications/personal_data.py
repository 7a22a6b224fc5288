"""The one write a GET may do: the audit record of a read of personal data.

Every view of a BSN, a birth date or a letter that holds them leaves a trace in the audit log
(docs/design.md, "Security and privacy"). A page that shows such data calls this helper, on
whatever method it answers; no other write belongs in a GET.
"""

from typing import Any

from django.db import models

from scholingsfonds.core.audit import audit_personal_data_access


def personal_data_read_record(*, actor: Any, obj: models.Model, fields: list[str]) -> None:
    """Record that `actor` saw `fields` of `obj` (an application, say)."""
    audit_personal_data_access(actor=actor, obj=obj, fields=fields)

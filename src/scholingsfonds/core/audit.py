"""Writing audit records inside the caller's transaction."""

from typing import Any

from django.db import models

from scholingsfonds.core.models import AuditEvent


def audit_event(
    *,
    actor: Any,
    action: str,
    obj: models.Model,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """One state change, not yet written: `audit_record` writes one, `audit_save` several."""
    return AuditEvent(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data=data or {},
    )


def audit_record(**event: Any) -> AuditEvent:
    """Record one state change; call it inside the service's transaction."""
    record = audit_event(**event)
    record.save()
    return record


def audit_save(events: list[AuditEvent]) -> None:
    """Write the state changes of one transaction in one INSERT, in their order (a hot path:
    the window's submissions)."""
    AuditEvent.objects.bulk_create(events)


def audit_personal_data_access(*, actor: Any, obj: models.Model, fields: list[str]) -> None:
    """Every view of BSN, birth date or income situation leaves a trace (docs/design.md)."""
    audit_record(actor=actor, action="personal_data.viewed", obj=obj, data={"fields": fields})

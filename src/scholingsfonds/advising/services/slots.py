"""Time slots: an advisor's hours cut into slots that an invitation can book."""

from datetime import date, datetime, time
from typing import Any

from django.db import transaction
from django.utils import timezone

from scholingsfonds.advising.domain.slots import overlaps, slot_series
from scholingsfonds.advising.models import Conversation, TimeSlot
from scholingsfonds.applications.models import Application
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.permissions import is_staff_of


def time_slots_create(
    *,
    actor: Any,
    advisor: Any,
    day: date,
    start: time,
    end: time,
    minutes: int,
    location: str,
    place: str = "",
    weeks: int = 1,
    now: datetime | None = None,
) -> tuple[list[TimeSlot], int]:
    """Cut a period into slots for `weeks` weeks; returns the new slots and how many overlapped."""
    now = now or timezone.now()
    if location not in Conversation.Location.values:
        raise DomainError("slots.invalid_location", "Kies een plaats.", "Choose a location.")
    series = [
        (timezone.make_aware(a), timezone.make_aware(b))
        for a, b in slot_series(day=day, start=start, end=end, minutes=minutes, weeks=weeks)
    ]
    if series[0][0] <= now:
        raise DomainError(
            "slots.in_the_past",
            "Tijdsloten liggen in de toekomst.",
            "Time slots must be in the future.",
        )
    created: list[TimeSlot] = []
    skipped = 0
    with transaction.atomic():
        existing = [
            (s.starts_at, s.ends_at)
            for s in TimeSlot.objects.filter(
                advisor=advisor, starts_at__lt=series[-1][1], ends_at__gt=series[0][0]
            )
        ]
        for period in series:
            if any(overlaps(period, other) for other in existing):
                skipped += 1
                continue
            created.append(
                TimeSlot.objects.create(
                    advisor=advisor,
                    location=location,
                    place=place.strip(),
                    starts_at=period[0],
                    ends_at=period[1],
                    created_by=actor,
                )
            )
            existing.append(period)
        if created:
            audit_record(
                actor=actor,
                action="time_slots.created",
                obj=created[0],
                data={"advisor": advisor.pk, "count": len(created), "skipped": skipped},
            )
    return created, skipped


def time_slot_delete(*, actor: Any, slot: TimeSlot) -> None:
    """Remove a free slot; a booked one stays (move the conversation first)."""
    with transaction.atomic():
        locked = TimeSlot.objects.select_for_update().get(pk=slot.pk)
        if Conversation.objects.filter(slot=locked).exists():
            raise DomainError(
                "slots.booked",
                "Dit tijdslot is al geboekt. Verzet of annuleer eerst het gesprek.",
                "This slot is booked. Move or cancel the conversation first.",
            )
        audit_record(
            actor=actor,
            action="time_slot.deleted",
            obj=locked,
            data={"starts_at": locked.starts_at.isoformat(), "advisor": locked.advisor_id},
        )
        locked.delete()


def slot_book(slot: TimeSlot, application: Application) -> TimeSlot:
    """Lock a slot for a booking: free, in the future, of an advisor of the fund.

    Called inside the booking's transaction (an invitation or a move).
    """
    locked = TimeSlot.objects.select_for_update().select_related("advisor").get(pk=slot.pk)
    if Conversation.objects.filter(slot=locked).exists():
        raise DomainError(
            "advising.slot_taken",
            "Dit tijdslot is net door iemand anders geboekt. Kies een ander.",
            "This slot was just booked by someone else. Choose another.",
        )
    if locked.starts_at <= timezone.now():
        raise DomainError(
            "advising.slot_past", "Dit tijdslot is al voorbij.", "This slot is in the past."
        )
    if not is_staff_of(locked.advisor, application.fund):
        raise DomainError(
            "advising.slot_other_fund",
            "Dit tijdslot hoort bij een adviseur van een ander fonds.",
            "This slot belongs to an advisor of another fund.",
        )
    return locked

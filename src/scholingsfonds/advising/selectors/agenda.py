"""Reads for the agenda: the advisors, their free slots, and a week of slots and conversations."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from scholingsfonds.accounts.models import User
from scholingsfonds.advising.models import Conversation, TimeSlot
from scholingsfonds.applications.selectors import staff_funds
from scholingsfonds.core.permissions import has_role, is_staff_of
from scholingsfonds.funds.models import Fund


def advisors_of(funds: Iterable[Fund]) -> QuerySet[User]:
    """The advisors working for any of `funds`."""
    return (
        User.objects.filter(role="advisor", funds__in=list(funds))
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


def free_slots(*, fund: Fund, now: datetime | None = None) -> QuerySet[TimeSlot]:
    """Free slots of the fund's advisors in the coming 13 weeks, soonest first."""
    now = now or timezone.now()
    return (
        TimeSlot.objects.filter(
            conversation__isnull=True, starts_at__gt=now, starts_at__lt=now + timedelta(weeks=13)
        )
        .filter(Q(advisor__funds=fund) | Q(advisor__role="administrator"))
        .select_related("advisor")
        .distinct()
        .order_by("starts_at", "advisor__first_name")
    )


@dataclass
class AgendaEntry:
    starts_at: datetime
    ends_at: datetime
    advisor: Any
    location: str
    place: str
    status: str  # free, planned, held, no_show
    slot: TimeSlot | None = None
    conversation: Conversation | None = None
    visible: bool = True  # the viewer may see which application it is


@dataclass
class AgendaDay:
    day: date
    entries: list[AgendaEntry] = field(default_factory=list)


def week_agenda(
    *, viewer: Any, advisors: Iterable[Any], monday: date, location: str = ""
) -> list[AgendaDay]:
    """Monday to Sunday: every slot (free or booked) and every conversation of the advisors."""
    start = timezone.make_aware(datetime.combine(monday, time.min))
    end = start + timedelta(days=7)
    advisor_ids = [a.pk for a in advisors]
    slots = TimeSlot.objects.filter(
        advisor_id__in=advisor_ids, starts_at__gte=start, starts_at__lt=end
    ).select_related("advisor")
    conversations = (
        Conversation.objects.filter(
            advisor_id__in=advisor_ids, scheduled_at__gte=start, scheduled_at__lt=end
        )
        .exclude(status=Conversation.Status.CANCELLED)
        .select_related("advisor", "application__fund", "slot")
    )
    if location:
        slots = slots.filter(location=location)
        conversations = conversations.filter(location=location)
    by_slot = {c.slot_id: c for c in conversations if c.slot_id}
    entries: list[AgendaEntry] = []
    for slot in slots:
        booked = by_slot.get(slot.pk)
        entries.append(
            AgendaEntry(
                starts_at=slot.starts_at,
                ends_at=slot.ends_at,
                advisor=slot.advisor,
                location=slot.get_location_display(),
                place=slot.place,
                status=booked.status if booked else "free",
                slot=slot,
                conversation=booked,
                visible=bool(booked and is_staff_of(viewer, booked.application.fund)),
            )
        )
    for conversation in conversations:
        if conversation.slot_id:
            continue
        entries.append(
            AgendaEntry(
                starts_at=conversation.scheduled_at,
                ends_at=conversation.ends_at,
                advisor=conversation.advisor,
                location=conversation.get_location_display(),
                place=conversation.place,
                status=conversation.status,
                conversation=conversation,
                visible=is_staff_of(viewer, conversation.application.fund),
            )
        )
    days = [AgendaDay(day=monday + timedelta(days=n)) for n in range(7)]
    for entry in sorted(entries, key=lambda e: (e.starts_at, e.advisor.pk)):
        days[(timezone.localtime(entry.starts_at).date() - monday).days].entries.append(entry)
    return days


def slot_advisors(*, user: Any, advisors: QuerySet[User]) -> QuerySet[User]:
    """Whose slots the user may create: an administrator any advisor's, an advisor their own."""
    return advisors if has_role(user, "administrator") else User.objects.filter(pk=user.pk)


def slot_by_pk(pk: int) -> TimeSlot | None:
    return TimeSlot.objects.select_related("advisor").filter(pk=pk).first()


def visible_advisors(*, user: Any) -> QuerySet[User]:
    """The advisors of the funds the user works for."""
    return advisors_of(staff_funds(user=user))

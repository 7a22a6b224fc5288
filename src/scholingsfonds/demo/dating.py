"""Give the rows a demo step writes the date of the event they record.

The services stamp many rows with the moment they run (`timezone.now()`, `auto_now_add`): the
journal, the audit trail, a decision's proposal, invoices, payment runs. They take the day of
the event as an argument where the law needs it (the decision date, the letter's date), but
not the moment a row was written. A demo built in one go would then show a year of history as
if it all happened in the last minute, which makes the dashboard's burn rate and run-out date
meaningless. `dated(day)` runs a block of service calls and afterwards moves every such
timestamp written inside the block to `day` (a queryset update, in the demo only).
"""

from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Model
from django.db.models.signals import post_save
from django.utils import timezone

from scholingsfonds.accounts.models import User
from scholingsfonds.advising.models import Conversation, FinancingArrangement
from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import JournalTransaction, SourceClosure
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.decisions.models import Decision
from scholingsfonds.payments.models import CofinancingConfirmation, MarketAction, PaymentBatch
from scholingsfonds.providers.models import CoursePrice, Provider
from scholingsfonds.vouchers.models import Invoice, Recovery, Voucher

# Every timestamp a service sets to "now" for an event that happened on the demo's day. Not
# here: times that lie ahead on purpose (appointments, time slots, link expiry).
STAMPED: tuple[tuple[type[Model], str], ...] = (
    (JournalTransaction, "created_at"),
    (SourceClosure, "proposed_at"),
    (SourceClosure, "approved_at"),
    (AuditEvent, "at"),
    (Application, "submitted_at"),
    (User, "date_joined"),
    (Conversation, "invited_at"),
    (Conversation, "held_at"),
    (Conversation, "reminder_sent_at"),
    (FinancingArrangement, "saved_at"),
    (Decision, "proposed_at"),
    (Voucher, "start_reported_at"),
    (Voucher, "end_reported_at"),
    (Invoice, "submitted_at"),
    (Invoice, "decided_at"),
    (Invoice, "paid_at"),
    (Recovery, "created_at"),
    (Recovery, "settled_at"),
    (PaymentBatch, "created_at"),
    (PaymentBatch, "approved_at"),
    (PaymentBatch, "paid_at"),
    (MarketAction, "created_at"),
    (CofinancingConfirmation, "confirmed_at"),
    (CoursePrice, "recorded_at"),
    (Provider, "applied_at"),
    (Provider, "status_changed_at"),
)
_FIELDS: dict[type[Model], list[str]] = defaultdict(list)
for _model, _field in STAMPED:
    _FIELDS[_model].append(_field)
# Written with bulk_create (no post_save signal), so always looked at.
_ALWAYS: frozenset[type[Model]] = frozenset({AuditEvent})

# When the current demo load began (see `session`).
_started: ContextVar[datetime | None] = ContextVar("demo_dating_started", default=None)


# application_submit dates a backdated application at 10:00; its other rows go with it.
SUBMITTED_HOUR = 10


def at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


@contextmanager
def session() -> Iterator[datetime]:
    """One demo load: rows of "today" are dated before the moment it began.

    So after the load no event timestamp lies at or after that moment: anything there was
    written by a service outside a `dated` block (see `undated`, for the tests).
    """
    started = timezone.now()
    token = _started.set(started)
    try:
        yield started
    finally:
        _started.reset(token)


@contextmanager
def dated(day: date, hour: int = 10) -> Iterator[None]:
    """Run the block's service calls as if on `day`, at `hour`, as far as timestamps go.

    Rows the block wrote (or changed) carry a timestamp at or after the moment the block
    began; everything earlier in the demo was already moved into the past, so a filter on
    "at or after the block's start" finds exactly this block's rows. The instances the
    services saved (and returned to the caller) get the same value, so a later save of one
    of them does not write the moment of the demo's run back. Only a block that ends
    normally is stamped: callers handle a refusal (DomainError) inside the block.
    """
    began = timezone.now()
    saved: list[Model] = []

    def note(sender: type[Model], instance: Model, **kwargs: Any) -> None:
        if sender in _FIELDS:
            saved.append(instance)

    post_save.connect(note, weak=False)
    try:
        yield
    finally:
        post_save.disconnect(note)
    moment = at(day, hour)
    floor = _started.get() or began
    if moment >= floor:
        # Today, later in the day than the clock: just before the load (or the block) began,
        # so it stays in the past and no later block (nor a clock that stands still in
        # tests) moves it again.
        moment = floor - timedelta(microseconds=1)
    for model in _ALWAYS | {type(instance) for instance in saved}:
        for field in _FIELDS[model]:
            model._default_manager.filter(**{f"{field}__gte": began}).update(**{field: moment})
    for instance in saved:
        for field in _FIELDS[type(instance)]:
            value = getattr(instance, field)
            if value is not None and value >= began:
                setattr(instance, field, moment)


def undated(since: datetime) -> dict[str, int]:
    """How many event timestamps lie at or after `since`, per model and field (none after
    a demo load that began at `since`: every row is dated on its event's day)."""
    counts = {}
    for model, field in STAMPED:
        found = model._default_manager.filter(**{f"{field}__gte": since}).count()
        if found:
            counts[f"{model._meta.label}.{field}"] = found
    return counts

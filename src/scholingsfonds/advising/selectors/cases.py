"""Reads for the advisor's queue and case page: which cases wait, what is planned, held, open."""

from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from scholingsfonds.advising.models import Conversation
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application, RepairRequest
from scholingsfonds.applications.permissions import can_view_personal_data
from scholingsfonds.core.audit import audit_personal_data_access
from scholingsfonds.funds.models import Fund
from scholingsfonds.providers.models import Provider

QUEUE_STATES = (states.SUBMITTED, states.INVITED, states.CONVERSATION_HELD, states.REPAIR_REQUESTED)
# A conversation can be recorded without an invitation while the case has not had one yet.
RECORDABLE = (states.SUBMITTED, states.INVITED)
ADVISING_STATES = (states.CONVERSATION_HELD, states.REPAIR_REQUESTED)
QUEUE_LIMIT = 200


# --- the queue --------------------------------------------------------------------------------


def queue_rows(
    *, funds: QuerySet[Fund], state: str = ""
) -> list[tuple[Application, Conversation | None]]:
    """The funds' open cases (one state, or all the queue's states), oldest first, each with
    its planned conversation."""
    applications = Application.objects.filter(fund__in=funds).select_related("fund", "municipality")
    applications = (
        applications.filter(state=state)
        if state in QUEUE_STATES
        else applications.filter(state__in=QUEUE_STATES)
    )
    rows = list(applications.order_by("submitted_at")[:QUEUE_LIMIT])
    planned = {
        c.application_id: c
        for c in Conversation.objects.filter(
            application__in=rows, status=Conversation.Status.PLANNED
        )
    }
    return [(a, planned.get(a.pk)) for a in rows]


def queue_counts(*, funds: QuerySet[Fund]) -> list[tuple[str, str, int]]:
    """Per queue state: its code, its Dutch label and how many of the funds' cases are in it."""
    return [
        (s, states.STATE_LABELS_NL[s], Application.objects.filter(fund__in=funds, state=s).count())
        for s in QUEUE_STATES
    ]


def upcoming_conversations(*, advisor: Any, now: datetime | None = None) -> QuerySet[Conversation]:
    """The advisor's planned conversations from two hours ago to two days ahead."""
    now = now or timezone.now()
    return (
        Conversation.objects.filter(
            advisor=advisor,
            status=Conversation.Status.PLANNED,
            scheduled_at__gte=now - timedelta(hours=2),
            scheduled_at__lt=now + timedelta(days=2),
        )
        .select_related("application")
        .order_by("scheduled_at")
    )


def follow_ups_due(*, advisor: Any, today: date | None = None) -> QuerySet[Conversation]:
    """The advisor's held conversations whose follow-up date has come, case still open."""
    today = today or timezone.localdate()
    return (
        Conversation.objects.filter(
            advisor=advisor,
            status=Conversation.Status.HELD,
            follow_up_on__lte=today,
            application__state__in=ADVISING_STATES,
        )
        .select_related("application")
        .order_by("follow_up_on")
    )


# --- one case ---------------------------------------------------------------------------------


def application_by_reference(reference: str) -> Application | None:
    """A case by its reference, with what its pages show (the permission is the caller's)."""
    return (
        Application.objects.select_related("fund", "provider").filter(reference=reference).first()
    )


def personal_data_read(*, viewer: Any, application: Application) -> bool:
    """Whether the viewer may see the BSN and birth date; if so, the read is recorded.

    The one write a read may do: every view of personal data leaves a trace in the audit log.
    """
    allowed, _reason = can_view_personal_data(viewer, application)
    if allowed:
        audit_personal_data_access(actor=viewer, obj=application, fields=["birth_date", "bsn"])
    return allowed


def latest_held(application: Application) -> Conversation | None:
    return (
        application.conversations.filter(status=Conversation.Status.HELD)
        .order_by("-held_at", "-id")
        .first()
    )


def planned_conversation(application: Application) -> Conversation | None:
    """The case's planned conversation (there is at most one)."""
    return application.conversations.filter(status=Conversation.Status.PLANNED).first()


def conversation_to_record(application: Application, *, advisor: Any) -> Conversation:
    """The planned conversation, or else a new one held now at the leerwerkloket (not saved:
    recording it saves it)."""
    return planned_conversation(application) or Conversation(
        application=application,
        advisor=advisor,
        scheduled_at=timezone.now(),
        location=Conversation.Location.LEERWERKLOKET,
    )


def case_conversations(application: Application) -> QuerySet[Conversation]:
    return application.conversations.select_related("advisor", "target_occupation")


def repair_requests(application: Application) -> QuerySet[RepairRequest]:
    return application.repair_requests.all()


def open_repair_request(application: Application) -> RepairRequest | None:
    return application.repair_requests.filter(resolved_on__isnull=True).first()


def approved_providers() -> QuerySet[Provider]:
    """The providers a training may be recorded with."""
    return Provider.objects.filter(status="approved")

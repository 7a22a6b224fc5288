"""Reads for the advisor's workspace: slots and agenda, schemes, caseload, lead times."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from scholingsfonds.accounts.models import User
from scholingsfonds.advising.domain.figures import (
    LeadTime,
    lead_time,
    monthly_target,
    percent_of,
    target_to_date,
)
from scholingsfonds.advising.domain.schemes import Scheme as DomainScheme
from scholingsfonds.advising.domain.schemes import StackFacts
from scholingsfonds.advising.models import (
    Conversation,
    ConversationTarget,
    FinancingArrangement,
    Scheme,
    TimeSlot,
)
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import granted_this_year_cents
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.core.permissions import is_staff_of
from scholingsfonds.funds.domain.policy import Policy
from scholingsfonds.funds.models import Fund

ADVISING_STATES = (states.CONVERSATION_HELD, states.REPAIR_REQUESTED)
DECIDED_STATES = (states.GRANTED, states.REFUSED)
# Applications whose saved arrangement still counts against a person's yearly caps.
CLOSED_WITHOUT_MONEY = (states.REFUSED, states.REFERRED, states.WITHDRAWN)


# --- schemes ---------------------------------------------------------------------------------


def schemes_on(day: date) -> list[DomainScheme]:
    """The scheme versions valid on `day`."""
    rows = Scheme.objects.filter(valid_from__lte=day).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=day)
    )
    return [row.scheme for row in rows]


def policies_on(day: date) -> dict[str, Policy]:
    """Each fund's policy in force on `day` (funds without one are left out)."""
    policies = {}
    for fund in Fund.objects.all():
        version = fund.policy_on(day)
        if version is not None:
            policies[fund.slug] = version.policy
    return policies


def used_this_year(application: Application, year: int) -> dict[str, int]:
    """What this person already got this year, per scheme, from their other applications.

    The fund's own cap counts vouchers (granted minus released), exactly as the cap rule;
    other schemes count the arrangements saved for the person's other applications.
    """
    used: dict[str, int] = {}
    arrangements = (
        FinancingArrangement.objects.filter(
            application__applicant=application.applicant, computed_on__year=year
        )
        .exclude(application=application)
        .exclude(application__state__in=CLOSED_WITHOUT_MONEY)
        .order_by("application_id", "-saved_at", "-id")
    )
    seen: set[int] = set()
    for arrangement in arrangements:
        if arrangement.application_id in seen:
            continue  # only the latest arrangement of each application counts
        seen.add(arrangement.application_id)
        for part in arrangement.paying_parts:
            if part.get("kind") in ("regional_fund", "own_contribution"):
                continue
            key = str(part["scheme"])
            used[key] = used.get(key, 0) + int(part["amount_cents"])
    used[application.fund.slug] = granted_this_year_cents(application, year)
    return used


def financing_facts(
    application: Application,
    *,
    employer_contribution_cents: int = 0,
    employer_sector: str | None = None,
    receives_benefit: bool = False,
    received_elsewhere: Mapping[str, int] | None = None,
    today: date | None = None,
) -> StackFacts:
    """The facts of the stacking rules for an application, plus what the advisor asked."""
    today = today or timezone.localdate()
    used = used_this_year(application, today.year)
    for key, cents in (received_elsewhere or {}).items():
        if cents:
            used[key] = used.get(key, 0) + cents
    conversation = latest_held(application)
    test = getattr(application, "labour_market_test", None)
    employer = application.employer
    return StackFacts(
        on=today,
        cost_cents=application.cost_cents or 0,
        route=application.route,
        work_status=(conversation.work_status if conversation else "")
        or application.work_status
        or None,
        municipality_code=application.municipality.cbs_code if application.municipality else None,
        municipality_name=application.municipality.name if application.municipality else None,
        employer_municipality_code=employer.municipality.cbs_code if employer else None,
        employer_municipality_name=employer.municipality.name if employer else None,
        training_level=application.training_level or None,
        provider_kind=application.provider.kind if application.provider else None,
        employer_sector=employer_sector or None,
        employer_contribution_cents=employer_contribution_cents,
        receives_benefit=receives_benefit,
        labour_market_test=test.result if test else None,
        birth_date=application.birth_date,
        used_this_year=used,
    )


def latest_held(application: Application) -> Conversation | None:
    return (
        application.conversations.filter(status=Conversation.Status.HELD)
        .order_by("-held_at", "-id")
        .first()
    )


def latest_arrangement(application: Application) -> FinancingArrangement | None:
    return application.financing_arrangements.order_by("-saved_at", "-id").first()


# --- slots and the agenda ---------------------------------------------------------------------


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


# --- caseload, conversations against the target, lead times -----------------------------------


def target_for(fund: Fund, year: int) -> int | None:
    """The year's own target, or else the latest earlier one that continues (open-ended)."""
    target = ConversationTarget.objects.filter(fund=fund, year=year).first()
    if target is None:
        target = (
            ConversationTarget.objects.filter(fund=fund, year__lt=year, continues=True)
            .order_by("-year")
            .first()
        )
    return target.conversations if target else None


def _local_date(moment: datetime) -> date:
    return timezone.localtime(moment).date()


@dataclass
class CountRow:
    label: str
    months: list[int]
    total: int
    share_of_target: int | None = None


def conversation_counts(fund: Fund, year: int) -> dict[str, Any]:
    """Conversations held per month: in total, per advisor and per location; no-shows."""
    held = Conversation.objects.filter(
        application__fund=fund, status=Conversation.Status.HELD, held_at__year=year
    ).select_related("advisor")
    totals = [0] * 12
    by_advisor: dict[int, tuple[str, list[int]]] = {}
    by_location: dict[str, tuple[str, list[int]]] = {}
    for conversation in held:
        local = timezone.localtime(conversation.held_at)
        if local.year != year:
            continue
        month = local.month - 1
        totals[month] += 1
        name = str(conversation.advisor)
        by_advisor.setdefault(conversation.advisor_id, (name, [0] * 12))[1][month] += 1
        location = str(conversation.get_location_display())
        by_location.setdefault(conversation.location, (location, [0] * 12))[1][month] += 1
    no_shows = [0] * 12
    for moment in Conversation.objects.filter(
        application__fund=fund, status=Conversation.Status.NO_SHOW, scheduled_at__year=year
    ).values_list("scheduled_at", flat=True):
        local = timezone.localtime(moment)
        if local.year == year:
            no_shows[local.month - 1] += 1
    per_year = target_for(fund, year)
    today = timezone.localdate()
    months_done = 12 if year < today.year else (0 if year > today.year else today.month - 1)

    def rows(groups: Mapping[Any, tuple[str, list[int]]]) -> list[CountRow]:
        out = [
            CountRow(
                label=label,
                months=months,
                total=sum(months),
                share_of_target=percent_of(sum(months), per_year or 0),
            )
            for label, months in groups.values()
        ]
        return sorted(out, key=lambda r: (-r.total, r.label))

    month_target = monthly_target(per_year) if per_year else None
    return {
        "year": year,
        "target": per_year,
        "monthly_target": month_target,
        "months": totals,
        "month_percent": [percent_of(n, month_target or 0) for n in totals],
        "total": sum(totals),
        "target_to_date": target_to_date(per_year, months_done) if per_year else None,
        "held_to_date": sum(totals[:months_done]) if months_done else 0,
        "percent_of_year": percent_of(sum(totals), per_year or 0),
        "by_advisor": rows(by_advisor),
        "by_location": rows(by_location),
        "no_shows": no_shows,
        "no_show_total": sum(no_shows),
    }


@dataclass
class LeadTimeRow:
    label: str
    to_conversation: LeadTime
    to_decision: LeadTime


def lead_times(fund: Fund, year: int) -> dict[str, Any]:
    """Form → first conversation, and conversation → decision, in days (median, 90th pct).

    The decision date is read from the application's state transition in the audit log
    (advising may not import decisions): the day it moved to granted or refused.
    """
    first: dict[int, Conversation] = {}
    for conversation in (
        Conversation.objects.filter(application__fund=fund, status=Conversation.Status.HELD)
        .select_related("advisor", "application")
        .order_by("held_at", "id")
    ):
        first.setdefault(conversation.application_id, conversation)
    decided: dict[int, date] = {}
    for object_id, at in (
        AuditEvent.objects.filter(
            action="application.transition",
            object_type="applications.application",
            to_state__in=DECIDED_STATES,
            at__year=year,
        )
        .order_by("at")
        .values_list("object_id", "at")
    ):
        if object_id.isdigit():
            decided.setdefault(int(object_id), _local_date(at))
    to_conversation: dict[str, list[int]] = {"": []}
    to_decision: dict[str, list[int]] = {"": []}
    advisors: dict[str, str] = {}
    locations: dict[str, str] = {}
    for application_id, conversation in first.items():
        held_on = _local_date(conversation.held_at)
        keys = ("", f"a{conversation.advisor_id}", f"l{conversation.location}")
        advisors[f"a{conversation.advisor_id}"] = str(conversation.advisor)
        locations[f"l{conversation.location}"] = str(conversation.get_location_display())
        if held_on.year == year:
            days = (held_on - _local_date(conversation.application.submitted_at)).days
            for key in keys:
                to_conversation.setdefault(key, []).append(max(0, days))
        if application_id in decided:
            days = (decided[application_id] - held_on).days
            for key in keys:
                to_decision.setdefault(key, []).append(max(0, days))

    def row(key: str, label: str) -> LeadTimeRow:
        return LeadTimeRow(
            label=label,
            to_conversation=lead_time(to_conversation.get(key, [])),
            to_decision=lead_time(to_decision.get(key, [])),
        )

    return {
        "total": row("", ""),
        "by_advisor": sorted((row(k, v) for k, v in advisors.items()), key=lambda r: r.label),
        "by_location": sorted((row(k, v) for k, v in locations.items()), key=lambda r: r.label),
    }


@dataclass
class CaseloadRow:
    advisor: Any
    planned: int
    planned_this_week: int
    open_cases: int
    follow_ups_due: int
    free_slots: int
    held_this_month: int


def caseload(fund: Fund, today: date | None = None) -> list[CaseloadRow]:
    """Per advisor of the fund: what is planned, what is open, what needs a follow-up."""
    today = today or timezone.localdate()
    now = timezone.now()
    week_end = timezone.make_aware(datetime.combine(today + timedelta(days=7), time.min))
    month_start = timezone.make_aware(datetime.combine(today.replace(day=1), time.min))
    latest_by_application: dict[int, Conversation] = {}
    for conversation in Conversation.objects.filter(
        application__fund=fund,
        status=Conversation.Status.HELD,
        application__state__in=ADVISING_STATES,
    ).order_by("held_at", "id"):
        latest_by_application[conversation.application_id] = conversation
    open_by_advisor: dict[int, int] = {}
    for conversation in latest_by_application.values():
        open_by_advisor[conversation.advisor_id] = (
            open_by_advisor.get(conversation.advisor_id, 0) + 1
        )
    rows = []
    for advisor in advisors_of([fund]):
        mine = Conversation.objects.filter(application__fund=fund, advisor=advisor)
        rows.append(
            CaseloadRow(
                advisor=advisor,
                planned=mine.filter(status="planned", scheduled_at__gte=now).count(),
                planned_this_week=mine.filter(
                    status="planned", scheduled_at__gte=now, scheduled_at__lt=week_end
                ).count(),
                open_cases=open_by_advisor.get(advisor.pk, 0),
                follow_ups_due=mine.filter(
                    status="held",
                    follow_up_on__lte=today,
                    application__state__in=ADVISING_STATES,
                ).count(),
                free_slots=TimeSlot.objects.filter(
                    advisor=advisor, conversation__isnull=True, starts_at__gte=now
                ).count(),
                held_this_month=mine.filter(status="held", held_at__gte=month_start).count(),
            )
        )
    return rows


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


def outcome_counts(fund: Fund, year: int) -> dict[str, int]:
    """Outcomes of the conversations held in the year (voucher, referral per kind, none)."""
    counts: dict[str, int] = {}
    for outcome, kind in Conversation.objects.filter(
        application__fund=fund, status=Conversation.Status.HELD, held_at__year=year
    ).values_list("outcome", "referral_kind"):
        key = f"referral:{kind or 'other'}" if outcome == "referral" else outcome or "unknown"
        counts[key] = counts.get(key, 0) + 1
    return counts

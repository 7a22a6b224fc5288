"""Reads for the overview: conversations against the year's target, lead times, caseload and
outcomes, per fund."""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from scholingsfonds.advising.domain.figures import (
    LeadTime,
    lead_time,
    monthly_target,
    percent_of,
    target_to_date,
)
from scholingsfonds.advising.models import Conversation, ConversationTarget, TimeSlot
from scholingsfonds.advising.selectors.agenda import advisors_of
from scholingsfonds.advising.selectors.cases import ADVISING_STATES
from scholingsfonds.applications.domain import states
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.funds.models import Fund

DECIDED_STATES = (states.GRANTED, states.REFUSED)


def chosen_fund(funds: QuerySet[Fund], slug: str) -> Fund | None:
    """The fund with `slug` among `funds`; without a slug, the first by name."""
    return funds.filter(slug=slug).first() if slug else funds.order_by("name").first()


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


def outcome_counts(fund: Fund, year: int) -> dict[str, int]:
    """Outcomes of the conversations held in the year (voucher, referral per kind, none)."""
    counts: dict[str, int] = {}
    for outcome, kind in Conversation.objects.filter(
        application__fund=fund, status=Conversation.Status.HELD, held_at__year=year
    ).values_list("outcome", "referral_kind"):
        key = f"referral:{kind or 'other'}" if outcome == "referral" else outcome or "unknown"
        counts[key] = counts.get(key, 0) + 1
    return counts


def outcome_rows(fund: Fund, year: int) -> list[tuple[str, int]]:
    """The year's outcomes with their labels (a referral with its kind), by label."""
    outcomes = dict(Conversation.Outcome.choices)
    kinds = dict(Conversation.ReferralKind.choices)
    rows = []
    for key, n in outcome_counts(fund, year).items():
        if key.startswith("referral:"):
            kind = key.removeprefix("referral:")
            label = f"{outcomes['referral']} – {kinds.get(kind, kind)}"
        else:
            label = str(outcomes.get(key, _("Onbekend")))
        rows.append((label, n))
    return sorted(rows)

"""The advisor's work: plan, invite, hold and record the conversation, do the
arbeidsmarkttoets, advise on financing across schemes, keep the occupation list."""

import tomllib
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from email.mime.text import MIMEText
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from scholingsfonds.advising.domain.ics import CalendarEvent, calendar_ics
from scholingsfonds.advising.domain.occupations import (
    OccupationRow,
    ParsedList,
    parse_occupations_csv,
)
from scholingsfonds.advising.domain.schemes import (
    Stack,
    StackFacts,
    check_no_overlap,
    compute_stack,
    read_scheme,
)
from scholingsfonds.advising.domain.slots import overlaps, slot_series
from scholingsfonds.advising.models import (
    Conversation,
    ConversationTarget,
    FinancingArrangement,
    LabourMarketTest,
    OccupationImport,
    Scheme,
    TimeSlot,
)
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import (
    application_evaluate,
    application_record_training,
    application_transition,
)
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.periods import Period, check_sequence
from scholingsfonds.core.permissions import is_staff_of
from scholingsfonds.funds.models import Fund, Occupation, PromisingOccupationList

# The reminder goes out at this hour on the day before the conversation.
REMINDER_HOUR = 9
DEFAULT_MINUTES = 45
OPEN_FOR_CONVERSATION = (
    states.SUBMITTED,
    states.INVITED,
    states.CONVERSATION_HELD,
    states.REPAIR_REQUESTED,
)


# --- time slots ---------------------------------------------------------------------------


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


def _book(slot: TimeSlot, application: Application) -> TimeSlot:
    """Lock a slot for a booking: free, in the future, of an advisor of the fund."""
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


# --- invitations, reminders, rescheduling, no-shows --------------------------------------


def conversation_invite(
    *,
    application: Application,
    actor: Any,
    scheduled_at: datetime | None = None,
    location: str = "",
    slot: TimeSlot | None = None,
    place: str = "",
    duration_minutes: int | None = None,
) -> Conversation:
    """Plan the LLO conversation (in a time slot or at a chosen time) and send the invitation."""
    if application.state not in OPEN_FOR_CONVERSATION:
        raise DomainError(
            "advising.closed",
            "Deze aanvraag is afgerond; een gesprek plannen kan niet meer.",
            "This application is closed; no conversation can be planned.",
        )
    if slot is None and (scheduled_at is None or not location):
        raise DomainError(
            "advising.when_where",
            "Kies een tijdslot, of datum, tijd en plaats.",
            "Choose a slot, or a date, time and location.",
        )
    try:
        with transaction.atomic():
            if application.conversations.filter(status=Conversation.Status.PLANNED).exists():
                raise DomainError(
                    "advising.already_planned",
                    "Er staat al een gesprek gepland. Verzet dat gesprek.",
                    "A conversation is already planned. Move that one instead.",
                )
            conversation = Conversation(
                application=application,
                advisor=actor,
                invited_at=timezone.now(),
                invited_by=actor if getattr(actor, "is_authenticated", False) else None,
                duration_minutes=duration_minutes or DEFAULT_MINUTES,
            )
            if slot is not None:
                _take_slot(conversation, _book(slot, application))
            else:
                assert scheduled_at is not None  # noqa: S101 - checked above
                conversation.scheduled_at = scheduled_at
                conversation.location = location
                conversation.place = place.strip()
            conversation.save()
            if application.state == states.SUBMITTED:
                when = timezone.localtime(conversation.scheduled_at)
                application_transition(
                    application=application,
                    to_state=states.INVITED,
                    actor=actor,
                    reason=f"gesprek op {when:%Y-%m-%d %H:%M}",
                )
            audit_record(
                actor=actor,
                action="conversation.invited",
                obj=conversation,
                data={
                    "scheduled_at": conversation.scheduled_at.isoformat(),
                    "location": conversation.location,
                    "slot": conversation.slot_id,
                    "advisor": conversation.advisor_id,
                },
            )
            pk = conversation.pk
            transaction.on_commit(lambda: _mail_appointment(pk, "invitation"))
            transaction.on_commit(lambda: _schedule_reminder(pk))
    except IntegrityError:
        # Two planners took the same slot at the same moment: the unique slot lets one in.
        raise DomainError(
            "advising.slot_taken",
            "Dit tijdslot is net door iemand anders geboekt. Kies een ander.",
            "This slot was just booked by someone else. Choose another.",
        ) from None
    return conversation


def _take_slot(conversation: Conversation, slot: TimeSlot) -> None:
    conversation.slot = slot
    conversation.advisor = slot.advisor  # the advisor whose hour it is holds the conversation
    conversation.scheduled_at = slot.starts_at
    conversation.duration_minutes = int((slot.ends_at - slot.starts_at).total_seconds() // 60)
    conversation.location = slot.location
    conversation.place = slot.place


def _planned(conversation: Conversation) -> Conversation:
    locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
    if locked.status != Conversation.Status.PLANNED:
        raise DomainError(
            "advising.not_planned",
            "Dit gesprek staat niet (meer) gepland.",
            "This conversation is not planned (any more).",
        )
    return locked


def conversation_reschedule(
    *,
    conversation: Conversation,
    actor: Any,
    slot: TimeSlot | None = None,
    scheduled_at: datetime | None = None,
    location: str = "",
    place: str = "",
    reason: str = "",
) -> Conversation:
    """Move a planned conversation; the person gets an updated invitation (same UID)."""
    if slot is None and (scheduled_at is None or not location):
        raise DomainError(
            "advising.when_where",
            "Kies een tijdslot, of datum, tijd en plaats.",
            "Choose a slot, or a date, time and location.",
        )
    try:
        with transaction.atomic():
            locked = _planned(conversation)
            before = locked.scheduled_at
            if slot is not None:
                _take_slot(locked, _book(slot, locked.application))
            else:
                assert scheduled_at is not None  # noqa: S101 - checked above
                locked.slot = None  # the old slot is free again
                locked.scheduled_at = scheduled_at
                locked.location = location
                locked.place = place.strip()
            locked.sequence += 1
            locked.reminder_sent_at = None
            locked.invited_at = timezone.now()
            locked.save()
            audit_record(
                actor=actor,
                action="conversation.rescheduled",
                obj=locked,
                reason=reason,
                data={"from": before.isoformat(), "to": locked.scheduled_at.isoformat()},
            )
            pk = locked.pk
            transaction.on_commit(lambda: _mail_appointment(pk, "rescheduled"))
            transaction.on_commit(lambda: _schedule_reminder(pk))
    except IntegrityError:
        raise DomainError(
            "advising.slot_taken",
            "Dit tijdslot is net door iemand anders geboekt. Kies een ander.",
            "This slot was just booked by someone else. Choose another.",
        ) from None
    conversation.refresh_from_db()
    return conversation


def conversation_cancel(*, conversation: Conversation, actor: Any, reason: str) -> Conversation:
    """Cancel a planned conversation; its slot is free again and the person is told."""
    with transaction.atomic():
        locked = _planned(conversation)
        locked.status = Conversation.Status.CANCELLED
        locked.slot = None
        locked.sequence += 1
        locked.save()
        audit_record(actor=actor, action="conversation.cancelled", obj=locked, reason=reason)
        pk = locked.pk
        transaction.on_commit(lambda: _mail_appointment(pk, "cancelled"))
    conversation.refresh_from_db()
    return conversation


def conversation_no_show(
    *, conversation: Conversation, actor: Any, now: datetime | None = None
) -> Conversation:
    """The person did not come: recorded, the application stays invited for a new date."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _planned(conversation)
        if locked.scheduled_at > now:
            raise DomainError(
                "advising.not_yet",
                "Het gesprek is nog niet begonnen; 'niet verschenen' kan pas daarna.",
                "The conversation has not started yet.",
            )
        locked.status = Conversation.Status.NO_SHOW
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="conversation.no_show", obj=locked)
        pk = locked.pk
        transaction.on_commit(lambda: _mail_appointment(pk, "no_show"))
    conversation.refresh_from_db()
    return conversation


def reminder_moment(scheduled_at: datetime) -> datetime:
    """The day before the conversation, at REMINDER_HOUR local time."""
    day = timezone.localtime(scheduled_at).date() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(REMINDER_HOUR)))


def _schedule_reminder(conversation_id: int) -> None:
    """With a task backend that can defer (the database worker), queue the reminder now."""
    from scholingsfonds.advising.tasks import send_conversation_reminder

    conversation = Conversation.objects.get(pk=conversation_id)
    moment = reminder_moment(conversation.scheduled_at)
    if moment <= timezone.now() or not send_conversation_reminder.get_backend().supports_defer:
        return  # too late for a reminder, or `manage.py conversation_reminders` sends it
    send_conversation_reminder.using(run_after=moment).enqueue(
        conversation.pk, conversation.scheduled_at.isoformat()
    )


def conversation_reminders_enqueue(*, now: datetime | None = None) -> int:
    """Queue the reminders that are due: planned for tomorrow, invited before the reminder hour."""
    from scholingsfonds.advising.tasks import send_conversation_reminder

    now = now or timezone.now()
    tomorrow = timezone.localtime(now).date() + timedelta(days=1)
    start = timezone.make_aware(datetime.combine(tomorrow, time.min))
    candidates = Conversation.objects.filter(
        status=Conversation.Status.PLANNED,
        reminder_sent_at__isnull=True,
        scheduled_at__gt=now,
        scheduled_at__lt=start + timedelta(days=1),
    )
    count = 0
    for conversation in candidates:
        moment = reminder_moment(conversation.scheduled_at)
        if moment > now:
            continue  # not due yet
        if conversation.invited_at is not None and conversation.invited_at >= moment:
            continue  # the invitation itself came after the reminder hour: no reminder
        send_conversation_reminder.enqueue(conversation.pk, conversation.scheduled_at.isoformat())
        count += 1
    return count


def conversation_reminder_send(*, conversation_id: int, scheduled_at: str) -> bool:
    """Send one reminder, once, and only if the conversation is still planned at that time."""
    with transaction.atomic():
        conversation = (
            Conversation.objects.select_for_update()
            .select_related("application__fund", "advisor")
            .filter(pk=conversation_id)
            .first()
        )
        if (
            conversation is None
            or conversation.status != Conversation.Status.PLANNED
            or conversation.reminder_sent_at is not None
            or conversation.scheduled_at != datetime.fromisoformat(scheduled_at)
            or conversation.scheduled_at <= timezone.now()
        ):
            return False
        _send_appointment_mail(conversation, "reminder")
        conversation.reminder_sent_at = timezone.now()
        conversation.save(update_fields=["reminder_sent_at"])
        audit_record(actor=None, action="conversation.reminder_sent", obj=conversation)
    return True


MAIL_SUBJECTS = {
    "invitation": "Uitnodiging gesprek over uw aanvraag {reference}",
    "rescheduled": "Nieuwe datum voor uw gesprek over aanvraag {reference}",
    "cancelled": "Uw gesprek over aanvraag {reference} gaat niet door",
    "reminder": "Herinnering: morgen uw gesprek over aanvraag {reference}",
    "no_show": "We hebben u gemist: gesprek over aanvraag {reference}",
}


def _mail_appointment(conversation_id: int, kind: str) -> None:
    conversation = Conversation.objects.select_related("application__fund", "advisor").get(
        pk=conversation_id
    )
    _send_appointment_mail(conversation, kind)


def _send_appointment_mail(conversation: Conversation, kind: str) -> None:
    with translation.override("nl"):  # the letter's language, whatever the advisor's screen
        _build_appointment_mail(conversation, kind).send()


def _build_appointment_mail(conversation: Conversation, kind: str) -> EmailMessage:
    application = conversation.application
    message = EmailMessage(
        MAIL_SUBJECTS[kind].format(reference=application.reference),
        render_to_string(
            f"advising/email/{kind}.txt",
            {"conversation": conversation, "application": application},
        ),
        settings.DEFAULT_FROM_EMAIL,
        [application.email],
    )
    if kind in ("invitation", "rescheduled", "cancelled"):
        method = "CANCEL" if kind == "cancelled" else "REQUEST"
        part = MIMEText(conversation_ics(conversation, method=method).decode(), "calendar", "utf-8")
        part.set_param("method", method)
        part.add_header("Content-Disposition", "attachment", filename="afspraak.ics")
        message.attach(part)
    return message


def conversation_ics(conversation: Conversation, *, method: str = "REQUEST") -> bytes:
    """The appointment as an .ics file: the same UID for every update of this conversation."""
    application = conversation.application
    host = urlparse(settings.SITE_URL).hostname or "scholingsfonds.example"
    place = conversation.place_or_location
    advisor = conversation.advisor.get_full_name() or str(conversation.advisor)
    event = CalendarEvent(
        uid=f"gesprek-{conversation.pk}@{host}",
        sequence=conversation.sequence,
        starts_at=conversation.scheduled_at,
        ends_at=conversation.ends_at,
        stamp=timezone.now(),
        summary=f"Gesprek {application.fund.short_name} ({application.reference})",
        location=place,
        description=(
            f"Gesprek met {advisor} over uw aanvraag {application.reference} bij het "
            f"{application.fund.name}.\nNeem uw identiteitsbewijs mee."
        ),
        organizer_email=settings.DEFAULT_FROM_EMAIL,
        organizer_name=application.fund.name,
        attendee_email=application.email,
        method=method,
        reminder_minutes=60,
    )
    return calendar_ics(event)


# --- the conversation record ---------------------------------------------------------------


def conversation_record(
    *,
    conversation: Conversation,
    actor: Any,
    identity_checked: bool,
    notes: str,
    outcome: str,
    referral_to: str = "",
    referral_reason: str = "",
    held_at: datetime | None = None,
    referral_kind: str = "",
    situation: str = "",
    work_status: str = "",
    education_level: str = "",
    question: str = "",
    skills: str = "",
    skill_sources: Sequence[str] = (),
    target_occupation: Occupation | None = None,
    advice: str = "",
    follow_up: str = "",
    follow_up_on: date | None = None,
) -> Conversation:
    """Record what was discussed; a referral closes the application with its reason."""
    if outcome == Conversation.Outcome.REFERRAL and not (
        (referral_to or referral_kind) and referral_reason
    ):
        raise DomainError(
            "advising.referral_needs_reason",
            "Vul in naar wie u doorverwijst en waarom.",
            "State where you refer to and why.",
        )
    if conversation.status == Conversation.Status.CANCELLED:
        raise DomainError(
            "advising.cancelled",
            "Dit gesprek is geannuleerd.",
            "This conversation was cancelled.",
        )
    application = conversation.application
    with transaction.atomic():
        conversation.status = Conversation.Status.HELD
        conversation.held_at = held_at or timezone.now()
        conversation.identity_checked = identity_checked
        conversation.notes = notes
        conversation.outcome = outcome
        conversation.referral_kind = referral_kind if outcome == "referral" else ""
        conversation.referral_to = referral_to
        conversation.referral_reason = referral_reason
        conversation.situation = situation
        conversation.work_status = work_status
        conversation.education_level = education_level
        conversation.question = question
        conversation.skills = skills
        conversation.skill_sources = list(skill_sources)
        conversation.target_occupation = target_occupation
        conversation.advice = advice
        conversation.follow_up = follow_up
        conversation.follow_up_on = follow_up_on
        conversation.save()
        if application.state in (states.SUBMITTED, states.INVITED):
            if application.state == states.SUBMITTED:
                application_transition(
                    application=application,
                    to_state=states.INVITED,
                    actor=actor,
                    reason="gesprek zonder aparte uitnodiging",
                )
            application_transition(
                application=application,
                to_state=states.CONVERSATION_HELD,
                actor=actor,
                reason="gesprek gevoerd",
            )
        if outcome == Conversation.Outcome.REFERRAL:
            destination = referral_to or str(
                dict(Conversation.ReferralKind.choices).get(referral_kind, referral_kind)
            )
            application_transition(
                application=application,
                to_state=states.REFERRED,
                actor=actor,
                reason=f"{destination}: {referral_reason}",
            )
        elif outcome == Conversation.Outcome.NONE:
            application_transition(
                application=application,
                to_state=states.WITHDRAWN,
                actor=actor,
                reason="geen vervolg na het gesprek",
            )
        audit_record(
            actor=actor,
            action="conversation.recorded",
            obj=conversation,
            data={
                "outcome": outcome,
                "identity_checked": identity_checked,
                "referral_kind": conversation.referral_kind,
            },
        )
    return conversation


# --- the labour-market test ----------------------------------------------------------------


def labour_market_test_record(
    *,
    application: Application,
    actor: Any,
    occupation: Occupation,
    motivation: str = "",
    today: date | None = None,
) -> LabourMarketTest:
    """Ordinance art. 4: on the region's promising list at that date, or motivated."""
    today = today or timezone.localdate()
    region = application.policy_version.policy.region_name
    promising = PromisingOccupationList.in_force(region, today)
    on_list = bool(promising and promising.occupations.filter(pk=occupation.pk).exists())
    if on_list:
        result = LabourMarketTest.Result.LISTED
    elif motivation.strip():
        result = LabourMarketTest.Result.MOTIVATED
    else:
        result = LabourMarketTest.Result.FAILED
    with transaction.atomic():
        test, _ = LabourMarketTest.objects.update_or_create(
            application=application,
            defaults={
                "occupation": occupation,
                "tested_on": today,
                "promising_list": promising,
                "on_list": on_list,
                "motivation": motivation.strip(),
                "result": result,
                "advisor": actor,
                # As it was on the test date; a later import does not rewrite the test.
                "occupation_code": occupation.isco08,
                "occupation_title": occupation.title_nl,
                "occupation_shortage_class": occupation.shortage_class,
                "list_source": promising.source if promising else "",
                "list_valid_from": promising.valid_from if promising else None,
            },
        )
        application.target_occupation = occupation
        application.save(update_fields=["target_occupation"])
        application.labour_market_test = test
        application_evaluate(application=application, today=today)
        audit_record(
            actor=actor,
            action="labour_market_test.recorded",
            obj=application,
            data={
                "occupation": occupation.isco08,
                "result": result,
                "list": str(promising) if promising else None,
            },
        )
    return test


# --- the occupation list -------------------------------------------------------------------


def _check_history(region_name: str, valid_from: date) -> None:
    later = PromisingOccupationList.objects.filter(
        region_name=region_name, valid_from__gte=valid_from
    ).first()
    if later is not None:
        raise DomainError(
            "occupations.history_fixed",
            f"Er is al een lijst voor {region_name} vanaf {later.valid_from:%d-%m-%Y}. "
            "Kies een latere startdatum: de geschiedenis blijft zoals die was.",
            f"A list for {region_name} from {later.valid_from} exists; choose a later date.",
        )


def occupation_values(row: OccupationRow, existing: Occupation | None) -> dict[str, str]:
    """The occupation's fields after the row; what the file does not say stays as it was."""

    def keep(value: str | None, field: str, default: str) -> str:
        if value is not None:
            return value
        return getattr(existing, field) if existing is not None else default

    return {
        "title_nl": row.title_nl,
        "title_en": keep(row.title_en, "title_en", row.title_nl),
        "shortage_class": keep(row.shortage_class, "shortage_class", ""),
        "priority_sector": keep(row.sector, "priority_sector", ""),
    }


def occupation_import_report(
    parsed: ParsedList, region_name: str, valid_from: date
) -> dict[str, Any]:
    """What applying the file would change, for the preview."""
    known = {o.isco08: o for o in Occupation.objects.all()}
    current = PromisingOccupationList.in_force(region_name, valid_from)
    current_codes = set(current.occupations.values_list("isco08", flat=True)) if current else set()
    accepted = []
    for row in parsed.rows:
        existing = known.get(row.code)
        values = occupation_values(row, existing)
        changes = []
        if existing is not None:
            for label, field in (
                ("titel", "title_nl"),
                ("titel (Engels)", "title_en"),
                ("tekortklasse", "shortage_class"),
                ("sector", "priority_sector"),
            ):
                old, new = getattr(existing, field), values[field]
                if old != new:
                    changes.append(f"{label}: {old or '–'} → {new or '–'}")
        accepted.append(
            {
                "line": row.line,
                "code": row.code,
                "title_nl": row.title_nl,
                "shortage_class": values["shortage_class"],
                "sector": values["priority_sector"],
                "promising": row.promising,
                "change": "new" if existing is None else ("changed" if changes else "same"),
                "changes": changes,
            }
        )
    promising = {row.code for row in parsed.rows if row.promising}
    return {
        "accepted": accepted,
        "rejected": [
            {"line": r.line, "text": r.text, "reason_nl": r.reason_nl, "reason_en": r.reason_en}
            for r in parsed.rejected
        ],
        "added": sorted(promising - current_codes),
        "removed": sorted(current_codes - promising),
        "current_list": str(current) if current else "",
        "promising_count": len(promising),
    }


def occupation_import_preview(
    *,
    actor: Any,
    region_name: str,
    valid_from: date,
    source: str,
    file_name: str,
    content: str,
) -> OccupationImport:
    """Read the file, check every row, and keep it with its report until it is applied."""
    _check_history(region_name, valid_from)
    parsed = parse_occupations_csv(content)
    with transaction.atomic():
        upload = OccupationImport.objects.create(
            region_name=region_name,
            valid_from=valid_from,
            source=source.strip(),
            file_name=file_name[:200],
            content=content,
            uploaded_by=actor,
            report=occupation_import_report(parsed, region_name, valid_from),
        )
        audit_record(
            actor=actor,
            action="occupations.import_previewed",
            obj=upload,
            data={"accepted": len(parsed.rows), "rejected": len(parsed.rejected)},
        )
    return upload


def occupation_import_apply(*, upload: OccupationImport, actor: Any) -> PromisingOccupationList:
    """Update the occupations and start a new list; the list before it ends the day before."""
    with transaction.atomic():
        locked = OccupationImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status != OccupationImport.Status.PREVIEW:
            raise DomainError(
                "occupations.import_done",
                "Dit bestand is al verwerkt of afgewezen.",
                "This file was already applied or discarded.",
            )
        _check_history(locked.region_name, locked.valid_from)
        parsed = parse_occupations_csv(locked.content)
        report = occupation_import_report(parsed, locked.region_name, locked.valid_from)
        known = {o.isco08: o for o in Occupation.objects.select_for_update()}
        for row in parsed.rows:
            Occupation.objects.update_or_create(
                isco08=row.code, defaults=occupation_values(row, known.get(row.code))
            )
        # History is kept: earlier lists are closed, never changed, so a past test shows the
        # list as it was (the test points at its list).
        day_before = locked.valid_from - timedelta(days=1)
        PromisingOccupationList.objects.filter(region_name=locked.region_name).filter(
            valid_to__isnull=True
        ).update(valid_to=day_before)
        PromisingOccupationList.objects.filter(
            region_name=locked.region_name, valid_to__gte=locked.valid_from
        ).update(valid_to=day_before)
        new_list = PromisingOccupationList.objects.create(
            region_name=locked.region_name,
            valid_from=locked.valid_from,
            source=locked.source or locked.file_name,
            is_demo=False,
        )
        codes = [row.code for row in parsed.rows if row.promising]
        new_list.occupations.set(Occupation.objects.filter(isco08__in=codes))
        locked.status = OccupationImport.Status.APPLIED
        locked.applied_by = actor
        locked.applied_at = timezone.now()
        locked.promising_list = new_list
        locked.report = report
        locked.save()
        audit_record(
            actor=actor,
            action="occupations.import_applied",
            obj=locked,
            data={
                "list": new_list.pk,
                "promising": len(codes),
                "added": report["added"],
                "removed": report["removed"],
                "changed": [r["code"] for r in report["accepted"] if r["change"] == "changed"],
            },
        )
    upload.refresh_from_db()
    return new_list


def occupation_import_discard(*, upload: OccupationImport, actor: Any) -> OccupationImport:
    """Do not apply the file (it stays on record with its report)."""
    with transaction.atomic():
        locked = OccupationImport.objects.select_for_update().get(pk=upload.pk)
        if locked.status != OccupationImport.Status.PREVIEW:
            raise DomainError(
                "occupations.import_done",
                "Dit bestand is al verwerkt of afgewezen.",
                "This file was already applied or discarded.",
            )
        locked.status = OccupationImport.Status.DISCARDED
        locked.save(update_fields=["status"])
        audit_record(actor=actor, action="occupations.import_discarded", obj=locked)
    upload.refresh_from_db()
    return upload


# --- schemes and targets (data) -------------------------------------------------------------


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_jsonable(item) for item in value]
    if isinstance(value, date):
        return value.isoformat()
    return value


def schemes_load(*, directory: Path) -> list[Scheme]:
    """Load every scheme file; the directory is the truth (rows without a file are removed)."""
    parsed = []
    for path in sorted(directory.glob("*.toml")):
        data, scheme = read_scheme(path)  # refuses a malformed file, naming it
        parsed.append((path.name, data, scheme))
    check_no_overlap([scheme for _, _, scheme in parsed])
    loaded = []
    with transaction.atomic():
        for name, data, scheme in parsed:
            row, _ = Scheme.objects.update_or_create(
                key=scheme.key,
                version=scheme.version,
                defaults={
                    "kind": scheme.kind,
                    "order": scheme.order,
                    "valid_from": scheme.valid_from,
                    "valid_to": scheme.valid_to,
                    "data": _jsonable(data),
                    "source_file": name,
                },
            )
            loaded.append(row)
        Scheme.objects.exclude(pk__in=[row.pk for row in loaded]).delete()
    return loaded


def targets_load(*, path: Path) -> list[ConversationTarget]:
    """Yearly conversation targets from the file; a target changed on screen is kept."""
    if not path.exists():
        return []
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    per_fund: dict[str, list[Period]] = {}
    for entry in data.get("target", []):
        per_fund.setdefault(entry["fund"], []).append(
            Period(
                f"{entry['fund']} {entry['year_from']}",
                date(int(entry["year_from"]), 1, 1),
                date(int(entry["year_to"]), 12, 31) if "year_to" in entry else None,
                bool(entry.get("gap_allowed", False)),
            )
        )
    for slug, periods in per_fund.items():
        check_sequence(periods, what_nl=f"de doelen van {slug}", what_en=f"the targets of {slug}")
    loaded = []
    with transaction.atomic():
        for entry in data.get("target", []):
            fund = Fund.objects.filter(slug=entry["fund"]).first()
            if fund is None:
                continue
            year_from = int(entry["year_from"])
            # Without year_to the target is open-ended: one row that continues (target_for).
            year_to = int(entry["year_to"]) if "year_to" in entry else year_from
            for year in range(year_from, year_to + 1):
                target, _ = ConversationTarget.objects.get_or_create(
                    fund=fund,
                    year=year,
                    defaults={
                        "conversations": int(entry["conversations_per_year"]),
                        "source": f"policies/advising/{path.name}",
                        "continues": "year_to" not in entry,
                    },
                )
                loaded.append(target)
    return loaded


def conversation_target_set(
    *, actor: Any, fund: Fund, year: int, conversations: int
) -> ConversationTarget:
    """Set a fund's target for a year (a management decision; audited)."""
    if conversations < 0 or not 2000 <= year <= 2100:
        raise DomainError("advising.invalid_target", "Ongeldig jaardoel.", "Invalid target.")
    with transaction.atomic():
        target = ConversationTarget.objects.select_for_update().filter(fund=fund, year=year).first()
        before = target.conversations if target else None
        if target is None:
            target = ConversationTarget(fund=fund, year=year)
        target.conversations = conversations
        target.source = f"ingesteld door {actor}"
        target.save()
        audit_record(
            actor=actor,
            action="conversation_target.set",
            obj=target,
            data={"year": year, "from": before, "to": conversations},
        )
    return target


# --- the financing arrangement -------------------------------------------------------------


def financing_stack(*, facts: StackFacts, home_fund: str) -> Stack:
    """Compute the stack with the schemes and fund policies in force on the facts' date."""
    from scholingsfonds.advising.selectors import policies_on, schemes_on

    return compute_stack(facts, schemes_on(facts.on), policies_on(facts.on), home_fund=home_fund)


def financing_arrangement_save(
    *, application: Application, actor: Any, facts: StackFacts
) -> FinancingArrangement:
    """Save the advice as the application's financing: co-financing parts and the stack."""
    if application.state not in (states.CONVERSATION_HELD, states.REPAIR_REQUESTED):
        raise DomainError(
            "advising.financing_not_now",
            "De financiering leggen we vast na het gesprek en voordat de aanvraag compleet is.",
            "The financing is recorded after the conversation, before completeness.",
        )
    if not (application.training_title and application.provider_id and application.cost_cents):
        raise DomainError(
            "advising.training_first",
            "Leg eerst de opleiding, de opleider en de kosten vast.",
            "Record the training, provider and cost first.",
        )
    if facts.cost_cents != application.cost_cents:
        raise DomainError(
            "advising.cost_changed",
            "De kosten zijn intussen veranderd. Bereken het advies opnieuw.",
            "The cost changed in the meantime; compute the advice again.",
        )
    slug = application.fund.slug
    stack = financing_stack(facts=facts, home_fund=slug)
    fund_part = stack.part(slug)
    if fund_part is None or not fund_part.applies:
        raise DomainError(
            "advising.fund_does_not_pay",
            "Volgens dit advies betaalt het fonds niet mee. Pas de gegevens aan, of verwijs door.",
            "According to this advice the fund pays nothing. Change the facts, or refer.",
        )
    cofinancing = [
        {"payer": part["payer"], "amount_cents": part["amount_cents"]}
        for part in stack.cofinancing()
    ]
    with transaction.atomic():
        arrangement = FinancingArrangement.objects.create(
            application=application,
            saved_by=actor,
            computed_on=facts.on,
            cost_cents=facts.cost_cents,
            fund_cents=fund_part.amount_cents,
            own_cents=stack.own_cents,
            facts=facts_to_dict(facts),
            stack=stack.to_dict(),
        )
        # The same service as the training form: one place writes co-financing and re-runs
        # the eligibility rules, so the assessor sees what the advice computed.
        application_record_training(
            application=application,
            actor=actor,
            training_title=application.training_title,
            training_level=application.training_level,
            training_sector=application.training_sector,
            provider=application.provider,
            cost_cents=application.cost_cents,
            cofinancing=cofinancing,
            today=facts.on,
        )
        audit_record(
            actor=actor,
            action="financing_arrangement.saved",
            obj=application,
            data={
                "arrangement": arrangement.pk,
                "parts": [(p["scheme"], p["amount_cents"]) for p in stack.cofinancing()],
                "fund_cents": fund_part.amount_cents,
                "own_cents": stack.own_cents,
            },
        )
    return arrangement


def facts_to_dict(facts: StackFacts) -> dict[str, Any]:
    """The facts as stored with an arrangement: no birth date, no names."""
    return {
        "on": facts.on.isoformat(),
        "cost_cents": facts.cost_cents,
        "route": facts.route,
        "work_status": facts.work_status,
        "municipality_code": facts.municipality_code,
        "employer_municipality_code": facts.employer_municipality_code,
        "training_level": facts.training_level,
        "provider_kind": facts.provider_kind,
        "employer_sector": facts.employer_sector,
        "employer_contribution_cents": facts.employer_contribution_cents,
        "receives_benefit": facts.receives_benefit,
        "labour_market_test": facts.labour_market_test,
        "used_this_year": dict(facts.used_this_year),
    }


# --- the advice summary for the person ------------------------------------------------------


def advice_summary_send(*, application: Application, actor: Any) -> None:
    """Mail the person their advice summary (PDF), by the task worker."""
    with transaction.atomic():
        audit_record(actor=actor, action="advice_summary.sent", obj=application)
        pk = application.pk
        transaction.on_commit(lambda: _enqueue_summary(pk))


def _enqueue_summary(application_id: int) -> None:
    from scholingsfonds.advising.tasks import send_advice_summary

    send_advice_summary.enqueue(application_id)

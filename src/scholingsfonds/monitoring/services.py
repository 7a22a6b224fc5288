"""Writes of monitoring: the aggregates' refresh, the targets, the outcome questionnaire."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.mail import send_mail
from django.db import transaction
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.models import Fund
from scholingsfonds.monitoring.domain.facts import WAVES
from scholingsfonds.monitoring.models import FundTarget, OutcomeSurvey
from scholingsfonds.monitoring.refresh import RefreshResult, monitoring_refresh, rebuild
from scholingsfonds.vouchers.models import Voucher
from scholingsfonds.vouchers.services import add_months

__all__ = [
    "RefreshResult",
    "fund_target_save",
    "monitoring_refresh",
    "outcome_survey_answer",
    "outcome_surveys_dispatch",
    "rebuild",
]

TARGET_FIELDS = (
    "vouchers_per_year",
    "conversations_per_year",
    "applications_per_year",
    "priority_sectors",
    "priority_share_percent",
    "min_cell",
)


def fund_target_save(*, fund: Fund, actor: Any, data: dict[str, Any]) -> FundTarget:
    """Set a fund's targets and reporting settings; audited."""
    with transaction.atomic():
        target, _ = FundTarget.objects.select_for_update().get_or_create(fund=fund)
        before = {name: getattr(target, name) for name in TARGET_FIELDS}
        for name in TARGET_FIELDS:
            if name in data:
                setattr(target, name, data[name])
        target.updated_by = actor
        target.save()
        audit_record(
            actor=actor,
            action="monitoring.targets_set",
            obj=target,
            data={
                "before": before,
                "after": {name: getattr(target, name) for name in TARGET_FIELDS},
            },
        )
    return target


# --- the outcome questionnaire ------------------------------------------------------------

SALT = "monitoring.outcome-survey"
# A wave is started at most this long after its due date: nobody gets a questionnaire about
# a training of years ago because the feature was switched on late.
START_WITHIN = timedelta(days=60)
REMINDER_AFTER = timedelta(days=14)
MAX_REMINDERS = 2
CLOSE_AFTER = timedelta(days=60)


def survey_token(survey: OutcomeSurvey) -> str:
    """The link's secret: signed survey id and nonce (nothing secret is stored)."""
    return signing.dumps({"s": survey.pk, "n": survey.nonce}, salt=SALT, compress=True)


def survey_from_token(token: str) -> OutcomeSurvey | None:
    """The questionnaire a link belongs to, or None when the link is not ours."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    survey = (
        OutcomeSurvey.objects.select_related("application__fund").filter(pk=data.get("s")).first()
    )
    if survey is None or not secrets.compare_digest(survey.nonce, str(data.get("n", ""))):
        return None
    return survey


def survey_link(survey: OutcomeSurvey) -> str:
    return settings.SITE_URL + reverse("monitoring:survey_answer", args=[survey_token(survey)])


def _mail(survey_id: int, reminder: bool) -> None:
    survey = OutcomeSurvey.objects.select_related("application__fund", "application__voucher").get(
        pk=survey_id
    )
    context = {
        "survey": survey,
        "application": survey.application,
        "link": survey_link(survey),
        "login_link": settings.SITE_URL + reverse("accounts:request_link"),
        "reminder": reminder,
    }
    subject = (
        f"Herinnering: hoe gaat het na uw opleiding? ({survey.application.fund.short_name})"
        if reminder
        else f"Hoe gaat het na uw opleiding? ({survey.application.fund.short_name})"
    )
    send_mail(
        subject,
        render_to_string("monitoring/email/survey.txt", context),
        settings.DEFAULT_FROM_EMAIL,
        [survey.application.email],
    )


@dataclass
class DispatchResult:
    sent: int = 0
    reminded: int = 0
    closed: int = 0

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "reminded": self.reminded, "closed": self.closed}


def outcome_surveys_dispatch(
    *, today: date | None = None, now: datetime | None = None
) -> DispatchResult:
    """Send the questionnaires that are due, remind, and close unanswered ones.

    A wave is due `wave` months after the training ended: the completion date the provider
    reported, or else the voucher's last valid day.
    """
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    result = DispatchResult()
    for wave in WAVES:
        # valid_until + wave months in [today - START_WITHIN, today]
        # add_months clamps to the month's last day, so it cannot be undone exactly: a
        # training that ended on 31 December is due on 30 June, and 30 June minus six months
        # is 30 December. The window is widened by the clamp's most (3 days) and the exact
        # due day is checked below.
        latest_end = add_months(today, -wave) + timedelta(days=3)
        earliest_end = add_months(today - START_WITHIN, -wave) - timedelta(days=3)
        due = (
            Voucher.objects.annotate(training_end=Coalesce("completed_on", "valid_until"))
            .filter(training_end__gte=earliest_end, training_end__lte=latest_end)
            .exclude(state=Voucher.State.CANCELLED)
            .exclude(application__outcome_surveys__wave=wave)
            .select_related("application")
            .order_by("id")
        )
        for voucher in due:
            due_on = add_months(voucher.training_end, wave)
            if not today - START_WITHIN <= due_on <= today:
                continue
            with transaction.atomic():
                survey, created = OutcomeSurvey.objects.get_or_create(
                    application=voucher.application,
                    wave=wave,
                    defaults={
                        "training_end": voucher.training_end,
                        "due_on": due_on,
                        "nonce": secrets.token_hex(12),
                        "sent_at": now,
                        "last_sent_at": now,
                    },
                )
                if not created:
                    continue
                audit_record(
                    actor=None,
                    action="outcome.sent",
                    obj=survey,
                    to_state=survey.status,
                    data={"wave": wave, "training_end": voucher.training_end.isoformat()},
                )
                survey_id = survey.pk
                transaction.on_commit(lambda survey_id=survey_id: _mail(survey_id, False))
            result.sent += 1
    for survey in OutcomeSurvey.objects.filter(
        status=OutcomeSurvey.Status.SENT,
        reminders__lt=MAX_REMINDERS,
        last_sent_at__lte=now - REMINDER_AFTER,
        sent_at__gt=now - CLOSE_AFTER,
    ).order_by("id"):
        with transaction.atomic():
            survey.reminders += 1
            survey.last_sent_at = now
            survey.save(update_fields=["reminders", "last_sent_at"])
            audit_record(
                actor=None, action="outcome.reminded", obj=survey, data={"n": survey.reminders}
            )
            survey_id = survey.pk
            transaction.on_commit(lambda survey_id=survey_id: _mail(survey_id, True))
        result.reminded += 1
    for survey in OutcomeSurvey.objects.filter(
        status=OutcomeSurvey.Status.SENT, sent_at__lte=now - CLOSE_AFTER
    ).order_by("id"):
        with transaction.atomic():
            survey.status = OutcomeSurvey.Status.CLOSED
            survey.closed_at = now
            survey.save(update_fields=["status", "closed_at"])
            audit_record(
                actor=None,
                action="outcome.closed",
                obj=survey,
                from_state=OutcomeSurvey.Status.SENT,
                to_state=OutcomeSurvey.Status.CLOSED,
            )
        result.closed += 1
    return result


def outcome_survey_answer(
    *,
    survey: OutcomeSurvey,
    actor: Any,
    via: str,
    answers: dict[str, str],
    now: datetime | None = None,
) -> OutcomeSurvey:
    """Store the answers once; the link stops working afterwards."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = OutcomeSurvey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != OutcomeSurvey.Status.SENT:
            raise DomainError(
                "outcome.not_open",
                "Deze vragenlijst is al ingevuld of gesloten.",
                "This questionnaire has already been answered or closed.",
            )
        locked.finished = answers["finished"]
        locked.certificate = answers["certificate"]
        locked.job_change = answers["job_change"]
        locked.comment = answers.get("comment", "").strip()
        locked.status = OutcomeSurvey.Status.ANSWERED
        locked.answered_at = now
        locked.answered_via = via
        locked.save()
        audit_record(
            actor=actor,
            action="outcome.answered",
            obj=locked,
            from_state=OutcomeSurvey.Status.SENT,
            to_state=OutcomeSurvey.Status.ANSWERED,
            data={"via": via, "wave": locked.wave},
        )
    return locked

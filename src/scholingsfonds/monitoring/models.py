"""Monitoring: targets, the maintained aggregates, the refresh cursors and the outcome survey.

The aggregates (`MonthFact`, `Tally`, `SourceMonth`) are derived data: `monitoring_refresh`
keeps them current from the audit log and the journal, and can rebuild them from the base
tables at any time. Nothing else writes them.
"""

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import FundingSource
from scholingsfonds.funds.models import Fund
from scholingsfonds.monitoring.domain.facts import DIMENSIONS, MEASURES


class FundTarget(models.Model):
    """A fund's targets and reporting settings, editable by its manager."""

    fund = models.OneToOneField(Fund, on_delete=models.CASCADE, related_name="monitoring_target")
    vouchers_per_year = models.PositiveIntegerField(_("cheques per jaar"), null=True, blank=True)
    conversations_per_year = models.PositiveIntegerField(
        _("gesprekken per jaar"), null=True, blank=True
    )
    applications_per_year = models.PositiveIntegerField(
        _("aanvragen per jaar"), null=True, blank=True
    )
    # Training sectors (the advisor's list) that count as priority sectors for this fund.
    priority_sectors: Any = models.JSONField(_("prioritaire sectoren"), default=list, blank=True)
    priority_share_percent = models.PositiveSmallIntegerField(
        _("doel aandeel prioritaire sectoren (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    min_cell = models.PositiveSmallIntegerField(
        _("kleinste publiceerbare aantal"),
        default=10,
        validators=[MinValueValidator(3), MaxValueValidator(100)],
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("doelen en rapportage")
        verbose_name_plural = _("doelen en rapportage")

    def __str__(self) -> str:
        return f"doelen {self.fund}"


class MonthFact(models.Model):
    """One application in one month: its dimensions and what happened to it then."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    # One CharField per dimension and one BigIntegerField per measure: added below.

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["application", "month"], name="monthfact_unique")
        ]
        indexes = [models.Index(fields=["fund", "month"], name="monthfact_fund_month")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.month:%Y-%m}"


class Tally(models.Model):
    """Sums of the month facts per fund, period, municipality and dimension value.

    `grain` is m (month), q (quarter), y (year) or a (all); `period` is "2025-03",
    "2025-Q1", "2025" or "". `municipality` is a CBS code, "?" when unknown, "" for the whole
    region. `dim` "total" has the value "" and counts everything.
    """

    fund = models.ForeignKey(Fund, on_delete=models.CASCADE, related_name="+")
    grain = models.CharField(max_length=1)
    period = models.CharField(max_length=7)
    municipality = models.CharField(max_length=8)
    dim = models.CharField(max_length=40)
    value = models.CharField(max_length=80)
    # One BigIntegerField per measure: added below.

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fund", "grain", "period", "municipality", "dim", "value"],
                name="tally_unique",
            )
        ]
        indexes = [
            # The top employers of a scope without reading them all.
            models.Index(
                fields=["fund", "grain", "period", "municipality", "dim", "-vouchers"],
                name="tally_top_vouchers",
            )
        ]

    def __str__(self) -> str:
        scope = f"{self.fund_id} {self.grain}{self.period} {self.municipality}"
        return f"{scope} {self.dim}={self.value}"


# The dimensions and measures are defined once, in monitoring/domain/facts.py.
for _name in DIMENSIONS:
    MonthFact.add_to_class(_name, models.CharField(max_length=40))
for _name in MEASURES:
    MonthFact.add_to_class(_name, models.BigIntegerField(default=0))
    Tally.add_to_class(_name, models.BigIntegerField(default=0))


class SourceMonth(models.Model):
    """What moved on one funding source in one month, from the journal (append-only)."""

    source = models.ForeignKey(FundingSource, on_delete=models.CASCADE, related_name="+")
    month = models.DateField()
    # Net movement per account in the month (sums of postings; the pledge account is negative).
    pledge_cents = models.BigIntegerField(default=0)
    available_cents = models.BigIntegerField(default=0)
    claimed_cents = models.BigIntegerField(default=0)
    committed_cents = models.BigIntegerField(default=0)
    paid_cents = models.BigIntegerField(default=0)
    # Money that left the source at or after its close: returned to the funder or carried over.
    closed_cents = models.BigIntegerField(default=0)
    # Flows: new commitments (grants), payments, money given back (expiry, refusal, invoice).
    commit_flow_cents = models.BigIntegerField(default=0)
    pay_flow_cents = models.BigIntegerField(default=0)
    release_flow_cents = models.BigIntegerField(default=0)
    vouchers = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["source", "month"], name="sourcemonth_unique")
        ]

    def __str__(self) -> str:
        return f"{self.source_id} {self.month:%Y-%m}"


class Cursor(models.Model):
    """How far the refresh has read a log (audit events, journal postings).

    Ids are handed out when a row is inserted, not when its transaction commits, so a row
    with a lower id can become visible after a higher one. Ids skipped over are kept as
    `gaps` (id -> first seen, ISO time) and read again until they appear or are too old to
    belong to a running transaction (then they were rolled back).
    """

    name = models.CharField(max_length=20, primary_key=True)
    last_id = models.BigIntegerField(default=0)
    gaps: Any = models.JSONField(default=dict, blank=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_id}"


class Finished(models.TextChoices):
    YES = "yes", _("Ja, ik heb de opleiding afgerond")
    BUSY = "busy", _("Nee, ik ben er nog mee bezig")
    STOPPED = "stopped", _("Nee, ik ben gestopt")
    NOT_STARTED = "not_started", _("Nee, ik ben niet begonnen")


class Certificate(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nee")
    NOT_APPLICABLE = "not_applicable", _("De opleiding heeft geen diploma of certificaat")


class JobChange(models.TextChoices):
    SAME_JOB = "same_job", _("Ik doe hetzelfde werk, en ben er sterker in geworden")
    SAME_SECTOR = "same_sector", _("Ik heb ander werk in dezelfde sector")
    OTHER_SECTOR = "other_sector", _("Ik werk nu in een andere sector")
    TO_WORK = "to_work", _("Ik had geen werk en heb nu werk")
    NONE = "none", _("Er is (nog) niets veranderd")


class OutcomeSurvey(models.Model):
    """The follow-up questionnaire, 6 or 12 months after the training ended."""

    class Status(models.TextChoices):
        SENT = "sent", _("Verstuurd")
        ANSWERED = "answered", _("Ingevuld")
        CLOSED = "closed", _("Gesloten zonder antwoord")

    class Via(models.TextChoices):
        LINK = "link", _("Link in de e-mail")
        LOGIN = "login", _("Ingelogd")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="outcome_surveys"
    )
    wave = models.PositiveSmallIntegerField(choices=[(6, "6"), (12, "12")])
    # Until providers report completion, the training's end is the voucher's last valid day.
    training_end = models.DateField()
    due_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SENT)
    nonce = models.CharField(max_length=32)
    sent_at = models.DateTimeField()
    reminders = models.PositiveSmallIntegerField(default=0)
    last_sent_at = models.DateTimeField()
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_via = models.CharField(max_length=5, choices=Via.choices, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    finished = models.CharField(max_length=12, choices=Finished.choices, blank=True)
    certificate = models.CharField(max_length=15, choices=Certificate.choices, blank=True)
    job_change = models.CharField(max_length=12, choices=JobChange.choices, blank=True)
    comment = models.TextField(blank=True, max_length=1000)

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["application", "wave"], name="outcome_survey_unique")
        ]
        indexes = [models.Index(fields=["status", "last_sent_at"], name="outcome_survey_open")]

    def __str__(self) -> str:
        return f"vragenlijst {self.wave} mnd {self.application_id}"

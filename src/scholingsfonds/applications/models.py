"""Applications for a training voucher, from the short form to completeness."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.domain import states
from scholingsfonds.core.choices import choices, text_choices
from scholingsfonds.core.domain.vocabulary import (
    CAREER_ROUTES,
    EDUCATION_LEVELS,
    GENDERS,
    HEARD_VIA,
    MIGRATION_BACKGROUNDS,
    PAYERS,
    ROUTES,
    SECTORS,
    TRAINING_LEVELS,
    WORK_STATUSES,
)
from scholingsfonds.employers.models import Employer
from scholingsfonds.funds.models import Fund, Municipality, Occupation, PolicyVersion
from scholingsfonds.providers.models import Provider

# Kept for the callers that still name them (payments' reports); the vocabulary is the
# definition, and new code takes `choices()` and the codes themselves.
Route = text_choices("Route", ROUTES)
CareerRoute = text_choices("CareerRoute", CAREER_ROUTES)
CofinancingPayer = text_choices("CofinancingPayer", PAYERS)

STATE_CHOICES = [(key, label) for key, label in states.STATE_LABELS_NL.items()]


class Application(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT)
    reference = models.CharField(max_length=24, unique=True)
    state = models.CharField(max_length=30, choices=STATE_CHOICES, default=states.SUBMITTED)
    route = models.CharField(max_length=12, choices=choices(ROUTES))
    submitted_at = models.DateTimeField()
    # A replayed form (double click, back button) carries the same key: one application.
    submission_key = models.CharField(max_length=64, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    submitted_on_behalf_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The short form: only what the process needs at this step (docs/domain.md, settled readings).
    first_name = models.CharField(_("voornaam"), max_length=60)
    last_name = models.CharField(_("achternaam"), max_length=80)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    birth_date = models.DateField(_("geboortedatum"))
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    work_status = models.CharField(_("werksituatie"), max_length=12, choices=choices(WORK_STATUSES))
    education_level = models.CharField(
        _("hoogst behaalde opleiding"), max_length=10, choices=choices(EDUCATION_LEVELS)
    )
    career_route = models.CharField(
        _("loopbaanroute"), max_length=14, choices=choices(CAREER_ROUTES)
    )
    question = models.TextField(_("uw vraag"), max_length=2000)
    heard_via = models.CharField(
        _("hoe kent u het fonds"), max_length=20, choices=choices(HEARD_VIA)
    )
    # Vrijwillig, alleen voor statistiek: empty when the person skipped the question.
    gender = models.CharField(_("geslacht"), max_length=10, choices=choices(GENDERS), blank=True)
    migration_background = models.CharField(
        _("migratieachtergrond"), max_length=10, choices=choices(MIGRATION_BACKGROUNDS), blank=True
    )

    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    employer_contribution_percent = models.PositiveSmallIntegerField(null=True, blank=True)

    # Known after the conversation; with all three the application is complete (Awb 4:2).
    training_title = models.CharField(_("opleiding"), max_length=200, blank=True)
    training_level = models.CharField(
        _("niveau van de opleiding"), max_length=6, choices=choices(TRAINING_LEVELS), blank=True
    )
    training_sector = models.CharField(
        _("sector"), max_length=40, choices=choices(SECTORS), blank=True
    )
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    cost_cents = models.BigIntegerField(_("totale kosten"), null=True, blank=True)
    cofinancing: Any = models.JSONField(default=list, blank=True)
    target_occupation = models.ForeignKey(
        Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Recorded at the conversation from an identity document, only when the process needs it.
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)

    rule_outcomes: Any = models.JSONField(default=list, blank=True)
    rules_evaluated_on = models.DateField(null=True, blank=True)
    complete_on = models.DateField(null=True, blank=True)
    decision_due_on = models.DateField(null=True, blank=True)
    requested_cents = models.BigIntegerField(null=True, blank=True)
    # First-come-first-served windows: the number given under the lock that claims the money.
    receipt_number = models.PositiveIntegerField(null=True, blank=True)
    ceiling_refused = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["fund", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["policy_version", "receipt_number"], name="unique_receipt_per_window"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def state_label(self) -> str:
        return str(dict(STATE_CHOICES).get(self.state, self.state))

    @property
    def is_decided(self) -> bool:
        """Granted, refused, referred or withdrawn: no decision term runs any more."""
        return self.state in states.TERMINAL_STATES

    @property
    def cofinancing_cents(self) -> int:
        return sum(int(part["amount_cents"]) for part in self.cofinancing)

    @property
    def is_complete(self) -> bool:
        return bool(self.training_title and self.provider_id and self.cost_cents)


class RepairRequest(models.Model):
    """A request to complete the application (Awb 4:5); it suspends the decision term (4:15)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="repair_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField()
    deadline = models.DateField()
    what = models.TextField()
    resolved_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"aanvulling {self.application_id} {self.requested_on}"

    @property
    def suspension(self) -> tuple[date, date | None]:
        return (self.requested_on, self.resolved_on)


class ApplicationWindow(models.Model):
    """The order of receipt in a first-come-first-served window (Awb 4:25).

    Its row is the one lock every submission in the window takes: it hands out receipt
    numbers and, in the same transaction, the claims on the budget follow that order.
    """

    policy_version = models.OneToOneField(
        PolicyVersion, on_delete=models.PROTECT, related_name="application_window"
    )
    last_receipt_number = models.PositiveIntegerField(default=0)
    # The smallest amount refused for the ceiling so far: a later application asking as much
    # or more is refused too, even if money came back, so nobody overtakes an earlier person.
    lowest_refused_cents = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"venster {self.policy_version}"

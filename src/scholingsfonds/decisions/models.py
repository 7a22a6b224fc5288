"""The decision (beschikking), the hearing before a refusal and the decision letter."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.models import Application
from scholingsfonds.funds.models import PolicyVersion


class Decision(models.Model):
    class Outcome(models.TextChoices):
        GRANT = "grant", _("Toekenning")
        REFUSE = "refuse", _("Afwijzing")

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Voorstel, wacht op tweede beoordelaar")
        FINAL = "final", _("Genomen")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(max_length=6, choices=Outcome.choices)
    status = models.CharField(max_length=8, choices=Status.choices)
    amount_cents = models.BigIntegerField(default=0)
    grounds = models.TextField()
    ceiling_reached = models.BooleanField(default=False)
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    rule_outcomes: Any = models.JSONField(default=list)
    allocation: Any = models.JSONField(default=list, blank=True)
    # Empty for the refusals a first-come-first-served window gives at once (Awb 4:25).
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_on = models.DateField(null=True, blank=True)
    sent_on = models.DateField(null=True, blank=True)
    objection_deadline = models.DateField(null=True, blank=True)
    letter_pdf = models.FileField(upload_to="letters/", blank=True)

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} {self.application.reference}"


class Hearing(models.Model):
    """Awb 4:7: the applicant is heard before a refusal that rests on facts they did not give."""

    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="hearings")
    asked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    asked_on = models.DateField()
    deadline = models.DateField()
    facts = models.TextField()
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-asked_on", "-id"]

    def __str__(self) -> str:
        return f"zienswijze {self.application_id} {self.asked_on}"

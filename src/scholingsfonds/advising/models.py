"""The LLO conversation and the labour-market test (arbeidsmarkttoets)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.models import Application
from scholingsfonds.funds.models import Occupation, PromisingOccupationList


class Conversation(models.Model):
    class Location(models.TextChoices):
        LEERWERKLOKET = "leerwerkloket", _("Leerwerkloket")
        LOOPBAANSTATION = "loopbaanstation", _("Loopbaanstation")
        PHONE = "phone", _("Telefonisch")
        VIDEO = "video", _("Beeldbellen")

    class Outcome(models.TextChoices):
        VOUCHER = "voucher", _("Aanvraag scholingscheque")
        REFERRAL = "referral", _("Doorverwijzing")
        NONE = "none", _("Geen vervolg")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="conversations"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    scheduled_at = models.DateTimeField()
    location = models.CharField(max_length=20, choices=Location.choices)
    held_at = models.DateTimeField(null=True, blank=True)
    identity_checked = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    referral_to = models.CharField(max_length=120, blank=True)
    referral_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-scheduled_at"]

    def __str__(self) -> str:
        return f"gesprek {self.application_id} {self.scheduled_at:%Y-%m-%d}"


class LabourMarketTest(models.Model):
    """Ordinance art. 4: an occupation on the promising list, or the advisor's motivation."""

    class Result(models.TextChoices):
        LISTED = "listed", _("Beroep staat op de lijst van kansrijke beroepen")
        MOTIVATED = "motivated", _("Aantoonbaar arbeidsmarktperspectief (gemotiveerd)")
        FAILED = "failed", _("Geen arbeidsmarktperspectief")

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="labour_market_test"
    )
    occupation = models.ForeignKey(Occupation, on_delete=models.PROTECT, related_name="+")
    tested_on = models.DateField()
    promising_list = models.ForeignKey(
        PromisingOccupationList, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    on_list = models.BooleanField()
    motivation = models.TextField(blank=True)
    result = models.CharField(max_length=10, choices=Result.choices)
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    def __str__(self) -> str:
        return f"arbeidsmarkttoets {self.application_id}: {self.result}"

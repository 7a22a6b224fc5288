"""The training voucher (scholingscheque) issued on a grant."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.models import Application
from scholingsfonds.funds.models import Fund


class Voucher(models.Model):
    class State(models.TextChoices):
        ISSUED = "issued", _("Uitgegeven")
        STARTED = "started", _("Opleiding gestart")
        COMPLETED = "completed", _("Opleiding afgerond")
        REDEEMED = "redeemed", _("Verzilverd")
        EXPIRED = "expired", _("Verlopen")
        CANCELLED = "cancelled", _("Ingetrokken")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="vouchers")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="voucher"
    )
    code = models.CharField(max_length=20, unique=True)
    amount_cents = models.BigIntegerField()
    # Money given back to the sources (expiry, cancellation, a lower invoice); it frees cap.
    released_cents = models.BigIntegerField(default=0)
    issued_on = models.DateField()
    valid_until = models.DateField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.ISSUED)

    class Meta:
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return self.code

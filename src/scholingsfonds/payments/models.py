"""The finance area: which funder a person may see, and confirmed co-financing."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.models import Application, CofinancingPayer
from scholingsfonds.funds.models import Fund


class FunderAccess(models.Model):
    """A person with the funder role sees the sources of this funder in this fund."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="funder_access",
        verbose_name=_("gebruiker"),
    )
    fund = models.ForeignKey(
        Fund, on_delete=models.CASCADE, related_name="funder_access", verbose_name=_("fonds")
    )
    # Matches FundingSource.funder exactly (e.g. "Provincie Overijssel").
    funder = models.CharField(_("financier"), max_length=120)

    class Meta:
        ordering = ["fund", "funder", "user"]
        verbose_name = _("toegang financier")
        verbose_name_plural = _("toegang financiers")
        constraints = [
            models.UniqueConstraint(fields=["user", "fund", "funder"], name="funder_access_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.funder} ({self.fund.short_name})"


class CofinancingConfirmation(models.Model):
    """Finance saw proof that a co-financer pays its part of a granted application."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="cofinancing_confirmations"
    )
    payer = models.CharField(max_length=20, choices=CofinancingPayer.choices)
    amount_cents = models.BigIntegerField()
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    confirmed_at = models.DateTimeField()
    proof_note = models.TextField()

    class Meta:
        ordering = ["-confirmed_at", "-id"]
        constraints = [
            # One confirmation per part: a second click must not count the money twice.
            models.UniqueConstraint(
                fields=["application", "payer"], name="cofinancing_confirmation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.payer} {self.amount_cents}"

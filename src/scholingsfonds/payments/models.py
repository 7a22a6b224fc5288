"""The finance area: which funder a person may see, and confirmed co-financing."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.models import Application
from scholingsfonds.core.choices import choices
from scholingsfonds.core.domain.vocabulary import PAYERS
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
    payer = models.CharField(max_length=20, choices=choices(PAYERS))
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


class FundBankAccount(models.Model):
    """The account the fund pays providers from (the debtor of the SEPA transfers)."""

    fund = models.OneToOneField(
        Fund, on_delete=models.CASCADE, related_name="bank_account", verbose_name=_("fonds")
    )
    name = models.CharField(_("naam rekeninghouder"), max_length=70)
    iban = models.CharField(_("IBAN"), max_length=34)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)

    class Meta:
        verbose_name = _("betaalrekening fonds")
        verbose_name_plural = _("betaalrekeningen fondsen")

    def __str__(self) -> str:
        return f"{self.fund.short_name}: {self.iban}"


class PaymentBatch(models.Model):
    """A payment run: approved invoices of one fund, made by one finance officer and approved
    by another (four eyes); its SEPA file (pain.001) is written at approval."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        APPROVED = "approved", _("Goedgekeurd, klaar voor de bank")
        PAID = "paid", _("Betaald")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="payment_batches")
    number = models.CharField(max_length=20, unique=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    execution_date = models.DateField(_("uitvoerdatum"))
    total_cents = models.BigIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    paid_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    paid_at = models.DateTimeField(null=True, blank=True)
    message_id = models.CharField(max_length=35, blank=True)
    sepa_xml = models.TextField(blank=True)
    sepa_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("betaalronde")
        verbose_name_plural = _("betaalrondes")
        constraints = [
            # Four eyes, also in the database: the maker of a run never approves it.
            models.CheckConstraint(
                condition=models.Q(approved_by__isnull=True)
                | ~models.Q(approved_by=models.F("created_by")),
                name="payment_batch_four_eyes",
            )
        ]

    def __str__(self) -> str:
        return self.number


class PaymentLine(models.Model):
    """One transfer in a payment run: one invoice, to the provider's account."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="lines")
    invoice = models.OneToOneField(
        "vouchers.Invoice", on_delete=models.PROTECT, related_name="payment_line"
    )
    amount_cents = models.BigIntegerField()
    payee_name = models.CharField(max_length=70)
    iban = models.CharField(max_length=34)
    bic = models.CharField(max_length=11, blank=True)
    end_to_end_id = models.CharField(max_length=35)
    description = models.CharField(max_length=140)
    # Per funding source: [{"source_id", "amount_cents"}], as the ledger pays it.
    split: Any = models.JSONField(default=list)

    class Meta:
        ordering = ["batch", "id"]

    def __str__(self) -> str:
        return self.end_to_end_id


class MarketAction(models.Model):
    """What the fund did about a market signal: the action log of the signals page."""

    class Kind(models.TextChoices):
        ASK_EXPLANATION = "ask_explanation", _("Uitleg gevraagd aan de opleider")
        SUSPEND_COURSE = "suspend_course", _("Opleiding geschorst")
        NOTE = "note", _("Notitie")
        CLOSED = "closed", _("Afgehandeld, geen actie nodig")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="market_actions")
    provider = models.ForeignKey(
        "providers.Provider", on_delete=models.PROTECT, related_name="market_actions"
    )
    course = models.ForeignKey(
        "providers.Course",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="market_actions",
    )
    signal_code = models.CharField(max_length=30, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    text = models.TextField()
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.provider_id}"

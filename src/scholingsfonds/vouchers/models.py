"""The training voucher (scholingscheque) issued on a grant, and what the provider does with it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.models import Application
from scholingsfonds.funds.models import Fund
from scholingsfonds.providers.models import Course, Provider


class Voucher(models.Model):
    class State(models.TextChoices):
        ISSUED = "issued", _("Uitgegeven")
        STARTED = "started", _("Opleiding gestart")
        COMPLETED = "completed", _("Opleiding afgerond")
        REDEEMED = "redeemed", _("Verzilverd")
        EXPIRED = "expired", _("Verlopen")
        CANCELLED = "cancelled", _("Ingetrokken")
        NO_SHOW = "no_show", _("Niet verschenen of afgehaakt")

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
    # The provider the voucher can be used with (the application's) and, when the training is
    # in its catalogue, the course: the per-course cap and the market signals count by these.
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers"
    )
    course = models.ForeignKey(
        Course, null=True, blank=True, on_delete=models.PROTECT, related_name="vouchers"
    )
    started_on = models.DateField(_("startdatum"), null=True, blank=True)
    completed_on = models.DateField(_("einddatum"), null=True, blank=True)
    attendance_percent = models.PositiveSmallIntegerField(_("aanwezigheid"), null=True, blank=True)
    certificate = models.BooleanField(_("certificaat of diploma behaald"), default=False)
    # What the provider reported, and when: the basis of every payment.
    start_reported_at = models.DateTimeField(null=True, blank=True)
    end_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        indexes = [models.Index(fields=["provider", "state"])]

    def __str__(self) -> str:
        return self.code

    @property
    def participant_name(self) -> str:
        """What a provider may see of the person: the name, never a BSN or birth date."""
        return self.application.full_name


class Invoice(models.Model):
    """An invoice (or an advance, or a credit note) of a provider against one voucher."""

    class Kind(models.TextChoices):
        ADVANCE = "advance", _("Voorschot")
        INVOICE = "invoice", _("Factuur")
        CREDIT_NOTE = "credit_note", _("Creditnota")

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Ingediend")
        APPROVED = "approved", _("Goedgekeurd")
        SCHEDULED = "scheduled", _("In betaalronde")
        PAID = "paid", _("Betaald")
        REJECTED = "rejected", _("Afgewezen")

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="invoices")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="invoices")
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.INVOICE)
    number = models.CharField(_("factuurnummer"), max_length=40)
    invoice_date = models.DateField(_("factuurdatum"))
    amount_cents = models.BigIntegerField(_("bedrag"))
    credited_invoice = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )
    # The last invoice for this voucher: once paid, what is left goes back to the sources.
    is_final = models.BooleanField(_("laatste factuur"), default=True)
    document = models.FileField(upload_to="facturen/%Y/%m/", blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    document_size = models.PositiveIntegerField(default=0)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.SUBMITTED)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["provider", "number"], name="invoice_number_unique"),
            models.CheckConstraint(
                condition=models.Q(amount_cents__gt=0), name="invoice_amount_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.voucher_id})"

    @property
    def is_credit(self) -> bool:
        return self.kind == self.Kind.CREDIT_NOTE


class Recovery(models.Model):
    """Money the fund claims back from a provider (terugvordering): a no-show after an advance,
    or a credit note on an invoice that was already paid."""

    class Status(models.TextChoices):
        OPEN = "open", _("Openstaand")
        RECEIVED = "received", _("Ontvangen")
        WAIVED = "waived", _("Kwijtgescholden")

    voucher = models.ForeignKey(Voucher, on_delete=models.PROTECT, related_name="recoveries")
    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="recoveries")
    amount_cents = models.BigIntegerField()
    reason = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_at = models.DateTimeField(null=True, blank=True)
    settled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    settled_note = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("terugvordering")
        verbose_name_plural = _("terugvorderingen")

    def __str__(self) -> str:
        return f"terugvordering {self.voucher_id} {self.amount_cents}"


class VoucherReminder(models.Model):
    """A reminder before expiry that was sent; one per voucher and threshold (no repeats)."""

    voucher = models.ForeignKey(Voucher, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_on = models.DateField()
    recipients = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["voucher", "-days_before"]
        constraints = [
            models.UniqueConstraint(fields=["voucher", "days_before"], name="voucher_reminder_once")
        ]

    def __str__(self) -> str:
        return f"herinnering {self.voucher_id} {self.days_before}"

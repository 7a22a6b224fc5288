"""Training providers, the recognition that makes their courses eligible, and their catalogue."""

from datetime import date

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.core.choices import choices
from scholingsfonds.core.domain.vocabulary import PROVIDER_KINDS, SECTORS, TRAINING_LEVELS
from scholingsfonds.funds.models import Occupation


class Provider(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Aangevraagd")
        APPROVED = "approved", _("Goedgekeurd")
        SUSPENDED = "suspended", _("Geschorst")

    name = models.CharField(_("naam"), max_length=160)
    kind = models.CharField(_("erkenning"), max_length=10, choices=choices(PROVIDER_KINDS))
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    institution_code = models.CharField(_("BRIN/instellingscode"), max_length=8, blank=True)
    # Keurmerk number or register entry (NRTO, CEDEO, NLQF, sector); OCW uses the BRIN code.
    recognition_reference = models.CharField(
        _("nummer keurmerk of erkenning"), max_length=80, blank=True
    )
    recognition_valid_until = models.DateField(_("erkenning geldig tot"), null=True, blank=True)
    # A VAT fact, shown for what it is: never a recognition on its own.
    crkbo_registered = models.BooleanField(_("ingeschreven in het CRKBO"), default=False)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    account_holder = models.CharField(_("tenaamstelling rekening"), max_length=70, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    website = models.URLField(_("website"), blank=True)
    street = models.CharField(_("adres"), max_length=120, blank=True)
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    city = models.CharField(_("plaats"), max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    status_reason = models.TextField(_("reden status"), blank=True)
    status_changed_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="providers")

    class Meta:
        ordering = ["name"]
        verbose_name = _("opleider")
        verbose_name_plural = _("opleiders")

    def __str__(self) -> str:
        return self.name

    @property
    def payee_name(self) -> str:
        """The name on the bank account, as SEPA transfers need it."""
        return self.account_holder or self.name

    @property
    def iban_formatted(self) -> str:
        return " ".join(self.iban[i : i + 4] for i in range(0, len(self.iban), 4))


class ProviderContact(models.Model):
    class Role(models.TextChoices):
        GENERAL = "general", _("Algemeen")
        FINANCE = "finance", _("Facturen en betalingen")
        PARTICIPANTS = "participants", _("Deelnemers en herinneringen")

    provider = models.ForeignKey(Provider, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("naam"), max_length=120)
    role = models.CharField(_("waarvoor"), max_length=14, choices=Role.choices)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)

    class Meta:
        ordering = ["provider", "role", "name"]
        verbose_name = _("contactpersoon")
        verbose_name_plural = _("contactpersonen")

    def __str__(self) -> str:
        return f"{self.name} ({self.get_role_display()})"


class Course(models.Model):
    """One course in a provider's catalogue; its price has a history (CoursePrice)."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Actief")
        SUSPENDED = "suspended", _("Geschorst")

    provider = models.ForeignKey(Provider, on_delete=models.PROTECT, related_name="courses")
    title = models.CharField(_("titel"), max_length=200)
    level = models.CharField(_("niveau"), max_length=6, choices=choices(TRAINING_LEVELS))
    hours = models.PositiveIntegerField(_("uren"))
    sector = models.CharField(_("sector"), max_length=40, choices=choices(SECTORS))
    target_occupations = models.ManyToManyField(
        Occupation, blank=True, related_name="courses", verbose_name=_("beoogde beroepen")
    )
    # None: the policy's course_voucher_cap applies (STAP: 300).
    voucher_cap = models.PositiveIntegerField(_("maximum aantal cheques"), null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    status_reason = models.TextField(blank=True)
    created_on = models.DateField(_("in de catalogus sinds"))

    class Meta:
        ordering = ["provider", "title"]
        verbose_name = _("opleiding")
        verbose_name_plural = _("opleidingen")
        constraints = [
            models.UniqueConstraint(fields=["provider", "title"], name="course_title_per_provider")
        ]

    def __str__(self) -> str:
        return self.title

    def price_on(self, day: date) -> int | None:
        """The price in cents valid on `day` (the latest one from before or on that day)."""
        row = self.prices.filter(valid_from__lte=day).order_by("-valid_from", "-id").first()
        return row.price_cents if row else None


class CoursePrice(models.Model):
    """Append-only price history: a new price is a new row from a date, never an edit."""

    course = models.ForeignKey(Course, on_delete=models.CASCADE, related_name="prices")
    price_cents = models.BigIntegerField()
    valid_from = models.DateField()
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["course", "valid_from", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_cents__gt=0), name="course_price_positive"
            )
        ]

    def __str__(self) -> str:
        return f"{self.course_id} {self.price_cents} vanaf {self.valid_from}"

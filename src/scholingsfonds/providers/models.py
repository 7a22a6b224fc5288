"""Training providers and the recognition that makes their courses eligible."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    OCW = "ocw", _("Erkend door OCW (mbo, hbo, wo)")
    NRTO = "nrto", _("NRTO-keurmerk")
    CEDEO = "cedeo", _("CEDEO-erkend")
    NLQF = "nlqf", _("NLQF-ingeschaald")
    SECTOR = "sector", _("Erkend door de sector")
    CRKBO = "crkbo", _("Alleen CRKBO-register (geen kwaliteitskeurmerk)")


class Provider(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Aangevraagd")
        APPROVED = "approved", _("Goedgekeurd")
        SUSPENDED = "suspended", _("Geschorst")

    name = models.CharField(_("naam"), max_length=160)
    kind = models.CharField(_("erkenning"), max_length=10, choices=ProviderKind.choices)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, blank=True)
    institution_code = models.CharField(_("BRIN/instellingscode"), max_length=8, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    email = models.EmailField(_("e-mailadres"), blank=True)
    city = models.CharField(_("plaats"), max_length=80, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.APPROVED)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="providers")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

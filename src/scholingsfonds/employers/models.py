"""Employers that apply for vouchers for their staff (the employer route)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.funds.models import Municipality


class Employer(models.Model):
    name = models.CharField(_("naam"), max_length=160)
    kvk_number = models.CharField(_("KvK-nummer"), max_length=8, unique=True)
    municipality = models.ForeignKey(Municipality, on_delete=models.PROTECT)
    contact_name = models.CharField(_("contactpersoon"), max_length=120)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoon"), max_length=20, blank=True)
    users = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="employers")

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

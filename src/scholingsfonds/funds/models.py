"""Funds, their policy versions, the region and the occupations of the labour-market test."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from scholingsfonds.core.domain.periods import Period, PeriodOutlook, outlook
from scholingsfonds.funds.domain.policy import Policy
from scholingsfonds.funds.domain.policy_file import policy_from_dict


class Municipality(models.Model):
    cbs_code = models.CharField(max_length=6, unique=True)
    name = models.CharField(max_length=80)
    region = models.CharField(max_length=80)
    province = models.CharField(max_length=40)
    # For the risk split over municipalities by population (entered by an administrator).
    population = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("gemeente")
        verbose_name_plural = _("gemeenten")

    def __str__(self) -> str:
        return self.name


class Fund(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    short_name = models.CharField(max_length=40)
    region_name = models.CharField(max_length=80)
    intro_nl = models.TextField(blank=True)
    intro_en = models.TextField(blank=True)
    contact_email = models.EmailField(blank=True)
    staff = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="funds")
    reference_prefix = models.CharField(max_length=6)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def intro(self) -> str:
        """The fund's introduction in the visitor's language (Dutch when no English is given)."""
        return (self.intro_en if get_language() == "en" else "") or self.intro_nl

    def policy_on(self, day: date) -> "PolicyVersion | None":
        return (
            self.policy_versions.filter(valid_from__lte=day)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )

    def policy_outlook(self, day: date) -> PeriodOutlook:
        """Where the fund's policy periods stand on `day`: open, ending, ended, upcoming."""
        # .all() so that a prefetch of policy_versions (a list of funds) is used, not redone.
        periods = [Period(v.version, v.valid_from, v.valid_to) for v in self.policy_versions.all()]
        return outlook(periods, day)


class PolicyVersion(models.Model):
    """One policy period of a fund, loaded from policies/<file>.toml; never edited in place."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="policy_versions")
    version = models.CharField(max_length=40, unique=True)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    data: Any = models.JSONField()
    source_file = models.CharField(max_length=120)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["fund", "-valid_from"]

    def __str__(self) -> str:
        return self.version

    @property
    def policy(self) -> Policy:
        return policy_from_dict(self.data)

    def municipalities(self) -> models.QuerySet[Municipality]:
        return Municipality.objects.filter(cbs_code__in=self.policy.municipalities)


class Occupation(models.Model):
    isco08 = models.CharField(max_length=8, unique=True)
    title_nl = models.CharField(max_length=120)
    title_en = models.CharField(max_length=160)
    shortage_class = models.CharField(max_length=40, blank=True)
    priority_sector = models.CharField(max_length=40, blank=True)

    class Meta:
        ordering = ["title_nl"]

    def __str__(self) -> str:
        return f"{self.title_nl} ({self.isco08})"


class PromisingOccupationList(models.Model):
    """UWV's list of promising occupations for a region from a date (kansrijke beroepen)."""

    region_name = models.CharField(max_length=80)
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    source = models.CharField(max_length=200)
    is_demo = models.BooleanField(default=False)
    occupations = models.ManyToManyField(Occupation, related_name="promising_lists")

    class Meta:
        ordering = ["region_name", "-valid_from"]

    def __str__(self) -> str:
        label = " (demo)" if self.is_demo else ""
        return f"{self.region_name} {self.valid_from}{label}"

    @classmethod
    def in_force(cls, region_name: str, day: date) -> "PromisingOccupationList | None":
        return (
            cls.objects.filter(region_name=region_name, valid_from__lte=day)
            .filter(models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day))
            .order_by("-valid_from")
            .first()
        )

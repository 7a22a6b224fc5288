"""The advisor's work: time slots, the LLO conversation, the arbeidsmarkttoets, the financing
arrangement, the occupation list imports, the financing schemes and the conversation targets."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.advising.domain.schemes import Scheme as DomainScheme
from scholingsfonds.advising.domain.schemes import scheme_from_dict
from scholingsfonds.applications.models import Application
from scholingsfonds.core.choices import choices, text_choices
from scholingsfonds.core.domain.vocabulary import (
    EDUCATION_LEVELS,
    LABOUR_MARKET_RESULTS,
    WORK_STATUSES,
)
from scholingsfonds.funds.models import Fund, Occupation, PromisingOccupationList


class Location(models.TextChoices):
    LEERWERKLOKET = "leerwerkloket", _("Leerwerkloket")
    LOOPBAANSTATION = "loopbaanstation", _("Loopbaanstation")
    PHONE = "phone", _("Telefonisch")
    VIDEO = "video", _("Beeldbellen")


class TimeSlot(models.Model):
    """An advisor's free hour (or part of it) at a location, which a conversation can book."""

    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="advising_slots"
    )
    location = models.CharField(max_length=20, choices=Location.choices)
    place = models.CharField(_("adres of plek"), max_length=200, blank=True)
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "advisor_id"]
        constraints = [
            models.UniqueConstraint(fields=["advisor", "starts_at"], name="one_slot_per_start"),
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.starts_at:%Y-%m-%d %H:%M} {self.location}"

    @property
    def place_or_location(self) -> str:
        return self.place or str(self.get_location_display())


class Conversation(models.Model):
    Location = Location

    class Status(models.TextChoices):
        PLANNED = "planned", _("Gepland")
        HELD = "held", _("Gevoerd")
        NO_SHOW = "no_show", _("Niet verschenen")
        CANCELLED = "cancelled", _("Geannuleerd")

    class Outcome(models.TextChoices):
        VOUCHER = "voucher", _("Aanvraag scholingscheque")
        REFERRAL = "referral", _("Doorverwijzing")
        NONE = "none", _("Geen vervolg")

    class ReferralKind(models.TextChoices):
        UWV = "uwv", _("UWV")
        OO_FUND = "oo_fund", _("O&O-fonds van de sector")
        LEERWERKLOKET = "leerwerkloket", _("Andere dienst van het Leerwerkloket")
        DEBT = "debt", _("Schuldhulpverlening")
        MUNICIPALITY = "municipality", _("Gemeente (werk en inkomen)")
        EDUCATION = "education", _("Onderwijs of opleider")
        OTHER = "other", _("Anders")

    class SkillSource(models.TextChoices):
        WORK = "work", _("Huidig of laatste werk")
        OTHER_WORK = "other_work", _("Ander of eerder werk")
        HOBBY = "hobby", _("Hobby's")
        VOLUNTEERING = "volunteering", _("Vrijwilligerswerk")
        CARE = "care", _("Mantelzorg")
        EDUCATION = "education", _("Opleiding of cursus")

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="conversations"
    )
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PLANNED)
    scheduled_at = models.DateTimeField()
    duration_minutes = models.PositiveSmallIntegerField(default=45)
    location = models.CharField(max_length=20, choices=Location.choices)
    place = models.CharField(max_length=200, blank=True)
    slot = models.OneToOneField(
        TimeSlot, null=True, blank=True, on_delete=models.PROTECT, related_name="conversation"
    )
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # An update of the same appointment keeps the .ics UID and raises SEQUENCE (RFC 5546).
    sequence = models.PositiveIntegerField(default=0)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    held_at = models.DateTimeField(null=True, blank=True)
    identity_checked = models.BooleanField(default=False)
    notes = models.TextField(blank=True)
    # The conversation record (LLO-gesprek): the advisor's view, next to what the form said.
    situation = models.TextField(blank=True)
    work_status = models.CharField(max_length=12, choices=choices(WORK_STATUSES), blank=True)
    education_level = models.CharField(max_length=10, choices=choices(EDUCATION_LEVELS), blank=True)
    question = models.TextField(blank=True)
    skills = models.TextField(blank=True)
    skill_sources: Any = models.JSONField(default=list, blank=True)
    target_occupation = models.ForeignKey(
        Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    advice = models.TextField(blank=True)
    follow_up = models.TextField(blank=True)
    follow_up_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices, blank=True)
    referral_kind = models.CharField(max_length=20, choices=ReferralKind.choices, blank=True)
    referral_to = models.CharField(max_length=120, blank=True)
    referral_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-scheduled_at"]
        indexes = [
            models.Index(fields=["advisor", "scheduled_at"]),
            models.Index(fields=["status", "scheduled_at"]),
        ]

    def __str__(self) -> str:
        return f"gesprek {self.application_id} {self.scheduled_at:%Y-%m-%d}"

    @property
    def ends_at(self) -> datetime:
        return self.scheduled_at + timedelta(minutes=self.duration_minutes)

    @property
    def place_or_location(self) -> str:
        return self.place or str(self.get_location_display())

    @property
    def skill_source_labels(self) -> list[str]:
        labels = dict(self.SkillSource.choices)
        return [str(labels.get(code, code)) for code in self.skill_sources]


class LabourMarketTest(models.Model):
    """Ordinance art. 4: an occupation on the promising list, or the advisor's motivation."""

    # Kept for the callers that name a result (Result.LISTED); the vocabulary defines them.
    Result = text_choices("Result", LABOUR_MARKET_RESULTS)

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
    result = models.CharField(max_length=10, choices=choices(LABOUR_MARKET_RESULTS))
    advisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    # The occupation and the list entry as they were on the test date: a later import may
    # rename the occupation or close the list, the test still shows what was tested.
    occupation_code = models.CharField(max_length=8, blank=True)
    occupation_title = models.CharField(max_length=160, blank=True)
    occupation_shortage_class = models.CharField(max_length=40, blank=True)
    list_source = models.CharField(max_length=200, blank=True)
    list_valid_from = models.DateField(null=True, blank=True)

    def __str__(self) -> str:
        return f"arbeidsmarkttoets {self.application_id}: {self.result}"

    @property
    def occupation_as_tested(self) -> str:
        """The occupation as it was called on the test date."""
        if self.occupation_title:
            return f"{self.occupation_title} ({self.occupation_code})"
        return str(self.occupation)


class Scheme(models.Model):
    """One version of a financing scheme, loaded from policies/schemes/*.toml; never edited."""

    key = models.CharField(max_length=40)
    version = models.CharField(max_length=40)
    kind = models.CharField(max_length=20)
    order = models.PositiveSmallIntegerField()
    valid_from = models.DateField()
    valid_to = models.DateField(null=True, blank=True)
    data: Any = models.JSONField()
    source_file = models.CharField(max_length=120)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "key", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="one_scheme_version"),
        ]

    def __str__(self) -> str:
        return f"{self.key} {self.version}"

    @property
    def scheme(self) -> DomainScheme:
        return scheme_from_dict(self.data)


class ConversationTarget(models.Model):
    """How many LLO conversations a fund aims for in a year (Twente: 1,375)."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    conversations = models.PositiveIntegerField()
    source = models.CharField(max_length=200, blank=True)
    # An open-ended target: it also holds for later years that have no target of their own.
    continues = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["fund", "year"]
        constraints = [
            models.UniqueConstraint(fields=["fund", "year"], name="one_target_per_fund_year"),
        ]

    def __str__(self) -> str:
        return f"{self.fund} {self.year}: {self.conversations}"


class FinancingArrangement(models.Model):
    """The advice across schemes the advisor saved for an application (the latest counts)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="financing_arrangements"
    )
    saved_at = models.DateTimeField(auto_now_add=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    computed_on = models.DateField()
    cost_cents = models.BigIntegerField()
    fund_cents = models.BigIntegerField()
    own_cents = models.BigIntegerField()
    # The facts the rules used (no name, no BSN, no birth date) and the whole stack with its
    # rule outcomes and scheme versions: the advice can be shown again exactly as given.
    facts: Any = models.JSONField()
    stack: Any = models.JSONField()

    class Meta:
        ordering = ["-saved_at", "-id"]

    def __str__(self) -> str:
        return f"financiering {self.application_id} {self.computed_on}"

    @property
    def parts(self) -> list[dict[str, Any]]:
        return list(self.stack.get("parts", []))

    @property
    def paying_parts(self) -> list[dict[str, Any]]:
        return [p for p in self.parts if p.get("amount_cents")]


class OccupationImport(models.Model):
    """A CSV of occupations for one region and start date: previewed, then applied or not."""

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Voorbeeld")
        APPLIED = "applied", _("Verwerkt")
        DISCARDED = "discarded", _("Niet verwerkt")

    region_name = models.CharField(max_length=80)
    valid_from = models.DateField()
    source = models.CharField(max_length=200)
    file_name = models.CharField(max_length=200)
    content = models.TextField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    applied_at = models.DateTimeField(null=True, blank=True)
    report: Any = models.JSONField(default=dict, blank=True)
    promising_list = models.ForeignKey(
        PromisingOccupationList, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return f"import {self.region_name} {self.valid_from} ({self.status})"

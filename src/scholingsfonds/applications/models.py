"""Applications for a training voucher, from the short form to completeness."""

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.applications.domain import states
from scholingsfonds.employers.models import Employer
from scholingsfonds.funds.models import Fund, Municipality, Occupation, PolicyVersion
from scholingsfonds.providers.models import Provider


class Route(models.TextChoices):
    INDIVIDUAL = "individual", _("Individuele route")
    EMPLOYER = "employer", _("Werkgeversroute")


class WorkStatus(models.TextChoices):
    EMPLOYEE = "employee", _("Ik werk in loondienst")
    JOB_SEEKER = "job_seeker", _("Ik zoek werk")
    ZZP = "zzp", _("Ik ben zelfstandige zonder personeel (zzp'er)")


class EducationLevel(models.TextChoices):
    NONE = "none", _("Basisonderwijs of geen diploma")
    VMBO = "vmbo", _("Vmbo of mavo")
    MBO12 = "mbo12", _("Mbo niveau 1 of 2")
    MBO34 = "mbo34", _("Mbo niveau 3 of 4")
    HAVO_VWO = "havo_vwo", _("Havo of vwo")
    HBO = "hbo", _("Hbo")
    WO = "wo", _("Wo (universiteit)")
    FOREIGN = "foreign", _("Diploma uit het buitenland")


class TrainingLevel(models.TextChoices):
    MBO1 = "mbo1", _("Mbo 1")
    MBO2 = "mbo2", _("Mbo 2")
    MBO3 = "mbo3", _("Mbo 3")
    MBO4 = "mbo4", _("Mbo 4")
    HBO = "hbo", _("Hbo")
    WO = "wo", _("Wo")
    OTHER = "other", _("Ander niveau (cursus, certificaat)")


class CareerRoute(models.TextChoices):
    SAME_JOB = "same_job", _("Zelfde baan, sterker in mijn werk")
    SAME_SECTOR = "same_sector", _("Ander werk in dezelfde sector")
    OTHER_SECTOR = "other_sector", _("Ander werk in een andere sector")
    TO_WORK = "to_work", _("Van geen werk naar werk")


class HeardVia(models.TextChoices):
    EMPLOYER = "employer", _("Via mijn werkgever")
    UWV_MUNICIPALITY = "uwv_municipality", _("Via UWV of de gemeente")
    CAMPAIGN = "campaign", _("Via een campagne (IKBINDR, sociale media, advertentie)")
    LEERWERKLOKET = "leerwerkloket", _("Via het Leerwerkloket of Loopbaanstation")
    PROVIDER = "provider", _("Via een opleider")
    FRIENDS = "friends", _("Via familie, vrienden of collega's")
    OTHER = "other", _("Anders")


# Voluntary monitoring questions (docs/domain.md: the dashboard reports gender and migration
# background, "only where voluntarily given"). Never a condition, never shown on a case.
class Gender(models.TextChoices):
    WOMAN = "woman", _("Vrouw")
    MAN = "man", _("Man")
    OTHER = "other", _("Anders")
    NOT_SAID = "not_said", _("Wil ik niet zeggen")


class MigrationBackground(models.TextChoices):
    YES = "yes", _("Ja")
    NO = "no", _("Nee")
    NOT_SAID = "not_said", _("Wil ik niet zeggen")


class CofinancingPayer(models.TextChoices):
    EMPLOYER = "employer", _("Werkgever")
    BENEFITS_AGENCY = "benefits_agency", _("Uitkeringsinstantie (UWV of gemeente)")
    OO_FUND = "oo_fund", _("O&O-fonds")
    APPLICANT = "applicant", _("Aanvrager zelf")


STATE_CHOICES = [(key, label) for key, label in states.STATE_LABELS_NL.items()]


class Application(models.Model):
    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="applications")
    policy_version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT)
    reference = models.CharField(max_length=24, unique=True)
    state = models.CharField(max_length=30, choices=STATE_CHOICES, default=states.SUBMITTED)
    route = models.CharField(max_length=12, choices=Route.choices)
    submitted_at = models.DateTimeField()
    # A replayed form (double click, back button) carries the same key: one application.
    submission_key = models.CharField(max_length=64, unique=True)
    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="applications"
    )
    submitted_on_behalf_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    # The short form: only what the process needs at this step (docs/domain.md, settled readings).
    first_name = models.CharField(_("voornaam"), max_length=60)
    last_name = models.CharField(_("achternaam"), max_length=80)
    email = models.EmailField(_("e-mailadres"))
    phone = models.CharField(_("telefoonnummer"), max_length=20, blank=True)
    birth_date = models.DateField(_("geboortedatum"))
    postcode = models.CharField(_("postcode"), max_length=7, blank=True)
    municipality = models.ForeignKey(
        Municipality, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    work_status = models.CharField(_("werksituatie"), max_length=12, choices=WorkStatus.choices)
    education_level = models.CharField(
        _("hoogst behaalde opleiding"), max_length=10, choices=EducationLevel.choices
    )
    career_route = models.CharField(_("loopbaanroute"), max_length=14, choices=CareerRoute.choices)
    question = models.TextField(_("uw vraag"), max_length=2000)
    heard_via = models.CharField(_("hoe kent u het fonds"), max_length=20, choices=HeardVia.choices)
    # Vrijwillig, alleen voor statistiek: empty when the person skipped the question.
    gender = models.CharField(_("geslacht"), max_length=10, choices=Gender.choices, blank=True)
    migration_background = models.CharField(
        _("migratieachtergrond"), max_length=10, choices=MigrationBackground.choices, blank=True
    )

    employer = models.ForeignKey(
        Employer, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    employer_contribution_percent = models.PositiveSmallIntegerField(null=True, blank=True)

    # Known after the conversation; with all three the application is complete (Awb 4:2).
    training_title = models.CharField(_("opleiding"), max_length=200, blank=True)
    training_level = models.CharField(
        _("niveau van de opleiding"), max_length=6, choices=TrainingLevel.choices, blank=True
    )
    training_sector = models.CharField(_("sector"), max_length=40, blank=True)
    provider = models.ForeignKey(
        Provider, null=True, blank=True, on_delete=models.PROTECT, related_name="applications"
    )
    cost_cents = models.BigIntegerField(_("totale kosten"), null=True, blank=True)
    cofinancing: Any = models.JSONField(default=list, blank=True)
    target_occupation = models.ForeignKey(
        Occupation, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Recorded at the conversation from an identity document, only when the process needs it.
    bsn = models.CharField(_("BSN"), max_length=9, blank=True)

    rule_outcomes: Any = models.JSONField(default=list, blank=True)
    rules_evaluated_on = models.DateField(null=True, blank=True)
    complete_on = models.DateField(null=True, blank=True)
    decision_due_on = models.DateField(null=True, blank=True)
    requested_cents = models.BigIntegerField(null=True, blank=True)
    # First-come-first-served windows: the number given under the lock that claims the money.
    receipt_number = models.PositiveIntegerField(null=True, blank=True)
    ceiling_refused = models.BooleanField(default=False)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [models.Index(fields=["fund", "state"])]
        constraints = [
            models.UniqueConstraint(
                fields=["policy_version", "receipt_number"], name="unique_receipt_per_window"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def state_label(self) -> str:
        return str(dict(STATE_CHOICES).get(self.state, self.state))

    @property
    def is_decided(self) -> bool:
        """Granted, refused, referred or withdrawn: no decision term runs any more."""
        return self.state in states.TERMINAL_STATES

    @property
    def cofinancing_cents(self) -> int:
        return sum(int(part["amount_cents"]) for part in self.cofinancing)

    @property
    def is_complete(self) -> bool:
        return bool(self.training_title and self.provider_id and self.cost_cents)


class RepairRequest(models.Model):
    """A request to complete the application (Awb 4:5); it suspends the decision term (4:15)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="repair_requests"
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_on = models.DateField()
    deadline = models.DateField()
    what = models.TextField()
    resolved_on = models.DateField(null=True, blank=True)
    response = models.TextField(blank=True)

    class Meta:
        ordering = ["-requested_on", "-id"]

    def __str__(self) -> str:
        return f"aanvulling {self.application_id} {self.requested_on}"

    @property
    def suspension(self) -> tuple[date, date | None]:
        return (self.requested_on, self.resolved_on)


class ApplicationWindow(models.Model):
    """The order of receipt in a first-come-first-served window (Awb 4:25).

    Its row is the one lock every submission in the window takes: it hands out receipt
    numbers and, in the same transaction, the claims on the budget follow that order.
    """

    policy_version = models.OneToOneField(
        PolicyVersion, on_delete=models.PROTECT, related_name="application_window"
    )
    last_receipt_number = models.PositiveIntegerField(default=0)
    # The smallest amount refused for the ceiling so far: a later application asking as much
    # or more is refused too, even if money came back, so nobody overtakes an earlier person.
    lowest_refused_cents = models.BigIntegerField(null=True, blank=True)

    def __str__(self) -> str:
        return f"venster {self.policy_version}"

"""The budget ledger: funders' sources, an append-only journal and derived balances."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from scholingsfonds.funds.models import Fund


class SpendingCategory(models.TextChoices):
    VOUCHERS = "vouchers", _("Scholingscheques")
    ADVICE = "advice", _("Advies (gesprekken)")
    MOTIVATION = "motivation", _("Motivatie (campagnes)")
    MANAGEMENT = "management", _("Beheer")
    INFLATION = "inflation", _("Inflatiereserve")
    OTHER = "other", _("Overig")


class FundingSource(models.Model):
    """One funder's pledge for one spending category, with its earmarks."""

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="funding_sources")
    name = models.CharField(max_length=160)
    funder = models.CharField(max_length=120)
    category = models.CharField(max_length=20, choices=SpendingCategory.choices)
    routes = models.JSONField(default=list, blank=True, help_text="empty = every route")
    sectors = models.JSONField(default=list, blank=True, help_text="empty = every sector")
    target_groups = models.JSONField(
        default=list, blank=True, help_text="work situations; empty = everyone"
    )
    period_start = models.DateField()
    period_end = models.DateField()
    restricted = models.BooleanField(default=False)
    order = models.PositiveSmallIntegerField(default=0)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["fund", "order", "id"]

    def __str__(self) -> str:
        return self.name


class SourceBalance(models.Model):
    """Derived balances per source, updated in the same transaction as the journal."""

    AMOUNT_FIELDS = (
        "pledged_cents",
        "available_cents",
        "claimed_cents",
        "committed_cents",
        "paid_cents",
        "released_cents",
        "returned_cents",
        "carried_cents",
    )

    source = models.OneToOneField(FundingSource, on_delete=models.PROTECT, related_name="balance")
    pledged_cents = models.BigIntegerField(default=0)
    available_cents = models.BigIntegerField(default=0)
    claimed_cents = models.BigIntegerField(default=0)
    committed_cents = models.BigIntegerField(default=0)
    paid_cents = models.BigIntegerField(default=0)
    released_cents = models.BigIntegerField(default=0)
    # At and after the close of the source's period: given back to the funder, or carried over
    # to a source of the next period. pledged = available+claimed+committed+paid+these two.
    returned_cents = models.BigIntegerField(default=0)
    carried_cents = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # The last line of defence: the fund never spends what funders did not commit.
            models.CheckConstraint(
                condition=models.Q(available_cents__gte=0), name="balance_available_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(claimed_cents__gte=0), name="balance_claimed_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(committed_cents__gte=0), name="balance_committed_not_negative"
            ),
            # A recovery can never give back more than was paid, nor a reallocation move more
            # than was pledged.
            models.CheckConstraint(
                condition=models.Q(paid_cents__gte=0), name="balance_paid_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(pledged_cents__gte=0), name="balance_pledged_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(returned_cents__gte=0), name="balance_returned_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(carried_cents__gte=0), name="balance_carried_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return f"saldo {self.source_id}"


class JournalTransaction(models.Model):
    class Kind(models.TextChoices):
        PLEDGE = "pledge", _("Toezegging")
        CLAIM = "claim", _("Claim")
        COMMIT = "commit", _("Verplichting")
        PAY = "pay", _("Betaling")
        RELEASE = "release", _("Vrijval")
        RETURN = "return", _("Terugbetaling aan financier")
        CARRY_OVER = "carry_over", _("Overheveling naar volgende periode")

    fund = models.ForeignKey(Fund, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    ref = models.CharField(max_length=40, blank=True, db_index=True)
    memo = models.CharField(max_length=240, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.kind} {self.ref} #{self.pk}"


class Posting(models.Model):
    class Account(models.TextChoices):
        PLEDGE = "pledge", _("Toezegging financier")
        AVAILABLE = "available", _("Beschikbaar")
        CLAIMED = "claimed", _("Geclaimd")
        COMMITTED = "committed", _("Verplicht")
        PAID = "paid", _("Betaald")
        RETURNED = "returned", _("Terug naar financier")
        CARRIED = "carried", _("Overgeheveld")

    transaction = models.ForeignKey(
        JournalTransaction, on_delete=models.PROTECT, related_name="postings"
    )
    source = models.ForeignKey(FundingSource, on_delete=models.PROTECT, related_name="postings")
    account = models.CharField(max_length=10, choices=Account.choices)
    ref = models.CharField(max_length=40, blank=True, db_index=True)
    amount_cents = models.BigIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.account} {self.amount_cents}"


class SourceClosure(models.Model):
    """The close of a funding source after its period: what happens to the money left.

    Finance proposes, a second person approves (four eyes). From the approval on, the money
    still available goes back to the funder or on to a named source of the next period (with
    the funder's written consent), and so does every euro released on the source later.
    """

    class Decision(models.TextChoices):
        RETURN = "return", _("Terugbetalen aan de financier")
        CARRY_OVER = "carry_over", _("Overhevelen naar de volgende periode")

    source = models.OneToOneField(FundingSource, on_delete=models.PROTECT, related_name="closure")
    decision = models.CharField(max_length=12, choices=Decision.choices)
    carry_to = models.ForeignKey(
        FundingSource, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # The funder's written consent to carry over (letter, decision number).
    consent_reference = models.CharField(max_length=200, blank=True)
    note = models.TextField(blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    # What was still available at the approval and was returned or carried over then.
    closed_cents = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-proposed_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="return", carry_to__isnull=True)
                | models.Q(decision="carry_over", carry_to__isnull=False),
                name="closure_carry_over_names_its_source",
            ),
        ]

    def __str__(self) -> str:
        return f"afsluiting {self.source}"

    @property
    def approved(self) -> bool:
        return self.approved_at is not None

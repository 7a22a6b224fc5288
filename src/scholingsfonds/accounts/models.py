"""People who log in: staff of a fund, applicants, employers and providers."""

import hashlib
from datetime import timedelta

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    APPLICANT = "applicant", _("Aanvrager")
    EMPLOYER = "employer", _("Werkgever")
    PROVIDER = "provider", _("Opleider")
    ADVISOR = "advisor", _("Loopbaanadviseur")
    ASSESSOR = "assessor", _("Beoordelaar")
    FINANCE = "finance", _("Financiën")
    MANAGER = "manager", _("Manager")
    AUDITOR = "auditor", _("Auditor")
    FUNDER = "funder", _("Financier")
    ADMINISTRATOR = "administrator", _("Beheerder")


STAFF_ROLES = frozenset(
    {Role.ADVISOR, Role.ASSESSOR, Role.FINANCE, Role.MANAGER, Role.AUDITOR, Role.ADMINISTRATOR}
)


class User(AbstractUser):
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.APPLICANT)
    email = models.EmailField(_("e-mailadres"), unique=True)

    def __str__(self) -> str:
        return self.get_full_name() or self.email or self.username

    @property
    def is_fund_staff(self) -> bool:
        return self.role in STAFF_ROLES


class LoginToken(models.Model):
    """A one-time e-mail link: only its hash is stored, it works once, for 30 minutes."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    VALID_FOR = timedelta(minutes=30)

    def __str__(self) -> str:
        return f"login link for {self.user_id}"

    @staticmethod
    def hash(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

"""Reads for the API: the caller's token, funds with their policy periods, the policy in
force, providers and a person's own application."""

from datetime import date
from typing import Any

from django.db.models import Q, QuerySet

from scholingsfonds.api.models import ApiToken
from scholingsfonds.applications.models import Application
from scholingsfonds.funds.models import Fund, PolicyVersion
from scholingsfonds.providers.models import Provider

# A reference is at most this long; a longer path segment cannot match one.
REFERENCE_LENGTH = 24


def api_token_active(key: str) -> ApiToken | None:
    """The token with this key (looked up by its hash), with its user, if that user is active."""
    return (
        ApiToken.objects.select_related("user")
        .filter(key_hash=ApiToken.hash(key), user__is_active=True)
        .first()
    )


def funds_with_policy_versions() -> QuerySet[Fund]:
    """Every fund by name, its policy periods fetched with it (one query for all)."""
    return Fund.objects.prefetch_related("policy_versions").order_by("name")


def fund_exists(slug: str) -> bool:
    return Fund.objects.filter(slug=slug).exists()


def policy_version_with_fund(slug: str, today: date) -> PolicyVersion | None:
    """Fund.policy_on(today), with the fund, in one query."""
    return (
        PolicyVersion.objects.select_related("fund")
        .filter(fund__slug=slug, valid_from__lte=today)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
        .order_by("-valid_from")
        .first()
    )


def provider_approved(provider_id: int) -> Provider | None:
    """A provider an application may name: registered and approved."""
    return Provider.objects.filter(pk=provider_id, status=Provider.Status.APPROVED).first()


def application_own(*, user: Any, reference: str) -> Application | None:
    """One of this person's own applications by reference; anyone else's is not found."""
    return (
        Application.objects.select_related("fund", "provider")
        .filter(reference=reference[:REFERENCE_LENGTH], applicant=user)
        .first()
    )

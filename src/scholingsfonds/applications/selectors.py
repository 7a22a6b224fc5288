"""Reads for applications."""

from typing import Any

from django.db.models import QuerySet

from scholingsfonds.applications.models import Application
from scholingsfonds.funds.models import Fund


def applications_for_applicant(*, user: Any) -> QuerySet[Application]:
    return Application.objects.filter(applicant=user).select_related("fund")


def applications_for_employer(*, user: Any) -> QuerySet[Application]:
    return Application.objects.filter(employer__users=user).select_related("fund", "employer")


def funds_open() -> QuerySet[Fund]:
    return Fund.objects.all()


def staff_funds(*, user: Any) -> QuerySet[Fund]:
    if getattr(user, "role", "") == "administrator":
        return Fund.objects.all()
    return Fund.objects.filter(staff=user)


def application_for_staff(*, user: Any, reference: str, can: Any) -> Application:
    """Fetch a case by reference for a staff page; 404 when unknown, 403 when not allowed."""
    from django.core.exceptions import PermissionDenied
    from django.shortcuts import get_object_or_404

    application = get_object_or_404(
        Application.objects.select_related(
            "fund", "policy_version", "municipality", "provider", "employer"
        ),
        reference=reference,
    )
    allowed, reason = can(user, application)
    if not allowed:
        raise PermissionDenied(reason)
    return application

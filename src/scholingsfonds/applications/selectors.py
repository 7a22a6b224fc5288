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


def application_by_reference(reference: str) -> Application | None:
    """A case by its reference, with its fund; who may see it is the caller's check."""
    return Application.objects.select_related("fund").filter(reference=reference).first()


def applications_own(*, user: Any) -> QuerySet[Application]:
    """A person's own applications, or, for an employer, those of its employees; newest first."""
    if getattr(user, "role", "") == "employer":
        applications = Application.objects.filter(employer__users=user)
    else:
        applications = Application.objects.filter(applicant=user)
    return applications.select_related("fund").order_by("-submitted_at")


def application_received(*, reference: str, fund_slug: str) -> Application | None:
    """An application of this fund by reference, for its receipt page."""
    return Application.objects.filter(reference=reference, fund__slug=fund_slug).first()


def applications_received_together(*, references: list[str], employer_id: int) -> list[Application]:
    """The applications an employer sent in one form, among the references given."""
    return list(
        Application.objects.filter(reference__in=references, employer_id=employer_id).order_by("id")
    )


def application_by_submission_key(submission_key: str) -> Application | None:
    """The application a form or API call with this key created, if any (a replay)."""
    return Application.objects.filter(submission_key=submission_key).first()

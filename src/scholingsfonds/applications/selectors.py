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

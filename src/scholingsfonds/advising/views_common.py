"""What the advising views share: the case by reference, a permission verdict, the way back."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from scholingsfonds.advising.permissions import can_advise
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.selectors import application_for_staff
from scholingsfonds.core.domain.errors import DomainError


def advised_case(request: HttpRequest, reference: str) -> Application:
    """The case the advisor opens: 404 when unknown, 403 when not theirs to advise."""
    return application_for_staff(user=request.user, reference=reference, can=can_advise)


def require(verdict: tuple[bool, str]) -> None:
    allowed, reason = verdict
    if not allowed:
        raise PermissionDenied(reason)


def to_case(application: Application, anchor: str = "") -> HttpResponse:
    response = redirect("advising:case", reference=application.reference)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def case_error(request: HttpRequest, application: Application, error: DomainError) -> HttpResponse:
    messages.error(request, error.message_nl)
    return to_case(application)

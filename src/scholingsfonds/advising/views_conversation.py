"""The conversation on the case page: invite, move, cancel, no-show, record what was said."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.advising.forms import CancelForm, ConversationForm, InviteForm, RescheduleForm
from scholingsfonds.advising.models import Conversation
from scholingsfonds.advising.selectors.agenda import free_slots
from scholingsfonds.advising.selectors.cases import conversation_to_record, planned_conversation
from scholingsfonds.advising.services.conversations import (
    conversation_cancel,
    conversation_invite,
    conversation_no_show,
    conversation_record,
    conversation_reschedule,
)
from scholingsfonds.advising.views_case import render_case
from scholingsfonds.advising.views_common import advised_case, case_error, to_case
from scholingsfonds.applications.models import Application
from scholingsfonds.core.domain.errors import DomainError


def _planned_or_404(application: Application) -> Conversation:
    planned = planned_conversation(application)
    if planned is None:
        raise Http404(_("Er staat geen gesprek gepland."))
    return planned


@login_required
@require_POST
def invite(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    form = InviteForm(request.POST, slots=free_slots(fund=application.fund))
    if not form.is_valid():
        return render_case(request, application, invite_form=form)
    data = form.cleaned_data
    try:
        conversation_invite(
            application=application,
            actor=request.user,
            slot=data["slot"],
            scheduled_at=data["scheduled_at"],
            location=data["location"],
            place=data["place"],
        )
    except DomainError as error:
        return case_error(request, application, error)
    messages.success(request, _("De uitnodiging is verstuurd."))
    return to_case(application, "gesprek")


@login_required
@require_POST
def reschedule(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    planned = _planned_or_404(application)
    form = RescheduleForm(request.POST, slots=free_slots(fund=application.fund), prefix="verzet")
    if not form.is_valid():
        return render_case(request, application, reschedule_form=form)
    data = form.cleaned_data
    try:
        conversation_reschedule(
            conversation=planned,
            actor=request.user,
            slot=data["slot"],
            scheduled_at=data["scheduled_at"],
            location=data["location"],
            place=data["place"],
            reason=data["reason"],
        )
    except DomainError as error:
        return case_error(request, application, error)
    messages.success(
        request, _("Het gesprek is verzet; de aanvrager krijgt een nieuwe uitnodiging.")
    )
    return to_case(application, "gesprek")


@login_required
@require_POST
def cancel(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    planned = _planned_or_404(application)
    form = CancelForm(request.POST, prefix="annuleer")
    if not form.is_valid():
        return render_case(request, application, cancel_form=form)
    try:
        conversation_cancel(
            conversation=planned, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        return case_error(request, application, error)
    messages.success(request, _("Het gesprek is geannuleerd; de aanvrager heeft bericht."))
    return to_case(application, "gesprek")


@login_required
@require_POST
def no_show(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    planned = _planned_or_404(application)
    try:
        conversation_no_show(conversation=planned, actor=request.user)
    except DomainError as error:
        return case_error(request, application, error)
    messages.success(
        request, _("Vastgelegd: niet verschenen. Nodig de aanvrager opnieuw uit of sluit af.")
    )
    return to_case(application, "gesprek")


@login_required
@require_POST
def record_conversation(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    form = ConversationForm(request.POST)
    if not form.is_valid():
        return render_case(request, application, conversation_form=form)
    conversation = conversation_to_record(application, advisor=request.user)
    try:
        conversation_record(conversation=conversation, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        return case_error(request, application, error)
    messages.success(request, _("Het gesprek is vastgelegd."))
    return to_case(application, "opleiding")

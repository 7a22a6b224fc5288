"""The advisor's queue and case page, with the case's training, arbeidsmarkttoets,
completeness, repair requests and advice summary. The conversation's own actions are in
`views_conversation`."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.advising.documents import advice_summary_pdf
from scholingsfonds.advising.forms import (
    CancelForm,
    ConversationForm,
    InviteForm,
    LabourMarketTestForm,
    RepairForm,
    RepairResolveForm,
    RescheduleForm,
    TrainingForm,
)
from scholingsfonds.advising.permissions import ADVISOR_ROLES, can_view_advice_summary
from scholingsfonds.advising.selectors.agenda import free_slots
from scholingsfonds.advising.selectors.cases import (
    RECORDABLE,
    application_by_reference,
    case_conversations,
    follow_ups_due,
    latest_held,
    open_repair_request,
    personal_data_read,
    planned_conversation,
    queue_counts,
    queue_rows,
    repair_requests,
    upcoming_conversations,
)
from scholingsfonds.advising.selectors.financing import arrangement_stale, latest_arrangement
from scholingsfonds.advising.selectors.occupations import promising_ids
from scholingsfonds.advising.services.conversations import advice_summary_send
from scholingsfonds.advising.services.occupations import labour_market_test_record
from scholingsfonds.advising.views_common import advised_case, case_error, require, to_case
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.selectors import staff_funds
from scholingsfonds.applications.services import (
    application_mark_complete,
    application_record_training,
    repair_request_create,
    repair_request_resolve,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.permissions import has_role
from scholingsfonds.core.templatetags.sf import rule_label

# --- queue -------------------------------------------------------------------------------------


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *ADVISOR_ROLES):
        raise PermissionDenied(_("Alleen voor loopbaanadviseurs."))
    funds = staff_funds(user=request.user)
    state = request.GET.get("status", "")
    return render(
        request,
        "advising/queue.html",
        {
            "applications": queue_rows(funds=funds, state=state),
            "counts": queue_counts(funds=funds),
            "status": state,
            "funds": funds,
            "upcoming": upcoming_conversations(advisor=request.user),
            "follow_ups": follow_ups_due(advisor=request.user)[:20],
        },
    )


# --- the case page -----------------------------------------------------------------------------


@login_required
def case(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    return render_case(request, application)


def render_case(request: HttpRequest, application: Application, **forms: Any) -> HttpResponse:
    """The case page; with `forms`, the one that did not validate, shown with its errors."""
    show_personal = personal_data_read(viewer=request.user, application=application)
    test = getattr(application, "labour_market_test", None)
    initial_training = {
        "training_title": application.training_title,
        "training_level": application.training_level,
        "training_sector": application.training_sector,
        "provider": application.provider_id,
        "cost": application.cost_cents,
    }
    for n, part in enumerate(application.cofinancing[:3], start=1):
        initial_training[f"payer_{n}"] = part["payer"]
        initial_training[f"amount_{n}"] = part["amount_cents"]
        if part.get("employer_name"):
            initial_training["employer_name"] = part["employer_name"]
    planned = planned_conversation(application)
    held = latest_held(application)
    slots = free_slots(fund=application.fund)
    conversation_initial = {
        "work_status": application.work_status,
        "education_level": application.education_level,
        "question": application.question,
    }
    test_initial = {
        "occupation": test.occupation_id if test else (held.target_occupation_id if held else None),
        "motivation": test.motivation if test else "",
    }
    arrangement = latest_arrangement(application)
    context = {
        "application": application,
        "show_personal": show_personal,
        "arrangement_stale": arrangement_stale(arrangement, application),
        "conversations": case_conversations(application),
        "planned": planned,
        "held": held,
        "can_no_show": bool(planned and planned.scheduled_at <= timezone.now()),
        "test": test,
        "arrangement": arrangement,
        "repairs": repair_requests(application),
        "open_repair": open_repair_request(application),
        "invite_form": forms.get("invite_form") or InviteForm(slots=slots),
        "reschedule_form": forms.get("reschedule_form")
        or RescheduleForm(slots=slots, prefix="verzet"),
        "cancel_form": forms.get("cancel_form") or CancelForm(prefix="annuleer"),
        "conversation_form": forms.get("conversation_form")
        or ConversationForm(initial=conversation_initial),
        "training_form": forms.get("training_form") or TrainingForm(initial=initial_training),
        "test_form": forms.get("test_form")
        or LabourMarketTestForm(promising_ids=promising_ids(application), initial=test_initial),
        "repair_form": forms.get("repair_form") or RepairForm(),
        "resolve_form": forms.get("resolve_form") or RepairResolveForm(),
        "open_conversation": planned,
        "may_record": application.state in RECORDABLE,
        "states": states,
    }
    status = 400 if forms else 200
    return render(request, "advising/case.html", context, status=status)


# --- training, arbeidsmarkttoets, completeness ---------------------------------------------------


@login_required
@require_POST
def record_training(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    form = TrainingForm(request.POST)
    if not form.is_valid():
        return render_case(request, application, training_form=form)
    data = form.cleaned_data
    try:
        application_record_training(
            application=application,
            actor=request.user,
            training_title=data["training_title"],
            training_level=data["training_level"],
            training_sector=data["training_sector"],
            provider=data["provider"],
            cost_cents=data["cost"],
            cofinancing=data["cofinancing"],
            bsn=data.get("bsn") or "",
        )
    except DomainError as error:
        return case_error(request, application, error)
    messages.success(request, _("Opleiding en financiering zijn vastgelegd."))
    return to_case(application, "toets")


@login_required
@require_POST
def record_test(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    form = LabourMarketTestForm(request.POST, promising_ids=promising_ids(application))
    if not form.is_valid():
        return render_case(request, application, test_form=form)
    test = labour_market_test_record(
        application=application,
        actor=request.user,
        occupation=form.cleaned_data["occupation"],
        motivation=form.cleaned_data["motivation"],
    )
    if test.result == test.Result.FAILED:
        messages.warning(
            request,
            _(
                "Het beroep staat niet op de lijst van kansrijke beroepen. "
                "Motiveer het arbeidsmarktperspectief, of verwijs door."
            ),
        )
    else:
        messages.success(request, _("De arbeidsmarkttoets is vastgelegd."))
    return to_case(application, "toets")


@login_required
@require_POST
def mark_complete(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    try:
        application_mark_complete(application=application, actor=request.user)
    except DomainError as error:
        return case_error(request, application, error)
    messages.success(request, _("De aanvraag is compleet en gaat naar de beoordelaar."))
    failing = [o for o in application.rule_outcomes if o.get("passed") is False]
    if failing:
        messages.warning(
            request,
            _("Let op: niet aan alle voorwaarden is voldaan (%(rules)s). De beoordelaar ziet dit.")
            % {"rules": ", ".join(rule_label(o["rule_id"]) for o in failing)},
        )
    return redirect("advising:queue")


# --- repair requests ---------------------------------------------------------------------------


@login_required
@require_POST
def request_repair(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    form = RepairForm(request.POST)
    if not form.is_valid():
        return render_case(request, application, repair_form=form)
    try:
        repair_request_create(
            application=application,
            actor=request.user,
            what=form.cleaned_data["what"],
            days=form.cleaned_data["days"],
        )
    except DomainError as error:
        return case_error(request, application, error)
    messages.success(
        request, _("Het verzoek om aanvulling is verstuurd. De beslistermijn staat stil.")
    )
    return to_case(application)


@login_required
@require_POST
def resolve_repair(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    form = RepairResolveForm(request.POST)
    open_repair = open_repair_request(application)
    if open_repair is None:
        messages.error(request, _("Er staat geen verzoek om aanvulling open."))
        return to_case(application)
    if not form.is_valid():
        return render_case(request, application, resolve_form=form)
    try:
        repair_request_resolve(
            request=open_repair, actor=request.user, response=form.cleaned_data["response"]
        )
    except DomainError as error:
        return case_error(request, application, error)
    messages.success(request, _("De aanvulling is verwerkt. De beslistermijn loopt weer."))
    return to_case(application)


# --- the advice summary ------------------------------------------------------------------------


@login_required
def advice_summary(request: HttpRequest, reference: str) -> HttpResponse:
    application = application_by_reference(reference)
    if application is None:
        raise Http404
    require(can_view_advice_summary(request.user, application))
    if latest_held(application) is None:
        raise Http404(_("Er is nog geen gesprek gevoerd."))
    pdf = advice_summary_pdf(application)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="adviesrapport-{reference}.pdf"'
    return response


@login_required
@require_POST
def advice_summary_mail(request: HttpRequest, reference: str) -> HttpResponse:
    application = advised_case(request, reference)
    if latest_held(application) is None:
        messages.error(request, _("Er is nog geen gesprek gevoerd."))
        return to_case(application)
    advice_summary_send(application=application, actor=request.user)
    messages.success(request, _("Het adviesrapport is per e-mail naar de aanvrager gestuurd."))
    return to_case(application, "advies")

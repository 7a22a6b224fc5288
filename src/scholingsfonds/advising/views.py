"""The advisor's work queue and case page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.advising.forms import (
    ConversationForm,
    InviteForm,
    LabourMarketTestForm,
    RepairForm,
    RepairResolveForm,
    TrainingForm,
)
from scholingsfonds.advising.models import Conversation
from scholingsfonds.advising.services import (
    conversation_invite,
    conversation_record,
    labour_market_test_record,
)
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.permissions import can_view_personal_data
from scholingsfonds.applications.selectors import staff_funds
from scholingsfonds.applications.services import (
    application_mark_complete,
    application_record_training,
    repair_request_create,
    repair_request_resolve,
)
from scholingsfonds.core.audit import audit_personal_data_access
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.permissions import has_role, is_staff_of
from scholingsfonds.core.templatetags.sf import rule_label
from scholingsfonds.funds.models import PromisingOccupationList

ADVISOR_ROLES = ("advisor", "administrator")
QUEUE_STATES = (states.SUBMITTED, states.INVITED, states.CONVERSATION_HELD, states.REPAIR_REQUESTED)


def can_advise(user, application: Application) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    if has_role(user, *ADVISOR_ROLES) and is_staff_of(user, application.fund):
        return True, ""
    return False, _("Alleen adviseurs van dit fonds behandelen deze aanvraag.")


def _case(request: HttpRequest, reference: str) -> Application:
    application = get_object_or_404(
        Application.objects.select_related(
            "fund", "policy_version", "municipality", "provider", "employer"
        ),
        reference=reference,
    )
    allowed, reason = can_advise(request.user, application)
    if not allowed:
        raise PermissionDenied(reason)
    return application


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *ADVISOR_ROLES):
        raise PermissionDenied(_("Alleen voor loopbaanadviseurs."))
    funds = staff_funds(user=request.user)
    state = request.GET.get("status", "")
    applications = Application.objects.filter(fund__in=funds).select_related("fund", "municipality")
    applications = (
        applications.filter(state=state)
        if state in QUEUE_STATES
        else applications.filter(state__in=QUEUE_STATES)
    )
    counts = {s: Application.objects.filter(fund__in=funds, state=s).count() for s in QUEUE_STATES}
    return render(
        request,
        "advising/queue.html",
        {
            "applications": applications.order_by("submitted_at")[:200],
            "counts": [(s, states.STATE_LABELS_NL[s], counts[s]) for s in QUEUE_STATES],
            "status": state,
            "funds": funds,
        },
    )


@login_required
def case(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    return _render_case(request, application)


def _render_case(request: HttpRequest, application: Application, **forms) -> HttpResponse:  # type: ignore[no-untyped-def]
    show_personal, _reason = can_view_personal_data(request.user, application)
    if show_personal:
        audit_personal_data_access(
            actor=request.user, obj=application, fields=["birth_date", "bsn"]
        )
    test = getattr(application, "labour_market_test", None)
    initial_training = {
        "training_title": application.training_title,
        "training_level": application.training_level,
        "training_sector": application.training_sector,
        "provider": application.provider_id,
        "cost": application.cost_cents,
    }
    for n, part in enumerate(application.cofinancing[:2], start=1):
        initial_training[f"payer_{n}"] = part["payer"]
        initial_training[f"amount_{n}"] = part["amount_cents"]
    context = {
        "application": application,
        "show_personal": show_personal,
        "conversations": application.conversations.all(),
        "test": test,
        "repairs": application.repair_requests.all(),
        "open_repair": application.repair_requests.filter(resolved_on__isnull=True).first(),
        "invite_form": forms.get("invite_form") or InviteForm(),
        "conversation_form": forms.get("conversation_form") or ConversationForm(),
        "training_form": forms.get("training_form") or TrainingForm(initial=initial_training),
        "test_form": forms.get("test_form")
        or LabourMarketTestForm(
            promising_ids=_promising_ids(application),
            initial={
                "occupation": test.occupation_id if test else None,
                "motivation": test.motivation if test else "",
            },
        ),
        "repair_form": forms.get("repair_form") or RepairForm(),
        "resolve_form": forms.get("resolve_form") or RepairResolveForm(),
        "open_conversation": application.conversations.filter(held_at__isnull=True).first(),
        "states": states,
    }
    status = 400 if forms else 200
    return render(request, "advising/case.html", context, status=status)


def _promising_ids(application: Application) -> list[int]:
    promising = PromisingOccupationList.in_force(
        application.policy_version.policy.region_name, timezone.localdate()
    )
    return list(promising.occupations.values_list("pk", flat=True)) if promising else []


def _redirect(application: Application, anchor: str = "") -> HttpResponse:
    response = redirect("advising:case", reference=application.reference)
    if anchor:
        response["Location"] += f"#{anchor}"
    return response


def _domain_error(
    request: HttpRequest, application: Application, error: DomainError
) -> HttpResponse:
    messages.error(request, error.message_nl)
    return _redirect(application)


@login_required
@require_POST
def invite(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, invite_form=form)
    try:
        conversation_invite(
            application=application,
            actor=request.user,
            scheduled_at=form.cleaned_data["scheduled_at"],
            location=form.cleaned_data["location"],
        )
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("De uitnodiging is verstuurd."))
    return _redirect(application, "gesprek")


@login_required
@require_POST
def record_conversation(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = ConversationForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, conversation_form=form)
    conversation = application.conversations.filter(held_at__isnull=True).first() or Conversation(
        application=application,
        advisor=request.user,
        scheduled_at=application.submitted_at,
        location=Conversation.Location.LEERWERKLOKET,
    )
    try:
        conversation_record(conversation=conversation, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("Het gesprek is vastgelegd."))
    return _redirect(application, "opleiding")


@login_required
@require_POST
def record_training(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = TrainingForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, training_form=form)
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
        return _domain_error(request, application, error)
    messages.success(request, _("Opleiding en financiering zijn vastgelegd."))
    return _redirect(application, "toets")


@login_required
@require_POST
def record_test(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = LabourMarketTestForm(request.POST, promising_ids=_promising_ids(application))
    if not form.is_valid():
        return _render_case(request, application, test_form=form)
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
    return _redirect(application, "toets")


@login_required
@require_POST
def mark_complete(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    try:
        application_mark_complete(application=application, actor=request.user)
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("De aanvraag is compleet en gaat naar de beoordelaar."))
    failing = [o for o in application.rule_outcomes if o.get("passed") is False]
    if failing:
        messages.warning(
            request,
            _("Let op: niet aan alle voorwaarden is voldaan (%(rules)s). De beoordelaar ziet dit.")
            % {"rules": ", ".join(rule_label(o["rule_id"]) for o in failing)},
        )
    return redirect("advising:queue")


@login_required
@require_POST
def request_repair(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = RepairForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, repair_form=form)
    try:
        repair_request_create(
            application=application,
            actor=request.user,
            what=form.cleaned_data["what"],
            days=form.cleaned_data["days"],
        )
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(
        request, _("Het verzoek om aanvulling is verstuurd. De beslistermijn staat stil.")
    )
    return _redirect(application)


@login_required
@require_POST
def resolve_repair(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = RepairResolveForm(request.POST)
    open_repair = application.repair_requests.filter(resolved_on__isnull=True).first()
    if open_repair is None:
        messages.error(request, _("Er staat geen verzoek om aanvulling open."))
        return _redirect(application)
    if not form.is_valid():
        return _render_case(request, application, resolve_form=form)
    try:
        repair_request_resolve(
            request=open_repair, actor=request.user, response=form.cleaned_data["response"]
        )
    except DomainError as error:
        return _domain_error(request, application, error)
    messages.success(request, _("De aanvulling is verwerkt. De beslistermijn loopt weer."))
    return _redirect(application)

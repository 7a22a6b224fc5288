"""The assessor's queue and case page, the applicant's own pages and the letter download."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.accounts.forms import LinkRequestForm
from scholingsfonds.advising.forms import RepairForm
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.forms import new_submission_key
from scholingsfonds.applications.models import Application, ApplicationWindow
from scholingsfonds.applications.permissions import (
    can_apply_in_window,
    can_apply_on_behalf,
    can_view_application,
    can_view_personal_data,
)
from scholingsfonds.applications.selectors import application_for_staff, staff_funds
from scholingsfonds.applications.services import repair_request_create
from scholingsfonds.budget.selectors import voucher_money_available_cents
from scholingsfonds.core.audit import audit_personal_data_access
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.terms import days_overdue
from scholingsfonds.core.permissions import has_role, is_staff_of
from scholingsfonds.decisions.forms import (
    HearingForm,
    HearingResponseForm,
    RefuseForm,
    ReturnProposalForm,
    WindowForm,
)
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services import (
    decision_approve,
    decision_grant,
    decision_refuse,
    decision_return_proposal,
    hearing_close,
    hearing_respond,
    hearing_start,
    letter_store,
    proposed_amount_cents,
    window_access_send,
    window_application_submit,
)
from scholingsfonds.funds.models import Fund
from scholingsfonds.vouchers.services import voucher_cancel

ASSESSOR_ROLES = ("assessor", "administrator")
QUEUE_STATES = (
    states.COMPLETE,
    states.HEARING,
    states.AWAITING_SECOND_APPROVAL,
    states.REPAIR_REQUESTED,
)


def can_decide(user, application: Application) -> tuple[bool, str]:  # type: ignore[no-untyped-def]
    if has_role(user, *ASSESSOR_ROLES) and is_staff_of(user, application.fund):
        return True, ""
    return False, _("Alleen beoordelaars van dit fonds nemen een besluit.")


def _case(request: HttpRequest, reference: str) -> Application:
    return application_for_staff(user=request.user, reference=reference, can=can_decide)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    if not has_role(request.user, *ASSESSOR_ROLES):
        raise PermissionDenied(_("Alleen voor beoordelaars."))
    today = timezone.localdate()
    rows = []
    applications = (
        Application.objects.filter(fund__in=staff_funds(user=request.user), state__in=QUEUE_STATES)
        .select_related("fund")
        .order_by(F("decision_due_on").asc(nulls_last=True), "complete_on", "id")[:300]
    )
    for application in applications:
        due = application.decision_due_on
        rows.append({"application": application, "overdue": days_overdue(due, today) if due else 0})
    return render(
        request,
        "decisions/queue.html",
        {
            "rows": rows,
            "overdue_count": sum(1 for r in rows if r["overdue"] > 0),
        },
    )


@login_required
def case(request: HttpRequest, reference: str) -> HttpResponse:
    return _render_case(request, _case(request, reference))


def _render_case(
    request: HttpRequest, application: Application, status: int = 200, **forms
) -> HttpResponse:  # type: ignore[no-untyped-def]
    show_personal, _reason = can_view_personal_data(request.user, application)
    if show_personal:
        audit_personal_data_access(
            actor=request.user, obj=application, fields=["birth_date", "bsn"]
        )
    today = timezone.localdate()
    decision = Decision.objects.filter(application=application).first()
    amount = proposed_amount_cents(application, today) if application.cost_cents else None
    due = application.decision_due_on
    return render(
        request,
        "decisions/case.html",
        {
            "application": application,
            "show_personal": show_personal,
            "test": getattr(application, "labour_market_test", None),
            "conversations": application.conversations.all(),
            "decision": decision,
            "proposed_amount": amount,
            "arrangement": application.financing_arrangements.order_by("-saved_at").first(),
            "policy": application.policy_version.policy,
            "hearings": application.hearings.all(),
            "open_hearing": application.hearings.filter(closed_on__isnull=True).first(),
            "refuse_form": forms.get("refuse_form") or RefuseForm(),
            "hearing_form": forms.get("hearing_form") or HearingForm(),
            "repair_form": forms.get("repair_form") or RepairForm(),
            "return_form": forms.get("return_form") or ReturnProposalForm(),
            "overdue": days_overdue(due, today) if due else 0,
            "states": states,
            "can_approve": decision is not None
            and decision.status == Decision.Status.PROPOSED
            and decision.proposed_by_id != request.user.pk,
        },
        status=status,
    )


def _back(application: Application) -> HttpResponse:
    return redirect("decisions:case", reference=application.reference)


@login_required
@require_POST
def grant(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    try:
        decision = decision_grant(application=application, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message_nl)
        if error.code == "budget.insufficient_funds":
            messages.warning(request, _("Wijs de aanvraag af wegens het subsidieplafond."))
        return _back(application)
    if decision.status == Decision.Status.PROPOSED:
        messages.success(request, _("Het voorstel wacht op een tweede beoordelaar."))
    else:
        messages.success(request, _("De scholingscheque is toegekend. De brief wordt verstuurd."))
    return _back(application)


@login_required
@require_POST
def approve(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    decision = get_object_or_404(Decision, application=application, status=Decision.Status.PROPOSED)
    try:
        decision_approve(decision=decision, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message_nl)
        return _back(application)
    messages.success(request, _("Goedgekeurd. De scholingscheque is toegekend."))
    return _back(application)


@login_required
@require_POST
def return_proposal(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    decision = get_object_or_404(Decision, application=application, status=Decision.Status.PROPOSED)
    form = ReturnProposalForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, status=400, return_form=form)
    if decision.proposed_by_id == request.user.pk:
        messages.error(request, _("Een tweede beoordelaar beoordeelt dit voorstel."))
        return _back(application)
    decision_return_proposal(
        decision=decision, actor=request.user, reason=form.cleaned_data["reason"]
    )
    messages.success(request, _("Het voorstel is teruggestuurd."))
    return _back(application)


@login_required
@require_POST
def refuse(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = RefuseForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, status=400, refuse_form=form)
    try:
        decision_refuse(application=application, actor=request.user, **form.cleaned_data)
    except DomainError as error:
        if error.code == "decision.hearing_required":
            form.add_error("rests_on_other_facts", error.message_nl)
            return _render_case(request, application, status=400, refuse_form=form)
        messages.error(request, error.message_nl)
        return _back(application)
    messages.success(request, _("De aanvraag is afgewezen. De brief wordt verstuurd."))
    return _back(application)


@login_required
@require_POST
def hearing(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = HearingForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, status=400, hearing_form=form)
    try:
        hearing_start(
            application=application,
            actor=request.user,
            facts=form.cleaned_data["facts"],
            days=form.cleaned_data["days"],
        )
    except DomainError as error:
        messages.error(request, error.message_nl)
        return _back(application)
    messages.success(request, _("De aanvrager is gevraagd om een zienswijze."))
    return _back(application)


@login_required
@require_POST
def hearing_done(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    open_hearing = application.hearings.filter(closed_on__isnull=True).first()
    if open_hearing is None:
        raise Http404
    try:
        hearing_close(hearing=open_hearing, actor=request.user)
    except DomainError as error:
        messages.error(request, error.message_nl)
    return _back(application)


@login_required
@require_POST
def repair(request: HttpRequest, reference: str) -> HttpResponse:
    application = _case(request, reference)
    form = RepairForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, status=400, repair_form=form)
    try:
        repair_request_create(
            application=application,
            actor=request.user,
            what=form.cleaned_data["what"],
            days=form.cleaned_data["days"],
        )
    except DomainError as error:
        messages.error(request, error.message_nl)
        return _back(application)
    messages.success(
        request, _("Het verzoek om aanvulling is verstuurd. De beslistermijn staat stil.")
    )
    return _back(application)


# --- the applicant's (and employer's) own pages -------------------------------------------


@login_required
def my_applications(request: HttpRequest) -> HttpResponse:
    user = request.user
    applications = Application.objects.filter(applicant=user)
    if user.role == "employer":
        applications = Application.objects.filter(employer__users=user)
    return render(
        request,
        "decisions/my_applications.html",
        {
            "applications": applications.select_related("fund").order_by("-submitted_at"),
        },
    )


def _own(request: HttpRequest, reference: str) -> Application:
    application = get_object_or_404(Application.objects.select_related("fund"), reference=reference)
    allowed, reason = can_view_application(request.user, application)
    if not allowed:
        # The same answer as for an unknown reference: guessing reveals nothing.
        raise Http404
    return application


@login_required
def my_application(request: HttpRequest, reference: str) -> HttpResponse:
    application = _own(request, reference)
    if request.user.is_fund_staff:
        return redirect("decisions:case", reference=reference)
    open_hearing = application.hearings.filter(closed_on__isnull=True).first()
    form = HearingResponseForm(request.POST or None)
    if request.method == "POST" and open_hearing and application.applicant_id == request.user.pk:
        if form.is_valid():
            hearing_respond(
                hearing=open_hearing, actor=request.user, response=form.cleaned_data["response"]
            )
            messages.success(request, _("Dank u. Uw reactie is ontvangen."))
            return redirect("decisions:my_application", reference=reference)
    decision = Decision.objects.filter(
        application=application, status=Decision.Status.FINAL
    ).first()
    return render(
        request,
        "decisions/my_application.html",
        {
            "application": application,
            "decision": decision,
            "voucher": getattr(application, "voucher", None) if decision else None,
            "open_hearing": open_hearing,
            "hearing_form": form,
            "open_repair": application.repair_requests.filter(resolved_on__isnull=True).first(),
            "conversation": application.conversations.filter(held_at__isnull=True).first(),
            # A window application has no conversation, hence no advice report to offer.
            "has_advice": application.conversations.filter(held_at__isnull=False).exists(),
            "show_personal": can_view_personal_data(request.user, application)[0],
        },
    )


@login_required
def letter(request: HttpRequest, reference: str) -> HttpResponse:
    application = _own(request, reference)
    decision = Decision.objects.filter(
        application=application, status=Decision.Status.FINAL
    ).first()
    if decision is None:
        raise Http404
    if not decision.letter_pdf:
        # The worker may not have run yet; the letter is the same whoever renders it.
        letter_store(decision=decision)
    if request.user.is_fund_staff:
        audit_personal_data_access(actor=request.user, obj=application, fields=["letter"])
    return FileResponse(
        decision.letter_pdf.open("rb"),
        content_type="application/pdf",
        filename=f"besluit-{application.reference}.pdf",
    )


# --- a first-come-first-served window: the public form that is complete at submission ----


def window_apply(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund, slug=slug)
    today = timezone.localdate()
    version = fund.policy_on(today)
    if version is None:
        # Between policy periods: the fund page says why applying is closed (never a 404).
        return redirect("applications:fund", slug=fund.slug)
    if not version.policy.first_come_first_served:
        raise Http404
    policy = version.policy
    context: dict[str, Any] = {
        "fund": fund,
        "policy": policy,
        "open": policy.window_open_on(today),
        "upcoming": policy.window_opens is not None and today < policy.window_opens,
        # Said before the form, not after it: nobody fills in twenty fields for nothing.
        "available_cents": voucher_money_available_cents(fund=fund),
        "lowest_refused_cents": ApplicationWindow.objects.filter(policy_version=version)
        .values_list("lowest_refused_cents", flat=True)
        .first(),
    }
    user = request.user
    if not user.is_authenticated:
        # First the e-mail address, confirmed by a link: one application per person.
        access = LinkRequestForm(request.POST or None)
        if (
            request.method == "POST"
            and access.is_valid()
            and (context["open"] or context["upcoming"])
        ):
            window_access_send(fund=fund, email=access.cleaned_data["email"])
            context["link_sent_to"] = access.cleaned_data["email"]
        context["access_form"] = access
        return render(request, "decisions/window_apply.html", context)
    if getattr(user, "is_fund_staff", False):
        # Staff never apply for themselves; only this fund's advisors fill it in for someone.
        on_behalf, reason = can_apply_on_behalf(user, fund)
        allowed = False
    else:
        on_behalf = False
        allowed, reason = can_apply_in_window(user)
    if not (allowed or on_behalf):
        context["refused"] = reason
        return render(request, "decisions/window_apply.html", context, status=403)
    if not on_behalf:
        earlier = Application.objects.filter(
            policy_version=version, applicant=user, receipt_number__isnull=False
        ).first()
        if earlier is not None:
            context["earlier"] = earlier  # once per person: say so now, not after the form
            return render(request, "decisions/window_apply.html", context)
    form = WindowForm(
        request.POST or None,
        municipalities=version.municipalities(),
        initial={"submission_key": new_submission_key()},
    )
    if not on_behalf:
        del form.fields["email"]  # a person applies with the address they confirmed
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["cost_cents"] = data.pop("cost")
        data.setdefault("email", user.email)
        for key in ("payer_1", "amount_1", "employer_name", "consent"):
            data.pop(key, None)
        try:
            application = window_application_submit(
                fund=fund,
                data=data,
                submission_key=data.pop("submission_key"),
                actor=user,
                policy_version=version,
            )
        except DomainError as error:
            form.add_error(None, error.message_nl)
        else:
            seen = request.session.get("receipts", [])
            request.session["receipts"] = (seen + [application.reference])[-20:]
            return redirect(
                "decisions:window_receipt", slug=fund.slug, reference=application.reference
            )
    context.update(form=form, on_behalf=on_behalf)
    return render(request, "decisions/window_apply.html", context)


def window_receipt(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    if reference not in request.session.get("receipts", []):
        raise Http404
    application = get_object_or_404(Application, reference=reference, fund__slug=slug)
    return render(
        request,
        "decisions/window_receipt.html",
        {
            "fund": application.fund,
            "application": application,
            "decision": Decision.objects.filter(application=application).first(),
        },
    )


@login_required
@require_POST
def voucher_give_back(request: HttpRequest, reference: str) -> HttpResponse:
    """The person gives the voucher back (cancellation); the money returns to the fund."""
    application = _own(request, reference)
    voucher = getattr(application, "voucher", None)
    if voucher is None or application.applicant_id != request.user.pk:
        raise Http404
    try:
        voucher_cancel(voucher=voucher, actor=request.user, reason="teruggegeven door de deelnemer")
    except DomainError as error:
        messages.error(request, error.message_nl)
    else:
        messages.success(
            request, _("U hebt de cheque teruggegeven. Het geld gaat terug naar het fonds.")
        )
    return redirect("decisions:my_application", reference=reference)

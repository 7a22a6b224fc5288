"""The assessor's queue and case page, the applicant's own pages and the letter download."""

import io
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.accounts.forms import LinkRequestForm
from scholingsfonds.advising.forms import RepairForm
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.forms import new_submission_key
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.permissions import (
    can_apply_in_window,
    can_apply_on_behalf,
    can_view_application,
    can_view_personal_data,
)
from scholingsfonds.applications.personal_data import personal_data_read_record
from scholingsfonds.applications.selectors import (
    application_by_reference,
    application_for_staff,
    application_received,
    applications_own,
)
from scholingsfonds.applications.services import repair_request_create
from scholingsfonds.budget.selectors import voucher_money_available_cents
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.decisions.forms import (
    HearingForm,
    HearingResponseForm,
    RefuseForm,
    ReturnProposalForm,
    WindowForm,
)
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.permissions import can_decide, can_judge_proposal, can_use_queue
from scholingsfonds.decisions.selectors import (
    applicant_page,
    assessor_queue,
    case_page,
    decision_final,
    decision_letter_pdf,
    decision_of,
    decision_proposed,
    hearing_open,
    window_lowest_refused_cents,
    window_receipt_earlier,
)
from scholingsfonds.decisions.services.decision import (
    decision_approve,
    decision_grant,
    decision_refuse,
    decision_return_proposal,
)
from scholingsfonds.decisions.services.hearing import hearing_close, hearing_respond, hearing_start
from scholingsfonds.decisions.services.window import window_access_send, window_application_submit
from scholingsfonds.funds.models import Fund
from scholingsfonds.vouchers.services import voucher_cancel


def _case(request: HttpRequest, reference: str) -> Application:
    return application_for_staff(user=request.user, reference=reference, can=can_decide)


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    allowed, reason = can_use_queue(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    rows = assessor_queue(user=request.user, today=timezone.localdate())
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
        personal_data_read_record(actor=request.user, obj=application, fields=["birth_date", "bsn"])
    page = case_page(application, timezone.localdate())
    return render(
        request,
        "decisions/case.html",
        {
            **page,
            "application": application,
            "show_personal": show_personal,
            "policy": application.policy_version.policy,
            "refuse_form": forms.get("refuse_form") or RefuseForm(),
            "hearing_form": forms.get("hearing_form") or HearingForm(),
            "repair_form": forms.get("repair_form") or RepairForm(),
            "return_form": forms.get("return_form") or ReturnProposalForm(),
            "states": states,
            "can_approve": can_judge_proposal(request.user, page["decision"])[0],
        },
        status=status,
    )


def _back(application: Application) -> HttpResponse:
    return redirect("decisions:case", reference=application.reference)


def _proposal(application: Application) -> Decision:
    decision = decision_proposed(application)
    if decision is None:
        raise Http404
    return decision


def _message(error: DomainError) -> str:
    return error.message_en if get_language() == "en" else error.message_nl


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
    decision = _proposal(application)
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
    decision = _proposal(application)
    form = ReturnProposalForm(request.POST)
    if not form.is_valid():
        return _render_case(request, application, status=400, return_form=form)
    try:
        decision_return_proposal(
            decision=decision, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except DomainError as error:
        # This message was always shown in the page's language.
        messages.error(request, _message(error))
        return _back(application)
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
    open_hearing = hearing_open(application)
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
    return render(
        request,
        "decisions/my_applications.html",
        {"applications": applications_own(user=request.user)},
    )


def _own(request: HttpRequest, reference: str) -> Application:
    application = application_by_reference(reference)
    if application is None:
        raise Http404
    allowed, _reason = can_view_application(request.user, application)
    if not allowed:
        # The same answer as for an unknown reference: guessing reveals nothing.
        raise Http404
    return application


@login_required
def my_application(request: HttpRequest, reference: str) -> HttpResponse:
    application = _own(request, reference)
    if request.user.is_fund_staff:
        return redirect("decisions:case", reference=reference)
    open_hearing = hearing_open(application)
    form = HearingResponseForm(request.POST or None)
    if request.method == "POST" and open_hearing and application.applicant_id == request.user.pk:
        if form.is_valid():
            hearing_respond(
                hearing=open_hearing, actor=request.user, response=form.cleaned_data["response"]
            )
            messages.success(request, _("Dank u. Uw reactie is ontvangen."))
            return redirect("decisions:my_application", reference=reference)
    return render(
        request,
        "decisions/my_application.html",
        {
            **applicant_page(application),
            "application": application,
            "hearing_form": form,
            "show_personal": can_view_personal_data(request.user, application)[0],
        },
    )


@login_required
def letter(request: HttpRequest, reference: str) -> HttpResponse:
    application = _own(request, reference)
    decision = decision_final(application)
    if decision is None:
        raise Http404
    pdf = decision_letter_pdf(decision)
    if request.user.is_fund_staff:
        personal_data_read_record(actor=request.user, obj=application, fields=["letter"])
    return FileResponse(
        io.BytesIO(pdf),
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
        "lowest_refused_cents": window_lowest_refused_cents(version),
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
        # Once per person: the service refuses a second application; say so before the form.
        earlier = window_receipt_earlier(policy_version=version, applicant=user)
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
    application = application_received(reference=reference, fund_slug=slug)
    if application is None:
        raise Http404
    return render(
        request,
        "decisions/window_receipt.html",
        {
            "fund": application.fund,
            "application": application,
            "decision": decision_of(application),
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

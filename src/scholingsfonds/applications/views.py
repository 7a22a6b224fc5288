"""Public pages of a fund: the short form, the employer form and the receipt."""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from scholingsfonds.applications.forms import (
    EmployeeFormSet,
    EmployerForm,
    ShortForm,
    new_submission_key,
)
from scholingsfonds.applications.permissions import can_apply_on_behalf
from scholingsfonds.applications.selectors import (
    application_received,
    applications_received_together,
    funds_open,
)
from scholingsfonds.applications.services import application_submit, employer_applications_submit
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.models import Fund
from scholingsfonds.funds.selectors import policy_warnings

RECEIPTS_SESSION_KEY = "receipts"
ROLE_HOME = {
    "advisor": "advising:queue",
    "assessor": "decisions:queue",
    "applicant": "decisions:my_applications",
    "employer": "decisions:my_applications",
    "finance": "payments:overview",
    "funder": "payments:overview",
    "manager": "monitoring:dashboard",
    "auditor": "monitoring:dashboard",
    "provider": "vouchers:portal",
}


def home(request: HttpRequest) -> HttpResponse:
    """The start page: the funds for the public, the work list for a logged-in role."""
    user = request.user
    if user.is_authenticated and user.role in ROLE_HOME and not request.GET.get("start"):
        return redirect(ROLE_HOME[user.role])
    return render(
        request,
        "core/home.html",
        {
            "funds": funds_open(),
            "policy_warnings": policy_warnings(user, timezone.localdate()),
        },
    )


def fund_page(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund, slug=slug)
    return _fund_page(request, fund)


def _fund_page(request: HttpRequest, fund: Fund) -> HttpResponse:
    """The fund's public page; without a policy in force it says why applying is closed."""
    today = timezone.localdate()
    version = fund.policy_on(today)
    return render(
        request,
        "applications/fund_page.html",
        {
            "fund": fund,
            "version": version,
            "policy": version.policy if version else None,
            "outlook": fund.policy_outlook(today),
            "municipalities": version.municipalities() if version else [],
        },
    )


def _remember_receipt(request: HttpRequest, references: list[str]) -> None:
    seen = request.session.get(RECEIPTS_SESSION_KEY, [])
    request.session[RECEIPTS_SESSION_KEY] = (seen + references)[-20:]


def apply_individual(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund, slug=slug)
    version = fund.policy_on(timezone.localdate())
    if version is None:
        # Between policy periods the address stays valid and says why nobody can apply.
        return _fund_page(request, fund)
    if version.policy.first_come_first_served:
        # In a window the form also asks training, provider and cost (complete at once).
        return redirect("decisions:window_apply", slug=fund.slug)
    on_behalf = request.user.is_authenticated and can_apply_on_behalf(request.user, fund)[0]
    form = ShortForm(
        request.POST or None,
        municipalities=version.municipalities(),
        initial={"submission_key": new_submission_key()},
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        try:
            application = application_submit(
                fund=fund,
                data=data,
                submission_key=data["submission_key"],
                actor=request.user if on_behalf else None,
            )
        except DomainError as error:
            form.add_error(None, error.message_nl)
        else:
            _remember_receipt(request, [application.reference])
            return redirect("applications:receipt", slug=fund.slug, reference=application.reference)
    return render(
        request,
        "applications/apply.html",
        {
            "fund": fund,
            "form": form,
            "on_behalf": on_behalf,
            "policy": version.policy,
        },
    )


def apply_employer(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund, slug=slug)
    version = fund.policy_on(timezone.localdate())
    if version is None:
        return _fund_page(request, fund)
    policy = version.policy
    if "employer" not in policy.routes:
        raise Http404(_("Dit fonds heeft geen werkgeversroute."))
    rule = policy.cofinancing.get("employer")
    form = EmployerForm(
        request.POST or None,
        municipalities=version.municipalities(),
        min_contribution=rule.min_share_percent if rule else 0,
        initial={"submission_key": new_submission_key()},
    )
    formset = EmployeeFormSet(request.POST or None, prefix="employee")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        data = form.cleaned_data
        employees = [
            {
                **f.cleaned_data,
                "work_status": "employee",
                "heard_via": "employer",
                "phone": "",
                "postcode": "",
                "municipality": None,
            }
            for f in formset.forms
            if f.has_changed() and f.cleaned_data
        ]
        try:
            applications = employer_applications_submit(
                fund=fund,
                employer_data={
                    "name": data["company_name"],
                    "kvk_number": data["kvk_number"],
                    "municipality": data["municipality"],
                    "contact_name": data["contact_name"],
                    "email": data["email"],
                    "phone": data["phone"],
                },
                employees=employees,
                contribution_percent=data["contribution_percent"],
                submission_key=data["submission_key"],
                actor=request.user if request.user.is_authenticated else None,
            )
        except DomainError as error:
            form.add_error(None, error.message_nl)
        else:
            references = [a.reference for a in applications]
            _remember_receipt(request, references)
            return redirect("applications:receipt", slug=fund.slug, reference=references[0])
    return render(
        request,
        "applications/apply_employer.html",
        {
            "fund": fund,
            "form": form,
            "formset": formset,
            "policy": policy,
        },
    )


def receipt(request: HttpRequest, slug: str, reference: str) -> HttpResponse:
    # Only the browser that submitted sees the receipt; anyone else logs in to follow status.
    if reference not in request.session.get(RECEIPTS_SESSION_KEY, []):
        raise Http404
    application = application_received(reference=reference, fund_slug=slug)
    if application is None:
        raise Http404
    siblings = []
    if application.employer_id:
        siblings = applications_received_together(
            references=request.session.get(RECEIPTS_SESSION_KEY, []),
            employer_id=application.employer_id,
        )
    if application.submitted_on_behalf_by_id:
        messages.info(request, _("De aanvraag is ingediend namens de aanvrager."))
    return render(
        request,
        "applications/receipt.html",
        {
            "fund": application.fund,
            "application": application,
            "siblings": siblings,
        },
    )

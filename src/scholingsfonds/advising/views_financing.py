"""The financing advice across schemes for a case, and the list of schemes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from scholingsfonds.advising.forms import FinancingForm
from scholingsfonds.advising.permissions import can_view_occupations
from scholingsfonds.advising.selectors.financing import (
    financing_facts,
    financing_initial,
    financing_stack,
    latest_arrangement,
    scheme_rows,
    yearly_schemes,
)
from scholingsfonds.advising.services.financing import financing_arrangement_save
from scholingsfonds.advising.views_common import advised_case, require, to_case
from scholingsfonds.applications.domain import states
from scholingsfonds.core.domain.errors import DomainError


@login_required
def financing(request: HttpRequest, reference: str) -> HttpResponse:
    """GET computes the advice (a GET form: nothing is stored); POST saves it."""
    application = advised_case(request, reference)
    today = timezone.localdate()
    arrangement = latest_arrangement(application)
    data = request.POST if request.method == "POST" else (request.GET or None)
    initial = financing_initial(application, arrangement)
    form = FinancingForm(data, initial=initial, yearly_schemes=yearly_schemes(today))
    context = {
        "application": application,
        "form": form,
        "stack": None,
        "fund_part": None,
        "arrangement": arrangement,
        "error": None,
        "may_save": application.state in (states.CONVERSATION_HELD, states.REPAIR_REQUESTED),
    }
    if not application.cost_cents:
        return render(request, "advising/financing.html", context)
    if data is not None and not form.is_valid():
        return render(request, "advising/financing.html", context, status=400)
    values = form.cleaned_data if data is not None else initial
    try:
        facts = financing_facts(
            application,
            employer_contribution_cents=values.get("employer_contribution") or 0,
            employer_sector=values.get("employer_sector") or None,
            receives_benefit=bool(values.get("receives_benefit")),
            received_elsewhere=form.received() if data is not None else {},
            today=today,
        )
        stack = financing_stack(facts=facts, home_fund=application.fund.slug)
        context.update(stack=stack, fund_part=stack.part(application.fund.slug))
        if request.method == "POST":
            financing_arrangement_save(application=application, actor=request.user, facts=facts)
            messages.success(
                request,
                _("Het financieringsadvies is opgeslagen als financiering van de aanvraag."),
            )
            return to_case(application, "financiering")
    except DomainError as exc:
        context["error"] = exc.message_nl
        return render(request, "advising/financing.html", context, status=400)
    return render(request, "advising/financing.html", context)


@login_required
def schemes(request: HttpRequest) -> HttpResponse:
    require(can_view_occupations(request.user))
    today = timezone.localdate()
    return render(
        request,
        "advising/schemes.html",
        {"rows": scheme_rows(today), "today": today},
    )

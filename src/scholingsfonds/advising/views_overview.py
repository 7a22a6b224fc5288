"""The overview per fund: conversations against the year's target, lead times, caseload,
outcomes; and setting the target."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.advising.forms import TargetForm
from scholingsfonds.advising.permissions import can_set_target, can_view_overview
from scholingsfonds.advising.selectors.figures import (
    caseload,
    chosen_fund,
    conversation_counts,
    lead_times,
    outcome_rows,
)
from scholingsfonds.advising.services.targets import conversation_target_set
from scholingsfonds.advising.views_common import require
from scholingsfonds.applications.selectors import staff_funds
from scholingsfonds.funds.models import Fund


def _overview_fund(request: HttpRequest) -> Fund:
    slug = request.GET.get("fonds") or request.POST.get("fonds") or ""
    fund = chosen_fund(staff_funds(user=request.user), slug)
    if fund is None:
        raise PermissionDenied(_("U werkt voor geen enkel fonds."))
    require(can_view_overview(request.user, fund))
    return fund


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    fund = _overview_fund(request)
    today = timezone.localdate()
    try:
        year = int(request.GET.get("jaar", today.year))
    except ValueError:
        year = today.year
    counts = conversation_counts(fund, year)
    return render(
        request,
        "advising/overview.html",
        {
            "fund": fund,
            "funds": staff_funds(user=request.user),
            "year": year,
            "years": list(range(today.year - 3, today.year + 2)),
            "counts": counts,
            "lead": lead_times(fund, year),
            "caseload": caseload(fund, today),
            "outcomes": outcome_rows(fund, year),
            "target_form": TargetForm(initial={"conversations": counts["target"]}),
            "may_set_target": can_set_target(request.user, fund)[0],
        },
    )


@login_required
@require_POST
def target_set(request: HttpRequest) -> HttpResponse:
    fund = _overview_fund(request)
    require(can_set_target(request.user, fund))
    form = TargetForm(request.POST)
    try:
        year = int(request.POST.get("jaar", ""))
    except ValueError:
        year = 0
    if not form.is_valid() or not 2000 <= year <= 2100:
        messages.error(request, _("Vul een jaardoel in als heel getal, zoals 1375."))
    else:
        conversation_target_set(
            actor=request.user,
            fund=fund,
            year=year,
            conversations=form.cleaned_data["conversations"],
        )
        messages.success(request, _("Het jaardoel is opgeslagen."))
    return redirect(
        f"{reverse('advising:overview')}?{urlencode({'fonds': fund.slug, 'jaar': year})}"
    )

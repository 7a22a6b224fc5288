"""Closing a period with the funders: the close of a source (four eyes) and the final report."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from scholingsfonds.budget.models import FundingSource, SourceClosure
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.funds.models import Fund
from scholingsfonds.payments.exports import (
    final_report_context,
    final_report_filename,
    final_report_pdf,
    final_report_xlsx,
)
from scholingsfonds.payments.forms import ClosureForm
from scholingsfonds.payments.permissions import can_approve_close, can_propose_close
from scholingsfonds.payments.selectors import FinalReport, closable_sources, final_report
from scholingsfonds.payments.services import (
    source_close_approve,
    source_close_propose,
    source_close_withdraw,
)
from scholingsfonds.payments.views import XLSX, _message, _nav, _scope, _staff_only

# Where a refusal of the service belongs on the form, so the person sees it at the field.
_ERROR_FIELD = {
    "closure.carry_to_required": "carry_to",
    "closure.carry_to_other_fund": "carry_to",
    "closure.carry_to_other_category": "carry_to",
    "closure.carry_to_not_next": "carry_to",
    "closure.carry_to_closed": "carry_to",
    "closure.carry_to_other_funder": "carry_to",
    "closure.consent_required": "consent_reference",
    "closure.period_running": "source",
    "closure.exists": "source",
}


def _closing_context(request: HttpRequest, funds: list[Fund]) -> dict[str, Any]:
    today = timezone.localdate()
    ended = FundingSource.objects.filter(fund__in=funds, period_end__lt=today)
    open_ended = ended.filter(closure__isnull=True)
    targets = FundingSource.objects.filter(fund__in=funds, period_end__gte=today).select_related(
        "fund"
    )
    closures = {
        c.source_id: c
        for c in SourceClosure.objects.filter(source__fund__in=funds).select_related(
            "carry_to", "proposed_by", "approved_by"
        )
    }
    return {
        "today": today,
        "funds": [
            {
                "fund": fund,
                "rows": [
                    {"source": source, "closure": closures.get(source.pk)}
                    for source in closable_sources(fund=fund, today=today)
                ],
                "may_propose": can_propose_close(request.user, fund)[0],
                "may_approve": can_approve_close(request.user, fund)[0],
            }
            for fund in funds
        ],
        "form_sources": open_ended.select_related("fund").order_by("fund__name", "period_end"),
        "form_targets": targets.order_by("fund__name", "period_start"),
    }


@login_required
def closing(request: HttpRequest) -> HttpResponse:
    """The sources whose period ended: propose a close, approve or withdraw one."""
    scope = _scope(request)
    funds = _staff_only(request)
    context = _closing_context(request, funds)
    form = ClosureForm(
        request.POST if request.POST.get("action") == "propose" else None,
        sources=context["form_sources"],
        targets=context["form_targets"],
    )
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "propose":
                if form.is_valid():
                    data = form.cleaned_data
                    source_close_propose(
                        source=data["source"],
                        actor=request.user,
                        decision=data["decision"],
                        today=timezone.localdate(),
                        carry_to=data["carry_to"],
                        consent_reference=data["consent_reference"],
                        note=data["note"],
                    )
                    messages.success(
                        request,
                        _("De afsluiting is voorgesteld; een collega keurt haar goed."),
                    )
                    return redirect("payments:closing")
            elif action in ("approve", "withdraw"):
                closure_id = request.POST.get("closure", "")
                if not closure_id.isdigit():
                    raise Http404
                closure = get_object_or_404(SourceClosure, pk=closure_id, source__fund__in=funds)
                if action == "approve":
                    source_close_approve(closure=closure, actor=request.user)
                    messages.success(request, _("De bron is afgesloten en geboekt."))
                else:
                    source_close_withdraw(
                        closure=closure, actor=request.user, reason=request.POST.get("reason", "")
                    )
                    messages.success(request, _("Het voorstel is ingetrokken."))
                return redirect("payments:closing")
            else:
                return HttpResponse(_("Onbekende actie."), status=400)
        except DomainError as error:
            if error.code == "payments.not_allowed":
                raise PermissionDenied(_message(error)) from error
            form.add_error(_ERROR_FIELD.get(error.code), _message(error))
            if action != "propose":
                messages.error(request, _message(error))
        status = 400
    return render(
        request,
        "payments/closing.html",
        {**context, "form": form, **_nav(request, scope)},
        status=status,
    )


def _final_report(request: HttpRequest, slug: str) -> FinalReport:
    scope = _scope(request)
    fund = get_object_or_404(Fund, slug=slug)
    if not scope.sees_fund(fund):
        raise PermissionDenied(_("Dit fonds hoort niet bij wat u mag zien."))
    funder = request.GET.get("financier") or None
    report = final_report(fund=fund, today=timezone.localdate(), funder=funder)
    # A funder sees the rows of its own sources only.
    report.rows = [row for row in report.rows if scope.sees_source(row.source)]
    return report


@login_required
def final_report_view(request: HttpRequest, slug: str) -> HttpResponse:
    report = _final_report(request, slug)
    funders = sorted({row.source.funder for row in report.rows})
    return render(
        request,
        "payments/final_report.html",
        {**final_report_context(report), "funders": funders, **_nav(request, _scope(request))},
    )


@login_required
def final_report_download(request: HttpRequest, slug: str, extension: str) -> HttpResponse:
    if extension not in ("pdf", "xlsx"):
        raise Http404
    report = _final_report(request, slug)
    if extension == "xlsx":
        response = HttpResponse(final_report_xlsx(report), content_type=XLSX)
    else:
        response = HttpResponse(final_report_pdf(report), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{final_report_filename(report, extension)}"'
    )
    return response

"""The finance screens: overview, one voucher's money, risk, co-financing, report, reallocation."""

from datetime import date
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from scholingsfonds.applications.models import Application, CofinancingPayer
from scholingsfonds.applications.selectors import staff_funds
from scholingsfonds.budget.models import FundingSource
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.permissions import has_role
from scholingsfonds.funds.models import Fund
from scholingsfonds.payments.exports import (
    report_context,
    report_filename,
    report_pdf,
    report_xlsx,
)
from scholingsfonds.payments.forms import (
    CofinancingConfirmForm,
    ReallocationForm,
    ReportPeriodForm,
)
from scholingsfonds.payments.permissions import (
    FINANCE_ROLES,
    FinanceScope,
    can_confirm_cofinancing,
    can_reallocate,
    can_view_finance,
    can_view_fund_risk,
    can_view_source,
    finance_scope,
)
from scholingsfonds.payments.selectors import (
    BURN_MONTHS,
    cofinancing_overview,
    finance_overview,
    funder_report,
    municipal_risk,
    reallocations_recent,
    voucher_history,
    voucher_source_ids,
)
from scholingsfonds.payments.services import cofinancing_confirm, source_reallocate
from scholingsfonds.vouchers.models import Voucher

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _message(error: DomainError) -> str:
    return error.message_en if get_language() == "en" else error.message_nl


def _scope(request: HttpRequest) -> FinanceScope:
    allowed, reason = can_view_finance(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    return finance_scope(request.user)


def _staff_only(request: HttpRequest) -> list[Fund]:
    """Screens about applications and every funder's money: fund staff, not funders."""
    if not has_role(request.user, *FINANCE_ROLES):
        raise PermissionDenied(_("Alleen voor financiën, management, auditors en beheerders."))
    return list(staff_funds(user=request.user).order_by("name"))


def _nav(request: HttpRequest, scope: FinanceScope) -> dict[str, object]:
    return {
        "finance_nav": {
            "staff": not scope.is_funder,
            "admin": can_reallocate(request.user)[0],
            "current": request.resolver_match.url_name if request.resolver_match else "",
        }
    }


@login_required
def overview(request: HttpRequest) -> HttpResponse:
    scope = _scope(request)
    today = timezone.localdate()
    return render(
        request,
        "payments/overview.html",
        {
            "blocks": finance_overview(scope=scope, today=today),
            "scope": scope,
            "today": today,
            "burn_months": BURN_MONTHS,
            **_nav(request, scope),
        },
    )


@login_required
def voucher_lookup(request: HttpRequest) -> HttpResponse:
    _scope(request)
    code = request.GET.get("code", "").strip().upper()
    if not code:
        return redirect("payments:overview")
    return redirect("payments:voucher", code=code)


@login_required
def voucher(request: HttpRequest, code: str) -> HttpResponse:
    scope = _scope(request)
    item = get_object_or_404(
        Voucher.objects.select_related("fund", "application"), code=code.strip().upper()
    )
    # A funder sees a voucher only when one of its own sources paid for it.
    if not scope.sees_whole_fund(item.fund):
        sources = FundingSource.objects.filter(pk__in=voucher_source_ids(code=item.code))
        if not any(scope.sees_source(source) for source in sources):
            raise PermissionDenied(_("Deze cheque is niet uit uw bronnen betaald."))
    return render(
        request,
        "payments/voucher.html",
        {
            "voucher": item,
            "history": voucher_history(voucher=item, scope=scope),
            "whole_fund": scope.sees_whole_fund(item.fund),
            **_nav(request, scope),
        },
    )


@login_required
def risk(request: HttpRequest) -> HttpResponse:
    funds = _staff_only(request)
    today = timezone.localdate()
    blocks = [
        municipal_risk(fund=fund, today=today)
        for fund in funds
        if can_view_fund_risk(request.user, fund)[0]
    ]
    return render(
        request,
        "payments/risk.html",
        {"blocks": blocks, "today": today, **_nav(request, finance_scope(request.user))},
    )


@login_required
def cofinancing(request: HttpRequest) -> HttpResponse:
    funds = _staff_only(request)
    chosen = request.GET.get("fonds", "")
    if chosen:
        funds = [fund for fund in funds if fund.slug == chosen]
    only_open = request.GET.get("open") == "1"
    overview_data = cofinancing_overview(funds=funds, only_open=only_open)
    confirmable = {fund.pk for fund in funds if can_confirm_cofinancing(request.user, fund)[0]}
    return render(
        request,
        "payments/cofinancing.html",
        {
            "data": overview_data,
            "funds": _staff_only(request),
            "chosen": chosen,
            "only_open": only_open,
            "confirmable": confirmable,
            "form": CofinancingConfirmForm(),
            **_nav(request, finance_scope(request.user)),
        },
    )


@login_required
@require_POST
def cofinancing_confirm_view(request: HttpRequest, reference: str, payer: str) -> HttpResponse:
    _staff_only(request)
    application = get_object_or_404(Application.objects.select_related("fund"), reference=reference)
    allowed, reason = can_confirm_cofinancing(request.user, application.fund)
    if not allowed:
        raise PermissionDenied(reason)
    if payer not in CofinancingPayer.values:
        raise PermissionDenied(_("Onbekende betaler."))
    # Back to the same filtered list, at the row just handled.
    query = {
        key: value
        for key, value in (
            ("fonds", request.POST.get("fonds", "")),
            ("open", request.POST.get("open")),
        )
        if value and (key != "fonds" or Fund.objects.filter(slug=value).exists())
    }
    back = (
        reverse("payments:cofinancing")
        + (f"?{urlencode(query)}" if query else "")
        + f"#{application.reference}"
    )
    form = CofinancingConfirmForm(request.POST)
    if not form.is_valid():
        messages.error(
            request,
            _("%(ref)s: noteer welk bewijs u zag voordat u bevestigt.")
            % {"ref": application.reference},
        )
        return redirect(back)
    try:
        cofinancing_confirm(
            application=application,
            actor=request.user,
            payer=payer,
            proof_note=form.cleaned_data["proof_note"],
        )
    except DomainError as error:
        messages.error(request, f"{application.reference}: {_message(error)}")
        return redirect(back)
    messages.success(
        request,
        _("De bijdrage bij %(ref)s is bevestigd.") % {"ref": application.reference},
    )
    return redirect(back)


def _report_source(request: HttpRequest, source_id: int) -> FundingSource:
    _scope(request)
    source = get_object_or_404(FundingSource.objects.select_related("fund"), pk=source_id)
    allowed, reason = can_view_source(request.user, source)
    if not allowed:
        raise PermissionDenied(reason)
    return source


def _default_period(source: FundingSource, today: date) -> tuple[date, date]:
    end = min(today, source.period_end)
    return source.period_start, max(end, source.period_start)


def _report_form(
    request: HttpRequest, source: FundingSource
) -> tuple[ReportPeriodForm, date, date]:
    start, end = _default_period(source, timezone.localdate())
    bound = "van" in request.GET or "tot" in request.GET
    form = ReportPeriodForm(request.GET if bound else None, initial={"van": start, "tot": end})
    start, end = form.period(start, end)
    return form, start, end


@login_required
def report(request: HttpRequest, source_id: int) -> HttpResponse:
    source = _report_source(request, source_id)
    form, start, end = _report_form(request, source)
    if form.is_bound and not form.is_valid():
        return render(
            request,
            "payments/report.html",
            {"form": form, "source": source, **_nav(request, finance_scope(request.user))},
            status=400,
        )
    data = funder_report(source=source, start=start, end=end)
    query = f"?van={start.isoformat()}&tot={end.isoformat()}"
    return render(
        request,
        "payments/report.html",
        {
            "form": form,
            "query": query,
            **report_context(data),
            **_nav(request, finance_scope(request.user)),
        },
    )


def _download(request: HttpRequest, source_id: int, extension: str) -> HttpResponse:
    source = _report_source(request, source_id)
    form, start, end = _report_form(request, source)
    if form.is_bound and not form.is_valid():
        return HttpResponse(
            _("Ongeldige periode: gebruik van=JJJJ-MM-DD en tot=JJJJ-MM-DD."),
            status=400,
            content_type="text/plain; charset=utf-8",
        )
    data = funder_report(source=source, start=start, end=end)
    if extension == "xlsx":
        response = HttpResponse(report_xlsx(data), content_type=XLSX)
    else:
        response = HttpResponse(report_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{report_filename(data, extension)}"'
    return response


@login_required
def report_xlsx_view(request: HttpRequest, source_id: int) -> HttpResponse:
    return _download(request, source_id, "xlsx")


@login_required
def report_pdf_view(request: HttpRequest, source_id: int) -> HttpResponse:
    return _download(request, source_id, "pdf")


@login_required
def reallocate(request: HttpRequest) -> HttpResponse:
    allowed, reason = can_reallocate(request.user)
    if not allowed:
        raise PermissionDenied(reason)
    form = ReallocationForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                source_reallocate(
                    from_source=data["from_source"],
                    to_source=data["to_source"],
                    amount_cents=data["amount_cents"],
                    actor=request.user,
                    reason=data["reason"],
                )
            except DomainError as error:
                form.add_error(None, _message(error))
            else:
                messages.success(request, _("Het geld is herverdeeld."))
                return redirect("payments:reallocate")
        status = 400
    sources = FundingSource.objects.select_related("fund", "balance").order_by(
        "fund__name", "funder", "order", "id"
    )
    return render(
        request,
        "payments/reallocate.html",
        {
            "form": form,
            "sources": sources,
            "recent": reallocations_recent(),
            **_nav(request, finance_scope(request.user)),
        },
        status=status,
    )

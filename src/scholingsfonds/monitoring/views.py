"""The dashboard, the lists behind its numbers, reports, open data, targets, questionnaire."""

from __future__ import annotations

import csv
import logging
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from scholingsfonds.budget.models import SourceBalance
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.permissions import has_role
from scholingsfonds.funds.models import Fund
from scholingsfonds.funds.selectors import policy_warnings
from scholingsfonds.monitoring import opendata, reports, selectors
from scholingsfonds.monitoring.domain.facts import MEASURES
from scholingsfonds.monitoring.domain.periods import ALL, MONTH, parse_period
from scholingsfonds.monitoring.forms import OutcomeForm, TargetForm
from scholingsfonds.monitoring.labels import (
    CERTIFICATE_LABELS,
    FINISHED_LABELS,
    JOB_CHANGE_LABELS,
    MEASURE_LABELS,
)
from scholingsfonds.monitoring.models import Cursor, OutcomeSurvey
from scholingsfonds.monitoring.permissions import (
    can_drill_down,
    can_edit_targets,
    can_view_dashboard,
    dashboard_funds,
    sees_small_numbers,
)
from scholingsfonds.monitoring.refresh import AUDIT, is_behind, monitoring_refresh
from scholingsfonds.monitoring.services import (
    fund_target_save,
    outcome_survey_answer,
    survey_from_token,
)

logger = logging.getLogger(__name__)
PAGE_SIZE = 50
# A page view recounts from scratch only a small database; a large one goes to the worker.
REBUILD_IN_REQUEST = 20_000


def _require_dashboard(request: HttpRequest) -> None:
    allowed, reason = can_view_dashboard(request.user)
    if not allowed:
        raise PermissionDenied(reason)


def _keep_current() -> None:
    """Read what the logs added since the last refresh; a big backlog goes to the worker."""
    try:
        if not is_behind():
            return
        result = monitoring_refresh(max_batches=1, rebuild_limit=REBUILD_IN_REQUEST)
        if result.behind:
            from scholingsfonds.monitoring.tasks import refresh_monitoring

            refresh_monitoring.enqueue()
    except Exception:  # the page still shows the figures as last counted
        logger.exception("monitoring refresh on page view failed")


def _counted_at() -> Any:
    cursor = Cursor.objects.filter(name=AUDIT).first()
    return cursor.refreshed_at if cursor else None


def _scope(request: HttpRequest) -> selectors.Scope:
    return selectors.scope_for(request.user, request.GET, timezone.localdate())


def _drill_allowed(user: Any, scope: selectors.Scope) -> bool:
    return bool(scope.funds) and all(can_drill_down(user, fund)[0] for fund in scope.funds)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    _require_dashboard(request)
    _keep_current()
    today = timezone.localdate()
    scope = _scope(request)
    data = selectors.dashboard(
        scope,
        today=today,
        drill_down=_drill_allowed(request.user, scope),
        small_cells=sees_small_numbers(request.user),
    )
    funds = list(dashboard_funds(request.user))
    return render(
        request,
        "monitoring/dashboard.html",
        {
            **data,
            "funds": funds,
            "period_choices": selectors.period_choices(scope, today),
            "municipality_choices": selectors.municipality_choices(scope.funds),
            "counted_at": _counted_at(),
            "can_drill": _drill_allowed(request.user, scope),
            "is_funder": has_role(request.user, "funder"),
            "editable_funds": [f for f in funds if can_edit_targets(request.user, f)[0]],
            "query": scope.query(),
            "series_by_quarter": scope.period.grain == ALL,
            "policy_warnings": policy_warnings(request.user, today),
        },
    )


def _csv_response(filename: str, header: list[str], rows: list[list[Any]]) -> HttpResponse:
    """A CSV for Dutch spreadsheets: semicolons, UTF-8 with a byte-order mark."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return response


def _cell_text(cell: Any) -> str:
    if cell.suppressed:
        return "x"
    if cell.value is None:
        return ""
    if cell.kind == "cents":
        return f"{cell.value / 100:.2f}".replace(".", ",")
    return str(cell.value)


@login_required
def table_csv(request: HttpRequest, key: str) -> HttpResponse:
    """Every table on the dashboard as CSV, with the same suppression as on screen."""
    _require_dashboard(request)
    _keep_current()
    scope = _scope(request)
    data = selectors.dashboard(
        scope,
        today=timezone.localdate(),
        drill_down=False,
        small_cells=sees_small_numbers(request.user),
    )
    name = f"{key}-{scope.period.key or 'alle'}.csv"
    if key == "series":
        points = data["series"]["points"]
        return _csv_response(
            name,
            [
                _("Periode"),
                *(str(MEASURE_LABELS[m]) for m in ("applications", "conversations", "vouchers")),
            ],
            [
                [
                    p["label"],
                    *(
                        "x" if p[m] is None else p[m]
                        for m in ("applications", "conversations", "vouchers")
                    ),
                ]
                for p in points
            ],
        )
    if key == "years":
        return _csv_response(
            name,
            [
                _("Fonds"),
                _("Jaar"),
                _("Cheques"),
                _("Doel cheques"),
                _("Gesprekken"),
                _("Doel gesprekken"),
            ],
            [
                [
                    line["fund"].short_name,
                    line["year"],
                    "x" if line["vouchers"] is None else line["vouchers"],
                    line["vouchers_target"] or "",
                    "x" if line["conversations"] is None else line["conversations"],
                    line["conversations_target"] or "",
                ]
                for line in data["years"]["lines"]
            ],
        )
    if key == "money":

        def euros(cents: int | None) -> str:
            return "x" if cents is None else f"{cents / 100:.2f}".replace(".", ",")

        return _csv_response(
            name,
            [
                _("Jaar"),
                _("Cheques"),
                _("Toegekend"),
                _("Verzilverde cheques"),
                _("Verzilverd"),
                _("Vrijgevallen"),
            ],
            [
                [
                    line["year"],
                    "x" if line["vouchers"] is None else line["vouchers"],
                    euros(line["granted_cents"]),
                    "x" if line["redeemed"] is None else line["redeemed"],
                    euros(line["paid_cents"]),
                    euros(line["released_cents"]),
                ]
                for line in data["money_years"]["lines"]
            ],
        )
    if key == "sources":
        rows = (
            data["categories"]
            if has_role(request.user, "funder")
            else [*data["sources"], *data["other_categories"]]
        )
        return _csv_response(
            name,
            [
                _("Fonds"),
                _("Bron"),
                _("Categorie"),
                _("Toegezegd"),
                _("Beschikbaar"),
                _("Geclaimd"),
                _("Vastgelegd"),
                _("Betaald"),
                _("Vrijgevallen"),
                _("Terugbetaald aan financier"),
                _("Overgeheveld"),
            ],
            [
                [
                    row["fund"].short_name,
                    row["source"].name if "source" in row else "",
                    row["category"],
                    *(f"{row[k] / 100:.2f}".replace(".", ",") for k in SourceBalance.AMOUNT_FIELDS),
                ]
                for row in rows
            ],
        )
    if key == "outcomes":
        lines = []
        for group in data["outcomes"]["groups"]:
            for line in group["lines"]:
                s = line["summary"]
                lines.append(
                    [
                        str(group["title"]),
                        str(line["label"]),
                        line["wave"],
                        s.sent,
                        "x" if line["hidden"] else s.responses,
                        "" if line["hidden"] else s.finished,
                        "" if line["hidden"] else s.certificate,
                        *(("",) * 5 if line["hidden"] else (n for _label, n in line["changes"])),
                    ]
                )
        return _csv_response(
            name,
            [
                _("Indeling"),
                _("Groep"),
                _("Na maanden"),
                _("Verstuurd"),
                _("Antwoorden"),
                _("Afgerond"),
                _("Diploma of certificaat"),
                *(str(label) for label in data["outcomes"]["change_labels"]),
            ],
            lines,
        )
    table = next((t for t in data["tables"] if t.key == key), None)
    if table is None:
        raise Http404(_("Deze tabel bestaat niet."))
    return _csv_response(
        name,
        [str(table.title), *(str(c.label) for c in table.columns)],
        [[str(row.label), *(_cell_text(c) for c in row.cells)] for row in table.all_rows()],
    )


@login_required
def drilldown(request: HttpRequest) -> HttpResponse:
    """The applications behind one number (fund staff only), paged; CSV for the whole list."""
    _require_dashboard(request)
    scope = _scope(request)
    if not _drill_allowed(request.user, scope):
        raise PermissionDenied(
            _("De lijst achter dit getal is alleen voor medewerkers van het fonds.")
        )
    dim = request.GET.get("dim", "total")
    value = request.GET.get("value", "")
    measure = request.GET.get("measure", "applications")
    try:
        base = selectors.drilldown_facts(scope, dim=dim, value=value, measure=measure)
    except ValueError as error:
        raise Http404(_("Onbekende lijst.")) from error
    facts = selectors.drilldown(base, measure)
    heading = selectors.describe(dim, value)
    is_cents = measure.endswith("_cents")
    if request.GET.get("format") == "csv":
        rows = selectors.drilldown_rows(facts.iterator())
        return _csv_response(
            f"lijst-{measure}-{scope.period.key or 'alle'}.csv",
            [
                _("Referentie"),
                _("Fonds"),
                _("Ingediend"),
                _("Status"),
                _("Route"),
                _("Loopbaanroute"),
                _("Gemeente"),
                str(MEASURE_LABELS.get(measure, measure)),
            ],
            [
                [
                    r["reference"],
                    r["fund"],
                    timezone.localtime(r["submitted_on"]).strftime("%d-%m-%Y"),
                    r["state"],
                    r["route"],
                    r["career_route"],
                    r["municipality"],
                    f"{r['amount'] / 100:.2f}".replace(".", ",") if is_cents else r["amount"],
                ]
                for r in rows
            ],
        )
    paginator = Paginator(facts, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    total = int(base.aggregate(total=Sum(measure))["total"] or 0)
    return render(
        request,
        "monitoring/drilldown.html",
        {
            "scope": scope,
            "heading": heading,
            "measure": measure,
            "measure_label": MEASURE_LABELS.get(measure, measure),
            "is_cents": is_cents,
            "page": page,
            "rows": selectors.drilldown_rows(page.object_list),
            "count": paginator.count,
            "total": total,
            "query": scope.query(dim=dim, value=value, measure=measure),
            "back": scope.query(),
            "municipality_name": dict(selectors.municipality_choices(scope.funds)).get(
                scope.municipality, ""
            ),
        },
    )


def _report_request(request: HttpRequest) -> tuple[Fund, Any, str, bool]:
    _require_dashboard(request)
    _keep_current()
    funds = list(dashboard_funds(request.user))
    fund = next(
        (f for f in funds if f.slug == request.GET.get("fund")), funds[0] if funds else None
    )
    if fund is None:
        raise PermissionDenied(_("U bent nog niet gekoppeld aan een fonds."))
    today = timezone.localdate()
    periods = reports.report_periods(today)
    try:
        period = parse_period(request.GET.get("period", ""))
    except DomainError:
        period = periods[1] if len(periods) > 1 else periods[0]
    if period.grain in (ALL, MONTH):
        period = periods[1] if len(periods) > 1 else periods[0]
    funder = request.GET.get("funder", "")
    if funder and funder not in reports.funders_of(fund):
        funder = ""
    # Funders get small numbers suppressed; a report addressed to a funder is too.
    suppress = not sees_small_numbers(request.user) or bool(funder)
    return fund, period, funder, suppress


@login_required
def report(request: HttpRequest) -> HttpResponse:
    fund, period, funder, suppress = _report_request(request)
    today = timezone.localdate()
    data = reports.report_data(
        fund=fund, period=period, funder=funder, suppress=suppress, today=today
    )
    return render(
        request,
        "monitoring/report.html",
        {
            **data,
            "title": reports.report_title(data),
            "funds": list(dashboard_funds(request.user)),
            "periods": reports.report_periods(today),
            "funders": reports.funders_of(fund),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def report_pdf(request: HttpRequest) -> HttpResponse:
    fund, period, funder, suppress = _report_request(request)
    data = reports.report_data(
        fund=fund, period=period, funder=funder, suppress=suppress, today=timezone.localdate()
    )
    response = HttpResponse(reports.report_pdf(data), content_type="application/pdf")
    response["Content-Disposition"] = (
        f'attachment; filename="{reports.report_filename(data, "pdf")}"'
    )
    return response


@login_required
def report_xlsx(request: HttpRequest) -> HttpResponse:
    fund, period, funder, suppress = _report_request(request)
    data = reports.report_data(
        fund=fund, period=period, funder=funder, suppress=suppress, today=timezone.localdate()
    )
    response = HttpResponse(
        reports.report_xlsx(data),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{reports.report_filename(data, "xlsx")}"'
    )
    return response


def _open_data_scope(request: HttpRequest) -> selectors.Scope:
    _require_dashboard(request)
    _keep_current()
    scope = _scope(request)
    # Open data is for the whole region: a municipality filter would only make cells smaller.
    scope.municipality = ""
    if scope.period.grain == MONTH:
        scope.period = parse_period(str(scope.period.start.year if scope.period.start else ""))
    return scope


@login_required
def open_data(request: HttpRequest) -> HttpResponse:
    scope = _open_data_scope(request)
    today = timezone.localdate()
    return render(
        request,
        "monitoring/open_data.html",
        {
            "scope": scope,
            "tables": opendata.preview(scope.funds, scope.period),
            "columns": opendata.COLUMNS,
            "specs": opendata.SPECS,
            "minimum": max(
                (t.min_cell for t in selectors.fund_targets(scope.funds).values()), default=10
            ),
            "funds": list(dashboard_funds(request.user)),
            "period_choices": [
                c for c in selectors.period_choices(scope, today) if "-" not in c[0]
            ],
            "query": scope.query(),
        },
    )


@login_required
def open_data_zip(request: HttpRequest) -> HttpResponse:
    scope = _open_data_scope(request)
    response = HttpResponse(
        opendata.open_data_zip(scope.funds, scope.period), content_type="application/zip"
    )
    slug = scope.chosen_fund.slug if scope.chosen_fund else "fondsen"
    response["Content-Disposition"] = (
        f'attachment; filename="open-data-{slug}-{scope.period.key or "alle"}.zip"'
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def targets(request: HttpRequest, slug: str) -> HttpResponse:
    fund = get_object_or_404(Fund, slug=slug)
    allowed, reason = can_edit_targets(request.user, fund)
    if not allowed:
        raise PermissionDenied(reason)
    current = selectors.fund_targets([fund])[fund.pk]
    initial = {name: getattr(current, name) for name in TargetForm.base_fields}
    form = TargetForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        fund_target_save(fund=fund, actor=request.user, data=form.cleaned_data)
        messages.success(
            request, _("De doelen van %(fund)s zijn opgeslagen.") % {"fund": fund.name}
        )
        return redirect(f"{request.path}")
    return render(
        request, "monitoring/targets.html", {"fund": fund, "form": form, "target": current}
    )


# --- the outcome questionnaire ------------------------------------------------------------


def _answer(request: HttpRequest, survey: OutcomeSurvey, via: str, actor: Any) -> HttpResponse:
    if survey.status != OutcomeSurvey.Status.SENT:
        return render(request, "monitoring/survey_done.html", {"survey": survey}, status=200)
    form = OutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            outcome_survey_answer(survey=survey, actor=actor, via=via, answers=form.cleaned_data)
        except DomainError:
            survey.refresh_from_db()
        else:
            survey.refresh_from_db()
            return render(
                request, "monitoring/survey_done.html", {"survey": survey, "thanks": True}
            )
    return render(
        request,
        "monitoring/survey_answer.html",
        {"survey": survey, "form": form, "application": survey.application},
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def survey_answer(request: HttpRequest, token: str) -> HttpResponse:
    """The one-time link from the e-mail: the GET only shows the form (mail scanners)."""
    survey = survey_from_token(token)
    if survey is None:
        raise Http404(_("Deze link is niet (meer) geldig."))
    actor = request.user if request.user.is_authenticated else None
    return _answer(request, survey, OutcomeSurvey.Via.LINK, actor)


@login_required
def my_surveys(request: HttpRequest) -> HttpResponse:
    surveys = OutcomeSurvey.objects.filter(application__applicant=request.user).select_related(
        "application__fund"
    )
    return render(request, "monitoring/my_surveys.html", {"surveys": surveys})


@login_required
@require_http_methods(["GET", "POST"])
def my_survey(request: HttpRequest, pk: int) -> HttpResponse:
    survey = get_object_or_404(
        OutcomeSurvey.objects.select_related("application__fund"),
        pk=pk,
        application__applicant=request.user,
    )
    return _answer(request, survey, OutcomeSurvey.Via.LOGIN, request.user)


@login_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """Answers one by one, for fund staff who may see applications (never for funders)."""
    _require_dashboard(request)
    scope = _scope(request)
    if not _drill_allowed(request.user, scope):
        raise PermissionDenied(_("De antwoorden zijn alleen voor medewerkers van het fonds."))
    surveys = (
        OutcomeSurvey.objects.filter(application__fund__in=scope.funds)
        .select_related("application__fund")
        .order_by("-sent_at", "-id")
    )
    if request.GET.get("format") == "csv":
        return _csv_response(
            "vragenlijsten.csv",
            [
                _("Referentie"),
                _("Fonds"),
                _("Route"),
                _("Na maanden"),
                _("Status"),
                _("Verstuurd"),
                _("Ingevuld"),
                _("Afgerond"),
                _("Diploma of certificaat"),
                _("Verandering in werk"),
                _("Toelichting"),
            ],
            [
                [
                    s.application.reference,
                    s.application.fund.short_name,
                    s.application.get_route_display(),
                    s.wave,
                    s.get_status_display(),
                    timezone.localtime(s.sent_at).strftime("%d-%m-%Y"),
                    timezone.localtime(s.answered_at).strftime("%d-%m-%Y") if s.answered_at else "",
                    FINISHED_LABELS.get(s.finished, ""),
                    CERTIFICATE_LABELS.get(s.certificate, ""),
                    JOB_CHANGE_LABELS.get(s.job_change, ""),
                    s.comment,
                ]
                for s in surveys.iterator()
            ],
        )
    page = Paginator(surveys, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/surveys.html",
        {"page": page, "scope": scope, "query": scope.query(), "measures": MEASURES},
    )

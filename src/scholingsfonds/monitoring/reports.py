"""The periodic report (quarter, year) per fund and per funder, as HTML, PDF and Excel."""

from __future__ import annotations

import io
from datetime import date
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from scholingsfonds.budget.models import FundingSource
from scholingsfonds.funds.models import Fund
from scholingsfonds.monitoring.domain import figures
from scholingsfonds.monitoring.domain.periods import QUARTER, YEAR, Period, period_of
from scholingsfonds.monitoring.labels import DIMENSION_LABELS, MEASURE_LABELS, Labeller
from scholingsfonds.monitoring.selectors import (
    Drill,
    Scope,
    Table,
    breakdown_table,
    combine,
    fund_targets,
    outcome_tables,
    source_period_flows,
    tally_rows,
)

REPORT_DIMS = (
    "route",
    "career_route",
    "work_status",
    "education",
    "age_band",
    "gender",
    "migration",
    "municipality",
    "sector",
)
REPORT_MEASURES = ("applications", "conversations", "vouchers", "granted_cents", "paid_cents")


def report_periods(today: date, years: int = 4) -> list[Period]:
    """The quarters and years a report can be made for, newest first."""
    periods: list[Period] = []
    for year in range(today.year, today.year - years, -1):
        periods.append(period_of(YEAR, date(year, 1, 1)))
        for month in (10, 7, 4, 1):
            start = date(year, month, 1)
            if start <= today:
                periods.append(period_of(QUARTER, start))
    return periods


def funders_of(fund: Fund) -> list[str]:
    return sorted(set(FundingSource.objects.filter(fund=fund).values_list("funder", flat=True)))


def report_data(
    *, fund: Fund, period: Period, funder: str = "", suppress: bool, today: date
) -> dict[str, Any]:
    """Everything the report shows; with `suppress`, small numbers are left out."""
    scope = Scope(funds=[fund], period=period, chosen_fund=fund)
    data = combine(tally_rows(scope, ("total", *REPORT_DIMS)))
    total = data.get("total", {}).get("", figures.empty_row())
    target = fund_targets([fund])[fund.pk]
    minimum = target.min_cell if suppress else None
    labeller = Labeller()
    drill = Drill(scope, enabled=False)
    tables: list[Table] = [
        breakdown_table(
            key=dim,
            title=DIMENSION_LABELS[dim],
            dim=dim,
            rows_by_value=data.get(dim, {}),
            measures=REPORT_MEASURES,
            labeller=labeller,
            drill=drill,
            minimum=minimum,
            total=total,
            order="size" if dim == "municipality" else "choices",
            chart_measures=(),
        )
        for dim in REPORT_DIMS
    ]

    def hidden(measure: str) -> bool:
        return minimum is not None and int(total.get(measure, 0)) < minimum

    sectors = data.get("sector", {})
    priority = figures.share_in(sectors, target.priority_sectors or [], "vouchers")
    lead = figures.lead_times(total)
    key_figures = []
    for measure, per_year in (
        ("applications", target.applications_per_year),
        ("conversations", target.conversations_per_year),
        ("referrals", None),
        ("vouchers", target.vouchers_per_year),
        ("granted_cents", None),
        ("redeemed", None),
        ("paid_cents", None),
        ("released_cents", None),
    ):
        follows = {"granted_cents": "vouchers", "paid_cents": "redeemed"}.get(measure, measure)
        progress = figures.Progress(
            int(total.get(measure, 0)), figures.prorated_target(per_year, period)
        )
        key_figures.append(
            {
                "key": measure,
                "label": MEASURE_LABELS[measure],
                "kind": "cents" if measure.endswith("_cents") else "count",
                "value": None if hidden(follows) else progress.actual,
                "target": progress.target,
                "percent": None if hidden(follows) else progress.percent,
            }
        )
    sources = FundingSource.objects.filter(fund=fund).select_related("balance")
    if funder:
        sources = sources.filter(funder=funder)
    sources = list(sources.order_by("order", "id"))
    flows = source_period_flows(sources, period)
    money = []
    for source in sources:
        flow = flows.get(source.pk, {})
        money.append(
            {
                "source": source,
                "category": source.get_category_display(),
                "pledged": flow.get("pledged_end", 0),
                "committed_in": flow.get("committed_in", 0),
                "paid_in": flow.get("paid_in", 0),
                "released_in": flow.get("released_in", 0),
                "vouchers_in": flow.get("vouchers_in", 0),
                "committed_end": flow.get("committed_end", 0),
                "paid_end": flow.get("paid_end", 0),
                "available_end": flow.get("available_end", 0),
            }
        )
    money_total = {
        k: sum(row[k] for row in money)
        for k in (
            "pledged",
            "committed_in",
            "paid_in",
            "released_in",
            "vouchers_in",
            "committed_end",
            "paid_end",
            "available_end",
        )
    }
    return {
        "fund": fund,
        "period": period,
        "funder": funder,
        "generated_at": timezone.localtime(),
        "today": today,
        "key_figures": key_figures,
        "priority": {
            "sectors": [labeller.label("sector", s) for s in target.priority_sectors or []],
            "vouchers": priority,
            "percent": None
            if hidden("vouchers")
            else figures.percent(priority, int(total["vouchers"])),
            "target": target.priority_share_percent,
        },
        "lead": lead,
        "tables": tables,
        "outcomes": outcome_tables(data, minimum=minimum),
        "money": money,
        "money_total": money_total,
        "minimum": minimum,
        "suppressed": suppress,
    }


def report_title(report: dict[str, Any]) -> str:
    title = _("Rapportage %(fund)s, %(period)s") % {
        "fund": report["fund"].name,
        "period": report["period"].label_nl,
    }
    if report["funder"]:
        title += " – " + _("voor %(funder)s") % {"funder": report["funder"]}
    return title


def report_filename(report: dict[str, Any], extension: str) -> str:
    funder = (
        "-" + "".join(c for c in report["funder"].lower() if c.isalnum())
        if report["funder"]
        else ""
    )
    return f"rapportage-{report['fund'].slug}-{report['period'].key}{funder}.{extension}"


def report_pdf(report: dict[str, Any]) -> bytes:
    """The report as PDF (WeasyPrint), from the same data as the HTML page."""
    from weasyprint import HTML

    html = render_to_string("monitoring/report_pdf.html", {**report, "title": report_title(report)})
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def report_xlsx(report: dict[str, Any]) -> bytes:
    """The report as an Excel workbook: numbers as numbers, euros formatted, one sheet a part."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    euro = '"€" #,##0.00'
    bold = Font(bold=True)
    book = Workbook()
    summary = book.active
    summary.title = _("Samenvatting")[:31]
    summary.append([report_title(report)])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Gemaakt op"), report["generated_at"].strftime("%d-%m-%Y %H:%M")])
    if report["minimum"]:
        summary.append(
            [_("Aantallen kleiner dan %(n)s en wat ze zou verraden: x") % {"n": report["minimum"]}]
        )
    summary.append([])
    summary.append([_("Kerncijfer"), _("Aantal of bedrag"), _("Doel"), _("% van doel")])
    for cell in summary[summary.max_row]:
        cell.font = bold
    for item in report["key_figures"]:
        value = item["value"]
        if value is not None and item["kind"] == "cents":
            value = value / 100
        summary.append(
            [str(item["label"]), "x" if value is None else value, item["target"], item["percent"]]
        )
        if item["kind"] == "cents":
            summary.cell(row=summary.max_row, column=2).number_format = euro
    lead = report["lead"]
    summary.append([_("Gemiddeld dagen tot gesprek"), lead.days_to_conversation])
    summary.append([_("Gemiddeld dagen tot besluit"), lead.days_to_decision])
    summary.append([_("Besluiten binnen de termijn (%)"), lead.in_term_percent])
    priority = report["priority"]
    summary.append(
        [_("Aandeel cheques in prioritaire sectoren (%)"), priority["percent"], priority["target"]]
    )
    summary.column_dimensions["A"].width = 48
    summary.column_dimensions["B"].width = 18

    sheet = book.create_sheet(_("Kenmerken")[:31])
    for table in report["tables"]:
        sheet.append([str(table.title)])
        sheet.cell(row=sheet.max_row, column=1).font = Font(bold=True, size=12)
        sheet.append(["", *[str(c.label) for c in table.columns]])
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        for row in table.all_rows():
            sheet.append(
                [
                    str(row.label),
                    *[
                        "x"
                        if cell.suppressed
                        else (cell.value / 100 if cell.kind == "cents" else cell.value)
                        for cell in row.cells
                    ],
                ]
            )
            for index, cell in enumerate(row.cells, start=2):
                if cell.kind == "cents":
                    sheet.cell(row=sheet.max_row, column=index).number_format = euro
            if row.is_total:
                for cell in sheet[sheet.max_row]:
                    cell.font = bold
        sheet.append([])
    sheet.column_dimensions["A"].width = 44

    money = book.create_sheet(_("Geld")[:31])
    money.append(
        [
            _("Bron"),
            _("Financier"),
            _("Categorie"),
            _("Toegezegd (einde periode)"),
            _("Vastgelegd in periode"),
            _("Betaald in periode"),
            _("Vrijgevallen in periode"),
            _("Cheques in periode"),
            _("Vastgelegd (einde periode)"),
            _("Betaald (totaal)"),
            _("Beschikbaar (einde periode)"),
        ]
    )
    for cell in money[1]:
        cell.font = bold
    for row in [*report["money"], None]:
        line = row or {"source": None, "category": "", **report["money_total"]}
        money.append(
            [
                line["source"].name if line["source"] else _("Totaal"),
                line["source"].funder if line["source"] else "",
                str(line["category"]),
                line["pledged"] / 100,
                line["committed_in"] / 100,
                line["paid_in"] / 100,
                line["released_in"] / 100,
                line["vouchers_in"],
                line["committed_end"] / 100,
                line["paid_end"] / 100,
                line["available_end"] / 100,
            ]
        )
        for column in (4, 5, 6, 7, 9, 10, 11):
            money.cell(row=money.max_row, column=column).number_format = euro
    money.column_dimensions["A"].width = 36

    outcomes = book.create_sheet(_("Uitkomsten")[:31])
    outcomes.append(
        [
            _("Groep"),
            _("Na maanden"),
            _("Verstuurd"),
            _("Antwoorden"),
            _("Afgerond (%)"),
            _("Diploma of certificaat (%)"),
            _("Stap op de arbeidsmarkt (%)"),
            *[str(label) for label in report["outcomes"]["change_labels"]],
        ]
    )
    for cell in outcomes[1]:
        cell.font = bold
    for group in report["outcomes"]["groups"]:
        for line in group["lines"]:
            summary_ = line["summary"]
            if line["hidden"]:
                outcomes.append([str(line["label"]), line["wave"], summary_.sent, "x"])
                continue
            outcomes.append(
                [
                    str(line["label"]),
                    line["wave"],
                    summary_.sent,
                    summary_.responses,
                    summary_.finished_percent,
                    summary_.certificate_percent,
                    summary_.better_position_percent,
                    *[n for _label, n in line["changes"]],
                ]
            )
    outcomes.column_dimensions["A"].width = 36
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()

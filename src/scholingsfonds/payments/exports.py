"""The funder report as a spreadsheet (openpyxl) and as a PDF (WeasyPrint, from a template)."""

from io import BytesIO
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.text import slugify

from scholingsfonds.payments.selectors import (
    FINAL_REPORT_COLUMNS,
    REPORT_FLOW_KINDS,
    FinalReport,
    FunderReport,
)

FLOW_LABELS_NL = {
    "commit": "Vastgelegd (toegekende cheques)",
    "pay": "Betaald (verzilverde cheques)",
    "release": "Vrijgevallen (terug naar beschikbaar)",
    "recover": "Teruggevorderd (betaald, terug naar beschikbaar)",
}
BALANCE_LABELS_NL = {
    "pledged_cents": "Toegezegd",
    "claimed_cents": "Geclaimd",
    "committed_cents": "Vastgelegd",
    "paid_cents": "Betaald",
    "released_cents": "Vrijgevallen (totaal)",
    "returned_cents": "Terugbetaald aan financier (afsluiting)",
    "carried_cents": "Overgeheveld naar volgende periode (afsluiting)",
    "available_cents": "Beschikbaar",
}
EURO_FORMAT = '"€" #,##0.00'


def report_context(report: FunderReport) -> dict[str, Any]:
    """What both the HTML screen and the PDF show; the totals the tests reconcile."""
    return {
        "report": report,
        "source": report.source,
        "fund": report.source.fund,
        "flow_rows": [
            {"kind": kind, "label": FLOW_LABELS_NL[kind], **report.flows[kind]}
            for kind in REPORT_FLOW_KINDS
        ],
        "balance_rows": [
            {"key": key, "label": label, "cents": report.balances_end[key]}
            for key, label in BALANCE_LABELS_NL.items()
        ],
        "reconciliation_rows": [
            {**row, "label": BALANCE_LABELS_NL[row["key"]]} for row in report.reconciliation()
        ],
        "participants": report.participants,
        "cofinancing": report.cofinancing,
        "cofinancing_fund": report.cofinancing_fund,
    }


def report_filename(report: FunderReport, extension: str) -> str:
    return (
        f"rapport-{report.source.fund.slug}-bron{report.source.pk}-"
        f"{report.start:%Y%m%d}-{report.end:%Y%m%d}.{extension}"
    )


def report_xlsx(report: FunderReport) -> bytes:
    """A workbook with one sheet per part; amounts in euros and, for reconciling, in cents."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    summary = workbook.active
    summary.title = "Geld"
    source = report.source
    for row in (
        ("Fonds", source.fund.name),
        ("Bron", source.name),
        ("Financier", source.funder),
        ("Categorie", source.get_category_display()),
        ("Periode van", report.start),
        ("Periode tot en met", report.end),
        ("Gemaakt op", timezone.localtime(report.generated_at).replace(tzinfo=None)),
    ):
        summary.append(row)
        summary.cell(row=summary.max_row, column=1).font = bold
    summary.append(())
    summary.append(("Scholingscheques in de periode", "Aantal cheques", "Bedrag", "Bedrag in cent"))
    for cell in summary[summary.max_row]:
        cell.font = bold
    for kind in REPORT_FLOW_KINDS:
        flow = report.flows[kind]
        summary.append((FLOW_LABELS_NL[kind], flow["count"], flow["cents"] / 100, flow["cents"]))
        summary.cell(row=summary.max_row, column=3).number_format = EURO_FORMAT
    summary.append(())
    summary.append((f"Stand op {report.end:%d-%m-%Y}", "", "Bedrag", "Bedrag in cent"))
    for cell in summary[summary.max_row]:
        cell.font = bold
    for key, label in BALANCE_LABELS_NL.items():
        cents = report.balances_end[key]
        summary.append((label, "", cents / 100, cents))
        summary.cell(row=summary.max_row, column=3).number_format = EURO_FORMAT
    if report.reallocations:
        summary.append(())
        summary.append(("Herverdelingen in de periode", "Datum", "Bedrag", "Bedrag in cent"))
        for cell in summary[summary.max_row]:
            cell.font = bold
        for item in report.reallocations:
            summary.append(
                (
                    item["memo"],
                    timezone.localtime(item["created_at"]).date(),
                    item["amount_cents"] / 100,
                    item["amount_cents"],
                )
            )
            summary.cell(row=summary.max_row, column=3).number_format = EURO_FORMAT
    summary.append(())
    summary.append(
        (
            "Aansluiting met het grootboek (in cent)",
            f"Begin {report.start:%d-%m-%Y}",
            "Boekingen in de periode",
            f"Eind {report.end:%d-%m-%Y}",
        )
    )
    for cell in summary[summary.max_row]:
        cell.font = bold
    for row in report.reconciliation():
        summary.append(
            (
                BALANCE_LABELS_NL[row["key"]],
                row["start_cents"],
                row["movement_cents"],
                row["end_cents"],
            )
        )
    summary.column_dimensions["A"].width = 44
    for column in "BCD":
        summary.column_dimensions[column].width = 22

    _cofinancing_sheet(workbook.create_sheet("Cofinanciering"), report, bold)

    people = workbook.create_sheet("Deelnemers")
    people.append(("Deelnemers met een cheque uit deze bron in de periode (alleen aantallen)",))
    people.cell(row=1, column=1).font = bold
    people.append(("Totaal", report.participants["total"]))
    for title, key in (
        ("Route", "by_route"),
        ("Loopbaanroute", "by_career_route"),
        ("Gemeente", "by_municipality"),
    ):
        people.append(())
        people.append((title, "Aantal"))
        for cell in people[people.max_row]:
            cell.font = bold
        for label, count in report.participants[key]:
            people.append((label or "Onbekend", count))
    people.column_dimensions["A"].width = 44
    people.column_dimensions["B"].width = 12

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cofinancing_sheet(sheet: Any, report: FunderReport, bold: Any) -> None:
    """Who pays the other share of the vouchers from this source; the fund's total to date."""

    def header(*cells: Any) -> None:
        sheet.append(cells)
        for cell in sheet[sheet.max_row]:
            cell.font = bold

    def money(row: tuple[Any, ...]) -> None:
        sheet.append(row)
        for column in (2, 4):
            sheet.cell(row=sheet.max_row, column=column).number_format = EURO_FORMAT

    header(
        "Cofinanciering bij de cheques uit deze bron in de periode",
    )
    header("Betaler", "Toegezegd", "Toegezegd in cent", "Bevestigd", "Bevestigd in cent")
    for row in report.cofinancing["per_payer"]:
        money((str(row["label"]), *_euro_and_cents(row["promised"], row["confirmed"])))
    totals = report.cofinancing["totals"]
    money(("Totaal", *_euro_and_cents(totals["promised"], totals["confirmed"])))
    sheet.append(())
    header(
        "Per werkgever",
        "Toegezegd",
        "Toegezegd in cent",
        "Bevestigd",
        "Bevestigd in cent",
        "Cheques",
    )
    rows = [(row["name"], row) for row in report.cofinancing["per_employer"]]
    few = report.cofinancing["small_employers"]
    if few:
        label = (
            f"{few['count']} werkgever(s) met minder dan "
            f"{report.cofinancing['min_vouchers']} cheques, samen"
        )
        rows.append((label, few))
    rest = report.cofinancing["without_employer"]
    if rest:
        rows.append(("Werkgever niet bekend (individuele route)", rest))
    for label, row in rows:
        money((label, *_euro_and_cents(row["promised"], row["confirmed"]), row["vouchers"]))
    for expected in report.cofinancing_fund["expected"]:
        sheet.append(())
        header(f"Het fonds tot nu toe tegen de verwachte cofinanciering ({expected['fund'].name})")
        header("", "Bedrag", "Bedrag in cent", "Deel van verwacht (%)")
        for label, cents, percent in (
            ("Verwacht", expected["expected_cents"], None),
            ("Toegezegd", expected["promised_cents"], expected["promised_percent"]),
            ("Bevestigd", expected["confirmed_cents"], expected["confirmed_percent"]),
        ):
            sheet.append((label, cents / 100, cents, float(percent) if percent is not None else ""))
            sheet.cell(row=sheet.max_row, column=2).number_format = EURO_FORMAT
    sheet.column_dimensions["A"].width = 52
    for column in "BCDE":
        sheet.column_dimensions[column].width = 18


def _euro_and_cents(promised: int, confirmed: int) -> tuple[float, int, float, int]:
    return promised / 100, promised, confirmed / 100, confirmed


def report_pdf(report: FunderReport) -> bytes:
    """The same figures as the screen, printed from payments/report_pdf.html."""
    from weasyprint import HTML

    # The PDF is a document for the funder's files: Dutch, like the decision letters.
    with translation.override("nl"):
        html = render_to_string("payments/report_pdf.html", report_context(report))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


# --- The final accountability report (eindverantwoording) ------------------------------------


def final_report_context(report: FinalReport) -> dict[str, Any]:
    """What the screen, the PDF and the workbook show: the same rows and totals."""
    return {
        "report": report,
        "fund": report.fund,
        "columns": FINAL_REPORT_COLUMNS,
        "rows": [
            {
                "source": row.source,
                "closure": row.closure,
                "pairs": [((label, key), row.figures[key]) for label, key in FINAL_REPORT_COLUMNS],
                "closure_text": _closure_text(row.closure),
                "run_off": row.run_off,
                "balanced": row.balanced,
            }
            for row in report.rows
        ],
        "total_pairs": [((label, key), report.totals[key]) for label, key in FINAL_REPORT_COLUMNS],
        "run_off": report.run_off,
    }


def final_report_filename(report: FinalReport, extension: str) -> str:
    funder = f"-{slugify(report.funder)}" if report.funder else ""
    generated = timezone.localtime(report.generated_at)
    return f"eindverantwoording-{report.fund.slug}{funder}-{generated:%Y%m%d}.{extension}"


def _closure_text(closure: Any) -> str:
    if closure is None:
        return "Nog niet afgesloten"
    state = "vastgesteld" if closure.approved else "voorgesteld, wacht op goedkeuring"
    if closure.decision == "carry_over":
        return (
            f"Overhevelen naar {closure.carry_to.name} "
            f"(toestemming {closure.consent_reference}); {state}"
        )
    return f"Terugbetalen aan de financier; {state}"


def final_report_xlsx(report: FinalReport) -> bytes:
    """One row per source, amounts in euros and in cents (for reconciling), then the run-off."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    bold = Font(bold=True)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Eindverantwoording"
    for row in (
        ("Fonds", report.fund.name),
        ("Financier", report.funder or "Alle financiers"),
        ("Gemaakt op", timezone.localtime(report.generated_at).replace(tzinfo=None)),
    ):
        sheet.append(row)
        sheet.cell(row=sheet.max_row, column=1).font = bold
    sheet.append(())
    header = ["Bron", "Financier", "Periode van", "Periode tot en met", "Afsluiting"]
    for label, _key in FINAL_REPORT_COLUMNS:
        header += [label, f"{label} (cent)"]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = bold

    def amounts(values: list[int]) -> list[Any]:
        out: list[Any] = []
        for cents in values:
            out += [cents / 100, cents]
        return out

    context = final_report_context(report)
    for row in context["rows"]:
        source = row["source"]
        sheet.append(
            [
                source.name,
                source.funder,
                source.period_start,
                source.period_end,
                _closure_text(row["closure"]),
                *amounts([cents for _label_key, cents in row["pairs"]]),
            ]
        )
        # Names are data typed by staff: written as text, never run as a formula.
        for cell in sheet[sheet.max_row]:
            if cell.data_type == "f":
                cell.data_type = "s"
        for n in range(len(FINAL_REPORT_COLUMNS)):
            sheet.cell(row=sheet.max_row, column=6 + 2 * n).number_format = EURO_FORMAT
    totals = [cents for _label_key, cents in context["total_pairs"]]
    sheet.append(["Totaal", "", "", "", "", *amounts(totals)])
    for cell in sheet[sheet.max_row]:
        cell.font = bold
    for n in range(len(FINAL_REPORT_COLUMNS)):
        sheet.cell(row=sheet.max_row, column=6 + 2 * n).number_format = EURO_FORMAT
    sheet.column_dimensions["A"].width = 48

    run_off = workbook.create_sheet("Afloop")
    run_off.append(("Nog vastgelegd geld per maand waarin de cheque verloopt",))
    run_off.cell(row=1, column=1).font = bold
    run_off.append(("Maand", "Bedrag", "Bedrag in cent"))
    for month, cents in context["run_off"]:
        run_off.append((month, cents / 100, cents))
        run_off.cell(row=run_off.max_row, column=1).number_format = "mmmm yyyy"
        run_off.cell(row=run_off.max_row, column=2).number_format = EURO_FORMAT
    run_off.column_dimensions["A"].width = 20

    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def final_report_pdf(report: FinalReport) -> bytes:
    from weasyprint import HTML

    with translation.override("nl"):
        html = render_to_string("payments/final_report_pdf.html", final_report_context(report))
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()

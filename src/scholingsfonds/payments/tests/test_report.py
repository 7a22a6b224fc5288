"""The funder report reconciles to the ledger to the cent, in HTML, PDF and xlsx alike."""

from datetime import date, datetime, time, timedelta
from io import BytesIO

import pytest
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.budget.models import JournalTransaction, Posting, SourceBalance
from scholingsfonds.budget.services import budget_pay_voucher, budget_release_voucher
from scholingsfonds.payments.exports import report_context, report_pdf
from scholingsfonds.payments.selectors import RECONCILED_ACCOUNTS, funder_report
from scholingsfonds.vouchers.services import recovery_create, recovery_settle

pytestmark = pytest.mark.django_db


def _start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def ledger_sum(source, start: date, end: date, kind: str, account: str) -> int:
    """The ledger's own answer: postings of the source in the period, summed."""
    return (
        Posting.objects.filter(
            source=source,
            transaction__kind=kind,
            account=account,
            transaction__created_at__gte=_start(start),
            transaction__created_at__lt=_start(end + timedelta(days=1)),
        ).aggregate(total=Sum("amount_cents"))["total"]
        or 0
    )


@pytest.fixture
def period_world(people, granted, twente, sources):
    """Both grants, a payment and a release in the period; an older grant before it."""
    today = timezone.localdate()
    first, second = granted["first"].voucher, granted["second"].voucher
    budget_pay_voucher(
        fund=twente, voucher_ref=second.code, amount_cents=60_001, actor=None, memo="Factuur"
    )
    budget_release_voucher(
        fund=twente, voucher_ref=second.code, amount_cents=30_003, actor=None, memo="Vrijval"
    )
    # The first grant happened long before the period: the report must leave it out.
    JournalTransaction.objects.filter(ref=first.code).update(
        created_at=_start(today - timedelta(days=200))
    )
    return {"start": today - timedelta(days=30), "end": today, "sources": sources}


def _expected(source, start, end):
    return {
        "commit": ledger_sum(source, start, end, "commit", "committed"),
        "pay": ledger_sum(source, start, end, "pay", "paid"),
        "release": -ledger_sum(source, start, end, "release", "committed"),
        "recover": -ledger_sum(source, start, end, "release", "paid"),
    }


@pytest.mark.parametrize("key", ["regio", "provincie"])
def test_report_totals_equal_the_ledger_to_the_cent(period_world, key):
    source = period_world["sources"][key]
    start, end = period_world["start"], period_world["end"]
    report = funder_report(source=source, start=start, end=end)
    expected = _expected(source, start, end)
    assert {k: v["cents"] for k, v in report.flows.items()} == expected
    # The HTML screen and the PDF are rendered from this context.
    context = report_context(report)
    assert {row["kind"]: row["cents"] for row in context["flow_rows"]} == expected
    assert expected["commit"] > 0
    # Balances at the end of the period equal the live balances (nothing happened since).
    source.balance.refresh_from_db()
    for column, value in report.balances_end.items():
        assert getattr(source.balance, column) == value, column


def test_report_leaves_out_what_happened_before_the_period(period_world):
    regio = period_world["sources"]["regio"]
    provincie = period_world["sources"]["provincie"]
    start, end = period_world["start"], period_world["end"]
    # Provincie paid EUR 1,500 for the first voucher (before) and EUR 500 for the second.
    report = funder_report(source=provincie, start=start, end=end)
    assert report.flows["commit"] == {"count": 1, "cents": 50_000}
    assert report.participants["total"] == 1
    whole = funder_report(source=provincie, start=start - timedelta(days=365), end=end)
    assert whole.flows["commit"] == {"count": 2, "cents": 200_000}
    assert whole.participants["total"] == 2
    # The second voucher: EUR 600.01 paid, EUR 300.03 released, from Provincie first.
    pay = funder_report(source=regio, start=start, end=end).flows["pay"]
    assert pay["cents"] + report.flows["pay"]["cents"] == 60_001


def test_xlsx_read_back_equals_the_ledger(client, people, period_world):
    from openpyxl import load_workbook

    source = period_world["sources"]["regio"]
    start, end = period_world["start"], period_world["end"]
    client.force_login(people["funder"])
    assert (
        client.get(reverse("payments:report_xlsx", args=[source.pk])).status_code == 403
    )  # Regio is not the funder's
    client.force_login(people["finance"])
    response = client.get(
        reverse("payments:report_xlsx", args=[source.pk]),
        {"van": start.isoformat(), "tot": end.isoformat()},
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "attachment" in response["Content-Disposition"]
    workbook = load_workbook(BytesIO(response.content))
    rows = {row[0]: row for row in workbook["Geld"].iter_rows(values_only=True) if row[0]}
    expected = _expected(source, start, end)
    assert rows["Vastgelegd (toegekende cheques)"][3] == expected["commit"]
    assert rows["Betaald (verzilverde cheques)"][3] == expected["pay"]
    assert rows["Vrijgevallen (terug naar beschikbaar)"][3] == expected["release"]
    assert round(rows["Vastgelegd (toegekende cheques)"][2] * 100) == expected["commit"]
    source.balance.refresh_from_db()
    assert rows["Beschikbaar"][3] == source.balance.available_cents
    people_sheet = [r for r in workbook["Deelnemers"].iter_rows(values_only=True)]
    assert ("Totaal", 1) in people_sheet


def test_html_and_pdf_show_the_same_totals_and_no_personal_data(
    client, people, period_world, granted
):
    source = period_world["sources"]["regio"]
    start, end = period_world["start"], period_world["end"]
    client.force_login(people["manager"])
    query = {"van": start.isoformat(), "tot": end.isoformat()}
    response = client.get(reverse("payments:report", args=[source.pk]), query)
    assert response.status_code == 200
    expected = _expected(source, start, end)
    assert {r["kind"]: r["cents"] for r in response.context["flow_rows"]} == expected
    body = response.content.decode()
    for application in granted.values():
        assert application.last_name not in body and application.email not in body
    assert "Individuele route" in body
    pdf = client.get(reverse("payments:report_pdf", args=[source.pk]), query)
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    # The PDF is printed from the same context (WeasyPrint, real).
    assert report_pdf(funder_report(source=source, start=start, end=end))[:5] == b"%PDF-"


def test_a_bad_period_is_refused_with_the_reason(client, people, sources):
    client.force_login(people["finance"])
    url = reverse("payments:report", args=[sources["regio"].pk])
    # Only the order of the two dates matters here, whatever today is.
    response = client.get(url, {"van": "2026-05-01", "tot": "2026-04-01"})  # legal-date
    assert response.status_code == 400
    assert "De einddatum ligt voor de begindatum." in response.content.decode()
    xlsx = reverse("payments:report_xlsx", args=[sources["regio"].pk])
    assert (
        client.get(xlsx, {"van": "gisteren", "tot": "2026-04-01"}).status_code == 400
    )  # legal-date


def test_funder_downloads_its_own_report(client, people, period_world):
    client.force_login(people["funder"])
    source = period_world["sources"]["provincie"]
    response = client.get(reverse("payments:report_pdf", args=[source.pk]))
    assert response.status_code == 200
    assert response.content[:5] == b"%PDF-"


def _pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages)


def _euro(cents: int) -> str:
    """As the |euro filter writes it: "€ 1.234,56" (a plain space after the sign)."""
    whole, rest = divmod(cents, 100)
    return f"€ {whole:,}".replace(",", ".") + f",{rest:02d}"


@pytest.fixture
def recovered(period_world, granted, people):
    """EUR 100 of the second voucher's payment recovered from the provider in the period."""
    recovery = recovery_create(granted["second"].voucher, 10_000, "te veel betaald", None)
    recovery_settle(recovery=recovery, actor=people["finance"], received=True, note="ontvangen")
    return period_world


@pytest.mark.parametrize("key", ["regio", "provincie"])
def test_start_plus_the_periods_postings_is_the_end_for_every_balance(recovered, key):
    source = recovered["sources"][key]
    start, end = recovered["start"], recovered["end"]
    report = funder_report(source=source, start=start, end=end)
    rows = {row["key"]: row for row in report.reconciliation()}
    assert set(rows) == {key for key, _account, _sign in RECONCILED_ACCOUNTS}
    for row in rows.values():
        assert row["start_cents"] + row["movement_cents"] == row["end_cents"], row
    # Each column is the ledger's own answer: the live balance at the end (nothing happened
    # since), the postings of the period, and what was there before the period.
    live = SourceBalance.objects.get(source=source)
    for column, row in rows.items():
        assert row["end_cents"] == getattr(live, column), column
    before = Posting.objects.filter(source=source, transaction__created_at__lt=_start(start))
    committed_before = before.filter(account="committed").aggregate(t=Sum("amount_cents"))["t"]
    assert rows["committed_cents"]["start_cents"] == (committed_before or 0)
    # The recovery is its own line: money paid that came back to available.
    assert report.flows["recover"]["cents"] == _expected(source, start, end)["recover"]


def test_the_recovery_appears_once_over_the_sources_that_paid(recovered):
    start, end = recovered["start"], recovered["end"]
    recovered_cents = sum(
        funder_report(source=recovered["sources"][key], start=start, end=end).flows["recover"][
            "cents"
        ]
        for key in ("regio", "provincie")
    )
    assert recovered_cents == 10_000


def test_the_report_says_who_pays_the_other_share(client, people, period_world, granted):
    """Co-financing per payer and employer of the source's vouchers, and the fund's total
    against the EUR 3.75 M Twente expects, on screen, in the PDF and in the workbook."""
    from openpyxl import load_workbook

    source = period_world["sources"]["provincie"]
    start, end = period_world["start"], period_world["end"]
    report = funder_report(source=source, start=start, end=end)
    # Only the second voucher took Provincie money in the period; half its cost is co-financed.
    second = granted["second"]
    promised = sum(int(part["amount_cents"]) for part in second.cofinancing)
    assert promised == 150_000
    assert report.cofinancing["totals"] == {"promised": promised, "confirmed": 0}
    fund_wide = report.cofinancing_fund["expected"]
    assert [row["expected_cents"] for row in fund_wide] == [375_000_000]
    assert fund_wide[0]["promised_cents"] == 2 * 150_000  # both vouchers, to date

    client.force_login(people["finance"])
    query = {"van": start.isoformat(), "tot": end.isoformat()}
    page = client.get(reverse("payments:report", args=[source.pk]), query).content.decode()
    assert "Cofinanciering per soort betaler" in page
    assert _euro(promised) in page and "€ 3.750.000,00" in page
    workbook = load_workbook(
        BytesIO(client.get(reverse("payments:report_xlsx", args=[source.pk]), query).content)
    )
    rows = {r[0]: r for r in workbook["Cofinanciering"].iter_rows(values_only=True) if r[0]}
    assert rows["Totaal"][2] == promised
    assert rows["Verwacht"][2] == 375_000_000


def test_the_pdf_prints_the_ledgers_figures(client, people, recovered):
    """Read the PDF's text back: every flow, the reconciliation and the co-financing."""
    source = recovered["sources"]["regio"]
    start, end = recovered["start"], recovered["end"]
    client.force_login(people["manager"])
    query = {"van": start.isoformat(), "tot": end.isoformat()}
    response = client.get(reverse("payments:report_pdf", args=[source.pk]), query)
    assert response.status_code == 200
    text = _pdf_text(response.content)
    expected = _expected(source, start, end)
    assert expected["commit"] and expected["pay"] and expected["recover"]
    # Zero amounts are left out: "€ 0,00" would match any empty line of the report.
    for cents in (c for c in expected.values() if c):
        assert _euro(cents) in text, (cents, text)
    report = funder_report(source=source, start=start, end=end)
    for row in report.reconciliation():
        for cents in (row["start_cents"], row["movement_cents"], row["end_cents"]):
            assert not cents or _euro(cents) in text, (row, text)
    assert "Aansluiting met het grootboek" in text
    assert "Teruggevorderd" in text and "Cofinanciering per soort betaler" in text
    assert _euro(report.cofinancing["totals"]["promised"]) in text


def test_a_funder_report_names_only_employers_with_enough_vouchers(period_world):
    """One or two vouchers of a small firm would point at the people; they are summed."""
    from scholingsfonds.payments.selectors import REPORT_MIN_VOUCHERS_PER_EMPLOYER, _for_funders

    assert REPORT_MIN_VOUCHERS_PER_EMPLOYER == 3
    overview = {
        "rows": ["an application with a name and a birth date"],
        "per_payer": [],
        "totals": {"promised": 10_500, "confirmed": 0},
        "expected": [],
        "per_employer": [
            {"name": "Groot Bouw", "promised": 6_000, "confirmed": 0, "vouchers": 3},
            {"name": "Klein Schilder", "promised": 1_000, "confirmed": 500, "vouchers": 1},
            {"name": "Twee Man", "promised": 2_000, "confirmed": 0, "vouchers": 2},
            {"name": "", "promised": 1_500, "confirmed": 0, "vouchers": 4},
        ],
    }
    shown = _for_funders(overview)
    assert "rows" not in shown
    assert [row["name"] for row in shown["per_employer"]] == ["Groot Bouw"]
    assert shown["small_employers"] == {
        "promised": 3_000,
        "confirmed": 500,
        "vouchers": 3,
        "count": 2,
    }
    assert shown["without_employer"]["promised"] == 1_500
    # Nothing is lost: the parts add up to the total.
    parts = shown["per_employer"] + [shown["small_employers"], shown["without_employer"]]
    assert sum(part["promised"] for part in parts) == overview["totals"]["promised"]
    report = funder_report(
        source=period_world["sources"]["regio"],
        start=period_world["start"],
        end=period_world["end"],
    )
    assert "rows" not in report.cofinancing and "rows" not in report.cofinancing_fund


def test_a_refused_funder_gets_a_dutch_page_with_the_reason(client, people, sources):
    client.force_login(people["funder"])
    response = client.get(reverse("payments:report", args=[sources["regio"].pk]))
    assert response.status_code == 403
    body = response.content.decode()
    assert "Geen toegang" in body and 'lang="nl"' in body
    assert "Naar de startpagina" in body

"""The voucher in use, in a real browser on the demo: the provider confirms the start, reports
completion and invoices; finance makes a payment run; a second finance officer approves it;
the pain.001 file is valid against the scheme's XSD; the voucher is paid and the ledger
balances. A voucher past its validity expires and its money is released. The fund manager
sees the misbehaving provider flagged."""

import json
import random
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.payments.models import PaymentBatch
from scholingsfonds.payments.sepa import pain001_errors
from scholingsfonds.providers.models import Provider
from scholingsfonds.vouchers.models import Invoice, Voucher
from tests.harness import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.urls("scholingsfonds.vouchers.tests.urls")]

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def _demo():
    """The small demo, with the providers issue's part (until seed.py calls it itself)."""
    from scholingsfonds.accounts.models import User
    from scholingsfonds.demo.misbehaving import MISBEHAVING
    from scholingsfonds.demo.providers import load_provider_demo

    call_command("load_demo", "--small", stdout=StringIO())
    if not Provider.objects.filter(name=MISBEHAVING).exists():
        load_provider_demo(
            rng=random.Random(2026),
            users={u.username: u for u in User.objects.all()},
            providers=list(Provider.objects.order_by("id"))[:7],
            today=timezone.localdate(),
        )


def _issued_roc_voucher():
    """An unused voucher of ROC van Twente (the `opleider` persona's employer) in Twente."""
    from scholingsfonds.accounts.models import User
    from scholingsfonds.demo.voucher_case import voucher_case
    from scholingsfonds.funds.models import Fund

    roc = Provider.objects.get(name="ROC van Twente")
    voucher = Voucher.objects.filter(
        provider=roc, fund__slug="twente", state=Voucher.State.ISSUED
    ).first()
    if voucher is None:  # the small demo drew no such case: one more person, the real way
        voucher = voucher_case(
            fund=Fund.objects.get(slug="twente"),
            users={u.username: u for u in User.objects.all()},
            provider=roc,
            title="Verzorgende IG (bbl)",
            level="mbo3",
            sector="care & welfare",
            isco="5321",
            cost_cents=340_000,
            day=timezone.localdate() - timedelta(days=10),
            key="journey",
            rng=random.Random(1),
        )
    return voucher


def login(page, base, username):
    page.goto(f"{base}/account/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def logout(page):
    page.locator("header form button", has_text="Uitloggen").click()
    page.wait_for_load_state()


def ledger_check() -> dict:
    out = StringIO()
    call_command("ledger_check", stdout=out)
    return json.loads(out.getvalue().strip().splitlines()[-1])


@pytest.mark.django_db(transaction=True)
def test_provider_redeems_and_finance_pays_with_four_eyes(live_server, page, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    _demo()
    voucher = _issued_roc_voucher()
    code, amount = voucher.code, voucher.amount_cents
    base = live_server.url
    today = timezone.localdate().strftime("%d-%m-%Y")

    # 1. The provider sees its vouchers (name, code, amount, validity; never a BSN).
    login(page, base, "opleider")
    page.goto(f"{base}/opleider/")
    assert code in page.content()
    screenshot(page, "10-provider-portal")
    page.get_by_role("link", name=code).click()
    assert page.get_by_test_id("participant").inner_text() == voucher.participant_name

    # 2. Confirms the start, reports completion (90 % attendance) and invoices with a PDF.
    page.fill("#id_started_on", today)
    page.get_by_role("button", name="Start bevestigen").click()
    assert page.get_by_test_id("voucher-state").inner_text() == "Opleiding gestart"
    page.fill("#id_completed_on", today)
    page.fill("#id_attendance_percent", "90")
    page.get_by_role("button", name="Afronding melden").click()
    assert "De afronding is gemeld" in page.content()
    pdf = tmp_path / "factuur-2026-0815.pdf"
    pdf.write_bytes(PDF)
    page.fill("#id_number", "ROC-2026-0815")
    page.set_input_files("#id_document", str(pdf))
    screenshot(page, "11-provider-invoice")
    page.get_by_role("button", name="Factuur indienen").click()
    assert "De factuur is ingediend" in page.content()
    assert page.get_by_test_id("room").inner_text() == "€ 0,00"
    logout(page)

    # 3. Finance approves the invoice and makes a payment run.
    login(page, base, "financien")
    page.goto(f"{base}/financien/facturen/")
    page.get_by_test_id("approve-ROC-2026-0815").click()
    assert "ROC-2026-0815 is goedgekeurd" in page.content()
    screenshot(page, "12-finance-invoices")
    page.goto(f"{base}/financien/betaalrondes/")
    page.select_option("#id_fund", label="Twents Fonds voor Vakmanschap")
    page.get_by_role("button", name="Betaalronde maken").click()
    assert "is aangemaakt" in page.content()
    assert "Een andere medewerker financiën keurt haar goed" in page.content()
    assert page.get_by_role("button", name="Goedkeuren en SEPA-bestand maken").count() == 0
    number = PaymentBatch.objects.get(status=PaymentBatch.Status.DRAFT).number
    logout(page)

    # 4. A second finance officer approves: the pain.001 file is written and valid.
    login(page, base, "financien2")
    page.goto(f"{base}/financien/betaalrondes/{number}/")
    page.get_by_role("button", name="Goedkeuren en SEPA-bestand maken").click()
    assert page.get_by_test_id("batch-status").inner_text() == "Goedgekeurd, klaar voor de bank"
    xml = page.request.get(base + page.get_by_test_id("pain001").get_attribute("href"))
    assert xml.status == 200
    assert pain001_errors(xml.body()) == []
    assert code.encode() in xml.body()
    screenshot(page, "13-payment-run-approved")
    page.get_by_role("button", name="Betaald door de bank").click()
    assert page.get_by_test_id("batch-status").inner_text() == "Betaald"
    screenshot(page, "14-payment-run-paid")
    logout(page)

    # 5. The voucher is paid and redeemed; the ledger balances.
    voucher.refresh_from_db()
    assert voucher.state == Voucher.State.REDEEMED
    assert Invoice.objects.get(number="ROC-2026-0815").status == Invoice.Status.PAID
    check = ledger_check()
    assert check["balanced"] is True, check["problems"]
    assert amount > 0

    # 6. A voucher past its validity expires (the daily task) and its money goes back.
    unused = Voucher.objects.filter(state=Voucher.State.ISSUED).order_by("valid_until").first()
    from scholingsfonds.vouchers.services import vouchers_expire

    assert vouchers_expire(today=unused.valid_until + timedelta(days=1)) >= 1
    unused.refresh_from_db()
    assert unused.state == Voucher.State.EXPIRED
    assert unused.released_cents == unused.amount_cents
    assert ledger_recount()["balanced"]
    assert ledger_check()["balanced"] is True

    # 7. The fund manager sees the misbehaving provider flagged, with the numbers.
    login(page, base, "manager")
    page.goto(f"{base}/financien/markt/?fonds=twente")
    flags = page.get_by_test_id("flag")
    assert flags.count() >= 3
    assert "Vakdiploma Direct BV" in flags.first.inner_text()
    screenshot(page, "15-market-signals")
    assert page.console_errors == []

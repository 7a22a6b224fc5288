"""The whole journey in a real browser: apply → invited → conversation and test → granted
(letter PDF) → voucher visible to the applicant. Runs on SQLite and on PostgreSQL."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.core import mail

from scholingsfonds.applications.models import Application
from tests.factories import tomorrow_at_ten
from tests.harness import screenshot

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def login_staff(page, base, username):
    page.goto(f"{base}/account/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-test-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def logout(page):
    page.locator("header form button", has_text="Uitloggen").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_a_person_goes_from_the_short_form_to_a_voucher(
    live_server, page, twente, staff, provider, budget
):
    base = live_server.url
    # 1. The applicant finds the fund and applies.
    page.goto(f"{base}/fondsen/twente/")
    assert "Twents Fonds voor Vakmanschap" in page.locator("h1").inner_text()
    screenshot(page, "01-fund-page")
    page.get_by_role("link", name="Aanvragen als inwoner").click()
    page.fill("#id_first_name", "Fatima")
    page.fill("#id_last_name", "El Amrani")
    page.fill("#id_email", "fatima@voorbeeld.nl")
    page.fill("#id_phone", "06 12345678")
    page.fill("#id_birth_date", "17-05-1990")
    page.fill("#id_postcode", "7511 ab")
    page.select_option("#id_municipality", label="Enschede")
    page.get_by_label("Ik zoek werk").check()
    page.select_option("#id_education_level", "mbo12")
    page.get_by_label("Van geen werk naar werk").check()
    page.fill("#id_question", "Ik wil verzorgende worden in de thuiszorg.")
    page.select_option("#id_heard_via", "campaign")
    page.locator("#id_consent").check()
    screenshot(page, "02-short-form")
    page.get_by_role("button", name="Aanvraag versturen").click()
    reference = page.get_by_test_id("reference").inner_text()
    assert re.fullmatch(r"TFV-\d{4}-\d{6}", reference)
    screenshot(page, "03-receipt")

    # 2. The advisor invites, holds the conversation, records training, cost and the test.
    login_staff(page, base, "advisor")
    page.get_by_role("link", name=reference).click()
    page.fill("#id_scheduled_at", tomorrow_at_ten())
    page.select_option("#id_location", "leerwerkloket")
    screenshot(page, "04-advisor-case")
    page.get_by_role("button", name="Uitnodiging versturen").click()
    assert "De uitnodiging is verstuurd." in page.content()
    page.locator("#id_identity_checked").check()
    page.fill("#id_notes", "Wil verzorgende IG worden; werkgever in de thuiszorg betaalt mee.")
    page.get_by_label("Aanvraag scholingscheque").check()
    page.get_by_role("button", name="Gesprek vastleggen").click()
    page.fill("#id_training_title", "Verzorgende IG (bbl)")
    page.select_option("#id_training_level", "mbo3")
    page.select_option("#id_training_sector", "care & welfare")
    page.select_option("#id_provider", label="ROC van Twente")
    page.fill("#id_cost", "3.200,00")
    page.select_option("#id_payer_1", "employer")
    page.fill("#id_amount_1", "1600")
    page.get_by_role("button", name="Opleiding vastleggen").click()
    page.select_option("#id_occupation", label="Verzorgende IG (5321) – kansrijk")
    page.get_by_role("button", name="Toets vastleggen").click()
    assert "De arbeidsmarkttoets is vastgelegd." in page.content()
    screenshot(page, "05-conversation-and-test")
    page.get_by_role("button", name="Aanvraag compleet: naar de beoordelaar").click()
    logout(page)

    # 3. The assessor sees the rules and the test, and grants.
    login_staff(page, base, "assessor")
    page.get_by_role("link", name=reference).click()
    assert "Verzorgende IG (5321)" in page.content()
    assert "€ 1.600,00" in page.content()
    screenshot(page, "06-assessor-case")
    page.get_by_role("button", name="Scholingscheque toekennen").click()
    assert "De scholingscheque is toegekend." in page.content()
    screenshot(page, "07-granted")
    letter = page.request.get(f"{base}/brief/{reference}.pdf")
    assert letter.status == 200 and letter.body()[:5] == b"%PDF-"
    pdf_path = SHOTS / "08-decision-letter.pdf"
    pdf_path.write_bytes(letter.body())
    if shutil.which("pdftoppm"):
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                "60",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(pdf_path),
                str(SHOTS / "08-decision-letter"),
            ],
            check=True,
        )
    pdf_path.unlink()
    logout(page)

    # 4. The applicant logs in with a one-time e-mail link and sees the voucher.
    mail.outbox.clear()
    page.goto(f"{base}/account/link/")
    page.fill("#id_email", "fatima@voorbeeld.nl")
    page.locator("main form button[type=submit]").click()
    link = re.search(r"http\S+/account/link/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", base))
    page.locator("main form button[type=submit]").click()
    page.get_by_role("link", name=reference).click()
    application = Application.objects.get(reference=reference)
    assert page.get_by_test_id("voucher-code").inner_text() == application.voucher.code
    assert page.get_by_test_id("status").inner_text() == "Toegekend"
    screenshot(page, "09-applicant-voucher")
    assert page.console_errors == []

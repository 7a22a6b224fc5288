"""A first-come-first-served window in a real browser: the e-mail address confirmed by a
link, the complete form, money reserved at once, a bad amount told next to its field, and,
once the budget is gone, the ceiling told on screen and by e-mail with the letter. Runs on
SQLite and on PostgreSQL."""

import re

import pytest
from django.core import mail

from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import SourceBalance
from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services import window_application_submit
from tests.factories import window_data
from tests.harness import screenshot

pytestmark = pytest.mark.browser


def confirm_email(page, url, email):
    """Ask for the link on the window page, open it from the mail, log in: back at the form."""
    page.goto(url)
    page.fill("#id_email", email)
    page.get_by_role("button", name="Stuur mij de link").click()
    assert email in page.get_by_test_id("link-sent").inner_text()
    message = [m for m in mail.outbox if m.to == [email]][-1]
    link = re.search(r"https?://\S+", message.body).group(0)
    # The mail names the site's configured address; the test server runs on another port.
    page.goto(url.split("/fondsen/")[0] + "/" + link.split("://", 1)[1].split("/", 1)[1])
    page.get_by_role("button", name="Inloggen").click()
    page.wait_for_url(url)
    assert email in page.get_by_test_id("applying-as").inner_text()


def fill_window_form(page, provider, *, first_name, cost):
    page.fill("#id_first_name", first_name)
    page.fill("#id_last_name", "Kaya")
    page.fill("#id_birth_date", "01-03-1985")
    page.fill("#id_postcode", "7511 AB")
    page.select_option("#id_municipality", label="Enschede")
    page.get_by_label("Ik werk in loondienst").check()
    page.select_option("#id_education_level", "mbo34")
    page.get_by_label("Zelfde baan, sterker in mijn werk").check()
    page.fill("#id_training_title", "Heftruckcertificaat")
    page.select_option("#id_training_level", "mbo2")
    page.select_option("#id_training_sector", "transport & logistics")
    page.select_option("#id_provider", str(provider.pk))
    page.fill("#id_cost", cost)
    page.fill("#id_question", "Ik wil mijn heftruckcertificaat halen.")
    page.select_option("#id_heard_via", "campaign")
    page.locator("#id_consent").check()


@pytest.mark.django_db(transaction=True)
def test_the_window_reserves_money_at_once_and_tells_the_ceiling(
    live_server, page, window_fund, provider
):
    url = f"{live_server.url}/fondsen/leerbudget/venster/"
    page.goto(url)
    assert "Wie het eerst een complete aanvraag doet" in page.content()
    screenshot(page, "29-window-confirm-email")
    confirm_email(page, url, "ayse@voorbeeld.nl")

    # A bad amount: told next to the field, in Dutch; nothing typed is lost or saved.
    fill_window_form(page, provider, first_name="Ayse", cost="veel")
    page.get_by_role("button", name="Aanvraag versturen").click()
    assert "Vul een bedrag in euro" in page.locator("#id_cost_error").inner_text()
    assert page.input_value("#id_first_name") == "Ayse"
    assert page.input_value("#id_training_title") == "Heftruckcertificaat"
    assert not Application.objects.exists()

    # Mended: money is reserved at once, with a receipt number.
    page.fill("#id_cost", "850")
    page.locator("#id_consent").check()
    screenshot(page, "30-window-form")
    page.get_by_role("button", name="Aanvraag versturen").click()
    assert re.fullmatch(r"LBO-\d{4}-\d{6}", page.get_by_test_id("reference").inner_text())
    assert page.get_by_test_id("receipt-number").inner_text() == "1"
    assert "€ 850,00 voor u gereserveerd" in page.get_by_test_id("claimed").inner_text()
    screenshot(page, "31-window-claimed")
    assert SourceBalance.objects.get(source__fund=window_fund).claimed_cents == 85_000

    # Others take the rest of the EUR 3,000 ...
    for n in range(3):
        window_application_submit(
            fund=window_fund,
            data=window_data(provider, email=f"ander{n}@voorbeeld.nl"),
            submission_key=f"ander-{n}",
        )
    # ... so the next person hears at once that the budget is gone, and gets the letter.
    page.locator("header form button", has_text="Uitloggen").click()
    page.wait_for_url(f"{live_server.url}/")
    confirm_email(page, url, "bram@voorbeeld.nl")
    mail.outbox.clear()
    fill_window_form(page, provider, first_name="Bram", cost="900")
    page.get_by_role("button", name="Aanvraag versturen").click()
    ceiling = page.get_by_role("alert")
    assert "subsidieplafond is bereikt" in ceiling.inner_text()
    assert page.get_by_test_id("receipt-number").inner_text() == "5"
    screenshot(page, "32-window-ceiling")

    refused = Application.objects.get(email="bram@voorbeeld.nl")
    decision = Decision.objects.get(application=refused)
    assert refused.state == "refused" and decision.ceiling_reached
    assert decision.status == Decision.Status.FINAL and decision.objection_deadline
    letters = [m for m in mail.outbox if m.to == ["bram@voorbeeld.nl"] and m.attachments]
    assert len(letters) == 1
    assert letters[0].subject == f"Besluit op uw aanvraag {refused.reference}"
    assert "subsidieplafond is bereikt" in letters[0].body
    assert "bezwaar maken tot en met" in letters[0].body
    name, content, mimetype = letters[0].attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    balance = SourceBalance.objects.get(source__fund=window_fund)
    assert balance.claimed_cents + balance.available_cents == 300_000
    assert ledger_recount()["balanced"]

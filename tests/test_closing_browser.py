"""Closing a period in a real browser: finance proposes, a colleague approves, the final report
shows the close; the public fund page after a period without successor; the manager's warning.
Screenshots at 1280 and 390 px."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from scholingsfonds.budget.models import SourceBalance, SourceClosure
from scholingsfonds.budget.services import source_create
from scholingsfonds.decisions.services import decision_grant
from tests.factories import complete_application, make_user
from tests.harness import screenshot

pytestmark = pytest.mark.browser
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def login(page, base, username):
    page.goto(f"{base}/account/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-test-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_finance_closes_a_period_and_the_funder_report_shows_it(
    live_server, page, funds, staff, provider
):
    twente = funds["twente"]
    finance2 = make_user("financien2", "finance", [twente])
    today = timezone.localdate()
    end = today - timedelta(days=20)
    old = source_create(
        fund=twente,
        name="Provincie Overijssel – cheques 2025-2026",
        funder="Provincie Overijssel",
        category="vouchers",
        pledged_cents=2_000_000,
        period_start=end - timedelta(days=700),
        period_end=end,
    )
    new = source_create(
        fund=twente,
        name="Provincie Overijssel – cheques vervolg",
        funder="Provincie Overijssel",
        category="vouchers",
        pledged_cents=1_000_000,
        period_start=end + timedelta(days=1),
        period_end=end + timedelta(days=365),
    )
    moment = datetime.combine(end - timedelta(days=40), datetime.min.time(), tzinfo=AMSTERDAM)
    with time_machine.travel(moment.replace(hour=10), tick=False):
        application = complete_application(twente, staff["advisor"], provider)
        decision_grant(application=application, actor=staff["assessor"])

    base = live_server.url
    login(page, base, "finance")
    page.goto(f"{base}/financien/afsluiten/")
    page.select_option("#id_source", str(old.pk))
    page.get_by_label("Overhevelen naar een bron van de volgende periode").check()
    page.get_by_role("button", name="Afsluiting voorstellen").click()
    # Without the funder's consent the form says so next to the field, and keeps the choice.
    assert (
        "schriftelijke toestemming"
        in page.locator("#voorstel ~ form, form.sf-form").first.inner_text()
    )
    assert page.locator("#id_source").input_value() == str(old.pk)
    page.select_option("#id_carry_to", str(new.pk))
    page.fill("#id_consent_reference", "Brief GS Overijssel 2026/4411")
    page.get_by_role("button", name="Afsluiting voorstellen").click()
    assert "een collega keurt haar goed" in page.content()
    # The proposer sees no approve button on their own proposal.
    assert page.get_by_role("button", name="Goedkeuren en boeken").count() == 0

    page.context.clear_cookies()
    login(page, base, "financien2")
    page.goto(f"{base}/financien/afsluiten/")
    screenshot(page, "40-closing-proposed")
    page.get_by_role("button", name="Goedkeuren en boeken").click()
    assert "De bron is afgesloten en geboekt." in page.content()
    closure = SourceClosure.objects.get(source=old)
    assert closure.approved_by == finance2
    assert SourceBalance.objects.get(source=old).carried_cents == 2_000_000 - 150_000

    page.get_by_role("link", name="Eindverantwoording van de afgesloten perioden").click()
    text = page.locator("main").inner_text()
    assert "Overgeheveld naar volgende periode" in text and "18.500,00" in text
    assert "Brief GS Overijssel 2026/4411" in text
    screenshot(page, "41-final-report")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "41-final-report-phone")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"


@pytest.mark.django_db(transaction=True)
def test_after_its_last_period_a_fund_says_applying_is_closed(live_server, page, funds, staff):
    window = funds["leerbudget"].policy_versions.get()
    base = live_server.url
    warned = datetime.combine(
        window.valid_to - timedelta(days=30), datetime.min.time(), tzinfo=AMSTERDAM
    )
    with time_machine.travel(warned.replace(hour=10), tick=False):
        login(page, base, "manager")
        page.goto(f"{base}/dashboard/")
        warning = page.get_by_test_id("policy-warning").first.inner_text()
        assert "Leerbudget Oost" in warning and "er is nog geen vervolg" in warning
        screenshot(page, "42-policy-ending-warning")
    page.context.clear_cookies()
    closed = datetime.combine(
        window.valid_to + timedelta(days=1), datetime.min.time(), tzinfo=AMSTERDAM
    )
    with time_machine.travel(closed.replace(hour=10), tick=False):
        response = page.goto(f"{base}/fondsen/leerbudget/aanvragen/")
        assert response is not None and response.status == 200
        assert "Aanvragen is gesloten" in page.get_by_test_id("applying-closed").inner_text()
        screenshot(page, "43-fund-closed")
        page.set_viewport_size({"width": 390, "height": 844})
        screenshot(page, "43-fund-closed-phone")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390, f"the page scrolls sideways on a phone ({width}px)"

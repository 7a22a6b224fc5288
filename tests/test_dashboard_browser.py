"""The dashboard in a real browser: the manager sees every chart drawn, no console errors."""

import random
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.harness import screenshot

pytestmark = pytest.mark.browser


@pytest.fixture
def dashboard_world(funds):
    """The demo cases (through the services), with voluntary answers, payments and outcomes."""
    from scholingsfonds.applications.models import Application
    from scholingsfonds.budget.services import budget_pay_voucher, committed_by_source
    from scholingsfonds.demo.seed import load
    from scholingsfonds.monitoring.models import OutcomeSurvey
    from scholingsfonds.vouchers.models import Voucher

    load(per_fund={"twente": 120, "stedendriehoek": 70})
    rng = random.Random(6)
    # Until the seed fills them: the voluntary questions, answered by most people.
    for application in Application.objects.all():
        application.gender = rng.choice(["woman", "woman", "man", "man", "other", "not_said", ""])
        application.migration_background = rng.choice(["yes", "no", "no", "not_said", ""])
        application.save(update_fields=["gender", "migration_background"])
    now = timezone.now()
    for n, voucher in enumerate(Voucher.objects.select_related("fund", "application")):
        committed = sum(committed_by_source(voucher_ref=voucher.code).values())
        if n % 3 != 2 and committed:
            budget_pay_voucher(
                fund=voucher.fund,
                voucher_ref=voucher.code,
                amount_cents=committed * rng.choice([60, 100]) // 100,
                actor=None,
                memo="Factuur opleider",
            )
        if n % 2 == 0:
            sent = now - timedelta(days=rng.randint(20, 200))
            OutcomeSurvey.objects.create(
                application=voucher.application,
                wave=6,
                training_end=voucher.valid_until,
                due_on=voucher.valid_until,
                nonce=f"n{n}",
                sent_at=sent,
                last_sent_at=sent,
                status="answered",
                answered_at=sent + timedelta(days=5),
                answered_via="link",
                finished=rng.choice(["yes", "yes", "yes", "busy", "stopped"]),
                certificate=rng.choice(["yes", "yes", "no"]),
                job_change=rng.choice(
                    ["same_job", "same_sector", "other_sector", "to_work", "none"]
                ),
            )
    from scholingsfonds.monitoring.refresh import rebuild

    rebuild()


def login(page, base, username):
    page.goto(f"{base}/account/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "demo")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


@pytest.mark.django_db(transaction=True)
def test_the_manager_sees_the_dashboard_with_its_charts(live_server, page, dashboard_world):
    base = live_server.url
    login(page, base, "manager")
    page.goto(f"{base}/dashboard/?fund=twente&period=all")
    assert page.locator("h1").inner_text() == "Dashboard"
    canvases = page.locator("canvas[data-chart]")
    assert canvases.count() >= 10
    # Chart.js sets the drawing size of every canvas it renders into.
    page.wait_for_function(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".every(c => window.Chart && window.Chart.getChart(c))"
    )
    # Every chart has its numbers in a table, and the key figures are there.
    assert page.locator("table caption").count() >= canvases.count()
    assert "Cheques" in page.locator("#h-key + .mon-cards").inner_text()
    screenshot(page, "dashboard")
    assert page.console_errors == []

    # A number leads to the list behind it.
    page.locator("#cap-route").locator("xpath=ancestor::table").get_by_role("link").first.click()
    page.wait_for_load_state()
    assert page.locator("[data-testid=reference]").count() >= 1
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_a_funder_sees_charts_without_small_numbers_or_lists(live_server, page, dashboard_world):
    base = live_server.url
    login(page, base, "financier")
    page.goto(f"{base}/dashboard/?period=all")
    page.wait_for_function(
        "Array.from(document.querySelectorAll('canvas[data-chart]'))"
        ".every(c => window.Chart && window.Chart.getChart(c))"
    )
    assert page.locator("main a[href*='/dashboard/lijst/']").count() == 0
    assert page.console_errors == []

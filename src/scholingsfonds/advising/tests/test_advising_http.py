"""The advisor's flow over HTTP: invite, conversation, training, arbeidsmarkttoets, repair."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from scholingsfonds.advising.models import LabourMarketTest
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import (
    application_submit,
    repair_request_create,
    repair_request_resolve,
)
from scholingsfonds.core.models import AuditEvent
from tests.factories import complete_application, make_user, short_form_data, tomorrow_at_ten

pytestmark = pytest.mark.django_db


@pytest.fixture
def application(twente):
    return application_submit(fund=twente, data=short_form_data(), submission_key="adv-1")


def case_url(application, name="case"):
    return reverse(f"advising:{name}", args=[application.reference])


def test_advisor_takes_an_application_from_form_to_complete(
    client, application, staff, provider, django_capture_on_commit_callbacks
):
    client.force_login(staff["advisor"])
    assert application.reference in client.get(reverse("advising:queue")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            case_url(application, "invite"),
            {"scheduled_at": tomorrow_at_ten(), "location": "leerwerkloket"},
        )
    application.refresh_from_db()
    assert application.state == states.INVITED
    assert any("Uitnodiging" in m.subject for m in mail.outbox)

    client.post(
        case_url(application, "record_conversation"),
        {"identity_checked": "on", "notes": "Wil verzorgende worden.", "outcome": "voucher"},
    )
    application.refresh_from_db()
    assert application.state == states.CONVERSATION_HELD

    from scholingsfonds.funds.models import Occupation

    client.post(
        case_url(application, "record_training"),
        {
            "training_title": "Verzorgende IG",
            "training_level": "mbo3",
            "training_sector": "care & welfare",
            "provider": provider.pk,
            "cost": "3.000,00",
            "payer_1": "benefits_agency",
            "amount_1": "1500",
            "bsn": "111222333",
        },
    )
    application.refresh_from_db()
    assert application.cost_cents == 300_000
    assert application.cofinancing == [{"payer": "benefits_agency", "amount_cents": 150_000}]
    assert application.bsn == "111222333"

    client.post(
        case_url(application, "record_test"),
        {"occupation": Occupation.objects.get(isco08="5321").pk, "motivation": ""},
    )
    test = LabourMarketTest.objects.get(application=application)
    assert test.result == "listed" and test.on_list and test.promising_list.is_demo

    client.post(case_url(application, "mark_complete"))
    application.refresh_from_db()
    assert application.state == states.COMPLETE
    assert application.complete_on is not None
    assert application.decision_due_on == application.complete_on + timedelta(weeks=8) or (
        application.decision_due_on > application.complete_on + timedelta(weeks=8)
    )
    outcomes = {o["rule_id"]: o["passed"] for o in application.rule_outcomes}
    assert all(outcomes.values()), outcomes
    assert (
        AuditEvent.objects.filter(
            object_id=str(application.pk), action="application.transition"
        ).count()
        == 3
    )


def test_occupation_off_the_list_without_motivation_fails_the_test(
    client, application, staff, provider
):
    from scholingsfonds.funds.models import Occupation

    off_list = Occupation.objects.exclude(promising_lists__region_name="Twente").first()
    client.force_login(staff["advisor"])
    client.post(case_url(application, "record_test"), {"occupation": off_list.pk})
    application.refresh_from_db()
    assert application.labour_market_test.result == "failed"
    outcome = {o["rule_id"]: o for o in application.rule_outcomes}["labour_market_test"]
    assert outcome["passed"] is False
    client.post(
        case_url(application, "record_test"),
        {"occupation": off_list.pk, "motivation": "Werkgever heeft een vaste baan."},
    )
    application.refresh_from_db()
    assert application.labour_market_test.result == "motivated"


def test_referral_needs_a_destination_and_a_reason(client, application, staff):
    client.force_login(staff["advisor"])
    response = client.post(
        case_url(application, "record_conversation"),
        {"notes": "Schulden eerst.", "outcome": "referral"},
    )
    assert response.status_code == 400
    assert "Vul in naar wie u doorverwijst." in response.content.decode()
    client.post(
        case_url(application, "record_conversation"),
        {
            "notes": "Schulden eerst.",
            "outcome": "referral",
            "referral_to": "Schuldhulp",
            "referral_reason": "Eerst de schulden regelen.",
        },
    )
    application.refresh_from_db()
    assert application.state == states.REFERRED


def test_training_form_bad_input_is_explained(client, application, staff, provider):
    client.force_login(staff["advisor"])
    client.post(
        case_url(application, "record_conversation"),
        {"identity_checked": "on", "notes": "x", "outcome": "voucher"},
    )
    response = client.post(
        case_url(application, "record_training"),
        {
            "training_title": "Lassen",
            "training_level": "mbo2",
            "training_sector": "technical",
            "provider": provider.pk,
            "cost": "duizend",
            "payer_1": "employer",
            "bsn": "123456789",
        },
    )
    body = response.content.decode()
    assert response.status_code == 400
    assert "Vul een bedrag in euro&#x27;s in" in body
    assert "Dit BSN klopt niet" in body
    assert "Vul het bedrag van deze betaler in." in body
    assert 'value="Lassen"' in body


def test_the_paying_employer_is_named_with_its_part(client, application, staff, provider):
    """On the individual route the employer is not registered: the advisor notes its name,
    so the co-financing can be totalled per employer."""
    from scholingsfonds.payments.selectors import cofinancing_overview

    client.force_login(staff["advisor"])
    client.post(
        case_url(application, "record_conversation"),
        {"identity_checked": "on", "notes": "x", "outcome": "voucher"},
    )
    form = {
        "training_title": "Lassen",
        "training_level": "mbo2",
        "training_sector": "technical",
        "provider": provider.pk,
        "cost": "2000",
        "payer_1": "benefits_agency",
        "amount_1": "500",
        "employer_name": "  Metaalbouw   Hengelo ",
    }
    # A name without an employer paying is a mistake: told next to the name, nothing saved.
    refused = client.post(case_url(application, "record_training"), form)
    assert refused.status_code == 400
    assert "Kies bij een betaler ‘Werkgever’" in refused.content.decode()
    assert 'value="  Metaalbouw   Hengelo "' in refused.content.decode()
    form.update(payer_2="employer", amount_2="1000")
    assert client.post(case_url(application, "record_training"), form).status_code == 302
    application.refresh_from_db()
    assert application.cofinancing == [
        {"payer": "benefits_agency", "amount_cents": 50_000},
        {"payer": "employer", "amount_cents": 100_000, "employer_name": "Metaalbouw Hengelo"},
    ]
    # The case page shows it again for a correction.
    assert 'value="Metaalbouw Hengelo"' in client.get(case_url(application)).content.decode()
    # Not yet granted: the overview counts granted vouchers only.
    assert cofinancing_overview(funds=[application.fund])["per_employer"] == []


def test_advisor_of_another_fund_cannot_see_the_case(client, application, staff):
    client.force_login(staff["advisor_sd"])
    assert client.get(case_url(application)).status_code == 403
    assert application.reference not in client.get(reverse("advising:queue")).content.decode()


@pytest.mark.parametrize("role", ["applicant", "employer", "provider", "finance", "funder"])
def test_other_roles_cannot_use_the_advisor_pages(client, application, funds, role):
    user = make_user(f"x{role}", role, list(funds.values()))
    client.force_login(user)
    assert client.get(reverse("advising:queue")).status_code == 403
    assert client.get(case_url(application)).status_code == 403


def test_anonymous_visitor_is_sent_to_login(client, application):
    response = client.get(case_url(application))
    assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


@time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Europe/Amsterdam")), tick=False)
def test_repair_request_suspends_the_decision_term(twente, staff, provider):
    # A legal computation (Awb 4:15, Algemene termijnenwet) on fixed dates: the clock is
    # pinned to the day the application became complete.
    application = complete_application(twente, staff["advisor"], provider)
    application.refresh_from_db()
    application.complete_on = date(2026, 3, 2)
    application.save()
    request = repair_request_create(
        application=application,
        actor=staff["assessor"],
        what="Offerte ontbreekt.",
        today=date(2026, 3, 10),
    )
    assert request.deadline == date(2026, 3, 24)
    repair_request_resolve(
        request=request,
        actor=staff["advisor"],
        response="Offerte ontvangen.",
        today=date(2026, 3, 20),
    )
    application.refresh_from_db()
    assert application.state == states.COMPLETE
    # 8 weeks from 2 March is 27 April; 9 suspended days (11-19 March) give 6 May,
    # the day after Liberation Day... and 6 May 2026 is a Wednesday, a working day.
    assert application.decision_due_on == date(2026, 5, 6)


def test_birth_date_view_is_audited(client, application, staff):
    client.force_login(staff["advisor"])
    client.get(case_url(application))
    assert AuditEvent.objects.filter(
        action="personal_data.viewed", object_id=str(application.pk)
    ).exists()
    assert Application.objects.filter(pk=application.pk).exists()


def test_complete_needs_the_labour_market_test_first(client, application, staff, provider):
    client.force_login(staff["advisor"])
    client.post(
        case_url(application, "record_conversation"),
        {"identity_checked": "on", "notes": "ok", "outcome": "voucher"},
    )
    client.post(
        case_url(application, "record_training"),
        {
            "training_title": "Lassen",
            "training_level": "mbo2",
            "training_sector": "technical",
            "provider": provider.pk,
            "cost": "1.250",
        },
    )
    application.refresh_from_db()
    assert application.cost_cents == 125_000  # Dutch thousands dot
    response = client.post(case_url(application, "mark_complete"), follow=True)
    assert "Doe eerst de arbeidsmarkttoets" in response.content.decode()
    application.refresh_from_db()
    assert application.state == states.CONVERSATION_HELD


def test_occupations_on_the_regional_list_are_marked_before_saving(client, application, staff):
    client.force_login(staff["advisor"])
    client.post(
        case_url(application, "record_conversation"),
        {"identity_checked": "on", "notes": "ok", "outcome": "voucher"},
    )
    page = client.get(case_url(application)).content.decode()
    assert "Verzorgende IG (5321) – kansrijk" in page

"""Finance confirms co-financing parts of granted vouchers; every confirmation is audited."""

import pytest
from django.urls import reverse

from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.payments.models import CofinancingConfirmation
from scholingsfonds.payments.selectors import cofinancing_overview
from scholingsfonds.payments.services import cofinancing_confirm
from tests.factories import complete_application

pytestmark = pytest.mark.django_db


def test_finance_confirms_a_part_and_the_audit_log_records_it(people, granted):
    application = granted["first"]
    confirmation = cofinancing_confirm(
        application=application,
        actor=people["finance"],
        payer="employer",
        proof_note="Factuur 2026-0042 betaald op 3 november",
    )
    assert confirmation.amount_cents == 150_000  # the employer's half of EUR 3,000
    assert confirmation.confirmed_by == people["finance"]
    event = AuditEvent.objects.get(action="cofinancing.confirmed")
    assert event.object_id == str(application.pk)
    assert event.actor == people["finance"]
    assert event.data["payer"] == "employer" and event.data["amount_cents"] == 150_000
    assert "2026-0042" in event.reason


@pytest.mark.parametrize("role", ["manager", "auditor", "administrator", "finance_sd"])
def test_only_finance_of_the_fund_may_confirm(people, granted, role):
    with pytest.raises(DomainError) as error:
        cofinancing_confirm(
            application=granted["first"], actor=people[role], payer="employer", proof_note="x"
        )
    assert error.value.code == "payments.not_allowed"
    assert not CofinancingConfirmation.objects.exists()
    assert not AuditEvent.objects.filter(action="cofinancing.confirmed").exists()


def test_a_part_is_confirmed_once(people, granted):
    kwargs = {"application": granted["first"], "actor": people["finance"], "payer": "employer"}
    cofinancing_confirm(proof_note="bewijs", **kwargs)
    with pytest.raises(DomainError) as error:
        cofinancing_confirm(proof_note="nog eens", **kwargs)
    assert error.value.code == "cofinancing.already_confirmed"
    assert CofinancingConfirmation.objects.count() == 1


@pytest.mark.parametrize(
    ("payer", "note", "code"),
    [
        ("oo_fund", "bewijs", "cofinancing.no_such_part"),
        ("employer", "   ", "cofinancing.proof_required"),
    ],
)
def test_confirmation_needs_a_part_and_proof(people, granted, payer, note, code):
    with pytest.raises(DomainError) as error:
        cofinancing_confirm(
            application=granted["first"], actor=people["finance"], payer=payer, proof_note=note
        )
    assert error.value.code == code


def test_no_confirmation_before_the_grant(people, twente, provider, sources):
    application = complete_application(twente, people["advisor"], provider)
    with pytest.raises(DomainError) as error:
        cofinancing_confirm(
            application=application, actor=people["finance"], payer="employer", proof_note="x"
        )
    assert error.value.code == "cofinancing.not_granted"


def test_confirm_button_works_without_javascript(client, people, granted):
    client.force_login(people["finance"])
    page = client.get(reverse("payments:cofinancing")).content.decode()
    application = granted["first"]
    url = reverse("payments:cofinancing_confirm", args=[application.reference, "employer"])
    assert f'action="{url}"' in page and 'method="post"' in page
    response = client.post(url, {"proof_note": "Bankafschrift 12"})
    assert response.status_code == 302
    assert response["Location"].endswith(f"#{application.reference}")
    assert CofinancingConfirmation.objects.filter(application=application).exists()
    page = client.get(reverse("payments:cofinancing")).content.decode()
    assert "Bankafschrift 12" in page


def test_confirm_without_proof_changes_nothing_and_says_why(client, people, granted):
    client.force_login(people["finance"])
    url = reverse("payments:cofinancing_confirm", args=[granted["first"].reference, "employer"])
    response = client.post(url, {"proof_note": ""}, follow=True)
    assert "noteer welk bewijs u zag" in response.content.decode()
    assert not CofinancingConfirmation.objects.exists()


def test_manager_sees_the_list_without_confirm_buttons_and_cannot_post(client, people, granted):
    client.force_login(people["manager"])
    page = client.get(reverse("payments:cofinancing")).content.decode()
    assert granted["first"].reference in page
    assert 'name="proof_note"' not in page
    url = reverse("payments:cofinancing_confirm", args=[granted["first"].reference, "employer"])
    assert client.post(url, {"proof_note": "x"}).status_code == 403


def test_totals_per_payer_per_employer_and_against_twentes_expected_cofinancing(
    people, granted, funds
):
    cofinancing_confirm(
        application=granted["first"], actor=people["finance"], payer="employer", proof_note="x"
    )
    data = cofinancing_overview(funds=[funds["twente"]])
    employer = next(row for row in data["per_payer"] if row["payer"] == "employer")
    assert employer == {
        "payer": "employer",
        "label": employer["label"],
        "promised": 300_000,
        "confirmed": 150_000,
    }
    assert data["totals"] == {"promised": 300_000, "confirmed": 150_000}
    # Individual-route applications name no registered employer.
    assert data["per_employer"] == [
        {"name": "", "promised": 300_000, "confirmed": 150_000, "vouchers": 2}
    ]
    (expected,) = data["expected"]
    assert expected["expected_cents"] == 375_000_000  # settled reading: EUR 3.75 M
    assert expected["promised_cents"] == 300_000
    assert expected["confirmed_cents"] == 150_000
    only_open = cofinancing_overview(funds=[funds["twente"]], only_open=True)
    assert [row["application"] for row in only_open["rows"]] == [granted["second"]]


def test_twente_page_shows_the_expected_three_point_seventy_five_million(client, people, granted):
    client.force_login(people["finance"])
    body = client.get(reverse("payments:cofinancing")).content.decode()
    assert "€ 3.750.000,00" in body


def test_after_confirming_the_list_keeps_its_filter(client, people, granted):
    client.force_login(people["finance"])
    application = granted["second"]
    url = reverse("payments:cofinancing_confirm", args=[application.reference, "employer"])
    response = client.post(url, {"proof_note": "ok", "fonds": "twente", "open": "1"})
    assert response["Location"] == (
        f"{reverse('payments:cofinancing')}?fonds=twente&open=1#{application.reference}"
    )
    # A made-up fund slug is not carried along.
    response = client.post(
        reverse("payments:cofinancing_confirm", args=[granted["first"].reference, "employer"]),
        {"proof_note": "ok", "fonds": "nope"},
    )
    assert response["Location"] == (
        f"{reverse('payments:cofinancing')}#{granted['first'].reference}"
    )


def test_an_employer_named_by_the_advisor_is_totalled_per_employer(granted, funds):
    first, second = granted["first"], granted["second"]
    for application in (first, second):
        application.cofinancing = [
            {**part, "employer_name": "Zorggroep Twente"} for part in application.cofinancing
        ]
        application.save(update_fields=["cofinancing"])
    data = cofinancing_overview(funds=[funds["twente"]])
    assert data["per_employer"] == [
        {"name": "Zorggroep Twente", "promised": 300_000, "confirmed": 0, "vouchers": 2}
    ]

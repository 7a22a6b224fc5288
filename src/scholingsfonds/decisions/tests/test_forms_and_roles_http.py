"""Bad input on the staff forms, the hearing answered by the applicant, and who sees what."""

import pytest
from django.urls import reverse

from scholingsfonds.applications.domain import states
from scholingsfonds.applications.services import application_submit
from scholingsfonds.decisions.models import Hearing
from scholingsfonds.decisions.services.hearing import hearing_start
from tests.factories import complete_application, make_user, short_form_data, tomorrow_at_ten

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(twente):
    return application_submit(fund=twente, data=short_form_data(), submission_key="f-1")


ADVISOR_BAD_INPUT = [
    ("invite", {"scheduled_at": "morgen", "location": "leerwerkloket"}, "Vul datum en tijd in"),
    ("invite", {"scheduled_at": "", "location": "leerwerkloket"}, "Kies datum en tijd."),
    ("invite", {"scheduled_at": "TOMORROW", "location": "maan"}, "Selecteer een geldige"),
    (
        "invite",
        {"scheduled_at": "2020-01-01T10:00", "location": "phone"},
        "in de toekomst",
    ),  # legal-date
    ("record_conversation", {"notes": "", "outcome": "voucher"}, "Schrijf kort op wat u besprak."),
    ("record_conversation", {"notes": "x" * 5001, "outcome": "none"}, "hoogstens 5000 tekens"),
    ("record_conversation", {"notes": "ok", "outcome": "voucher"}, "identiteitsbewijs zien"),
    ("record_conversation", {"notes": "ok"}, "Kies de uitkomst."),
]


@pytest.mark.parametrize(("action", "data", "message"), ADVISOR_BAD_INPUT)
def test_advisor_forms_explain_bad_input_next_to_the_field(
    client, submitted, staff, action, data, message
):
    client.force_login(staff["advisor"])
    # A valid time, so that only the location can be what the form refuses.
    data = {k: tomorrow_at_ten() if v == "TOMORROW" else v for k, v in data.items()}
    response = client.post(reverse(f"advising:{action}", args=[submitted.reference]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    submitted.refresh_from_db()
    assert submitted.state == states.SUBMITTED


TRAINING_BAD_INPUT = [
    ({"cost": ""}, "Vul een bedrag in."),
    ({"cost": "-5"}, "Het bedrag is te laag."),
    ({"cost": "99999999"}, "Het bedrag is te hoog."),
    ({"training_title": ""}, "Vul de naam van de opleiding in."),
    ({"training_title": "x" * 201}, "hoogstens 200 tekens"),
    ({"training_level": "phd"}, "Selecteer een geldige"),
    ({"provider": "999999"}, "Kies een opleider uit de lijst."),
    ({"amount_1": "2000", "payer_1": ""}, "Kies wie dit bedrag betaalt."),
    ({"payer_1": "employer", "amount_1": "5000"}, "samen hoger dan de kosten"),
    ({"bsn": "123456789"}, "Dit BSN klopt niet"),
]


@pytest.mark.parametrize(("override", "message"), TRAINING_BAD_INPUT)
def test_training_form_explains_bad_input_and_keeps_the_rest(
    client, submitted, staff, provider, override, message
):
    client.force_login(staff["advisor"])
    client.post(
        reverse("advising:record_conversation", args=[submitted.reference]),
        {"identity_checked": "on", "notes": "ok", "outcome": "voucher"},
    )
    data = {
        "training_title": "Lassen MIG",
        "training_level": "mbo2",
        "training_sector": "technical",
        "provider": provider.pk,
        "cost": "3000",
    }
    data.update(override)
    response = client.post(reverse("advising:record_training", args=[submitted.reference]), data)
    body = response.content.decode()
    assert response.status_code == 400
    assert message in body
    if "training_title" not in override:
        assert 'value="Lassen MIG"' in body
    submitted.refresh_from_db()
    assert submitted.cost_cents is None


ASSESSOR_BAD_INPUT = [
    ("hearing", {"facts": "", "days": "14"}, "Beschrijf de gegevens"),
    ("hearing", {"facts": "x", "days": "3"}, "Geef minstens 7 dagen."),
    ("hearing", {"facts": "x", "days": "veel"}, "Vul een heel getal in, zoals 14."),
    ("repair", {"what": "", "days": "14"}, "Schrijf op wat de aanvrager moet aanvullen."),
    ("repair", {"what": "offerte", "days": "100"}, "Hoogstens 56 dagen."),
    ("refuse", {"grounds": "x" * 5001}, "hoogstens 5000 tekens"),
]


@pytest.mark.parametrize(("action", "data", "message"), ASSESSOR_BAD_INPUT)
def test_assessor_forms_explain_bad_input(
    client, twente, staff, provider, budget, action, data, message
):
    application = complete_application(twente, staff["advisor"], provider)
    client.force_login(staff["assessor"])
    response = client.post(reverse(f"decisions:{action}", args=[application.reference]), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    application.refresh_from_db()
    assert application.state == states.COMPLETE


def test_applicant_answers_the_hearing_online(client, twente, staff, provider, budget):
    application = complete_application(twente, staff["advisor"], provider)
    hearing_start(
        application=application,
        actor=staff["assessor"],
        facts="De opleider meldt dat u al begonnen bent.",
    )
    client.force_login(application.applicant)
    url = reverse("decisions:my_application", args=[application.reference])
    page = client.get(url).content.decode()
    assert "De opleider meldt dat u al begonnen bent." in page
    assert client.post(url, {"response": ""}).status_code == 200
    client.post(url, {"response": "Ik begin pas in januari."})
    hearing = Hearing.objects.get()
    assert hearing.response == "Ik begin pas in januari." and hearing.closed_on is not None


def test_employer_sees_its_employees_but_not_other_applications(client, twente, staff, provider):
    from scholingsfonds.applications.services import employer_applications_submit
    from scholingsfonds.funds.models import Municipality

    apps = employer_applications_submit(
        fund=twente,
        employer_data={
            "name": "Metaal BV",
            "kvk_number": "12345678",
            "municipality": Municipality.objects.get(cbs_code="GM0164"),
            "contact_name": "Henk",
            "email": "henk@metaal.example",
            "phone": "",
        },
        employees=[short_form_data(municipality=None, postcode="")],
        contribution_percent=50,
        submission_key="emp",
    )
    stranger = application_submit(fund=twente, data=short_form_data(), submission_key="other")
    employer_user = apps[0].employer.users.get()
    assert employer_user.role == "employer"
    client.force_login(employer_user)
    listing = client.get(reverse("decisions:my_applications")).content.decode()
    assert apps[0].reference in listing and stranger.reference not in listing
    assert (
        client.get(reverse("decisions:my_application", args=[apps[0].reference])).status_code == 200
    )
    assert (
        client.get(reverse("decisions:my_application", args=[stranger.reference])).status_code
        == 404
    )


@pytest.mark.parametrize(
    "role",
    ["applicant", "employer", "provider", "finance", "manager", "auditor", "funder", "advisor"],
)
def test_only_assessors_reach_the_decision_pages(client, funds, staff, provider, budget, role):
    application = complete_application(funds["twente"], staff["advisor"], provider)
    user = make_user(f"r{role}", role, list(funds.values()))
    client.force_login(user)
    assert client.get(reverse("decisions:queue")).status_code == 403
    assert client.get(reverse("decisions:case", args=[application.reference])).status_code == 403
    assert client.post(reverse("decisions:grant", args=[application.reference])).status_code == 403
    application.refresh_from_db()
    assert application.state == states.COMPLETE

"""The short form and the employer form over HTTP: good input, bad input, replays."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.applications.models import Application
from scholingsfonds.funds.models import Municipality

pytestmark = pytest.mark.django_db


def form_post(**overrides):
    data = {
        "submission_key": "key-1",
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "email": "fatima@voorbeeld.nl",
        "phone": "06 12345678",
        "birth_date": "17-05-1990",
        "postcode": "7511ab",
        "municipality": str(Municipality.objects.get(cbs_code="GM0153").pk),
        "work_status": "job_seeker",
        "education_level": "mbo12",
        "career_route": "to_work",
        "question": "Ik wil verzorgende worden.",
        "heard_via": "campaign",
        "consent": "on",
    }
    data.update(overrides)
    return data


def test_short_form_renders_with_labels_and_the_region(client, twente):
    response = client.get(reverse("applications:apply", args=["twente"]))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'for="id_first_name"' in body
    assert "Enschede" in body and "Apeldoorn" not in body


def test_valid_short_form_creates_an_application_with_receipt_and_email(
    client, twente, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("applications:apply", args=["twente"]), form_post())
    assert response.status_code == 302
    application = Application.objects.get()
    assert application.reference.startswith("TFV-")
    assert application.postcode == "7511 AB"
    assert application.state == "submitted"
    # Judged under the policy in force on the day of receipt.
    assert application.policy_version == twente.policy_on(timezone.localdate())
    assert {o["rule_id"] for o in application.rule_outcomes} >= {"region", "minimum_age"}
    receipt = client.get(response["Location"])
    assert application.reference in receipt.content.decode()
    assert any(application.reference in m.subject for m in mail.outbox)


def test_double_submit_creates_one_application(client, twente):
    url = reverse("applications:apply", args=["twente"])
    first = client.post(url, form_post(submission_key="same"))
    second = client.post(url, form_post(submission_key="same"))
    assert Application.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_receipt_is_not_shown_to_another_browser(client, twente):
    response = client.post(reverse("applications:apply", args=["twente"]), form_post())
    client.logout()
    client.cookies.clear()
    assert client.get(response["Location"]).status_code == 404


BAD_INPUT = [
    ("first_name", "", "Vul uw voornaam in."),
    ("first_name", "x" * 61, "hoogstens 60 tekens"),
    ("last_name", "", "Vul uw achternaam in."),
    ("email", "fatima-at-voorbeeld", "Vul een geldig e-mailadres in"),
    ("email", "", "Vul uw e-mailadres in."),
    ("phone", "bel me maar", "Vul een telefoonnummer in met alleen cijfers"),
    ("phone", "0" * 21, "hoogstens 20 tekens"),
    ("birth_date", "31-02-1990", "Vul een geldige datum in"),
    ("birth_date", "gisteren", "Vul een geldige datum in"),
    ("birth_date", "", "Vul een datum in."),
    ("postcode", "ABCD 12", "Dit is geen geldige postcode"),
    ("postcode", "0123 AB", "Dit is geen geldige postcode"),
    ("postcode", "", "Vul uw postcode in."),
    ("municipality", "", "Kies de gemeente waar u woont."),
    ("municipality", "abc", "Kies een gemeente uit de lijst."),
    ("work_status", "astronaut", "Kies een van de mogelijkheden."),
    ("work_status", "", "Kies uw situatie."),
    ("education_level", "phd", "Kies een van de mogelijkheden."),
    ("career_route", "", "Kies wat u wilt bereiken."),
    ("question", "", "Vertel kort wat u wilt leren"),
    ("question", "x" * 2001, "Uw vraag is te lang"),
    ("heard_via", "radio-veronica", "Kies een van de mogelijkheden."),
    ("consent", "", "Zonder uw toestemming"),
]


@pytest.mark.parametrize(("field", "value", "message"), BAD_INPUT)
def test_bad_input_gets_a_dutch_message_next_to_the_field_and_keeps_what_was_typed(
    client, twente, field, value, message
):
    data = form_post(**{field: value})
    if value == "" and field == "consent":
        data.pop("consent")
    response = client.post(reverse("applications:apply", args=["twente"]), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert f'id="id_{field}_error"' in body
    assert Application.objects.count() == 0
    # Nothing typed is lost: the other fields come back filled in.
    if field != "first_name":
        assert 'value="Fatima"' in body
    if field != "question":
        assert "Ik wil verzorgende worden." in body


def test_birth_date_in_the_future_is_refused(client, twente):
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(
        reverse("applications:apply", args=["twente"]), form_post(birth_date=tomorrow)
    )
    assert "Een geboortedatum ligt niet in de toekomst." in response.content.decode()


def test_municipality_outside_the_fund_region_is_refused(client, twente):
    apeldoorn = Municipality.objects.get(cbs_code="GM0200")
    response = client.post(
        reverse("applications:apply", args=["twente"]), form_post(municipality=str(apeldoorn.pk))
    )
    assert "Kies een gemeente uit de lijst." in response.content.decode()
    assert Application.objects.count() == 0


def test_applicant_under_18_is_recorded_with_the_age_rule_failed(client, twente):
    seventeen = timezone.localdate().replace(year=timezone.localdate().year - 17)
    client.post(
        reverse("applications:apply", args=["twente"]), form_post(birth_date=seventeen.isoformat())
    )
    outcome = {o["rule_id"]: o for o in Application.objects.get().rule_outcomes}["minimum_age"]
    assert outcome["passed"] is False


def test_advisor_fills_in_the_form_on_behalf_of_a_person(client, twente, staff):
    client.force_login(staff["advisor"])
    page = client.get(reverse("applications:apply", args=["twente"]))
    assert "namens de aanvrager" in page.content.decode()
    client.post(reverse("applications:apply", args=["twente"]), form_post())
    application = Application.objects.get()
    assert application.submitted_on_behalf_by == staff["advisor"]
    assert application.applicant.email == "fatima@voorbeeld.nl"


def employer_post(**overrides):
    data = {
        "submission_key": "emp-1",
        "company_name": "Metaalbouw Hengelo BV",
        "kvk_number": "08123456",
        "municipality": str(Municipality.objects.get(cbs_code="GM0164").pk),
        "contact_name": "Henk Nijhuis",
        "email": "henk@metaalbouw.example",
        "phone": "074 1234567",
        "contribution_percent": "50",
        "consent": "on",
        "employee-TOTAL_FORMS": "3",
        "employee-INITIAL_FORMS": "0",
        "employee-MIN_NUM_FORMS": "0",
        "employee-MAX_NUM_FORMS": "20",
        "employee-0-first_name": "Rick",
        "employee-0-last_name": "Wolters",
        "employee-0-email": "rick@voorbeeld.nl",
        "employee-0-birth_date": "1988-02-03",
        "employee-0-education_level": "mbo34",
        "employee-0-career_route": "same_job",
        "employee-0-question": "Lassen",
        "employee-1-first_name": "Sara",
        "employee-1-last_name": "Kok",
        "employee-1-email": "sara@voorbeeld.nl",
        "employee-1-birth_date": "1995-09-21",
        "employee-1-education_level": "vmbo",
        "employee-1-career_route": "same_sector",
        "employee-1-question": "Warmtepompen",
    }
    data.update(overrides)
    return data


def test_employer_applies_for_two_employees(client, twente):
    response = client.post(reverse("applications:apply_employer", args=["twente"]), employer_post())
    assert response.status_code == 302
    applications = Application.objects.order_by("id")
    assert [a.first_name for a in applications] == ["Rick", "Sara"]
    assert all(
        a.route == "employer" and a.employer_contribution_percent == 50 for a in applications
    )
    assert applications[0].employer.kvk_number == "08123456"
    region = {o["rule_id"]: o for o in applications[0].rule_outcomes}["region"]
    assert region["passed"] is True  # the employer is established in the region


EMPLOYER_BAD_INPUT = [
    ("kvk_number", "1234", "Een KvK-nummer bestaat uit 8 cijfers"),
    ("kvk_number", "abcdefgh", "Een KvK-nummer bestaat uit 8 cijfers"),
    ("contribution_percent", "40", "minstens 50 procent"),
    ("contribution_percent", "veel", "Vul een heel getal in"),
    ("contribution_percent", "150", "niet hoger zijn dan 100 procent"),
    ("email", "henk@", "Vul een geldig e-mailadres in"),
    ("company_name", "", "Vul de naam van het bedrijf in."),
    ("employee-0-email", "rick", "Vul een geldig e-mailadres in"),
    ("employee-1-email", "rick@voorbeeld.nl", "Elke medewerker heeft een eigen e-mailadres nodig."),
    ("employee-0-birth_date", "1988-13-45", "Vul een geldige datum in"),
]


@pytest.mark.parametrize(("field", "value", "message"), EMPLOYER_BAD_INPUT)
def test_employer_form_bad_input_is_explained_and_nothing_is_saved(
    client, twente, field, value, message
):
    response = client.post(
        reverse("applications:apply_employer", args=["twente"]), employer_post(**{field: value})
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert message in body
    assert "Metaalbouw Hengelo BV" in body or field == "company_name"
    assert Application.objects.count() == 0


def test_employer_form_without_employees_is_refused(client, twente):
    data = employer_post()
    for key in list(data):
        if key.startswith("employee-0") or key.startswith("employee-1"):
            data.pop(key)
    response = client.post(reverse("applications:apply_employer", args=["twente"]), data)
    assert "minstens één medewerker" in response.content.decode()


def test_the_same_form_sent_again_after_the_back_button_is_one_application(client, twente):
    url = reverse("applications:apply", args=["twente"])
    client.post(url, form_post(submission_key="first-load"))
    # Back, the page is loaded again (a new hidden key), the browser refills the fields.
    client.post(url, form_post(submission_key="second-load"))
    assert Application.objects.count() == 1


def test_pasted_long_text_is_kept_and_reported_not_cut_off(client, twente):
    page = client.get(reverse("applications:apply", args=["twente"])).content.decode()
    assert 'maxlength="2000"' not in page
    long_question = "Ik wil leren. " * 200
    response = client.post(
        reverse("applications:apply", args=["twente"]), form_post(question=long_question)
    )
    assert "Uw vraag is te lang" in response.content.decode()
    assert long_question.strip() in response.content.decode()


def test_employer_duplicate_email_is_marked_at_the_employee(client, twente):
    response = client.post(
        reverse("applications:apply_employer", args=["twente"]),
        employer_post(**{"employee-1-email": "rick@voorbeeld.nl"}),
    )
    assert 'id="id_employee-1-email_error"' in response.content.decode()

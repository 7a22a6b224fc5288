"""Gender and migration background: asked on the short form, voluntary, for statistics only."""

import pytest
from django.urls import reverse

from scholingsfonds.applications.forms import ShortForm
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import SHORT_FORM_FIELDS
from scholingsfonds.funds.models import Municipality

pytestmark = pytest.mark.django_db


def form_post(**overrides):
    data = {
        "submission_key": "key-voluntary",
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


def test_the_short_form_asks_them_in_a_separate_optional_fieldset(client, twente):
    body = client.get(reverse("applications:apply", args=["twente"])).content.decode()
    legend = body.index("Vrijwillig, alleen voor statistiek")
    assert body.index("Wat is uw geslacht?") > legend
    assert body.index("in het buitenland geboren") > legend
    assert body.count("Wil ik niet zeggen") == 2
    assert body.index('id="id_consent"') > body.index("in het buitenland geboren")


def test_skipping_them_changes_nothing(client, twente):
    response = client.post(reverse("applications:apply", args=["twente"]), form_post())
    assert response.status_code == 302
    application = Application.objects.get()
    assert (application.gender, application.migration_background) == ("", "")


def test_the_form_accepts_an_answer_and_refuses_an_unknown_one(twente):
    municipalities = Municipality.objects.filter(cbs_code="GM0153")
    good = ShortForm(
        form_post(gender="not_said", migration_background="yes"), municipalities=municipalities
    )
    assert good.is_valid(), good.errors
    assert good.cleaned_data["gender"] == "not_said"
    bad = ShortForm(form_post(gender="robot"), municipalities=municipalities)
    assert not bad.is_valid() and "gender" in bad.errors


@pytest.mark.skipif(
    "gender" not in SHORT_FORM_FIELDS,
    reason="needs gender and migration_background in SHORT_FORM_FIELDS (applications/services.py)",
)
def test_an_answer_is_stored_with_the_application(client, twente):
    client.post(
        reverse("applications:apply", args=["twente"]),
        form_post(gender="woman", migration_background="no"),
    )
    application = Application.objects.get()
    assert (application.gender, application.migration_background) == ("woman", "no")

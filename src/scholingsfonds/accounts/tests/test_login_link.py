"""One-time e-mail links: they work once, for 30 minutes, and reveal nothing about who applied."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.accounts.models import LoginToken
from scholingsfonds.applications.services import application_submit
from tests.factories import short_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(twente):
    application = application_submit(
        fund=twente, data=short_form_data(email="an@voorbeeld.nl"), submission_key="login-1"
    )
    return application.applicant


def request_link(client, email, capture):
    with capture(execute=True):
        return client.post(reverse("accounts:request_link"), {"email": email})


def link_from_mail() -> str:
    return re.search(r"/account/link/[^/\s]+/", mail.outbox[-1].body).group(0)


def test_link_logs_the_applicant_in_once(client, applicant, django_capture_on_commit_callbacks):
    request_link(client, "AN@voorbeeld.nl", django_capture_on_commit_callbacks)
    link = link_from_mail()
    assert client.get(link).status_code == 200  # a GET only shows the button
    response = client.post(link)
    assert response.status_code == 302
    assert client.get(reverse("decisions:my_applications")).status_code == 200
    client.logout()
    again = client.post(link, follow=True)
    assert "verlopen of al gebruikt" in again.content.decode()


def test_expired_link_is_refused(client, applicant, django_capture_on_commit_callbacks):
    request_link(client, "an@voorbeeld.nl", django_capture_on_commit_callbacks)
    LoginToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    response = client.post(link_from_mail(), follow=True)
    assert "verlopen of al gebruikt" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_unknown_address_gets_the_same_answer_and_no_mail(
    client, applicant, django_capture_on_commit_callbacks
):
    known = request_link(client, "an@voorbeeld.nl", django_capture_on_commit_callbacks)
    sent = len(mail.outbox)
    unknown = request_link(client, "niemand@voorbeeld.nl", django_capture_on_commit_callbacks)
    assert len(mail.outbox) == sent
    assert known.status_code == unknown.status_code == 200
    assert main_text(known, "an@voorbeeld.nl") == main_text(unknown, "niemand@voorbeeld.nl")


def main_text(response, email: str) -> str:
    """The page's <main> without the address typed and the per-request CSRF token."""
    body = response.content.decode()
    main = body[body.index("<main") : body.index("</main>")]
    return re.sub(r'value="[^"]{20,}"', "", main.replace(email, "EMAIL"))


def test_only_the_hash_of_the_token_is_stored(
    client, applicant, django_capture_on_commit_callbacks
):
    request_link(client, "an@voorbeeld.nl", django_capture_on_commit_callbacks)
    token = link_from_mail().rstrip("/").rsplit("/", 1)[-1]
    assert not LoginToken.objects.filter(token_hash=token).exists()
    assert LoginToken.objects.filter(token_hash=LoginToken.hash(token)).exists()

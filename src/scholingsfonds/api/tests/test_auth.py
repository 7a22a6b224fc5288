"""Token and session authentication; tokens are stored as hashes and shown once."""

import hashlib
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from scholingsfonds.api.models import ApiToken
from scholingsfonds.api.tests.conftest import bearer

URL = "/api/v1/funds/leerbudget/window-applications"


@pytest.mark.django_db
def test_missing_or_wrong_token_is_401_with_a_code(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _user, key = person()
    for headers in ({}, bearer("sf_wrong"), bearer(key + "x"), {"HTTP_AUTHORIZATION": key}):
        response = client.post(URL, body(), content_type="application/json", **headers)
        assert response.status_code == 401, headers
        assert response.json()["code"] == "auth.required"
        assert response.json()["message_nl"].startswith("Log in")
        assert response["WWW-Authenticate"] == "Bearer"
    assert client.get("/api/v1/applications/LBO-2026-000001").status_code == 401


@pytest.mark.django_db
def test_inactive_users_token_no_longer_works(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    user, key = person()
    user.is_active = False
    user.save()
    response = client.post(URL, body(), content_type="application/json", **bearer(key))
    assert response.status_code == 401


@pytest.mark.django_db
def test_only_the_hash_is_stored_and_use_is_noted(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    user, key = person()
    token = ApiToken.objects.get(user=user)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in str(ApiToken.objects.values_list().get(pk=token.pk))
    assert token.last_used_at is None
    response = client.post(URL, body(), content_type="application/json", **bearer(key))
    assert response.status_code == 201
    token.refresh_from_db()
    assert token.last_used_at is not None


@pytest.mark.django_db
def test_management_command_prints_a_new_token_once(django_user_model: Any) -> None:
    django_user_model.objects.create_user(username="ayse", email="ayse@voorbeeld.nl")
    out, err = StringIO(), StringIO()
    call_command("api_token_create", "ayse", "--name", "script", stdout=out, stderr=err)
    key = out.getvalue().strip()
    assert key.startswith("sf_") and len(key) > 40
    token = ApiToken.objects.get()
    assert token.name == "script" and token.key_hash == ApiToken.hash(key)
    assert "only once" in err.getvalue()
    with pytest.raises(Exception, match="unknown user"):
        call_command("api_token_create", "nobody", stdout=StringIO(), stderr=StringIO())


@pytest.mark.django_db
def test_session_auth_needs_csrf_for_writes(window_fund: Any, body: Any, person: Any) -> None:
    user, _key = person()
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(user)
    refused = browser.post(URL, body(), content_type="application/json")
    assert refused.status_code == 403
    assert refused.json()["code"] == "auth.csrf_failed"
    browser.get("/api/v1/funds")  # any page; the cookie comes from the website in practice
    from django.middleware.csrf import _get_new_csrf_string

    secret = _get_new_csrf_string()
    browser.cookies["csrftoken"] = secret
    accepted = browser.post(URL, body(), content_type="application/json", HTTP_X_CSRFTOKEN=secret)
    assert accepted.status_code == 201
    reference = accepted.json()["reference"]
    assert browser.get(f"/api/v1/applications/{reference}").status_code == 200


@pytest.mark.django_db
def test_staff_do_not_apply_through_the_api(
    client: Any, window_fund: Any, body: Any, person: Any
) -> None:
    _user, key = person(role="assessor")
    response = client.post(URL, body(), content_type="application/json", **bearer(key))
    assert response.status_code == 403
    assert response.json()["code"] == "auth.applicants_only"

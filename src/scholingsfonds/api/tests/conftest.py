"""Fixtures for the API tests: persons with a token, and a valid body for the window."""

import itertools
from typing import Any

import pytest

_numbers = itertools.count(1)


@pytest.fixture
def person(db: Any) -> Any:
    """Make an applicant with an API token: person() -> (user, token)."""
    from scholingsfonds.accounts.models import Role, User
    from scholingsfonds.api.services import api_token_create

    def make(role: str = Role.APPLICANT) -> tuple[Any, str]:
        n = next(_numbers)
        user = User.objects.create_user(
            username=f"persoon{n}", email=f"persoon{n}@voorbeeld.nl", role=role
        )
        _token, key = api_token_create(user=user, name="test")
        return user, key

    return make


@pytest.fixture
def body(provider: Any) -> Any:
    """A valid window application body; keyword arguments override fields."""

    def make(**overrides: Any) -> dict[str, Any]:
        data = {
            "submission_key": f"sleutel-{next(_numbers):06d}",
            "first_name": "Fatima",
            "last_name": "El Amrani",
            "phone": "06 12345678",
            "birth_date": "1990-05-17",
            "postcode": "7511ab",
            "municipality": "GM0153",
            "work_status": "employee",
            "education_level": "mbo12",
            "career_route": "same_sector",
            "question": "Ik wil mijn heftruckcertificaat halen.",
            "heard_via": "campaign",
            "training_title": "Heftruckcertificaat",
            "training_level": "mbo2",
            "training_sector": "transport & logistics",
            "provider": provider.pk,
            "cost_cents": 85_000,
            "cofinancing": [],
        }
        data.update(overrides)
        return data

    return make


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}

"""Fixtures that build a fund with its rules, budget, people and cases through the services."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

REPO_ROOT = Path(__file__).resolve().parent.parent
_counter = itertools.count(1)


@pytest.fixture
def funds(db: Any) -> dict[str, Any]:
    from scholingsfonds.funds.models import Fund
    from scholingsfonds.funds.services import policies_load

    policies_load(directory=REPO_ROOT / "policies")
    return {fund.slug: fund for fund in Fund.objects.all()}


@pytest.fixture
def twente(funds: dict[str, Any]) -> Any:
    return funds["twente"]


def make_user(username: str, role: str, funds: list[Any] = (), **extra: Any) -> Any:  # type: ignore[assignment]
    from scholingsfonds.accounts.models import User

    user = User.objects.create_user(
        username=username,
        email=f"{username}@example.test",
        password="pw-test-123",
        role=role,
        first_name=username.capitalize(),
        last_name="Test",
        **extra,
    )
    for fund in funds:
        fund.staff.add(user)
    return user


@pytest.fixture
def staff(funds: dict[str, Any]) -> dict[str, Any]:
    both = list(funds.values())
    return {
        "advisor": make_user("advisor", "advisor", [funds["twente"]]),
        "advisor_sd": make_user("advisor_sd", "advisor", [funds["stedendriehoek"]]),
        "assessor": make_user("assessor", "assessor", both),
        "assessor2": make_user("assessor2", "assessor", both),
        "finance": make_user("finance", "finance", both),
        "manager": make_user("manager", "manager", both),
    }


@pytest.fixture
def provider(db: Any) -> Any:
    from scholingsfonds.providers.models import Provider

    return Provider.objects.create(name="ROC van Twente", kind="ocw", city="Hengelo")


@pytest.fixture
def budget(funds: dict[str, Any]) -> dict[str, Any]:
    """A small voucher budget per fund, so tests can run it out."""
    from scholingsfonds.budget.services import source_create

    # A period around today, so that a grant decided on any test day can draw on it.
    today = timezone.localdate()
    return {
        "twente": source_create(
            fund=funds["twente"],
            name="Regio – cheques",
            funder="Regio",
            category="vouchers",
            pledged_cents=1_000_000,
            period_start=today - timedelta(days=365),
            period_end=today + timedelta(days=365),
        ),
        "stedendriehoek": source_create(
            fund=funds["stedendriehoek"],
            name="Gelderland",
            funder="Gelderland",
            category="vouchers",
            pledged_cents=1_000_000,
            period_start=today - timedelta(days=365),
            period_end=today + timedelta(days=365),
        ),
    }


def tomorrow_at_ten() -> str:
    """An appointment time the invite form accepts on any day: tomorrow 10:00, local time."""
    return (timezone.localdate() + timedelta(days=1)).isoformat() + "T10:00"


def short_form_data(**overrides: Any) -> dict[str, Any]:
    from scholingsfonds.funds.models import Municipality

    n = next(_counter)
    data = {
        "first_name": "Fatima",
        "last_name": "El Amrani",
        "email": f"fatima{n}@voorbeeld.nl",
        "phone": "06 12345678",
        "birth_date": date(1990, 5, 17),
        "postcode": "7511 AB",
        "municipality": Municipality.objects.get(cbs_code="GM0153"),
        "work_status": "job_seeker",
        "education_level": "mbo12",
        "career_route": "to_work",
        "question": "Ik wil verzorgende worden.",
        "heard_via": "campaign",
    }
    data.update(overrides)
    return data


def complete_application(
    fund: Any,
    advisor: Any,
    provider: Any,
    *,
    cost_cents: int = 300_000,
    cofinancing_cents: int | None = None,
    motivation: str = "Veel vacatures.",
    isco: str = "5321",
    **overrides: Any,
) -> Any:
    """An application taken through intake, conversation, training, test and completeness."""
    from scholingsfonds.advising.services import (
        conversation_invite,
        conversation_record,
        labour_market_test_record,
    )
    from scholingsfonds.applications.services import (
        application_mark_complete,
        application_record_training,
        application_submit,
    )
    from scholingsfonds.funds.models import Occupation

    application = application_submit(
        fund=fund, data=short_form_data(**overrides), submission_key=f"k{next(_counter)}"
    )
    conversation = conversation_invite(
        application=application,
        actor=advisor,
        scheduled_at=timezone.now() + timedelta(days=1),
        location="leerwerkloket",
    )
    conversation_record(
        conversation=conversation,
        actor=advisor,
        identity_checked=True,
        notes="Besproken.",
        outcome="voucher",
    )
    if cofinancing_cents is None:
        cofinancing_cents = cost_cents // 2
    application_record_training(
        application=application,
        actor=advisor,
        training_title="Verzorgende IG",
        training_level="mbo3",
        training_sector="care & welfare",
        provider=provider,
        cost_cents=cost_cents,
        cofinancing=[{"payer": "employer", "amount_cents": cofinancing_cents}]
        if cofinancing_cents
        else [],
    )
    labour_market_test_record(
        application=application,
        actor=advisor,
        occupation=Occupation.objects.get(isco08=isco),
        motivation=motivation,
    )
    return application_mark_complete(application=application, actor=advisor)


@pytest.fixture
def window_fund(funds: dict[str, Any]) -> Any:
    """The demo window fund with its window moved around today, and EUR 3,000 to share."""
    import tomllib

    from scholingsfonds.budget.services import source_create
    from scholingsfonds.funds.models import PolicyVersion

    today = timezone.localdate()
    data = tomllib.loads((REPO_ROOT / "policies" / "leerbudget-2026.toml").read_text())
    data.update(
        valid_from=(today - timedelta(days=30)).isoformat(),
        valid_to=(today + timedelta(days=365)).isoformat(),
        window_opens=(today - timedelta(days=1)).isoformat(),
        window_closes=(today + timedelta(days=30)).isoformat(),
    )
    fund = funds["leerbudget"]
    PolicyVersion.objects.filter(fund=fund).update(
        data=data, valid_from=data["valid_from"], valid_to=data["valid_to"]
    )
    source_create(
        fund=fund,
        name="Leerbudget",
        funder="Rijk",
        category="vouchers",
        pledged_cents=300_000,
        period_start=today - timedelta(days=30),
        period_end=today + timedelta(days=365),
    )
    return fund


def window_data(provider: Any, cost_cents: int = 150_000, **overrides: Any) -> dict[str, Any]:
    data = short_form_data(**overrides)
    data.update(
        training_title="Heftruckcertificaat",
        training_level="mbo2",
        training_sector="transport & logistics",
        provider=provider,
        cost_cents=cost_cents,
        cofinancing=[],
    )
    return data

"""Fixtures of the advisor's workspace: schemes and targets loaded, people, a held case."""

from datetime import datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import REPO_ROOT, make_user, short_form_data


@pytest.fixture
def schemes(funds: dict[str, Any]) -> list[Any]:
    from scholingsfonds.advising.services.financing import schemes_load
    from scholingsfonds.advising.services.targets import targets_load

    targets_load(path=REPO_ROOT / "policies" / "advising" / "targets.toml")
    return schemes_load(directory=REPO_ROOT / "policies" / "schemes")


@pytest.fixture
def administrator(funds: dict[str, Any]) -> Any:
    return make_user("beheerder", "administrator", list(funds.values()))


@pytest.fixture
def colleague(funds: dict[str, Any]) -> Any:
    """A second advisor of the Twents Fonds."""
    return make_user("collega", "advisor", [funds["twente"]])


def next_weekday(days: int = 7) -> Any:
    day = timezone.localdate() + timedelta(days=days)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def at(day: Any, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


@pytest.fixture
def slots(staff: dict[str, Any]) -> list[Any]:
    """Four free morning slots of the Twente advisor, a week from now."""
    from scholingsfonds.advising.services.slots import time_slots_create

    created, _ = time_slots_create(
        actor=staff["advisor"],
        advisor=staff["advisor"],
        day=next_weekday(),
        start=time(9),
        end=time(12),
        minutes=45,
        location="leerwerkloket",
        place="Leerwerkloket Enschede, Hengelosestraat 86",
    )
    return created


@pytest.fixture
def submitted(twente: Any) -> Any:
    from scholingsfonds.applications.services import application_submit

    return application_submit(fund=twente, data=short_form_data(), submission_key="ws-1")


@pytest.fixture
def held(twente: Any, staff: dict[str, Any], provider: Any) -> Any:
    """An application after the conversation, with training, provider and cost recorded."""
    from scholingsfonds.advising.services.conversations import (
        conversation_invite,
        conversation_record,
    )
    from scholingsfonds.applications.services import application_record_training, application_submit

    application = application_submit(
        fund=twente,
        data=short_form_data(work_status="employee", question="Monteur warmtepompen worden."),
        submission_key="ws-held",
    )
    conversation = conversation_invite(
        application=application,
        actor=staff["advisor"],
        scheduled_at=timezone.now() + timedelta(days=1),
        location="leerwerkloket",
    )
    conversation_record(
        conversation=conversation,
        actor=staff["advisor"],
        identity_checked=True,
        notes="Wil monteur warmtepompen worden.",
        outcome="voucher",
    )
    return application_record_training(
        application=application,
        actor=staff["advisor"],
        training_title="Monteur warmtepompen",
        training_level="mbo3",
        training_sector="technical",
        provider=provider,
        cost_cents=360_000,
        cofinancing=[],
    )

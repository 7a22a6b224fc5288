"""A small world of money: two funders in Twente, one in Stedendriehoek, and every role."""

from datetime import date, datetime, time
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import complete_application, make_user


@pytest.fixture
def sources(funds: dict[str, Any], budget: dict[str, Any]) -> dict[str, Any]:
    """Regio (budget fixture) and Provincie in Twente; Provincie's voucher money goes first."""
    from scholingsfonds.budget.services import source_create

    twente = funds["twente"]
    # The same period around today as the budget fixture's sources.
    common = {
        "period_start": budget["twente"].period_start,
        "period_end": budget["twente"].period_end,
    }
    return {
        "regio": budget["twente"],
        "provincie": source_create(
            fund=twente,
            name="Provincie – cheques",
            funder="Provincie",
            category="vouchers",
            pledged_cents=200_000,
            restricted=True,  # earmarked money is allocated first
            **common,
        ),
        "provincie_advies": source_create(
            fund=twente,
            name="Provincie – advies",
            funder="Provincie",
            category="advice",
            pledged_cents=400_000,
            note="Pro rata verdeeld over de categorieën (aanname demo, aanpasbaar).",
            **common,
        ),
        "gelderland": budget["stedendriehoek"],
    }


@pytest.fixture
def people(funds: dict[str, Any], staff: dict[str, Any]) -> dict[str, Any]:
    from scholingsfonds.payments.models import FunderAccess

    twente, sd = funds["twente"], funds["stedendriehoek"]
    users = dict(staff)
    users["auditor"] = make_user("auditor", "auditor", [twente, sd])
    users["administrator"] = make_user("administrator", "administrator")
    users["finance_sd"] = make_user("finance_sd", "finance", [sd])
    users["funder"] = make_user("funder", "funder")
    users["funder_without_access"] = make_user("funder2", "funder")
    users["applicant"] = make_user("applicant", "applicant")
    users["employer"] = make_user("employer", "employer")
    users["provider"] = make_user("provider_user", "provider")
    FunderAccess.objects.create(user=users["funder"], fund=twente, funder="Provincie")
    return users


@pytest.fixture
def granted(
    funds: dict[str, Any], staff: dict[str, Any], provider: Any, sources: dict[str, Any]
) -> dict[str, Any]:
    """Two vouchers of EUR 1,500: the first from Provincie, the second split over both."""
    from scholingsfonds.decisions.services import decision_grant

    twente = funds["twente"]
    first = complete_application(twente, staff["advisor"], provider, cost_cents=300_000)
    decision_grant(application=first, actor=staff["assessor"])
    second = complete_application(twente, staff["advisor"], provider, cost_cents=300_000)
    decision_grant(application=second, actor=staff["assessor"])
    first.refresh_from_db()
    second.refresh_from_db()
    return {"first": first, "second": second}


def at(day: date, hour: int = 12) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


# The providers issue: two providers with a voucher each, a PDF, media in a temporary folder.
from scholingsfonds.vouchers.tests.conftest import _media, other, roc, vouchers  # noqa: E402, F401

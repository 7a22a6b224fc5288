"""A small world for monitoring: two funds, every role, cases in every state, money moved."""

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from tests.factories import complete_application, make_user, short_form_data


@pytest.fixture
def people(funds: dict[str, Any], staff: dict[str, Any]) -> dict[str, Any]:
    """Everyone who might open the dashboard, linked to the funds the way the demo does."""
    twente, sd = funds["twente"], funds["stedendriehoek"]
    users = dict(staff)
    users["auditor"] = make_user("auditor", "auditor", [twente, sd])
    users["administrator"] = make_user("administrator", "administrator")
    users["funder"] = make_user("funder", "funder", [twente])
    users["funder_unlinked"] = make_user("funder2", "funder")
    users["manager_sd"] = make_user("manager_sd", "manager", [sd])
    users["applicant"] = make_user("applicant", "applicant")
    users["employer"] = make_user("employer", "employer")
    users["provider"] = make_user("provider_user", "provider")
    return users


def _employer_application(fund: Any, advisor: Any, provider: Any, **overrides: Any) -> Any:
    """An employer-route application taken to completeness (employee's address not asked)."""
    from scholingsfonds.advising.services import (
        conversation_invite,
        conversation_record,
        labour_market_test_record,
    )
    from scholingsfonds.applications.services import (
        application_mark_complete,
        application_record_training,
        employer_applications_submit,
    )
    from scholingsfonds.funds.models import Municipality, Occupation

    employee = short_form_data(work_status="employee", career_route="same_job", **overrides)
    employee.pop("municipality")
    employee["postcode"] = ""
    employee["municipality"] = None
    kvk = overrides.pop("kvk", "12345678")
    (application,) = employer_applications_submit(
        fund=fund,
        employer_data={
            "name": f"Metaal {kvk}",
            "kvk_number": kvk,
            "municipality": Municipality.objects.get(cbs_code="GM0164"),
            "contact_name": "H. Nijhuis",
            "email": f"hr{kvk}@bedrijf.example",
            "phone": "",
        },
        employees=[employee],
        contribution_percent=50,
        submission_key=f"emp-{kvk}-{employee['email']}",
    )
    conversation = conversation_invite(
        application=application,
        actor=advisor,
        scheduled_at=timezone.now() + timedelta(days=1),
        location="phone",
    )
    conversation_record(
        conversation=conversation, actor=advisor, identity_checked=True, notes="", outcome="voucher"
    )
    application_record_training(
        application=application,
        actor=advisor,
        training_title="Lassen",
        training_level="mbo2",
        training_sector="technical",
        provider=provider,
        cost_cents=200_000,
        cofinancing=[{"payer": "employer", "amount_cents": 100_000}],
    )
    labour_market_test_record(
        application=application,
        actor=advisor,
        occupation=Occupation.objects.get(isco08="7212"),
        motivation="Tekort aan lassers.",
    )
    return application_mark_complete(application=application, actor=advisor)


@pytest.fixture
def world(
    funds: dict[str, Any], staff: dict[str, Any], provider: Any, budget: dict[str, Any]
) -> dict[str, Any]:
    """Cases in several states in Twente and one in Stedendriehoek; one voucher partly paid."""
    from scholingsfonds.advising.services import conversation_invite, conversation_record
    from scholingsfonds.applications.services import application_submit
    from scholingsfonds.budget.services import budget_pay_voucher
    from scholingsfonds.decisions.services import decision_grant, decision_refuse
    from scholingsfonds.funds.models import Municipality

    twente, sd = funds["twente"], funds["stedendriehoek"]
    advisor = staff["advisor"]
    granted = []
    for gender in ("woman", "man", "", "not_said"):
        application = complete_application(twente, advisor, provider, cost_cents=300_000)
        application.gender = gender
        application.migration_background = "yes" if gender == "woman" else ""
        application.save(update_fields=["gender", "migration_background"])
        decision_grant(application=application, actor=staff["assessor"])
        granted.append(application)
    refused = complete_application(twente, advisor, provider)
    decision_refuse(application=refused, actor=staff["assessor"], grounds="Al begonnen.")
    referred = application_submit(fund=twente, data=short_form_data(), submission_key="referred-1")
    talk = conversation_invite(
        application=referred,
        actor=advisor,
        scheduled_at=timezone.now() + timedelta(days=1),
        location="leerwerkloket",
    )
    conversation_record(
        conversation=talk,
        actor=advisor,
        identity_checked=False,
        notes="",
        outcome="referral",
        referral_to="UWV",
        referral_reason="Past beter.",
    )
    waiting = application_submit(
        fund=twente, data=short_form_data(career_route="other_sector"), submission_key="waiting-1"
    )
    employer_case = _employer_application(twente, advisor, provider)
    decision_grant(application=employer_case, actor=staff["assessor"])
    apeldoorn = Municipality.objects.get(cbs_code="GM0200")
    sd_case = complete_application(sd, staff["advisor_sd"], provider, municipality=apeldoorn)
    decision_grant(application=sd_case, actor=staff["assessor"])
    first = granted[0]
    first.refresh_from_db()
    budget_pay_voucher(
        fund=twente,
        voucher_ref=first.voucher.code,
        amount_cents=100_000,
        actor=staff["finance"],
        memo="Factuur opleider",
    )
    return {
        "granted": granted,
        "refused": refused,
        "referred": referred,
        "waiting": waiting,
        "employer_case": employer_case,
        "sd_case": sd_case,
    }

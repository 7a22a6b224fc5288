"""The decision: grant through the ledger, four eyes, hearing, ceiling, letter, who sees what."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.applications.domain import states
from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.budget.services import source_create
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services.decision import (
    decision_approve,
    decision_grant,
    decision_refuse,
    decision_return_proposal,
)
from scholingsfonds.decisions.services.hearing import hearing_respond, hearing_start
from scholingsfonds.decisions.services.window import CEILING_GROUNDS
from tests.factories import complete_application

AMSTERDAM = ZoneInfo("Europe/Amsterdam")

pytestmark = pytest.mark.django_db


def test_grant_below_threshold_issues_voucher_and_commits_money(
    twente, staff, provider, budget, django_capture_on_commit_callbacks
):
    application = complete_application(twente, staff["advisor"], provider, cost_cents=300_000)
    with django_capture_on_commit_callbacks(execute=True):
        decision = decision_grant(application=application, actor=staff["assessor"])
    application.refresh_from_db()
    assert decision.status == Decision.Status.FINAL
    assert decision.amount_cents == 150_000  # cost minus 50 % co-financing
    assert application.state == states.GRANTED
    voucher = application.voucher
    assert voucher.amount_cents == 150_000
    assert voucher.valid_until > voucher.issued_on
    budget["twente"].balance.refresh_from_db()
    assert budget["twente"].balance.committed_cents == 150_000
    assert budget["twente"].balance.available_cents == 1_000_000 - 150_000
    assert ledger_recount()["balanced"] is True
    # The letter is rendered (real WeasyPrint) and mailed with the PDF attached.
    decision.refresh_from_db()
    assert decision.letter_pdf.name.endswith(".pdf")
    with decision.letter_pdf.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    letters = [m for m in mail.outbox if "Besluit" in m.subject]
    assert letters and letters[0].attachments[0][2] == "application/pdf"


def test_grant_is_the_lesser_of_cap_left_and_cost_minus_cofinancing(
    twente, staff, provider, budget
):
    application = complete_application(
        twente, staff["advisor"], provider, cost_cents=900_001, cofinancing_cents=450_001
    )
    decision = decision_grant(application=application, actor=staff["assessor"])
    assert decision.amount_cents == 250_000  # the cap binds


def test_grant_above_threshold_waits_for_a_second_assessor(twente, staff, provider, budget):
    application = complete_application(twente, staff["advisor"], provider, cost_cents=460_000)
    decision = decision_grant(application=application, actor=staff["assessor"])
    assert decision.status == Decision.Status.PROPOSED
    application.refresh_from_db()
    assert application.state == states.AWAITING_SECOND_APPROVAL
    with pytest.raises(DomainError) as error:
        decision_approve(decision=decision, actor=staff["assessor"])
    assert error.value.code == "decision.four_eyes"
    decision_approve(decision=decision, actor=staff["assessor2"])
    application.refresh_from_db()
    assert application.state == states.GRANTED
    assert application.voucher.amount_cents == 230_000


def test_only_a_second_assessor_returns_a_proposal(twente, staff, provider, budget):
    application = complete_application(twente, staff["advisor"], provider, cost_cents=460_000)
    decision = decision_grant(application=application, actor=staff["assessor"])
    with pytest.raises(DomainError) as error:
        decision_return_proposal(decision=decision, actor=staff["assessor"], reason="Twijfel.")
    assert error.value.code == "decision.four_eyes"
    decision_return_proposal(decision=decision, actor=staff["assessor2"], reason="Kosten?")
    application.refresh_from_db()
    assert application.state == states.COMPLETE
    assert not Decision.objects.filter(application=application).exists()


def test_refusal_on_other_facts_needs_a_hearing_first(twente, staff, provider, budget):
    application = complete_application(twente, staff["advisor"], provider)
    with pytest.raises(DomainError) as error:
        decision_refuse(
            application=application,
            actor=staff["assessor"],
            grounds="De opleiding was al gestart.",
            rests_on_other_facts=True,
        )
    assert error.value.code == "decision.hearing_required"
    hearing = hearing_start(
        application=application,
        actor=staff["assessor"],
        facts="De opleider meldt dat u al bent begonnen.",
    )
    application.refresh_from_db()
    assert application.state == states.HEARING
    hearing_respond(hearing=hearing, actor=application.applicant, response="Dat klopt niet.")
    decision = decision_refuse(
        application=application,
        actor=staff["assessor"],
        grounds="De opleiding was al gestart.",
        rests_on_other_facts=True,
    )
    assert decision.outcome == Decision.Outcome.REFUSE
    assert decision.objection_deadline is not None


def test_refusal_when_money_is_gone_cites_the_subsidy_ceiling(twente, staff, provider, funds):
    source_create(
        fund=twente,
        name="Klein",
        funder="Regio",
        category="vouchers",
        pledged_cents=100_000,
        period_start=timezone.localdate() - timedelta(days=30),
        period_end=timezone.localdate() + timedelta(days=30),
    )
    application = complete_application(twente, staff["advisor"], provider, cost_cents=300_000)
    with pytest.raises(DomainError) as error:
        decision_grant(application=application, actor=staff["assessor"])
    assert error.value.code == "budget.insufficient_funds"
    application.refresh_from_db()
    assert application.state == states.COMPLETE
    assert not Decision.objects.filter(application=application).exists()
    decision = decision_refuse(
        application=application, actor=staff["assessor"], grounds="", ceiling_reached=True
    )
    assert decision.grounds.startswith(CEILING_GROUNDS)
    assert "4:25" in decision.grounds


def test_objection_deadline_is_six_weeks_after_the_day_of_sending(twente, staff, provider):
    # A legal computation on a fixed date: the clock is pinned to it, and the money is there.
    with time_machine.travel(datetime(2026, 3, 24, 10, tzinfo=AMSTERDAM), tick=False):
        source_create(
            fund=twente,
            name="Regio 2026",
            funder="Regio",
            category="vouchers",
            pledged_cents=1_000_000,
            period_start=date(2026, 1, 1),
            period_end=date(2026, 12, 31),
        )
        application = complete_application(twente, staff["advisor"], provider)
        decision = decision_grant(
            application=application, actor=staff["assessor"], today=date(2026, 3, 24)
        )
    # 24 March + 42 days = 5 May 2026, Liberation Day: moves to Wednesday 6 May.
    assert decision.objection_deadline == date(2026, 5, 6)


def test_applicant_sees_voucher_and_letter_but_another_applicant_does_not(
    client, twente, staff, provider, budget
):
    application = complete_application(twente, staff["advisor"], provider)
    decision_grant(application=application, actor=staff["assessor"])
    client.force_login(application.applicant)
    page = client.get(reverse("decisions:my_application", args=[application.reference]))
    assert page.status_code == 200
    assert application.voucher.code in page.content.decode()
    letter = client.get(reverse("decisions:letter", args=[application.reference]))
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"

    other = complete_application(twente, staff["advisor"], provider)
    client.force_login(other.applicant)
    assert (
        client.get(reverse("decisions:my_application", args=[application.reference])).status_code
        == 404
    )
    assert client.get(reverse("decisions:letter", args=[application.reference])).status_code == 404


def test_assessor_of_another_fund_cannot_open_the_case(client, funds, staff, provider, budget):
    from tests.factories import make_user

    application = complete_application(funds["twente"], staff["advisor"], provider)
    outsider = make_user("outsider", "assessor", [funds["stedendriehoek"]])
    client.force_login(outsider)
    response = client.post(reverse("decisions:grant", args=[application.reference]))
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.state == states.COMPLETE


def test_assessor_grants_through_the_case_page(client, twente, staff, provider, budget):
    application = complete_application(twente, staff["advisor"], provider)
    client.force_login(staff["assessor"])
    case = client.get(reverse("decisions:case", args=[application.reference]))
    assert case.status_code == 200
    assert "€ 1.500,00" in case.content.decode()
    response = client.post(reverse("decisions:grant", args=[application.reference]))
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.state == states.GRANTED


def test_refuse_form_without_grounds_shows_the_error_next_to_the_field(
    client, twente, staff, provider, budget
):
    application = complete_application(twente, staff["advisor"], provider)
    client.force_login(staff["assessor"])
    response = client.post(
        reverse("decisions:refuse", args=[application.reference]), {"grounds": ""}
    )
    assert response.status_code == 400
    assert "Een afwijzing heeft een motivering nodig." in response.content.decode()
    application.refresh_from_db()
    assert application.state == states.COMPLETE


def test_downloading_the_letter_writes_nothing_but_the_trace_of_a_staff_read(
    client, twente, staff, provider, budget
):
    application = complete_application(twente, staff["advisor"], provider)
    decision = decision_grant(application=application, actor=staff["assessor"])
    # The worker has not stored the letter yet: the download renders the same letter.
    events = AuditEvent.objects.count()
    url = reverse("decisions:letter", args=[application.reference])
    client.force_login(application.applicant)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:5] == b"%PDF-"
    decision.refresh_from_db()
    assert not decision.letter_pdf
    assert AuditEvent.objects.count() == events
    # Staff reading a letter leave the one trace a GET may write: a read of personal data.
    client.force_login(staff["assessor"])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.count() == events + 1
    assert AuditEvent.objects.latest("id").action == "personal_data.viewed"

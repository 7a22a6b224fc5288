"""The advisor's workspace over HTTP: slots and agenda, invitation with .ics, rescheduling,
no-shows, reminders, the conversation record, financing advice, the summary PDF, the
overview with targets and lead times, the occupation list, and who may do what."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.advising.models import (
    Conversation,
    ConversationTarget,
    FinancingArrangement,
    OccupationImport,
    TimeSlot,
)
from scholingsfonds.advising.selectors.figures import target_for
from scholingsfonds.advising.selectors.financing import financing_facts
from scholingsfonds.advising.services.conversations import (
    conversation_invite,
    conversation_reschedule,
)
from scholingsfonds.advising.services.financing import financing_arrangement_save
from scholingsfonds.advising.services.notifications import conversation_reminder_send
from scholingsfonds.advising.services.occupations import (
    labour_market_test_record,
    occupation_import_apply,
    occupation_import_preview,
)
from scholingsfonds.advising.tests.conftest import at, next_weekday
from scholingsfonds.advising.tests.test_domain_ics_and_more import parse_ics
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.domain.eligibility import cap_left_cents, grant_amount_cents
from scholingsfonds.applications.services import (
    application_mark_complete,
    application_submit,
    application_transition,
    granted_this_year_cents,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.funds.models import Fund, Occupation, PromisingOccupationList
from tests.factories import make_user, short_form_data

pytestmark = pytest.mark.django_db


def url(name, *args):  # type: ignore[no-untyped-def]
    return reverse(f"advising:{name}", args=args)


def ics_of(message):  # type: ignore[no-untyped-def]
    parts = [a for a in message.attachments if not isinstance(a, tuple)]
    assert len(parts) == 1
    part = parts[0]
    assert part.get_content_type() == "text/calendar"
    assert part.get_param("method") in ("REQUEST", "CANCEL")
    lines = parse_ics(part.get_payload(decode=True))
    values: dict[str, str] = {}
    for name, _, value in lines:
        values.setdefault(name, value)
    return values


# --- time slots and the agenda ---------------------------------------------------------------


def test_advisor_makes_slots_and_sees_them_free_in_the_week_agenda(client, staff):
    client.force_login(staff["advisor"])
    day = next_weekday()
    response = client.post(
        url("slots_create"),
        {
            "advisor": staff["advisor"].pk,
            "day": day.strftime("%d-%m-%Y"),
            "start": "13:00",
            "end": "15:00",
            "minutes": "60",
            "location": "loopbaanstation",
            "place": "Loopbaanstation Almelo",
            "weeks": "2",
        },
        follow=True,
    )
    assert "4 tijdsloten aangemaakt." in response.content.decode()
    assert TimeSlot.objects.filter(advisor=staff["advisor"]).count() == 4
    page = client.get(url("agenda"), {"week": day.isoformat()}).content.decode()
    assert page.count("Loopbaanstation Almelo") == 2 and "Vrij" in page
    # The same afternoon again: everything overlaps, nothing is made twice.
    response = client.post(
        url("slots_create"),
        {
            "advisor": staff["advisor"].pk,
            "day": day.strftime("%d-%m-%Y"),
            "start": "13:30",
            "end": "15:00",
            "minutes": "30",
            "location": "loopbaanstation",
            "weeks": "1",
        },
        follow=True,
    )
    assert "overgeslagen" in response.content.decode()
    assert TimeSlot.objects.filter(advisor=staff["advisor"]).count() == 4


def test_slots_in_the_past_or_for_a_colleague_are_refused(client, staff, colleague):
    client.force_login(staff["advisor"])
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        url("slots_create"),
        {
            "advisor": staff["advisor"].pk,
            "day": yesterday.strftime("%d-%m-%Y"),
            "start": "09:00",
            "end": "12:00",
            "minutes": "45",
            "location": "leerwerkloket",
            "weeks": "1",
        },
    )
    assert response.status_code == 400
    assert "Kies vandaag of een dag in de toekomst." in response.content.decode()
    response = client.post(
        url("slots_create"),
        {
            "advisor": colleague.pk,
            "day": next_weekday().strftime("%d-%m-%Y"),
            "start": "09:00",
            "end": "12:00",
            "minutes": "45",
            "location": "leerwerkloket",
            "weeks": "1",
        },
    )
    assert response.status_code == 400 and "Kies een adviseur." in response.content.decode()
    assert not TimeSlot.objects.exists()


def test_only_the_owner_or_the_administrator_removes_a_free_slot(
    client, staff, colleague, administrator, slots
):
    client.force_login(colleague)
    assert client.post(url("slot_delete", slots[0].pk)).status_code == 403
    client.force_login(administrator)
    client.post(url("slot_delete", slots[0].pk))
    client.force_login(staff["advisor"])
    client.post(url("slot_delete", slots[1].pk))
    assert TimeSlot.objects.count() == len(slots) - 2


# --- invitation, .ics, rescheduling, cancelling, no-shows -------------------------------------


def test_invitation_in_a_slot_sends_an_ics_and_books_the_slot(
    client, staff, slots, submitted, django_capture_on_commit_callbacks
):
    client.force_login(staff["advisor"])
    page = client.get(url("case", submitted.reference)).content.decode()
    assert "Leerwerkloket Enschede, Hengelosestraat 86" in page  # the free slot is offered
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url("invite", submitted.reference), {"slot": slots[1].pk})
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == states.INVITED
    conversation = Conversation.objects.get(application=submitted)
    assert conversation.slot == slots[1] and conversation.status == "planned"
    assert conversation.scheduled_at == slots[1].starts_at
    message = mail.outbox[-1]
    assert message.subject.startswith("Uitnodiging gesprek") and message.to == [submitted.email]
    ics = ics_of(message)
    assert ics["METHOD"] == "REQUEST" and ics["SEQUENCE"] == "0"
    assert ics["UID"] == f"gesprek-{conversation.pk}@127.0.0.1"
    assert ics["DTSTART"] == slots[1].starts_at.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")
    assert "Hengelosestraat 86" in ics["LOCATION"]
    agenda = client.get(url("agenda"), {"week": slots[1].starts_at.date().isoformat()})
    assert submitted.full_name in agenda.content.decode()
    assert AuditEvent.objects.filter(action="conversation.invited").exists()


def test_a_booked_slot_cannot_be_booked_twice(staff, slots, submitted, twente):
    other = application_submit(fund=twente, data=short_form_data(), submission_key="ws-2")
    conversation_invite(application=submitted, actor=staff["advisor"], slot=slots[0])
    with pytest.raises(DomainError) as error:
        conversation_invite(application=other, actor=staff["advisor"], slot=slots[0])
    assert error.value.code == "advising.slot_taken"


def test_a_slot_of_another_funds_advisor_cannot_be_booked(staff, submitted):
    from scholingsfonds.advising.services.slots import time_slots_create

    created, _ = time_slots_create(
        actor=staff["advisor_sd"],
        advisor=staff["advisor_sd"],
        day=next_weekday(),
        start=at(next_weekday(), 9).time(),
        end=at(next_weekday(), 10).time(),
        minutes=60,
        location="loopbaanstation",
    )
    with pytest.raises(DomainError) as error:
        conversation_invite(application=submitted, actor=staff["advisor"], slot=created[0])
    assert error.value.code == "advising.slot_other_fund"


def test_rescheduling_keeps_the_uid_raises_the_sequence_and_frees_the_old_slot(
    client, staff, slots, submitted, django_capture_on_commit_callbacks
):
    conversation = conversation_invite(application=submitted, actor=staff["advisor"], slot=slots[0])
    client.force_login(staff["advisor"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            url("reschedule", submitted.reference),
            {"verzet-slot": slots[2].pk, "verzet-reason": "Op verzoek van de aanvrager."},
        )
    conversation.refresh_from_db()
    assert conversation.slot == slots[2] and conversation.sequence == 1
    assert not Conversation.objects.filter(slot=slots[0]).exists()
    ics = ics_of(mail.outbox[-1])
    assert ics["SEQUENCE"] == "1" and ics["UID"] == f"gesprek-{conversation.pk}@127.0.0.1"
    assert mail.outbox[-1].subject.startswith("Nieuwe datum")
    event = AuditEvent.objects.get(action="conversation.rescheduled")
    assert event.reason == "Op verzoek van de aanvrager."


def test_reschedule_by_hand_needs_a_time_in_the_future(client, staff, slots, submitted):
    conversation_invite(application=submitted, actor=staff["advisor"], slot=slots[0])
    client.force_login(staff["advisor"])
    response = client.post(
        url("reschedule", submitted.reference),
        {"verzet-scheduled_at": "2020-01-01T10:00", "verzet-location": "phone"},  # legal-date
    )
    assert response.status_code == 400 and "in de toekomst" in response.content.decode()


def test_cancelling_frees_the_slot_and_sends_a_cancel(
    client, staff, slots, submitted, django_capture_on_commit_callbacks
):
    conversation = conversation_invite(application=submitted, actor=staff["advisor"], slot=slots[0])
    client.force_login(staff["advisor"])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("cancel", submitted.reference), {"annuleer-reason": "Ziek."})
    conversation.refresh_from_db()
    assert conversation.status == "cancelled" and conversation.slot is None
    assert ics_of(mail.outbox[-1])["METHOD"] == "CANCEL"
    page = client.get(url("case", submitted.reference)).content.decode()
    assert "Opnieuw uitnodigen" in page  # the application waits for a new date


def test_no_show_only_after_the_start_and_then_a_new_invitation(
    client, staff, submitted, django_capture_on_commit_callbacks
):
    conversation = conversation_invite(
        application=submitted,
        actor=staff["advisor"],
        scheduled_at=timezone.now() + timedelta(hours=2),
        location="phone",
    )
    client.force_login(staff["advisor"])
    client.post(url("no_show", submitted.reference), follow=True)
    conversation.refresh_from_db()
    assert conversation.status == "planned"  # not yet started
    Conversation.objects.filter(pk=conversation.pk).update(
        scheduled_at=timezone.now() - timedelta(minutes=30)
    )
    assert "Niet verschenen" in client.get(url("case", submitted.reference)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("no_show", submitted.reference))
    conversation.refresh_from_db()
    assert conversation.status == "no_show"
    assert mail.outbox[-1].subject.startswith("We hebben u gemist")
    submitted.refresh_from_db()
    assert submitted.state == states.INVITED
    response = client.post(
        url("invite", submitted.reference),
        {
            "scheduled_at": (timezone.localtime() + timedelta(days=3)).strftime("%Y-%m-%dT10:00"),
            "location": "leerwerkloket",
        },
    )
    assert response.status_code == 302
    assert submitted.conversations.filter(status="planned").count() == 1


# --- reminders --------------------------------------------------------------------------------


def test_the_reminder_goes_the_day_before_once_and_not_for_a_moved_appointment(staff, submitted):
    tomorrow = timezone.localdate() + timedelta(days=1)
    conversation = conversation_invite(
        application=submitted,
        actor=staff["advisor"],
        scheduled_at=at(tomorrow, 23, 30),  # late, so 'tomorrow' holds whenever the test runs
        location="leerwerkloket",
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        invited_at=timezone.now() - timedelta(days=5)
    )
    now = at(timezone.localdate(), 9, 30)
    from scholingsfonds.advising.services.notifications import conversation_reminders_enqueue

    mail.outbox.clear()
    assert conversation_reminders_enqueue(now=max(now, timezone.now())) == 1
    assert [m.subject for m in mail.outbox] == [
        f"Herinnering: morgen uw gesprek over aanvraag {submitted.reference}"
    ]
    conversation.refresh_from_db()
    assert conversation.reminder_sent_at is not None
    assert conversation_reminders_enqueue(now=max(now, timezone.now())) == 0
    # A reminder queued for the old time does nothing after the conversation moved.
    old = conversation.scheduled_at.isoformat()
    conversation_reschedule(
        conversation=conversation,
        actor=staff["advisor"],
        scheduled_at=at(tomorrow + timedelta(days=7), 10),
        location="phone",
    )
    assert conversation_reminder_send(conversation_id=conversation.pk, scheduled_at=old) is False


def test_no_reminder_when_the_invitation_came_after_the_reminder_hour(staff, submitted):
    from scholingsfonds.advising.appointments import reminder_moment
    from scholingsfonds.advising.services.notifications import conversation_reminders_enqueue

    tomorrow = timezone.localdate() + timedelta(days=1)
    conversation = conversation_invite(
        application=submitted,
        actor=staff["advisor"],
        scheduled_at=at(tomorrow, 23, 30),
        location="leerwerkloket",
    )
    moment = reminder_moment(conversation.scheduled_at)
    Conversation.objects.filter(pk=conversation.pk).update(invited_at=moment + timedelta(minutes=1))
    assert conversation_reminders_enqueue(now=moment + timedelta(hours=2)) == 0
    assert conversation_reminders_enqueue(now=moment - timedelta(hours=1)) == 0  # not due yet


def test_a_worker_backend_gets_the_reminder_queued_for_the_day_before(
    settings, staff, submitted, django_capture_on_commit_callbacks
):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    when = at(timezone.localdate() + timedelta(days=10), 10)
    with django_capture_on_commit_callbacks(execute=True):
        conversation = conversation_invite(
            application=submitted, actor=staff["advisor"], scheduled_at=when, location="video"
        )
    queued = [r for r in task_backends["default"].results if "reminder" in r.task.name]
    assert len(queued) == 1
    conversation_id, scheduled_at = queued[0].args
    assert conversation_id == conversation.pk
    assert datetime.fromisoformat(scheduled_at) == when
    assert timezone.localtime(queued[0].task.run_after) == at(
        timezone.localdate() + timedelta(days=9), 9
    )


def test_the_reminder_command_prints_json(capsys, db):
    call_command("conversation_reminders")
    assert capsys.readouterr().out.strip() == '{"enqueued": 0}'


# --- the conversation record ------------------------------------------------------------------


def test_the_conversation_record_keeps_situation_skills_advice_and_follow_up(
    client, staff, submitted
):
    client.force_login(staff["advisor"])
    occupation = Occupation.objects.get(isco08="7127")
    response = client.post(
        url("record_conversation", submitted.reference),
        {
            "identity_checked": "on",
            "notes": "Goed gesprek.",
            "situation": "Werkt in de bouw, wil minder zwaar werk.",
            "work_status": "employee",
            "education_level": "mbo34",
            "question": "Hoe word ik monteur warmtepompen?",
            "skills": "Handig; leidt een voetbalteam (vrijwilliger).",
            "skill_sources": ["work", "volunteering"],
            "target_occupation": occupation.pk,
            "advice": "Bbl-opleiding monteur warmtepompen.",
            "follow_up": "Offerte opvragen bij de opleider.",
            "follow_up_on": (timezone.localdate() + timedelta(days=14)).strftime("%d-%m-%Y"),
            "outcome": "voucher",
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get(application=submitted)
    assert conversation.status == "held" and conversation.skill_sources == ["work", "volunteering"]
    assert conversation.target_occupation == occupation
    page = client.get(url("case", submitted.reference)).content.decode()
    assert "leidt een voetbalteam" in page and "Vrijwilligerswerk" in page
    # The test form starts with the target occupation of the conversation.
    assert f'<option value="{occupation.pk}" selected>' in page


def test_a_referral_by_kind_closes_the_application_with_its_reason(client, staff, submitted):
    client.force_login(staff["advisor"])
    response = client.post(
        url("record_conversation", submitted.reference),
        {
            "notes": "Schulden eerst.",
            "outcome": "referral",
            "referral_kind": "debt",
            "referral_reason": "Eerst de schulden regelen.",
        },
    )
    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.state == states.REFERRED
    transition = AuditEvent.objects.filter(to_state=states.REFERRED).get()
    assert transition.reason == "Schuldhulpverlening: Eerst de schulden regelen."


def test_an_unplanned_conversation_is_recorded_at_the_time_it_is_held(client, staff, submitted):
    client.force_login(staff["advisor"])
    client.post(
        url("record_conversation", submitted.reference),
        {"identity_checked": "on", "notes": "Inloopspreekuur.", "outcome": "voucher"},
    )
    conversation = Conversation.objects.get(application=submitted)
    assert abs((conversation.scheduled_at - timezone.now()).total_seconds()) < 60


# --- financing advice across schemes ----------------------------------------------------------


def test_the_financing_page_computes_the_stack_and_saves_it_as_the_applications_financing(
    client, staff, schemes, held
):
    client.force_login(staff["advisor"])
    query = {"employer_contribution": "600", "employer_sector": "technical"}
    page = client.get(url("financing", held.reference), query).content.decode()
    assert "O&amp;O-fonds Techniek (voorbeeld)" in page and "€ 1.250,00" in page
    assert "STAP" not in page  # ended after 2023: never offered
    before = AuditEvent.objects.count()
    client.get(url("financing", held.reference), query)
    assert AuditEvent.objects.count() == before  # computing stores nothing
    response = client.post(url("financing", held.reference), query)
    assert response.status_code == 302
    held.refresh_from_db()
    assert held.cofinancing == [
        {"payer": "employer", "amount_cents": 60_000},
        {"payer": "oo_fund", "amount_cents": 125_000},
    ]
    arrangement = FinancingArrangement.objects.get(application=held)
    assert (arrangement.fund_cents, arrangement.own_cents) == (175_000, 0)
    assert "birth_date" not in arrangement.facts
    # The assessor's rules and the grant agree with the advice.
    outcomes = {o["rule_id"]: o["passed"] for o in held.rule_outcomes}
    assert outcomes["cofinancing"] is True and outcomes["cap"] is True
    policy = held.policy_version.policy
    grant = grant_amount_cents(
        cost_cents=held.cost_cents,
        cofinancing_cents=held.cofinancing_cents,
        cap_left_cents=cap_left_cents(policy, granted_this_year_cents(held, date.today().year)),
    )
    assert grant == arrangement.fund_cents
    stored = next(p for p in arrangement.stack["parts"] if p["scheme"] == "twente")
    assert [o for o in stored["outcomes"] if o["rule_id"] == "cofinancing"][0] == next(
        o for o in held.rule_outcomes if o["rule_id"] == "cofinancing"
    )
    assert "€ 1.750,00" in client.get(url("case", held.reference)).content.decode()
    assert (
        "daarna met het opleidingsformulier gewijzigd"
        not in client.get(url("case", held.reference)).content.decode()
    )
    held.cofinancing = [{"payer": "employer", "amount_cents": 180_000}]
    held.save()
    page = client.get(url("case", held.reference)).content.decode()
    assert "daarna met het opleidingsformulier gewijzigd" in page


def test_an_employer_route_case_starts_with_the_employers_share(client, staff, schemes, held):
    held.cofinancing = [{"payer": "employer", "amount_cents": 180_000}]
    held.save()
    client.force_login(staff["advisor"])
    page = client.get(url("financing", held.reference)).content.decode()
    assert 'value="1800,00"' in page


def test_saving_is_refused_when_the_fund_would_not_pay(staff, schemes, held):
    held.municipality = None
    held.save()
    facts = replace(financing_facts(held), municipality_code="GM0150")
    with pytest.raises(DomainError) as error:
        financing_arrangement_save(application=held, actor=staff["advisor"], facts=facts)
    assert error.value.code == "advising.fund_does_not_pay"


def test_saving_needs_the_training_and_the_right_moment(staff, schemes, submitted, held):
    with pytest.raises(DomainError) as error:
        financing_arrangement_save(
            application=submitted,
            actor=staff["advisor"],
            facts=financing_facts(held),
        )
    assert error.value.code == "advising.financing_not_now"


def test_a_second_application_in_the_year_counts_what_the_first_got(
    staff, schemes, held, twente, provider
):
    facts = financing_facts(held, employer_contribution_cents=60_000, employer_sector="technical")
    financing_arrangement_save(application=held, actor=staff["advisor"], facts=facts)
    second = application_submit(
        fund=twente,
        data=short_form_data(email=held.email, question="Tweede opleiding."),
        submission_key="ws-second",
    )
    from scholingsfonds.advising.selectors.financing import used_this_year

    used = used_this_year(second, timezone.localdate().year)
    assert used["oo-techniek"] == 125_000
    assert used["twente"] == 0  # the fund's cap counts vouchers, as the cap rule does


# --- the advice summary PDF -------------------------------------------------------------------


def test_the_advice_summary_is_a_dutch_pdf_for_advisor_and_person_only(
    client, staff, schemes, held, funds, django_capture_on_commit_callbacks
):
    facts = financing_facts(held, employer_contribution_cents=60_000, employer_sector="technical")
    financing_arrangement_save(application=held, actor=staff["advisor"], facts=facts)
    client.force_login(staff["advisor"])
    response = client.get(url("advice_summary", held.reference))
    assert response.status_code == 200 and response.content[:5] == b"%PDF-"
    client.force_login(held.applicant)
    assert client.get(url("advice_summary", held.reference)).status_code == 200
    client.force_login(make_user("ander", "applicant"))
    assert client.get(url("advice_summary", held.reference)).status_code == 403
    client.force_login(staff["advisor_sd"])
    assert client.get(url("advice_summary", held.reference)).status_code == 403
    client.force_login(staff["advisor"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url("advice_summary_mail", held.reference))
    message = mail.outbox[-1]
    assert message.subject.startswith("Uw adviesrapport")
    name, content, mimetype = message.attachments[0]
    assert name == f"adviesrapport-{held.reference}.pdf" and content[:5] == b"%PDF-"


def test_the_advice_summary_html_says_who_pays_what(staff, schemes, held):
    from scholingsfonds.advising.documents import advice_summary_html

    facts = financing_facts(held, employer_contribution_cents=60_000, employer_sector="technical")
    financing_arrangement_save(application=held, actor=staff["advisor"], facts=facts)
    html = advice_summary_html(held)
    assert "Wie betaalt wat" in html and "O&amp;O-fonds Techniek (voorbeeld)" in html
    assert "U betaalt zelf: <strong>€ 0,00</strong>" in html
    assert held.bsn == "" or held.bsn not in html


def test_no_summary_before_the_conversation(client, staff, submitted):
    client.force_login(staff["advisor"])
    assert client.get(url("advice_summary", submitted.reference)).status_code == 404


# --- the overview: targets, lead times, caseload ----------------------------------------------


def test_the_overview_shows_conversations_against_the_yearly_target(client, staff, schemes, held):
    year = timezone.localdate().year
    # The plan's yearly figure, in its own years and after them (the open-ended target).
    assert target_for(Fund.objects.get(slug="twente"), year) == 1375
    client.force_login(staff["manager"])
    page = client.get(url("overview"), {"fonds": "twente", "jaar": year}).content.decode()
    assert "1375" in page.replace(".", "") and "114,6" in page
    assert "Advisor Test" in page  # per advisor
    assert "Leerwerkloket" in page  # per location


def test_the_manager_sets_the_target_and_an_advisor_may_not(client, staff, schemes):
    year = timezone.localdate().year
    client.force_login(staff["advisor"])
    response = client.post(
        url("target_set"), {"fonds": "twente", "jaar": year, "conversations": "10"}
    )
    assert response.status_code == 403
    client.force_login(staff["manager"])
    client.post(url("target_set"), {"fonds": "twente", "jaar": year, "conversations": "1500"})
    assert ConversationTarget.objects.get(fund__slug="twente", year=year).conversations == 1500
    assert AuditEvent.objects.filter(action="conversation_target.set").exists()


def test_lead_times_run_from_form_to_conversation_and_conversation_to_decision(client, staff, held):
    from scholingsfonds.advising.selectors.figures import lead_times

    held.refresh_from_db()
    labour_market_test_record(
        application=held, actor=staff["advisor"], occupation=Occupation.objects.get(isco08="7127")
    )
    application_mark_complete(application=held, actor=staff["advisor"])
    application_transition(
        application=held, to_state=states.GRANTED, actor=staff["assessor"], reason="toegekend"
    )
    result = lead_times(held.fund, timezone.localdate().year)
    assert result["total"].to_conversation.count == 1
    assert result["total"].to_decision.count == 1
    assert result["total"].to_decision.median_days == 0
    assert [r.label for r in result["by_advisor"]] == ["Advisor Test"]


def test_the_caseload_counts_open_cases_and_free_slots(staff, held, slots):
    from scholingsfonds.advising.selectors.figures import caseload

    rows = {row.advisor.username: row for row in caseload(held.fund)}
    assert rows["advisor"].open_cases == 1
    assert rows["advisor"].free_slots == len(slots)


# --- the occupation list: import with preview, history ----------------------------------------


CSV = """isco08;title_nl;tekortklasse;kansrijk
7127;Monteur warmtepompen;techniek;ja
5321;Verzorgende IG;zorg en welzijn;nee
2512;Softwareontwikkelaar;ICT;ja
12;Fout;;ja
"""


def test_import_shows_a_preview_with_rejected_rows_then_starts_a_new_list(
    client, administrator, twente
):
    client.force_login(administrator)
    from django.core.files.uploadedfile import SimpleUploadedFile

    start = timezone.localdate() + timedelta(days=10)
    response = client.post(
        url("occupation_import"),
        {
            "file": SimpleUploadedFile("kansrijk.csv", CSV.encode("utf-8")),
            "region_name": "Twente",
            "valid_from": start.strftime("%d-%m-%Y"),
            "source": "UWV Kansrijke beroepen Twente (test)",
        },
    )
    assert response.status_code == 302
    upload = OccupationImport.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert "3 regels overgenomen" in page and "1 regel afgewezen" in page
    assert "geen ISCO-08-code van vier cijfers" in page
    assert "5321" in page  # removed from the list
    old = PromisingOccupationList.in_force("Twente", timezone.localdate())
    client.post(url("occupation_import_apply", upload.pk))
    upload.refresh_from_db()
    assert upload.status == "applied"
    old.refresh_from_db()
    assert old.valid_to == start - timedelta(days=1)
    new = PromisingOccupationList.in_force("Twente", start)
    assert set(new.occupations.values_list("isco08", flat=True)) == {"7127", "2512"}
    renamed = Occupation.objects.get(isco08="7127")
    assert renamed.title_nl == "Monteur warmtepompen"
    assert renamed.title_en == "Air conditioning and refrigeration mechanics"  # not in the file
    history = client.get(url("occupations"), {"regio": "Twente"}).content.decode()
    assert "UWV Kansrijke beroepen Twente (test)" in history


def test_a_past_test_shows_the_occupation_and_list_as_they_were(staff, administrator, held):
    occupation = Occupation.objects.get(isco08="7127")
    old_title = occupation.title_nl
    test = labour_market_test_record(
        application=held, actor=staff["advisor"], occupation=occupation
    )
    old_list = test.promising_list
    upload = occupation_import_preview(
        actor=administrator,
        region_name="Twente",
        valid_from=timezone.localdate() + timedelta(days=1),
        source="Nieuwe lijst",
        file_name="nieuw.csv",
        content="isco08;title_nl;kansrijk\n7127;Warmtepompmonteur (nieuw);nee\n",
    )
    occupation_import_apply(upload=upload, actor=administrator)
    test.refresh_from_db()
    assert test.occupation_as_tested == f"{old_title} (7127)"
    assert test.promising_list == old_list
    assert test.promising_list.occupations.filter(isco08="7127").exists()  # the list as it was


def test_history_is_never_rewritten(administrator, twente):
    with pytest.raises(DomainError) as error:
        occupation_import_preview(
            actor=administrator,
            region_name="Twente",
            valid_from=date(2019, 1, 1),
            source="oud",
            file_name="oud.csv",
            content="isco08;title_nl;kansrijk\n7127;Monteur;ja\n",
        )
    assert error.value.code == "occupations.history_fixed"


def test_only_the_administrator_imports_and_a_file_is_applied_once(client, staff, administrator):
    client.force_login(staff["advisor"])
    assert client.get(url("occupation_import")).status_code == 403
    assert client.get(url("occupations")).status_code == 200
    upload = occupation_import_preview(
        actor=administrator,
        region_name="Twente",
        valid_from=timezone.localdate() + timedelta(days=3),
        source="x",
        file_name="x.csv",
        content="isco08;title_nl;kansrijk\n7127;Monteur;ja\n",
    )
    client.force_login(administrator)
    client.post(url("occupation_import_discard", upload.pk))
    response = client.post(url("occupation_import_apply", upload.pk), follow=True)
    assert "al verwerkt of afgewezen" in response.content.decode()


def test_the_schemes_page_shows_stap_as_ended(client, staff, schemes):
    client.force_login(staff["advisor"])
    page = client.get(url("schemes")).content.decode()
    assert "STAP-budget (landelijk)" in page and "31-12-2023" in page
    assert "geldt niet" in page


# --- who may do what --------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["applicant", "employer", "provider", "finance", "funder"])
def test_other_roles_cannot_use_the_workspace(client, funds, held, role):
    user = make_user(f"x{role}", role, list(funds.values()))
    client.force_login(user)
    for name, args in [
        ("agenda", ()),
        ("overview", ()),
        ("occupation_import", ()),
        ("financing", (held.reference,)),
    ]:
        assert client.get(url(name, *args)).status_code == 403, name
    assert client.post(url("slots_create"), {}).status_code == 403


def test_an_advisor_of_another_fund_cannot_advise_on_financing(client, staff, held):
    client.force_login(staff["advisor_sd"])
    assert client.get(url("financing", held.reference)).status_code == 403
    assert client.post(url("no_show", held.reference)).status_code == 403


def test_anonymous_visitors_are_sent_to_login(client, held):
    for name, args in [("agenda", ()), ("financing", (held.reference,))]:
        response = client.get(url(name, *args))
        assert response.status_code == 302 and "/account/inloggen/" in response["Location"]


def test_a_colleague_sees_busy_not_the_name_of_another_funds_case(client, staff, funds, submitted):
    from scholingsfonds.advising.services.slots import time_slots_create

    both = make_user("planner", "advisor", [funds["twente"], funds["stedendriehoek"]])
    day = next_weekday()
    created, _ = time_slots_create(
        actor=both,
        advisor=both,
        day=day,
        start=at(day, 9).time(),
        end=at(day, 10).time(),
        minutes=60,
        location="leerwerkloket",
    )
    conversation_invite(application=submitted, actor=both, slot=created[0])
    query = {"week": day.isoformat(), "adviseur": "alle"}
    client.force_login(staff["advisor_sd"])  # shares a fund with the planner, not Twente
    page = client.get(url("agenda"), query).content.decode()
    assert "Bezet" in page and submitted.full_name not in page
    client.force_login(staff["advisor"])
    assert submitted.full_name in client.get(url("agenda"), query).content.decode()


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_planners_booking_the_same_slot_at_once_get_it_once(funds, staff, slots):
    import threading

    from django.db import connection, connections

    applications = [
        application_submit(fund=funds["twente"], data=short_form_data(), submission_key=f"race-{n}")
        for n in range(6)
    ]
    booked: list[str] = []
    taken: list[str] = []
    barrier = threading.Barrier(len(applications))

    def book(application):  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            conversation_invite(application=application, actor=staff["advisor"], slot=slots[0])
            booked.append(application.reference)
        except DomainError as error:
            assert error.code == "advising.slot_taken"
            taken.append(application.reference)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=book, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert connection.vendor == "postgresql"
    assert len(booked) == 1 and len(taken) == 5
    assert Conversation.objects.filter(slot=slots[0]).count() == 1

"""The follow-up questionnaire: sent 6 and 12 months after the training, reminded, answered
once through the e-mail link or after logging in, and counted per route on the dashboard."""

import re
from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.core.models import AuditEvent
from scholingsfonds.monitoring.models import OutcomeSurvey
from scholingsfonds.monitoring.refresh import monitoring_refresh, verify
from scholingsfonds.monitoring.services import outcome_surveys_dispatch
from scholingsfonds.vouchers.models import Voucher
from scholingsfonds.vouchers.services import add_months

pytestmark = pytest.mark.django_db

ANSWERS = {"finished": "yes", "certificate": "yes", "job_change": "to_work", "comment": "Nu werk."}


def moment(day):
    return timezone.make_aware(datetime.combine(day, time(9)))


@pytest.fixture
def due(world):
    """The day six months after the vouchers' last valid day (the training's end for now)."""
    end = Voucher.objects.order_by("valid_until").first().valid_until
    return add_months(end, 6)


def dispatch(day, capture):
    with capture(execute=True):
        return outcome_surveys_dispatch(today=day, now=moment(day))


def link_in(message):
    return re.search(r"https?://\S+/dashboard/vragenlijst/\S+/", message.body).group(0)


def test_questionnaires_go_out_six_and_twelve_months_after_the_training(
    world, due, django_capture_on_commit_callbacks
):
    assert dispatch(due - timedelta(days=1), django_capture_on_commit_callbacks).sent == 0
    result = dispatch(due, django_capture_on_commit_callbacks)
    assert result.sent == Voucher.objects.count() == 6
    assert OutcomeSurvey.objects.filter(wave=6).count() == 6
    assert len(mail.outbox) == 6 and "Hoe gaat het na uw opleiding?" in mail.outbox[0].subject
    assert "/dashboard/vragenlijst/" in mail.outbox[0].body
    # Once per wave: a second run sends nothing new.
    assert dispatch(due, django_capture_on_commit_callbacks).sent == 0
    # Twelve months after the training's end (not six after the six-month day: 30 June
    # plus six months is 30 December, the training of 31 December is due on the 31st).
    twelve = add_months(Voucher.objects.order_by("valid_until").first().valid_until, 12)
    assert dispatch(twelve, django_capture_on_commit_callbacks).sent == 6
    assert OutcomeSurvey.objects.filter(wave=12).count() == 6
    survey = OutcomeSurvey.objects.filter(wave=6).first()
    assert survey.training_end == survey.application.voucher.valid_until
    assert AuditEvent.objects.filter(action="outcome.sent").count() == 12


def test_a_wave_long_overdue_is_not_started(world, due, django_capture_on_commit_callbacks):
    assert dispatch(due + timedelta(days=120), django_capture_on_commit_callbacks).sent == 0


def test_reminders_then_closing_without_an_answer(world, due, django_capture_on_commit_callbacks):
    dispatch(due, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    assert dispatch(due + timedelta(days=10), django_capture_on_commit_callbacks).reminded == 0
    assert dispatch(due + timedelta(days=14), django_capture_on_commit_callbacks).reminded == 6
    assert "Herinnering" in mail.outbox[0].subject
    assert dispatch(due + timedelta(days=28), django_capture_on_commit_callbacks).reminded == 6
    assert dispatch(due + timedelta(days=42), django_capture_on_commit_callbacks).reminded == 0
    closed = dispatch(due + timedelta(days=60), django_capture_on_commit_callbacks)
    assert closed.closed == 6
    assert set(OutcomeSurvey.objects.values_list("status", flat=True)) == {"closed"}


def test_the_link_shows_the_form_and_takes_one_answer(
    client, world, due, django_capture_on_commit_callbacks
):
    dispatch(due, django_capture_on_commit_callbacks)
    message = next(m for m in mail.outbox if world["granted"][0].email in m.to)
    url = link_in(message).split("testserver", 1)[-1].split("127.0.0.1:8000", 1)[-1]
    page = client.get(url)
    assert page.status_code == 200 and b"Hebt u de opleiding afgerond?" in page.content
    # Looking does not use the link up (mail scanners follow links).
    assert client.get(url).status_code == 200
    incomplete = client.post(url, {"finished": "yes"})
    assert incomplete.status_code == 400
    done = client.post(url, ANSWERS)
    assert done.status_code == 200 and b"Uw antwoorden zijn ontvangen" in done.content
    survey = OutcomeSurvey.objects.get(application=world["granted"][0], wave=6)
    assert (survey.status, survey.answered_via, survey.job_change) == (
        "answered",
        "link",
        "to_work",
    )
    again = client.post(url, {**ANSWERS, "job_change": "none"})
    assert b"al ingevuld" in again.content
    survey.refresh_from_db()
    assert survey.job_change == "to_work"
    assert client.get("/dashboard/vragenlijst/not-a-token/").status_code == 404


def test_the_applicant_can_answer_after_logging_in(
    client, world, due, people, django_capture_on_commit_callbacks
):
    dispatch(due, django_capture_on_commit_callbacks)
    application = world["granted"][1]
    survey = OutcomeSurvey.objects.get(application=application, wave=6)
    client.force_login(application.applicant)
    listing = client.get(reverse("monitoring:my_surveys"))
    assert reverse("monitoring:my_survey", args=[survey.pk]).encode() in listing.content
    response = client.post(reverse("monitoring:my_survey", args=[survey.pk]), ANSWERS)
    assert response.status_code == 200
    survey.refresh_from_db()
    assert survey.answered_via == "login"
    # Somebody else's questionnaire does not exist for you.
    client.force_login(people["applicant"])
    assert client.get(reverse("monitoring:my_survey", args=[survey.pk])).status_code == 404


def test_answers_show_per_route_on_the_dashboard(
    client, world, due, people, django_capture_on_commit_callbacks
):
    dispatch(due, django_capture_on_commit_callbacks)
    for application, change in (
        (world["granted"][0], "to_work"),
        (world["employer_case"], "same_job"),
    ):
        client.force_login(application.applicant)
        survey = OutcomeSurvey.objects.get(application=application, wave=6)
        client.post(
            reverse("monitoring:my_survey", args=[survey.pk]), {**ANSWERS, "job_change": change}
        )
    monitoring_refresh()
    assert verify() == []
    client.force_login(people["manager"])
    response = client.get(reverse("monitoring:dashboard") + "?fund=twente&period=all")
    lines = {
        (line["value"], line["wave"]): line["summary"]
        for line in response.context["outcomes"]["groups"][0]["lines"]
    }
    individual, employer = lines[("individual", 6)], lines[("employer", 6)]
    assert (individual.sent, individual.responses) == (4, 1)
    assert dict(individual.changes)["to_work"] == 1
    assert (employer.responses, dict(employer.changes)["same_job"]) == (1, 1)
    staff_list = client.get(reverse("monitoring:surveys") + "?fund=twente")
    assert b"Nu werk." in staff_list.content
    csv = client.get(reverse("monitoring:surveys") + "?fund=twente&format=csv")
    assert "Nu werk." in csv.content.decode("utf-8-sig")


def test_a_reported_completion_date_is_the_end_of_the_training(
    world, django_capture_on_commit_callbacks
):
    voucher = Voucher.objects.order_by("id").first()
    completed = voucher.issued_on + timedelta(days=40)
    Voucher.objects.filter(pk=voucher.pk).update(completed_on=completed)
    day = add_months(completed, 6)
    dispatch(day, django_capture_on_commit_callbacks)
    survey = OutcomeSurvey.objects.get(application=voucher.application, wave=6)
    assert survey.training_end == completed
    assert survey.due_on == day


@pytest.mark.parametrize("last_day", ["12-31", "08-31", "10-31"])
def test_a_training_that_ends_on_a_months_last_day_is_asked_on_its_due_day(
    world, django_capture_on_commit_callbacks, last_day
):
    """Six months after 31 December is 30 June (add_months clamps); it is still found."""
    year = timezone.localdate().year + 1
    end = datetime.strptime(f"{year}-{last_day}", "%Y-%m-%d").date()
    Voucher.objects.update(valid_until=end)
    due = add_months(end, 6)
    assert dispatch(due - timedelta(days=1), django_capture_on_commit_callbacks).sent == 0
    assert dispatch(due, django_capture_on_commit_callbacks).sent == Voucher.objects.count()

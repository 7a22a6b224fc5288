"""A first-come-first-served window: order of receipt, the ceiling at once (Awb 4:25)."""

import re
import threading
from datetime import date, timedelta
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.db import connections
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.accounts.models import Role, User
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import application_submit
from scholingsfonds.budget.models import SourceBalance
from scholingsfonds.budget.selectors import ledger_recount
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services.decision import decision_grant, decision_refuse
from scholingsfonds.decisions.services.window import window_application_submit
from tests.factories import window_data


def submit(fund, provider, key, **kwargs):
    return window_application_submit(
        fund=fund, data=window_data(provider, **kwargs), submission_key=key
    )


def balance(fund):
    return SourceBalance.objects.get(source__fund=fund)


@pytest.mark.django_db
def test_claims_follow_the_order_of_receipt_until_the_ceiling(window_fund, provider):
    results = [submit(window_fund, provider, f"k{n}") for n in range(5)]
    assert [a.receipt_number for a in results] == [1, 2, 3, 4, 5]
    assert [a.state for a in results] == ["complete"] * 3 + ["refused"] * 2
    assert all(a.requested_cents == 100_000 for a in results)  # EUR 1,000 cap binds
    refused = Decision.objects.get(application=results[3])
    assert refused.ceiling_reached and "4:25" in refused.grounds
    assert refused.proposed_by is None
    assert balance(window_fund).claimed_cents == 300_000
    assert balance(window_fund).available_cents == 0
    assert ledger_recount()["balanced"]


@pytest.mark.django_db
def test_nobody_overtakes_a_person_refused_for_the_ceiling(window_fund, provider, staff):
    first = submit(window_fund, provider, "a", cost_cents=100_000)
    second = submit(window_fund, provider, "b", cost_cents=100_000)
    third = submit(window_fund, provider, "c", cost_cents=90_000)
    refused = submit(window_fund, provider, "d", cost_cents=50_000)  # EUR 100 left
    assert refused.state == states.REFUSED
    # Money comes back (a claimed application is refused) ...
    decision_refuse(application=first, actor=staff["assessor"], grounds="Opleiding gestart.")
    assert balance(window_fund).available_cents == 110_000
    # ... yet a later person asking as much as the refused one is refused too,
    later_same = submit(window_fund, provider, "e", cost_cents=50_000)
    assert later_same.state == states.REFUSED
    # while a later person asking less than anyone refused may still be served.
    later_less = submit(window_fund, provider, "f", cost_cents=40_000)
    assert later_less.state == states.COMPLETE
    assert second.state == third.state == states.COMPLETE


@pytest.mark.django_db
def test_one_application_per_person_per_window_and_replays_are_one(window_fund, provider):
    first = submit(window_fund, provider, "same", email="p@voorbeeld.nl")
    assert submit(window_fund, provider, "same", email="p@voorbeeld.nl").pk == first.pk
    with pytest.raises(DomainError) as error:
        submit(window_fund, provider, "other-key", email="P@voorbeeld.nl")
    assert error.value.code == "application.one_per_window"
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_a_logged_in_applicant_applies_only_with_their_own_address(window_fund, provider):
    me = User.objects.create_user(username="ik", email="Ik@voorbeeld.nl", role=Role.APPLICANT)
    mine = window_application_submit(
        fund=window_fund,
        data=window_data(provider, email="ik@voorbeeld.nl"),
        submission_key="mine",
        actor=me,
    )
    assert mine.applicant == me
    # The same login sending another person's address would apply in their name.
    with pytest.raises(DomainError) as error:
        window_application_submit(
            fund=window_fund,
            data=window_data(provider, email="buurman@voorbeeld.nl"),
            submission_key="other",
            actor=me,
        )
    assert error.value.code == "application.not_your_address"
    assert Application.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_an_application_completed_by_its_caller_needs_the_callers_transaction(
    window_fund, provider
):
    with pytest.raises(RuntimeError):
        application_submit(
            fund=window_fund,
            data=window_data(provider),
            submission_key="los",
            completed_by_caller=True,
        )
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_grant_takes_the_money_from_the_claim(window_fund, provider, staff):
    application = submit(window_fund, provider, "g", cost_cents=70_000)
    assert balance(window_fund).claimed_cents == 70_000
    decision_grant(application=application, actor=staff["assessor"])
    after = balance(window_fund)
    assert (after.claimed_cents, after.committed_cents) == (0, 70_000)
    assert ledger_recount()["balanced"]


@pytest.mark.django_db
def test_a_grant_without_a_claim_does_not_overtake_a_ceiling_refusal(window_fund, provider, staff):
    from scholingsfonds.budget.services import claimed_by_source

    # Too young at receipt: complete, but a rule fails, so no money is claimed.
    young = submit(window_fund, provider, "jong", birth_date=date(2015, 1, 1))
    assert young.state == states.COMPLETE and young.receipt_number == 1
    assert not claimed_by_source(application_ref=young.reference)
    takers = [submit(window_fund, provider, f"t{n}") for n in range(3)]  # EUR 3,000 gone
    refused = submit(window_fund, provider, "r")
    assert refused.state == states.REFUSED and refused.ceiling_refused
    # A taker is refused on other grounds: EUR 1,000 is free again.
    decision_refuse(application=takers[0], actor=staff["assessor"], grounds="Geen diploma.")
    assert balance(window_fund).available_cents == 100_000
    # The birth date was a typo; put right, every rule passes. But a later person asking as
    # much was refused for the ceiling: the free money may not go to this one first.
    Application.objects.filter(pk=young.pk).update(birth_date=date(1990, 1, 1))
    with pytest.raises(DomainError) as error:
        decision_grant(application=young, actor=staff["assessor"])
    assert error.value.code == "budget.insufficient_funds"
    assert "4:25" in error.value.message_nl and "€ 1.000,00" in error.value.message_nl
    assert not Decision.objects.filter(application=young, outcome="grant").exists()
    assert balance(window_fund).available_cents == 100_000
    # A person who claimed in order is granted from their own claim as before.
    decision_grant(application=takers[1], actor=staff["assessor"])
    assert balance(window_fund).committed_cents == 100_000
    assert ledger_recount()["balanced"]


def _window_post(provider, **overrides):
    from scholingsfonds.funds.models import Municipality

    return {
        "submission_key": "w1",
        "first_name": "Ayse",
        "last_name": "Kaya",
        "birth_date": "1985-03-01",
        "postcode": "7311 AB",
        "municipality": Municipality.objects.get(cbs_code="GM0200").pk,
        "work_status": "employee",
        "education_level": "mbo34",
        "career_route": "same_job",
        "training_title": "Heftruck",
        "training_level": "mbo2",
        "training_sector": "transport & logistics",
        "provider": provider.pk,
        "cost": "800",
        "question": "Heftruck",
        "heard_via": "campaign",
        "consent": "on",
        **overrides,
    }


@pytest.mark.django_db
def test_the_window_asks_a_confirmed_email_then_tells_the_person_at_once(
    client, window_fund, provider, django_capture_on_commit_callbacks
):
    url = reverse("decisions:window_apply", args=["leerbudget"])
    assert client.get(reverse("applications:apply", args=["leerbudget"]))["Location"] == url
    first = client.get(url).content.decode()
    assert "Eerst uw e-mailadres" in first and 'name="first_name"' not in first
    # Posting a whole application without a confirmed address saves nothing.
    client.post(url, _window_post(provider))
    assert not Application.objects.exists()
    bad = client.post(url, {"email": "ayse-at-voorbeeld"})
    assert "Vul een geldig e-mailadres in" in bad.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {"email": "Ayse@Voorbeeld.nl"})
    assert "ayse@voorbeeld.nl" in sent.content.decode().lower()
    (message,) = mail.outbox
    assert message.to == ["ayse@voorbeeld.nl"]
    # Asking again within the minute sends nothing more: the first link still works.
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"email": "ayse@voorbeeld.nl"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+", message.body).group(0)
    path = link.split("://", 1)[1].split("/", 1)[1]
    assert path.endswith("?next=%2Ffondsen%2Fleerbudget%2Fvenster%2F")
    # A GET only shows the button (mail scanners); the POST logs in and leads back.
    assert client.get("/" + path).status_code == 200
    consumed = client.post("/" + path)
    assert consumed.status_code == 302 and consumed["Location"] == url
    form_page = client.get(url).content.decode()
    assert 'name="email"' not in form_page and "ayse@voorbeeld.nl" in form_page

    bad = client.post(url, _window_post(provider, submission_key="w2", cost="veel"))
    assert "Vul een bedrag in euro" in bad.content.decode()
    assert "het maximum per persoon" in bad.content.decode()  # what is asked, said up front
    response = client.post(url, _window_post(provider), follow=True)
    body = response.content.decode()
    assert "voor u gereserveerd" in body and "€ 800,00" in body
    application = Application.objects.get()
    assert application.email == "ayse@voorbeeld.nl"
    assert application.applicant.email == "ayse@voorbeeld.nl"
    # A window application had no conversation: no advice report is offered.
    own = client.get(reverse("decisions:my_application", args=[application.reference]))
    assert own.status_code == 200 and "adviesrapport" not in own.content.decode()
    # The same person again: told at once, before any form, with the way to their application.
    again = client.get(url).content.decode()
    assert "Per persoon kan dat één keer" in again and 'name="first_name"' not in again
    assert reverse("decisions:my_application", args=[application.reference]) in again
    client.post(url, _window_post(provider, submission_key="w3", cost="500"))
    assert Application.objects.count() == 1

    # Fill the budget: the next person is told before the form, and again at once after it.
    for n in range(3):
        submit(window_fund, provider, f"fill{n}")
    client.force_login(
        User.objects.create_user(username="z", email="z@voorbeeld.nl", role=Role.APPLICANT)
    )
    assert "Het budget is bijna op: er is nog € 200,00 vrij" in client.get(url).content.decode()
    response = client.post(url, _window_post(provider, submission_key="w4"), follow=True)
    assert "het subsidieplafond is bereikt" in response.content.decode()


@pytest.mark.django_db
def test_staff_apply_on_behalf_and_other_roles_are_told_why_not(
    client, window_fund, provider, staff
):
    from tests.factories import make_user

    url = reverse("decisions:window_apply", args=["leerbudget"])
    # Another fund's advisor, and this fund's other staff, cannot apply for anyone here.
    for outsider in (staff["advisor"], staff["assessor"], staff["finance"]):
        client.force_login(outsider)
        refused = client.get(url)
        assert refused.status_code == 403
        assert "Alleen adviseurs van dit fonds" in refused.content.decode()
        assert client.post(url, _window_post(provider, email="x@voorbeeld.nl")).status_code == 403
    advisor = make_user("advisor_lb", "advisor", [window_fund])
    client.force_login(advisor)
    assert 'name="email"' in client.get(url).content.decode()
    client.post(url, _window_post(provider, email="buurvrouw@voorbeeld.nl"))
    application = Application.objects.get()
    assert application.email == "buurvrouw@voorbeeld.nl"
    assert application.submitted_on_behalf_by == advisor
    assert application.applicant.email == "buurvrouw@voorbeeld.nl"
    client.force_login(User.objects.create_user(username="opl", role=Role.PROVIDER))
    refused = client.get(url)
    assert refused.status_code == 403
    assert "Alleen aanvragers doen zelf een aanvraag" in refused.content.decode()


@pytest.mark.django_db
def test_before_the_window_opens_a_person_can_confirm_their_address(client, window_fund):
    from scholingsfonds.funds.models import PolicyVersion

    version = PolicyVersion.objects.get(fund=window_fund)
    opens = timezone.localdate() + timedelta(days=3)
    version.data = {**version.data, "window_opens": opens.isoformat()}
    version.save(update_fields=["data"])
    body = client.get(reverse("decisions:window_apply", args=["leerbudget"])).content.decode()
    assert "gaat open op" in body and "Eerst uw e-mailadres" in body


@pytest.mark.django_db
def test_a_window_without_money_says_so_before_the_form(client, window_fund, provider):
    url = reverse("decisions:window_apply", args=["leerbudget"])
    assert "Het budget" not in client.get(url).content.decode()
    for n in range(3):
        submit(window_fund, provider, f"vol{n}")  # 3 x EUR 1,000: the EUR 3,000 is gone
    assert balance(window_fund).available_cents == 0
    assert "Het budget van dit venster is op" in client.get(url).content.decode()


@pytest.mark.django_db
def test_a_closed_window_sends_no_links_and_makes_no_accounts(
    client, window_fund, django_capture_on_commit_callbacks
):
    from scholingsfonds.funds.models import PolicyVersion

    version = PolicyVersion.objects.get(fund=window_fund)
    closed = timezone.localdate() - timedelta(days=1)
    version.data = {**version.data, "window_closes": closed.isoformat()}
    version.save(update_fields=["data"])
    url = reverse("decisions:window_apply", args=["leerbudget"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"email": "laat@voorbeeld.nl"})
    assert "Het aanvraagvenster is gesloten." in response.content.decode()
    assert not mail.outbox
    assert not User.objects.filter(email="laat@voorbeeld.nl").exists()


@pytest.mark.django_db
def test_a_login_link_never_leads_to_another_site(client, window_fund):
    from scholingsfonds.accounts.services import login_token_issue

    user = User.objects.create_user(username="p", email="p@voorbeeld.nl", role=Role.APPLICANT)
    token = login_token_issue(user=user)
    plain = reverse("accounts:consume_link", args=[token])
    for bad in ("https://elders.example/", "//elders.example/", "fondsen", "javascript:alert(1)"):
        url = plain + "?" + urlencode({"next": bad})
        # The login button posts without the foreign address.
        assert f'action="{plain}"' in client.get(url).content.decode()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == "/"
    # A path on this site is where the link leads.
    token = login_token_issue(user=user)
    url = reverse("accounts:consume_link", args=[token]) + "?next=/mijn/"
    assert client.post(url)["Location"] == "/mijn/"


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_concurrent_window_submissions_keep_order_and_never_overspend(window_fund, provider):
    count = 24
    barrier = threading.Barrier(count)
    errors: list[BaseException] = []

    def run(n):  # type: ignore[no-untyped-def]
        try:
            barrier.wait()
            submit(window_fund, provider, f"c{n}", cost_cents=60_000 + (n % 3) * 20_000)
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    applications = list(Application.objects.order_by("receipt_number"))
    assert [a.receipt_number for a in applications] == list(range(1, count + 1))
    claimed = [a for a in applications if a.state == states.COMPLETE]
    assert sum(a.requested_cents for a in claimed) == balance(window_fund).claimed_cents
    assert balance(window_fund).claimed_cents <= 300_000
    # No claim is held while an earlier application asking the same or less was refused.
    for held in claimed:
        assert not any(
            r.ceiling_refused
            and r.receipt_number < held.receipt_number
            and r.requested_cents <= held.requested_cents
            for r in applications
        )
    assert ledger_recount()["balanced"]

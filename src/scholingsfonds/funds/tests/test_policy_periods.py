"""A fund's policy periods over time: loading, the warning, the closed page, across periods."""

import shutil
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.applications.services import application_submit
from scholingsfonds.budget.services import source_create
from scholingsfonds.decisions.services import decision_grant
from scholingsfonds.funds.models import PolicyVersion
from tests.factories import REPO_ROOT, complete_application, short_form_data

pytestmark = pytest.mark.django_db
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def at(day, hour=10):
    """A pinned clock at `hour` o'clock Dutch time on `day`."""
    return time_machine.travel(
        datetime(day.year, day.month, day.day, hour, tzinfo=AMSTERDAM), tick=False
    )


def policies_copy(tmp_path):
    target = tmp_path / "policies"
    shutil.copytree(REPO_ROOT / "policies", target)
    return target


def test_the_shipped_policies_cover_every_day_from_their_start(funds):
    for fund in funds.values():
        versions = list(fund.policy_versions.order_by("valid_from"))
        for earlier, later in zip(versions, versions[1:], strict=False):
            assert earlier.valid_to + timedelta(days=1) == later.valid_from
    twente = funds["twente"]
    assert twente.policy_on(timezone.localdate() + timedelta(days=3650)) is not None
    assert funds["stedendriehoek"].policy_on(timezone.localdate()).version == (
        "stedendriehoek-2025"
    )


def test_load_policies_refuses_an_overlap_and_saves_nothing(db, tmp_path):
    directory = policies_copy(tmp_path)
    text = (directory / "twente-2023.toml").read_text()
    (directory / "twente-2023.toml").write_text(
        text.replace("valid_to = 2026-12-31", "valid_to = 2027-01-01")
    )
    with pytest.raises(CommandError) as error:
        call_command("load_policies", "--dir", str(directory))
    assert "overlappen" in str(error.value) and "twente-2027.toml" in str(error.value)
    assert not PolicyVersion.objects.exists()


def test_load_policies_refuses_a_gap_unless_it_is_allowed(db, tmp_path):
    directory = policies_copy(tmp_path)
    later = directory / "twente-2027.toml"
    later.write_text(
        later.read_text().replace("valid_from = 2027-01-01", "valid_from = 2027-02-01")
    )
    with pytest.raises(CommandError) as error:
        call_command("load_policies", "--dir", str(directory))
    assert "gat" in str(error.value) and "gap_allowed" in str(error.value)
    later.write_text("gap_allowed = true\n" + later.read_text())
    call_command("load_policies", "--dir", str(directory))
    assert PolicyVersion.objects.get(version="twente-2027").valid_from.month == 2


def test_load_policies_refuses_a_malformed_file_naming_the_file_and_the_key(db, tmp_path):
    directory = policies_copy(tmp_path)
    path = directory / "twente-2027.toml"
    path.write_text(path.read_text().replace("cap_cents = 250000", 'cap_cents = "2500"'))
    with pytest.raises(CommandError) as error:
        call_command("load_policies", "--dir", str(directory))
    assert f"{path.as_posix()}: cap_cents: expected an amount in whole cents" in str(error.value)
    assert not PolicyVersion.objects.exists()


def test_managers_are_warned_ninety_days_before_the_rules_run_out(client, funds, staff):
    window = funds["leerbudget"].policy_versions.get()
    with at(window.valid_to - timedelta(days=91)):
        # Logged in at the pinned time: a session from today would have expired by then.
        client.force_login(staff["manager"])
        page = client.get(reverse("monitoring:dashboard")).content.decode()
        assert "er is nog geen vervolg" not in page
    with at(window.valid_to - timedelta(days=30)):
        client.force_login(staff["manager"])
        page = client.get(reverse("monitoring:dashboard")).content.decode()
        assert "Het beleid van Leerbudget Oost" in page and "er is nog geen vervolg" in page
        home = client.get(reverse("core:home"), {"start": 1}).content.decode()
        assert "er is nog geen vervolg" in home
        # An advisor has no say in the rules and is not bothered with it.
        client.force_login(staff["advisor"])
        assert (
            "er is nog geen vervolg"
            not in client.get(reverse("core:home"), {"start": 1}).content.decode()
        )


def test_after_the_end_the_public_pages_say_why_applying_is_closed(client, funds):
    window = funds["leerbudget"].policy_versions.get()
    with at(window.valid_to + timedelta(days=1)):
        page = client.get(reverse("applications:fund", args=["leerbudget"]))
        assert page.status_code == 200
        text = page.content.decode()
        assert "Aanvragen is gesloten" in text and "liep tot en met" in text
        apply = client.get(reverse("applications:apply", args=["leerbudget"]))
        assert apply.status_code == 200 and "Aanvragen is gesloten" in apply.content.decode()
        window_page = client.get(reverse("decisions:window_apply", args=["leerbudget"]))
        assert window_page.status_code == 302
        assert window_page["Location"] == reverse("applications:fund", args=["leerbudget"])


def test_an_application_keeps_the_rules_of_the_period_it_was_received_in(twente, staff, provider):
    """Received on 31 December under the 2023 rules, decided in January: the 2023 rules."""
    last_day = twente.policy_versions.get(version="twente-2023").valid_to
    source_create(
        fund=twente,
        name="Regio over de jaargrens",
        funder="Regio",
        category="vouchers",
        pledged_cents=1_000_000,
        period_start=last_day - timedelta(days=60),
        period_end=last_day + timedelta(days=60),
    )
    with at(last_day, hour=23):
        application = complete_application(twente, staff["advisor"], provider)
    assert application.policy_version.version == "twente-2023"
    with at(last_day + timedelta(days=10)):
        decision = decision_grant(application=application, actor=staff["assessor"])
    assert decision.policy_version.version == "twente-2023"
    application.refresh_from_db()
    assert application.policy_version.version == "twente-2023"
    # The next day's application is judged under the continuation.
    with at(last_day + timedelta(days=1), hour=0):
        nxt = application_submit(fund=twente, data=short_form_data(), submission_key="next-day")
    assert nxt.policy_version.version == "twente-2027"

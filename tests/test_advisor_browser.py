"""The advisor's day in a real browser: plan time slots, invite into one (with .ics), hold and
record the conversation, compute the financing across schemes and save it, print the
advice summary; the overview of targets; the occupation list import with its preview."""

import re
import shutil
import subprocess
from datetime import date, timedelta
from email.mime.base import MIMEBase
from pathlib import Path

import pytest
from django.core import mail
from django.utils import timezone

from scholingsfonds.advising.models import Conversation, FinancingArrangement
from scholingsfonds.applications.models import Application
from tests.factories import REPO_ROOT, make_user, short_form_data
from tests.harness import screenshot

pytestmark = pytest.mark.browser

SHOTS = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def login(page, base, username):  # type: ignore[no-untyped-def]
    page.goto(f"{base}/account/inloggen/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-test-123")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()


def a_weekday_next_week():  # type: ignore[no-untyped-def]
    day = timezone.localdate() + timedelta(days=7)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def pdf_to_png(pdf: bytes, name: str, page: int = 1) -> None:
    """Render one page of a PDF next to the screenshots (Debian's pdftoppm), when present."""
    exe = shutil.which("pdftoppm")
    if exe is None:
        return
    path = SHOTS / f"{name}.tmp.pdf"
    path.write_bytes(pdf)
    try:
        subprocess.run(  # noqa: S603 - a fixed program on our own temporary file
            [
                exe,
                "-png",
                "-r",
                "60",
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(path),
                str(SHOTS / name),
            ],
            check=True,
        )
    finally:
        path.unlink()


def earlier_this_year(fund, advisors) -> None:  # type: ignore[no-untyped-def]
    """Conversations held in the months before this one, some decided: the overview's history.

    Built through the services; the decision moments are moved back in the audit log, as if
    the assessor had decided then (the overview reads them there).
    """
    from datetime import datetime, time

    from scholingsfonds.advising.services import conversation_invite, conversation_record
    from scholingsfonds.applications.domain import states
    from scholingsfonds.applications.services import application_submit, application_transition
    from scholingsfonds.core.models import AuditEvent

    today = timezone.localdate()
    locations = ["leerwerkloket", "leerwerkloket", "loopbaanstation", "phone"]
    for month in range(1, today.month):
        for n in range(8 + month % 4 * 3):
            submitted_on = date(today.year, month, 1 + n % 20)
            held_on = submitted_on + timedelta(days=4 + n % 9)
            application = application_submit(
                fund=fund,
                data=short_form_data(),
                submission_key=f"history-{month}-{n}",
                today=submitted_on,
            )
            when = timezone.make_aware(datetime.combine(held_on, time(10)))
            conversation = conversation_invite(
                application=application,
                actor=advisors[n % 2],
                scheduled_at=when,
                location=locations[n % 4],
            )
            referral = n % 5 == 4
            conversation_record(
                conversation=conversation,
                actor=advisors[n % 2],
                identity_checked=True,
                notes="Gesprek gevoerd.",
                outcome="referral" if referral else "voucher",
                referral_kind="uwv" if referral else "",
                referral_reason="Scholing via de WW." if referral else "",
                held_at=when,
            )
            if referral or n % 3 == 2:
                continue
            for to_state in (states.COMPLETE, states.GRANTED):
                application_transition(
                    application=application, to_state=to_state, actor=advisors[0]
                )
            AuditEvent.objects.filter(
                object_id=str(application.pk), to_state=states.GRANTED
            ).update(at=when + timedelta(days=14 + n % 20))


def load_schemes() -> None:
    from scholingsfonds.advising.services import schemes_load, targets_load

    schemes_load(directory=REPO_ROOT / "policies" / "schemes")
    targets_load(path=REPO_ROOT / "policies" / "advising" / "targets.toml")


@pytest.mark.django_db(transaction=True)
def test_an_advisor_plans_holds_and_records_a_conversation_and_saves_the_financing(
    live_server, page, twente, staff, provider
):
    from scholingsfonds.applications.services import application_submit
    from scholingsfonds.funds.models import Municipality

    load_schemes()
    application = application_submit(
        fund=twente,
        data=short_form_data(
            first_name="Rick",
            last_name="Wolters",
            email="rick.wolters@voorbeeld.nl",
            municipality=Municipality.objects.get(cbs_code="GM0164"),
            work_status="employee",
            education_level="mbo34",
            career_route="other_sector",
            question="Ik werk in de bouw en wil monteur warmtepompen worden.",
        ),
        submission_key="browser-advisor-1",
    )
    base = live_server.url
    day = a_weekday_next_week()

    # 1. Plan a morning of conversations at the Leerwerkloket.
    login(page, base, "advisor")
    page.get_by_role("link", name="Agenda").click()
    page.fill("#id_day", day.strftime("%d-%m-%Y"))
    page.fill("#id_start", "09:00")
    page.fill("#id_end", "12:00")
    page.select_option("#id_minutes", "45")
    page.select_option("#id_location", "leerwerkloket")
    page.fill("#id_place", "Leerwerkloket Hengelo, Marktstraat 1")
    page.get_by_role("button", name="Tijdsloten aanmaken").click()
    assert "4 tijdsloten aangemaakt." in page.content()

    # 2. Invite Rick into the second slot; he gets an e-mail with the appointment (.ics).
    page.get_by_role("link", name="Werkvoorraad").click()
    page.get_by_role("link", name=application.reference).click()
    slot_label = page.locator("#id_slot option").nth(2).inner_text()
    assert "09:45" in slot_label and "Marktstraat 1" in slot_label
    page.select_option("#id_slot", index=2)
    page.get_by_role("button", name="Uitnodiging versturen").click()
    assert "De uitnodiging is verstuurd." in page.content()
    invitation = mail.outbox[-1]
    ics = next(a for a in invitation.attachments if isinstance(a, MIMEBase))
    body = ics.get_payload(decode=True).decode()
    assert body.startswith("BEGIN:VCALENDAR\r\n") and "METHOD:REQUEST" in body
    assert "Marktstraat 1" in body

    page.get_by_role("link", name="Agenda").click()
    page.goto(f"{base}/advies/agenda/?week={day.isoformat()}")
    assert "Rick Wolters" in page.content()
    screenshot(page, "20-advisor-agenda")

    # 3. Hold and record the conversation.
    page.get_by_role("link", name="Rick Wolters").click()
    page.locator("#id_identity_checked").check()
    page.fill("#id_notes", "Rick wil van de bouw naar de installatietechniek.")
    page.fill("#id_situation", "Werkt 12 jaar als timmerman; rugklachten, wil minder zwaar werk.")
    page.fill(
        "#id_skills",
        "Technisch inzicht, nauwkeurig. Traint de jeugd bij de voetbalclub (vrijwilliger).",
    )
    page.get_by_label("Huidig of laatste werk").check()
    page.get_by_label("Vrijwilligerswerk").check()
    page.select_option("#id_target_occupation", label="Monteur koeltechniek en warmtepompen (7127)")
    page.fill("#id_advice", "Bbl-opleiding monteur warmtepompen (mbo 3) bij ROC van Twente.")
    page.fill("#id_follow_up", "Rick vraagt de werkgever om een bijdrage en een sectorfonds.")
    page.get_by_label("Aanvraag scholingscheque").check()
    page.locator("#h-gesprek").scroll_into_view_if_needed()
    screenshot(page, "21-advisor-conversation-record")
    page.get_by_role("button", name="Gesprek vastleggen").click()
    assert "Het gesprek is vastgelegd." in page.content()

    # 4. The training and its cost.
    page.fill("#id_training_title", "Monteur warmtepompen (bbl)")
    page.select_option("#id_training_level", "mbo3")
    page.select_option("#id_training_sector", "technical")
    page.select_option("#id_provider", label="ROC van Twente")
    page.fill("#id_cost", "3.600,00")
    page.get_by_role("button", name="Opleiding vastleggen").click()

    # 5. Advice across schemes: employer, the technology O&O fund, the fund, the rest.
    page.get_by_role("link", name="Financieringsadvies berekenen").click()
    page.fill("#id_employer_contribution", "600")
    page.select_option("#id_employer_sector", "technical")
    page.get_by_role("button", name="Berekenen").click()
    stack = page.get_by_test_id("stack")
    assert "O&O-fonds Techniek (voorbeeld)" in stack.inner_text()
    assert page.get_by_test_id("own").inner_text() == "€ 0,00"
    assert "STAP" not in stack.inner_text()
    page.locator("details.sf-stack__rules").nth(4).locator("summary").click()
    screenshot(page, "22-advisor-financing-advice")
    page.get_by_role("button", name="Opslaan als financiering van de aanvraag").click()
    assert "opgeslagen als financiering van de aanvraag" in page.content()
    application.refresh_from_db()
    assert application.cofinancing == [
        {"payer": "employer", "amount_cents": 60_000},
        {"payer": "oo_fund", "amount_cents": 125_000},
    ]
    assert FinancingArrangement.objects.get(application=application).fund_cents == 175_000

    # 6. The labour-market test, and the advice summary for Rick.
    page.select_option(
        "#id_occupation", label="Monteur koeltechniek en warmtepompen (7127) – kansrijk"
    )
    page.get_by_role("button", name="Toets vastleggen").click()
    assert "De arbeidsmarkttoets is vastgelegd." in page.content()
    summary = page.request.get(f"{base}/advies/{application.reference}/adviesrapport.pdf")
    assert summary.status == 200 and summary.body()[:5] == b"%PDF-"
    pdf_to_png(summary.body(), "23-advisor-advice-summary")
    pdf_to_png(summary.body(), "23-advisor-advice-summary-2", page=2)

    # 7. The overview: conversations against the yearly target, lead times, caseload.
    colleague = make_user("sanne", "advisor", [twente])
    colleague.first_name, colleague.last_name = "Sanne", "de Vries"
    colleague.save()
    earlier_this_year(twente, [staff["advisor"], colleague])
    page.get_by_role("link", name="Caseload en doelen").click()
    assert "1375" in page.get_by_test_id("target").inner_text().replace(".", "")
    screenshot(page, "24-advisor-overview")
    conversation = Conversation.objects.get(application=application)
    assert conversation.status == "held" and conversation.skill_sources == ["work", "volunteering"]
    assert Application.objects.get(pk=application.pk).state == "conversation_held"
    assert page.console_errors == []


@pytest.mark.django_db(transaction=True)
def test_the_administrator_imports_a_list_of_promising_occupations_with_a_preview(
    live_server, page, funds, tmp_path
):
    make_user("beheerder", "administrator", list(funds.values()))
    csv = tmp_path / "kansrijke-beroepen-twente.csv"
    csv.write_text(
        "isco08;title_nl;tekortklasse;sector;kansrijk\n"
        "7127;Monteur koeltechniek en warmtepompen;techniek;energy transition;ja\n"
        "2512;Softwareontwikkelaar;ICT;ICT;ja\n"
        "5321;Verzorgende IG;zorg en welzijn;care;ja\n"
        "9112;Schoonmaker;;;nee\n"
        "83;Chauffeur;transport;;ja\n"
        "7411;Elektromonteur;techniek;;misschien\n",
        encoding="utf-8",
    )
    base = live_server.url
    login(page, base, "beheerder")
    page.goto(f"{base}/advies/beroepen/")
    page.get_by_role("link", name="Nieuwe lijst inlezen (CSV)").click()
    page.set_input_files("#id_file", str(csv))
    page.select_option("#id_region_name", "Twente")
    start = timezone.localdate().replace(day=1) + timedelta(days=40)
    page.fill("#id_valid_from", start.replace(day=1).strftime("%d-%m-%Y"))
    page.fill("#id_source", "UWV Kansrijke beroepen Twente (voorbeeld)")
    page.get_by_role("button", name="Voorbeeld bekijken").click()
    assert re.search(r"4 regels overgenomen, 2 regels afgewezen", page.content())
    rejected = page.get_by_test_id("rejected").inner_text()
    assert "vier cijfers" in rejected and "ja of nee" in rejected
    screenshot(page, "25-advisor-occupation-import")
    page.get_by_role("button", name="Lijst verwerken").click()
    assert "De lijst is verwerkt: 3 kansrijke beroepen" in page.content()
    assert "UWV Kansrijke beroepen Twente (voorbeeld)" in page.content()
    assert page.console_errors == []

"""The two funds' cases, each taken through the real services to the state it ends in.

The personas' own cases (Fatima, the employer's request) and a few hundred random ones,
spread over the last twelve months, every step dated on the day it happened (dating.py).
"""

import random
from datetime import date, timedelta

from scholingsfonds.advising.services import (
    conversation_invite,
    conversation_record,
    labour_market_test_record,
)
from scholingsfonds.applications.domain import states
from scholingsfonds.applications.models import Application
from scholingsfonds.applications.services import (
    application_mark_complete,
    application_record_training,
    application_submit,
    employer_applications_submit,
    repair_request_create,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.core.domain.terms import next_working_day_on_or_after
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services import (
    decision_approve,
    decision_grant,
    decision_refuse,
    hearing_start,
)
from scholingsfonds.demo.dating import SUBMITTED_HOUR, at, dated
from scholingsfonds.demo.domain.dates import office_day, spread_age_days
from scholingsfonds.demo.fakes import (
    DEMO_PAYING_EMPLOYERS,
    FIRST_NAMES,
    LAST_NAMES,
    POSTCODES,
    TRAININGS,
)
from scholingsfonds.demo.personas import Cast
from scholingsfonds.funds.models import Fund, Municipality, Occupation
from scholingsfonds.vouchers.services import voucher_cancel

# Where each case ends, with its weight; advanced states start longer ago.
TARGETS = [
    (states.SUBMITTED, 12),
    (states.INVITED, 11),
    (states.CONVERSATION_HELD, 7),
    (states.REPAIR_REQUESTED, 4),
    (states.COMPLETE, 10),
    (states.HEARING, 2),
    (states.AWAITING_SECOND_APPROVAL, 4),
    (states.GRANTED, 36),
    (states.REFUSED, 5),
    (states.REFERRED, 7),
    (states.WITHDRAWN, 2),
]


def persona_cases(cast: Cast, funds: dict[str, Fund], today: date) -> None:
    """Fatima's own application (invited) and the employer persona's request."""
    fatima = cast.users["inwoner"]
    enschede = Municipality.objects.get(cbs_code="GM0153")
    submitted = today - timedelta(days=6)
    with dated(submitted, hour=SUBMITTED_HOUR):
        application = application_submit(
            fund=funds["twente"],
            data={
                "first_name": fatima.first_name,
                "last_name": fatima.last_name,
                "email": fatima.email,
                "phone": "06 12345678",
                "birth_date": date(1991, 4, 12),
                "postcode": "7511 AB",
                "municipality": enschede,
                "work_status": "job_seeker",
                "education_level": "mbo12",
                "career_route": "to_work",
                "question": "Ik wil graag verzorgende worden in de thuiszorg.",
                "heard_via": "campaign",
            },
            submission_key="demo-persona-fatima",
            today=submitted,
        )
    with dated(max(submitted, office_day(submitted + timedelta(days=1), today)), hour=11):
        conversation_invite(
            application=application,
            actor=cast.users["adviseur.twente"],
            # The conversation lies ahead, on a working day.
            scheduled_at=at(office_day(today + timedelta(days=3), today + timedelta(days=9)), 10),
            location="leerwerkloket",
        )
    hengelo = Municipality.objects.get(cbs_code="GM0164")
    employer_submitted = today - timedelta(days=4)
    with dated(employer_submitted, hour=SUBMITTED_HOUR):
        employer_applications_submit(
            fund=funds["twente"],
            employer_data={
                "name": "Metaalbouw Hengelo BV",
                "kvk_number": "08123456",
                "municipality": hengelo,
                "contact_name": "Henk Nijhuis",
                "email": cast.users["werkgever"].email,
                "phone": "074 1234567",
            },
            employees=[
                {
                    "first_name": "Rick",
                    "last_name": "Wolters",
                    "email": "rick.wolters@voorbeeld.nl",
                    "birth_date": date(1988, 2, 3),
                    "education_level": "mbo34",
                    "career_route": "same_job",
                    "question": "Lassen MIG/MAG certificaat",
                    "work_status": "employee",
                    "heard_via": "employer",
                    "phone": "",
                    "postcode": "",
                    "municipality": None,
                },
                {
                    "first_name": "Sara",
                    "last_name": "Kok",
                    "email": "sara.kok@voorbeeld.nl",
                    "birth_date": date(1995, 9, 21),
                    "education_level": "vmbo",
                    "career_route": "same_sector",
                    "question": "Monteur warmtepompen",
                    "work_status": "employee",
                    "heard_via": "employer",
                    "phone": "",
                    "postcode": "",
                    "municipality": None,
                },
            ],
            contribution_percent=50,
            submission_key="demo-persona-employer",
            today=employer_submitted,
        )


def _pick_target(rng: random.Random) -> str:
    total = sum(w for _, w in TARGETS)
    roll = rng.uniform(0, total)
    for state, weight in TARGETS:
        roll -= weight
        if roll <= 0:
            return state
    return states.GRANTED


# Cases that end in a later stage started 40 days to a year ago; the age is spread evenly over
# that range (spread_age_days), so every month of the last year has its cases.
OLDEST_CASE_DAYS = 362


def one_case(rng: random.Random, cast: Cast, fund: Fund, index: int, today: date) -> None:
    """One random person in `fund`, taken step by step to a state drawn from TARGETS."""
    target = _pick_target(rng)
    early = target in (states.SUBMITTED, states.INVITED)
    age_days = (
        rng.randint(2, 20)
        if early
        else spread_age_days(index, 40, OLDEST_CASE_DAYS, rng.randint(0, 28))
    )
    if target == states.COMPLETE and rng.random() < 0.3:
        age_days = rng.randint(80, 120)  # some overdue cases for the assessor's queue
    d0 = today - timedelta(days=age_days)
    policy = fund.policy_on(d0)
    if policy is None:
        return
    municipalities = list(policy.municipalities())
    municipality = rng.choice(municipalities)
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    email = f"{first}.{last}.{fund.slug}{index}".lower().replace(" ", "") + "@voorbeeld.nl"
    birth = date(rng.randint(1962, 2004), rng.randint(1, 12), rng.randint(1, 28))
    work_status = rng.choice(["employee", "employee", "job_seeker", "zzp"])
    route = (
        "employer"
        if (fund.slug == "stedendriehoek" and rng.random() < 0.45)
        or (fund.slug == "twente" and rng.random() < 0.15)
        else "individual"
    )
    person = {
        "first_name": first,
        "last_name": last,
        "email": email,
        "phone": f"06 {rng.randint(10000000, 99999999)}",
        "birth_date": birth,
        "postcode": f"{POSTCODES.get(municipality.cbs_code, '7500')} "
        f"{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
        "municipality": municipality,
        "work_status": work_status,
        "education_level": rng.choice(["vmbo", "mbo12", "mbo34", "mbo34", "havo_vwo", "hbo"]),
        "career_route": rng.choice(["same_job", "same_sector", "other_sector", "to_work"]),
        "question": "Ik wil mij omscholen of bijscholen.",
        "heard_via": rng.choice(
            ["employer", "uwv_municipality", "campaign", "leerwerkloket", "provider", "friends"]
        ),
        # Voluntary answers: most people give them, some do not (blank) or decline.
        "gender": rng.choice(["woman", "man", "woman", "man", "other", "not_said", ""]),
        "migration_background": rng.choice(["yes", "no", "no", "not_said", ""]),
    }
    if work_status == "job_seeker" and route == "employer":
        route = "individual"
    if route == "employer":
        kvk = f"{70000000 + rng.randint(0, 60):08d}"
        contact_email = f"hr{kvk}@bedrijf.example"
        with dated(d0, hour=SUBMITTED_HOUR):
            apps = employer_applications_submit(
                fund=fund,
                employer_data={
                    "name": f"Bedrijf {kvk[-2:]} {municipality.name}",
                    "kvk_number": kvk,
                    "municipality": municipality,
                    "contact_name": "P. de Werkgever",
                    "email": contact_email,
                    "phone": "",
                },
                employees=[{**person, "work_status": "employee", "heard_via": "employer"}],
                contribution_percent=rng.choice([50, 50, 60]),
                submission_key=f"demo-{fund.slug}-{index}",
                today=d0,
            )
        application = apps[0]
    else:
        with dated(d0, hour=SUBMITTED_HOUR):
            application = application_submit(
                fund=fund, data=person, submission_key=f"demo-{fund.slug}-{index}", today=d0
            )
    if target == states.SUBMITTED:
        return
    advisor = cast.users["adviseur.twente" if fund.slug == "twente" else "adviseur.sd"]
    # The office works on working days: the invitation, the conversation, the decision and
    # its letter. A conversation a week after the application (in the future for the
    # newest cases, which stop at "invited").
    invited_on = max(d0, office_day(d0 + timedelta(days=1), today))
    d1 = next_working_day_on_or_after(d0 + timedelta(days=7))
    with dated(invited_on, hour=9):
        conversation = conversation_invite(
            application=application,
            actor=advisor,
            scheduled_at=at(d1, 10),
            location=rng.choice(["leerwerkloket", "loopbaanstation", "phone"]),
        )
    if target == states.INVITED:
        return
    if target in (states.REFERRED, states.WITHDRAWN):
        with dated(d1, hour=11):
            conversation_record(
                conversation=conversation,
                actor=advisor,
                identity_checked=False,
                notes="Gesprek gevoerd over de loopbaanvraag.",
                outcome="referral" if target == states.REFERRED else "none",
                referral_to=rng.choice(
                    [
                        "UWV",
                        "O&O-fonds Techniek",
                        "Schuldhulpverlening",
                        "Leerwerkloket: taaltraject",
                    ]
                ),
                referral_reason="Past beter bij een andere regeling.",
                held_at=at(d1, 11),
            )
        return
    with dated(d1, hour=11):
        conversation_record(
            conversation=conversation,
            actor=advisor,
            identity_checked=True,
            notes="Opleiding en financiering besproken.",
            outcome="voucher",
            held_at=at(d1, 11),
        )
    if target == states.CONVERSATION_HELD:
        return
    title, level, sector, isco = rng.choice(TRAININGS)
    recognised = [p for p in cast.providers if p.kind != "crkbo"]
    provider = rng.choice(recognised)
    cost = rng.randrange(900, 6001, 50) * 100
    share = 50 if (fund.slug == "twente" or route == "employer") else 0
    if route == "employer":
        share = max(share, application.employer_contribution_percent or 0)
    cofinancing = []
    if share:
        payer = (
            "employer"
            if route == "employer"
            else rng.choice(["employer", "benefits_agency", "oo_fund", "applicant"])
        )
        cofinancing = [{"payer": payer, "amount_cents": cost * share // 100}]
    if target == states.AWAITING_SECOND_APPROVAL:
        cost = 600_000  # above the four-eyes threshold once the share is taken off
        cofinancing = [{"payer": cofinancing[0]["payer"], "amount_cents": 300_000}] if share else []
    for part in cofinancing:
        if part["payer"] == "employer" and route != "employer":
            # The advisor notes who the paying employer is (no extra random draw: the rest of
            # the demo stays the same).
            part["employer_name"] = DEMO_PAYING_EMPLOYERS[
                application.pk % len(DEMO_PAYING_EMPLOYERS)
            ]
    occupation = (
        Occupation.objects.filter(isco08=isco).first()
        or Occupation.objects.order_by("?" if False else "isco08").first()
    )
    failing = target == states.REFUSED and rng.random() < 0.6
    with dated(d1, hour=12):
        application_record_training(
            application=application,
            actor=advisor,
            training_title=title,
            training_level=level,
            training_sector=sector,
            provider=provider,
            cost_cents=cost,
            cofinancing=cofinancing,
            bsn="",
            today=d1,
        )
        labour_market_test_record(
            application=application,
            actor=advisor,
            occupation=occupation,
            motivation="" if failing else "Veel vacatures in de regio volgens het UWV.",
            today=d1,
        )
    next_day = office_day(d1 + timedelta(days=1), today)
    if target == states.REPAIR_REQUESTED:
        with dated(next_day, hour=9):
            repair_request_create(
                application=application,
                actor=advisor,
                what="Stuur de offerte van de opleider mee.",
                days=14,
                today=next_day,
            )
        return
    with dated(next_day, hour=9):
        application_mark_complete(application=application, actor=advisor, today=next_day)
    if target == states.COMPLETE:
        return
    assessor = cast.users["beoordelaar1"]
    d2 = office_day(d1 + timedelta(days=rng.randint(5, 30)), today)
    if target == states.HEARING:
        with dated(d2, hour=14):
            hearing_start(
                application=application,
                actor=assessor,
                facts="Volgens de opleider is de opleiding al gestart vóór de aanvraag.",
                today=d2,
            )
        return
    if target == states.REFUSED:
        with dated(d2, hour=14):
            decision_refuse(
                application=application,
                actor=assessor,
                grounds="De opleiding leidt niet tot een beroep met perspectief in de regio, en "
                "de adviseur kon dat perspectief niet onderbouwen."
                if failing
                else "De opleiding was al begonnen voordat u de aanvraag deed.",
                today=d2,
            )
        return
    with dated(d2, hour=14):
        try:
            decision = decision_grant(application=application, actor=assessor, today=d2)
        except DomainError:
            decision_refuse(
                application=application, actor=assessor, grounds="", ceiling_reached=True, today=d2
            )
            return
    if decision.status == Decision.Status.PROPOSED and target == states.GRANTED:
        with dated(d2, hour=16):
            decision_approve(decision=decision, actor=cast.users["beoordelaar2"], today=d2)
    _maybe_given_back(application, d2, today)


# One in this many granted vouchers is given back by its holder a few weeks later (chosen by
# the application's number, not by a random draw: the rest of the demo stays the same).
GIVEN_BACK_EVERY = 11


def _maybe_given_back(application: Application, granted_on: date, today: date) -> None:
    """The person gives the voucher back (cannot follow the training): its money returns."""
    voucher = getattr(application, "voucher", None)
    given_back = office_day(granted_on + timedelta(days=24), today)
    if voucher is None or application.pk % GIVEN_BACK_EVERY or (given_back - granted_on).days < 10:
        return
    with dated(given_back, hour=15):
        voucher_cancel(
            voucher=voucher,
            actor=application.applicant,
            reason="Ik kan de opleiding door omstandigheden toch niet volgen.",
        )

"""Demo data built through the real services: named personas and a few hundred cases.

Deterministic by seed, and relative to today, so the demo always looks current: the cases are
spread over the last twelve months, every row carries the date of the event it records (see
dating.py), letters are dated on working days, and the window fund's window is open today.
"""

import random
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from scholingsfonds.accounts.models import Role, User
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
from scholingsfonds.demo.budgets import stedendriehoek_sources, twente_sources, window_sources
from scholingsfonds.demo.dating import SUBMITTED_HOUR, at, dated, session
from scholingsfonds.demo.domain.dates import office_day, spread_age_days
from scholingsfonds.demo.history import close_regio_deal_period, regio_deal_history
from scholingsfonds.demo.providers import load_provider_demo
from scholingsfonds.funds.models import Fund, Municipality, Occupation, PolicyVersion
from scholingsfonds.payments.models import FunderAccess
from scholingsfonds.providers.models import Provider
from scholingsfonds.vouchers.services import voucher_cancel

PASSWORD = "demo"  # noqa: S105 - the demo's published password, never in production

PERSONAS = [
    # username, first, last, role, email, funds
    ("beheerder", "Bea", "Beheer", Role.ADMINISTRATOR, "beheer@gemeente.example", ["*"]),
    (
        "adviseur.twente",
        "Anouk",
        "Jansen",
        Role.ADVISOR,
        "anouk.jansen@leerwerkloket.example",
        ["twente"],
    ),
    (
        "adviseur.sd",
        "Sven",
        "Bakker",
        Role.ADVISOR,
        "sven.bakker@loopbaanstation.example",
        ["stedendriehoek"],
    ),
    (
        "beoordelaar1",
        "Bram",
        "de Vries",
        Role.ASSESSOR,
        "bram.devries@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "beoordelaar2",
        "Carmen",
        "Öztürk",
        Role.ASSESSOR,
        "carmen.ozturk@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "financien",
        "Dirk",
        "Mulder",
        Role.FINANCE,
        "dirk.mulder@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "financien2",
        "Femke",
        "Dijkstra",
        Role.FINANCE,
        "femke.dijkstra@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "manager",
        "Esther",
        "Visser",
        Role.MANAGER,
        "esther.visser@gemeente.example",
        ["twente", "stedendriehoek"],
    ),
    (
        "auditor",
        "Frank",
        "Smit",
        Role.AUDITOR,
        "frank.smit@accountant.example",
        ["twente", "stedendriehoek"],
    ),
    ("financier", "Gerda", "Hofstede", Role.FUNDER, "g.hofstede@provincie.example", ["twente"]),
    ("inwoner", "Fatima", "El Amrani", Role.APPLICANT, "fatima.elamrani@voorbeeld.nl", []),
    ("werkgever", "Henk", "Nijhuis", Role.EMPLOYER, "henk@metaalbouw-hengelo.example", []),
    ("opleider", "Ilse", "Kamphuis", Role.PROVIDER, "ilse.kamphuis@roc-twente.example", []),
]

PROVIDERS = [
    ("ROC van Twente", "ocw", "Hengelo", "00GT"),
    ("Saxion Hogeschool", "ocw", "Enschede", "25BA"),
    ("Aventus", "ocw", "Apeldoorn", "25LH"),
    ("Techniek Opleidingen Oost", "nrto", "Almelo", ""),
    ("Zorgacademie Oost-Nederland", "sector", "Deventer", ""),
    ("Logistiek Leerhuis", "cedeo", "Apeldoorn", ""),
    ("Snelcursus Online BV", "crkbo", "Zutphen", ""),
]

FIRST_NAMES = [
    "Anna",
    "Bas",
    "Chantal",
    "Daan",
    "Emma",
    "Fleur",
    "Gijs",
    "Hanna",
    "Ismail",
    "Joost",
    "Kim",
    "Lars",
    "Mila",
    "Noah",
    "Olga",
    "Pieter",
    "Rana",
    "Sanne",
    "Thijs",
    "Yusuf",
    "Zeynep",
    "Mohamed",
    "Priya",
    "Wim",
    "Lotte",
    "Kevin",
    "Ilona",
    "Ahmet",
]
LAST_NAMES = [
    "de Jong",
    "Jansen",
    "de Vries",
    "van den Berg",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "Mulder",
    "Bos",
    "Vos",
    "Peters",
    "Hendriks",
    "Dekker",
    "Brouwer",
    "Nijhuis",
    "Oude Groote Beverborg",
    "Kaya",
    "Yilmaz",
    "Kampman",
    "Wolters",
]
POSTCODES = {
    "GM0141": "7601",
    "GM0147": "7621",
    "GM1774": "7591",
    "GM0153": "7511",
    "GM0158": "7481",
    "GM0163": "7447",
    "GM0164": "7551",
    "GM1735": "7471",
    "GM0168": "7581",
    "GM0173": "7571",
    "GM1742": "7461",
    "GM0183": "7651",
    "GM1700": "7681",
    "GM0189": "7641",
    "GM0200": "7311",
    "GM0213": "6971",
    "GM0150": "7411",
    "GM0232": "8161",
    "GM0246": "8181",
    "GM0262": "7241",
    "GM0301": "7201",
    "GM0285": "7381",
}
TRAININGS = [
    ("Monteur warmtepompen (mbo 3)", "mbo3", "technical", "7127"),
    ("Elektrotechniek niveau 4", "mbo4", "technical", "7411"),
    ("Verzorgende IG (bbl)", "mbo3", "care & welfare", "5321"),
    ("Associate degree Verpleegkunde", "hbo", "care & welfare", "2221"),
    ("Full-stack developer bootcamp", "other", "ICT", "2512"),
    ("Netwerkbeheer (CCNA)", "other", "ICT", "3513"),
    ("Heftruck en magazijn", "mbo2", "transport & logistics", ""),
    ("Pedagogisch medewerker kinderopvang", "mbo3", "care & welfare", "5311"),
    ("Lassen MIG/MAG", "mbo2", "technical", "7212"),
    ("Zelfstandig werkend kok", "mbo3", "hospitality", ""),
]

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


@dataclass
class Cast:
    users: dict[str, User]
    providers: list[Provider]


# Employers that pay part of an individual-route voucher (fictional names).
DEMO_PAYING_EMPLOYERS = (
    "Zorggroep Noordoost Twente (demo)",
    "Metaalbouw Hengelo (demo)",
    "Transport Almelo (demo)",
)

# Approximate numbers of inhabitants (CBS, rounded; demo values an administrator corrects),
# so the risk split over the Twente municipalities by population can be shown.
DEMO_POPULATION = {
    "GM0141": 73_800,
    "GM0147": 24_300,
    "GM1774": 26_800,
    "GM0153": 161_000,
    "GM0158": 24_700,
    "GM0163": 36_300,
    "GM0164": 81_900,
    "GM1735": 35_300,
    "GM0168": 22_900,
    "GM0173": 32_100,
    "GM1742": 38_600,
    "GM0183": 21_800,
    "GM1700": 34_200,
    "GM0189": 24_900,
}


def _personas(funds: dict[str, Fund]) -> dict[str, User]:
    users = {}
    for username, first, last, role, email, fund_slugs in PERSONAS:
        user = User.objects.create_user(
            username=username,
            email=email,
            password=PASSWORD,
            first_name=first,
            last_name=last,
            role=role,
        )
        if role == Role.ADMINISTRATOR:
            user.is_staff = True
            user.is_superuser = True
            user.save()
        for slug in fund_slugs:
            for fund in funds.values() if slug == "*" else [funds[slug]]:
                fund.staff.add(user)
        users[username] = user
    return users


def _providers(users: dict[str, User]) -> list[Provider]:
    providers = []
    for n, (name, kind, city, code) in enumerate(PROVIDERS):
        provider = Provider.objects.create(
            name=name,
            kind=kind,
            city=city,
            institution_code=code,
            kvk_number=f"{40000000 + n * 1111:08d}",
            email=f"info@{name.split()[0].lower()}.example",
        )
        providers.append(provider)
    providers[0].users.add(users["opleider"])
    return providers


# The window fund's policy period and window, in days from the day the demo is loaded: the
# window opened two weeks ago (the demo's applicants came in since) and stays open a month.
WINDOW_POLICY_FROM_DAYS = 30
WINDOW_POLICY_TO_DAYS = 365
WINDOW_OPENED_DAYS_AGO = 14
WINDOW_CLOSES_IN_DAYS = 30


def window_policy_move(fund: Fund, around: date) -> tuple[date, date]:
    """Move the window fund's policy period and window around `around` (the demo's day).

    policies/leerbudget-2026.toml fixes its dates; the demo must show an open window on any
    day, as the tests do (tests/factories.py, `window_fund`). Returns the policy period.
    load_policies writes the file's dates back, so load_demo moves them again on every run.
    """
    valid_from = around - timedelta(days=WINDOW_POLICY_FROM_DAYS)
    valid_to = around + timedelta(days=WINDOW_POLICY_TO_DAYS)
    for version in PolicyVersion.objects.filter(fund=fund):
        if not version.data.get("first_come_first_served"):
            continue
        data = {
            **version.data,
            "valid_from": valid_from.isoformat(),
            "valid_to": valid_to.isoformat(),
            "window_opens": (around - timedelta(days=WINDOW_OPENED_DAYS_AGO)).isoformat(),
            "window_closes": (around + timedelta(days=WINDOW_CLOSES_IN_DAYS)).isoformat(),
        }
        PolicyVersion.objects.filter(pk=version.pk).update(
            data=data, valid_from=valid_from, valid_to=valid_to
        )
    return valid_from, valid_to


def demo_loaded_on() -> date | None:
    """The day the demo was loaded (the administrator persona joined then), if it was."""
    joined = (
        User.objects.filter(username=PERSONAS[0][0]).values_list("date_joined", flat=True).first()
    )
    return timezone.localdate(joined) if joined else None


def load(
    *, seed: int = 2026, per_fund: dict[str, int] | None = None, today: date | None = None
) -> dict[str, Any]:
    """Load personas, budgets, providers and cases; returns counts per state."""
    today = today or timezone.localdate()
    per_fund = per_fund or {"twente": 200, "stedendriehoek": 110}
    rng = random.Random(seed)
    # Letters are rendered on first download; the demo does not mail 300 people.
    with (
        override_settings(
            TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        ),
        session(),
    ):
        with transaction.atomic(), dated(today, hour=8):
            funds = {fund.slug: fund for fund in Fund.objects.all()}
            users = _personas(funds)
            for code, population in DEMO_POPULATION.items():
                Municipality.objects.filter(cbs_code=code).update(population=population)
            FunderAccess.objects.create(
                user=users["financier"], fund=funds["twente"], funder="Provincie Overijssel"
            )
            providers = _providers(users)
        with transaction.atomic():
            # Each pledge is dated on its own day (budgets._source).
            twente_sources(funds["twente"], today)
            stedendriehoek_sources(funds["stedendriehoek"], today)
            if "leerbudget" in funds:
                period = window_policy_move(funds["leerbudget"], around=today)
                window_sources(funds["leerbudget"], *period, today=today)
        cast = Cast(users=users, providers=providers)
        with dated(today, hour=8):
            _time_slots(users, today)
        _persona_cases(cast, funds, today)
        # Its own random stream: the history can grow without changing the cases below.
        regio_deal_history(
            rng=random.Random(seed + 1),
            users=users,
            providers=providers,
            fund=funds["stedendriehoek"],
            today=today,
        )
        close_regio_deal_period(users=users, fund=funds["stedendriehoek"], today=today)
        if "leerbudget" in funds:
            _window_cases(rng, cast, funds["leerbudget"], today, 55 if per_fund else 6)
        for slug, count in per_fund.items():
            for index in range(count):
                with transaction.atomic():
                    _one_case(rng, cast, funds[slug], index, today)
        load_provider_demo(rng=rng, users=users, providers=providers, today=today)
    counts: dict[str, int] = {}
    for state in Application.objects.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def _persona_cases(cast: Cast, funds: dict[str, Fund], today: date) -> None:
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


def _window_cases(rng: random.Random, cast: Cast, fund: Fund, today: date, count: int) -> None:
    """People applying in the window since it opened, in order of receipt."""
    from scholingsfonds.decisions.services import window_application_submit

    version = fund.policy_on(today)
    if version is None or not version.policy.window_open_on(today):
        return
    municipalities = list(version.municipalities())
    recognised = [p for p in cast.providers if p.kind != "crkbo"]
    opened = version.policy.window_opens or today
    # The receipt days, oldest first, over the days the window has been open: most people
    # come in the first days and the rush thins out (squaring bunches them at the start).
    open_days = (today - opened).days
    days = [
        opened + timedelta(days=int(open_days * (index / max(count, 1)) ** 2))
        for index in range(count)
    ]
    for index in range(count):
        title, level, sector, _isco = rng.choice(TRAININGS)
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        municipality = rng.choice(municipalities)
        with transaction.atomic(), dated(days[index], hour=SUBMITTED_HOUR):
            window_application_submit(
                fund=fund,
                data={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{first}.{last}.venster{index}".lower().replace(" ", "")
                    + "@voorbeeld.nl",
                    "phone": "",
                    "birth_date": date(rng.randint(1965, 2003), 6, 15),
                    "postcode": f"{POSTCODES.get(municipality.cbs_code, '7500')} AB",
                    "municipality": municipality,
                    "work_status": rng.choice(["employee", "job_seeker", "zzp"]),
                    "education_level": rng.choice(["mbo12", "mbo34", "hbo"]),
                    "career_route": rng.choice(["same_job", "other_sector", "to_work"]),
                    "question": title,
                    "heard_via": "campaign",
                    "training_title": title,
                    "training_level": level,
                    "training_sector": sector,
                    "provider": rng.choice(recognised),
                    "cost_cents": rng.randrange(400, 1600, 50) * 100,
                    "cofinancing": [],
                },
                submission_key=f"demo-window-{index}",
                today=days[index],
            )
    for user in (
        cast.users["beoordelaar1"],
        cast.users["beoordelaar2"],
        cast.users["financien"],
        cast.users["manager"],
        cast.users["auditor"],
    ):
        fund.staff.add(user)


def _time_slots(users: dict[str, User], today: date) -> None:
    """Three weeks of morning slots from next Monday for both advisors."""
    from scholingsfonds.advising.services import time_slots_create

    monday = today + timedelta(days=7 - today.weekday())
    for username, place in (
        ("adviseur.twente", "Leerwerkloket Enschede, Hengelosestraat 2"),
        ("adviseur.sd", "Loopbaanstation Apeldoorn, Stationsplein 1"),
    ):
        time_slots_create(
            actor=users[username],
            advisor=users[username],
            day=monday,
            start=time(9, 0),
            end=time(12, 0),
            minutes=45,
            location="leerwerkloket" if username.endswith("twente") else "loopbaanstation",
            place=place,
            weeks=3,
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


def _one_case(rng: random.Random, cast: Cast, fund: Fund, index: int, today: date) -> None:
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

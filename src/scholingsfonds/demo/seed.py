"""Demo data built through the real services: named personas and a few hundred cases.

Deterministic by seed, and relative to today, so the demo always looks current: the cases are
spread over the last twelve months, every row carries the date of the event it records (see
dating.py), letters are dated on working days, and the window fund's window is open today.
"""

import random
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from scholingsfonds.accounts.models import User
from scholingsfonds.advising.services import time_slots_create
from scholingsfonds.applications.models import Application
from scholingsfonds.demo.budgets import stedendriehoek_sources, twente_sources, window_sources
from scholingsfonds.demo.cases import one_case, persona_cases
from scholingsfonds.demo.dating import dated, session
from scholingsfonds.demo.history import close_regio_deal_period, regio_deal_history
from scholingsfonds.demo.personas import Cast, make_personas, make_providers
from scholingsfonds.demo.providers import load_provider_demo
from scholingsfonds.demo.window import window_cases, window_policy_move
from scholingsfonds.funds.models import Fund, Municipality
from scholingsfonds.payments.models import FunderAccess

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
            users = make_personas(funds)
            for code, population in DEMO_POPULATION.items():
                Municipality.objects.filter(cbs_code=code).update(population=population)
            FunderAccess.objects.create(
                user=users["financier"], fund=funds["twente"], funder="Provincie Overijssel"
            )
            providers = make_providers(users)
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
        persona_cases(cast, funds, today)
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
            window_cases(rng, cast, funds["leerbudget"], today, 55 if per_fund else 6)
        for slug, count in per_fund.items():
            for index in range(count):
                with transaction.atomic():
                    one_case(rng, cast, funds[slug], index, today)
        load_provider_demo(rng=rng, users=users, providers=providers, today=today)
    counts: dict[str, int] = {}
    for state in Application.objects.values_list("state", flat=True):
        counts[state] = counts.get(state, 0) + 1
    return counts


def _time_slots(users: dict[str, User], today: date) -> None:
    """Three weeks of morning slots from next Monday for both advisors."""
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

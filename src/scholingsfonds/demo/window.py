"""The window fund (first come, first served): its window open around the demo's day, and
the people who applied in it since it opened.
"""

import random
from datetime import date, timedelta

from django.db import transaction

from scholingsfonds.decisions.services import window_application_submit
from scholingsfonds.demo.dating import SUBMITTED_HOUR, dated
from scholingsfonds.demo.fakes import FIRST_NAMES, LAST_NAMES, POSTCODES, TRAININGS
from scholingsfonds.demo.personas import Cast
from scholingsfonds.funds.models import Fund, PolicyVersion

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


def window_cases(rng: random.Random, cast: Cast, fund: Fund, today: date, count: int) -> None:
    """People applying in the window since it opened, in order of receipt."""
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

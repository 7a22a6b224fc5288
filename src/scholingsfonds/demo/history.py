"""The Ontwikkelfonds Stedendriehoek's Regio Deal period (2020-2024) as history.

The Regio Deal's money ran until the end of 2024 (the final report; the sources in budgets.py
end then). The demo's other cases lie in the last twelve months, so without this the period's
sources would show no use at all. A handful of vouchers granted in 2023-2024 under the
period's policy (stedendriehoek-2020) on its sources: redeemed and paid in that period's
payment runs, one invoiced for less than granted, given back, a no-show, expired. The dates
are fixed: history does not move with the day the demo is loaded.
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction

from scholingsfonds.accounts.models import User
from scholingsfonds.budget.models import FundingSource
from scholingsfonds.budget.services import source_create
from scholingsfonds.core.domain.terms import next_working_day_on_or_after
from scholingsfonds.demo.budgets import REGIO_DEAL_PERIOD
from scholingsfonds.demo.dating import dated
from scholingsfonds.demo.domain.dates import office_day
from scholingsfonds.demo.fakes import demo_iban
from scholingsfonds.demo.personas import provider_login
from scholingsfonds.demo.timeline import (
    END,
    Timeline,
    expire_due,
    plan_payment_runs,
    plan_redemption,
)
from scholingsfonds.demo.voucher_case import voucher_case
from scholingsfonds.funds.models import Fund
from scholingsfonds.payments.models import FundBankAccount
from scholingsfonds.payments.services import source_close_approve, source_close_propose
from scholingsfonds.providers.models import Provider
from scholingsfonds.vouchers.models import Voucher
from scholingsfonds.vouchers.services import voucher_cancel, voucher_report_no_show

# The provider of the Regio Deal vouchers (Apeldoorn, in the region), and its demo login.
HISTORY_PROVIDER = "Aventus"
HISTORY_PROVIDER_LOGIN = ("aventus", "Jeroen", "Brink")


@dataclass(frozen=True)
class PastCase:
    applied_on: date
    # paid | paid_lower | given_back | no_show | expired
    outcome: str
    title: str
    level: str
    sector: str
    isco: str
    cost_euros: int


# Titles outside the demo catalogue (providers.CATALOGUE): the catalogue's courses entered it
# later, and a voucher is never linked to a course younger than itself.
REGIO_DEAL_CASES = (
    PastCase(
        date(2023, 2, 13), "paid", "Procestechniek (bbl, mbo 3)", "mbo3", "technical", "3115", 2400
    ),
    PastCase(
        date(2023, 4, 17),
        "expired",
        "Medewerker thuiszorg (mbo 2)",
        "mbo2",
        "care & welfare",
        "5322",
        1900,
    ),
    PastCase(
        date(2023, 6, 12),
        "paid_lower",
        "Installatiemonteur (mbo 2)",
        "mbo2",
        "technical",
        "7126",
        2300,
    ),
    PastCase(
        date(2023, 9, 18),
        "given_back",
        "Sociaal werk (mbo 4)",
        "mbo4",
        "care & welfare",
        "3412",
        2500,
    ),
    PastCase(date(2023, 11, 13), "expired", "CNC-verspanen", "mbo2", "technical", "7223", 2100),
    PastCase(
        date(2024, 2, 12), "paid", "Elektromonteur (mbo 3)", "mbo3", "technical", "7411", 2500
    ),
    PastCase(
        date(2024, 4, 15),
        "no_show",
        "Vrachtwagenchauffeur C",
        "mbo2",
        "transport & logistics",
        "8332",
        2200,
    ),
    PastCase(
        date(2024, 6, 10),
        "paid",
        "Verzorgende IG (bbl, verkort)",
        "mbo3",
        "care & welfare",
        "5321",
        2000,
    ),
)


def regio_deal_history(
    *,
    rng: random.Random,
    users: dict[str, User],
    providers: list[Provider],
    fund: Fund,
    today: date,
    cases: tuple[PastCase, ...] = REGIO_DEAL_CASES,
) -> dict[str, int]:
    """Grant `cases` in the Regio Deal period and take each to its outcome; returns counts.

    Runs before the other providers' redemption: a payment run pays every approved invoice
    of the fund, so the period's runs must not find today's invoices.
    """
    provider = next((p for p in providers if p.name == HISTORY_PROVIDER), None)
    cases = tuple(c for c in cases if c.applied_on < today)
    if provider is None or not cases:
        return {}
    first_day = min(c.applied_on for c in cases)
    with transaction.atomic(), dated(first_day, hour=8):
        # A payment run needs the fund's account and the provider's (the providers' demo
        # fills in the rest of the registry later).
        FundBankAccount.objects.get_or_create(
            fund=fund,
            defaults={
                "name": f"Gemeente inzake {fund.short_name}"[:70],
                "iban": demo_iban(rng, len(fund.slug)).compact,
            },
        )
        if not provider.iban:
            iban = demo_iban(rng, 2)
            provider.iban, provider.bic = iban.compact, str(iban.bic or "")
            provider.account_holder = provider.name
            provider.save()
        staff = User.objects.filter(username=HISTORY_PROVIDER_LOGIN[0]).first() or (
            provider_login(provider, *HISTORY_PROVIDER_LOGIN)
        )
    timeline = Timeline()
    counts: dict[str, int] = {}
    for n, case in enumerate(cases):
        voucher = voucher_case(
            fund=fund,
            users=users,
            provider=provider,
            title=case.title,
            level=case.level,
            sector=case.sector,
            isco=case.isco,
            cost_cents=case.cost_euros * 100,
            day=case.applied_on,
            key=f"regiodeal-{n}",
            rng=rng,
            today=today,
            # The individual route of the Regio Deal period asks no co-financing.
            applicant_share_percent=0,
        )
        if voucher is None:
            continue
        counts[case.outcome] = counts.get(case.outcome, 0) + 1
        _plan(timeline, case, voucher, staff, users, n, today)
    plan_payment_runs(
        timeline,
        funds=[fund],
        users=users,
        first=first_day,
        last=min(today, REGIO_DEAL_PERIOD[1]),
        today=today,
    )
    timeline.run()
    counts["expired"] = expire_due(today)
    return counts


def _plan(
    timeline: Timeline,
    case: PastCase,
    voucher: Voucher,
    staff: User,
    users: dict[str, User],
    n: int,
    today: date,
) -> None:
    """One voucher's outcome on the timeline ("expired" needs nothing: expire_due)."""
    started = next_working_day_on_or_after(voucher.issued_on + timedelta(days=21))
    if case.outcome == "given_back":
        given_back = office_day(voucher.issued_on + timedelta(days=30), today)

        def give_back() -> None:
            with dated(given_back, hour=15):
                voucher_cancel(
                    voucher=voucher,
                    actor=voucher.application.applicant,
                    reason="Ik heb ander werk gevonden en volg de opleiding niet.",
                )

        timeline.add(given_back, END, give_back)
    elif case.outcome == "no_show":
        plan_redemption(
            timeline,
            voucher=voucher,
            actor=staff,
            started=started,
            completed=None,
            attendance_percent=0,
            certificate=False,
            invoice_share_percent=None,
            invoice_number="",
            approve=False,
            finance=users["financien"],
            today=today,
        )
        dropped = office_day(started + timedelta(days=18), today)

        def no_show() -> None:
            with dated(dropped, hour=16):
                voucher_report_no_show(
                    voucher=voucher,
                    actor=staff,
                    reason="Deelnemer is na drie weken gestopt.",
                    attendance_percent=20,
                )

        timeline.add(dropped, END, no_show)
    elif case.outcome in ("paid", "paid_lower"):
        plan_redemption(
            timeline,
            voucher=voucher,
            actor=staff,
            started=started,
            completed=started + timedelta(days=90),
            attendance_percent=92,
            certificate=True,
            invoice_share_percent=100 if case.outcome == "paid" else 80,
            invoice_number=f"AV-{started:%Y}-{700 + n}",
            approve=True,
            finance=users["financien"],
            today=today,
        )


# The Regio Deal period closes some six weeks after its end, once the last invoices are in.
CLOSE_AFTER_DAYS = 45
GELDERLAND = "Provincie Gelderland"
GELDERLAND_CONSENT = "Brief Provincie Gelderland, kenmerk 2025-0142 (demo)"


def close_regio_deal_period(*, users: dict[str, User], fund: Fund, today: date) -> int:
    """Close the Stedendriehoek sources of the Regio Deal period, as its final report did.

    The Regio Deal's and Overijssel's money that was not spent goes back to them; Gelderland
    agreed in writing (a demo letter) to carry its rest over to the next period's voucher
    source. Finance proposes, a colleague approves. Returns the number of closed sources.
    """
    _start, end = REGIO_DEAL_PERIOD
    close_day = office_day(end + timedelta(days=CLOSE_AFTER_DAYS), today)
    if close_day <= end:
        return 0
    gelderland = FundingSource.objects.filter(
        fund=fund, period_end=end, funder=GELDERLAND, category="vouchers"
    ).first()
    next_source = None
    if gelderland is not None:
        # Gelderland's own source for the years after the Regio Deal, which its rest goes on
        # in (a carry-over never changes funder); pledged nothing new of its own (demo).
        with transaction.atomic(), dated(close_day, hour=10):
            next_source = source_create(
                fund=fund,
                name=f"{GELDERLAND} – scholingscheques vervolg (overheveling, demo)",
                funder=GELDERLAND,
                category="vouchers",
                pledged_cents=0,
                period_start=end + timedelta(days=1),
                period_end=date(today.year + 1, 12, 31),
                order=gelderland.order,
                note="Alleen het overgehevelde restant van de Regio Deal-periode (demo).",
            )
    closed = 0
    for source in FundingSource.objects.filter(fund=fund, period_end=end).order_by("order"):
        carry = next_source is not None and source == gelderland
        with transaction.atomic(), dated(close_day, hour=11):
            closure = source_close_propose(
                source=source,
                actor=users["financien"],
                decision="carry_over" if carry else "return",
                carry_to=next_source if carry else None,
                consent_reference=GELDERLAND_CONSENT if carry else "",
                note="Afsluiting Regio Deal-periode (eindrapportage).",
                today=close_day,
            )
            source_close_approve(closure=closure, actor=users["financien2"], today=close_day)
        closed += 1
    return closed

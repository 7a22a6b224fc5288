"""Demo data of the providers issue, built through the real services.

Called from seed.py after the cases: bank accounts and contacts for the providers, a
catalogue with price history, vouchers of ROC van Twente started, completed, invoiced and paid
in fortnightly payment runs (timeline.py), each made by one finance officer and approved by
another, a credit note that became a recovery, and one provider that misbehaves
(misbehaving.py), which the signals page flags. Every step happens on its own day
(dating.py), in date order (Timeline).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone

from scholingsfonds.accounts.models import Role, User
from scholingsfonds.core.domain.terms import next_working_day_on_or_after
from scholingsfonds.demo.dating import dated
from scholingsfonds.demo.domain.dates import office_day
from scholingsfonds.demo.fakes import demo_iban, demo_pdf
from scholingsfonds.demo.misbehaving import misbehaving_provider
from scholingsfonds.demo.personas import PASSWORD
from scholingsfonds.demo.timeline import Timeline, expire_due, plan_payment_runs, plan_redemption
from scholingsfonds.funds.models import Fund, Occupation
from scholingsfonds.payments.models import FundBankAccount
from scholingsfonds.payments.services import market_action_record
from scholingsfonds.providers.models import Course, Provider, ProviderContact
from scholingsfonds.providers.services import course_create, course_price_set
from scholingsfonds.vouchers.models import Invoice, Voucher
from scholingsfonds.vouchers.services import credit_note_submit, invoice_approve

# (title, level, hours, sector, price in euros, ISCO) for every recognised demo provider; the
# titles are the trainings the demo's advisors record, so vouchers find their course.
CATALOGUE = [
    ("Monteur warmtepompen (mbo 3)", "mbo3", 320, "technical", 3900, "7127"),
    ("Elektrotechniek niveau 4", "mbo4", 800, "technical", 5200, "7411"),
    ("Verzorgende IG (bbl)", "mbo3", 900, "care & welfare", 3400, "5321"),
    ("Associate degree Verpleegkunde", "hbo", 1600, "care & welfare", 5800, "2221"),
    ("Full-stack developer bootcamp", "other", 480, "ICT", 4500, "2512"),
    ("Netwerkbeheer (CCNA)", "other", 120, "ICT", 2400, "3513"),
    ("Heftruck en magazijn", "mbo2", 40, "transport & logistics", 950, ""),
    ("Pedagogisch medewerker kinderopvang", "mbo3", 700, "care & welfare", 3600, "5311"),
    ("Lassen MIG/MAG", "mbo2", 160, "technical", 2800, "7212"),
    ("Zelfstandig werkend kok", "mbo3", 600, "hospitality", 3100, ""),
]


def _registry(rng: random.Random, providers: list[Provider]) -> None:
    """Bank account, KvK, recognition reference and contacts for every demo provider."""
    for n, provider in enumerate(providers):
        iban = demo_iban(rng, n)
        provider.iban = iban.compact
        provider.bic = str(iban.bic or "")
        provider.account_holder = provider.name
        provider.street = f"Stationsplein {n + 1}"
        provider.phone = f"0{rng.randint(100000000, 999999999)}"
        if provider.kind in ("nrto", "cedeo", "sector", "nlqf"):
            provider.recognition_reference = (
                f"{provider.kind.upper()}-{2019 + n}-{rng.randint(100, 999)}"
            )
        if provider.kind == "crkbo":
            provider.crkbo_registered = True
        provider.save()
        domain = provider.email.split("@")[-1] if provider.email else "opleider.example"
        ProviderContact.objects.create(
            provider=provider, name="Administratie", role="finance", email=f"facturen@{domain}"
        )
        ProviderContact.objects.create(
            provider=provider, name="Cursusbureau", role="participants", email=f"cursisten@{domain}"
        )


def _catalogue(rng: random.Random, providers: list[Provider], today: date) -> None:
    occupations = {o.isco08: o for o in Occupation.objects.all()}
    for provider in providers:
        if provider.kind == "crkbo":
            continue
        for title, level, hours, sector, euros, isco in CATALOGUE:
            start = today - timedelta(days=rng.randint(500, 900))
            with dated(start, hour=9):
                course = course_create(
                    provider=provider,
                    actor=None,
                    title=title,
                    level=level,
                    hours=hours,
                    sector=sector,
                    price_cents=euros * 100,
                    occupations=[occupations[isco]] if isco in occupations else [],
                    today=start,
                )
            # One ordinary yearly indexation (about 3 %), entered a month ahead.
            indexed = start + timedelta(days=365)
            with dated(indexed - timedelta(days=30), hour=9):
                course_price_set(
                    course=course,
                    actor=None,
                    price_cents=euros * 103,
                    valid_from=indexed,
                )


def _link_vouchers() -> None:
    """Vouchers granted before the catalogue existed: link them to the course they name.

    The demo's cases are loaded first (seed.py), so their vouchers were issued when no course
    existed; a real fund has its catalogue first and voucher_issue links the course itself.
    """
    for voucher in Voucher.objects.filter(
        course__isnull=True, provider__isnull=False
    ).select_related("application"):
        # Never a course that entered the catalogue after the voucher was issued.
        course = Course.objects.filter(
            provider_id=voucher.provider_id,
            title__iexact=voucher.application.training_title,
            created_on__lte=voucher.issued_on,
        ).first()
        if course is not None:
            Voucher.objects.filter(pk=voucher.pk).update(course=course)


@dataclass(frozen=True)
class _RocVoucher:
    voucher: Voucher
    n: int
    started: date
    completed: date | None
    attendance: int
    certificate: bool
    share: int | None


def _redeem_roc(rng: random.Random, users: dict[str, User], roc: Provider, today: date) -> None:
    """ROC van Twente's vouchers in every stage, paid in fortnightly payment runs."""
    ilse = users["opleider"]
    vouchers = list(
        Voucher.objects.filter(provider=roc, state=Voucher.State.ISSUED, valid_until__gte=today)
        .select_related("application", "fund")
        .order_by("issued_on", "id")
    )
    # Keep the newest vouchers issued, so the portal shows work to do.
    ready = vouchers[: max(0, len(vouchers) - 3)]
    plans: list[_RocVoucher] = []
    for n, voucher in enumerate(ready):
        started = next_working_day_on_or_after(
            max(
                voucher.issued_on + timedelta(days=14),
                timezone.localdate(voucher.application.submitted_at),
            )
        )
        if started > today:
            continue
        attendance, certificate = rng.choice([82, 88, 95, 100]), rng.random() < 0.7
        plans.append(
            _RocVoucher(
                voucher=voucher,
                n=n,
                started=started,
                # Every third is still in training.
                completed=min(today, started + timedelta(days=60)) if n % 3 != 2 else None,
                attendance=attendance,
                certificate=certificate,
                # Completed, not yet invoiced (every fifth); sometimes the final invoice is
                # lower than the voucher.
                share=None if n % 5 == 4 else (100 if n % 4 else 90),
            )
        )
    # Finance approved most invoices; the two newest wait in the queue.
    invoiced = sorted(
        (p for p in plans if p.completed is not None and p.share is not None),
        key=lambda p: (p.completed or today, p.voucher.pk),
    )
    waiting = {p.voucher.pk for p in invoiced[-2:]}
    timeline = Timeline()
    for plan in plans:
        plan_redemption(
            timeline,
            voucher=plan.voucher,
            actor=ilse,
            started=plan.started,
            completed=plan.completed,
            attendance_percent=plan.attendance,
            certificate=plan.certificate,
            invoice_share_percent=plan.share,
            invoice_number=f"ROC-{plan.started:%Y}-{100 + plan.n}",
            approve=plan.voucher.pk not in waiting,
            finance=users["financien"],
            today=today,
        )
    if plans:
        plan_payment_runs(
            timeline,
            funds=sorted({p.voucher.fund for p in plans}, key=lambda f: f.pk),
            users=users,
            first=min(p.started for p in plans),
            last=today,
            today=today,
        )
    timeline.run()
    # A credit note on a paid invoice: the provider owes money back (terugvordering).
    paid = (
        Invoice.objects.filter(
            provider=roc,
            kind=Invoice.Kind.INVOICE,
            status=Invoice.Status.PAID,
            amount_cents__gt=20_000,
        )
        .order_by("paid_at", "id")
        .first()
    )
    if paid is not None and paid.paid_at is not None:
        credited = office_day(timezone.localdate(paid.paid_at) + timedelta(days=12), today)
        with dated(credited, hour=10):
            note = credit_note_submit(
                invoice=paid,
                actor=ilse,
                number=f"ROC-C-{credited:%Y}-1",
                invoice_date=credited,
                amount_cents=15_000,
                upload=demo_pdf("roc-credit.pdf"),
                reason="Examengeld niet gebruikt.",
            )
        with dated(office_day(credited + timedelta(days=2), today), hour=11):
            invoice_approve(invoice=note, actor=users["financien"])


def load_provider_demo(
    *, rng: random.Random, users: dict[str, User], providers: list[Provider], today: date
) -> dict[str, Any]:
    """Load the providers issue's demo data; returns what it made, for the console."""
    funds = {fund.slug: fund for fund in Fund.objects.all()}
    with transaction.atomic():
        with dated(today, hour=8):
            # The second finance officer of the four-eyes payment run (reused if the
            # personas already have her).
            finance2 = User.objects.filter(
                username="financien2"
            ).first() or User.objects.create_user(
                username="financien2",
                email="femke.dijkstra@gemeente.example",
                password=PASSWORD,
                first_name="Femke",
                last_name="Dijkstra",
                role=Role.FINANCE,
            )
            for slug in ("twente", "stedendriehoek"):
                if slug in funds:
                    funds[slug].staff.add(finance2)
            for fund in funds.values():
                # The Regio Deal history (history.py) may have made one already.
                iban = demo_iban(rng, len(fund.slug)).compact
                FundBankAccount.objects.get_or_create(
                    fund=fund,
                    defaults={"name": f"Gemeente inzake {fund.short_name}"[:70], "iban": iban},
                )
            _registry(rng, providers)
        users = {**users, "financien2": finance2}
        _catalogue(rng, providers, today)
        _link_vouchers()
    twente = funds["twente"]
    bad = misbehaving_provider(rng, users, twente, today)
    _redeem_roc(rng, users, providers[0], today)
    # Vouchers past their validity expire and release their money (the daily task).
    expired = expire_due(today)
    with dated(today, hour=9):
        market_action_record(
            fund=twente,
            provider=bad,
            actor=users["manager"],
            kind="ask_explanation",
            text="Wij zien veel nieuwe korte opleidingen en een sterke stijging van de prijs van "
            "de praktijkopleiding. Wilt u dat toelichten?",
            signal_code="new_short_courses",
        )
    return {"misbehaving": bad.name, "expired": expired, "finance2": finance2.username}

"""Demo data of the providers issue, built through the real services.

Called from demo/seed.py after the cases: bank accounts and contacts for the providers, a
catalogue with price history, vouchers of ROC van Twente started, completed, invoiced and paid
in a payment run made by one finance officer and approved by another, a credit note that
became a recovery, and one provider that misbehaves (new short courses, a price drifting to
the ceiling, a burst of applications, no-shows), which the signals page flags.
"""

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from schwifty import IBAN

from scholingsfonds.accounts.models import Role, User
from scholingsfonds.advising.services import (
    conversation_invite,
    conversation_record,
    labour_market_test_record,
)
from scholingsfonds.applications.services import (
    application_mark_complete,
    application_record_training,
    application_submit,
)
from scholingsfonds.core.domain.errors import DomainError
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services import decision_approve, decision_grant
from scholingsfonds.funds.models import Fund, Occupation
from scholingsfonds.payments.models import FundBankAccount
from scholingsfonds.payments.services import (
    market_action_record,
    payment_batch_approve,
    payment_batch_create,
    payment_batch_mark_paid,
)
from scholingsfonds.providers.models import Course, Provider, ProviderContact
from scholingsfonds.providers.services import course_create, course_price_set
from scholingsfonds.vouchers.models import Invoice, Voucher
from scholingsfonds.vouchers.services import (
    credit_note_submit,
    invoice_approve,
    invoice_submit,
    voucher_confirm_start,
    voucher_report_completion,
    voucher_report_no_show,
    vouchers_expire,
)

DEMO_PASSWORD = "demo"  # noqa: S105 - the demo's published password, never in production
MISBEHAVING = "Vakdiploma Direct BV"

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
# The misbehaving provider's new short custom courses (hours at most 16).
SHORT_COURSES = [
    ("Zorgcommunicatie in één dag", 6, "care & welfare", 1450),
    ("Leidinggeven compact", 8, "other", 1750),
    ("Digitale vaardigheden basis", 10, "ICT", 1290),
    ("Social media voor de zorg", 6, "care & welfare", 1350),
    ("Veilig werken light", 8, "technical", 1190),
    ("Excel voor professionals", 12, "ICT", 1490),
]
# Its flagship course: the price crept up to just under Twente's ceiling (EUR 5,000).
DRIFTING = ("Praktijkopleiding installatietechniek", "mbo3", 60, "technical", "7127")
DRIFT_PRICES = [(400, 210_000), (200, 340_000), (45, 475_000)]

BANKS = ["ABNA", "INGB", "RABO", "SNSB", "TRIO", "ASNB", "KNAB"]


def _iban(rng: random.Random, n: int) -> IBAN:
    return IBAN.generate(
        "NL", bank_code=BANKS[n % len(BANKS)], account_code=f"{rng.randrange(10**9):010d}"
    )


def _at(day: date, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _pdf(name: str) -> Any:
    from django.core.files.uploadedfile import SimpleUploadedFile

    body = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, body, content_type="application/pdf")


def _registry(rng: random.Random, providers: list[Provider]) -> None:
    """Bank account, KvK, recognition reference and contacts for every demo provider."""
    for n, provider in enumerate(providers):
        iban = _iban(rng, n)
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
            # One ordinary yearly indexation (about 3 %).
            course_price_set(
                course=course,
                actor=None,
                price_cents=euros * 103,
                valid_from=start + timedelta(days=365),
            )


def _link_vouchers() -> None:
    """Vouchers granted before the catalogue existed: link them to the course they name.

    The demo's cases are loaded first (seed.py), so their vouchers were issued when no course
    existed; a real fund has its catalogue first and voucher_issue links the course itself.
    """
    for voucher in Voucher.objects.filter(
        course__isnull=True, provider__isnull=False
    ).select_related("application"):
        course = Course.objects.filter(
            provider_id=voucher.provider_id, title__iexact=voucher.application.training_title
        ).first()
        if course is not None:
            Voucher.objects.filter(pk=voucher.pk).update(course=course)


def _case(
    *,
    fund: Fund,
    users: dict[str, User],
    provider: Provider,
    title: str,
    level: str,
    sector: str,
    isco: str,
    cost_cents: int,
    day: date,
    key: str,
    rng: random.Random,
) -> Voucher | None:
    """One person from the short form to a granted voucher, on `day`."""
    from scholingsfonds.demo.seed import FIRST_NAMES, LAST_NAMES, POSTCODES

    version = fund.policy_on(day)
    if version is None:
        return None
    municipality = rng.choice(list(version.municipalities()))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    advisor = users["adviseur.twente"]
    with transaction.atomic():
        application = application_submit(
            fund=fund,
            data={
                "first_name": first,
                "last_name": last,
                "email": f"{first}.{last}.{key}".lower().replace(" ", "") + "@voorbeeld.nl",
                "phone": "",
                "birth_date": date(rng.randint(1965, 2003), rng.randint(1, 12), 15),
                "postcode": f"{POSTCODES.get(municipality.cbs_code, '7500')} AB",
                "municipality": municipality,
                "work_status": rng.choice(["employee", "job_seeker", "zzp"]),
                "education_level": rng.choice(["mbo12", "mbo34", "havo_vwo"]),
                "career_route": rng.choice(["same_job", "other_sector", "to_work"]),
                "question": f"Ik zag een advertentie van {provider.name}.",
                "heard_via": "provider",
            },
            submission_key=f"demo-provider-{key}",
            today=day,
        )
        conversation = conversation_invite(
            application=application,
            actor=advisor,
            scheduled_at=_at(day + timedelta(days=1), 10),
            location="phone",
        )
        conversation_record(
            conversation=conversation,
            actor=advisor,
            identity_checked=True,
            notes="Opleiding en financiering besproken.",
            outcome="voucher",
            held_at=_at(day + timedelta(days=1), 11),
        )
        application_record_training(
            application=application,
            actor=advisor,
            training_title=title,
            training_level=level,
            training_sector=sector,
            provider=provider,
            cost_cents=cost_cents,
            cofinancing=[{"payer": "applicant", "amount_cents": cost_cents // 2}],
            bsn="",
            today=day + timedelta(days=1),
        )
        occupation = Occupation.objects.filter(isco08=isco).first() or Occupation.objects.first()
        labour_market_test_record(
            application=application,
            actor=advisor,
            occupation=occupation,
            motivation="Vraag naar vakmensen in de regio volgens de opleider.",
            today=day + timedelta(days=1),
        )
        application_mark_complete(
            application=application, actor=advisor, today=day + timedelta(days=1)
        )
    try:
        with transaction.atomic():
            decision = decision_grant(
                application=application, actor=users["beoordelaar1"], today=day + timedelta(days=2)
            )
            if decision.status == Decision.Status.PROPOSED:
                decision_approve(
                    decision=decision, actor=users["beoordelaar2"], today=day + timedelta(days=2)
                )
    except DomainError:
        return None  # the ceiling or the course cap: the case stays complete
    application.refresh_from_db()
    return getattr(application, "voucher", None)


def _misbehaving(rng: random.Random, users: dict[str, User], fund: Fund, today: date) -> Provider:
    """A recognised provider that bends the market: the signals page must flag it."""
    provider = Provider.objects.create(
        name=MISBEHAVING,
        kind="nrto",
        kvk_number="69123456",
        recognition_reference="NRTO-2024-417",
        city="Almelo",
        email="info@vakdiploma-direct.example",
        website="https://vakdiploma-direct.example",
    )
    iban = _iban(rng, 3)
    provider.iban, provider.bic, provider.account_holder = (
        iban.compact,
        str(iban.bic or ""),
        MISBEHAVING,
    )
    provider.save()
    ProviderContact.objects.create(
        provider=provider, name="M. Snel", role="general", email="m.snel@vakdiploma-direct.example"
    )
    title, level, hours, sector, isco = DRIFTING
    first_day, first_price = today - timedelta(days=DRIFT_PRICES[0][0]), DRIFT_PRICES[0][1]
    flagship = course_create(
        provider=provider,
        actor=None,
        title=title,
        level=level,
        hours=hours,
        sector=sector,
        price_cents=first_price,
        today=first_day,
    )
    for days_ago, cents in DRIFT_PRICES[1:]:
        course_price_set(
            course=flagship,
            actor=None,
            price_cents=cents,
            valid_from=today - timedelta(days=days_ago),
        )
    for n, (short_title, short_hours, short_sector, euros) in enumerate(SHORT_COURSES):
        course_create(
            provider=provider,
            actor=None,
            title=short_title,
            level="other",
            hours=short_hours,
            sector=short_sector,
            price_cents=euros * 100,
            today=today - timedelta(days=8 + n * 9),
        )
    # Earlier vouchers, a third of which ended in a no-show after the start.
    earlier = []
    for n in range(9):
        day = today - timedelta(days=rng.randint(70, 200))
        price = flagship.price_on(day) or first_price
        voucher = _case(
            fund=fund,
            users=users,
            provider=provider,
            title=title,
            level=level,
            sector=sector,
            isco=isco,
            cost_cents=price,
            day=day,
            key=f"vd-{n}",
            rng=rng,
        )
        if voucher is not None:
            earlier.append(voucher)
    staff_user = _provider_user(provider, "vakdiploma", "Marco", "Snel")
    for n, voucher in enumerate(earlier):
        if n % 4 == 3:
            continue  # never started
        voucher_confirm_start(
            voucher=voucher,
            actor=staff_user,
            started_on=voucher.issued_on + timedelta(days=7),
            today=voucher.issued_on + timedelta(days=7),
        )
        if n % 3 == 0:
            voucher_report_no_show(
                voucher=voucher,
                actor=staff_user,
                reason="Deelnemer kwam na de eerste les niet meer.",
            )
    # The burst: many applications in the last ten days, for its short courses.
    shorts = list(Course.objects.filter(provider=provider, hours__lte=16))
    for n in range(12):
        course = shorts[n % len(shorts)]
        _case(
            fund=fund,
            users=users,
            provider=provider,
            title=course.title,
            level="other",
            sector=course.sector,
            isco="",
            cost_cents=course.price_on(today) or 120_000,
            day=today - timedelta(days=2 + n % 9),
            key=f"vd-burst-{n}",
            rng=rng,
        )
    return provider


def _provider_user(provider: Provider, username: str, first: str, last: str) -> User:
    user = User.objects.create_user(
        username=username,
        email=f"{username}@{provider.email.split('@')[-1]}",
        password=DEMO_PASSWORD,
        first_name=first,
        last_name=last,
        role=Role.PROVIDER,
    )
    provider.users.add(user)
    return user


def _redeem_roc(rng: random.Random, users: dict[str, User], roc: Provider, today: date) -> None:
    """ROC van Twente's vouchers in every stage, and one paid payment run (four eyes)."""
    ilse = users["opleider"]
    vouchers = list(
        Voucher.objects.filter(provider=roc, state=Voucher.State.ISSUED, valid_until__gte=today)
        .select_related("application", "fund")
        .order_by("issued_on", "id")
    )
    # Keep the newest vouchers issued, so the portal shows work to do.
    ready = vouchers[: max(0, len(vouchers) - 3)]
    invoiced: list[Invoice] = []
    for n, voucher in enumerate(ready):
        started = max(
            voucher.issued_on + timedelta(days=14), voucher.application.submitted_at.date()
        )
        if started > today:
            continue
        voucher_confirm_start(voucher=voucher, actor=ilse, started_on=started, today=started)
        if n % 3 == 2:
            continue  # still in training
        voucher_report_completion(
            voucher=voucher,
            actor=ilse,
            completed_on=min(today, started + timedelta(days=60)),
            attendance_percent=rng.choice([82, 88, 95, 100]),
            certificate=rng.random() < 0.7,
        )
        if n % 5 == 4:
            continue  # completed, not yet invoiced
        share = 1.0 if n % 4 else 0.9  # sometimes the final invoice is lower than the voucher
        invoiced.append(
            invoice_submit(
                voucher=voucher,
                actor=ilse,
                number=f"ROC-{today:%Y}-{100 + n}",
                invoice_date=today - timedelta(days=5),
                amount_cents=int(voucher.amount_cents * share),
                upload=_pdf(f"roc-{100 + n}.pdf"),
            )
        )
    finance, finance2 = users["financien"], users["financien2"]
    # Finance approved most invoices; the newest wait in the queue.
    for invoice in invoiced[:-2]:
        invoice_approve(invoice=invoice, actor=finance)
    for fund in {invoice.voucher.fund for invoice in invoiced[:-2]}:
        batch = payment_batch_create(fund=fund, actor=finance, execution_date=today)
        batch = payment_batch_approve(batch=batch, actor=finance2)
        payment_batch_mark_paid(batch=batch, actor=finance)
    # A credit note on a paid invoice: the provider owes money back (terugvordering).
    paid = [i for i in invoiced[:-2] if i.amount_cents > 20_000]
    if paid:
        invoice = Invoice.objects.get(pk=paid[0].pk)
        note = credit_note_submit(
            invoice=invoice,
            actor=ilse,
            number=f"ROC-C-{today:%Y}-1",
            invoice_date=today,
            amount_cents=15_000,
            upload=_pdf("roc-credit.pdf"),
            reason="Examengeld niet gebruikt.",
        )
        invoice_approve(invoice=note, actor=finance)


def load_provider_demo(
    *, rng: random.Random, users: dict[str, User], providers: list[Provider], today: date
) -> dict[str, Any]:
    """Load the providers issue's demo data; returns what it made, for the console."""
    funds = {fund.slug: fund for fund in Fund.objects.all()}
    with transaction.atomic():
        # The second finance officer of the four-eyes payment run (reused if seed.py's
        # personas already have her).
        finance2 = User.objects.filter(username="financien2").first() or User.objects.create_user(
            username="financien2",
            email="femke.dijkstra@gemeente.example",
            password=DEMO_PASSWORD,
            first_name="Femke",
            last_name="Dijkstra",
            role=Role.FINANCE,
        )
        for slug in ("twente", "stedendriehoek"):
            if slug in funds:
                funds[slug].staff.add(finance2)
        users = {**users, "financien2": finance2}
        for fund in funds.values():
            FundBankAccount.objects.create(
                fund=fund,
                name=f"Gemeente inzake {fund.short_name}"[:70],
                iban=_iban(rng, len(fund.slug)).compact,
            )
        _registry(rng, providers)
        _catalogue(rng, providers, today)
        _link_vouchers()
    twente = funds["twente"]
    bad = _misbehaving(rng, users, twente, today)
    _redeem_roc(rng, users, providers[0], today)
    # Vouchers past their validity expire and release their money (the daily task).
    expired = vouchers_expire(today=today)
    market_action_record(
        fund=twente,
        provider=bad,
        actor=users["manager"],
        kind="ask_explanation",
        text="Wij zien veel nieuwe korte opleidingen en een sterke stijging van de prijs van de "
        "praktijkopleiding. Wilt u dat toelichten?",
        signal_code="new_short_courses",
    )
    return {"misbehaving": bad.name, "expired": expired, "finance2": finance2.username}

"""Demo data of the providers issue, built through the real services.

Called from demo/seed.py after the cases: bank accounts and contacts for the providers, a
catalogue with price history, vouchers of ROC van Twente started, completed, invoiced and paid
in fortnightly payment runs, each made by one finance officer and approved by another, a
credit note that became a recovery, and one provider that misbehaves (new short courses, a
price drifting to the ceiling, a burst of applications, no-shows), which the signals page
flags. Every step happens on its own day (dating.py), in date order (Timeline).
"""

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
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
from scholingsfonds.core.domain.terms import next_working_day_on_or_after
from scholingsfonds.decisions.models import Decision
from scholingsfonds.decisions.services import decision_approve, decision_grant
from scholingsfonds.demo.dating import SUBMITTED_HOUR, at, dated
from scholingsfonds.demo.domain.dates import office_day, payment_run_days
from scholingsfonds.funds.models import Fund, Occupation
from scholingsfonds.payments.models import FundBankAccount, PaymentBatch, PaymentLine
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
    today: date | None = None,
    applicant_share_percent: int = 50,
) -> Voucher | None:
    """One person from the short form to a granted voucher: applied on `day`, the
    conversation the next working day, the grant the working day after. A step that would
    fall after today has not happened yet: the case stops there (None).
    """
    from scholingsfonds.demo.seed import FIRST_NAMES, LAST_NAMES, POSTCODES

    today = today or max(day, timezone.localdate())
    version = fund.policy_on(day)
    if version is None:
        return None
    municipality = rng.choice(list(version.municipalities()))
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    advisor = users["adviseur.twente" if fund.slug == "twente" else "adviseur.sd"]
    talked = next_working_day_on_or_after(day + timedelta(days=1))
    decided = next_working_day_on_or_after(talked + timedelta(days=1))
    cofinancing = (
        [{"payer": "applicant", "amount_cents": cost_cents * applicant_share_percent // 100}]
        if applicant_share_percent
        else []
    )
    with transaction.atomic():
        with dated(day, hour=SUBMITTED_HOUR):
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
        if talked > today:
            return None
        with dated(talked, hour=10):
            conversation = conversation_invite(
                application=application,
                actor=advisor,
                scheduled_at=at(talked, 10),
                location="phone",
            )
            conversation_record(
                conversation=conversation,
                actor=advisor,
                identity_checked=True,
                notes="Opleiding en financiering besproken.",
                outcome="voucher",
                held_at=at(talked, 11),
            )
            application_record_training(
                application=application,
                actor=advisor,
                training_title=title,
                training_level=level,
                training_sector=sector,
                provider=provider,
                cost_cents=cost_cents,
                cofinancing=cofinancing,
                bsn="",
                today=talked,
            )
            occupation = (
                Occupation.objects.filter(isco08=isco).first() or Occupation.objects.first()
            )
            labour_market_test_record(
                application=application,
                actor=advisor,
                occupation=occupation,
                motivation="Vraag naar vakmensen in de regio volgens de opleider.",
                today=talked,
            )
            application_mark_complete(application=application, actor=advisor, today=talked)
    if decided > today:
        return None
    try:
        with transaction.atomic(), dated(decided, hour=14):
            decision = decision_grant(
                application=application, actor=users["beoordelaar1"], today=decided
            )
            if decision.status == Decision.Status.PROPOSED:
                decision_approve(decision=decision, actor=users["beoordelaar2"], today=decided)
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
    with dated(first_day, hour=9):
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
        staff_user = _provider_user(provider, "vakdiploma", "Marco", "Snel")
    for days_ago, cents in DRIFT_PRICES[1:]:
        with dated(today - timedelta(days=days_ago), hour=9):
            course_price_set(
                course=flagship,
                actor=None,
                price_cents=cents,
                valid_from=today - timedelta(days=days_ago),
            )
    for n, (short_title, short_hours, short_sector, euros) in enumerate(SHORT_COURSES):
        listed = today - timedelta(days=8 + n * 9)
        with dated(listed, hour=9):
            course_create(
                provider=provider,
                actor=None,
                title=short_title,
                level="other",
                hours=short_hours,
                sector=short_sector,
                price_cents=euros * 100,
                today=listed,
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
            today=today,
        )
        if voucher is not None:
            earlier.append(voucher)
    for n, voucher in enumerate(earlier):
        if n % 4 == 3:
            continue  # never started
        started = next_working_day_on_or_after(voucher.issued_on + timedelta(days=7))
        with dated(started, hour=9):
            voucher_confirm_start(
                voucher=voucher, actor=staff_user, started_on=started, today=started
            )
        if n % 3 == 0:
            with dated(office_day(started + timedelta(days=10), today), hour=16):
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
            today=today,
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


@dataclass
class Timeline:
    """Steps planned on their own days, run in date order.

    A payment run pays the invoices approved by its day, and a service that checks dates
    (a start before the voucher's end) sees the world of that day. Each step dates its own
    rows (dating.dated); steps on one day run in the order given.
    """

    steps: list[tuple[date, int, int, Callable[[], None]]] = field(default_factory=list)

    def add(self, day: date, order: int, step: Callable[[], None]) -> None:
        self.steps.append((day, order, len(self.steps), step))

    def run(self) -> None:
        for _day, _order, _n, step in sorted(self.steps, key=lambda s: s[:3]):
            step()
        self.steps.clear()


# Step order within one day: the provider's reports first, finance's work after.
START, COMPLETE, INVOICE, APPROVE, PAY, END = range(6)


def _run_on(batch: PaymentBatch, day: date) -> PaymentBatch:
    """Give a new payment run the day it was made on, before its SEPA file is written.

    The service makes a run for today or later (it refuses a past execution date); a run of
    the demo's past gets that day's execution date, and the number and end-to-end ids of
    that year's sequence, as the service would have given them then.
    """
    prefix = f"BR-{batch.fund.reference_prefix}-{day:%Y}-"
    if batch.number.startswith(prefix) and batch.execution_date == day:
        return batch
    count = PaymentBatch.objects.filter(number__startswith=prefix).exclude(pk=batch.pk).count()
    number = f"{prefix}{count + 1:04d}"
    for line in PaymentLine.objects.filter(batch=batch):
        PaymentLine.objects.filter(pk=line.pk).update(
            end_to_end_id=line.end_to_end_id.replace(batch.number, number, 1)[:35]
        )
    PaymentBatch.objects.filter(pk=batch.pk).update(number=number, execution_date=day)
    return PaymentBatch.objects.get(pk=batch.pk)


def payment_run(*, fund: Fund, day: date, maker: User, approver: User, today: date) -> bool:
    """One payment run on `day`: made by one finance officer in the morning, approved by a
    second (four eyes), executed and marked paid in the afternoon. False if nothing to pay."""
    with dated(day, hour=9):
        try:
            batch = payment_batch_create(fund=fund, actor=maker, execution_date=today)
        except DomainError as error:
            if error.code == "payment_batch.empty":
                return False
            raise
        batch = _run_on(batch, day)
    with dated(day, hour=11):
        batch = payment_batch_approve(batch=batch, actor=approver)
    with dated(day, hour=15):
        payment_batch_mark_paid(batch=batch, actor=maker)
    return True


def plan_payment_runs(
    timeline: Timeline,
    *,
    funds: list[Fund],
    users: dict[str, User],
    first: date,
    last: date,
    today: date,
) -> None:
    """Fortnightly payment runs per fund from `first` up to `last`, on the timeline."""
    for day in payment_run_days(first, last):
        for fund in funds:
            timeline.add(
                day,
                PAY,
                lambda fund=fund, day=day: _pay_if_due(fund, day, users, today),
            )


def _pay_if_due(fund: Fund, day: date, users: dict[str, User], today: date) -> None:
    due = Invoice.objects.filter(
        voucher__fund=fund, status=Invoice.Status.APPROVED, kind=Invoice.Kind.INVOICE
    )
    if due.exists():
        payment_run(
            fund=fund,
            day=day,
            maker=users["financien"],
            approver=users["financien2"],
            today=today,
        )


def plan_redemption(
    timeline: Timeline,
    *,
    voucher: Voucher,
    actor: User,
    started: date,
    completed: date | None,
    attendance_percent: int,
    certificate: bool,
    invoice_share_percent: int | None,
    invoice_number: str,
    approve: bool,
    finance: User,
    today: date,
) -> None:
    """One voucher's way through the provider's and finance's hands, step by step.

    `completed` None: still in training. `invoice_share_percent` None: not invoiced yet;
    below 100 the final invoice is lower than the voucher and the rest goes back when it is
    paid. `approve` False: the invoice waits in finance's queue.
    """

    def start() -> None:
        with dated(started, hour=9):
            voucher_confirm_start(voucher=voucher, actor=actor, started_on=started, today=started)

    timeline.add(started, START, start)
    if completed is None:
        return
    reported = office_day(completed + timedelta(days=1), today)

    def complete() -> None:
        with dated(reported, hour=10):
            voucher_report_completion(
                voucher=voucher,
                actor=actor,
                completed_on=completed,
                attendance_percent=attendance_percent,
                certificate=certificate,
            )

    timeline.add(reported, COMPLETE, complete)
    if invoice_share_percent is None:
        return
    invoiced = office_day(reported + timedelta(days=3), today)
    approved = office_day(invoiced + timedelta(days=4), today)
    held: dict[str, Invoice] = {}

    def invoice() -> None:
        with dated(invoiced, hour=11):
            held["invoice"] = invoice_submit(
                voucher=voucher,
                actor=actor,
                number=invoice_number,
                invoice_date=invoiced,
                amount_cents=voucher.amount_cents * invoice_share_percent // 100,
                upload=_pdf(f"{invoice_number.lower()}.pdf"),
            )

    timeline.add(invoiced, INVOICE, invoice)
    if not approve:
        return

    def approve_invoice() -> None:
        with dated(approved, hour=10):
            invoice_approve(invoice=held["invoice"], actor=finance)

    timeline.add(approved, APPROVE, approve_invoice)


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
                upload=_pdf("roc-credit.pdf"),
                reason="Examengeld niet gebruikt.",
            )
        with dated(office_day(credited + timedelta(days=2), today), hour=11):
            invoice_approve(invoice=note, actor=users["financien"])


def expire_due(today: date) -> int:
    """Expire every voucher past its validity on the day after its last valid day.

    The daily task (expire_vouchers) would have done so on that day; running it once for
    today would date every expiry, and its money's return, today.
    """
    ends = sorted(
        set(
            Voucher.objects.filter(state=Voucher.State.ISSUED, valid_until__lt=today).values_list(
                "valid_until", flat=True
            )
        )
    )
    expired = 0
    for last_valid in ends:
        day = last_valid + timedelta(days=1)
        with dated(day, hour=2):
            expired += vouchers_expire(today=day)
    return expired


def load_provider_demo(
    *, rng: random.Random, users: dict[str, User], providers: list[Provider], today: date
) -> dict[str, Any]:
    """Load the providers issue's demo data; returns what it made, for the console."""
    funds = {fund.slug: fund for fund in Fund.objects.all()}
    with transaction.atomic():
        with dated(today, hour=8):
            # The second finance officer of the four-eyes payment run (reused if seed.py's
            # personas already have her).
            finance2 = User.objects.filter(
                username="financien2"
            ).first() or User.objects.create_user(
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
            for fund in funds.values():
                # The Regio Deal history (history.py) may have made one already.
                iban = _iban(rng, len(fund.slug)).compact
                FundBankAccount.objects.get_or_create(
                    fund=fund,
                    defaults={"name": f"Gemeente inzake {fund.short_name}"[:70], "iban": iban},
                )
            _registry(rng, providers)
        users = {**users, "financien2": finance2}
        _catalogue(rng, providers, today)
        _link_vouchers()
    twente = funds["twente"]
    bad = _misbehaving(rng, users, twente, today)
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

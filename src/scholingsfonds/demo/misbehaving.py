"""A recognised provider that bends the market, for the signals page to flag: new short
courses, a price drifting up to the ceiling, a burst of applications, no-shows.
"""

import random
from datetime import date, timedelta

from scholingsfonds.accounts.models import User
from scholingsfonds.core.domain.terms import next_working_day_on_or_after
from scholingsfonds.demo.dating import dated
from scholingsfonds.demo.domain.dates import office_day
from scholingsfonds.demo.fakes import demo_iban
from scholingsfonds.demo.personas import provider_login
from scholingsfonds.demo.voucher_case import voucher_case
from scholingsfonds.funds.models import Fund
from scholingsfonds.providers.models import Course, Provider, ProviderContact
from scholingsfonds.providers.services import course_create, course_price_set
from scholingsfonds.vouchers.services import voucher_confirm_start, voucher_report_no_show

MISBEHAVING = "Vakdiploma Direct BV"

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


def misbehaving_provider(
    rng: random.Random, users: dict[str, User], fund: Fund, today: date
) -> Provider:
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
    iban = demo_iban(rng, 3)
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
        staff_user = provider_login(provider, "vakdiploma", "Marco", "Snel")
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
        voucher = voucher_case(
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
        voucher_case(
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

"""Market signals as pure functions: each flag with the numbers behind it."""

from datetime import date, timedelta

from scholingsfonds.funds.domain.policy import MarketSignalThresholds
from scholingsfonds.payments.domain.signals import (
    CourseFact,
    VoucherFact,
    application_bursts,
    concentration,
    evaluate,
    new_short_courses,
    no_shows,
    non_redemption,
    price_at,
    price_drift,
)

TODAY = date(2026, 11, 22)
T = MarketSignalThresholds()


def course(cid: int, provider: int, prices, hours: int = 40, age_days: int = 400) -> CourseFact:  # type: ignore[no-untyped-def]
    return CourseFact(
        course_id=cid,
        provider_id=provider,
        title=f"Cursus {cid}",
        hours=hours,
        created_on=TODAY - timedelta(days=age_days),
        prices=tuple(prices),
    )


def voucher(provider: int, state: str, amount: int = 100_000, days_ago: int = 30) -> VoucherFact:
    return VoucherFact(
        provider_id=provider,
        course_id=None,
        state=state,
        amount_cents=amount,
        released_cents=amount if state in ("expired", "cancelled") else 0,
        issued_on=TODAY - timedelta(days=days_ago),
    )


def test_price_at_takes_the_latest_price_from_before_the_day() -> None:
    prices = [(date(2026, 1, 1), 100), (date(2026, 6, 1), 200)]
    assert price_at(prices, date(2025, 12, 31)) is None
    assert price_at(prices, date(2026, 5, 31)) == 100
    assert price_at(prices, date(2026, 6, 1)) == 200


def test_a_price_that_rose_to_near_the_ceiling_is_flagged() -> None:
    drifting = course(
        1, 7, [(TODAY - timedelta(days=500), 300_000), (TODAY - timedelta(days=20), 480_000)]
    )
    steady_high = course(2, 7, [(TODAY - timedelta(days=500), 480_000)])
    rose_but_cheap = course(3, 7, [(TODAY - timedelta(days=500), 100_000), (TODAY, 200_000)])
    signals = {
        s.course_id: s
        for s in price_drift(
            [drifting, steady_high, rose_but_cheap], today=TODAY, ceiling_cents=500_000, t=T
        )
    }
    assert signals[1].flagged
    assert not signals[2].flagged  # always this price: no drift
    assert not signals[3].flagged  # doubled, but far from the ceiling
    values = {n.label_nl: n.value for n in signals[1].numbers}
    assert values["stijging"] == "60 %" and values["prijs / grensprijs"] == "96 %"
    assert values["prijs nu"] == "€ 4.800,00"


def test_concentration_flags_the_top_providers_and_a_dominant_one() -> None:
    vouchers = [
        voucher(1, "issued", 700_000),
        voucher(2, "redeemed", 100_000),
        voucher(3, "started", 100_000),
        voucher(4, "issued", 50_000),
        voucher(5, "expired", 900_000),
    ]  # expired money was released: not counted
    signals = concentration(vouchers, t=T)
    fund = signals[0]
    assert fund.code == "concentration" and fund.flagged
    assert {n.label_nl: n.value for n in fund.numbers}["aandeel top 3"] == "94 %"
    dominant = [s for s in signals if s.code == "provider_share" and s.flagged]
    assert [s.provider_id for s in dominant] == [1]


def test_with_no_more_providers_than_the_top_there_is_no_concentration_flag() -> None:
    signals = concentration([voucher(1, "issued"), voucher(2, "issued")], t=T)
    assert not signals[0].flagged


def test_non_redemption_needs_enough_vouchers_and_a_high_rate() -> None:
    many = [voucher(1, "expired") for _ in range(4)] + [voucher(1, "redeemed") for _ in range(4)]
    few = [voucher(2, "expired") for _ in range(3)]
    old = [voucher(3, "expired", days_ago=400) for _ in range(10)]
    signals = {s.provider_id: s for s in non_redemption(many + few + old, today=TODAY, t=T)}
    assert signals[1].flagged  # 50 % of 8
    assert not signals[2].flagged  # 100 %, but only 3 vouchers
    assert 3 not in signals  # outside the look-back window


def test_no_show_rate_counts_only_confirmed_starts() -> None:
    vouchers = (
        [voucher(1, "no_show")] * 2 + [voucher(1, "redeemed")] * 6 + [voucher(1, "issued")] * 20
    )
    signal = no_shows(vouchers, today=TODAY, t=T)[0]
    assert signal.flagged
    assert {n.label_nl: n.value for n in signal.numbers}["percentage"] == "25 %"
    calm = [voucher(2, "no_show")] + [voucher(2, "completed")] * 19
    assert not no_shows(calm, today=TODAY, t=T)[0].flagged


def test_a_burst_of_applications_against_the_usual_pace_is_flagged() -> None:
    usual = [(1, TODAY - timedelta(days=d)) for d in range(20, 351, 14)]  # one per fortnight
    steady = usual + [(1, TODAY - timedelta(days=3))]
    burst = [(2, TODAY - timedelta(days=d % 10)) for d in range(12)]
    signals = {s.provider_id: s for s in application_bursts(steady + burst, today=TODAY, t=T)}
    assert not signals[1].flagged
    assert signals[2].flagged
    assert {n.label_nl: n.value for n in signals[2].numbers}["laatste 14 dagen"] == "12"


def test_many_new_short_courses_from_one_provider_are_flagged() -> None:
    shorts = [course(i, 9, [(TODAY, 90_000)], hours=8, age_days=i) for i in range(1, 5)]
    long_new = [course(10, 8, [(TODAY, 90_000)], hours=200, age_days=5)] * 5
    old_short = [course(20 + i, 7, [(TODAY, 90_000)], hours=8, age_days=200) for i in range(6)]
    signals = {
        s.provider_id: s for s in new_short_courses(shorts + long_new + old_short, today=TODAY, t=T)
    }
    assert signals[9].flagged and not signals[8].flagged and not signals[7].flagged


def test_evaluate_puts_flags_first_and_respects_policy_thresholds() -> None:
    strict = MarketSignalThresholds(new_short_courses=1)
    signals = evaluate(
        courses=[course(1, 1, [(TODAY, 1000)], hours=4, age_days=1)],
        vouchers=[voucher(1, "issued")],
        applications=[],
        today=TODAY,
        ceiling_cents=500_000,
        t=strict,
    )
    assert signals[0].flagged and signals[0].code == "new_short_courses"
    assert not any(s.flagged for s in signals[1:])

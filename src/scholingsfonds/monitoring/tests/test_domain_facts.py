"""Month facts and the figures on rows: pure functions, no database."""

from datetime import date
from fractions import Fraction

import pytest

from scholingsfonds.monitoring.domain import facts as F
from scholingsfonds.monitoring.domain import figures
from scholingsfonds.monitoring.domain.periods import (
    EVERYTHING,
    parse_period,
    rollup_keys,
    series_grain,
)


def app(**overrides):
    data = {
        "id": 1,
        "fund_id": 7,
        "submitted_on": date(2025, 1, 30),
        "state": "granted",
        "route": "individual",
        "career_route": "to_work",
        "work_status": "job_seeker",
        "education": "mbo12",
        "birth_date": date(1990, 2, 1),
        "municipality": "GM0153",
        "decision_due_on": date(2025, 4, 1),
    }
    data.update(overrides)
    return F.ApplicationRow(**data)


def by_month(facts):
    return {fact.month: fact.measures for fact in facts}


def test_each_event_counts_in_the_month_it_happened():
    facts = F.derive_facts(
        app(),
        conversations=[F.ConversationRow(date(2025, 2, 6), "voucher")],
        decision=F.DecisionRow("grant", True, date(2025, 3, 3)),
        voucher=F.VoucherRow(150_000, date(2025, 3, 3)),
        money=[
            F.MoneyRow(date(2025, 9, 1), "pay", 100_000),
            F.MoneyRow(date(2026, 3, 4), "release", 50_000),
        ],
    )
    months = by_month(facts)
    assert months[date(2025, 1, 1)] == {"applications": 1}
    assert months[date(2025, 2, 1)] == {"conversations": 1, "waited": 1, "wait_days": 7}
    assert months[date(2025, 3, 1)] == {
        "decided": 1,
        "lead_days": 32,
        "in_term": 1,
        "vouchers": 1,
        "granted_cents": 150_000,
    }
    assert months[date(2025, 9, 1)] == {"paid_cents": 100_000, "redeemed": 1}
    assert months[date(2026, 3, 1)] == {"released_cents": 50_000}
    assert [f.month for f in facts] == sorted(months)


def test_dimensions_are_shared_by_every_month_of_an_application():
    facts = F.derive_facts(
        app(),
        decision=F.DecisionRow("grant", True, date(2025, 3, 3)),
        voucher=F.VoucherRow(1, date(2025, 3, 3)),
    )
    assert {f.dims["lead_band"] for f in facts} == {"4-8w"}
    assert facts[0].dims["age_band"] == "25-34"  # 34 on 30 January 2025 (birthday 1 February)


def test_the_employer_route_counts_in_the_employers_municipality():
    dims = F.dimensions(
        app(route="employer", municipality=None, employer_municipality="GM0164", employer_id=3),
        None,
    )
    assert dims["municipality"] == "GM0164"
    assert dims["employer"] == "3"
    assert dims["lead_band"] == F.OPEN


def test_voluntary_questions_left_empty_are_their_own_category():
    dims = F.dimensions(app(gender="", migration="not_said"), None)
    assert dims["gender"] == F.UNKNOWN
    assert dims["migration"] == "not_said"


def test_a_referral_and_a_second_conversation_count_but_the_wait_only_once():
    facts = F.derive_facts(
        app(),
        conversations=[
            F.ConversationRow(date(2025, 3, 10), "referral"),
            F.ConversationRow(date(2025, 2, 10), "none"),
            F.ConversationRow(None, ""),
        ],
    )
    total = figures.add_rows(f.measures for f in facts)
    assert total["conversations"] == 2
    assert total["referrals"] == 1
    assert total["waited"] == 1 and total["wait_days"] == 11


def test_a_decision_after_its_due_date_is_not_in_term_and_a_proposal_does_not_count():
    late = F.derive_facts(
        app(decision_due_on=date(2025, 2, 1)),
        decision=F.DecisionRow("refuse", True, date(2025, 3, 3)),
    )
    total = figures.add_rows(f.measures for f in late)
    assert total["decided"] == 1 and total["refused"] == 1 and total["in_term"] == 0
    proposal = F.derive_facts(app(), decision=F.DecisionRow("grant", False, None))
    assert figures.add_rows(f.measures for f in proposal)["decided"] == 0


def test_redeemed_counts_once_at_the_first_payment():
    facts = F.derive_facts(
        app(),
        voucher=F.VoucherRow(200_000, date(2025, 3, 1)),
        money=[
            F.MoneyRow(date(2025, 8, 1), "pay", 50_000),
            F.MoneyRow(date(2025, 6, 2), "pay", 50_000),
        ],
    )
    months = by_month(facts)
    assert months[date(2025, 6, 1)]["redeemed"] == 1
    assert "redeemed" not in months[date(2025, 8, 1)]


def test_outcome_answers_count_per_wave():
    facts = F.derive_facts(
        app(),
        surveys=[
            F.SurveyRow(6, date(2026, 9, 1), date(2026, 9, 3), "yes", "yes", "to_work"),
            F.SurveyRow(12, date(2027, 3, 1)),
        ],
    )
    total = figures.add_rows(f.measures for f in facts)
    six = figures.outcome_summary(total, 6)
    assert (six.sent, six.responses, six.finished, six.certificate) == (1, 1, 1, 1)
    assert dict(six.changes)["to_work"] == 1
    assert six.better_position_percent == 100.0
    twelve = figures.outcome_summary(total, 12)
    assert (twelve.sent, twelve.responses) == (1, 0)
    assert twelve.response_percent == 0.0


def test_unknown_measures_are_refused():
    fact = F.MonthFact(1, 1, date(2025, 1, 1), {})
    with pytest.raises(KeyError):
        fact.add("nonsense")


@pytest.mark.parametrize(
    ("birth", "band"),
    [
        (date(2007, 1, 30), "18-24"),
        (date(1970, 1, 31), "45-54"),
        (date(1960, 1, 1), "55+"),
        (None, "?"),
    ],
)
def test_age_bands(birth, band):
    assert F.age_band(birth, date(2025, 1, 30)) == band


def test_lead_bands():
    assert [F.lead_band(d) for d in (0, 28, 29, 56, 84, 85, None)] == [
        "0-4w",
        "0-4w",
        "4-8w",
        "4-8w",
        "8-12w",
        "12w+",
        "open",
    ]


def test_periods_parse_and_roll_up():
    quarter = parse_period("2025-Q2")
    assert (quarter.start, quarter.end) == (date(2025, 4, 1), date(2025, 6, 30))
    assert quarter.label_nl == "2e kwartaal 2025"
    assert parse_period("2024-02").end == date(2024, 2, 29)
    assert parse_period("") is EVERYTHING and parse_period("all") is EVERYTHING
    assert rollup_keys(date(2025, 5, 1)) == (
        ("m", "2025-05"),
        ("q", "2025-Q2"),
        ("y", "2025"),
        ("a", ""),
    )
    assert series_grain(EVERYTHING) == "q" and series_grain(quarter) == "m"
    assert len(quarter.months()) == 3
    with pytest.raises(Exception):  # noqa: B017 - DomainError, with a message for people
        parse_period("2025-13")


def test_yearly_targets_are_prorated_and_rounded_half_up():
    assert figures.prorated_target(625, parse_period("2025-Q1")) == 156  # 156.25
    assert figures.prorated_target(1375, parse_period("2025-03")) == 115  # 114.58
    assert figures.prorated_target(625, parse_period("2025")) == 625
    assert figures.prorated_target(625, EVERYTHING, years=4) == 2500
    assert figures.prorated_target(None, parse_period("2025")) is None
    assert figures.Progress(150, 625).percent == 24.0


def test_lead_times_and_shares_from_a_row():
    row = {"waited": 4, "wait_days": 30, "decided": 3, "lead_days": 100, "in_term": 2}
    lead = figures.lead_times(row)
    assert (lead.days_to_conversation, lead.days_to_decision, lead.in_term_percent) == (
        7.5,
        33.3,
        66.7,
    )
    sectors = {
        "technical": {"vouchers": 45},
        "ICT": {"vouchers": 5},
        "care & welfare": {"vouchers": 50},
    }
    assert figures.share_in(sectors, ["technical"], "vouchers") == 45
    assert figures.percent(0, 0) is None


def test_run_out_at_the_recent_pace():
    today = date(2025, 7, 16)
    flows = {date(2025, 1, 1): 300_000, date(2025, 4, 1): 300_000, date(2025, 7, 1): 0}
    pace = figures.monthly_pace(flows, today)
    # From January up to half-way July: 6 months and 16/31 of July.
    assert pace == Fraction(600_000) / (6 + Fraction(16, 31))
    projection = figures.run_out(1_000_000, pace, today)
    assert projection.runs_out_in == date(2026, 5, 1)
    assert figures.run_out(1_000_000, Fraction(0), today).runs_out_in is None
    # A fund that started this month is judged by this month only.
    assert figures.monthly_pace({date(2025, 7, 1): 100}, today) == Fraction(100) / Fraction(16, 31)


def test_a_projection_beyond_fifty_years_has_no_date():
    projection = figures.run_out(10**13, Fraction(100), date(2025, 1, 1))
    assert projection.runs_out_in is None and projection.months_left > 600

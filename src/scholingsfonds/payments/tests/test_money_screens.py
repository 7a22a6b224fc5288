"""One voucher's money, the burn rate on the overview and the municipalities' risk share."""

from datetime import date, datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from scholingsfonds.budget.models import JournalTransaction
from scholingsfonds.budget.services import budget_pay_voucher, budget_release_voucher
from scholingsfonds.funds.models import Municipality
from scholingsfonds.payments.domain.burn import window
from scholingsfonds.payments.permissions import finance_scope
from scholingsfonds.payments.selectors import finance_overview, municipal_risk

pytestmark = pytest.mark.django_db


def _at(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def test_voucher_history_lists_every_posting_and_the_allocation(client, people, granted, twente):
    voucher = granted["second"].voucher
    budget_pay_voucher(
        fund=twente,
        voucher_ref=voucher.code,
        amount_cents=40_000,
        actor=people["finance"],
        memo="Factuur 1",
    )
    budget_release_voucher(
        fund=twente,
        voucher_ref=voucher.code,
        amount_cents=10_000,
        actor=people["finance"],
        memo="Lagere eindfactuur",
    )
    client.force_login(people["finance"])
    response = client.get(reverse("payments:voucher", args=[voucher.code]))
    assert response.status_code == 200
    history = response.context["history"]
    kinds = [p.transaction.kind for p in history["postings"]]
    assert kinds.count("commit") == 4  # available -> committed, for two sources
    assert "pay" in kinds and "release" in kinds
    assert history["totals"] == {
        "committed": 150_000,
        "paid": 40_000,
        "released": 10_000,
        "holding": 100_000,
    }
    per_source = {row["source"].name: row for row in history["per_source"]}
    assert per_source["Provincie – cheques"]["committed"] == 50_000
    assert per_source["Regio – cheques"]["committed"] == 100_000
    body = response.content.decode()
    assert "Factuur 1" in body and "Lagere eindfactuur" in body
    # The allocation rule's own words, from Decision.allocation.
    assert "uit Provincie – cheques" in body
    assert granted["second"].last_name not in body


def test_overview_shows_burn_rate_and_run_out_from_the_last_six_full_months(
    people, granted, sources
):
    today = timezone.localdate()
    # Both grants happened two months ago (EUR 3,000 in all); nothing else in the window.
    JournalTransaction.objects.filter(kind="commit").update(created_at=_at(window(today)[-3][0]))
    blocks = finance_overview(scope=finance_scope(people["finance"]), today=today)
    twente = next(b for b in blocks if b.fund.slug == "twente")
    assert twente.burn.months[-3].committed_cents == 300_000
    assert twente.burn.rate_cents == 50_000  # EUR 3,000 over six months
    # Voucher money left: Regio 10,000 - 1,000 and Provincie 0 = EUR 9,000: 18 months.
    assert twente.burn.available_cents == 900_000
    assert twente.burn.run_out is not None
    assert 540 <= (twente.burn.run_out - today).days <= 550


def test_each_voucher_source_has_its_own_run_out(client, people, granted, sources):
    """Provincie's earmarked money went first and is gone; Regio's, used more slowly, lasts
    longer than the fund's forecast of 18 months says."""
    today = timezone.localdate()
    JournalTransaction.objects.filter(kind="commit").update(created_at=_at(window(today)[-3][0]))
    blocks = finance_overview(scope=finance_scope(people["finance"]), today=today)
    twente = next(b for b in blocks if b.fund.slug == "twente")
    per_source = {row["source"].name: row["burn"] for row in twente.source_burns}
    assert set(per_source) == {"Regio – cheques", "Provincie – cheques"}  # vouchers only
    provincie, regio = per_source["Provincie – cheques"], per_source["Regio – cheques"]
    assert provincie.available_cents == 0 and provincie.rate_cents == 200_000 // 6
    assert regio.available_cents == 900_000 and regio.rate_cents == 100_000 // 6
    assert regio.run_out is not None and regio.run_out > twente.burn.run_out
    # The two sources' use adds up to the fund's (each rate is rounded down to a cent).
    assert twente.burn.rate_cents - 1 <= provincie.rate_cents + regio.rate_cents
    assert provincie.rate_cents + regio.rate_cents <= twente.burn.rate_cents
    client.force_login(people["finance"])
    body = client.get("/financien/").content.decode()
    assert "Prognose per bron" in body and "nu al op" in body


def test_overview_says_the_run_out_cannot_be_foretold_without_use(client, people, granted):
    today = timezone.localdate()
    # The grants happened before the window: no use in the last six months.
    JournalTransaction.objects.filter(kind="commit").update(
        created_at=_at(window(today)[0][0] - timedelta(days=1))
    )
    client.force_login(people["finance"])
    body = client.get("/financien/").content.decode()
    assert "niet te voorspellen" in body


def test_risk_share_is_withheld_while_populations_are_missing(client, people, granted):
    client.force_login(people["finance"])
    body = client.get(reverse("payments:risk")).content.decode()
    assert "Van 14 gemeenten is het aantal inwoners niet bekend" in body
    assert "Enschede" in body


def test_risk_share_splits_committed_and_paid_by_population_to_the_cent(people, granted, twente):
    voucher = granted["first"].voucher
    budget_pay_voucher(
        fund=twente,
        voucher_ref=voucher.code,
        amount_cents=33_333,
        actor=people["finance"],
        memo="Factuur",
    )
    today = timezone.localdate()
    codes = twente.policy_on(today).policy.municipalities
    for n, code in enumerate(sorted(codes)):
        Municipality.objects.filter(cbs_code=code).update(population=10_000 + 7_919 * n)
    risk = municipal_risk(fund=twente, today=today)
    assert risk["complete"]
    assert risk["at_risk_cents"] == 300_000  # committed + paid over every source
    assert len(risk["rows"]) == 14
    assert sum(row["amount_cents"] for row in risk["rows"]) == 300_000
    assert sum(row["percent"] for row in risk["rows"]) == pytest.approx(100, abs=0.1)
    biggest = max(risk["rows"], key=lambda row: row["population"])
    smallest = min(risk["rows"], key=lambda row: row["population"])
    assert biggest["amount_cents"] > smallest["amount_cents"]

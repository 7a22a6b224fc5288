"""The demo is built through the real services, obeys the ledger, and lives in the present."""

import json
from collections import Counter
from datetime import datetime, timedelta
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import FundingSource, JournalTransaction, SourceClosure
from scholingsfonds.core.domain.terms import is_termijnenwet_rest_day
from scholingsfonds.decisions.models import Decision
from scholingsfonds.demo.dating import undated
from scholingsfonds.funds.models import Fund
from scholingsfonds.payments.selectors import final_report
from scholingsfonds.vouchers.models import Voucher

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def _ledger_check() -> dict:
    check = StringIO()
    call_command("ledger_check", stdout=check)
    return json.loads(check.getvalue().strip().splitlines()[-1])


@pytest.mark.django_db
def test_small_demo_loads_through_the_services_and_the_ledger_balances():
    out = StringIO()
    call_command("load_demo", "--small", stdout=out)
    text = out.getvalue()
    assert "beoordelaar1" in text and "password for all" in text
    assert Application.objects.count() >= 12
    assert Voucher.objects.exists()
    result = _ledger_check()
    assert result["balanced"] is True, result["problems"]
    assert result["vouchers"] == Voucher.objects.count()
    # A second run leaves the data alone.
    again = StringIO()
    call_command("load_demo", "--small", stdout=again)
    assert "already loaded" in again.getvalue()


def _months(days) -> set[tuple[int, int]]:
    return {(day.year, day.month) for day in days}


def _voucher_money_today(fund: Fund, route: str, today) -> int:
    """What a grant decided today could draw on in this route (allocation's period rule)."""
    return sum(
        source.balance.available_cents
        for source in FundingSource.objects.filter(
            fund=fund, category="vouchers", period_start__lte=today, period_end__gte=today
        ).select_related("balance")
        if not source.routes or route in source.routes
    )


# A day in the Twente continuation's first spring, one well past the Regio Deal and the
# business plan, and a holiday after a weekend (no letter may be dated on a rest day): the
# demo must make sense on each.
@pytest.mark.django_db
@pytest.mark.parametrize(
    "moment",
    [
        datetime(2027, 3, 1, 9, 0, tzinfo=AMSTERDAM),
        datetime(2028, 6, 1, 9, 0, tzinfo=AMSTERDAM),
        datetime(2029, 1, 1, 9, 0, tzinfo=AMSTERDAM),
    ],
    ids=["2027-03-01", "2028-06-01", "2029-01-01"],
)
def test_the_demo_lives_in_the_present(moment):
    # The clock stands still, so "written during the load" is exactly "at `moment`".
    with time_machine.travel(moment, tick=False):
        today = timezone.localdate()
        call_command("load_demo", "--small", stdout=StringIO())

        # Every fund has rules today, and a grant decided today finds money in every route.
        for slug in ("twente", "stedendriehoek"):
            fund = Fund.objects.get(slug=slug)
            version = fund.policy_on(today)
            assert version is not None, slug
            for route in version.policy.routes:
                assert _voucher_money_today(fund, route, today) >= version.policy.cap_cents, (
                    slug,
                    route,
                )
        # The window is open today, with money left after the demo's own applicants.
        window = Fund.objects.get(slug="leerbudget")
        version = window.policy_on(today)
        assert version is not None and version.policy.window_open_on(today)
        source = FundingSource.objects.select_related("balance").get(fund=window)
        assert source.balance.available_cents >= version.policy.cap_cents
        assert source.balance.claimed_cents > 0

        # Applications came in over the last year, not in the last weeks only.
        year_ago = today - timedelta(days=365)
        received = [
            timezone.localtime(at).date()
            for at in Application.objects.values_list("submitted_at", flat=True)
        ]
        assert max(received) <= today
        assert len(_months(d for d in received if d > year_ago)) >= 9
        # So did the money: commitments, payments and releases on their own days.
        moved = [
            timezone.localtime(at).date()
            for at in JournalTransaction.objects.exclude(kind="pledge").values_list(
                "created_at", flat=True
            )
        ]
        assert len(_months(d for d in moved if d > year_ago)) >= 6
        by_kind = Counter(
            JournalTransaction.objects.filter(
                created_at__gte=moment - timedelta(days=365)
            ).values_list("kind", flat=True)
        )
        assert by_kind["commit"] and by_kind["release"], by_kind
        # No service's "now" was left on a row: each carries the day of its event.
        assert undated(moment) == {}
        # Letters go out on working days.
        sent = Decision.objects.exclude(sent_on=None).values_list("sent_on", flat=True)
        assert sent and not [day for day in sent if is_termijnenwet_rest_day(day)]

        # The Regio Deal period has real figures on its own sources.
        regio_deal = FundingSource.objects.filter(
            fund__slug="stedendriehoek", period_end__year=2024, category="vouchers"
        ).select_related("balance")
        assert sum(s.balance.paid_cents for s in regio_deal) > 0
        assert sum(s.balance.released_cents for s in regio_deal) > 0
        past = Voucher.objects.filter(fund__slug="stedendriehoek", issued_on__year__lte=2024)
        assert {"redeemed", "expired"} <= set(past.values_list("state", flat=True))
        # ... and it is closed: every source approved (four eyes), nothing left available,
        # Gelderland's rest carried over with consent, the others' returned.
        closures = SourceClosure.objects.filter(source__fund__slug="stedendriehoek")
        assert (
            closures.count()
            == FundingSource.objects.filter(
                fund__slug="stedendriehoek", period_end__year=2024
            ).count()
        )
        assert all(c.approved and c.approved_by != c.proposed_by for c in closures)
        assert {c.decision for c in closures} == {"return", "carry_over"}
        report = final_report(fund=Fund.objects.get(slug="stedendriehoek"), today=today)
        assert report.rows and all(row.balanced for row in report.rows)
        closed = [row for row in report.rows if row.closure and row.closure.approved]
        assert len(closed) == closures.count()
        assert all(row.figures["available_cents"] == 0 for row in closed)
        assert report.totals["returned_cents"] > 0 and report.totals["carried_cents"] > 0

        result = _ledger_check()
        assert result["balanced"] is True, result["problems"]

    # The next day `make demo` runs load_policies again (the window fund's file dates come
    # back) and then load_demo: the window stays open around the day the demo was loaded.
    with time_machine.travel(moment + timedelta(days=1), tick=False):
        call_command("load_policies", stdout=StringIO())
        again = StringIO()
        call_command("load_demo", "--small", stdout=again)
        assert "already loaded" in again.getvalue()
        tomorrow = timezone.localdate()
        version = Fund.objects.get(slug="leerbudget").policy_on(tomorrow)
        assert version is not None and version.policy.window_open_on(tomorrow)

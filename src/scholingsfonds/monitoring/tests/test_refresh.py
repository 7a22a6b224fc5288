"""The maintained aggregates: kept current from the audit log and the journal, always equal
to a full recount from the base tables."""

from datetime import timedelta

import pytest
from django.db.models import Sum
from django.utils import timezone

from scholingsfonds.advising.models import Conversation
from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import Posting
from scholingsfonds.budget.services import budget_pay_voucher, budget_release_voucher
from scholingsfonds.core.audit import audit_record
from scholingsfonds.core.models import AuditEvent
from scholingsfonds.decisions.services import decision_grant
from scholingsfonds.monitoring import refresh
from scholingsfonds.monitoring.domain.facts import MEASURES
from scholingsfonds.monitoring.domain.periods import EVERYTHING, parse_period
from scholingsfonds.monitoring.models import Cursor, SourceMonth, Tally
from scholingsfonds.monitoring.refresh import (
    monitoring_refresh,
    rebuild,
    recount,
    stored_tally,
    verify,
)
from scholingsfonds.monitoring.selectors import Scope, drilldown, drilldown_facts
from scholingsfonds.vouchers.models import Voucher
from tests.factories import complete_application

pytestmark = pytest.mark.django_db


def grand_total(measure, **scope):
    row = Tally.objects.filter(
        grain="a", period="", municipality="", dim="total", value="", **scope
    )
    return sum(getattr(r, measure) for r in row)


def test_a_refresh_after_every_step_equals_a_full_recount(world, staff, provider, twente):
    monitoring_refresh()
    assert verify() == []
    # More work happens; each step is followed by a refresh.
    application = complete_application(twente, staff["advisor"], provider, cost_cents=200_000)
    assert monitoring_refresh().mode == "incremental"
    assert verify() == []
    decision_grant(application=application, actor=staff["assessor"])
    monitoring_refresh()
    assert verify() == []
    application.refresh_from_db()
    budget_pay_voucher(
        fund=twente,
        voucher_ref=application.voucher.code,
        amount_cents=40_000,
        actor=staff["finance"],
        memo="Deelfactuur",
    )
    budget_release_voucher(
        fund=twente,
        voucher_ref=application.voucher.code,
        amount_cents=None,
        actor=None,
        memo="Rest",
    )
    result = monitoring_refresh()
    assert result.postings >= 4 and result.applications == 1
    assert verify() == []


def test_many_steps_then_one_refresh_equals_a_recount_and_a_rebuild(world, staff, provider, twente):
    monitoring_refresh()
    for cost in (100_000, 120_000, 80_000):
        application = complete_application(twente, staff["advisor"], provider, cost_cents=cost)
        decision_grant(application=application, actor=staff["assessor"])
    monitoring_refresh()
    incremental = stored_tally()
    assert incremental == recount()
    rebuild()
    assert stored_tally() == incremental
    assert verify() == []


def test_the_figures_equal_plain_counts_of_the_base_tables(world):
    monitoring_refresh()
    assert grand_total("applications") == Application.objects.count()
    assert (
        grand_total("conversations") == Conversation.objects.filter(held_at__isnull=False).count()
    )
    assert grand_total("referrals") == Conversation.objects.filter(outcome="referral").count()
    assert grand_total("vouchers") == Voucher.objects.count()
    assert grand_total("granted_cents") == Voucher.objects.aggregate(s=Sum("amount_cents"))["s"]
    paid = Posting.objects.filter(transaction__kind="pay", account="paid").aggregate(
        s=Sum("amount_cents")
    )
    assert grand_total("paid_cents") == paid["s"] == 100_000
    assert grand_total("redeemed") == 1
    # Per fund too, and per period grain the sums agree.
    for fund_id in Application.objects.values_list("fund_id", flat=True).distinct():
        assert (
            grand_total("applications", fund_id=fund_id)
            == Application.objects.filter(fund_id=fund_id).count()
        )
    for measure in ("applications", "vouchers", "granted_cents"):
        by_year = sum(
            getattr(r, measure)
            for r in Tally.objects.filter(grain="y", municipality="", dim="total")
        )
        by_month = sum(
            getattr(r, measure)
            for r in Tally.objects.filter(grain="m", municipality="", dim="total")
        )
        assert by_year == by_month == grand_total(measure)


def test_every_breakdown_adds_up_to_the_total(world):
    monitoring_refresh()
    rows = Tally.objects.filter(grain="a", municipality="")
    totals = {r.fund_id: r for r in rows.filter(dim="total")}
    dims = set(rows.exclude(dim="total").values_list("dim", flat=True))
    assert {"route", "gender", "sector", "route|career_route"} <= dims
    for dim in dims:
        for fund_id, total in totals.items():
            part = rows.filter(dim=dim, fund_id=fund_id)
            for measure in ("applications", "vouchers", "granted_cents", "conversations"):
                assert sum(getattr(r, measure) for r in part) == getattr(total, measure), (
                    dim,
                    measure,
                )


def test_the_list_behind_a_number_has_exactly_that_number(world):
    monitoring_refresh()
    for row in Tally.objects.filter(grain__in=("a", "y"), municipality="").exclude(dim="employer"):
        for measure in ("applications", "vouchers", "granted_cents", "paid_cents", "conversations"):
            period = EVERYTHING if row.grain == "a" else parse_period(row.period)
            scope = Scope(funds=[row.fund], period=period)
            facts = drilldown_facts(scope, dim=row.dim, value=row.value, measure=measure)
            listed = drilldown(facts, measure)
            assert sum(r["amount"] for r in listed) == getattr(row, measure), (row, measure)


def test_a_transition_alone_moves_an_application_between_states(world, staff):
    monitoring_refresh()
    waiting = world["waiting"]
    before = Tally.objects.get(
        grain="a", municipality="", dim="state", value="submitted", fund=waiting.fund
    )
    from scholingsfonds.applications.services import application_transition

    application_transition(
        application=waiting, to_state="withdrawn", actor=staff["advisor"], reason=""
    )
    monitoring_refresh()
    assert not Tally.objects.filter(pk=before.pk, applications=before.applications).exists()
    assert (
        Tally.objects.get(
            grain="a", municipality="", dim="state", value="withdrawn", fund=waiting.fund
        ).applications
        == 1
    )
    assert verify() == []


def test_reads_of_personal_data_do_not_cause_work(world, staff):
    monitoring_refresh()
    audit_record(
        actor=staff["assessor"], action="personal_data.viewed", obj=world["waiting"], data={}
    )
    result = monitoring_refresh()
    assert result.events == 1 and result.applications == 0


def test_a_row_that_becomes_visible_late_is_still_counted(world, staff):
    """A transaction that wrote a lower id can commit after one with a higher id."""
    from scholingsfonds.applications.services import application_transition

    monitoring_refresh()
    waiting, referred = world["waiting"], world["referred"]
    application_transition(application=waiting, to_state="withdrawn", actor=None, reason="")
    first = AuditEvent.objects.latest("id")
    audit_record(actor=None, action="application.note", obj=referred, data={})
    # Before the first transaction commits, its row and its change are not visible.
    saved = {f.attname: getattr(first, f.attname) for f in AuditEvent._meta.concrete_fields}
    first.delete()
    Application.objects.filter(pk=waiting.pk).update(state="submitted")
    monitoring_refresh()
    assert str(saved["id"]) in Cursor.objects.get(name="audit").gaps
    assert verify() == []
    # Now it commits.
    AuditEvent.objects.create(**saved)
    Application.objects.filter(pk=waiting.pk).update(state="withdrawn")
    assert refresh.is_behind()
    monitoring_refresh()
    # (On PostgreSQL other ids below may still be waited for: rolled back elsewhere.)
    assert str(saved["id"]) not in Cursor.objects.get(name="audit").gaps
    assert verify() == []
    row = Tally.objects.get(
        grain="a", municipality="", dim="state", value="withdrawn", fund=waiting.fund
    )
    assert row.applications == 1


def test_old_gaps_are_dropped(world):
    monitoring_refresh()
    cursor = Cursor.objects.get(name="audit")
    long_ago = timezone.now() - timedelta(hours=2)
    cursor.gaps = {"999999999": long_ago.isoformat()}
    cursor.save()
    monitoring_refresh()
    assert Cursor.objects.get(name="audit").gaps == {}


def test_money_per_source_and_month_follows_the_journal(world, budget):
    monitoring_refresh()
    rows = SourceMonth.objects.filter(source=budget["twente"])
    assert sum(r.pay_flow_cents for r in rows) == 100_000
    assert sum(r.commit_flow_cents for r in rows) == sum(
        v.amount_cents for v in Voucher.objects.filter(fund=budget["twente"].fund)
    )
    budget["twente"].balance.refresh_from_db()
    assert sum(r.available_cents for r in rows) == budget["twente"].balance.available_cents
    assert -sum(r.pledge_cents for r in rows) == budget["twente"].balance.pledged_cents


def test_a_first_refresh_counts_everything_from_the_base_tables(world):
    result = monitoring_refresh()
    assert result.mode == "rebuild"
    assert result.applications == Application.objects.count()
    assert not refresh.is_behind()
    again = monitoring_refresh()
    assert again.mode == "incremental" and again.events == 0


def test_every_measure_has_a_column(world):
    monitoring_refresh()
    row = Tally.objects.first()
    assert all(isinstance(getattr(row, m), int) for m in MEASURES)


@pytest.mark.postgresql
@pytest.mark.django_db(transaction=True)
def test_refreshes_at_the_same_time_do_not_count_twice(world, staff, provider, twente):
    """Two workers (or a page view and the worker) refresh at once: one waits its turn."""
    import threading

    from django.db import connection

    monitoring_refresh()
    for cost in (100_000, 120_000):
        complete_application(twente, staff["advisor"], provider, cost_cents=cost)
    results = []

    def run():
        try:
            results.append(monitoring_refresh().mode)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert "incremental" in results
    assert set(results) <= {"incremental", "skipped"}
    monitoring_refresh()
    assert verify() == []


def test_a_page_view_leaves_a_large_recount_to_the_worker(world):
    result = monitoring_refresh(max_batches=1, rebuild_limit=1)
    assert (result.mode, result.behind) == ("deferred", True)
    assert not Tally.objects.exists()
    assert monitoring_refresh(max_batches=1, rebuild_limit=10**9).mode == "rebuild"

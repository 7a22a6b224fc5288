"""Reads for the finance screens: balances, burn rate, one voucher, risk, co-financing, report."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from scholingsfonds.applications.models import Application, CareerRoute, CofinancingPayer, Route
from scholingsfonds.budget.domain.ledger import PLEDGE_PARTS
from scholingsfonds.budget.models import (
    FundingSource,
    JournalTransaction,
    Posting,
    SourceClosure,
    SpendingCategory,
)
from scholingsfonds.budget.selectors import (
    postings_for_ref,
    source_balance_at,
    source_postings_total,
    voucher_flows,
)
from scholingsfonds.decisions.models import Decision
from scholingsfonds.funds.models import Fund, PolicyVersion
from scholingsfonds.payments.domain.burn import (
    MonthUse,
    Movement,
    burn_rate_cents,
    monthly_use,
    run_out_date,
    window,
)
from scholingsfonds.payments.domain.shares import RiskSplit, risk_split
from scholingsfonds.payments.models import CofinancingConfirmation
from scholingsfonds.payments.permissions import FinanceScope
from scholingsfonds.payments.services import REALLOCATION_MEMO, cofinancing_part_cents
from scholingsfonds.vouchers.models import Voucher

# The columns of a source's balance, in the order the screens show them.
BALANCE_COLUMNS = (
    "pledged_cents",
    "claimed_cents",
    "committed_cents",
    "paid_cents",
    "released_cents",
    "available_cents",
)
BURN_MONTHS = 6

# Settled reading "Twente's voucher money": the €7.5 M voucher line includes €3.75 M of
# co-financing. The policy files do not carry this figure, so it lives here, per fund slug.
EXPECTED_COFINANCING_CENTS = {"twente": 375_000_000}


def day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the fund's time zone (Europe/Amsterdam)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _balance_dict(source: FundingSource) -> dict[str, int]:
    balance = source.balance
    return {column: getattr(balance, column) for column in BALANCE_COLUMNS}


def _sum_rows(rows: list[dict[str, int]]) -> dict[str, int]:
    return {column: sum(row[column] for row in rows) for column in BALANCE_COLUMNS}


def visible_sources(*, scope: FinanceScope) -> QuerySet[FundingSource]:
    return (
        FundingSource.objects.filter(scope.source_filter())
        .select_related("balance", "fund")
        .order_by("fund__name", "order", "id")
    )


@dataclass
class BurnForecast:
    """Use of voucher money in the last months and when the available money runs out."""

    months: tuple[MonthUse, ...]
    rate_cents: int
    available_cents: int
    run_out: date | None

    @property
    def window_start(self) -> date:
        return self.months[0].first_day

    @property
    def window_end(self) -> date:
        return self.months[-1].last_day


@dataclass
class FundFinance:
    fund: Fund
    whole_fund: bool
    sources: list[dict[str, Any]]
    totals: dict[str, int]
    categories: list[dict[str, Any]]
    notes: list[str]
    burn: BurnForecast
    # Per voucher source, when there are several: earmarked money runs out on its own clock.
    source_burns: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_assumption(self) -> bool:
        """A source note marks its split as an assumption (the demo's pro-rata split)."""
        return any("aanname" in note.lower() for note in self.notes)

    @property
    def is_pro_rata(self) -> bool:
        """Settled reading: Twente's public money is split pro rata over the categories."""
        return any("pro rata" in note.lower() for note in self.notes)


def burn_forecast(*, sources: list[FundingSource], today: date) -> BurnForecast:
    """Burn rate and run-out date over the voucher sources given (a fund's, or a funder's)."""
    voucher_sources = [s for s in sources if s.category == SpendingCategory.VOUCHERS]
    first_day = window(today, BURN_MONTHS)[0][0]
    flows = voucher_flows(
        source_ids=[s.pk for s in voucher_sources],
        start=day_start(first_day),
        end=day_start(today + timedelta(days=1)),
    )
    movements = [
        Movement(
            day=timezone.localtime(row["created_at"]).date(),
            # Money recovered from a provider is available again, as released money is.
            kind="release" if row["kind"] == "recover" else row["kind"],
            amount_cents=row["amount_cents"],
        )
        for row in flows
    ]
    months = monthly_use(movements, today, BURN_MONTHS)
    rate = burn_rate_cents(months)
    # Only money that a grant could draw on today runs out: an ended period's rest goes back
    # or on at its close, and next year's pledge is not there yet.
    available = sum(
        s.balance.available_cents
        for s in voucher_sources
        if s.period_start <= today <= s.period_end
    )
    return BurnForecast(
        months=months,
        rate_cents=rate,
        available_cents=available,
        run_out=run_out_date(available, rate, today),
    )


def finance_overview(*, scope: FinanceScope, today: date) -> list[FundFinance]:
    """Per fund in scope: balances per source, totals per fund and per category, burn rate."""
    by_fund: dict[int, list[FundingSource]] = defaultdict(list)
    funds: dict[int, Fund] = {}
    for source in visible_sources(scope=scope):
        by_fund[source.fund_id].append(source)
        funds[source.fund_id] = source.fund
    for fund in Fund.objects.filter(pk__in=list(scope.funds)).order_by("name"):
        funds.setdefault(fund.pk, fund)
    blocks = []
    for fund in sorted(funds.values(), key=lambda f: f.name):
        sources = by_fund.get(fund.pk, [])
        route_labels = dict(Route.choices)
        rows = [
            {
                "source": s,
                "routes": [str(route_labels.get(r, r)) for r in s.routes],
                **_balance_dict(s),
            }
            for s in sources
        ]
        categories = []
        for value, label in SpendingCategory.choices:
            in_category = [r for r in rows if r["source"].category == value]
            if in_category:
                categories.append(
                    {"category": value, "label": label, "count": len(in_category)}
                    | _sum_rows(in_category)
                )
        notes = list(dict.fromkeys(s.note for s in sources if s.note))
        blocks.append(
            FundFinance(
                fund=fund,
                whole_fund=scope.sees_whole_fund(fund),
                sources=rows,
                totals=_sum_rows(rows),
                categories=categories,
                notes=notes,
                burn=burn_forecast(sources=sources, today=today),
                source_burns=_source_burns(sources, today),
            )
        )
    return blocks


def _source_burns(sources: list[FundingSource], today: date) -> list[dict[str, Any]]:
    voucher_sources = [s for s in sources if s.category == SpendingCategory.VOUCHERS]
    if len(voucher_sources) < 2:
        return []  # the fund's forecast above is this source's
    route_labels = dict(Route.choices)
    return [
        {
            "source": s,
            "routes": [str(route_labels.get(r, r)) for r in s.routes],
            "burn": burn_forecast(sources=[s], today=today),
        }
        for s in voucher_sources
    ]


# --- One voucher's money ------------------------------------------------------------------


def voucher_source_ids(*, code: str) -> set[int]:
    """The sources that ever held money for this voucher."""
    return set(
        Posting.objects.filter(transaction__ref=code, account="committed")
        .values_list("source_id", flat=True)
        .distinct()
    )


def voucher_history(*, voucher: Voucher, scope: FinanceScope) -> dict[str, Any]:
    """Every posting booked under the voucher's code, and the allocation behind it."""
    postings = [p for p in postings_for_ref(ref=voucher.code) if scope.sees_source(p.source)]
    per_source: dict[int, dict[str, Any]] = {}
    for posting in postings:
        row = per_source.setdefault(
            posting.source_id,
            {"source": posting.source, "committed": 0, "paid": 0, "released": 0, "holding": 0},
        )
        kind = posting.transaction.kind
        if posting.account == "committed":
            row["holding"] += posting.amount_cents
            if kind == "commit":
                row["committed"] += posting.amount_cents
            elif kind == "release":
                row["released"] -= posting.amount_cents
        elif posting.account == "paid" and kind == "pay":
            row["paid"] += posting.amount_cents
    visible_ids = {p.source_id for p in postings}
    decision = (
        Decision.objects.filter(application_id=voucher.application_id)
        .only("allocation", "decided_on")
        .first()
    )
    names = {p.source_id: p.source for p in postings}
    allocation = [
        {**line, "source": names[line["source_id"]]}
        for line in (decision.allocation if decision else [])
        if line.get("source_id") in visible_ids
    ]
    summary = list(per_source.values())
    return {
        "postings": postings,
        "per_source": summary,
        "totals": {
            key: sum(row[key] for row in summary)
            for key in ("committed", "paid", "released", "holding")
        },
        "allocation": allocation,
        "decision": decision,
    }


# --- The municipalities' risk share -----------------------------------------------------


def policy_version_now(fund: Fund, today: date) -> PolicyVersion | None:
    """The policy in force today, else the most recent one (after the period has ended)."""
    return fund.policy_on(today) or fund.policy_versions.order_by("-valid_from").first()


def municipal_risk(*, fund: Fund, today: date) -> dict[str, Any]:
    """Money bound (committed + paid) split over the policy's municipalities by population."""
    version = policy_version_now(fund, today)
    municipalities = list(version.municipalities().order_by("name")) if version else []
    sources = FundingSource.objects.filter(fund=fund).select_related("balance")
    at_risk = sum(s.balance.committed_cents + s.balance.paid_cents for s in sources)
    split: RiskSplit = risk_split(at_risk, {m.cbs_code: m.population for m in municipalities})
    by_code = {share.key: share for share in split.shares}
    rows = []
    for municipality in municipalities:
        share = by_code.get(municipality.cbs_code)
        rows.append(
            {
                "municipality": municipality,
                "population": municipality.population,
                "percent": _percent(share.population_share) if share else None,
                "amount_cents": share.amount_cents if share else None,
            }
        )
    return {
        "fund": fund,
        "version": version,
        "rows": rows,
        "at_risk_cents": at_risk,
        "complete": split.complete and bool(municipalities),
        "missing": [m for m in municipalities if m.cbs_code in split.missing],
        "population_total": sum(m.population or 0 for m in municipalities),
    }


def _percent(fraction: Any) -> Decimal:
    value = Decimal(fraction.numerator) * 100 / Decimal(fraction.denominator)
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- Co-financing -------------------------------------------------------------------------


def cofinancing_overview(
    *, funds: list[Fund], only_open: bool = False, voucher_codes: set[str] | None = None
) -> dict[str, Any]:
    """Granted applications with their co-financing parts and what finance confirmed.

    `voucher_codes` narrows it to those vouchers (a funder report's); the expected total is
    then compared with their co-financing only.
    """
    applications = (
        Application.objects.filter(fund__in=funds, voucher__isnull=False)
        .select_related("fund", "employer", "voucher")
        .order_by("fund__name", "-voucher__issued_on", "reference")
    )
    if voucher_codes is not None:
        applications = applications.filter(voucher__code__in=voucher_codes)
    confirmations = {
        (c.application_id, c.payer): c
        for c in CofinancingConfirmation.objects.filter(application__fund__in=funds).select_related(
            "confirmed_by"
        )
    }
    payer_labels = dict(CofinancingPayer.choices)
    rows = []
    per_payer: dict[str, dict[str, int]] = {
        p: {"promised": 0, "confirmed": 0} for p in CofinancingPayer.values
    }
    per_employer: dict[str, dict[str, Any]] = defaultdict(
        lambda: {"promised": 0, "confirmed": 0, "applications": set()}
    )
    per_fund: dict[int, dict[str, int]] = defaultdict(lambda: {"promised": 0, "confirmed": 0})
    for application in applications:
        parts = []
        for payer in dict.fromkeys(p.get("payer") for p in application.cofinancing):
            amount = cofinancing_part_cents(application, payer)
            if amount <= 0:
                continue
            confirmation = confirmations.get((application.pk, payer))
            confirmed = confirmation.amount_cents if confirmation else 0
            parts.append(
                {
                    "payer": payer,
                    "label": payer_labels.get(payer, payer),
                    "amount_cents": amount,
                    "confirmation": confirmation,
                }
            )
            bucket = per_payer.setdefault(payer, {"promised": 0, "confirmed": 0})
            bucket["promised"] += amount
            bucket["confirmed"] += confirmed
            per_fund[application.fund_id]["promised"] += amount
            per_fund[application.fund_id]["confirmed"] += confirmed
            if payer == CofinancingPayer.EMPLOYER:
                name = _employer_name(application)
                per_employer[name]["promised"] += amount
                per_employer[name]["confirmed"] += confirmed
                per_employer[name]["applications"].add(application.pk)
        if only_open and all(part["confirmation"] for part in parts):
            continue
        rows.append({"application": application, "parts": parts})
    expected = []
    for fund in funds:
        target = EXPECTED_COFINANCING_CENTS.get(fund.slug)
        if target:
            got = per_fund[fund.pk]
            expected.append(
                {
                    "fund": fund,
                    "expected_cents": target,
                    "promised_cents": got["promised"],
                    "confirmed_cents": got["confirmed"],
                    "promised_percent": _percent_of(got["promised"], target),
                    "confirmed_percent": _percent_of(got["confirmed"], target),
                }
            )
    return {
        "rows": rows,
        "per_payer": [
            {"payer": p, "label": payer_labels.get(p, p), **v} for p, v in per_payer.items()
        ],
        "per_employer": sorted(
            (
                {
                    "name": name,
                    "promised": v["promised"],
                    "confirmed": v["confirmed"],
                    "vouchers": len(v["applications"]),
                }
                for name, v in per_employer.items()
            ),
            key=lambda row: (row["name"] == "", row["name"]),
        ),
        "totals": {
            "promised": sum(v["promised"] for v in per_payer.values()),
            "confirmed": sum(v["confirmed"] for v in per_payer.values()),
        },
        "expected": expected,
    }


def _employer_name(application: Application) -> str:
    """The employer route's registered employer, else the name the advisor noted with the part."""
    if application.employer:
        return str(application.employer.name)
    return next(
        (p.get("employer_name", "") for p in application.cofinancing if p["payer"] == "employer"),
        "",
    )


def _percent_of(part: int, whole: int) -> Decimal:
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


# --- The funder report ----------------------------------------------------------------------


@dataclass
class FunderReport:
    source: FundingSource
    start: date
    end: date
    flows: dict[str, dict[str, int]]
    postings_by_account: dict[str, int]
    reallocations: list[dict[str, Any]]
    participants: dict[str, Any]
    balances_start: dict[str, int]
    balances_end: dict[str, int]
    cofinancing: dict[str, Any]
    cofinancing_fund: dict[str, Any]
    generated_at: datetime = field(default_factory=timezone.now)

    def reconciliation(self) -> list[dict[str, Any]]:
        """Per account: the balance at the start, the period's postings, the balance at the end.

        The three are read separately from the journal; start + postings = end holds for every
        row, which is what an auditor ticks off.
        """
        rows = []
        for key, account, sign in RECONCILED_ACCOUNTS:
            rows.append(
                {
                    "key": key,
                    "start_cents": self.balances_start[key],
                    "movement_cents": sign * self.postings_by_account.get(account, 0),
                    "end_cents": self.balances_end[key],
                }
            )
        return rows


REPORT_FLOW_KINDS = ("commit", "pay", "release", "recover")
# Balance column, journal account, sign: a pledge is posted negative on its own account.
RECONCILED_ACCOUNTS = (
    ("pledged_cents", "pledge", -1),
    ("available_cents", "available", 1),
    ("claimed_cents", "claimed", 1),
    ("committed_cents", "committed", 1),
    ("paid_cents", "paid", 1),
    ("returned_cents", "returned", 1),
    ("carried_cents", "carried", 1),
)


def funder_report(*, source: FundingSource, start: date, end: date) -> FunderReport:
    """One source over [start, end] (whole days): voucher money, participants, balances.

    Every amount is read from the journal's postings of that source with a transaction date in
    the period, so the report reconciles to the ledger to the cent.
    """
    start_at, end_at = day_start(start), day_start(end + timedelta(days=1))
    flows: dict[str, dict[str, int]] = {k: {"count": 0, "cents": 0} for k in REPORT_FLOW_KINDS}
    refs: dict[str, set[str]] = {k: set() for k in REPORT_FLOW_KINDS}
    for row in voucher_flows(source_ids=[source.pk], start=start_at, end=end_at):
        flows[row["kind"]]["cents"] += row["amount_cents"]
        refs[row["kind"]].add(row["ref"])
    for kind in REPORT_FLOW_KINDS:
        flows[kind]["count"] = len(refs[kind])

    postings_by_account: dict[str, int] = defaultdict(int)
    for (_kind, account), total in source_postings_total(
        source=source, start=start_at, end=end_at
    ).items():
        postings_by_account[account] += total

    reallocations = [
        {
            "created_at": tx.created_at,
            "memo": tx.memo,
            "amount_cents": sum(
                p.amount_cents
                for p in tx.postings.all()
                if p.source_id == source.pk and p.account == "available"
            ),
        }
        for tx in JournalTransaction.objects.filter(
            kind="pledge",
            memo__startswith=REALLOCATION_MEMO,
            postings__source=source,
            created_at__gte=start_at,
            created_at__lt=end_at,
        )
        .distinct()
        .prefetch_related("postings")
    ]

    return FunderReport(
        source=source,
        start=start,
        end=end,
        flows=flows,
        postings_by_account=dict(postings_by_account),
        reallocations=reallocations,
        participants=_participants(refs["commit"]),
        balances_start=source_balance_at(source=source, until=start_at),
        balances_end=source_balance_at(source=source, until=end_at),
        # The co-financing that came with the vouchers this source paid for in the period (a
        # voucher paid by two sources counts in both reports), and the fund's to date.
        cofinancing=_for_funders(
            cofinancing_overview(funds=[source.fund], voucher_codes=refs["commit"])
        ),
        cofinancing_fund=_for_funders(cofinancing_overview(funds=[source.fund])),
    )


# A funder report names an employer only when it co-financed at least this many vouchers in
# the period: with one or two, the name (a small firm) would point at the participants.
REPORT_MIN_VOUCHERS_PER_EMPLOYER = 3


def _for_funders(overview: dict[str, Any]) -> dict[str, Any]:
    """Totals only: no applications (names, birth dates), small employers taken together."""
    named, few = [], {"promised": 0, "confirmed": 0, "vouchers": 0, "count": 0}
    for row in overview["per_employer"]:
        if row["name"] and row["vouchers"] >= REPORT_MIN_VOUCHERS_PER_EMPLOYER:
            named.append(row)
        elif row["name"]:
            for key in ("promised", "confirmed", "vouchers"):
                few[key] += row[key]
            few["count"] += 1
    unnamed = [row for row in overview["per_employer"] if not row["name"]]
    return {
        "per_payer": overview["per_payer"],
        "per_employer": named,
        "small_employers": few if few["count"] else None,
        "without_employer": unnamed[0] if unnamed else None,
        "totals": overview["totals"],
        "expected": overview["expected"],
        "min_vouchers": REPORT_MIN_VOUCHERS_PER_EMPLOYER,
    }


def _participants(codes: set[str]) -> dict[str, Any]:
    """Counts only: by route, career route and municipality; never a name or a birth date."""
    vouchers = Voucher.objects.filter(code__in=codes).select_related("application__municipality")
    route, career, municipality = Counter(), Counter(), Counter()
    for voucher in vouchers:
        application = voucher.application
        route[application.route] += 1
        career[application.career_route] += 1
        municipality[application.municipality.name if application.municipality else ""] += 1
    route_labels = dict(Route.choices)
    career_labels = dict(CareerRoute.choices)
    career_order = {value: n for n, value in enumerate(career_labels)}
    return {
        "total": sum(route.values()),
        "by_route": [(str(route_labels.get(k, k)), n) for k, n in sorted(route.items())],
        "by_career_route": [
            (str(career_labels.get(k, k)), n)
            for k, n in sorted(career.items(), key=lambda item: career_order.get(item[0], 99))
        ],
        "by_municipality": sorted(municipality.items(), key=lambda item: (item[0] == "", item[0])),
    }


def reallocations_recent(*, limit: int = 20) -> QuerySet[JournalTransaction]:
    return (
        JournalTransaction.objects.filter(kind="pledge", memo__startswith=REALLOCATION_MEMO)
        .select_related("fund", "actor")
        .order_by("-created_at", "-id")[:limit]
    )


# --- Providers issue: invoices, payment runs, market signals -----------------------------


def invoice_queue(*, funds: list[Fund]) -> dict[str, Any]:
    """Invoices waiting for finance, approved ones waiting for a run, open recoveries."""
    from scholingsfonds.vouchers.models import Invoice, Recovery
    from scholingsfonds.vouchers.selectors import payable_cents, room_cents

    base = Invoice.objects.filter(voucher__fund__in=funds).select_related(
        "voucher__fund", "voucher__application", "provider", "credited_invoice"
    )
    submitted = list(base.filter(status=Invoice.Status.SUBMITTED).order_by("submitted_at", "id"))
    for invoice in submitted:
        invoice.room_cents = room_cents(invoice.voucher)  # type: ignore[attr-defined]
    approved = list(base.filter(status=Invoice.Status.APPROVED).exclude(kind="credit_note"))
    for invoice in approved:
        invoice.payable = payable_cents(invoice)  # type: ignore[attr-defined]
    recoveries = list(
        Recovery.objects.filter(voucher__fund__in=funds, status=Recovery.Status.OPEN)
        .select_related("voucher", "provider")
        .order_by("created_at")
    )
    return {
        "submitted": submitted,
        "approved": approved,
        "approved_total": sum(i.payable for i in approved),  # type: ignore[attr-defined]
        "recoveries": recoveries,
    }


def market_signals(*, fund: Fund, today: date) -> dict[str, Any]:
    """The signals of one fund with the numbers behind them, and the action log."""
    from scholingsfonds.applications.models import Application
    from scholingsfonds.funds.domain.policy import price_ceiling_cents
    from scholingsfonds.payments.domain.signals import CourseFact, VoucherFact, evaluate
    from scholingsfonds.payments.models import MarketAction
    from scholingsfonds.providers.models import Course, Provider
    from scholingsfonds.vouchers.models import Voucher

    version = fund.policy_on(today) or fund.policy_versions.order_by("-valid_from").first()
    if version is None:
        return {"fund": fund, "signals": [], "flagged": [], "actions": []}
    policy = version.policy
    thresholds = policy.market_signals
    vouchers = [
        VoucherFact(
            provider_id=row["provider_id"],
            course_id=row["course_id"],
            state=row["state"],
            amount_cents=row["amount_cents"],
            released_cents=row["released_cents"],
            issued_on=row["issued_on"],
        )
        for row in Voucher.objects.filter(fund=fund, provider__isnull=False).values(
            "provider_id", "course_id", "state", "amount_cents", "released_cents", "issued_on"
        )
    ]
    provider_ids = set(
        Application.objects.filter(fund=fund, provider__isnull=False).values_list(
            "provider_id", flat=True
        )
    )
    courses = [
        CourseFact(
            course_id=course.pk,
            provider_id=course.provider_id,
            title=course.title,
            hours=course.hours,
            created_on=course.created_on,
            prices=tuple(
                (p.valid_from, p.price_cents)
                for p in sorted(course.prices.all(), key=lambda p: (p.valid_from, p.pk))
            ),
        )
        for course in Course.objects.filter(provider_id__in=provider_ids).prefetch_related("prices")
        if course.prices.all()
    ]
    applications = [
        (provider_id, timezone.localtime(submitted_at).date())
        for provider_id, submitted_at in Application.objects.filter(
            fund=fund,
            provider__isnull=False,
            submitted_at__date__gt=today - timedelta(days=thresholds.window_days + 1),
        ).values_list("provider_id", "submitted_at")
    ]
    signals = evaluate(
        courses=courses,
        vouchers=vouchers,
        applications=applications,
        today=today,
        ceiling_cents=price_ceiling_cents(policy),
        t=thresholds,
    )
    providers = Provider.objects.in_bulk({s.provider_id for s in signals if s.provider_id})
    course_map = Course.objects.in_bulk({s.course_id for s in signals if s.course_id})
    rows = [
        {
            "signal": s,
            "provider": providers.get(s.provider_id) if s.provider_id else None,
            "course": course_map.get(s.course_id) if s.course_id else None,
        }
        for s in signals
    ]
    flagged_providers = sorted(
        {row["provider"] for row in rows if row["signal"].flagged and row["provider"]},
        key=lambda p: p.name,
    )
    # One row per provider with the headline of each of its signals, flagged providers first.
    codes = (
        "provider_share",
        "non_redemption",
        "no_show",
        "application_burst",
        "new_short_courses",
    )
    table: dict[int, dict[str, Any]] = {}
    for row in rows:
        signal = row["signal"]
        if signal.provider_id is None or signal.code not in codes:
            continue
        entry = table.setdefault(
            signal.provider_id, {"provider": row["provider"], "cells": {}, "flagged": False}
        )
        entry["cells"][signal.code] = signal
        entry["flagged"] = entry["flagged"] or signal.flagged
    provider_table = sorted(
        table.values(),
        key=lambda e: (not e["flagged"], e["provider"].name if e["provider"] else ""),
    )
    for entry in provider_table:
        entry["cells"] = [entry["cells"].get(code) for code in codes]
    price_rows = [
        row
        for row in rows
        if row["signal"].code == "price_drift"
        and (row["signal"].flagged or not row["signal"].headline.startswith("+0 %"))
    ]
    return {
        "fund": fund,
        "policy": policy,
        "thresholds": thresholds,
        "provider_table": provider_table,
        "price_rows": price_rows,
        "ceiling_cents": price_ceiling_cents(policy),
        "rows": rows,
        "flagged": [row for row in rows if row["signal"].flagged],
        "flagged_providers": flagged_providers,
        "actions": list(
            MarketAction.objects.filter(fund=fund)
            .select_related("provider", "course", "actor")
            .order_by("-created_at", "-id")[:50]
        ),
    }


# --- The final accountability report (eindverantwoording) of a closed period ------------------

# (label, key) in the order the report shows a source's money from pledge to close.
FINAL_REPORT_COLUMNS = (
    ("Toegezegd", "pledged_cents"),
    ("Overgeheveld uit vorige periode", "carried_in_cents"),
    ("Vastgelegd (toegekende cheques)", "committed_total_cents"),
    ("Betaald (netto, na terugvorderingen)", "paid_cents"),
    ("Vrijgevallen (verlopen, teruggegeven, lagere factuur)", "released_cents"),
    ("  waarvan door verlopen cheques", "released_expiry_cents"),
    ("Terugbetaald aan financier", "returned_cents"),
    ("Overgeheveld naar volgende periode", "carried_cents"),
    ("Vastgelegd bij de afsluiting", "committed_at_close_cents"),
    ("Nog vastgelegd", "committed_cents"),
    ("Nog geclaimd", "claimed_cents"),
    ("Beschikbaar", "available_cents"),
)


@dataclass
class FinalReportRow:
    source: FundingSource
    closure: SourceClosure | None
    figures: dict[str, int]
    # Still committed money per month in which the voucher holding it expires: its run-off.
    run_off: list[tuple[date, int]]

    @property
    def balanced(self) -> bool:
        """pledged + carried in = every part it is accounted for by (the ledger's invariant)."""
        parts = sum(self.figures[f"{kind}_cents"] for kind in PLEDGE_PARTS)
        return self.figures["pledged_cents"] + self.figures["carried_in_cents"] == parts


@dataclass
class FinalReport:
    fund: Fund
    funder: str | None
    rows: list[FinalReportRow]
    generated_at: datetime = field(default_factory=timezone.now)

    @property
    def totals(self) -> dict[str, int]:
        return {
            key: sum(row.figures[key] for row in self.rows) for _label, key in FINAL_REPORT_COLUMNS
        }

    @property
    def run_off(self) -> list[tuple[date, int]]:
        months: dict[date, int] = defaultdict(int)
        for row in self.rows:
            for month, cents in row.run_off:
                months[month] += cents
        return sorted(months.items())


def closable_sources(*, fund: Fund, today: date) -> QuerySet[FundingSource]:
    """Sources of a fund whose period has ended (closed or still to close)."""
    return (
        FundingSource.objects.filter(fund=fund, period_end__lt=today)
        .select_related("balance", "fund")
        .order_by("period_end", "funder", "order", "id")
    )


def final_report(*, fund: Fund, today: date, funder: str | None = None) -> FinalReport:
    """Per source of an ended period: the whole way from pledge to close, from the journal.

    Every figure is a sum of the source's postings (all dates), so the report equals the
    ledger to the cent; a funder's report is the same rows for its own sources only.
    """
    sources = list(closable_sources(fund=fund, today=today))
    if funder is not None:
        sources = [s for s in sources if s.funder == funder]
    closures = {
        c.source_id: c
        for c in SourceClosure.objects.filter(source__in=sources).select_related(
            "carry_to", "proposed_by", "approved_by"
        )
    }
    # One aggregation over the sources' postings, per (source, transaction kind, account);
    # every balance below is a sum of it, as ledger_check counts them.
    by_kind: dict[int, dict[tuple[str, str], int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        Posting.objects.filter(source__in=sources)
        .values("source_id", "transaction__kind", "account")
        .annotate(total=Sum("amount_cents"))
    ):
        by_kind[row["source_id"]][(row["transaction__kind"], row["account"])] = int(row["total"])
    expired = Voucher.objects.filter(state=Voucher.State.EXPIRED).values("code")
    released_by_expiry = dict(
        Posting.objects.filter(
            source__in=sources,
            transaction__kind="release",
            account="available",
            transaction__ref__in=expired,
        )
        .values_list("source_id")
        .annotate(total=Sum("amount_cents"))
    )
    rows = []
    for source in sources:
        flows = by_kind[source.pk]
        account: dict[str, int] = defaultdict(int)
        for (_kind, name), total in flows.items():
            account[name] += total
        figures = {
            # A carry-over in is posted on the pledge account too; shown as its own line.
            "pledged_cents": -account["pledge"] + flows[("carry_over", "pledge")],
            "carried_in_cents": -flows[("carry_over", "pledge")],
            "committed_total_cents": flows[("commit", "committed")],
            "released_cents": flows[("release", "available")],
            "released_expiry_cents": int(released_by_expiry.get(source.pk) or 0),
            **{f"{name}_cents": account[name] for name in PLEDGE_PARTS},
        }
        closure = closures.get(source.pk)
        # What the vouchers still held when finance closed the source (now, if not closed).
        figures["committed_at_close_cents"] = (
            source_balance_at(source=source, until=closure.approved_at)["committed_cents"]
            if closure is not None and closure.approved_at is not None
            else figures["committed_cents"]
        )
        rows.append(
            FinalReportRow(
                source=source,
                closure=closure,
                figures=figures,
                run_off=_run_off(source),
            )
        )
    return FinalReport(fund=fund, funder=funder, rows=rows)


def _run_off(source: FundingSource) -> list[tuple[date, int]]:
    held: dict[str, int] = defaultdict(int)
    for ref, amount in Posting.objects.filter(source=source, account="committed").values_list(
        "ref", "amount_cents"
    ):
        held[ref] += amount
    held = {ref: cents for ref, cents in held.items() if cents}
    months: dict[date, int] = defaultdict(int)
    for code, valid_until in Voucher.objects.filter(code__in=held).values_list(
        "code", "valid_until"
    ):
        months[valid_until.replace(day=1)] += held[code]
    return sorted(months.items())

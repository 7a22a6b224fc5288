"""Reads for the dashboard, the lists behind its numbers, the reports and the open data.

Everything here reads the maintained aggregates (`Tally`, `SourceMonth`): a fixed number of
small indexed reads per page, whatever the number of applications. Only the lists behind a
number (drill-down) read the month facts of the applications concerned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.db.models import QuerySet, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from scholingsfonds.applications.models import Application
from scholingsfonds.budget.models import FundingSource, SourceBalance, SpendingCategory
from scholingsfonds.funds.models import Fund, Municipality
from scholingsfonds.monitoring.domain import figures
from scholingsfonds.monitoring.domain.facts import (
    CROSS_DIMENSIONS,
    DIMENSIONS,
    JOB_CHANGES,
    MEASURES,
    NO_EMPLOYER,
    UNKNOWN,
    WAVES,
    cross_name,
)
from scholingsfonds.monitoring.domain.periods import (
    ALL,
    QUARTER,
    YEAR,
    Period,
    parse_period,
    period_of,
    series_grain,
)
from scholingsfonds.monitoring.domain.suppression import suppress_one_way
from scholingsfonds.monitoring.labels import (
    DIMENSION_LABELS,
    JOB_CHANGE_SHORT,
    MEASURE_LABELS,
    ORDERED_DIMENSIONS,
    SECTOR_LABELS,
    Labeller,
)
from scholingsfonds.monitoring.models import FundTarget, MonthFact, SourceMonth, Tally
from scholingsfonds.monitoring.permissions import dashboard_funds

# The dimensions read for the dashboard (employers are many: read as a top list instead).
DASHBOARD_DIMS: tuple[str, ...] = ("total", *(d for d in DIMENSIONS if d != "employer"))
COUNT_MEASURES = frozenset(m for m in MEASURES if not m.endswith(("_cents", "_days")))

# Defaults until a manager sets the targets (docs/domain.md, "Targets and figures").
# Twente's plan names priority themes (technology/energy transition, ICT, care); on the
# advisor's sector list those are technical, ICT and care & welfare.
DEFAULT_TARGETS: dict[str, dict[str, Any]] = {
    "twente": {
        "vouchers_per_year": 625,
        "conversations_per_year": 1375,
        "priority_sectors": ["technical", "ICT", "care & welfare"],
    },
    "stedendriehoek": {"priority_sectors": ["technical"]},
}


# --- the scope: fund, period, municipality -------------------------------------------------


@dataclass
class Scope:
    """What the figures are about: some funds, a period, the region or one municipality."""

    funds: list[Fund]
    period: Period
    municipality: str = ""
    chosen_fund: Fund | None = None

    @property
    def fund_ids(self) -> list[int]:
        return [fund.pk for fund in self.funds]

    def params(self, **extra: str) -> dict[str, str]:
        """The query parameters that select this scope (for links)."""
        params = {
            "fund": self.chosen_fund.slug if self.chosen_fund else "",
            "period": self.period.key or "all",
            "municipality": self.municipality,
        }
        params.update(extra)
        return {k: v for k, v in params.items() if v}

    def query(self, **extra: str) -> str:
        return urlencode(self.params(**extra))


# Years the figures can be about: explicit keys keep every read an indexed lookup.
FIRST_YEAR = 2015


def year_keys(today: date) -> list[str]:
    return [str(year) for year in range(FIRST_YEAR, today.year + 2)]


def quarter_keys(today: date) -> list[str]:
    return [f"{year}-Q{q}" for year in year_keys(today) for q in (1, 2, 3, 4)]


def default_period(today: date) -> Period:
    """The current calendar year."""
    return period_of(YEAR, today)


def scope_for(user: Any, params: Mapping[str, str], today: date) -> Scope:
    """Read fund, period and municipality from the query; unknown values fall back."""
    visible = list(dashboard_funds(user))
    chosen = next((f for f in visible if f.slug == params.get("fund")), None)
    funds = [chosen] if chosen else visible
    try:
        period = parse_period(params["period"]) if "period" in params else default_period(today)
    except Exception:  # noqa: BLE001 - a malformed period in a link: show the default
        period = default_period(today)
    municipality = params.get("municipality", "")
    if municipality and municipality not in {code for code, _ in municipality_choices(funds)}:
        municipality = ""
    return Scope(funds=funds, period=period, municipality=municipality, chosen_fund=chosen)


def municipality_choices(funds: Sequence[Fund]) -> list[tuple[str, str]]:
    """The municipalities of the funds' regions (any policy version), by name."""
    codes: set[str] = set()
    for fund in funds:
        for version in fund.policy_versions.all():
            codes.update(version.policy.municipalities)
    return list(
        Municipality.objects.filter(cbs_code__in=codes)
        .order_by("name")
        .values_list("cbs_code", "name")
    )


def period_choices(scope: Scope, today: date) -> list[tuple[str, str]]:
    """Everything, each year with data (and the current one), and their quarters."""
    years = set(
        Tally.objects.filter(
            fund_id__in=scope.fund_ids,
            grain=YEAR,
            period__in=year_keys(today),
            municipality="",
            dim="total",
            value="",
        ).values_list("period", flat=True)
    )
    years.add(str(today.year))
    if scope.period.start is not None:
        years.add(str(scope.period.start.year))
    choices = [("all", str(gettext_lazy("Alle jaren")))]
    for year in sorted(years, reverse=True):
        choices.append((year, year))
        for quarter in (4, 3, 2, 1):
            key = f"{year}-Q{quarter}"
            choices.append((key, parse_period(key).label_nl))
    if scope.period.grain == "m":
        choices.insert(1, (scope.period.key, scope.period.label_nl))
    return choices


# --- targets -------------------------------------------------------------------------------


def fund_targets(funds: Iterable[Fund]) -> dict[int, FundTarget]:
    """Each fund's targets: the stored ones, else the defaults (not saved)."""
    funds = list(funds)
    stored = {t.fund_id: t for t in FundTarget.objects.filter(fund__in=funds)}
    result = {}
    for fund in funds:
        target = stored.get(fund.pk)
        if target is None:
            target = FundTarget(fund=fund, **DEFAULT_TARGETS.get(fund.slug, {}))
        result[fund.pk] = target
    return result


# --- tables, the unit of the dashboard, the reports and the exports -------------------------


@dataclass
class Cell:
    value: int | float | None
    kind: str = "count"  # count | cents | percent | days
    suppressed: bool = False
    href: str = ""


@dataclass
class TableRow:
    key: str
    label: Any
    cells: list[Cell]
    is_total: bool = False


@dataclass
class Column:
    key: str
    label: Any
    kind: str = "count"


@dataclass
class Table:
    key: str
    title: Any
    columns: list[Column]
    rows: list[TableRow] = field(default_factory=list)
    total: TableRow | None = None
    chart: dict[str, Any] | None = None
    note: Any = ""
    suppressed_any: bool = False

    def all_rows(self) -> list[TableRow]:
        return [*self.rows, *([self.total] if self.total else [])]

    @property
    def chart_id(self) -> str:
        return f"chart-{self.key}"


def _measure_column(measure: str) -> Column:
    kind = "cents" if measure.endswith("_cents") else "count"
    return Column(measure, MEASURE_LABELS.get(measure, measure), kind)


# Which count a money column's suppression follows (a sum over few people tells about them).
_MONEY_FOLLOWS = {
    "granted_cents": "vouchers",
    "paid_cents": "redeemed",
    "released_cents": "vouchers",
}


class Drill:
    """Links from a number to the list behind it; empty when the person may not drill."""

    def __init__(self, scope: Scope, enabled: bool) -> None:
        self.scope, self.enabled = scope, enabled

    def href(self, dim: str, value: str, measure: str) -> str:
        if not self.enabled:
            return ""
        params = self.scope.params(dim=dim, value=value, measure=measure)
        return f"{reverse('monitoring:drilldown')}?{urlencode(params)}"


def breakdown_table(
    *,
    key: str,
    title: Any,
    dim: str,
    rows_by_value: Mapping[str, Mapping[str, int]],
    measures: Sequence[str],
    labeller: Labeller,
    drill: Drill,
    minimum: int | None = None,
    total: Mapping[str, int] | None = None,
    order: str = "choices",
    limit: int | None = None,
    chart_measures: Sequence[str] = ("vouchers",),
) -> Table:
    """One breakdown as a table (and its chart): a row per value, the total last.

    With `minimum`, counts below it are suppressed, plus what would reveal them (money
    columns follow their count). With `limit`, the rest is summed into one row "other".
    """
    labeller.prepare(dim, set(rows_by_value))
    # A value with nothing to show in these columns is left out (zeros are not published).
    values = [v for v in rows_by_value if any(int(rows_by_value[v].get(m, 0)) for m in measures)]
    if order == "choices" and dim in ORDERED_DIMENSIONS:
        known = [v for v in ORDERED_DIMENSIONS[dim] if v in values]
        values = known + sorted(v for v in values if v not in known)
    else:
        first = measures[0]
        values.sort(key=lambda v: (-int(rows_by_value[v].get(first, 0)), str(v)))
    rows = {v: dict(rows_by_value[v]) for v in values}
    if limit is not None and len(values) > limit:
        rest = values[limit:]
        values = values[:limit]
        rows["__rest"] = figures.add_rows(rows[v] for v in rest)
        values.append("__rest")
    total_row = dict(total) if total is not None else figures.add_rows(rows.values())
    columns = [_measure_column(m) for m in measures]
    hidden: dict[tuple[str, str], bool] = {}
    # A period without any rows (a new year's first day) has nothing to hide: only zeros.
    if minimum is not None and values:
        counts = [m for m in measures if m in COUNT_MEASURES]
        needed = {*counts, *(_MONEY_FOLLOWS[m] for m in measures if m in _MONEY_FOLLOWS)}
        for measure in needed:
            table = suppress_one_way([int(rows[v].get(measure, 0)) for v in values], minimum)
            for index, value in enumerate(values):
                hidden[(value, measure)] = table.published(index, 0) is None
            hidden[("__total", measure)] = table.published(table.rows, 0) is None
    result = Table(key=key, title=title, columns=columns)

    def cells(value: str, row: Mapping[str, int]) -> list[Cell]:
        out = []
        for measure in measures:
            follows = _MONEY_FOLLOWS.get(measure, measure)
            is_hidden = hidden.get((value, follows), False)
            amount = int(row.get(measure, 0))
            link = ""
            if not is_hidden and amount and value != "__rest":
                if value == "__total":
                    link = drill.href("total", "", measure)
                else:
                    link = drill.href(dim, value, measure)
            out.append(
                Cell(
                    None if is_hidden else amount,
                    "cents" if measure.endswith("_cents") else "count",
                    is_hidden,
                    link,
                )
            )
            result.suppressed_any |= is_hidden
        return out

    for value in values:
        label = _("Overige") if value == "__rest" else labeller.label(dim, value)
        result.rows.append(TableRow(value, label, cells(value, rows[value])))
    result.total = TableRow("__total", _("Totaal"), cells("__total", total_row), is_total=True)
    if chart_measures:
        result.chart = {
            "type": "bar",
            "horizontal": True,
            "labels": [str(r.label) for r in result.rows],
            "datasets": [
                {
                    "label": str(MEASURE_LABELS.get(m, m)),
                    "kind": "cents" if m.endswith("_cents") else "count",
                    "data": [r.cells[measures.index(m)].value for r in result.rows],
                }
                for m in chart_measures
                if m in measures
            ],
        }
    return result


def hidden_counts(counts: Sequence[int], minimum: int | None) -> list[bool]:
    """Which counts of a list (whose total is shown elsewhere) to leave out; none for staff."""
    if minimum is None:
        return [False] * len(counts)
    if not counts:
        return []
    table = suppress_one_way(counts, minimum)
    return [table.published(i, 0) is None for i in range(len(counts))]


def _hide(points: list[dict[str, Any]], minimum: int | None, follows: Mapping[str, str]) -> None:
    """Replace hidden numbers by None, each column on its own; money follows its count."""
    for measure in set(follows.values()):
        flags = hidden_counts([int(p.get(measure) or 0) for p in points], minimum)
        for point, flag in zip(points, flags, strict=True):
            point.setdefault("_hidden", set())
            if flag:
                point["_hidden"].add(measure)
    for point in points:
        for column, count_measure in follows.items():
            if count_measure in point.get("_hidden", ()):
                point[column] = None
        point.pop("_hidden", None)


# --- reading the aggregates ----------------------------------------------------------------


def tally_rows(
    scope: Scope,
    dims: Iterable[str],
    *,
    grain: str | None = None,
    periods: Iterable[str] | None = None,
) -> list[dict[str, Any]]:
    """Aggregate rows for the scope's funds and municipality (one indexed range per fund)."""
    grain = grain or scope.period.grain
    keys = list(periods) if periods is not None else [scope.period.key]
    return list(
        Tally.objects.filter(
            fund_id__in=scope.fund_ids,
            grain=grain,
            period__in=keys,
            municipality=scope.municipality,
            dim__in=list(dims),
        ).values("fund_id", "period", "dim", "value", *MEASURES)
    )


def combine(rows: Iterable[Mapping[str, Any]]) -> dict[str, dict[str, dict[str, int]]]:
    """Sum rows over funds (and periods): dim -> value -> measures."""
    grouped: dict[str, dict[str, list[Mapping[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        grouped[row["dim"]][row["value"]].append(row)
    return {
        dim: {value: figures.add_rows(parts) for value, parts in values.items()}
        for dim, values in grouped.items()
    }


def _employer_rows(scope: Scope, fund_id: int) -> QuerySet[Tally]:
    return Tally.objects.filter(
        fund_id=fund_id,
        grain=scope.period.grain,
        period=scope.period.key,
        municipality=scope.municipality,
        dim="employer",
        vouchers__gt=0,
    ).exclude(value=NO_EMPLOYER)


def employer_count(scope: Scope) -> int:
    """How many employers had vouchers in the scope (counted per fund)."""
    return sum(_employer_rows(scope, fund_id).count() for fund_id in scope.fund_ids)


def top_employers(scope: Scope, limit: int = 10) -> list[dict[str, Any]]:
    """The employers with the most vouchers in the scope (an index scan per fund)."""
    found: list[dict[str, Any]] = []
    for fund_id in scope.fund_ids:
        found += list(
            _employer_rows(scope, fund_id)
            .order_by("-vouchers", "value")
            .values("fund_id", "value", "applications", "vouchers", "granted_cents")[:limit]
        )
    found.sort(key=lambda r: (-r["vouchers"], r["value"]))
    return found[:limit]


# --- money per source ----------------------------------------------------------------------


def source_overview(funds: Sequence[Fund], today: date) -> list[dict[str, Any]]:
    """Each source: balances now, the pace of recent months, and when the money runs out."""
    window_start = figures.recent_months(today, figures.PACE_MONTHS)[0]
    flows: dict[int, dict[date, int]] = defaultdict(dict)
    for row in SourceMonth.objects.filter(source__fund__in=funds, month__gte=window_start).values(
        "source_id", "month", "commit_flow_cents", "release_flow_cents"
    ):
        flows[row["source_id"]][row["month"]] = row["commit_flow_cents"] - row["release_flow_cents"]
    result = []
    for source in (
        FundingSource.objects.filter(fund__in=funds)
        .select_related("balance", "fund")
        .order_by("fund__name", "order", "id")
    ):
        balance = getattr(source, "balance", None)
        available = balance.available_cents if balance else 0
        projection = figures.run_out(
            available, figures.monthly_pace(flows[source.pk], today), today
        )
        result.append(
            {
                "source": source,
                "fund": source.fund,
                "category": source.get_category_display(),
                "is_vouchers": source.category == SpendingCategory.VOUCHERS,
                "pledged_cents": balance.pledged_cents if balance else 0,
                "available_cents": available,
                "claimed_cents": balance.claimed_cents if balance else 0,
                "committed_cents": balance.committed_cents if balance else 0,
                "paid_cents": balance.paid_cents if balance else 0,
                "released_cents": balance.released_cents if balance else 0,
                "returned_cents": balance.returned_cents if balance else 0,
                "carried_cents": balance.carried_cents if balance else 0,
                "projection": projection,
                "used_percent": figures.percent(
                    (balance.committed_cents + balance.paid_cents) if balance else 0,
                    balance.pledged_cents if balance else 0,
                ),
            }
        )
    return result


def money_by_category(sources: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Sources summed per fund and spending category (what funders see)."""
    grouped: dict[tuple[int, str], dict[str, Any]] = {}
    for row in sources:
        key = (row["fund"].pk, row["category"])
        entry = grouped.setdefault(
            key,
            {
                "fund": row["fund"],
                "category": row["category"],
                **{k: 0 for k in SourceBalance.AMOUNT_FIELDS},
            },
        )
        for k in list(entry):
            if k.endswith("_cents"):
                entry[k] += row[k]
    return list(grouped.values())


def source_period_flows(
    sources: Iterable[FundingSource], period: Period
) -> dict[int, dict[str, int]]:
    """Per source: flows in the period and balances at its end, from the monthly sums."""
    ids = [s.pk for s in sources]
    rows = SourceMonth.objects.filter(source_id__in=ids)
    result: dict[int, dict[str, int]] = {
        pk: defaultdict(int)
        for pk in ids  # type: ignore[misc]
    }
    for row in rows.values():
        target = result[row["source_id"]]
        month = row["month"]
        if period.end is None or month <= period.end:
            target["pledged_end"] -= row["pledge_cents"]
            target["available_end"] += row["available_cents"]
            target["claimed_end"] += row["claimed_cents"]
            target["committed_end"] += row["committed_cents"]
            target["paid_end"] += row["paid_cents"]
        if period.contains(month):
            target["committed_in"] += row["commit_flow_cents"]
            target["paid_in"] += row["pay_flow_cents"]
            target["released_in"] += row["release_flow_cents"]
            target["vouchers_in"] += row["vouchers"]
    return {k: dict(v) for k, v in result.items()}


# --- the dashboard -------------------------------------------------------------------------

BREAKDOWNS: tuple[tuple[str, tuple[str, ...], str, int | None], ...] = (
    # dim, columns, order, limit
    (
        "route",
        ("applications", "conversations", "vouchers", "granted_cents", "paid_cents"),
        "choices",
        None,
    ),
    ("career_route", ("applications", "vouchers", "granted_cents"), "choices", None),
    ("work_status", ("applications", "vouchers", "granted_cents"), "choices", None),
    ("education", ("applications", "vouchers", "granted_cents"), "choices", None),
    ("age_band", ("applications", "vouchers", "granted_cents"), "choices", None),
    ("gender", ("applications", "vouchers"), "choices", None),
    ("migration", ("applications", "vouchers"), "choices", None),
    ("municipality", ("applications", "conversations", "vouchers", "granted_cents"), "size", None),
    ("sector", ("vouchers", "granted_cents", "paid_cents"), "choices", None),
    ("provider", ("vouchers", "granted_cents", "paid_cents"), "size", 15),
    ("heard_via", ("applications", "vouchers"), "choices", None),
    ("state", ("applications",), "choices", None),
    ("lead_band", ("decided",), "choices", None),
)
_CHART_MEASURES = {
    "state": ("applications",),
    "lead_band": ("decided",),
    "gender": ("applications", "vouchers"),
    "migration": ("applications", "vouchers"),
    "heard_via": ("applications",),
    "route": ("applications", "vouchers"),
    "sector": ("vouchers",),
    "provider": ("granted_cents",),
}


def dashboard(scope: Scope, *, today: date, drill_down: bool, small_cells: bool) -> dict[str, Any]:
    """Everything the dashboard page shows, for one scope."""
    targets = fund_targets(scope.funds)
    minimum = None if small_cells else max((t.min_cell for t in targets.values()), default=10)
    drill = Drill(scope, drill_down)
    labeller = Labeller()
    rows = tally_rows(scope, DASHBOARD_DIMS)
    data = combine(rows)
    total = data.get("total", {}).get("", figures.empty_row())

    tables = []
    for dim, measures, order, limit in BREAKDOWNS:
        by_value = data.get(dim, {})
        if dim == "municipality" and scope.municipality:
            continue  # one municipality chosen: its own row says nothing new
        tables.append(
            breakdown_table(
                key=dim,
                title=DIMENSION_LABELS[dim],
                dim=dim,
                rows_by_value=by_value,
                measures=measures,
                labeller=labeller,
                drill=drill,
                minimum=minimum,
                total=total,
                order=order,
                limit=limit,
                chart_measures=_CHART_MEASURES.get(dim, ("vouchers",)),
            )
        )

    per_fund: dict[int, dict[str, dict[str, int]]] = defaultdict(
        lambda: defaultdict(figures.empty_row)
    )
    for row in rows:
        if row["dim"] in ("total", "sector"):
            per_fund[row["fund_id"]][f"{row['dim']}:{row['value']}"] = figures.add_rows([row])
    years = _years(scope, targets, minimum, today)
    goals = _goals(scope, targets, per_fund, max(1, len(years["chart"]["labels"])), minimum)
    # Names of employers are for fund staff; funders see how many there were.
    employers = top_employers(scope) if drill_down else []
    labeller.prepare("employer", {e["value"] for e in employers})
    for entry in employers:
        entry["label"] = labeller.label("employer", entry["value"])
        entry["href"] = drill.href("employer", entry["value"], "vouchers")
    sources = source_overview(scope.funds, today)
    lead = figures.lead_times(total)
    if minimum is not None:
        # An average over a handful of people says something about each of them.
        lead = figures.LeadTimes(
            days_to_conversation=None if total["waited"] < minimum else lead.days_to_conversation,
            days_to_decision=None if lead.decided < minimum else lead.days_to_decision,
            decided=lead.decided,
            in_term_percent=None if lead.decided < minimum else lead.in_term_percent,
        )
    counts = {
        "employers": employer_count(scope),
        "providers": sum(
            1 for v, r in data.get("provider", {}).items() if v != UNKNOWN and r["vouchers"] > 0
        ),
    }
    if minimum is not None:
        counts = {k: (None if v < minimum else v) for k, v in counts.items()}
    return {
        "scope": scope,
        "total": total,
        "key_figures": _key_figures(total, drill, minimum),
        "lead": lead,
        "goals": goals,
        "tables": tables,
        "series": _series(scope, today, minimum),
        "years": years,
        "money_years": _money_years(scope, minimum, today),
        "employers": employers,
        "employer_count": counts["employers"],
        "provider_count": counts["providers"],
        "provider_concentration": _concentration(data.get("provider", {})),
        "sources": [row for row in sources if row["is_vouchers"]],
        "other_categories": money_by_category([row for row in sources if not row["is_vouchers"]]),
        "categories": money_by_category(sources),
        "outcomes": outcome_tables(data, minimum=minimum),
        "minimum": minimum,
        "targets": targets,
    }


def _key_figures(
    total: Mapping[str, int], drill: Drill, minimum: int | None
) -> list[dict[str, Any]]:
    items = (
        ("applications", "count"),
        ("conversations", "count"),
        ("referrals", "count"),
        ("vouchers", "count"),
        ("granted_cents", "cents"),
        ("redeemed", "count"),
        ("paid_cents", "cents"),
        ("released_cents", "cents"),
    )
    result = []
    for measure, kind in items:
        value = int(total.get(measure, 0))
        follows = _MONEY_FOLLOWS.get(measure, measure)
        hidden = minimum is not None and int(total.get(follows, 0)) < minimum
        result.append(
            {
                "key": measure,
                "label": MEASURE_LABELS[measure],
                "value": None if hidden else value,
                "kind": kind,
                "href": "" if hidden or not value else drill.href("total", "", measure),
            }
        )
    return result


def _goals(
    scope: Scope,
    targets: Mapping[int, FundTarget],
    per_fund: Mapping[int, Mapping[str, Mapping[str, int]]],
    years: int,
    minimum: int | None,
) -> list[dict[str, Any]]:
    """Per fund: vouchers, conversations, applications and the priority share against targets.

    For everything (all years) a yearly target counts once per year with figures.
    """
    result = []
    for fund in scope.funds:
        target = targets[fund.pk]
        rows = per_fund.get(fund.pk, {})
        fund_total = rows.get("total:", figures.empty_row())
        sectors = {k.split(":", 1)[1]: v for k, v in rows.items() if k.startswith("sector:")}
        priority = figures.share_in(sectors, target.priority_sectors or [], "vouchers")
        result.append(
            {
                "fund": fund,
                "target": target,
                "vouchers": figures.Progress(
                    int(fund_total["vouchers"]),
                    figures.prorated_target(target.vouchers_per_year, scope.period, years),
                ),
                "conversations": figures.Progress(
                    int(fund_total["conversations"]),
                    figures.prorated_target(target.conversations_per_year, scope.period, years),
                ),
                "applications": figures.Progress(
                    int(fund_total["applications"]),
                    figures.prorated_target(target.applications_per_year, scope.period, years),
                ),
                "priority_vouchers": priority,
                "priority_percent": figures.percent(priority, int(fund_total["vouchers"])),
                "priority_target": target.priority_share_percent,
                "priority_sectors": [
                    SECTOR_LABELS.get(code, code) for code in target.priority_sectors or []
                ],
            }
        )
    # Per fund the numbers add up to the key figures: suppress them as one list.
    for measure in ("vouchers", "conversations", "applications"):
        flags = hidden_counts([g[measure].actual for g in result], minimum)
        for goal, flag in zip(result, flags, strict=True):
            goal[f"{measure}_hidden"] = flag
    for goal in result:
        rest = goal["vouchers"].actual - goal["priority_vouchers"]
        small = minimum is not None and min(goal["priority_vouchers"], rest) < minimum
        goal["priority_hidden"] = goal["vouchers_hidden"] or small
        if goal["priority_hidden"]:
            goal["priority_percent"] = None
    return result


def _series(scope: Scope, today: date, minimum: int | None) -> dict[str, Any]:
    """Applications, conversations and vouchers per month (per quarter for everything)."""
    grain = series_grain(scope.period)
    if scope.period.grain == ALL:
        rows = Tally.objects.filter(
            fund_id__in=scope.fund_ids,
            grain=QUARTER,
            period__in=quarter_keys(today),
            municipality=scope.municipality,
            dim="total",
        ).values("period", "applications", "conversations", "vouchers", "granted_cents")
        keys = sorted({r["period"] for r in rows})
    else:
        months = scope.period.months()
        keys = [f"{m.year:04d}-{m.month:02d}" for m in months if m <= today.replace(day=1)]
        rows = Tally.objects.filter(
            fund_id__in=scope.fund_ids,
            grain=grain,
            period__in=keys,
            municipality=scope.municipality,
            dim="total",
        ).values("period", "applications", "conversations", "vouchers", "granted_cents")
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for m in ("applications", "conversations", "vouchers", "granted_cents"):
            sums[row["period"]][m] += row[m]
    labels = [_period_label(grain, k) for k in keys]
    points = [
        {
            "key": k,
            "label": label,
            "applications": sums[k]["applications"],
            "conversations": sums[k]["conversations"],
            "vouchers": sums[k]["vouchers"],
        }
        for k, label in zip(keys, labels, strict=True)
    ]
    _hide(points, minimum, {m: m for m in ("applications", "conversations", "vouchers")})
    chart = {
        "type": "line",
        "labels": labels,
        "datasets": [
            {"label": str(MEASURE_LABELS[m]), "kind": "count", "data": [p[m] for p in points]}
            for m in ("applications", "conversations", "vouchers")
        ],
    }
    return {"grain": grain, "points": points, "chart": chart}


def _period_label(grain: str, key: str) -> str:
    try:
        return parse_period(key).label_nl
    except Exception:  # noqa: BLE001
        return key


def _years(
    scope: Scope, targets: Mapping[int, FundTarget], minimum: int | None, today: date
) -> dict[str, Any]:
    """Vouchers and conversations per calendar year against each fund's yearly target."""
    rows = Tally.objects.filter(
        fund_id__in=scope.fund_ids,
        grain=YEAR,
        period__in=year_keys(today),
        municipality=scope.municipality,
        dim="total",
    ).values("fund_id", "period", "vouchers", "conversations", "applications")
    by_fund: dict[int, dict[str, dict[str, int]]] = defaultdict(dict)
    years: set[str] = set()
    for row in rows:
        by_fund[row["fund_id"]][row["period"]] = row
        years.add(row["period"])
    ordered = sorted(years)
    lines = []
    datasets: list[dict[str, Any]] = []
    for fund in scope.funds:
        target = targets[fund.pk]
        points = [
            {
                "vouchers": by_fund[fund.pk].get(y, {}).get("vouchers", 0),
                "conversations": by_fund[fund.pk].get(y, {}).get("conversations", 0),
            }
            for y in ordered
        ]
        _hide(points, minimum, {"vouchers": "vouchers", "conversations": "conversations"})
        for year, point in zip(ordered, points, strict=True):
            lines.append(
                {
                    "fund": fund,
                    "year": year,
                    "vouchers": point["vouchers"],
                    "vouchers_target": target.vouchers_per_year,
                    "conversations": point["conversations"],
                    "conversations_target": target.conversations_per_year,
                }
            )
        datasets.append(
            {
                "label": _("Cheques %(fund)s") % {"fund": fund.short_name},
                "kind": "count",
                "data": [p["vouchers"] for p in points],
            }
        )
        if target.vouchers_per_year:
            datasets.append(
                {
                    "label": _("Doel %(fund)s") % {"fund": fund.short_name},
                    "kind": "count",
                    "line": True,
                    "data": [target.vouchers_per_year for _y in ordered],
                }
            )
    return {
        "lines": lines,
        "chart": {"type": "bar", "labels": ordered, "datasets": datasets},
    }


def _money_years(scope: Scope, minimum: int | None, today: date) -> dict[str, Any]:
    """Granted against redeemed (paid) and released, per year (as the Stedendriehoek report)."""
    rows = Tally.objects.filter(
        fund_id__in=scope.fund_ids,
        grain=YEAR,
        period__in=year_keys(today),
        municipality=scope.municipality,
        dim="total",
    ).values("period", "vouchers", "granted_cents", "redeemed", "paid_cents", "released_cents")
    sums: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in rows:
        for k, v in row.items():
            if k != "period":
                sums[row["period"]][k] += v
    years = sorted(sums)
    lines = [{"year": y, **sums[y]} for y in years]
    _hide(
        lines,
        minimum,
        {
            "vouchers": "vouchers",
            "granted_cents": "vouchers",
            "redeemed": "redeemed",
            "paid_cents": "redeemed",
            "released_cents": "vouchers",
        },
    )
    measures = ("granted_cents", "paid_cents", "released_cents")
    return {
        "lines": lines,
        "chart": {
            "type": "bar",
            "labels": years,
            "datasets": [
                {
                    "label": str(MEASURE_LABELS[m]),
                    "kind": "cents",
                    "data": [line[m] for line in lines],
                }
                for m in measures
            ],
        },
    }


def _concentration(providers: Mapping[str, Mapping[str, int]]) -> dict[str, Any]:
    """The share of granted money that went to the five largest providers (market watch)."""
    amounts = sorted(
        (int(r["granted_cents"]) for r in providers.values() if r["granted_cents"] > 0),
        reverse=True,
    )
    whole = sum(amounts)
    return {"top": min(5, len(amounts)), "percent": figures.percent(sum(amounts[:5]), whole)}


def outcome_tables(
    data: Mapping[str, Mapping[str, Mapping[str, int]]], *, minimum: int | None
) -> dict[str, Any]:
    """Questionnaire results per application route and per career route, for both waves."""
    labeller = Labeller()
    groups = []
    for dim in ("route", "career_route"):
        values = [v for v in ORDERED_DIMENSIONS[dim] if v in data.get(dim, {})]
        lines = []
        for value in values:
            row = data[dim][value]
            for wave in WAVES:
                summary = figures.outcome_summary(row, wave)
                if not summary.sent and not summary.responses:
                    continue
                hidden = minimum is not None and summary.responses < minimum
                lines.append(
                    {
                        "value": value,
                        "label": labeller.label(dim, value),
                        "wave": wave,
                        "summary": summary,
                        "hidden": hidden,
                        "changes": [(JOB_CHANGE_SHORT.get(c, c), n) for c, n in summary.changes],
                    }
                )
        groups.append({"dim": dim, "title": DIMENSION_LABELS[dim], "lines": lines})
    route_lines = [line for line in groups[0]["lines"] if not line["hidden"]]
    chart = {
        "type": "bar",
        "stacked": True,
        "horizontal": True,
        "labels": [
            _("%(route)s, %(wave)s maanden") % {"route": line["label"], "wave": line["wave"]}
            for line in route_lines
        ],
        "datasets": [
            {
                "label": str(JOB_CHANGE_SHORT[change]),
                "kind": "count",
                "data": [dict(line["summary"].changes)[change] for line in route_lines],
            }
            for change in JOB_CHANGES
        ],
    }
    return {
        "groups": groups,
        "chart": chart,
        "change_labels": [JOB_CHANGE_SHORT[c] for c in JOB_CHANGES],
    }


# --- the list behind a number ---------------------------------------------------------------

DRILL_DIMS = frozenset({"total", *DIMENSIONS, *(cross_name(p) for p in CROSS_DIMENSIONS)})


def drilldown_facts(scope: Scope, *, dim: str, value: str, measure: str) -> QuerySet[MonthFact]:
    """The month facts behind one number (the same facts the number is the sum of)."""
    if dim not in DRILL_DIMS or measure not in MEASURES:
        raise ValueError("unknown dimension or measure")
    facts = MonthFact.objects.filter(fund_id__in=scope.fund_ids, **{f"{measure}__gt": 0})
    if scope.period.start is not None and scope.period.end is not None:
        facts = facts.filter(month__gte=scope.period.start, month__lte=scope.period.end)
    if scope.municipality:
        facts = facts.filter(municipality=scope.municipality)
    if dim != "total":
        columns = dim.split("|")
        parts = value.split("|")
        if len(parts) != len(columns):
            raise ValueError("value does not fit the dimension")
        facts = facts.filter(**dict(zip(columns, parts, strict=True)))
    return facts


def drilldown(facts: QuerySet[MonthFact], measure: str) -> QuerySet[Any]:
    """The applications behind the facts, each with its part of the number."""
    return facts.values("application_id").annotate(amount=Sum(measure)).order_by("application_id")


def drilldown_rows(page: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Reference, fund, date, state, route and municipality of the applications on a page."""
    amounts = {row["application_id"]: row["amount"] for row in page}
    apps = {
        a.pk: a
        for a in Application.objects.filter(pk__in=amounts).select_related(
            "fund", "municipality", "employer__municipality"
        )
    }
    labeller = Labeller()
    rows = []
    for pk, amount in amounts.items():
        app = apps.get(pk)
        if app is None:
            continue
        municipality = app.municipality or (app.employer.municipality if app.employer else None)
        rows.append(
            {
                "reference": app.reference,
                "fund": app.fund.short_name,
                "submitted_on": app.submitted_at,
                "state": labeller.label("state", app.state),
                "route": labeller.label("route", app.route),
                "career_route": labeller.label("career_route", app.career_route or UNKNOWN),
                "municipality": municipality.name if municipality else "",
                "amount": int(amount or 0),
            }
        )
    return rows


def describe(dim: str, value: str) -> str:
    """A readable name for a dimension value, for the list's heading."""
    if dim == "total":
        return str(_("alles"))
    labeller = Labeller()
    for part, v in zip(dim.split("|"), value.split("|"), strict=False):
        labeller.prepare(part, {v})
    return f"{DIMENSION_LABELS.get(dim, dim)}: {labeller.label(dim, value)}"

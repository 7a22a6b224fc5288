"""The funders' pledges as the settled readings of docs/domain.md read them, and the demo's own.

The plans' money keeps its historic periods (Twente 2023-2026, the Stedendriehoek Regio Deal
2020-2024). What follows those periods is demo money (the source documents, docs/domain.md,
name no amounts), in yearly sources up to the year after the day the demo is loaded: a grant
decided today always finds a source whose period covers the decision date, whatever day.
"""

from datetime import date
from typing import Any

from scholingsfonds.budget.models import FundingSource
from scholingsfonds.budget.services import source_create
from scholingsfonds.demo.dating import dated
from scholingsfonds.demo.domain.dates import funding_years, pledge_day, year_bounds
from scholingsfonds.funds.models import Fund

EUR = 100

# Twente 2023-2026: public money per funder, and what it pays for. The plan does not say which
# funder pays which category, so every source is split pro rata over the categories (settled
# reading); an administrator can change the split.
TWENTE_FUNDERS = [
    ("Twentse gemeenten (regio)", 4_000_000 * EUR),
    ("Provincie Overijssel", 2_000_000 * EUR),
    ("Regio Deal Twente (Rijk)", 1_000_000 * EUR),
    ("EU-programma's (ESF+)", 1_250_000 * EUR),
]
TWENTE_CATEGORIES = [
    ("vouchers", 3_750_000 * EUR),
    ("advice", 1_300_000 * EUR),
    ("motivation", 1_100_000 * EUR),
    ("management", 1_500_000 * EUR),
    ("inflation", 600_000 * EUR),
]


def pro_rata(total_by_funder: list[int], total_by_category: list[int]) -> list[list[int]]:
    """Split each funder's money over the categories, exact to the cent in rows and columns."""
    grand = sum(total_by_funder)
    if grand != sum(total_by_category):
        raise ValueError("funders and categories must add up to the same total")
    cells: list[list[int]] = []
    for funder_total in total_by_funder[:-1]:
        row = [funder_total * c // grand for c in total_by_category]
        # Largest remainder: the cents lost to rounding go to the biggest fractions.
        order = sorted(
            range(len(row)), key=lambda j: -((funder_total * total_by_category[j]) % grand)
        )
        for j in order[: funder_total - sum(row)]:
            row[j] += 1
        cells.append(row)
    # The last funder takes what is left of each category, so the columns are exact too.
    cells.append([c - sum(row[j] for row in cells) for j, c in enumerate(total_by_category)])
    return cells


# Source names are data that funders read (screens, reports): Dutch, not the category codes.
CATEGORY_NAMES_NL = {
    "vouchers": "scholingscheques",
    "advice": "advies",
    "motivation": "motivatie",
    "management": "beheer",
    "inflation": "inflatiereserve",
}


def _source(today: date, **fields: Any) -> FundingSource:
    """A source whose pledge is booked on the day it was pledged, not the day the demo ran."""
    with dated(pledge_day(fields["period_start"], today), hour=9):
        return source_create(**fields)


TWENTE_PLAN = (date(2023, 1, 1), date(2026, 12, 31))
# The ordinance stays in force after the business plan (policies/twente-2027.toml); the money
# from 2027 is not known, so the demo continues each plan source with a quarter of its
# four-year amount per year (the plan's yearly figure).
TWENTE_CONTINUATION_FROM = 2027
TWENTE_PLAN_YEARS = 4


def twente_sources(fund: Fund, today: date) -> list[FundingSource]:
    cells = pro_rata([a for _, a in TWENTE_FUNDERS], [a for _, a in TWENTE_CATEGORIES])
    yearly = pro_rata(
        [a // TWENTE_PLAN_YEARS for _, a in TWENTE_FUNDERS],
        [a // TWENTE_PLAN_YEARS for _, a in TWENTE_CATEGORIES],
    )
    start, end = TWENTE_PLAN
    sources = []
    for i, (funder, _) in enumerate(TWENTE_FUNDERS):
        for j, (category, _) in enumerate(TWENTE_CATEGORIES):
            sources.append(
                _source(
                    today,
                    fund=fund,
                    name=f"{funder} – {CATEGORY_NAMES_NL[category]} {start.year}-{end.year}",
                    funder=funder,
                    category=category,
                    pledged_cents=cells[i][j],
                    period_start=start,
                    period_end=end,
                    order=i,
                    note="Pro rata verdeeld over de categorieën (aanname demo, aanpasbaar).",
                )
            )
    for year in funding_years(TWENTE_CONTINUATION_FROM, today):
        first, last = year_bounds(year)
        for i, (funder, _) in enumerate(TWENTE_FUNDERS):
            for j, (category, _) in enumerate(TWENTE_CATEGORIES):
                sources.append(
                    _source(
                        today,
                        fund=fund,
                        name=f"{funder} – {CATEGORY_NAMES_NL[category]} {year}",
                        funder=funder,
                        category=category,
                        pledged_cents=yearly[i][j],
                        period_start=first,
                        period_end=last,
                        order=i,
                        note="Demowaarde: voortzetting na het ondernemingsplan 2023-2026 met "
                        "een kwart van het bedrag per jaar, pro rata verdeeld over de "
                        "categorieën (aanname demo, aanpasbaar).",
                    )
                )
    return sources


# The Regio Deal ran until the end of 2024 (the final report); from 2025 the fund goes on with
# incidental money of the regional Human Capital Agenda, amounts unknown (policies/
# stedendriehoek-2025.toml).
REGIO_DEAL_PERIOD = (date(2020, 1, 1), date(2024, 12, 31))
HCA_FROM = 2025
HCA_FUNDER = "Regionale Human Capital Agenda (incidenteel, demo)"
HCA_VOUCHERS_PER_YEAR = 250_000 * EUR


def stedendriehoek_sources(fund: Fund, today: date) -> list[FundingSource]:
    start, end = REGIO_DEAL_PERIOD
    assumption = (
        "Bedrag per werkpakket is een aanname van de demo (het rapport noemt geen bedragen)."
    )
    specs = [
        ("Regio Deal – wp1 sturing", "Regio Deal Stedendriehoek", "management", 40_000, [], False),
        (
            "Regio Deal – wp2 infrastructuur",
            "Regio Deal Stedendriehoek",
            "other",
            60_000,
            [],
            False,
        ),
        ("Regio Deal – wp3 uitvoering", "Regio Deal Stedendriehoek", "advice", 100_000, [], False),
        (
            "Regio Deal – wp4 cheques individuele route",
            "Regio Deal Stedendriehoek",
            "vouchers",
            200_000,
            ["individual"],
            True,
        ),
        ("Provincie Gelderland", "Provincie Gelderland", "vouchers", 500_000, [], False),
        (
            "Provincie Overijssel – werkgeversroute",
            "Provincie Overijssel",
            "vouchers",
            300_000,
            ["employer"],
            True,
        ),
    ]
    sources = [
        _source(
            today,
            fund=fund,
            name=f"{name} {start.year}-{end.year}",
            funder=funder,
            category=category,
            pledged_cents=euros * EUR,
            period_start=start,
            period_end=end,
            routes=routes,
            restricted=restricted,
            order=n,
            note=assumption if funder.startswith("Regio Deal") else "",
        )
        for n, (name, funder, category, euros, routes, restricted) in enumerate(specs)
    ]
    for year in funding_years(HCA_FROM, today):
        first, last = year_bounds(year)
        sources.append(
            _source(
                today,
                fund=fund,
                name=f"{HCA_FUNDER} – scholingscheques {year}",
                funder=HCA_FUNDER,
                category="vouchers",
                pledged_cents=HCA_VOUCHERS_PER_YEAR,
                period_start=first,
                period_end=last,
                order=len(specs),
                note="Demowaarde: het eindrapport noemt voor de periode vanaf 2025 alleen "
                "incidenteel geld, geen bedrag (aanname demo, aanpasbaar).",
            )
        )
    return sources


# The demo window's budget: more than the demo's own applications claim (55 of at most
# EUR 1,000), so a visitor can still apply and see a grant, not only the ceiling's refusal.
WINDOW_BUDGET_CENTS = 80_000 * EUR


def window_sources(
    fund: Fund, period_start: date, period_end: date, today: date
) -> list[FundingSource]:
    """The demo window's budget over its (moved) policy period."""
    return [
        _source(
            today,
            fund=fund,
            name="Rijk – leerbudget (demo)",
            funder="Rijk (demo)",
            category="vouchers",
            pledged_cents=WINDOW_BUDGET_CENTS,
            period_start=period_start,
            period_end=period_end,
            note="Demonstratie van een aanvraagvenster (demowaarde).",
        )
    ]

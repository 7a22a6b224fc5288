"""The funders' pledges as DOMAIN.md's settled readings read them."""

from datetime import date

from scholingsfonds.budget.models import FundingSource
from scholingsfonds.budget.services import source_create
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


def twente_sources(fund: Fund) -> list[FundingSource]:
    cells = pro_rata([a for _, a in TWENTE_FUNDERS], [a for _, a in TWENTE_CATEGORIES])
    sources = []
    for i, (funder, _) in enumerate(TWENTE_FUNDERS):
        for j, (category, _) in enumerate(TWENTE_CATEGORIES):
            sources.append(
                source_create(
                    fund=fund,
                    name=f"{funder} – {CATEGORY_NAMES_NL[category]}",
                    funder=funder,
                    category=category,
                    pledged_cents=cells[i][j],
                    period_start=date(2023, 1, 1),
                    period_end=date(2026, 12, 31),
                    order=i,
                    note="Pro rata verdeeld over de categorieën (aanname demo, aanpasbaar).",
                )
            )
    return sources


def stedendriehoek_sources(fund: Fund) -> list[FundingSource]:
    start, end = date(2020, 1, 1), date(2026, 12, 31)
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
    return [
        source_create(
            fund=fund,
            name=name,
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


def window_sources(fund: Fund) -> list[FundingSource]:
    """The demo window's budget: room for about forty vouchers of EUR 1,000."""
    return [
        source_create(
            fund=fund,
            name="Rijk – leerbudget (demo)",
            funder="Rijk (demo)",
            category="vouchers",
            pledged_cents=40_000 * EUR,
            period_start=date(2026, 11, 1),
            period_end=date(2027, 12, 31),
            note="Demonstratie van een aanvraagvenster.",
        )
    ]

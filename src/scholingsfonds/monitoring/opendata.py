"""The anonymised open-data export: a fixed set of tables with margins, small cells hidden.

No personal data: only counts of applications and vouchers per characteristic, from the
aggregate table. Every count below the fund's minimum (default 10) is suppressed, and so
is whatever would let someone work it out from the row and column totals (see
domain/suppression.py). Tables of the same measure share their grand total: when it is
hidden in one, it is hidden in all of them.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from scholingsfonds.funds.models import Fund
from scholingsfonds.monitoring.domain.facts import UNKNOWN
from scholingsfonds.monitoring.domain.periods import Period
from scholingsfonds.monitoring.domain.suppression import SuppressedTable, suppress
from scholingsfonds.monitoring.labels import DIMENSION_LABELS, ORDERED_DIMENSIONS, Labeller
from scholingsfonds.monitoring.selectors import (
    Scope,
    combine,
    fund_targets,
    municipality_choices,
    tally_rows,
)

TOTAL_CODE = "_totaal"


@dataclass(frozen=True)
class Spec:
    """One published table: a measure by one or two characteristics."""

    name: str
    title: str
    measure: str  # applications | vouchers
    rows: str
    columns: str = ""  # empty: a one-way table


SPECS: tuple[Spec, ...] = (
    Spec(
        "t1_aanvragen_werksituatie_opleiding",
        "Aanvragen naar werksituatie en opleidingsniveau",
        "applications",
        "work_status",
        "education",
    ),
    Spec(
        "t2_aanvragen_leeftijd_geslacht",
        "Aanvragen naar leeftijd en geslacht (vrijwillig)",
        "applications",
        "age_band",
        "gender",
    ),
    Spec(
        "t3_aanvragen_migratieachtergrond",
        "Aanvragen naar migratieachtergrond (vrijwillig)",
        "applications",
        "migration",
    ),
    Spec("t4_aanvragen_gemeente", "Aanvragen naar gemeente", "applications", "municipality"),
    Spec(
        "t5_cheques_route_loopbaanroute",
        "Cheques naar aanvraagroute en loopbaanroute",
        "vouchers",
        "route",
        "career_route",
    ),
    Spec("t6_cheques_sector", "Cheques naar sector van het beoogde werk", "vouchers", "sector"),
)

COLUMNS: tuple[tuple[str, str], ...] = (
    ("tabel", "Naam van de tabel (t1 … t6)."),
    ("fonds", "Korte naam van het fonds."),
    ("periode", "Jaar (2025), kwartaal (2025-Q2) of 'alle' voor de hele looptijd."),
    (
        "maat",
        "Wat geteld is: 'aanvragen' (ingediend in de periode) "
        "of 'cheques' (toegekend in de periode).",
    ),
    ("rij_kenmerk", "Het kenmerk van de rijen."),
    (
        "rij_code",
        "De code van de rijwaarde; '_totaal' is de kolomtotaal-rij, '?' onbekend of niet ingevuld.",
    ),
    ("rij_waarde", "De rijwaarde in woorden."),
    ("kolom_kenmerk", "Het kenmerk van de kolommen (leeg bij een tabel met één kenmerk)."),
    ("kolom_code", "De code van de kolomwaarde; '_totaal' is het rijtotaal."),
    ("kolom_waarde", "De kolomwaarde in woorden."),
    ("aantal", "Het aantal; leeg als het niet gepubliceerd wordt."),
    (
        "onderdrukt",
        "'x' als het aantal kleiner is dan het minimum "
        "of eruit af te leiden zou zijn; anders leeg.",
    ),
)
MEASURE_NAMES = {"applications": "aanvragen", "vouchers": "cheques"}


def _values(dim: str, present: Sequence[str], funds: Sequence[Fund]) -> list[str]:
    """A fixed list of values for a characteristic, so tables keep their shape over time."""
    if dim == "municipality":
        return [code for code, _ in municipality_choices(funds)] + (
            [UNKNOWN] if UNKNOWN in present else []
        )
    order = list(ORDERED_DIMENSIONS.get(dim, ()))
    extra = sorted(v for v in present if v not in order)
    return order + extra


@dataclass
class Published:
    spec: Spec
    row_values: list[str]
    column_values: list[str]
    table: SuppressedTable


def build(funds: Sequence[Fund], period: Period) -> tuple[list[Published], int]:
    """The open-data tables for these funds and period, suppressed; and the minimum used."""
    targets = fund_targets(funds)
    minimum = max((t.min_cell for t in targets.values()), default=10)
    scope = Scope(funds=list(funds), period=period)
    dims = {"total"}
    for spec in SPECS:
        dims.add(f"{spec.rows}|{spec.columns}" if spec.columns else spec.rows)
    data = combine(tally_rows(scope, dims))
    interiors: list[tuple[Spec, list[str], list[str], list[list[int]]]] = []
    for spec in SPECS:
        if spec.columns:
            cells = data.get(f"{spec.rows}|{spec.columns}", {})
            rows_present = {k.split("|", 1)[0] for k in cells}
            cols_present = {k.split("|", 1)[1] for k in cells}
            rows = _values(spec.rows, sorted(rows_present), funds)
            columns = _values(spec.columns, sorted(cols_present), funds)
            interior = [
                [int(cells.get(f"{r}|{c}", {}).get(spec.measure, 0)) for c in columns] for r in rows
            ]
        else:
            cells = data.get(spec.rows, {})
            rows = _values(spec.rows, sorted(cells), funds)
            columns = []
            interior = [[int(cells.get(r, {}).get(spec.measure, 0))] for r in rows]
        interiors.append((spec, rows, columns, interior))
    # The grand total of a measure is one number in several tables: hide it everywhere or
    # nowhere, then suppress again with that decided.
    forced: dict[str, bool] = {}
    while True:
        published = []
        for spec, rows, columns, interior in interiors:
            force = set()
            if forced.get(spec.measure):
                force.add((len(interior), len(interior[0])))
            published.append(
                Published(spec, rows, columns, suppress(interior, minimum, force=force))
            )
        hidden_total = {
            p.spec.measure for p in published if p.table.reasons[p.table.rows][p.table.columns]
        }
        if all(forced.get(m, False) for m in hidden_total):
            return published, minimum
        for measure in hidden_total:
            forced[measure] = True


def _csv_rows(
    fund_label: str, period_label: str, item: Published, labeller: Labeller
) -> list[list[str]]:
    spec, table = item.spec, item.table
    for dim, values in ((spec.rows, item.row_values), (spec.columns, item.column_values)):
        if dim:
            labeller.prepare(dim, set(values))
    lines = []
    row_codes = [*item.row_values, TOTAL_CODE]
    column_codes = [*item.column_values, TOTAL_CODE] if spec.columns else [TOTAL_CODE]
    for r, row_code in enumerate(row_codes):
        for c, column_code in enumerate(column_codes):
            # One-way tables: only the cells themselves (their "row totals" repeat them).
            column_index = c if spec.columns else 0
            value = table.published(r, column_index)
            lines.append(
                [
                    spec.name,
                    fund_label,
                    period_label,
                    MEASURE_NAMES[spec.measure],
                    spec.rows,
                    row_code,
                    "Totaal"
                    if row_code == TOTAL_CODE
                    else str(labeller.label(spec.rows, row_code)),
                    spec.columns,
                    column_code if spec.columns else "",
                    (
                        "Totaal"
                        if column_code == TOTAL_CODE
                        else str(labeller.label(spec.columns, column_code))
                    )
                    if spec.columns
                    else "",
                    "" if value is None else str(value),
                    "x" if value is None else "",
                ]
            )
    return lines


def readme(funds: Sequence[Fund], period: Period, minimum: int) -> str:
    lines = [
        "Open data van het scholingsfonds",
        "",
        f"Fonds(en): {', '.join(f.name for f in funds)}",
        f"Periode: {period.label_nl}",
        f"Gemaakt op: {timezone.localtime():%d-%m-%Y %H:%M}",
        f"Minimum per cel: {minimum}",
        "",
        "Geen persoonsgegevens: alleen aantallen. Aantallen kleiner dan het minimum zijn niet",
        "gepubliceerd (ook 0), en ook niet de aantallen waaruit ze met de rij- en kolomtotalen",
        "af te leiden zouden zijn (secundaire onderdrukking). Geslacht en migratieachtergrond",
        "zijn vrijwillig opgegeven; 'niet ingevuld' is een eigen categorie.",
        "",
        "Tabellen:",
        *[f"  {spec.name}: {spec.title}" for spec in SPECS],
        "",
        "Kolommen (komma-gescheiden, UTF-8, één regel per cel, totalen als '_totaal'):",
        *[f"  {name}: {text}" for name, text in COLUMNS],
        "",
        "Kenmerken:",
        *[
            f"  {dim}: {DIMENSION_LABELS[dim]}"
            for dim in sorted({s.rows for s in SPECS} | {s.columns for s in SPECS if s.columns})
        ],
    ]
    return "\n".join(lines) + "\n"


def open_data_zip(funds: Sequence[Fund], period: Period) -> bytes:
    """A ZIP with one CSV per table, all tables in one CSV, and a LEESMIJ.txt."""
    published, minimum = build(funds, period)
    labeller = Labeller()
    fund_label = "+".join(f.short_name for f in funds)
    period_label = period.key or "alle"
    buffer = io.BytesIO()
    header = [name for name, _ in COLUMNS]
    everything: list[list[str]] = []
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for item in published:
            rows = _csv_rows(fund_label, period_label, item, labeller)
            everything += rows
            archive.writestr(f"{item.spec.name}.csv", _csv_text(header, rows))
        archive.writestr("alle_tabellen.csv", _csv_text(header, everything))
        archive.writestr("LEESMIJ.txt", readme(funds, period, minimum))
    return buffer.getvalue()


def _csv_text(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def preview(funds: Sequence[Fund], period: Period) -> list[dict[str, Any]]:
    """The tables as the page shows them (grid with labels, 'x' for suppressed)."""
    published, _minimum = build(funds, period)
    labeller = Labeller()
    result = []
    for item in published:
        spec, table = item.spec, item.table
        for dim, values in ((spec.rows, item.row_values), (spec.columns, item.column_values)):
            if dim:
                labeller.prepare(dim, set(values))
        headers = (
            [str(labeller.label(spec.columns, c)) for c in item.column_values]
            if spec.columns
            else []
        )
        grid = []
        for r, code in enumerate([*item.row_values, TOTAL_CODE]):
            label = "Totaal" if code == TOTAL_CODE else str(labeller.label(spec.rows, code))
            if spec.columns:
                cells = [table.published(r, c) for c in range(table.columns + 1)]
            else:
                cells = [table.published(r, 0)]
            grid.append({"label": label, "cells": cells, "is_total": code == TOTAL_CODE})
        result.append(
            {"spec": spec, "headers": headers, "grid": grid, "two_way": bool(spec.columns)}
        )
    return result

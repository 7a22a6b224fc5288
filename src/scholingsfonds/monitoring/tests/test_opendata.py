"""The open-data tables: fixed shape, margins, nothing small, totals hidden consistently."""

import random

import pytest

from scholingsfonds.monitoring import opendata
from scholingsfonds.monitoring.domain.periods import EVERYTHING
from scholingsfonds.monitoring.models import Tally

pytestmark = pytest.mark.django_db


def fill(fund, seed, scale):
    """Aggregate rows as the refresh would write them, for the cross tables used."""
    rng = random.Random(seed)
    rows = []
    for spec in opendata.SPECS:
        if not spec.columns:
            continue
        dim = f"{spec.rows}|{spec.columns}"
        rows_values = opendata._values(spec.rows, [], [fund])
        column_values = opendata._values(spec.columns, [], [fund])
        for r in rows_values:
            for c in column_values:
                n = rng.choice([0, 2, 5, 12, 30, 80]) * scale
                if n:
                    rows.append(
                        Tally(
                            fund=fund,
                            grain="a",
                            period="",
                            municipality="",
                            dim=dim,
                            value=f"{r}|{c}",
                            **{spec.measure: n},
                        )
                    )
    for dim, measure in (
        ("migration", "applications"),
        ("municipality", "applications"),
        ("sector", "vouchers"),
    ):
        for value in opendata._values(dim, [], [fund]):
            n = rng.choice([0, 3, 15, 40])
            if n:
                rows.append(
                    Tally(
                        fund=fund,
                        grain="a",
                        period="",
                        municipality="",
                        dim=dim,
                        value=value,
                        **{measure: n},
                    )
                )
    Tally.objects.bulk_create(rows)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_published_tables_hide_small_cells_and_keep_their_margins(twente, seed):
    fill(twente, seed, 1)
    published, minimum = opendata.build([twente], EVERYTHING)
    assert minimum == 10
    assert [p.spec.name for p in published] == [s.name for s in opendata.SPECS]
    totals = {}
    for item in published:
        table = item.table
        for r in range(table.rows + 1):
            for c in range(table.columns + 1):
                value = table.published(r, c)
                assert value is None or value >= minimum
        totals.setdefault(item.spec.measure, set()).add(
            table.published(table.rows, table.columns) is None
        )
    # A grand total shared by several tables is hidden in all or in none of them.
    assert all(len(flags) == 1 for flags in totals.values())


def test_a_hidden_grand_total_is_hidden_in_every_table_of_that_measure(twente):
    fill(twente, 4, 1)
    # One table's total becomes tiny: it must be hidden, and so in the other tables.
    Tally.objects.filter(dim="migration").delete()
    Tally.objects.create(
        fund=twente,
        grain="a",
        period="",
        municipality="",
        dim="migration",
        value="yes",
        applications=4,
    )
    published, _ = opendata.build([twente], EVERYTHING)
    flags = {
        p.spec.name: p.table.published(p.table.rows, p.table.columns) is None
        for p in published
        if p.spec.measure == "applications"
    }
    assert set(flags.values()) == {True}


def test_the_zip_has_one_line_per_cell_and_a_readme(twente):
    import csv
    import io
    import zipfile

    fill(twente, 5, 3)
    archive = zipfile.ZipFile(io.BytesIO(opendata.open_data_zip([twente], EVERYTHING)))
    readme = archive.read("LEESMIJ.txt").decode()
    assert "Minimum per cel: 10" in readme and "onderdrukt" in readme
    rows = list(
        csv.DictReader(io.StringIO(archive.read("t5_cheques_route_loopbaanroute.csv").decode()))
    )
    # 2 routes and 4 career routes, plus their totals: 3 x 5 cells.
    assert len(rows) == 15
    assert {r["onderdrukt"] for r in rows} <= {"", "x"}
    for row in rows:
        assert (row["aantal"] == "") == (row["onderdrukt"] == "x")
        assert row["aantal"] == "" or int(row["aantal"]) >= 10

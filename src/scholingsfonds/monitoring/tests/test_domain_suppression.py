"""Small-cell suppression: nothing below the minimum is published, nothing hidden can be
worked out from what is published (row and column totals included)."""

from fractions import Fraction
from itertools import product

from hypothesis import given, settings
from hypothesis import strategies as st

from scholingsfonds.monitoring.domain.suppression import (
    PRIMARY,
    extend,
    one_way_published,
    suppress,
    suppress_one_way,
)

counts = st.one_of(st.integers(0, 12), st.integers(0, 60))
tables = st.integers(1, 4).flatmap(
    lambda rows: st.integers(1, 4).flatmap(
        lambda columns: st.lists(
            st.lists(counts, min_size=columns, max_size=columns), min_size=rows, max_size=rows
        )
    )
)
minimums = st.integers(1, 15)


def published_cells(table):
    return {
        (r, c): table.values[r][c]
        for r in range(table.rows + 1)
        for c in range(table.columns + 1)
        if not table.reasons[r][c]
    }


def determined(table, cell):
    """Exact linear algebra: is the hidden cell a function of the published numbers?

    Unknowns are the hidden cells; equations are the row and column sums of the extended
    table with the published values moved to the right-hand side. The cell is determined
    iff its unit vector lies in the row space of the equations (rank does not grow).
    """
    hidden = [
        (r, c)
        for r in range(table.rows + 1)
        for c in range(table.columns + 1)
        if table.reasons[r][c]
    ]
    index = {h: i for i, h in enumerate(hidden)}
    rows_, cols_ = table.rows, table.columns
    equations = []
    for r in range(rows_ + 1):  # row r: sum of its interior cells = its row total
        vector = [Fraction(0)] * len(hidden)
        for c in range(cols_ + 1):
            sign = -1 if c == cols_ else 1
            if (r, c) in index:
                vector[index[(r, c)]] += sign
        equations.append(vector)
    for c in range(cols_ + 1):
        vector = [Fraction(0)] * len(hidden)
        for r in range(rows_ + 1):
            sign = -1 if r == rows_ else 1
            if (r, c) in index:
                vector[index[(r, c)]] += sign
        equations.append(vector)
    target = [Fraction(0)] * len(hidden)
    target[index[cell]] = Fraction(1)
    return rank(equations + [target]) == rank(equations)


def rank(matrix):
    rows = [list(r) for r in matrix if any(r)]
    rank_, column = 0, 0
    width = len(rows[0]) if rows else 0
    while rank_ < len(rows) and column < width:
        pivot = next((i for i in range(rank_, len(rows)) if rows[i][column] != 0), None)
        if pivot is None:
            column += 1
            continue
        rows[rank_], rows[pivot] = rows[pivot], rows[rank_]
        for i in range(len(rows)):
            if i != rank_ and rows[i][column] != 0:
                factor = rows[i][column] / rows[rank_][column]
                rows[i] = [a - factor * b for a, b in zip(rows[i], rows[rank_], strict=True)]
        rank_ += 1
        column += 1
    return rank_


def alternative_exists(interior, table, cell):
    """Another table of non-negative whole counts with the same published numbers in which
    the hidden cell differs: built from a rectangle of changes, checked by recounting."""
    published = published_cells(table)
    rows_, cols_ = len(interior), len(interior[0])
    for r1, r2 in product(range(rows_ + 1), repeat=2):
        for c1, c2 in product(range(cols_ + 1), repeat=2):
            if r1 == r2 or c1 == c2:
                continue
            for step in (1, -1):
                changed = [list(row) for row in interior]
                # Only interior cells are changed; the totals follow from them.
                for (r, c), sign in (((r1, c1), 1), ((r1, c2), -1), ((r2, c2), 1), ((r2, c1), -1)):
                    if r < rows_ and c < cols_:
                        changed[r][c] += step * sign
                if any(v < 0 for row in changed for v in row):
                    continue
                other = extend(changed)
                if any(other[r][c] != v for (r, c), v in published.items()):
                    continue
                if other[cell[0]][cell[1]] != table.values[cell[0]][cell[1]]:
                    return True
    return False


@settings(max_examples=300, deadline=None)
@given(tables, minimums)
def test_no_published_cell_is_below_the_minimum(interior, minimum):
    table = suppress(interior, minimum)
    assert all(value >= minimum for value in published_cells(table).values())
    for r, line in enumerate(table.values):
        for c, value in enumerate(line):
            assert (table.reasons[r][c] == PRIMARY) == (value < minimum)


@settings(max_examples=300, deadline=None)
@given(tables, minimums)
def test_no_suppressed_cell_follows_from_the_totals(interior, minimum):
    table = suppress(interior, minimum)
    for cell in table.suppressed_cells():
        assert not determined(table, cell), (interior, minimum, cell)
        assert alternative_exists(interior, table, cell), (interior, minimum, cell)


@settings(max_examples=200, deadline=None)
@given(st.lists(counts, min_size=1, max_size=8), minimums)
def test_a_list_with_its_total_hides_at_least_two_or_none(values, minimum):
    table = suppress_one_way(values, minimum)
    cells, total = one_way_published(table)
    hidden = [v is None for v in [*cells, total]]
    assert sum(hidden) != 1
    assert all(v is None or v >= minimum for v in [*cells, total])
    for r in range(table.rows + 1):
        # The row totals of a one-way table repeat the cells: hidden together.
        assert table.reasons[r][0] == "" or table.reasons[r][1] != ""
        assert table.reasons[r][1] == "" or table.reasons[r][0] != ""


def test_a_single_small_cell_takes_the_smallest_other_cell_with_it():
    table = suppress([[12, 3, 40], [20, 25, 30], [15, 18, 11]], 10)
    assert table.published(0, 1) is None  # primary
    hidden = set(table.suppressed_cells())
    assert len(hidden) == 4 and (0, 3) not in hidden and (3, 3) not in hidden


def test_hidden_zeros_are_not_given_away_by_a_total_that_adds_up():
    # 0 and 0 hidden beside 50 with the total 50 published would give both zeros away.
    cells, total = one_way_published(suppress_one_way([0, 0, 50], 10))
    assert cells == [None, None, None] and total == 50


def test_nothing_is_hidden_when_every_count_is_large_enough():
    table = suppress([[10, 11], [12, 13]], 10)
    assert table.suppressed_cells() == []


def test_a_forced_total_is_hidden_and_protected():
    table = suppress([[20, 30], [40, 50]], 10, force={(2, 2)})
    assert table.published(2, 2) is None
    assert not determined(table, (2, 2))

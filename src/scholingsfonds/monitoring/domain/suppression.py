"""Small-cell suppression for published tables: primary and secondary (plain Python).

A table is published with its margins: the row totals (last column), the column totals
(last row) and the grand total (the corner). Every cell below the minimum is suppressed
(*primary*, zeros included: a published 0 is below the minimum too). That alone is not
enough: a single hidden cell in a row is the row total minus the others. So more cells are
hidden (*secondary*) until every hidden cell lies on a hidden *rectangle* along which the
table can change while every published number, row and column sum stays the same and no
count goes below zero. Then no hidden cell follows from the published numbers.

Why rectangles: write the margins with a minus sign (row total r: -x[r][C], column total c:
-x[R][c], grand total +x[R][C]); then every row and every column of the extended table sums
to zero, and adding +t, -t, +t, -t at the corners (r1,c1), (r1,c2), (r2,c2), (r2,c1) keeps
it so. With integer counts, t = 1 is allowed when every count that would go down is at least
1. A cell on such a rectangle has at least two possible values given what is published.

Secondary cells are chosen greedily, cheapest first: interior cells before margins, the
grand total last, smaller counts before larger ones (less information lost).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

PRIMARY = "primary"
SECONDARY = "secondary"

Cell = tuple[int, int]


@dataclass(frozen=True)
class SuppressedTable:
    """A table with its margins and what may be published.

    `values[r][c]` holds the extended table: rows 0..R-1 and columns 0..C-1 are the
    interior, column C the row totals, row R the column totals, [R][C] the grand total.
    `reasons[r][c]` is "" (published), "primary" or "secondary".
    """

    values: tuple[tuple[int, ...], ...]
    reasons: tuple[tuple[str, ...], ...]
    minimum: int

    @property
    def rows(self) -> int:
        """Interior rows."""
        return len(self.values) - 1

    @property
    def columns(self) -> int:
        """Interior columns."""
        return len(self.values[0]) - 1

    def published(self, row: int, column: int) -> int | None:
        """The value to publish, or None when suppressed."""
        return None if self.reasons[row][column] else self.values[row][column]

    def suppressed_cells(self) -> list[Cell]:
        """Every suppressed cell of the extended table."""
        return [
            (r, c) for r, line in enumerate(self.reasons) for c, reason in enumerate(line) if reason
        ]


def extend(interior: Sequence[Sequence[int]]) -> list[list[int]]:
    """The table with its row totals, column totals and grand total."""
    if not interior or not interior[0]:
        raise ValueError("a table needs at least one row and one column")
    width = len(interior[0])
    if any(len(row) != width for row in interior):
        raise ValueError("every row needs the same number of columns")
    if any(value < 0 for row in interior for value in row):
        raise ValueError("counts cannot be negative")
    table = [[*row, sum(row)] for row in interior]
    table.append([sum(row[c] for row in table) for c in range(width + 1)])
    return table


def _sign(cell: Cell, last_row: int, last_column: int) -> int:
    """+1 for interior cells and the grand total, -1 for a single margin."""
    return -1 if (cell[0] == last_row) != (cell[1] == last_column) else 1


def _rectangle(a: Cell, other_row: int, other_column: int) -> tuple[Cell, Cell, Cell, Cell]:
    r1, c1 = a
    return ((r1, c1), (r1, other_column), (other_row, other_column), (other_row, c1))


def movable(values: Sequence[Sequence[int]], corners: tuple[Cell, Cell, Cell, Cell]) -> bool:
    """Whether the counts can move one step along the rectangle without going negative."""
    last_row, last_column = len(values) - 1, len(values[0]) - 1
    for direction in (1, -1):
        ok = True
        for position, cell in enumerate(corners):
            step = direction * (1 if position % 2 == 0 else -1) * _sign(cell, last_row, last_column)
            if step < 0 and values[cell[0]][cell[1]] < 1:
                ok = False
                break
        if ok:
            return True
    return False


def _protected(values: Sequence[Sequence[int]], hidden: set[Cell], cell: Cell) -> bool:
    rows, columns = len(values), len(values[0])
    for other_row in range(rows):
        if other_row == cell[0]:
            continue
        for other_column in range(columns):
            if other_column == cell[1]:
                continue
            corners = _rectangle(cell, other_row, other_column)
            if all(c in hidden for c in corners) and movable(values, corners):
                return True
    return False


def _cost(values: Sequence[Sequence[int]], cell: Cell, penalty: int) -> int:
    last_row, last_column = len(values) - 1, len(values[0]) - 1
    margins = (cell[0] == last_row) + (cell[1] == last_column)
    # One margin costs `penalty`, the grand total (both) three times that: keep totals visible.
    extra = {0: 0, 1: penalty, 2: 3 * penalty}[margins]
    return values[cell[0]][cell[1]] + extra


def suppress(
    interior: Sequence[Sequence[int]], minimum: int, force: Iterable[Cell] = ()
) -> SuppressedTable:
    """Primary and secondary suppression of a two-way table with its margins.

    `force` names cells (of the extended table) to hide in any case, e.g. a grand total that
    another published table hides.
    """
    if minimum < 1:
        raise ValueError("the minimum must be at least 1")
    values = extend(interior)
    rows, columns = len(values), len(values[0])
    reasons = [["" for _ in range(columns)] for _ in range(rows)]
    hidden: set[Cell] = set()
    for r in range(rows):
        for c in range(columns):
            if values[r][c] < minimum:
                reasons[r][c] = PRIMARY
                hidden.add((r, c))
    for r, c in force:
        if not reasons[r][c]:
            reasons[r][c] = SECONDARY
            hidden.add((r, c))
    penalty = values[-1][-1] + 1
    while True:
        exposed = sorted(
            (cell for cell in hidden if not _protected(values, hidden, cell)),
            key=lambda cell: (values[cell[0]][cell[1]], cell),
        )
        if not exposed:
            break
        cell = exposed[0]
        best: tuple[int, int, tuple[Cell, ...]] | None = None
        for other_row in range(rows):
            if other_row == cell[0]:
                continue
            for other_column in range(columns):
                if other_column == cell[1]:
                    continue
                corners = _rectangle(cell, other_row, other_column)
                if not movable(values, corners):
                    continue
                new = tuple(c for c in corners if c not in hidden)
                cost = sum(_cost(values, c, penalty) for c in new)
                candidate = (cost, len(new), new)
                if best is None or candidate[:2] < best[:2]:
                    best = candidate
        # The rectangle through the cell's row total, column total and grand total always
        # moves (all four go up together), so `best` is never None.
        assert best is not None  # noqa: S101
        for new_cell in best[2]:
            hidden.add(new_cell)
            reasons[new_cell[0]][new_cell[1]] = SECONDARY
    return SuppressedTable(
        values=tuple(tuple(row) for row in values),
        reasons=tuple(tuple(row) for row in reasons),
        minimum=minimum,
    )


def suppress_one_way(counts: Sequence[int], minimum: int) -> SuppressedTable:
    """A list of counts with its total, as a one-column table (row totals repeat the cells)."""
    return suppress([[count] for count in counts], minimum)


def one_way_published(table: SuppressedTable) -> tuple[list[int | None], int | None]:
    """The publishable cells and total of a table made by `suppress_one_way`."""
    cells = [table.published(r, 0) for r in range(table.rows)]
    return cells, table.published(table.rows, 0)

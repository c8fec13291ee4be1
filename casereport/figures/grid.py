"""Where each panel of a figure goes: a grid of rows and columns, panels spanning cells.

Panels fill the grid in reading order (left to right, then down), each in the first free
place after the previous one where its span fits, as CSS grid's auto-placement does. A
layout that names neither rows nor columns is a single row of all the panels.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from casereport.model import Figure

ROW_NAMES = {2: ("upper", "lower"), 3: ("upper", "middle", "lower")}
COLUMN_NAMES = {2: ("left", "right"), 3: ("left", "centre", "right")}


@dataclass(frozen=True)
class Cell:
    """A panel's place: its top-left cell and how many rows and columns it spans."""

    row: int
    column: int
    rows: int = 1
    columns: int = 1


@dataclass(frozen=True)
class Grid:
    """The whole grid and every panel's place in it, in panel order."""

    rows: int
    columns: int
    cells: tuple[Cell, ...]

    def row_name(self, index: int) -> str | None:
        """ "upper", "middle" or "lower" for a panel in one row of a 2- or 3-row grid."""
        cell = self.cells[index]
        names = ROW_NAMES.get(self.rows)
        return names[cell.row] if names and cell.rows == 1 else None

    def column_name(self, index: int) -> str | None:
        """ "left", "centre" or "right" for a panel in one column of a 2- or 3-column grid."""
        cell = self.cells[index]
        names = COLUMN_NAMES.get(self.columns)
        return names[cell.column] if names and cell.columns == 1 else None


class GridError(ValueError):
    """The panels do not fit the layout; panel_index says which one, if one."""

    def __init__(self, panel_index: int | None, message: str) -> None:
        super().__init__(message)
        self.panel_index = panel_index
        self.message = message


def place(
    spans: Sequence[tuple[int, int]], rows: int | None = None, columns: int | None = None
) -> Grid:
    """Place panels with these (rows, columns) spans; raise GridError when they do not fit."""
    rows, columns = _dimensions(spans, rows, columns)
    if rows is not None and rows * columns < len(spans):
        count = rows * columns
        message = (
            f"layout {rows}x{columns} has {count} cell{'s' * (count != 1)} for {len(spans)} panels"
        )
        raise GridError(None, message)
    taken: set[tuple[int, int]] = set()
    cells: list[Cell] = []
    cursor = 0
    for index, (span_rows, span_columns) in enumerate(spans):
        _check_span(index, span_rows, span_columns, rows, columns)
        cursor = _first_fit(taken, cursor, span_rows, span_columns, rows, columns, index)
        row, column = divmod(cursor, columns)
        cells.append(Cell(row, column, span_rows, span_columns))
        taken.update(
            (r, c)
            for r in range(row, row + span_rows)
            for c in range(column, column + span_columns)
        )
    used = max(cell.row + cell.rows for cell in cells) if cells else 1
    return Grid(rows if rows is not None else used, columns, tuple(cells))


def _dimensions(
    spans: Sequence[tuple[int, int]], rows: int | None, columns: int | None
) -> tuple[int | None, int]:
    """Columns to fill (and rows, if fixed): a single row unless the layout says otherwise."""
    if columns is not None:
        return rows, columns
    if rows is None or rows == 1:
        return rows, max(1, sum(c for _, c in spans))
    area = sum(r * c for r, c in spans)
    widest = max((c for _, c in spans), default=1)
    return rows, max(widest, math.ceil(area / rows))


def _check_span(
    index: int, span_rows: int, span_columns: int, rows: int | None, columns: int
) -> None:
    if span_columns > columns:
        raise GridError(index, f"spans {span_columns} columns; the layout has {columns}")
    if rows is not None and span_rows > rows:
        raise GridError(index, f"spans {span_rows} rows; the layout has {rows}")


def _first_fit(
    taken: set[tuple[int, int]],
    start: int,
    span_rows: int,
    span_columns: int,
    rows: int | None,
    columns: int,
    index: int,
) -> int:
    """The first cell number from `start` where a panel of this span fits."""
    position = start
    limit = (rows if rows is not None else start // columns + span_rows + len(taken) + 1) * columns
    while position < limit:
        row, column = divmod(position, columns)
        fits = column + span_columns <= columns and (rows is None or row + span_rows <= rows)
        if fits and all(
            (r, c) not in taken
            for r in range(row, row + span_rows)
            for c in range(column, column + span_columns)
        ):
            return position
        position += 1
    raise GridError(index, "no room left for this panel in the layout; add rows or columns")


def figure_grid(figure: Figure) -> Grid:
    """Where each panel goes (raises GridError)."""
    spans = [(p.span.rows, p.span.columns) for p in figure.panels]
    return place(spans, figure.layout.rows, figure.layout.columns)

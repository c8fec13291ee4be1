"""Panel placement: rows and columns, a single row by default, spans, and what cannot fit."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casereport.figures.grid import Cell, GridError, place


def test_no_layout_is_a_single_row() -> None:
    grid = place([(1, 1)] * 3)
    assert (grid.rows, grid.columns) == (1, 3)
    assert [c.column for c in grid.cells] == [0, 1, 2]


def test_rows_and_columns_fill_in_reading_order() -> None:
    grid = place([(1, 1)] * 4, 2, 2)
    assert [(c.row, c.column) for c in grid.cells] == [(0, 0), (0, 1), (1, 0), (1, 1)]
    assert [grid.row_name(i) for i in range(4)] == ["upper", "upper", "lower", "lower"]
    assert [grid.column_name(i) for i in range(4)] == ["left", "right", "left", "right"]


def test_rows_only_computes_columns() -> None:
    grid = place([(1, 1)] * 5, rows=2)
    assert (grid.rows, grid.columns) == (2, 3)


def test_a_panel_spanning_two_rows_leaves_room_beside_it() -> None:
    grid = place([(2, 1), (1, 1), (1, 1), (1, 1), (1, 1)], 2, 3)
    assert grid.cells == (
        Cell(0, 0, 2, 1),
        Cell(0, 1),
        Cell(0, 2),
        Cell(1, 1),
        Cell(1, 2),
    )
    assert grid.row_name(0) is None  # spans both rows: neither upper nor lower
    assert grid.column_name(0) == "left" and grid.column_name(2) == "right"


def test_a_wide_panel_moves_to_the_next_row_when_it_does_not_fit() -> None:
    grid = place([(1, 1), (1, 2)], columns=2)
    assert grid.cells == (Cell(0, 0), Cell(1, 0, 1, 2))
    assert grid.rows == 2


def test_middle_and_centre_in_three_by_three() -> None:
    grid = place([(1, 1)] * 9, 3, 3)
    assert grid.row_name(4) == "middle" and grid.column_name(4) == "centre"


@pytest.mark.parametrize(
    ("spans", "rows", "columns", "index", "message"),
    [
        ([(1, 1)] * 3, 1, 2, None, "layout 1x2 has 2 cells for 3 panels"),
        ([(1, 3)], 1, 2, 0, "spans 3 columns; the layout has 2"),
        ([(3, 1)], 2, 2, 0, "spans 3 rows; the layout has 2"),
        ([(1, 1), (2, 2)], 2, 2, 1, "no room left for this panel in the layout"),
    ],
)
def test_what_cannot_fit(
    spans: list[tuple[int, int]], rows: int, columns: int, index: int | None, message: str
) -> None:
    with pytest.raises(GridError) as caught:
        place(spans, rows, columns)
    assert caught.value.panel_index == index
    assert caught.value.message.startswith(message)


@settings(max_examples=200, deadline=None)
@given(
    spans=st.lists(st.tuples(st.integers(1, 3), st.integers(1, 3)), min_size=1, max_size=9),
    rows=st.none() | st.integers(1, 4),
    columns=st.none() | st.integers(1, 4),
)
def test_placed_panels_never_overlap_and_stay_inside(
    spans: list[tuple[int, int]], rows: int | None, columns: int | None
) -> None:
    try:
        grid = place(spans, rows, columns)
    except GridError as exc:
        assert exc.panel_index is None or 0 <= exc.panel_index < len(spans)
        return
    taken: set[tuple[int, int]] = set()
    for cell, (span_rows, span_columns) in zip(grid.cells, spans, strict=True):
        assert (cell.rows, cell.columns) == (span_rows, span_columns)
        assert cell.row + cell.rows <= grid.rows and cell.column + cell.columns <= grid.columns
        covered = {
            (r, c)
            for r in range(cell.row, cell.row + cell.rows)
            for c in range(cell.column, cell.column + cell.columns)
        }
        assert not covered & taken
        taken |= covered
    starts = [(c.row, c.column) for c in grid.cells]
    assert starts == sorted(starts)  # reading order
    assert rows is None or grid.rows == rows
    assert columns is None or grid.columns == columns

"""Checks across a validated case's parts: layouts, panels, charts and tables.

Each finds what the schema alone cannot: panels that do not fit their layout or contradict
it ("row: upper" on a panel the grid puts below), an image used twice, a scale bar with
no calibration, a chart whose times do not parse, a table of data the case does not have.
Every problem is reported at the value's field path, naming the figure and the panel.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from casereport.errors import PathKey, Problem
from casereport.figures.grid import Grid, GridError, figure_grid
from casereport.figures.legend import panel_letters
from casereport.model import Case, Figure


def check_case_parts(case: Case, case_dir: Path) -> list[Problem]:
    """Every cross-part problem of the case (whose images are named from `case_dir`)."""
    problems: list[Problem] = []
    seen: dict[Path, tuple[int, int]] = {}
    for i, figure in enumerate(case.figures):
        problems += _figure(case, case_dir, i, figure, seen)
    problems += _tables(case)
    problems += _columns(case)
    return problems


def _figure(
    case: Case,
    case_dir: Path,
    i: int,
    figure: Figure,
    seen: dict[Path, tuple[int, int]],
) -> Iterator[Problem]:
    where: PathKey = ("figures", i)
    name = f"figure {figure.id!r}"
    if figure.chart is not None:
        yield from _chart(case, i, figure)
        return
    letters = panel_letters(len(figure.panels))
    try:
        grid = figure_grid(figure)
    except GridError as exc:
        at = (
            (*where, "layout")
            if exc.panel_index is None
            else (*where, "panels", exc.panel_index, "span")
        )
        which = "" if exc.panel_index is None else f", panel {letters[exc.panel_index]}"
        yield Problem(at, f"{name}{which}: {exc.message}")
        grid = None
    for j, panel in enumerate(figure.panels):
        here = (*where, "panels", j)
        label = f"{name}, panel {letters[j]} ({panel.image!r})"
        if grid is not None:
            yield from _places(grid, j, panel.row, panel.position, here, label)
        if panel.scale_bar is not None and panel.micrometres_per_pixel is None:
            message = f"{label}: a scale bar needs `micrometres_per_pixel` (the calibration)"
            yield Problem((*here, "scale_bar"), message)
        resolved = (case_dir / panel.image).resolve()
        if resolved in seen:
            fi, pj = seen[resolved]
            first = case.figures[fi]
            other = f"panel {panel_letters(len(first.panels))[pj]}"
            other += "" if fi == i else f" of figure {first.id!r}"
            message = f"{label}: this image is already {other}; each panel needs its own image"
            yield Problem((*here, "image"), message)
        seen.setdefault(resolved, (i, j))


def _places(
    grid: Grid,
    j: int,
    row: str | None,
    position: str | None,
    here: PathKey,
    label: str,
) -> Iterator[Problem]:
    """A declared row or position that the layout contradicts."""
    for field, declared, actual in (
        ("row", row, grid.row_name(j)),
        ("position", position, grid.column_name(j)),
    ):
        if declared is not None and declared != actual:
            placed = f"in the {actual} {field}" if actual else "where no such name applies"
            message = (
                f"{label}: says {field}: {declared}, but the layout "
                f"({grid.rows}x{grid.columns}) puts it {placed}"
            )
            yield Problem((*here, field), message)


def _chart(case: Case, i: int, figure: Figure) -> Iterator[Problem]:
    from casereport.clinical.course import CourseError, course

    assert figure.chart is not None
    try:
        course(case, figure.chart, ("figures", i))
    except CourseError as exc:
        yield Problem(exc.path, f"figure {figure.id!r} (chart): {exc.message}")


def _tables(case: Case) -> Iterator[Problem]:
    have = {"scores": case.scores, "labs": case.labs, "timeline": case.timeline}
    seen: dict[str, int] = {}
    for i, table in enumerate(case.tables):
        if not have[table.shows]:
            message = f"table {table.id!r} shows {table.shows}, but the case has no `{table.shows}`"
            yield Problem(("tables", i, "shows"), message)
        if table.id in seen:
            message = f"duplicate table id {table.id!r} (first is tables[{seen[table.id]}])"
            yield Problem(("tables", i, "id"), message)
        seen.setdefault(table.id, i)


MAX_COLUMNS = 20  # instruments (the columns of a scores table, the panels of a chart) and
# laboratory timepoints (the columns of a laboratory table)


def _columns(case: Case) -> Iterator[Problem]:
    """Bounds on the columns the case's data make (their rows are bounded by the schema)."""
    counts = (
        ("scores", len({name for row in case.scores for name in row.values}), "score instruments"),
        ("labs", len({lab.at for lab in case.labs if lab.at}), "laboratory timepoints"),
    )
    for field, count, what in counts:
        if count > MAX_COLUMNS:
            message = f"{count} different {what}; the limit is {MAX_COLUMNS}"
            yield Problem((field,), message)

"""The figures stage: compose each numbered figure at the journal's printed width.

Pillow work lives in `compose`, charts in `chart`; this stage decides sizes, letters and
names, and turns a panel's failure or warning into a diagnostic at that panel's line in
the case file. Charts are drawn only when a case has one, so `chart` is not imported
otherwise; a warm rebuild finds every composed figure in the cache and decodes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.cache import content_key
from casereport.checked import CheckedCase
from casereport.errors import CaseError, Diagnostic, Problem, ProblemsFound
from casereport.export.files import write_bytes_atomic
from casereport.figures.legend import draws_letters, figure_legend, panel_letters
from casereport.memo import Memo
from casereport.model import Figure, Panel
from casereport.positions import locate

if TYPE_CHECKING:
    from casereport.figures.annotate import Marks
    from casereport.figures.compose import ComposeSpec
    from casereport.numbered import NumberedFigure

MM_PER_INCH = 25.4
CSS_PX_PER_INCH = 96


@dataclass(frozen=True)
class FigureFile:
    """A composed figure: the cached file, and the name the letter links it by."""

    file: Path
    src: str
    width_px: int
    height_px: int
    submission: Path | None = None


@dataclass(frozen=True)
class Figures:
    """Every figure of the case, and the warnings about their panels."""

    files: tuple[FigureFile, ...]
    warnings: tuple[Diagnostic, ...]


def printed_width(checked: CheckedCase, figure: Figure) -> float:
    """The figure's printed width in mm: the journal's width of that name, else its widest."""
    widths = checked.journal.figure_width_mm
    return float(widths.get(figure.width, max(widths.values())))


def _width_warning(checked: CheckedCase, figure: Figure, where: int) -> list[Problem]:
    widths = checked.journal.figure_width_mm
    if figure.width in widths:
        return []
    known = ", ".join(widths)
    message = (
        f"figure {figure.id!r}: {checked.journal.name} has no {figure.width!r} width "
        f"({known}); printed {printed_width(checked, figure):g} mm wide"
    )
    return [Problem(("figures", where, "width"), message).as_warning()]


def _caption_warnings(checked: CheckedCase, numbered: NumberedFigure, where: int) -> list[Problem]:
    """A caption that would be its label alone; `labels: true` on a single panel."""
    figure = numbered.figure
    found = []
    if not figure.title and not numbered.legend.text.strip():
        label = checked.journal.figure_style.caption_label(numbered.number)
        message = (
            f"figure {figure.id!r} has no title and its panels give no legend: its caption "
            f"is only {label!r}; add a `title`, a `legend`, or what the panels show"
        )
        found.append(Problem(("figures", where), message))
    if figure.labels and len(figure.panels) == 1:
        message = f"figure {figure.id!r}: a single panel is not lettered; `labels: true` is ignored"
        found.append(Problem(("figures", where, "labels"), message))
    return [d.as_warning() for d in found]


def make_figures(
    checked: CheckedCase, cache: Path, *, submission: bool = False, memo: Memo | None = None
) -> Figures:
    """Compose every figure of the case (from the cache when its inputs are unchanged).

    The pixels are kept (on disk, under a key of the panels' bytes and every parameter;
    charts in `memo` under their drawing's inputs); the diagnostics are made anew from the
    current case file on every call, so they always point at its current lines."""
    memo = memo or Memo()
    files: list[FigureFile] = []
    problems: list[Problem] = []
    warnings: list[Problem] = []
    index = {f.id: i for i, f in enumerate(checked.case.figures)}
    for numbered in checked.resolved.figures:
        where = index[numbered.figure.id]
        warnings += _width_warning(checked, numbered.figure, where)
        warnings += _caption_warnings(checked, numbered, where)
        if numbered.figure.chart is not None:
            files.append(_chart(checked, numbered, cache, memo))
            continue
        try:
            made, notes = _composed(checked, numbered, where, cache, submission, memo)
        except ProblemsFound as exc:
            problems += exc.problems
            continue
        files.append(made)
        warnings += notes
    if problems:
        raise CaseError(locate(checked.source, problems))
    return Figures(tuple(files), locate(checked.source, warnings))


def _composed(
    checked: CheckedCase,
    numbered: NumberedFigure,
    where: int,
    cache: Path,
    submission: bool,
    memo: Memo,
) -> tuple[FigureFile, list[Problem]]:
    from casereport.figures.compose import FigureError, compose

    figure = numbered.figure
    tiff = submission and checked.journal.figure_style.submission == "tiff"
    try:
        made = compose(_spec(checked, figure), cache / "figures", tiff=tiff)
    except FigureError as exc:
        problem = _panel_problem(figure, where, exc.panel_index, exc.message)
        raise ProblemsFound([problem]) from None
    if made.made:
        memo.record("figures")
    notes = [_panel_problem(figure, where, i, m).as_warning() for i, m in made.notes]
    name = f"figures/figure-{numbered.number}.jpg"
    sent = made.tiff if tiff else made.path
    return FigureFile(made.path, name, made.width, made.height, sent), notes


def _panel_problem(figure: Figure, where: int, panel: int | None, message: str) -> Problem:
    """A problem at the panel's image (or the figure's layout), naming figure and panel."""
    if panel is None:
        return Problem(("figures", where, "layout"), f"figure {figure.id!r}: {message}")
    letter = panel_letters(len(figure.panels))[panel]
    image = figure.panels[panel].image
    text = f"figure {figure.id!r}, panel {letter} ({image!r}): {message}"
    return Problem(("figures", where, "panels", panel, "image"), text)


def _spec(checked: CheckedCase, figure: Figure) -> ComposeSpec:
    from casereport.figures.compose import ComposeSpec

    journal = checked.journal
    style = journal.figure_style
    case_dir = checked.source.path.parent
    width_mm = printed_width(checked, figure)
    grid = _grid(figure)
    letters = panel_letters(len(figure.panels), style.legend.letters)
    return ComposeSpec(
        panels=tuple(case_dir / panel.image for panel in figure.panels),
        rows=grid[0],
        columns=grid[1],
        width_px=round(width_mm / MM_PER_INCH * journal.dpi),
        gutter_px=round(style.gutter_mm / MM_PER_INCH * journal.dpi),
        labels=letters if draws_letters(figure, style.legend) else (),
        spans=tuple((p.span.rows, p.span.columns) for p in figure.panels),
        marks=tuple(_marks(p) for p in figure.panels),
        label_style=style.label,
        dpi=journal.dpi,
    )


def _grid(figure: Figure) -> tuple[int, int]:
    from casereport.figures.grid import figure_grid

    grid = figure_grid(figure)
    return grid.rows, grid.columns


def _marks(panel: Panel) -> Marks:
    from casereport.figures.annotate import Marks

    return Marks(
        arrows=tuple((a.at[0], a.at[1], a.direction) for a in panel.arrows),
        circles=tuple((c.at[0], c.at[1], c.radius) for c in panel.circles),
        micrometres_per_pixel=panel.micrometres_per_pixel,
        scale_bar_um=panel.scale_bar,
    )


def _chart(checked: CheckedCase, numbered: NumberedFigure, cache: Path, memo: Memo) -> FigureFile:
    """Draw a chart figure as SVG into the cache (named by its content)."""
    from casereport.clinical.course import course
    from casereport.figures.chart import render_chart

    figure = numbered.figure
    chart = figure.chart
    assert chart is not None
    case = checked.case
    width_mm = printed_width(checked, figure)
    where = ("figures", case.figures.index(figure))
    description = f"{figure.title} {figure_legend(figure, case=case).text}".strip()
    # What the drawing reads: the course data of the case, the figure, width and text.
    # Where the figure sits in the case file (for a diagnostic) is not part of the key:
    # a failure is raised again, never kept.
    inputs = case.model_dump_json(include={"scores", "treatments", "labs", "timeline"})
    key = (inputs, figure.model_dump_json(), width_mm, description)
    svg = memo.get(
        "chart",
        key,
        lambda: render_chart(course(case, chart, where), width_mm, description),
    )
    path = cache / "charts" / f"{content_key(svg.text)}.svg"
    if not path.is_file():
        write_bytes_atomic(path, svg.text.encode("utf-8"))
    width, height = (
        round(mm / MM_PER_INCH * CSS_PX_PER_INCH) for mm in (svg.width_mm, svg.height_mm)
    )
    src = f"figures/figure-{numbered.number}.svg"
    return FigureFile(path, src, width, height, path)

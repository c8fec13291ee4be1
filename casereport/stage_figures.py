"""The figures stage: compose each numbered figure at the journal's printed width.

Pillow work lives in `figures`; this stage decides sizes and names and turns a panel's
failure into a diagnostic at that panel's line in the case file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.cache import read_json, write_json
from casereport.errors import CaseError, Diagnostic
from casereport.validate import diagnostic

if TYPE_CHECKING:
    from casereport.build import Checked

MM_PER_INCH = 25.4


@dataclass(frozen=True)
class FigureFile:
    """A composed figure: the cached file, and the name the letter links it by."""

    file: Path
    src: str
    width_px: int
    height_px: int


def make_figures(checked: Checked, out: Path) -> tuple[FigureFile, ...]:
    """Compose every figure of the case (from the cache when its inputs are unchanged)."""
    if not checked.resolved.figures:
        return ()
    from casereport.figures import ComposeSpec, FigureError, compose_figure

    case_dir = checked.source.path.parent
    index = {f.id: i for i, f in enumerate(checked.case.figures)}
    files: list[FigureFile] = []
    problems: list[Diagnostic] = []
    for numbered in checked.resolved.figures:
        figure = numbered.figure
        width_mm = checked.journal.figure_width_mm.get(figure.width, 170.0)
        spec = ComposeSpec(
            panels=tuple(case_dir / panel.image for panel in figure.panels),
            rows=figure.layout.rows,
            columns=figure.layout.columns,
            width_px=round(width_mm / MM_PER_INCH * checked.journal.dpi),
        )
        try:
            path = compose_figure(spec, out / ".cache" / "figures")
        except FigureError as exc:
            where: tuple[str | int, ...] = ("figures", index[figure.id], "layout")
            message = exc.message
            if exc.panel_index is not None:
                where = ("figures", index[figure.id], "panels", exc.panel_index, "image")
                message = f"{figure.panels[exc.panel_index].image!r}: {message}"
            problems.append(diagnostic(checked.source, where, message))
            continue
        files.append(_figure_file(path, numbered.number))
    if problems:
        raise CaseError(problems)
    return tuple(files)


def _figure_file(path: Path, number: int) -> FigureFile:
    """The figure's link and size; the size is kept beside the cached file, so a warm
    build does not even import Pillow."""
    size = read_json(path.parent, f"{path.stem}.size")
    if not (isinstance(size, list) and len(size) == 2):
        from PIL import Image

        with Image.open(path) as image:
            size = list(image.size)
        write_json(path.parent, f"{path.stem}.size", size)
    return FigureFile(path, f"figures/figure-{number}.jpg", int(size[0]), int(size[1]))

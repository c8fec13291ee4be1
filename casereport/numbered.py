"""The resolve stage's value: the case with its citations, figures and tables numbered.

Its own module, like `model` for the validate stage, so that what reads it (the reference
list, tables, the figures stage, render, checks) imports the value and not the stage.
"""

from __future__ import annotations

from dataclasses import dataclass

from casereport.errors import PathKey, Problem
from casereport.model import Case, Figure, Reference, Table
from casereport.prose import Prose


@dataclass(frozen=True)
class NumberedFigure:
    """A figure with its number and its legend (hand-written or generated)."""

    number: int
    figure: Figure
    legend: Prose


@dataclass(frozen=True)
class NumberedTable:
    """A table with its number, in order of first mention."""

    number: int
    table: Table


@dataclass(frozen=True)
class Resolved:
    """The case with every citation and figure numbered, ready to render."""

    case: Case
    texts: tuple[tuple[PathKey, Prose], ...]  # in printed order: abstract, body or sections
    references: tuple[Reference, ...]
    figures: tuple[NumberedFigure, ...]
    numbers: dict[str, int]
    warnings: tuple[Problem, ...]  # positioned by the check stage (`build.check_case`)
    tables: tuple[NumberedTable, ...] = ()

    @property
    def proses(self) -> tuple[Prose, ...]:
        """Every text that cites: the text in printed order, then each figure's legend in
        figure order."""
        return (*(p for _, p in self.texts), *(f.legend for f in self.figures))

    @property
    def words(self) -> int:
        """Words of the text (the body, or the sections), without the abstract."""
        return sum(p.words for path, p in self.texts if path[0] != "abstract")

    def text(self, path: PathKey) -> Prose:
        """The parsed text at a field path."""
        return dict(self.texts)[path]

    @property
    def labelled_texts(self) -> tuple[tuple[PathKey, Prose], ...]:
        """Every text that cites with its field path: the text, then each legend."""
        legends = {f.figure.id: f.legend for f in self.figures}
        return (
            *self.texts,
            *((("figures", i, "legend"), legends[f.id]) for i, f in enumerate(self.case.figures)),
        )

"""Figures and tables in Word: an image at its printed width with its caption below, a
real table with its title above, a header row that repeats on each page, and its notes.

A figure's image is the composed file of the build cache (a chart's SVG as a 300-dpi PNG,
`raster`); the writer opens no other file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm

from casereport.errors import BuildError
from casereport.export.docx.page import TABLE_NOTE, TABLE_TEXT, TEXT_WIDTH_MM
from casereport.export.docx.prose import Look, add_inlines, add_run, paragraph_in, set_style
from casereport.export.docx.raster import chart_png

if TYPE_CHECKING:
    from docx.document import Document
    from docx.table import _Row
    from docx.text.paragraph import Paragraph as WordParagraph

    from casereport.manuscript import Cell, Figure, Table

CAPTION = "Caption"
HAIR_SPACE = "\u200a"  # between a value and its flag mark, as the HTML prints it
BOLD = Look(bold=True)
MM_PER_POINT = 25.4 / 72


@dataclass(frozen=True)
class FigureFiles:
    """Where a figure's image is: each composed file by its src ("figures/figure-1.jpg"),
    the printed widths by name (mm), and the cache the raster charts are kept in."""

    files: Mapping[str, Path]
    widths_mm: Mapping[str, float]
    cache: Path

    def width_mm(self, figure: Figure) -> float:
        """The figure's printed width: the journal's width of that name, else its widest,
        never wider than the page's text."""
        widths = self.widths_mm or {"full": TEXT_WIDTH_MM}
        width = float(widths.get(figure.width, max(widths.values())))
        return min(width, TEXT_WIDTH_MM)

    def image(self, figure: Figure) -> Path:
        """The file Word embeds: the composed image, a chart as PNG."""
        source = self.files.get(figure.image.src)
        if source is None:
            raise BuildError(f"{figure.image.src}: the composed figure is not in the build")
        if source.suffix.lower() != ".svg":
            return source
        width = self.width_mm(figure)
        height = width * figure.image.height_px / figure.image.width_px
        return chart_png(source, self.cache, width, height)


def add_figure(document: Document, figure: Figure, files: FigureFiles) -> None:
    """The image centred at its printed width, with the figure's alternative text (Word's
    "Alt Text", read by screen readers), kept with its caption below it."""
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.keep_with_next = True
    paragraph.paragraph_format.line_spacing = 1.0
    picture = paragraph.add_run().add_picture(
        str(files.image(figure)), width=Mm(files.width_mm(figure))
    )
    picture._inline.docPr.set("descr", figure.alt)
    add_figure_legend(document, figure)


def add_figure_legend(document: Document, figure: Figure) -> None:
    """The caption: its label in bold and the title, then the legend (one paragraph when
    the figure has no title), in the Caption style."""
    first = paragraph_in(document, CAPTION)
    add_run(first, figure.caption, BOLD)
    if figure.title:
        add_run(first, " " + figure.title)
        if figure.legend:
            add_inlines(paragraph_in(document, CAPTION), figure.legend)
    elif figure.legend:
        add_run(first, " ")
        add_inlines(first, figure.legend)


def add_table(document: Document, table: Table, size_pt: float) -> None:
    """The title above (Caption), the table (its header row repeated on each page, flag
    marks beside their values), the notes below."""
    caption = paragraph_in(document, CAPTION)
    caption.paragraph_format.keep_with_next = True
    add_run(caption, f"{table.label}.", BOLD)
    add_run(caption, f" {table.title}")
    grid = document.add_table(rows=1 + len(table.rows), cols=len(table.header))
    grid._tbl.tblStyle_val = "TableGrid"  # the style "Table Grid", set by its id
    grid.autofit = False
    for column, width in zip(grid.columns, column_widths(table, size_pt), strict=True):
        column.width = Mm(width)  # the grid, which LibreOffice reads
        for target in column.cells:  # each cell's, which Word reads
            target.width = Mm(width)
    _header(grid.rows[0], table.header)
    for row, cells in zip(grid.rows[1:], table.rows, strict=True):
        for index, (target, cell) in enumerate(zip(row.cells, cells, strict=False)):
            paragraph = target.paragraphs[0]
            set_style(paragraph, TABLE_TEXT)
            add_run(paragraph, cell.text, BOLD if index == 0 else Look())
            _mark(paragraph, cell)
    for note in table.notes:
        add_run(paragraph_in(document, TABLE_NOTE), note)


COLUMN_CHARACTERS = 40  # the most characters of text a column's width is made for
EM_PER_CHARACTER = 0.7  # a wide letter of a bold face, in ems: a word's width is at most this
CELL_PADDING_MM = 5.0  # a cell's left and right margins, and a little room


def column_widths(table: Table, size_pt: float) -> list[float]:
    """The columns' widths in mm across the page's text, in proportion to the text in each
    (its longest, up to COLUMN_CHARACTERS), but never narrower than its longest word set
    at `size_pt`: no word is broken inside a cell."""
    rows = [table.header, *(tuple(c.text + c.mark for c in row) for row in table.rows)]
    longest = [max(min(len(r[i]), COLUMN_CHARACTERS) for r in rows) for i in range(len(rows[0]))]
    word = [max(len(w) for r in rows for w in (r[i].split() or [""])) for i in range(len(rows[0]))]
    character_mm = size_pt * EM_PER_CHARACTER * MM_PER_POINT
    least = [n * character_mm + CELL_PADDING_MM for n in word]
    widths = [TEXT_WIDTH_MM * n / max(1, sum(longest)) for n in longest]
    narrow = [w < low for w, low in zip(widths, least, strict=True)]
    room = TEXT_WIDTH_MM - sum(low for low, n in zip(least, narrow, strict=True) if n)
    rest = sum(n for n, short in zip(longest, narrow, strict=True) if not short) or 1
    return [
        low if short else max(low, room * n / rest)
        for n, low, short in zip(longest, least, narrow, strict=True)
    ]


def _header(row: _Row, header: tuple[str, ...]) -> None:
    """The header row: bold, repeated at the head of each page the table runs on to."""
    properties = row._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    properties.append(repeat)
    for target, text in zip(row.cells, header, strict=True):
        paragraph = target.paragraphs[0]
        set_style(paragraph, TABLE_TEXT)
        add_run(paragraph, text, BOLD)


def _mark(paragraph: WordParagraph, cell: Cell) -> None:
    """A laboratory value's flag mark after it, a hair space apart, as the HTML prints it."""
    if cell.mark:
        add_run(paragraph, HAIR_SPACE + cell.mark)

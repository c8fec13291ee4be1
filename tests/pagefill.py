"""How full each page of a built letter is, measured down each column as a typesetter does.

    .venv/bin/python -m tests.pagefill build/<case>/letter.html …

For every page, for each column of the text (two in a two-column letter, one in a case
report), the bottom of the lowest thing printed in that column — a line of text, an image,
a rule — as a fraction of the height of the page's content area (inside the margins; the
running head and page number stand in the margins and are not counted). A block that spans
the columns (a full-width figure, a wide table, the title) counts in every column it crosses.

It reads WeasyPrint's own layout of the built `letter.html`, the same HTML and the same
layout that become the PDF, rather than the PDF read back: the layout knows where the
page's content area and the columns are (a PDF only has glyphs, images and paths at
positions), and a line's box is its full line height, not the ink of its glyphs. It uses
WeasyPrint's box tree (`Page._page_box`), which is not public API: check it when WeasyPrint
moves past 70.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

EPSILON = 0.5  # CSS px: boxes that touch a column's edge do not cross into it


@dataclass(frozen=True)
class PageFill:
    """One page: its number (from 1) and, per column from the left, the filled fraction."""

    page: int
    columns: tuple[float, ...]

    def __str__(self) -> str:
        return f"page {self.page}: " + " | ".join(f"{fill:.0%}" for fill in self.columns)


def measure(html: Path) -> list[PageFill]:
    """Lay out the built letter at `html` as its PDF is made, and measure every page."""
    from casereport.export.weasy import import_weasyprint

    weasyprint = import_weasyprint()
    document = weasyprint.HTML(filename=str(html), base_url=str(html.parent) + "/").render()
    return [measure_page(page._page_box, number) for number, page in enumerate(document.pages, 1)]


def measure_page(page_box: Any, number: int) -> PageFill:
    """The fill of each column of one laid-out page."""
    top = page_box.content_box_y()
    height = page_box.height
    bottoms = [top] * len(columns := _columns(page_box))
    for left, right, bottom in _printed(page_box):
        for i, (column_left, column_right) in enumerate(columns):
            if left < column_right - EPSILON and right > column_left + EPSILON:
                bottoms[i] = max(bottoms[i], bottom)
    return PageFill(number, tuple(round((b - top) / height, 4) for b in bottoms))


def _columns(page_box: Any) -> list[tuple[float, float]]:
    """The horizontal extent of each column: those of the first multi-column box on the
    page, or the page's content area as one column."""
    for box in _walk(page_box):
        count = box.style["column_count"]
        if count != "auto" and count > 1:
            gap = _length(box.style["column_gap"], box.width)
            width = (box.width - gap * (count - 1)) / count
            x = box.content_box_x()
            return [(x + i * (width + gap), x + i * (width + gap) + width) for i in range(count)]
    x = page_box.content_box_x()
    return [(x, x + page_box.width)]


def _length(value: Any, reference: float) -> float:
    """A computed length in CSS px (`normal` column gap: 1em)."""
    if value == "normal":
        return 16.0
    if value.unit == "%":
        return float(value.value) * reference / 100
    return float(value.value)


def _printed(page_box: Any) -> Iterator[tuple[float, float, float]]:
    """(left, right, bottom) of everything that prints ink in the page's content area:
    lines of text, images, and boxes with a bottom border (table rules)."""
    from weasyprint.formatting_structure import boxes

    for box in _walk(page_box):
        if isinstance(box, boxes.MarginBox):
            continue
        if isinstance(box, (boxes.LineBox, boxes.ReplacedBox)) or box.border_bottom_width:
            left, top = box.border_box_x(), box.border_box_y()
            yield left, left + box.border_width(), top + box.border_height()


def _walk(box: Any) -> Iterator[Any]:
    """`box` and its descendants, depth first; the inside of a line and of a page margin
    box are not entered."""
    from weasyprint.formatting_structure import boxes

    yield box
    if isinstance(box, (boxes.LineBox, boxes.MarginBox)):
        return
    for child in getattr(box, "children", ()):
        yield from _walk(child)


def main(paths: list[str]) -> None:
    for path in paths:
        print(path)
        for fill in measure(Path(path)):
            print(f"  {fill}")


if __name__ == "__main__":
    main(sys.argv[1:])

"""Tables made from the case's structured data: scores, laboratory values, the timeline.

Each becomes a manuscript `Table` (header, rows of cells, footnotes) that the journal's template
prints in its own table style. Laboratory values outside their reference range are
flagged (↑ above, ↓ below, * abnormal for a qualitative test) and explained in a footnote.
The timeline is the one the CARE guidelines ask for (item 7): when, and what happened,
in the order written (times from baseline, dates and times of a hospital stay may follow
one another; an event may have no time).
"""

from __future__ import annotations

from casereport.clinical.labs import Flag, flag, number_text
from casereport.manuscript import Cell, Table
from casereport.model import Case, Lab
from casereport.numbered import NumberedTable
from casereport.prose import CitationStyle

MISSING = "\u2013"
MARKS: dict[Flag, str] = {"high": "\u2191", "low": "\u2193", "abnormal": "*"}
FLAG_NOTE = {
    "high": "\u2191 above the reference range",
    "low": "\u2193 below the reference range",
    "abnormal": "* abnormal",
}


def table_views(tables: tuple[NumberedTable, ...], case: Case, style: CitationStyle) -> list[Table]:
    """Every table of the case, numbered as the journal numbers them."""
    return [_view(t, case, style) for t in tables]


def _view(numbered: NumberedTable, case: Case, style: CitationStyle) -> Table:
    table = numbered.table
    makers = {"scores": _scores, "labs": _labs, "timeline": _timeline}
    header, rows, notes = makers[table.shows](case)
    if table.note:
        notes = (*notes, table.note)
    label = style.table.format(numbers=style.table_number(numbered.number))
    return Table(table.id, numbered.number, label, table.title, table.shows, header, rows, notes)


Parts = tuple[tuple[str, ...], tuple[tuple[Cell, ...], ...], tuple[str, ...]]


def _scores(case: Case) -> Parts:
    """Instruments down the side, timepoints across."""
    names = list(dict.fromkeys(name for row in case.scores for name in row.values))
    header = ("", *(_capital(row.at) for row in case.scores))
    rows = tuple(
        (Cell(name), *(Cell(_value(row.values.get(name))) for row in case.scores)) for name in names
    )
    return header, rows, ()


def _labs(case: Case) -> Parts:
    """Tests down the side; one value column, or one per timepoint; unit; reference range."""
    names = list(dict.fromkeys(lab.name for lab in case.labs))
    times = list(dict.fromkeys(lab.at for lab in case.labs))
    by_key = {(lab.name, lab.at): lab for lab in case.labs}
    columns = ["Value"] if times == [None] else [_capital(t or "") for t in times]
    header = ("Test", *columns, "Unit", "Reference range")
    rows = []
    flags: set[Flag] = set()
    for name in names:
        cells = [_lab_cell(by_key.get((name, t))) for t in times]
        flags.update(c.flag for c in cells if c.flag)
        first = next(lab for lab in case.labs if lab.name == name)
        limits = next((lab.limits for lab in case.labs if lab.name == name and lab.limits), None)
        rows.append(
            (Cell(name), *cells, Cell(first.unit or ""), Cell(limits.text() if limits else ""))
        )
    notes = tuple(FLAG_NOTE[f] for f in ("high", "low", "abnormal") if f in flags)
    return header, tuple(rows), ("; ".join(notes) + ".",) if notes else ()


def _lab_cell(lab: Lab | None) -> Cell:
    if lab is None:
        return Cell(MISSING)
    text = _value(lab.value)
    limits = lab.limits
    found = flag(lab.value, limits) if limits else None
    return Cell(text, found, MARKS[found] if found else "")


def _timeline(case: Case) -> Parts:
    """When, and what happened, in the order the author wrote them: an event without a time
    has an empty "When"; a timeline with no times at all is one column of events."""
    if all(e.when is None for e in case.timeline):
        return ("Event",), tuple((Cell(_sentence(e.event)),) for e in case.timeline), ()
    rows = tuple((Cell(_capital(e.when or "")), Cell(_sentence(e.event))) for e in case.timeline)
    return ("When", "Event"), rows, ()


def _value(value: float | str | None) -> str:
    if value is None:
        return MISSING
    return value if isinstance(value, str) else number_text(value)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _sentence(text: str) -> str:
    return _capital(text.strip())

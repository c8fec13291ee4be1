"""Where the HTML writer places figures and tables among a section's paragraphs, and which
tables a template may keep whole in one column."""

from __future__ import annotations

from casereport.export.html import before_wide, from_wide, is_short_table
from casereport.export.placement import gather_floats
from casereport.manuscript import Block, Cell, Float, Paragraph, Table, Text


def _p(text: str) -> Paragraph:
    return Paragraph((Text(text),))


def _names(blocks: list[Block]) -> list[str]:
    """Each float's id, each paragraph's text."""
    names = []
    for block in blocks:
        if isinstance(block, Float):
            names.append(block.id)
        elif isinstance(block, Paragraph) and isinstance(block.children[0], Text):
            names.append(block.children[0].text)
    return names


def test_a_float_follows_the_paragraph_that_first_mentions_it() -> None:
    blocks = [_p("a"), Float("figure", "f", 1), _p("b"), _p("c"), Float("table", "t", 1), _p("d")]
    assert _names(gather_floats(blocks)) == ["a", "f", "b", "c", "t", "d"]


def test_floats_one_paragraph_apart_go_together_after_it() -> None:
    blocks = [_p("a"), Float("table", "t", 1), _p("b"), Float("figure", "f", 1), _p("c")]
    assert _names(gather_floats(blocks)) == ["a", "b", "t", "f", "c"]


def test_at_most_two_floats_go_together() -> None:
    blocks = [
        *(_p("a"), Float("figure", "f", 1), Float("table", "t", 1)),
        *(_p("b"), Float("figure", "g", 2), _p("c")),
    ]
    assert _names(gather_floats(blocks)) == ["a", "f", "t", "b", "g", "c"]


def _table(rows: int, text: str, columns: int = 2) -> Table:
    row = tuple(Cell(text) for _ in range(columns))
    header = tuple(f"h{i}" for i in range(columns))
    return Table("t", 1, "Table 1", "T", "labs", header, (row,) * rows, ())


def test_a_table_is_short_when_its_lines_fit_in_a_column() -> None:
    assert is_short_table(_table(10, "x" * 30))  # one line a row
    assert not is_short_table(_table(10, "x" * 150))  # five lines a row: 50
    assert not is_short_table(_table(45, "x"))


def test_a_two_column_template_keeps_each_kind_in_number_order() -> None:
    narrow, wide, last = _table(1, "x"), _table(1, "x", columns=6), _table(1, "x")
    assert before_wide([narrow, wide, last]) == [narrow]
    assert from_wide([narrow, wide, last]) == [wide, last]
    assert before_wide([narrow, last]) == [narrow, last] and from_wide([narrow]) == []

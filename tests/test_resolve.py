"""Resolve and legends: numbering by first mention, the ICMJE rule, unknown keys."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from casereport import check_case, load_case
from casereport.errors import CaseError
from casereport.figures.legend import generated_legend
from casereport.model import Figure
from tests.conftest import SMALL_CASE


def test_numbers_in_first_cited_order(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace(
        "First claim [@one]. Second claim [@two; @one].",
        "First claim [@two]. Second claim [@one; @two].",
    )
    resolved = check_case(make_case(text)).resolved
    assert [r.id for r in resolved.references] == ["two", "one"]
    assert resolved.numbers == {"two": 1, "one": 2, "fig:f": 1}


def test_legend_citation_numbered_where_figure_is_first_mentioned(
    make_case: Callable[..., Path],
) -> None:
    text = (
        SMALL_CASE.replace("First claim [@one]. Second claim [@two; @one].", "See ([@fig:f]).")
        .replace("The figure shows it ([@fig:f]).", "Then [@one].")
        .replace("    subject: the lesion\n", "    legend: As described before [@two].\n")
    )
    resolved = check_case(make_case(text)).resolved
    assert resolved.numbers == {"two": 1, "one": 2, "fig:f": 1}


def test_unknown_reference_key(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("Second claim [@two; @one]", "Second claim [@two; @onee]")
    case = make_case(text)
    with pytest.raises(CaseError) as info:
        check_case(case)
    assert [d.format() for d in info.value.diagnostics] == [
        f"{case}:11:43: error: body: unknown reference 'onee'; did you mean '@one'?"
    ]


def test_unknown_figure_key(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE.replace("[@fig:f]", "[@fig:g]"))
    with pytest.raises(CaseError) as info:
        check_case(case)
    assert [d.format() for d in info.value.diagnostics] == [
        f"{case}:13:25: error: body: unknown figure 'g'; did you mean '@fig:f'?"
    ]


def test_uncited_reference_and_unmentioned_figure_warn(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("Second claim [@two; @one].", "").replace(" ([@fig:f])", "")
    case = make_case(text)
    warnings = [d.format().removeprefix(str(case)) for d in check_case(case).warnings]
    assert warnings == [
        ":31:9: warning: references[1].id: reference 'two' is never cited",
        ":15:9: warning: figures[0].id: figure 'f' is never mentioned in the text "
        "(cite it as [@fig:f])",
    ]


def test_demo_legend_from_metadata() -> None:
    from tests.conftest import DEMO

    _, case = load_case(DEMO)
    assert generated_legend(case.figures[0]) == (
        "Representative images of the patient's alopecia before treatment (upper images) "
        "and after 6-month treatment with anifrolumab (lower images)."
    )


def test_lettered_legend_when_rows_are_not_given() -> None:
    figure = Figure.model_validate(
        {
            "id": "x",
            "title": "T.",
            "subject": "the rash",
            "panels": [
                {"image": "a.jpg", "timepoint": "at presentation"},
                {"image": "b.jpg", "timepoint": "at presentation"},
                {"image": "c.jpg", "timepoint": "after 3 months"},
            ],
        }
    )
    assert generated_legend(figure) == (
        "Representative images of the rash at presentation (A, B) and after 3 months (C)."
    )


def test_icmje_rule_with_two_figures_declared_in_another_order(
    make_case: Callable[..., Path],
) -> None:
    """Legends are printed in declaration order (g, then f) but their references are
    numbered where each figure is first mentioned in the text (f, then g)."""
    text = (
        SMALL_CASE.replace(
            "First claim [@one]. Second claim [@two; @one].",
            "See [@fig:f]. Then [@three]. Later [@fig:g].",
        )
        .replace("The figure shows it ([@fig:f]).", "Last [@one].")
        .replace("    subject: the lesion\n", "    legend: From the first report [@two].\n")
        .replace(
            "figures:\n",
            "figures:\n  - id: g\n    title: Another.\n    legend: As in [@four] and [@two].\n"
            "    panels: [{image: c.jpg}]\n",
        )
    )
    text += (
        "  - {id: three, type: book, title: Three, publisher: P, issued: {date-parts: [[2020]]},"
        " author: [{family: T}]}\n"
        "  - {id: four, type: book, title: Four, publisher: P, issued: {date-parts: [[2020]]},"
        " author: [{family: F}]}\n"
    )
    case = make_case(text)
    shutil.copyfile(case.parent / "a.jpg", case.parent / "c.jpg")
    resolved = check_case(case).resolved
    assert [f.figure.id for f in resolved.figures] == ["f", "g"]
    assert [r.id for r in resolved.references] == ["two", "three", "four", "one"]


def test_fields_that_are_not_csl_give_one_warning(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace('    page: "5"', '    page: "5"\n    my-note: x\n    event-title: E')
    text = text.replace("    page: 1-10", "    page: 1-10\n    zotero-key: ABC\n    custom: {a: 1}")
    case = make_case(text)
    warnings = [d.format().removeprefix(str(case)) for d in check_case(case).warnings]
    assert warnings == [
        ":23:9: warning: fields not defined by CSL 1.0.2, ignored: "
        "'my-note', 'zotero-key' (in 'one', 'two')"
    ]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            "Second claim as @twoo says.",
            "11:39: error: body: unknown reference 'twoo'; did you mean '@two'?",
        ),
        (
            "Second claim [@two;\n  @onee].",
            "12:3: error: body: unknown reference 'onee'; did you mean '@one'?",
        ),
        (
            "Second claim [@two; one].",
            "11:36: error: body: cannot read this citation: 'one' has no @key (items are"
            " separated by ';'): '[@two; one]'",
        ),
        (
            "Second claim [see @two, p. 3.",
            "11:36: error: body: citation bracket is not closed with ']': '[see @two, p. 3.'",
        ),
        (
            "Second claim in @fig-g.",
            "11:39: error: body: unknown figure 'g'; did you mean '@fig-f'?",
        ),
    ],
)
def test_citation_problems_are_positioned_errors(
    body: str, expected: str, make_case: Callable[..., Path]
) -> None:
    case = make_case(SMALL_CASE.replace("Second claim [@two; @one].", body))
    with pytest.raises(CaseError) as info:
        check_case(case)
    assert [d.format().removeprefix(f"{case}:") for d in info.value.diagnostics] == [expected]


def test_a_locator_the_style_cannot_print_is_a_warning(make_case: Callable[..., Path]) -> None:
    body = "Second claim [see @two, p. 3]."
    case = make_case(SMALL_CASE.replace("Second claim [@two; @one].", body))
    warnings = [d.format().removeprefix(f"{case}:") for d in check_case(case).warnings]
    assert warnings == [
        "11:36: warning: body: the citation style prints no locators: the locator of"
        " '[see @two, p. 3]' is left out"
    ]
    apa = make_case(
        SMALL_CASE.replace("Second claim [@two; @one].", body).replace(
            "consent:", "style: apa\nconsent:"
        ),
        name="apa",
    )
    assert check_case(apa).warnings == ()

"""Checks across the parts of a case: layouts, panels, charts and tables, each at its line."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from casereport import load_case
from casereport.errors import CaseError
from tests.conftest import SMALL_CASE

PANELS = """\
      - {image: a.jpg, timepoint: before treatment}
      - {image: b.jpg, timepoint: after treatment}
"""


def errors(case: Path) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_case(case)
    return [d.format().removeprefix(f"{case}:") for d in info.value.diagnostics]


def test_layout_with_fewer_cells_than_panels(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("{rows: 1, columns: 2}", "{rows: 1, columns: 1}")
    assert errors(make_case(text)) == [
        "18:13: error: figures[0].layout: figure 'f': layout 1x1 has 1 cell for 2 panels"
    ]


def test_span_that_does_not_fit(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace(
        "{image: b.jpg, timepoint: after treatment}",
        "{image: b.jpg, timepoint: after treatment, span: {columns: 3}}",
    )
    assert errors(make_case(text)) == [
        "21:58: error: figures[0].panels[1].span: figure 'f', panel B: "
        "spans 3 columns; the layout has 2"
    ]


def test_a_panel_referenced_twice(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("{image: b.jpg,", "{image: ./a.jpg,")
    assert errors(make_case(text)) == [
        "21:17: error: figures[0].panels[1].image: figure 'f', panel B ('./a.jpg'): "
        "this image is already panel A; each panel needs its own image"
    ]


def test_an_image_in_two_figures(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace(
        "references:\n",
        "  - id: g\n    title: Again.\n    panels: [{image: b.jpg}]\nreferences:\n",
    )
    assert errors(make_case(text)) == [
        "24:22: error: figures[1].panels[0].image: figure 'g', panel A ('b.jpg'): "
        "this image is already panel B of figure 'f'; each panel needs its own image"
    ]


def test_declared_row_contradicts_the_layout(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("{rows: 1, columns: 2}", "{rows: 2, columns: 1}").replace(
        "{image: b.jpg, timepoint: after treatment}",
        "{image: b.jpg, timepoint: after treatment, row: upper}",
    )
    assert errors(make_case(text)) == [
        "21:57: error: figures[0].panels[1].row: figure 'f', panel B ('b.jpg'): says row: "
        "upper, but the layout (2x1) puts it in the lower row"
    ]


def test_scale_bar_needs_a_calibration(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("{image: a.jpg,", "{image: a.jpg, scale_bar: 100,")
    assert errors(make_case(text)) == [
        "20:35: error: figures[0].panels[0].scale_bar: figure 'f', panel A ('a.jpg'): "
        "a scale bar needs `micrometres_per_pixel` (the calibration)"
    ]


def test_figure_needs_panels_or_a_chart(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace(
        "    panels:\n" + PANELS, "    chart: clinical-course\n" + "    panels:\n" + PANELS
    )
    assert errors(make_case(text)) == [
        "15:5: error: figures[0]: a figure has either panels or a chart, not both"
    ]


CHART_CASE = SMALL_CASE.replace(
    "figures:\n",
    "scores:\n"
    "  - {at: baseline, CLASI: 8}\n"
    "  - {at: after the second infusion, CLASI: 3}\n"
    "treatments:\n"
    "  - {drug: anifrolumab, start: 2021-03}\n"
    "figures:\n"
    "  - id: course\n"
    "    title: Course.\n"
    "    chart: {instruments: [CLASI, LIT]}\n",
)


def test_chart_errors_point_at_the_value(make_case: Callable[..., Path]) -> None:
    assert errors(make_case(CHART_CASE)) == [
        "22:34: error: figures[0].chart.instruments[1]: figure 'course' (chart): "
        "no scores for 'LIT' (scores have: CLASI)"
    ]
    text = CHART_CASE.replace("[CLASI, LIT]", "[CLASI]")
    assert errors(make_case(text)) == [
        "16:10: error: scores[1].at: figure 'course' (chart): 'after the second infusion' is "
        'not a time; write one like "baseline", "day 28", "week 8", "month -6", '
        '"3 months before baseline", "2019-03" (or give the time in `time:`)'
    ]
    text = text.replace("CLASI: 3}", "CLASI: 3, time: day 28}")
    assert errors(make_case(text)) == [
        "18:32: error: treatments[0].start: figure 'course' (chart): '2021-03' is a date but "
        "'baseline' is a time from baseline; one chart uses one kind of time"
    ]
    text = text.replace("start: 2021-03", "start: baseline")
    _, case = load_case(make_case(text))
    assert case.figures[0].chart is not None


def test_timeline_and_scores_times_are_checked(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE + "timeline:\n  - {when: last spring, event: it began}\n"
    text += "scores:\n  - {at: baseline, time: soon, CLASI: 2}\n"
    found = errors(make_case(text))
    assert len(found) == 2
    assert found[0].startswith("40:12: error: timeline[0].when: 'last spring' is not a time")
    assert found[1].startswith("42:26: error: scores[0].time: 'soon' is not a time")


def test_tables_need_their_data(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE + (
        "tables:\n"
        "  - {id: t, title: Labs., shows: labs}\n"
        "  - {id: t, title: Again., shows: scores}\n"
        "  - {id: u, title: Bad., shows: vitals}\n"
    )
    found = errors(make_case(text))
    assert found[0].startswith("42:33: error: tables[2].shows: input should be 'scores'")
    text = text.replace("  - {id: u, title: Bad., shows: vitals}\n", "")
    assert errors(make_case(text)) == [
        "40:34: error: tables[0].shows: table 't' shows labs, but the case has no `labs`",
        "41:10: error: tables[1].id: duplicate table id 't' (first is tables[0])",
        "41:35: error: tables[1].shows: table 't' shows scores, but the case has no `scores`",
    ]


def test_lab_range_is_checked(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE + "labs:\n  - {name: C3, value: 0.6, range: 1.8-0.9}\n"
    assert errors(make_case(text)) == [
        "40:35: error: labs[0].range: range '1.8-0.9': low is above high"
    ]

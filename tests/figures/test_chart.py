"""The clinical-course chart: geometry, legibility, escaping, colours, and where it is drawn."""

from __future__ import annotations

import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from typing import Any

import pytest

from casereport.clinical.course import CourseError, course
from casereport.figures.chart import (
    COLOURS,
    PT_PER_MM,
    contrast_ratio,
    layout,
    render_chart,
    text_colour,
)
from casereport.model import Case
from tests.conftest import ROOT

SVG = "{http://www.w3.org/2000/svg}"


def make(**fields: Any) -> Case:
    data: dict[str, Any] = {
        "title": "T",
        "authors": [{"name": "A"}],
        "competing_interests": "none",
        "body": "x",
        "scores": [
            {"at": "month -3", "SLEDAI-2K": 12, "CLASI": 14},
            {"at": "baseline", "SLEDAI-2K": 10, "CLASI": 12},
            {"at": "day 28", "SLEDAI-2K": 6},
            {"at": "month 6", "SLEDAI-2K": 2, "CLASI": 1},
        ],
        "treatments": [
            {"drug": "belimumab", "start": "month -3", "end": "baseline", "every": "4 weeks"},
            {"drug": "anifrolumab", "start": "baseline", "every": "4 weeks"},
            {
                "drug": "prednisone",
                "unit": "mg/day",
                "doses": [{"at": "month -3", "value": 25}, {"at": "month 2", "value": 5}],
            },
        ],
        "figures": [{"id": "c", "title": "Course.", "chart": "clinical-course"}],
    }
    data.update(fields)
    return Case.model_validate(data)


def svg_of(case: Case, width_mm: float = 85) -> ET.Element:
    assert case.figures[0].chart is not None
    drawn = render_chart(course(case, case.figures[0].chart, ("figures", 0)), width_mm, "A chart")
    assert drawn.width_mm == width_mm
    return ET.fromstring(drawn.text)


def test_chart_is_print_sized_svg() -> None:
    root = svg_of(make())
    assert root.get("width") == "85.00mm"
    view = [float(v) for v in (root.get("viewBox") or "").split()]
    assert view[2] == pytest.approx(85 * PT_PER_MM, abs=0.01)  # 1 user unit = 1 pt
    assert root.find(f"{SVG}title") is not None


def test_no_text_under_7_points() -> None:
    root = svg_of(make())
    sizes = [float(t.get("font-size") or 0) for t in root.iter(f"{SVG}text")]
    assert sizes and min(sizes) >= 7.0
    texts = [t.text for t in root.iter(f"{SVG}text")]
    for expected in ("SLEDAI-2K", "CLASI", "Belimumab", "Anifrolumab", "Prednisone (mg/day)"):
        assert expected in texts
    assert "Months from baseline" in texts
    assert {"\u22124", "\u22122", "0", "2", "4", "6"} <= set(texts)  # ticks, a real minus


def test_colour_blind_safe_series_with_distinct_markers() -> None:
    root = svg_of(make())
    lines = [p.get("stroke") for p in root.iter(f"{SVG}polyline")]
    assert lines == list(COLOURS[:2])  # Okabe-Ito
    groups = [g for g in root.iter(f"{SVG}g") if g.get("class") == "instrument"]
    shapes = {
        re.sub(r"[-\d.]+", "n", p.get("d") or "") for g in groups for p in g.iter(f"{SVG}path")
    }
    assert len(shapes) == 2  # circle and square markers


def test_administrations_and_dose_steps() -> None:
    view = layout(course(make(), make().figures[0].chart, ("figures", 0)), 170, "x")  # type: ignore[arg-type]
    belimumab, anifrolumab, prednisone = view.lanes
    assert len(belimumab.ticks) == 4  # month -3 to baseline, every 4 weeks: 0, 4, 8, 12 weeks
    assert belimumab.ongoing is None and anifrolumab.ongoing is not None
    assert [d.text for d in prednisone.doses] == ["25", "5"] and prednisone.steps


def test_text_from_the_case_is_escaped() -> None:
    case = make(
        scores=[{"at": "baseline", "<script>alert(1)</script>": 3}],
        treatments=[{"drug": 'x" onload="alert(1)', "start": "baseline"}],
    )
    assert case.figures[0].chart is not None
    text = render_chart(course(case, case.figures[0].chart, ("f",)), 85, "<b>t</b>").text
    assert "<script>" not in text and 'x" onload' not in text
    root = ET.fromstring(text)
    names = [t.text for t in root.iter(f"{SVG}text")]
    assert "<script>alert(1)</script>" in names and 'X" onload="alert(1)' in names


def test_dated_course_uses_a_calendar_axis() -> None:
    case = make(
        scores=[{"at": "2022-01", "SLEDAI-2K": 8}, {"at": "2023-06", "SLEDAI-2K": 2}],
        treatments=[{"drug": "anifrolumab", "start": "2022-02-15"}],
    )
    texts = [t.text for t in svg_of(case).iter(f"{SVG}text")]
    assert "Date" in texts and any(re.fullmatch(r"[A-Z][a-z]{2} 20\d\d", t or "") for t in texts)


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        (
            {"scores": [{"at": "after the 2nd infusion", "CLASI": 3}]},
            ("scores", 0, "at"),
            "is not a time",
        ),
        (
            {"treatments": [{"drug": "anifrolumab", "start": "2022-01"}]},
            ("treatments", 0, "start"),
            "one chart uses one kind of time",
        ),
        (
            {"treatments": [{"drug": "x", "start": "month 2", "end": "month 1"}]},
            ("treatments", 0, "end"),
            "ends before it starts",
        ),
        ({"scores": [], "treatments": []}, ("figures", 0, "chart"), "nothing to draw"),
    ],
)
def test_course_errors_say_where(
    fields: dict[str, Any], path: tuple[Any, ...], message: str
) -> None:
    case = make(**fields)
    assert case.figures[0].chart is not None
    with pytest.raises(CourseError) as caught:
        course(case, case.figures[0].chart, ("figures", 0))
    assert caught.value.path == path and message in caught.value.message


def test_cases_without_a_chart_never_import_it() -> None:
    code = (
        "import sys; from pathlib import Path; import tempfile\n"
        "from casereport import build_case\n"
        "out = Path(tempfile.mkdtemp())\n"
        "build_case(Path('cases/anifrolumab-alopecia'), out, formats=('html',))\n"
        "print('casereport.figures.chart' in sys.modules,"
        " 'casereport.clinical.course' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "False"]


def test_a_hospital_stay_is_drawn_in_hospital_days() -> None:
    case = make(
        scores=[
            {"at": "admission", "SOFA": 9},
            {"at": "hospital day 3", "SOFA": 6},
            {"at": "hospital day 9", "SOFA": 1},
        ],
        treatments=[
            {"drug": "methylprednisolone", "start": "hospital day 2", "end": "hospital day 4"}
        ],
    )
    assert case.figures[0].chart is not None
    drawn = course(case, case.figures[0].chart, ("figures", 0))
    assert drawn.clock == "admission" and drawn.span == (0.0, 8.0)
    texts = [t.text for t in svg_of(case).iter(f"{SVG}text")]
    # the axis ticks, then its title: admission is hospital day 1
    assert texts[-6:] == ["1", "3", "5", "7", "9", "Hospital day"]


@pytest.mark.parametrize(
    ("fields", "path", "message"),
    [
        (
            {"treatments": [{"drug": "anifrolumab", "start": "hospital day 2"}]},
            ("treatments", 0, "start"),
            "'hospital day 2' is a time from admission but 'month -3' is a time from "
            "baseline; one chart uses one kind of time",
        ),
        (
            {
                "scores": [{"at": "admission", "SOFA": 9}],
                "treatments": [{"drug": "x", "start": "admission", "end": "discharge"}],
            },
            ("treatments", 0, "end"),
            "'discharge' has no day to draw it at; give the hospital day instead, "
            'e.g. "hospital day 9"',
        ),
    ],
)
def test_times_from_admission_never_mix_with_other_clocks(
    fields: dict[str, Any], path: tuple[Any, ...], message: str
) -> None:
    case = make(**fields)
    assert case.figures[0].chart is not None
    with pytest.raises(CourseError) as caught:
        course(case, case.figures[0].chart, ("figures", 0))
    assert (caught.value.path, caught.value.message) == (path, message)


def test_every_text_reaches_wcag_aa_contrast_on_what_is_behind_it() -> None:
    """Values, ticks, names and doses at 4.5:1 or more against the chart's white ground,
    and the doses against the grey of the dose steps they are printed on; each series'
    values in its own hue, darkened (Okabe-Ito orange on white is 3.0:1)."""
    root = svg_of(make())
    ground = next(root.iter(f"{SVG}rect")).get("fill")
    assert ground == "#fff"
    for text in root.iter(f"{SVG}text"):
        assert contrast_ratio(text.get("fill") or "", "#ffffff") >= 4.5, text.text
    lanes = [g for g in root.iter(f"{SVG}g") if g.get("class") == "treatment"]
    steps = [p.get("fill") for g in lanes for p in g.iter(f"{SVG}path") if p.get("stroke")]
    doses = [t.get("fill") for g in lanes for t in g.iter(f"{SVG}text")][1:]
    assert steps and doses
    for fill in {*steps} - {None}:
        for dose in doses:
            assert contrast_ratio(dose or "", fill or "") >= 4.5
    for colour in COLOURS:
        shade = text_colour(colour)
        assert contrast_ratio(shade, "#ffffff") >= 4.5
        # no darker than it needs to be
        assert shade == colour.lower() or contrast_ratio(shade, "#ffffff") < 5.0


def test_contrast_ratio_is_wcag_s() -> None:
    assert contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert contrast_ratio("#0072b2", "#ffffff") == pytest.approx(5.19, abs=0.01)

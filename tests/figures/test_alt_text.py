"""Alternative text from the panels' metadata and the chart's data, not the caption."""

from __future__ import annotations

from typing import Any

from casereport import load_case
from casereport.figures.alt_text import alt_text
from casereport.figures.legend import LegendStyle
from casereport.model import Case
from tests.conftest import DEMO


def case_with(figure: dict[str, Any], **fields: Any) -> Case:
    data: dict[str, Any] = {
        "title": "T",
        "authors": [{"name": "A"}],
        "competing_interests": "none",
        "body": "x",
        "figures": [{"id": "f", "title": "The title.", **figure}],
    }
    data.update(fields)
    return Case.model_validate(data)


def test_demo_panels_grouped_by_what_they_show() -> None:
    _, case = load_case(DEMO)
    assert alt_text(case.figures[0], case) == (
        "Four photographs of the patient's alopecia in two rows of two. A, B: Before "
        "treatment. C, D: After 6-month treatment with anifrolumab."
    )


def test_technique_marks_and_the_journal_letters() -> None:
    case = case_with(
        {
            "panels": [
                {
                    "image": "a.jpg",
                    "stain": "haematoxylin and eosin",
                    "magnification": 400,
                    "description": "vacuolar change.",
                    "arrows": [{"at": [0.1, 0.1], "shows": "colloid bodies"}] * 2,
                },
                {
                    "image": "b.png",
                    "modality": "MRI",
                    "view": "axial T2-weighted",
                    "circles": [{"at": [0.5, 0.5], "shows": "the lesion"}],
                },
            ]
        }
    )
    text = alt_text(case.figures[0], case, LegendStyle("lettered", "lower"))
    assert text == (
        "Two images. a: Micrograph, haematoxylin and eosin, ×400; vacuolar change; arrows "
        "pointing at colloid bodies. b: MRI image, axial T2-weighted; a circle around the "
        "lesion."
    )
    assert "The title" not in text


def test_one_panel_and_panels_without_letters() -> None:
    one = case_with({"panels": [{"image": "a.jpg", "description": "a plaque"}]})
    assert alt_text(one.figures[0], one) == "A photograph: A plaque."
    unlabelled = case_with(
        {"labels": False, "panels": [{"image": "a.jpg"}, {"image": "b.jpg", "timepoint": "later"}]}
    )
    assert alt_text(unlabelled.figures[0], unlabelled) == "Two photographs. 2: Later."


def test_a_chart_is_told_from_its_data() -> None:
    case = case_with(
        {"chart": "clinical-course"},
        scores=[
            {"at": "baseline", "SLEDAI-2K": 9},
            {"at": "week 12", "SLEDAI-2K": 4},
            {"at": "week 24", "SLEDAI-2K": 2},
        ],
        treatments=[{"drug": "anifrolumab", "start": "baseline", "every": "4 weeks"}],
    )
    assert alt_text(case.figures[0], case) == (
        "Chart of the clinical course. SLEDAI-2K: 9 at baseline, 2 at week 24. "
        "Anifrolumab: from baseline, ongoing."
    )

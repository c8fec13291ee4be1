"""Legends from metadata: positional or lettered, technique, marks, charts; who gets letters."""

from __future__ import annotations

from typing import Any

from casereport import load_case
from casereport.figures.legend import (
    LegendStyle,
    draws_letters,
    figure_legend,
    generated_legend,
    panel_letters,
)
from casereport.model import Case, Figure
from tests.conftest import DEMO

LETTERED = LegendStyle("lettered")


def figure(**fields: Any) -> Figure:
    data: dict[str, Any] = {"id": "f", "title": "T."}
    data.update(fields)
    return Figure.model_validate(data)


def test_demo_positional_and_lettered() -> None:
    _, case = load_case(DEMO)
    demo = case.figures[0]
    assert generated_legend(demo) == (
        "Representative images of the patient's alopecia before treatment (upper images) "
        "and after 6-month treatment with anifrolumab (lower images)."
    )
    assert not draws_letters(demo)  # the journal's positional legend needs no letters
    assert generated_legend(demo, LETTERED) == (
        "(A, B) Before treatment. (C, D) After 6-month treatment with anifrolumab."
    )
    assert draws_letters(demo, LETTERED)


def test_positional_by_column() -> None:
    legend = generated_legend(
        figure(
            panels=[
                {"image": "a.jpg", "timepoint": "at onset", "position": "left"},
                {"image": "b.jpg", "timepoint": "after 3 months", "position": "right"},
            ]
        )
    )
    assert legend == "Representative images at onset (left image) and after 3 months (right image)."


def test_histology_and_imaging_details() -> None:
    fig = figure(
        panels=[
            {
                "image": "a.jpg",
                "description": "interface dermatitis.",
                "stain": "haematoxylin and eosin",
                "magnification": 200,
                "arrows": [
                    {"at": [0.2, 0.2], "shows": "colloid bodies"},
                    {"at": [0.4, 0.2], "shows": "colloid bodies"},
                    {"at": [0.5, 0.5], "shows": "a vacuole"},
                ],
            },
            {"image": "b.png", "modality": "MRI", "view": "axial T2-weighted"},
            {
                "image": "c.png",
                "modality": "CT",
                "description": "ground-glass opacities",
                "circles": [{"at": [0.5, 0.5], "shows": "the nodule"}],
            },
        ]
    )
    expected = (
        "(A) Interface dermatitis (haematoxylin and eosin, original magnification \u00d7200); "
        "arrows indicate colloid bodies; the arrow indicates a vacuole. "
        "(B) Axial T2-weighted MRI. "
        "(C) Ground-glass opacities (CT); the circle marks the nodule."
    )
    # details need letters whatever the journal prefers
    assert generated_legend(fig) == expected
    assert generated_legend(fig, LETTERED) == expected
    assert draws_letters(fig)


def test_timepoints_with_details() -> None:
    fig = figure(
        panels=[
            {"image": "a.jpg", "timepoint": "before treatment", "stain": "PAS"},
            {"image": "b.jpg", "timepoint": "before treatment", "stain": "PAS"},
            {"image": "c.jpg", "timepoint": "at 6 months", "stain": "PAS", "magnification": 100},
            {"image": "d.jpg", "timepoint": "at 6 months", "stain": "Congo red"},
        ]
    )
    assert generated_legend(fig, LETTERED) == (
        "(A, B) Before treatment: PAS. "
        "(C, D) At 6 months: (C) PAS, original magnification \u00d7100; (D) Congo red."
    )


def test_lower_case_letters() -> None:
    fig = figure(panels=[{"image": "a.jpg", "timepoint": "x"}, {"image": "b.jpg"}])
    assert panel_letters(3, "lower") == ("a", "b", "c")
    assert generated_legend(fig, LegendStyle("lettered", "lower")) == "(a) X."


def test_nothing_to_say() -> None:
    fig = figure(panels=[{"image": "a.jpg"}, {"image": "b.jpg"}])
    assert figure_legend(fig).text == ""
    assert not draws_letters(fig, LETTERED)


def test_hand_written_legend_and_explicit_labels() -> None:
    two = [{"image": "a.jpg"}, {"image": "b.jpg"}]
    assert not draws_letters(figure(panels=two, legend="Upper and lower."))
    assert draws_letters(figure(panels=two, legend="(A) One. (B) Two."), LETTERED)
    assert not draws_letters(figure(panels=[{"image": "a.jpg"}], legend="One."), LETTERED)
    assert draws_letters(figure(panels=[{"image": "a.jpg"}], labels=True))
    demo = load_case(DEMO)[1].figures[0].model_copy(update={"labels": False})
    assert not draws_letters(demo, LETTERED)


def test_chart_legend_names_what_is_drawn() -> None:
    case = Case.model_validate(
        {
            "title": "T",
            "authors": [{"name": "A"}],
            "competing_interests": "none",
            "body": "x",
            "scores": [{"at": "baseline", "SLEDAI-2K": 9, "CLASI": 8}],
            "treatments": [
                {"drug": "anifrolumab", "start": "baseline", "every": "4 weeks"},
                {"drug": "prednisone", "unit": "mg/day", "doses": [{"at": "baseline", "value": 5}]},
                {"drug": "rituximab"},  # no time: not drawn, not named
            ],
            "figures": [{"id": "c", "title": "Course.", "chart": "clinical-course"}],
        }
    )
    assert figure_legend(case.figures[0], case=case).text == (
        "SLEDAI-2K and CLASI over time, each on its own scale; bars show the periods of "
        "treatment with anifrolumab; ticks mark each administration; the stepped band shows "
        "the prednisone dose (mg/day)."
    )
    assert not draws_letters(case.figures[0])

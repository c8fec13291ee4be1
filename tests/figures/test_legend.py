"""Legends from metadata: positional or lettered, technique, marks, charts; who gets letters."""

from __future__ import annotations

from typing import Any

from casereport import load_case
from casereport.figures.legend import (
    Legend,
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
    # a single panel is never lettered, even when asked (the figures stage warns)
    assert not draws_letters(figure(panels=[{"image": "a.jpg"}], labels=True))
    assert draws_letters(figure(panels=two, labels=True))
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


def four(*timepoints: str, **panel: Any) -> list[dict[str, Any]]:
    return [{"image": f"{n}.jpg", "timepoint": t, **panel} for n, t in enumerate(timepoints)]


def test_panels_sharing_a_timepoint_are_grouped_wherever_they_are() -> None:
    fig = figure(
        subject="the rash",
        layout={"rows": 2, "columns": 2},
        panels=four("before treatment", "after treatment", "before treatment", "after treatment"),
    )
    legend = figure_legend(fig)
    assert (
        legend.text == "Representative images of the rash before (A, C) and after (B, D) treatment."
    )
    assert legend.lettered and draws_letters(fig)
    assert generated_legend(fig, LETTERED) == "(A, C) Before treatment. (B, D) After treatment."


def test_a_shared_tail_only_when_the_timepoints_differ_in_their_first_word() -> None:
    fig = figure(panels=four("before treatment", "after 3 months", "before treatment"))
    assert generated_legend(fig) == (
        "Representative images before treatment (A, C) and after 3 months (B)."
    )
    fig = figure(panels=four("2 weeks after treatment", "6 weeks after treatment"))
    assert generated_legend(fig) == "Representative images 2 (A) and 6 (B) weeks after treatment."
    # located by declared rows: the parentheses are long, the timepoints are kept whole
    fig = figure(
        layout={"rows": 2, "columns": 1},
        panels=[
            {"image": "a.jpg", "timepoint": "before treatment", "row": "upper"},
            {"image": "b.jpg", "timepoint": "after treatment", "row": "lower"},
        ],
    )
    assert generated_legend(fig) == (
        "Representative images before treatment (upper image) and after treatment (lower image)."
    )


def test_panels_alike_but_for_magnification_are_told_once() -> None:
    biopsy = {"description": "interface dermatitis", "stain": "haematoxylin and eosin"}
    fig = figure(
        panels=[
            {"image": "a.jpg", "magnification": 250, **biopsy},
            {"image": "b.jpg", "magnification": 400, **biopsy},
            {"image": "c.jpg", "magnification": 400, "stain": "Congo red"},
        ]
    )
    assert generated_legend(fig) == (
        "(A, B) Interface dermatitis (haematoxylin and eosin, original magnification \u00d7250 "
        "and \u00d7400, respectively). (C) Congo red, original magnification \u00d7400."
    )
    fig = figure(
        panels=[
            {"image": "a.jpg", "timepoint": "before", "stain": "PAS", "magnification": 100},
            {"image": "b.jpg", "timepoint": "before", "stain": "PAS", "magnification": 100},
            {"image": "c.jpg", "timepoint": "before", "stain": "PAS", "magnification": 400},
            {"image": "d.jpg", "timepoint": "after", "stain": "PAS", "magnification": 400},
        ]
    )
    assert generated_legend(fig) == (
        "(A, B, C) Before: PAS, original magnification \u00d7100, \u00d7100 and \u00d7400, "
        "respectively. (D) After: PAS, original magnification \u00d7400."
    )


def test_magnifications_follow_the_panels_grouped_by_timepoint() -> None:
    fig = figure(
        panels=[
            {"image": "a.jpg", "timepoint": "before", "stain": "PAS", "magnification": 100},
            {"image": "b.jpg", "timepoint": "after", "stain": "PAS", "magnification": 100},
            {"image": "c.jpg", "timepoint": "before", "stain": "PAS", "magnification": 400},
            {"image": "d.jpg", "timepoint": "after", "stain": "Congo red"},
        ]
    )
    assert generated_legend(fig, LegendStyle("lettered", "lower")) == (
        "(a, c) Before: PAS, original magnification \u00d7100 and \u00d7400, respectively. "
        "(b, d) After: (b) PAS, original magnification \u00d7100; (d) Congo red."
    )


def test_a_single_panel_is_not_lettered() -> None:
    one = figure(subject="the rash", panels=[{"image": "a.jpg", "timepoint": "at onset"}])
    assert figure_legend(one) == Legend("Representative image of the rash at onset.", False)
    assert generated_legend(one, LETTERED) == "At onset."
    biopsy = figure(
        panels=[
            {
                "image": "a.jpg",
                "timepoint": "before treatment",
                "description": "interface dermatitis",
                "stain": "haematoxylin and eosin",
                "magnification": 200,
                "arrows": [{"at": [0.5, 0.5], "shows": "a colloid body"}],
            }
        ]
    )
    assert figure_legend(biopsy).text == (
        "Before treatment: interface dermatitis (haematoxylin and eosin, original "
        "magnification \u00d7200); the arrow indicates a colloid body."
    )
    assert not figure_legend(biopsy).lettered
    assert not draws_letters(biopsy) and not draws_letters(biopsy, LETTERED)


def test_labels_false_takes_the_letters_out_of_the_legend() -> None:
    panels = four("before treatment", "after treatment", "before treatment", "after treatment")
    unlettered = figure(subject="the rash", panels=panels, labels=False)  # one row of four
    legend = figure_legend(unlettered)
    assert legend == Legend("Representative images of the rash before and after treatment.", False)
    assert generated_legend(unlettered, LETTERED) == "Before treatment. After treatment."
    # where the layout names a place, the groups are located by it instead of by letters
    in_columns = unlettered.model_copy(
        update={"layout": figure(layout={"rows": 2, "columns": 2}, panels=panels).layout}
    )
    assert generated_legend(in_columns) == (
        "Representative images of the rash before treatment (left images) and after "
        "treatment (right images)."
    )
    stains = figure(
        labels=False,
        panels=[
            {"image": "a.jpg", "stain": "PAS", "magnification": 100},
            {"image": "b.jpg", "stain": "PAS", "magnification": 400},
        ],
    )
    assert generated_legend(stains) == (
        "PAS, original magnification \u00d7100 and \u00d7400, respectively."
    )
    assert not draws_letters(stains) and not draws_letters(in_columns, LETTERED)


def test_one_timepoint_for_every_panel_needs_no_letters() -> None:
    fig = figure(subject="the rash", panels=four("at onset", "at onset"))
    assert figure_legend(fig) == Legend("Representative images of the rash at onset.", False)
    assert not draws_letters(fig)

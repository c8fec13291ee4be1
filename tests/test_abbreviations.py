"""Abbreviations gathered from the text (Schwartz-Hearst) for a journal's list."""

from __future__ import annotations

from casereport.abbreviations import gathered


def test_long_forms_are_found_letter_by_letter() -> None:
    text = (
        "Drug reaction with eosinophilia and systemic symptoms (DRESS) followed allopurinol; "
        "the estimated glomerular filtration rate (eGFR) was 43 and alanine aminotransferase "
        "(ALT) 286 U/L. Human leukocyte antigen B (HLA-B) typing was done."
    )
    assert gathered([text]) == {
        "DRESS": "Drug reaction with eosinophilia and systemic symptoms",
        "eGFR": "estimated glomerular filtration rate",
        "ALT": "alanine aminotransferase",
        "HLA-B": "Human leukocyte antigen B",
    }


def test_what_is_not_a_definition_is_left_alone() -> None:
    text = (
        "It recurred (see above) twice (2) and the count was high (normal <40); "
        "a dose of 5 mg (once daily) and a drug (X) were given. Lupus (SLE) is not a match."
    )
    assert gathered([text]) == {}


def test_the_first_definition_wins_across_texts() -> None:
    first = "Systemic lupus erythematosus (SLE) began early."
    second = "Severe lupus eruption (SLE) is another reading."
    assert gathered([first, second]) == {"SLE": "Systemic lupus erythematosus"}

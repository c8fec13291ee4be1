"""A rebuild equals a fresh build: the reproductions of issue 9, each a test.

Every test here builds twice into one folder (or in one `Session`) after an edit, then
compares everything a user reads with a fresh build of the edited case in an empty folder.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from PIL import Image

from casereport import build_case
from tests.conftest import DEMO
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

"""Figures through the whole build: warnings at the panel's line, errors naming the panel,
the journal's lettering, and the submission folder from the command line."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image

from casereport import build_case
from casereport.errors import BuildError, CaseError
from tests.conftest import DEMO, ROOT

BUILTIN = ROOT / "templates" / "clin-exp-rheumatol"
LOW_RES = (
    "figure 'f', panel A ('a.jpg'): 400x300 px is too small for 300 dpi: printed 41x31 mm "
    "it has 245 dpi; 491x368 px or more would print sharp"
)


def test_low_resolution_warning_is_at_the_panel(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case()
    for name, colour in (("a.jpg", "red"), ("b.jpg", "blue")):
        Image.new("RGB", (400, 300), colour).save(case.parent / name, quality=90)
    for _ in range(2):  # the second build is served from the cache, warnings included
        result = build_case(case, tmp_path / "out", formats=("html",))
        found = [d.format() for d in result.warnings]
        assert found == [
            f"{case}:20:17: warning: figures[0].panels[0].image: {LOW_RES}",
            f"{case}:21:17: warning: figures[0].panels[1].image: "
            + LOW_RES.replace("panel A ('a.jpg')", "panel B ('b.jpg')"),
        ]
    manifest = json.loads((tmp_path / "out" / "build.json").read_text())
    assert manifest["warnings"] == found


def test_bad_panels_are_errors_naming_figure_panel_and_file(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case()
    (case.parent / "b.jpg").write_text("not a photo\n")
    with pytest.raises(CaseError) as info:
        build_case(case, tmp_path / "out", formats=("html",))
    assert [d.format() for d in info.value.diagnostics] == [
        f"{case}:21:17: error: figures[0].panels[1].image: figure 'f', panel B: "
        "'b.jpg' is not a JPEG image (unrecognised content)"
    ]
    assert not (tmp_path / "out" / "letter.html").exists()


@pytest.fixture
def small_pixel_limit() -> Iterator[None]:
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 100_000
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


@pytest.mark.usefixtures("small_pixel_limit")
def test_over_the_pixel_limit_is_an_error(make_case: Callable[..., Path], tmp_path: Path) -> None:
    case = make_case()
    Image.new("RGB", (400, 300), "red").save(case.parent / "a.jpg")  # 120 000 px: a warning zone
    with pytest.raises(CaseError) as info:
        build_case(case, tmp_path / "out", formats=("html",))
    assert [d.message for d in info.value.diagnostics] == [
        "figure 'f', panel A ('a.jpg'): image too large: 120000 pixels (limit 100000)"
    ]


@pytest.fixture
def lettering_journal(tmp_path: Path) -> Path:
    """A templates folder whose clin-exp-rheumatol profile letters panels and asks for JPEG."""
    folder = tmp_path / "templates" / "clin-exp-rheumatol"
    folder.mkdir(parents=True)
    shutil.copy(BUILTIN / "style.csl", folder / "style.csl")
    profile = (BUILTIN / "journal.yaml").read_text(encoding="utf-8")
    assert "  legend: positional\n" in profile
    # the submission format is inherited from base: overridden here, beside the legend
    profile = profile.replace("  legend: positional\n", "  legend: lettered\n  submission: jpeg\n")
    (folder / "journal.yaml").write_text(profile, encoding="utf-8")
    return folder.parent


def test_a_lettering_journal_letters_the_demo(lettering_journal: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    build_case(DEMO, out, formats=("html", "figures"), templates=lettering_journal)
    html = (out / "letter.html").read_text(encoding="utf-8")
    legend = "(A, B) Before treatment. (C, D) After 6-month treatment with anifrolumab."
    assert legend in html
    assert (out / "submission" / "legends.txt").read_text(encoding="utf-8") == (
        "Fig. 1. Resolution of alopecia after treatment with anifrolumab. " + legend + "\n"
    )
    assert (out / "submission" / "figure-1.jpg").read_bytes() == (
        out / "figures" / "figure-1.jpg"
    ).read_bytes()
    with Image.open(out / "figures" / "figure-1.jpg") as im:
        corner = im.convert("L").crop((12, 12, 52, 52))  # a black "A" at the top left
        darkest = corner.getextrema()[0]
        assert isinstance(darkest, int) and darkest < 60


def test_the_built_in_journal_does_not_letter_the_demo(demo_build: Path) -> None:
    with Image.open(demo_build / "figures" / "figure-1.jpg") as im:
        corner = im.convert("L").crop((12, 12, 52, 52))  # the photo's light background
        darkest = corner.getextrema()[0]
        assert isinstance(darkest, int) and darkest > 120


def test_a_broken_figures_section_names_the_profile(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "clin-exp-rheumatol"
    folder.mkdir(parents=True)
    profile = (BUILTIN / "journal.yaml").read_text(encoding="utf-8")
    assert "    size_pt: 9\n" in profile  # the label's colour is base's: overridden here
    (folder / "journal.yaml").write_text(
        profile.replace("    size_pt: 9\n", "    size_pt: 9\n    colour: mauve\n"), encoding="utf-8"
    )
    with pytest.raises(BuildError, match=r"journal.yaml: figures: colour 'mauve': use black"):
        build_case(DEMO, tmp_path / "out", formats=("html",), templates=tmp_path / "templates")


def test_cli_figures_flag(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "casereport", "build", str(DEMO), "-o", str(tmp_path), "--figures"],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONWARNINGS": ""},
    )
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in (tmp_path / "submission").iterdir()) == [
        "figure-1.tiff",
        "legends.txt",
    ]
    with Image.open(tmp_path / "submission" / "figure-1.tiff") as tif:
        assert tif.info["compression"] == "tiff_lzw" and tif.width == round(85 / 25.4 * 300)


def test_a_width_the_journal_lacks_is_warned(tmp_path: Path) -> None:
    folder = tmp_path / "templates" / "clin-exp-rheumatol"
    folder.mkdir(parents=True)
    shutil.copy(BUILTIN / "style.csl", folder / "style.csl")
    profile = (BUILTIN / "journal.yaml").read_text(encoding="utf-8")
    # the widths are base's; `null` removes one of them (the merge rule)
    profile += "figure_width_mm: {one-and-a-half: null}\n"
    (folder / "journal.yaml").write_text(profile, encoding="utf-8")
    case = tmp_path / "case"
    shutil.copytree(DEMO, case)
    text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(
        text.replace(
            "    layout: {rows: 2, columns: 2}\n",
            "    width: one-and-a-half\n    layout: {rows: 2, columns: 2}\n",
        ),
        encoding="utf-8",
    )
    result = build_case(case, tmp_path / "out", formats=("html",), templates=folder.parent)
    assert [d.message for d in result.warnings] == [
        "figure 'alopecia': Clinical and Experimental Rheumatology has no 'one-and-a-half' "
        "width (single, full); printed 170 mm wide"
    ]
    with Image.open(tmp_path / "out" / "figures" / "figure-1.jpg") as im:
        assert im.width == round(170 / 25.4 * 300)

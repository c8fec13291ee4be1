"""Captions and letters through the whole build: the journal's caption label in every
writer, its letter case on the image and in the legend, figures without a title or with a
single panel."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from casereport import build_case
from casereport.errors import BuildError
from tests.conftest import ROOT, SMALL_CASE
from tests.outputs import printed_html

BUILTIN = ROOT / "templates" / "clin-exp-rheumatol"
TWO_BY_TWO = """\
    layout: {rows: 2, columns: 2}
    panels:
      - {image: a.jpg, timepoint: before treatment}
      - {image: b.jpg, timepoint: after treatment}
      - {image: c.jpg, timepoint: before treatment}
      - {image: d.jpg, timepoint: after treatment}
"""


def journal(tmp_path: Path, **replacements: str) -> Path:
    """A templates folder whose clin-exp-rheumatol profile has `replacements` made."""
    folder = tmp_path / "templates" / "clin-exp-rheumatol"
    folder.mkdir(parents=True)
    shutil.copy(BUILTIN / "style.csl", folder / "style.csl")
    profile = (BUILTIN / "journal.yaml").read_text(encoding="utf-8")
    for old, new in replacements.items():
        assert old in profile
        profile = profile.replace(old, new)
    (folder / "journal.yaml").write_text(profile, encoding="utf-8")
    return folder.parent


def four_panel_case(make_case: Callable[..., Path]) -> Path:
    """The small case with a 2x2 figure on white photos: before left, after right."""
    text = SMALL_CASE.replace(
        SMALL_CASE[SMALL_CASE.index("    layout:") : SMALL_CASE.index("references:")], TWO_BY_TWO
    )
    case = make_case(text)
    for name in ("a", "b", "c", "d"):
        Image.new("RGB", (600, 450), "white").save(case.parent / f"{name}.jpg", quality=92)
    return case


def letter_height(figure: Path) -> int:
    """Rows of dark pixels in the top-left letter of a composed figure."""
    with Image.open(figure) as im:
        corner = im.convert("L").crop((0, 0, 90, 90))
    rows = [corner.crop((0, y, 90, y + 1)).getextrema()[0] for y in range(corner.height)]
    dark = [y for y, darkest in enumerate(rows) if isinstance(darkest, int) and darkest < 100]
    assert dark, "no letter drawn at the top left"
    return max(dark) - min(dark) + 1


def test_caption_label_and_lower_case_letters_reach_every_writer(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = four_panel_case(make_case)
    built = {}
    for letters in ("upper", "lower"):
        templates = journal(
            tmp_path / letters,
            **{
                'caption: "Fig. {number}."': f'caption: "Figure {{number}}:"\n  letters: {letters}',
            },
        )
        out = tmp_path / letters / "out"
        build_case(case, out, formats=("html", "json", "figures"), templates=templates)
        built[letters] = out
    out = built["lower"]
    html = printed_html(out / "letter.html")
    legend = "Representative images of the lesion before (a, c) and after (b, d) treatment."
    assert '<p class="figure-title"><b>Figure 1:</b> <span>A test figure.</span></p>' in html
    # the alt text names the panels by the journal's letters, from their metadata
    alt = "Four photographs of the lesion in two rows of two. a, c: Before treatment. b, d: After"
    assert f'alt="{alt} treatment."' in html
    assert f'<p class="figure-legend">{legend}</p>' in html
    assert 'The figure shows it (<span class="figref">Fig.\u00a01</span>)' in html
    assert (out / "submission" / "legends.txt").read_text(encoding="utf-8") == (
        f"Figure 1: A test figure. {legend}\n"
    )
    figure = json.loads((out / "manuscript.json").read_text(encoding="utf-8"))["figures"][0]
    assert (figure["label"], figure["caption"], figure["title"]) == (
        "Fig.\u00a01",
        "Figure 1:",
        "A test figure.",
    )
    upper_html = printed_html(built["upper"] / "letter.html")
    assert legend.replace("(a, c)", "(A, C)").replace("(b, d)", "(B, D)") in upper_html
    # the drawn letter follows the journal too: a lower-case "a" is shorter than an "A"
    upper = letter_height(built["upper"] / "figures" / "figure-1.jpg")
    lower = letter_height(out / "figures" / "figure-1.jpg")
    assert lower < 0.85 * upper, (lower, upper)


def test_the_built_in_caption_is_unchanged(demo_build: Path) -> None:
    html = printed_html(demo_build / "letter.html")
    assert '<p class="figure-title"><b>Fig. 1.</b> <span>Resolution of alopecia' in html


def test_a_figure_without_a_title_is_captioned_by_its_legend(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    case = make_case(SMALL_CASE.replace("    title: A test figure.\n", ""))
    result = build_case(case, tmp_path / "out", formats=("html", "figures"))
    assert result.warnings == ()
    html = printed_html(tmp_path / "out" / "letter.html")
    legend = "Representative images of the lesion before (A) and after (B) treatment."
    assert f'<p class="figure-legend"><b>Fig. 1.</b> {legend}</p>' in html
    assert 'class="figure-title"' not in html
    assert 'alt="Two photographs of the lesion. A: Before treatment. B: After treatment."' in html
    legends = tmp_path / "out" / "submission" / "legends.txt"
    assert legends.read_text(encoding="utf-8") == f"Fig. 1. {legend}\n"


def test_a_caption_that_would_be_its_label_alone_is_warned(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    text = (
        SMALL_CASE.replace("    title: A test figure.\n", "")
        .replace(", timepoint: before treatment}", "}")
        .replace(", timepoint: after treatment}", "}")
    )
    case = make_case(text)
    result = build_case(case, tmp_path / "out", formats=("html",))
    assert [d.format() for d in result.warnings] == [
        f"{case}:15:5: warning: figures[0]: figure 'f' has no title and its panels give no "
        "legend: its caption is only 'Fig. 1.'; add a `title`, a `legend`, or what the "
        "panels show"
    ]


def test_a_single_panel_gets_no_letter_even_when_asked(
    make_case: Callable[..., Path], tmp_path: Path
) -> None:
    text = SMALL_CASE.replace("{rows: 1, columns: 2}", "{rows: 1, columns: 1}\n    labels: true")
    text = text.replace("      - {image: b.jpg, timepoint: after treatment}\n", "")
    case = make_case(text)
    Image.new("RGB", (1200, 900), "white").save(case.parent / "a.jpg", quality=92)
    result = build_case(case, tmp_path / "out", formats=("html",))
    assert [d.format() for d in result.warnings] == [
        f"{case}:19:13: warning: figures[0].labels: figure 'f': a single panel is not "
        "lettered; `labels: true` is ignored"
    ]
    html = printed_html(tmp_path / "out" / "letter.html")
    assert "Representative image of the lesion before treatment.</p>" in html
    with Image.open(tmp_path / "out" / "figures" / "figure-1.jpg") as im:
        assert im.convert("L").getextrema()[0] > 200  # nothing drawn on the white photo


@pytest.mark.parametrize("caption", ["Figure", "Figure {n}", "{number} {number}", "{number:s}", 7])
def test_a_caption_without_its_number_names_the_profile(tmp_path: Path, caption: object) -> None:
    templates = journal(
        tmp_path, **{'caption: "Fig. {number}."': f"caption: {json.dumps(caption)}"}
    )
    with pytest.raises(
        BuildError, match=r"journal.yaml: figures: caption .*: write the label with"
    ):
        build_case(
            ROOT / "cases" / "anifrolumab-alopecia",
            tmp_path / "out",
            formats=("html",),
            templates=templates,
        )

"""The second example case end to end: histology and imaging panels, chart, tables, submission.

Pixels are checked where they matter (orientation, flattening, the 16-bit gradient, panel
order, letters), and the outputs are read back for metadata with Pillow and exiftool.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from tests.conftest import EXAMPLE, ROOT

NAMES = ("biopsy-low.jpg", "biopsy-high.png", "dif.jpg", "mri-axial.png", "mri-coronal.png")
UNIT_W, UNIT_H, GUTTER = 653, 423, 24  # 170 mm at 300 dpi, 3 columns; rows from panel A
BOXES = {  # x, y, width, height of each panel on the canvas
    "A": (0, 0, UNIT_W, 2 * UNIT_H + GUTTER),
    "B": (UNIT_W + GUTTER, 0, UNIT_W, UNIT_H),
    "C": (2 * (UNIT_W + GUTTER), 0, UNIT_W, UNIT_H),
    "D": (UNIT_W + GUTTER, UNIT_H + GUTTER, UNIT_W, UNIT_H),
    "E": (2 * (UNIT_W + GUTTER), UNIT_H + GUTTER, UNIT_W, UNIT_H),
}
LEGENDS = (
    "Fig. 1. Skin biopsy and brain MRI before anifrolumab. (A) Interface dermatitis with "
    "perivascular and periadnexal lymphocytic infiltrates (haematoxylin and eosin, original "
    "magnification \u00d740). (B) Vacuolar change of the basal layer (haematoxylin and eosin, "
    "original magnification \u00d7400); arrows indicate colloid bodies. (C) Granular IgG "
    "deposits along the dermo-epidermal junction (direct immunofluorescence, original "
    "magnification \u00d7200). (D) Periventricular white-matter hyperintensities (axial "
    "T2-weighted MRI); the circle marks the largest lesion. (E) The same lesions, without "
    "enhancement (coronal FLAIR MRI).\n\n"
    "Fig. 2. Clinical course. SLEDAI-2K, CLASI and PhGA over time, each on its own "
    "scale; bars show the periods of treatment with hydroxychloroquine, belimumab and "
    "anifrolumab; ticks mark each administration; the stepped band shows the prednisone "
    "dose (mg/day).\n"
)


@pytest.fixture(scope="module")
def built(example_build: Path) -> Path:
    return example_build


@pytest.fixture(scope="module")
def figure(built: Path) -> Image.Image:
    with Image.open(built / "figures" / "figure-1.jpg") as im:
        return im.convert("RGB")


def crop(figure: Image.Image, panel: str) -> Image.Image:
    x, y, w, h = BOXES[panel]
    return figure.crop((x, y, x + w, y + h))


def mean(image: Image.Image) -> tuple[float, ...]:
    from PIL import ImageStat

    return tuple(ImageStat.Stat(image).mean)


def test_outputs(built: Path) -> None:
    expected = {
        "letter.html", "letter.pdf", "letter.css", "build.json",
        "figures/figure-1.jpg", "figures/figure-2.svg",
        "submission/figure-1.tiff", "submission/figure-2.svg", "submission/legends.txt",
        ".casereport.lock",  # held while outputs are put in place (builds take turns)
    }  # fmt: skip
    found = {str(p.relative_to(built)) for p in built.rglob("*") if p.is_file()}
    assert expected == {f for f in found if not f.startswith(".cache")}
    manifest = json.loads((built / "build.json").read_text())
    assert manifest["figures"] == 2 and manifest["tables"] == 2 and manifest["warnings"] == []
    assert sorted(manifest["inputs"]) == sorted(["case.yaml", *NAMES])


def test_geometry_and_panel_order(figure: Image.Image) -> None:
    assert figure.size == (2008, 2 * UNIT_H + GUTTER)
    a, b, c, d, e = (mean(crop(figure, p).crop((60, 60, 600, 380))) for p in "ABCDE")
    assert a[0] > 200 and a[1] < 185  # pink-purple tissue
    assert b[0] > 200 and b[1] < 185  # pink tissue in the round field
    assert max(c) < 60 and c[1] > c[0]  # dark field with a green band
    for grey in (d, e):  # MRI: dark, and grey (no colour cast)
        assert 30 < grey[0] < 140 and abs(grey[0] - grey[1]) < 3 and abs(grey[1] - grey[2]) < 3
    assert mean(figure.crop((653, 0, 677, 870)))[0] > 252  # white gutter


def test_sideways_biopsy_is_upright(figure: Image.Image) -> None:
    """Stored on its side with EXIF orientation 6: slide on top, epidermis, fat at the bottom."""
    a = crop(figure, "A")
    slide, epidermis, dermis, fat = (mean(a.crop((20, y, 630, y + 6))) for y in (20, 104, 450, 800))
    assert min(slide) > 235
    assert epidermis[1] < 135 and epidermis[0] > 150 and epidermis[2] > 140  # purple band
    assert dermis[0] > 200 and 120 < dermis[1] < 190
    assert min(fat) > 225
    left_edge = mean(a.crop((2, 300, 8, 700)))  # if it were sideways, the band would be here
    assert left_edge[1] > 135


def test_transparent_field_is_flattened_on_white(figure: Image.Image) -> None:
    b = crop(figure, "B")
    for corner in ((60, 400), (600, 410), (640, 220)):  # outside the round field, clear of marks
        pixel = b.getpixel(corner)
        assert isinstance(pixel, tuple) and min(pixel) > 245, (corner, pixel)


def test_sixteen_bit_gradient_is_kept(figure: Image.Image) -> None:
    """The axial MRI's bias field, darker left and brighter right, survives scaling."""
    d = crop(figure, "D").convert("L")
    scale, top = UNIT_W / 900, (900 - 900 * UNIT_H / UNIT_W) / 2

    def at(x: float, y: float) -> float:
        box = (round(x * scale) - 4, round((y - top) * scale) - 4)
        return mean(d.crop((*box, box[0] + 8, box[1] + 8)))[0]

    left, right = at(250, 600), at(650, 600)
    assert 60 < left < 110 and 80 < right < 135 and right - left > 12
    row = d.crop((150, 320, 500, 321))
    assert len(set(row.tobytes())) >= 12  # a ramp of grey levels, not flat or clipped


def test_letters_on_contrast_boxes_only_on_dark_panels(figure: Image.Image) -> None:
    margin = round(1.0 / 25.4 * 300)
    for panel in "CDE":
        corner = crop(figure, panel).getpixel((margin + 1, margin + 1))
        assert isinstance(corner, tuple) and min(corner) > 240, panel  # white box
    for panel in "AB":
        letter = crop(figure, panel).crop((margin, margin, margin + 40, margin + 40))
        darkest = letter.convert("L").getextrema()[0]
        assert isinstance(darkest, int) and darkest < 50, panel  # a black letter


def test_outputs_carry_no_metadata(built: Path) -> None:
    files = [built / "figures" / "figure-1.jpg", built / "submission" / "figure-1.tiff"]
    for path in files:
        data = path.read_bytes()
        for secret in (b"Synthetica", b"DOE^JANE", b"synthetic example image", b"FluoroCam"):
            assert secret not in data, (path.name, secret)
        with Image.open(path) as im:
            assert {"exif", "icc_profile", "comment", "xmp", "Patient"}.isdisjoint(im.info)
            assert not im.getexif().get(0x010F) and not im.getexif().get_ifd(0x8825)
    if shutil.which("exiftool") is None:
        pytest.skip("exiftool not installed (make test installs it)")
    done = subprocess.run(
        ["exiftool", "-j", "-G", *map(str, files)], capture_output=True, text=True, check=True
    )
    for record in json.loads(done.stdout):
        groups = {key.split(":")[0] for key in record if ":" in key}
        assert groups <= {"ExifTool", "File", "JFIF", "EXIF", "Composite"}, groups
        exif = {k for k in record if k.startswith("EXIF:")}
        assert exif <= {
            "EXIF:ImageWidth", "EXIF:ImageHeight", "EXIF:BitsPerSample", "EXIF:Compression",
            "EXIF:PhotometricInterpretation", "EXIF:StripOffsets", "EXIF:SamplesPerPixel",
            "EXIF:RowsPerStrip", "EXIF:StripByteCounts", "EXIF:XResolution", "EXIF:YResolution",
            "EXIF:PlanarConfiguration", "EXIF:ResolutionUnit", "EXIF:ExifByteOrder",
        }  # fmt: skip


def test_submission_tiff_matches_the_letter_figure(built: Path, figure: Image.Image) -> None:
    with Image.open(built / "submission" / "figure-1.tiff") as tif:
        assert tif.info["compression"] == "tiff_lzw"
        assert tuple(round(v) for v in tif.info["dpi"]) == (300, 300)
        assert tif.size == figure.size
        lossless = tif.convert("RGB")
    for point in ((300, 100), (1000, 200), (1700, 600)):
        jpeg, exact = figure.getpixel(point), lossless.getpixel(point)
        assert isinstance(jpeg, tuple) and isinstance(exact, tuple)
        assert all(abs(p - q) <= 24 for p, q in zip(jpeg, exact, strict=True))
    svg = (built / "submission" / "figure-2.svg").read_bytes()
    assert svg == (built / "figures" / "figure-2.svg").read_bytes() and b"<svg" in svg


def test_legends_txt(built: Path) -> None:
    assert (built / "submission" / "legends.txt").read_text(encoding="utf-8") == LEGENDS


def test_pdf_has_vector_chart_and_tables(built: Path) -> None:
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(built / "letter.pdf"), "-"],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip
    for words in ("Months from baseline", "Prednisone (mg/day)", "SLEDAI-2K"):
        assert words in text  # chart text is text: the chart is vector, not a picture
    for words in ("Table I. Timeline of the case", "Table II. Laboratory values", "1:640"):
        assert words in text.replace("\u00a0", " ")
    images = {img.data for page in PdfReader(built / "letter.pdf").pages for img in page.images}
    assert len(images) == 1  # figure 1 is the only picture


def test_html_links_the_chart_as_svg(built: Path) -> None:
    html = (built / "letter.html").read_text(encoding="utf-8")
    assert '<img src="figures/figure-2.svg"' in html and '<img src="figures/figure-1.jpg"' in html
    assert "Fig.\u00a02" in html  # the chart is cited in the text


def test_example_images_regenerate_identically(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make_example_images.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    for name in NAMES:
        fresh = hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()
        assert fresh == hashlib.sha256((EXAMPLE / name).read_bytes()).hexdigest(), name


def test_warm_rebuild_decodes_no_image(tmp_path: Path) -> None:
    """A second build in a new process with unchanged figures never even imports Pillow."""
    code = (
        "import sys; from pathlib import Path\n"
        "from casereport import build_case\n"
        f"build_case(Path({str(EXAMPLE)!r}), Path({str(tmp_path)!r}), formats=('html',))\n"
        "print('PIL.Image' in sys.modules)\n"
    )
    env = {**os.environ, "CASEREPORT_CACHE_DIR": str(tmp_path / "cache")}  # empty at first
    runs = [
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, env=env
        )
        for _ in range(2)
    ]
    assert [r.returncode for r in runs] == [0, 0], runs[0].stderr + runs[1].stderr
    assert [r.stdout.strip() for r in runs] == ["True", "False"]

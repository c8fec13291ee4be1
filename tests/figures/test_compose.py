"""The composer's newer parts, on real Pillow images: spans, letters, marks, warnings, TIFF."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from casereport.figures.annotate import LabelStyle, Marks, nice_length
from casereport.figures.compose import ComposeSpec, FigureError, compose
from tests.figures.test_figures import BLUE, GREEN, RED, YELLOW, close, solid

WHITE, BLACK = (255, 255, 255), (0, 0, 0)
JOURNAL_LABELS = LabelStyle(
    colour=BLACK, box="auto", box_colour=WHITE, box_opacity=1.0, margin_mm=1.0
)


def open_rgb(path: Path) -> Image.Image:
    with Image.open(path) as im:
        return im.convert("RGB")


def test_a_panel_spanning_two_rows(tmp_path: Path) -> None:
    tall = solid(tmp_path / "tall.jpg", RED, (300, 640))  # 2 rows of 300 + gutter 40 → 640
    others = [solid(tmp_path / f"{i}.jpg", c) for i, c in enumerate([GREEN, BLUE])]
    spec = ComposeSpec((tall, *others), 2, 2, 640, gutter_px=40, spans=((2, 1), (1, 1), (1, 1)))
    made = compose(spec, tmp_path / "cache")
    im = open_rgb(made.path)
    assert im.size == (640, 640)
    assert close(im.getpixel((150, 20)), RED) and close(im.getpixel((150, 620)), RED)
    assert close(im.getpixel((490, 150)), GREEN) and close(im.getpixel((490, 490)), BLUE)
    assert close(im.getpixel((320, 320)), WHITE, 3)  # gutter


def test_layout_errors_name_the_panel(tmp_path: Path) -> None:
    panels = tuple(solid(tmp_path / f"{i}.jpg", RED) for i in range(2))
    spec = ComposeSpec(panels, 1, 2, 400, spans=((1, 1), (1, 2)))
    with pytest.raises(FigureError) as caught:
        compose(spec, tmp_path / "cache")
    assert caught.value.panel_index == 1 and caught.value.path == panels[1]
    assert "no room left" in caught.value.message


def test_journal_letters_get_a_box_only_on_dark_photos(tmp_path: Path) -> None:
    light = solid(tmp_path / "light.jpg", (235, 235, 235))
    dark = solid(tmp_path / "dark.jpg", (20, 20, 30))
    spec = ComposeSpec((light, dark), 1, 2, 1000, labels=("A", "B"), label_style=JOURNAL_LABELS)
    im = open_rgb(compose(spec, tmp_path / "cache").path)
    margin = round(1.0 / 25.4 * 300)
    # left panel: black letter straight on the light photo, no box around it
    assert close(im.getpixel((margin + 1, margin + 1)), (235, 235, 235), 8)
    assert min(sum(im.getpixel((x, y))) for x in range(12, 60) for y in range(12, 60)) < 100  # type: ignore[misc]
    # right panel: a white box behind the black letter
    right = 512
    assert close(im.getpixel((right + margin + 1, margin + 1)), WHITE, 8)
    assert close(im.getpixel((right + 200, 150)), (20, 20, 30), 8)


@pytest.mark.parametrize("position", ["top-right", "bottom-left"])
def test_letter_position(tmp_path: Path, position: str) -> None:
    panel = solid(tmp_path / "dark.jpg", (20, 20, 30), (400, 300))
    style = LabelStyle(
        position=position, box="always", box_colour=WHITE, colour=BLACK, box_opacity=1.0
    )  # type: ignore[arg-type]
    im = open_rgb(
        compose(
            ComposeSpec((panel,), 1, 1, 400, labels=("A",), label_style=style), tmp_path / "c"
        ).path
    )
    corners = {"top-right": (397, 2), "bottom-left": (2, 297)}
    assert close(im.getpixel(corners[position]), WHITE, 8)
    assert close(im.getpixel((2, 2) if position == "top-right" else (397, 297)), (20, 20, 30), 8)


def test_arrows_circles_and_scale_bar(tmp_path: Path) -> None:
    panel = solid(tmp_path / "pink.jpg", (236, 168, 196), (800, 600))
    marks = Marks(
        arrows=((0.5, 0.5, "down-right"),),
        circles=((0.25, 0.75, 0.1),),
        micrometres_per_pixel=0.5,
    )
    spec = ComposeSpec((panel,), 1, 1, 800, marks=(marks,))
    im = open_rgb(compose(spec, tmp_path / "cache").path)
    # the arrow's shaft runs up-left from the tip at the centre, dark on the light tissue
    assert sum(im.getpixel((385, 285))) < 150  # type: ignore[arg-type]
    assert close(im.getpixel((430, 330)), (236, 168, 196), 10)  # beyond the tip: nothing
    # the circle's rim (radius 0.1 of the width = 80 px) and its untouched centre
    rim = [sum(im.getpixel((x, 450))) for x in range(265, 285)]  # type: ignore[arg-type]
    assert min(rim) < 150 and max(rim) > 700  # a black ring outlined in white
    assert close(im.getpixel((200, 450)), (236, 168, 196), 10)
    # 800 px x 0.5 µm = 400 µm visible: a 100 µm bar of 200 px at the bottom right
    row = [sum(im.getpixel((x, 600 - 18 - 3))) < 150 for x in range(0, 800)]  # type: ignore[misc]
    assert 190 <= sum(row) <= 215
    assert nice_length(400) == 100 and nice_length(70) == 10 and nice_length(1300) == 200


def test_marks_cropped_away_are_warned(tmp_path: Path) -> None:
    wide = solid(tmp_path / "wide.jpg", RED, (800, 300))  # cover-cropped into a 4:3 cell
    square = solid(tmp_path / "sq.jpg", RED, (400, 300))
    marks = (Marks(), Marks(arrows=((0.02, 0.5, "left"),)))
    made = compose(ComposeSpec((square, wide), 1, 2, 424, marks=marks), tmp_path / "c")
    assert made.notes == ((1, "the arrow at [0.02, 0.5] is cropped away to fit the layout"),)


def test_low_resolution_is_warned_with_the_numbers(tmp_path: Path) -> None:
    small = solid(tmp_path / "small.jpg", RED, (600, 450))
    made = compose(ComposeSpec((small,), 1, 1, 1004, dpi=300), tmp_path / "cache")
    assert made.notes == (
        (
            0,
            "600x450 px is too small for 300 dpi: printed 85x64 mm it has 179 dpi; "
            "1004x753 px or more would print sharp",
        ),
    )
    enough = solid(tmp_path / "enough.jpg", RED, (1004, 753))
    assert compose(ComposeSpec((enough,), 1, 1, 1004), tmp_path / "cache").notes == ()


def test_notes_and_size_come_back_from_the_cache(tmp_path: Path) -> None:
    small = solid(tmp_path / "small.jpg", RED, (200, 150))
    spec = ComposeSpec((small,), 1, 1, 400)
    first = compose(spec, tmp_path / "cache")
    record = json.loads(first.path.with_suffix(".json").read_text())
    assert record["notes"] and (record["width"], record["height"]) == (400, 300)
    small.unlink()  # a hit needs the bytes only for the key: copy them back
    solid(tmp_path / "small.jpg", RED, (200, 150))
    again = compose(spec, tmp_path / "cache")
    assert again == first


def test_animated_image_uses_the_first_frame(tmp_path: Path) -> None:
    frames = [Image.new("RGB", (400, 300), c) for c in (GREEN, RED, BLUE)]
    frames[0].save(tmp_path / "anim.webp", save_all=True, append_images=frames[1:], lossless=True)
    frames[0].save(tmp_path / "anim.png", save_all=True, append_images=frames[1:])
    for name in ("anim.webp", "anim.png"):
        made = compose(ComposeSpec((tmp_path / name,), 1, 1, 400), tmp_path / "cache")
        assert made.notes == ((0, "has 3 frames: the first is used"),)
        assert close(open_rgb(made.path).getpixel((200, 150)), GREEN)


def test_multipage_tiff_uses_the_first_page(tmp_path: Path) -> None:
    pages = [Image.new("RGB", (400, 300), c) for c in (YELLOW, BLUE)]
    pages[0].save(tmp_path / "pages.tif", save_all=True, append_images=pages[1:])
    made = compose(ComposeSpec((tmp_path / "pages.tif",), 1, 1, 400), tmp_path / "cache")
    assert made.notes == ((0, "has 2 pages: the first is used"),)
    assert close(open_rgb(made.path).getpixel((200, 150)), YELLOW)


def test_twelve_bit_data_in_a_sixteen_bit_file_is_not_black(tmp_path: Path) -> None:
    ramp = Image.linear_gradient("L").rotate(90).resize((400, 300))
    ramp.convert("I").point(lambda v: v * 16).convert("I;16").save(tmp_path / "ct.png")  # 0-4080
    im = open_rgb(compose(ComposeSpec((tmp_path / "ct.png",), 1, 1, 400), tmp_path / "c").path)
    left, middle, right = (im.convert("L").getpixel((x, 150)) for x in (5, 200, 394))
    assert isinstance(left, int) and isinstance(middle, int) and isinstance(right, int)
    assert left < 30 and 90 < middle < 170 and right > 225


def test_tiff_is_lzw_and_metadata_free(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    Image.new("RGB", (400, 300), RED).save(tmp_path / "a.jpg", exif=exif, comment=b"secret")
    made = compose(
        ComposeSpec((tmp_path / "a.jpg",), 1, 1, 400, dpi=600), tmp_path / "c", tiff=True
    )
    assert made.tiff is not None and made.tiff.suffix == ".tif"
    with Image.open(made.tiff) as tif:
        assert tif.info["compression"] == "tiff_lzw"
        assert tuple(round(d) for d in tif.info["dpi"]) == (600, 600)
        assert tif.size == (400, 300) and tif.mode == "RGB"
        assert not tif.getexif().get(0x010F) and "icc_profile" not in tif.info
        assert close(tif.convert("RGB").getpixel((200, 150)), RED)
    assert b"PhoneMaker" not in made.tiff.read_bytes() and b"secret" not in made.tiff.read_bytes()


def test_painting_a_marker_then_composing_keeps_it_upright(tmp_path: Path) -> None:
    """A marker drawn at the top-left of a phone photo stored sideways stays at the top-left."""
    upright = Image.new("RGB", (600, 400), WHITE)
    ImageDraw.Draw(upright).rectangle([0, 0, 149, 99], fill=BLUE)
    exif = Image.Exif()
    exif[0x0112] = 8
    upright.transpose(Image.Transpose.ROTATE_270).save(tmp_path / "s.jpg", exif=exif, quality=95)
    marks = (Marks(circles=((0.9, 0.9, 0.05),)),)
    im = open_rgb(
        compose(ComposeSpec((tmp_path / "s.jpg",), 1, 1, 600, marks=marks), tmp_path / "c").path
    )
    assert close(im.getpixel((30, 30)), BLUE) and close(im.getpixel((570, 30)), WHITE, 6)


def test_tiff_added_later_leaves_the_jpeg_as_it_was(tmp_path: Path) -> None:
    panel = solid(tmp_path / "a.jpg", GREEN)
    spec = ComposeSpec((panel,), 1, 1, 400)
    first = compose(spec, tmp_path / "cache")
    before = first.path.read_bytes()
    assert first.tiff is None and not list((tmp_path / "cache").glob("*.tif"))
    second = compose(spec, tmp_path / "cache", tiff=True)
    assert second.path == first.path and second.path.read_bytes() == before
    assert second.tiff is not None and second.tiff.is_file()
    assert compose(spec, tmp_path / "cache", tiff=True) == second

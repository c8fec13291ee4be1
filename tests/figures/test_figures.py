"""Figure composition with real Pillow images: geometry, orientation, metadata, cache, errors."""

from __future__ import annotations

import hashlib
import io
import random
import shutil
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageCms, ImageDraw, ImageFile

from casereport.figures.compose import ComposeSpec, FigureError, compose_figure

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "cases" / "anifrolumab-alopecia"
DEMO_NAMES = ("before-1", "before-2", "after-1", "after-2")
RED, GREEN, BLUE, YELLOW = (220, 30, 30), (30, 180, 60), (30, 60, 220), (240, 220, 20)


def solid(path: Path, colour: tuple[int, int, int], size: tuple[int, int] = (400, 300)) -> Path:
    """Write a one-colour JPEG."""
    Image.new("RGB", size, colour).save(path, "JPEG", quality=95)
    return path


def close(actual: object, expected: tuple[int, ...], tolerance: int = 14) -> bool:
    """Whether a pixel is within `tolerance` of the expected colour in every channel."""
    assert isinstance(actual, tuple)
    return all(abs(a - e) <= tolerance for a, e in zip(actual, expected, strict=True))


def compose(tmp_path: Path, panels: list[Path], **kwargs: object) -> Image.Image:
    """Compose panels in a fresh cache and return the decoded result."""
    params: dict[str, object] = {"rows": 1, "columns": len(panels), "width_px": 300}
    params.update(kwargs)
    spec = ComposeSpec(panels=tuple(panels), **params)  # type: ignore[arg-type]
    with Image.open(compose_figure(spec, tmp_path / "cache")) as im:
        im.load()
        return im


@pytest.fixture
def max_pixels() -> Iterator[None]:
    """Lower Pillow's decompression-bomb limit to 10 000 pixels for one test."""
    saved = Image.MAX_IMAGE_PIXELS
    Image.MAX_IMAGE_PIXELS = 10_000
    try:
        yield
    finally:
        Image.MAX_IMAGE_PIXELS = saved


# Geometry and order


def test_output_width_and_height(tmp_path: Path) -> None:
    panels = [solid(tmp_path / f"{i}.jpg", RED, (400, 300)) for i in range(4)]
    im = compose(tmp_path, panels, rows=2, columns=2, width_px=2008, gutter_px=24)
    cell_w = (2008 - 24) // 2
    assert im.size == (2008, 2 * round(cell_w * 3 / 4) + 24)


def test_width_kept_when_not_divisible(tmp_path: Path) -> None:
    panels = [solid(tmp_path / f"{i}.jpg", RED) for i in range(3)]
    im = compose(tmp_path, panels, rows=1, columns=3, width_px=1001, gutter_px=10)
    assert im.width == 1001


def test_panels_in_row_major_order(tmp_path: Path) -> None:
    colours = [RED, GREEN, BLUE, YELLOW]
    panels = [solid(tmp_path / f"{i}.jpg", c) for i, c in enumerate(colours)]
    im = compose(tmp_path, panels, rows=2, columns=2, width_px=424, gutter_px=24)
    assert im.size == (424, 324)
    centres = [(100, 75), (324, 75), (100, 249), (324, 249)]
    for centre, colour in zip(centres, colours, strict=True):
        assert close(im.getpixel(centre), colour), (centre, im.getpixel(centre), colour)
    assert close(im.getpixel((212, 75)), (255, 255, 255), 4)  # gutter stays white


def test_other_aspects_are_cover_cropped(tmp_path: Path) -> None:
    first = solid(tmp_path / "wide.jpg", RED, (400, 300))
    tall = Image.new("RGB", (300, 600), BLUE)
    ImageDraw.Draw(tall).rectangle([0, 0, 299, 99], fill=GREEN)  # cropped away by "cover"
    tall.save(tmp_path / "tall.jpg", quality=95)
    im = compose(tmp_path, [first, tmp_path / "tall.jpg"], width_px=424, gutter_px=24)
    assert im.size == (424, 150)
    assert close(im.getpixel((324, 2)), BLUE)


def test_empty_cells_stay_white(tmp_path: Path) -> None:
    im = compose(tmp_path, [solid(tmp_path / "a.jpg", RED)], rows=1, columns=2, width_px=424)
    assert close(im.getpixel((324, 75)), (255, 255, 255), 2)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    rows=st.integers(1, 3),
    columns=st.integers(1, 3),
    width=st.integers(60, 500),
    gutter=st.integers(0, 12),
    count=st.integers(1, 9),
)
def test_any_layout_has_the_requested_width(
    demo_like: list[Path], rows: int, columns: int, width: int, gutter: int, count: int
) -> None:
    panels = tuple(demo_like[:count])
    spec = ComposeSpec(panels, rows, columns, width, gutter)
    cache = demo_like[0].parent / "cache"
    if count > rows * columns or (width - (columns - 1) * gutter) // columns < 1:
        with pytest.raises(FigureError):
            compose_figure(spec, cache)
        return
    with Image.open(compose_figure(spec, cache)) as im:
        cell_w = (width - (columns - 1) * gutter) // columns
        assert im.size == (width, rows * max(1, round(cell_w * 3 / 4)) + (rows - 1) * gutter)


@pytest.fixture(scope="module")
def demo_like(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Nine small 4:3 panels shared by the property test."""
    folder = tmp_path_factory.mktemp("panels")
    return [solid(folder / f"{i}.jpg", (20 * i, 100, 200), (80, 60)) for i in range(9)]


# Orientation, colour modes


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    upright = Image.new("RGB", (300, 200), (255, 255, 255))
    ImageDraw.Draw(upright).rectangle([0, 0, 99, 79], fill=RED)  # marker at top-left
    stored = upright.transpose(Image.Transpose.ROTATE_90)  # as a phone stores it
    exif = Image.Exif()
    exif[0x0112] = 6
    stored.save(tmp_path / "rotated.jpg", quality=95, exif=exif)
    im = compose(tmp_path, [tmp_path / "rotated.jpg"], width_px=300)
    assert im.size == (300, 200)  # cell aspect from the displayed, not the stored, size
    assert close(im.getpixel((40, 30)), RED)
    assert close(im.getpixel((260, 30)), (255, 255, 255), 6)
    assert close(im.getpixel((40, 170)), (255, 255, 255), 6)


def test_rgba_is_flattened_on_white(tmp_path: Path) -> None:
    rgba = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    ImageDraw.Draw(rgba).rectangle([150, 100, 249, 199], fill=(0, 0, 0, 255))
    rgba.save(tmp_path / "alpha.png")
    im = compose(tmp_path, [tmp_path / "alpha.png"], width_px=400)
    assert close(im.getpixel((20, 20)), (255, 255, 255), 3)
    assert close(im.getpixel((200, 150)), (0, 0, 0), 6)


def test_palette_with_transparency_is_flattened(tmp_path: Path) -> None:
    pal = Image.new("P", (40, 30), 0)
    pal.putpalette([0, 0, 0, 200, 0, 0])
    ImageDraw.Draw(pal).rectangle([20, 0, 39, 29], fill=1)
    pal.save(tmp_path / "pal.png", transparency=0)
    im = compose(tmp_path, [tmp_path / "pal.png"], width_px=400)
    assert close(im.getpixel((50, 150)), (255, 255, 255), 3)
    assert close(im.getpixel((350, 150)), (200, 0, 0))


def test_16_bit_gradient_is_scaled_not_clipped(tmp_path: Path) -> None:
    ramp = Image.linear_gradient("L").rotate(90).resize((400, 300))  # dark left, bright right
    ramp.convert("I").point(lambda v: v * 257).convert("I;16").save(tmp_path / "deep.png")
    with Image.open(tmp_path / "deep.png") as deep:
        assert deep.mode == "I;16"
    im = compose(tmp_path, [tmp_path / "deep.png"], width_px=400).convert("L")
    left, middle, right = (im.getpixel((x, 150)) for x in (5, 200, 394))
    assert isinstance(left, int) and isinstance(middle, int) and isinstance(right, int)
    assert left < 30 and 90 < middle < 170 and right > 225


def test_cmyk_and_grey_become_rgb(tmp_path: Path) -> None:
    Image.new("CMYK", (400, 300), (0, 255, 255, 0)).save(tmp_path / "cmyk.jpg", quality=95)
    Image.new("L", (400, 300), 90).save(tmp_path / "grey.tif")
    im = compose(tmp_path, [tmp_path / "cmyk.jpg", tmp_path / "grey.tif"], width_px=424)
    assert im.mode == "RGB"
    assert close(im.getpixel((100, 75)), (255, 0, 0), 30)
    assert close(im.getpixel((324, 75)), (90, 90, 90), 4)


def test_webp_panel(tmp_path: Path) -> None:
    Image.new("RGB", (400, 300), GREEN).save(tmp_path / "p.webp", quality=95)
    assert close(compose(tmp_path, [tmp_path / "p.webp"]).getpixel((150, 100)), GREEN)


# Output file


def test_output_has_no_metadata_and_300_dpi(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    exif[0x8825] = {1: "N", 2: (48.0, 51.0, 29.0), 3: "E", 4: (2.0, 17.0, 40.0)}
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    Image.new("RGB", (400, 300), RED).save(
        tmp_path / "meta.jpg", exif=exif, comment=b"patient name", icc_profile=srgb
    )
    path = compose_figure(ComposeSpec((tmp_path / "meta.jpg",), 1, 1, 300), tmp_path / "c")
    with Image.open(path) as im:
        assert len(im.getexif()) == 0
        assert im.getexif().get_ifd(0x8825) == {}
        for key in ("comment", "icc_profile", "exif", "progressive", "progression"):
            assert key not in im.info
        assert tuple(round(d) for d in im.info["dpi"]) == (300, 300)
    assert b"patient name" not in path.read_bytes()
    assert b"PhoneMaker" not in path.read_bytes()


def test_labels_drawn_top_left(tmp_path: Path) -> None:
    panels = [solid(tmp_path / f"{i}.jpg", (255, 255, 255)) for i in range(2)]
    im = compose(tmp_path, panels, width_px=824, labels=("A", "B"))
    assert sum(im.getpixel((2, 2))) < 400  # type: ignore[arg-type]  # dark box in each corner
    assert sum(im.getpixel((424 + 2, 2))) < 400  # type: ignore[arg-type]
    assert close(im.getpixel((300, 250)), (255, 255, 255), 3)


def test_labels_must_match_panels(tmp_path: Path) -> None:
    with pytest.raises(FigureError, match="1 labels for 2 panels"):
        compose(
            tmp_path,
            [solid(tmp_path / "a.jpg", RED), solid(tmp_path / "b.jpg", RED)],
            labels=("A",),
        )


def test_no_temporary_files_left(tmp_path: Path) -> None:
    compose(tmp_path, [solid(tmp_path / "a.jpg", RED)])
    # the figure and its size-and-warnings record, nothing half-written
    assert sorted(p.suffix for p in (tmp_path / "cache").iterdir()) == [".jpg", ".json"]


# Cache


def test_cache_hit_decodes_nothing(tmp_path: Path) -> None:
    panels = tuple(solid(tmp_path / f"{i}.jpg", c) for i, c in enumerate([RED, GREEN]))
    spec = ComposeSpec(panels, 1, 2, 424)
    first = compose_figure(spec, tmp_path / "cache")
    before = first.stat().st_mtime_ns
    started = time.perf_counter()
    again = compose_figure(spec, tmp_path / "cache")
    assert time.perf_counter() - started < 0.020
    assert again == first and again.stat().st_mtime_ns == before


def test_cache_key_is_content_not_path(tmp_path: Path) -> None:
    panel = solid(tmp_path / "a.jpg", RED)
    first = compose_figure(ComposeSpec((panel,), 1, 1, 300), tmp_path / "cache")
    moved = tmp_path / "elsewhere" / "renamed.jpg"
    moved.parent.mkdir()
    shutil.copy(panel, moved)
    panel.unlink()  # the original is gone: a hit must not need it
    assert compose_figure(ComposeSpec((moved,), 1, 1, 300), tmp_path / "cache") == first


def test_cache_key_changes_with_content_and_parameters(tmp_path: Path) -> None:
    panel = solid(tmp_path / "a.jpg", RED)
    cache = tmp_path / "cache"
    base = compose_figure(ComposeSpec((panel,), 1, 1, 300), cache)
    assert compose_figure(ComposeSpec((panel,), 1, 1, 300, quality=80), cache) != base
    assert compose_figure(ComposeSpec((panel,), 1, 1, 300, labels=("A",)), cache) != base
    assert compose_figure(ComposeSpec((panel,), 1, 2, 300), cache) != base
    solid(tmp_path / "b.jpg", GREEN, (500, 300)).replace(panel)  # new content, new inode
    assert compose_figure(ComposeSpec((panel,), 1, 1, 300), cache) != base


# Errors


def test_text_file_named_jpg(tmp_path: Path) -> None:
    good = solid(tmp_path / "a.jpg", RED)
    fake = tmp_path / "notes.jpg"
    fake.write_text("this is not a photo\n")
    with pytest.raises(FigureError) as caught:
        compose(tmp_path, [good, fake])
    assert caught.value.panel_index == 1
    assert caught.value.path == fake
    assert "not an image or not a supported format" in caught.value.message
    assert not list((tmp_path / "cache").glob("*"))


def test_eps_named_png_is_not_handed_to_ghostscript(tmp_path: Path) -> None:
    eps = tmp_path / "figure.png"
    eps.write_bytes(b"%!PS-Adobe-3.0 EPSF-3.0\n%%BoundingBox: 0 0 10 10\nshowpage\n")
    with pytest.raises(FigureError, match="not a supported format") as caught:
        compose(tmp_path, [eps])
    assert caught.value.panel_index == 0


@pytest.fixture(params=[False, True], ids=["strict", "relaxed"])
def load_truncated(request: pytest.FixtureRequest) -> Iterator[None]:
    """Run with Pillow's LOAD_TRUNCATED_IMAGES off and on (importing weasyprint turns it on)."""
    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = request.param
    yield  # pytest resumes here even when the test fails
    after = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = saved
    assert after is request.param  # compose_figure put the caller's setting back


@pytest.mark.usefixtures("load_truncated")
def test_truncated_jpeg(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    Image.effect_noise((400, 300), 60).convert("RGB").save(buffer, "JPEG")
    (tmp_path / "cut.jpg").write_bytes(buffer.getvalue()[: len(buffer.getvalue()) // 2])
    with pytest.raises(FigureError, match="truncated or corrupt") as caught:
        compose(tmp_path, [solid(tmp_path / "a.jpg", RED), tmp_path / "cut.jpg"])
    assert caught.value.panel_index == 1


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(FigureError) as caught:
        compose(tmp_path, [tmp_path / "absent.jpg"])
    assert caught.value.panel_index == 0


def test_layout_too_small(tmp_path: Path) -> None:
    panels = [solid(tmp_path / f"{i}.jpg", RED) for i in range(3)]
    with pytest.raises(FigureError) as caught:
        compose(tmp_path, panels, rows=2, columns=1)
    assert caught.value.panel_index is None and caught.value.path is None
    assert caught.value.message == "layout 2x1 has 2 cells for 3 panels"


@pytest.mark.usefixtures("max_pixels")
@pytest.mark.parametrize("size", [(120, 100), (300, 300)])  # warning zone, error zone
def test_decompression_bomb_refused(tmp_path: Path, size: tuple[int, int]) -> None:
    solid(tmp_path / "big.jpg", RED, size)
    with pytest.raises(FigureError, match=r"image too large: \d+ pixels \(limit 10000\)"):
        compose(tmp_path, [tmp_path / "big.jpg"])


def png_chunk(kind: bytes, data: bytes) -> bytes:
    """One PNG chunk with its length and CRC."""
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def test_png_header_claiming_huge_size(tmp_path: Path) -> None:
    header = struct.pack(">IIBBBBB", 100_000, 100_000, 8, 2, 0, 0, 0)
    bomb = png_chunk(b"IHDR", header) + png_chunk(b"IDAT", zlib.compress(b"\0" * 64))
    (tmp_path / "bomb.png").write_bytes(b"\x89PNG\r\n\x1a\n" + bomb + png_chunk(b"IEND", b""))
    assert (tmp_path / "bomb.png").stat().st_size < 200
    with pytest.raises(FigureError, match="image too large: 10000000000 pixels"):
        compose(tmp_path, [tmp_path / "bomb.png"])


# Module and demo images


def test_import_does_not_load_pillow() -> None:
    code = "import sys, casereport.figures.compose; print('PIL' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert result.stdout.strip() == "False"


def test_demo_images_are_12_megapixel_phone_photos() -> None:
    for name in DEMO_NAMES:
        with Image.open(DEMO / f"{name}.jpg") as im:
            exif = im.getexif()
            rotated = exif.get(0x0112) == 6
            assert rotated == (name == "after-2")
            assert (im.size[::-1] if rotated else im.size) == (4000, 3000)
            assert exif.get(0x010F) and exif.get(0x0110)
            assert exif.get_ifd(0x8769).get(0x9003)  # DateTimeOriginal
            assert exif.get_ifd(0x8825).get(2)  # GPSLatitude
            assert b"synthetic" in im.info["comment"]


def test_demo_images_regenerate_identically(tmp_path: Path) -> None:
    script = ROOT / "scripts" / "make_demo_images.py"
    subprocess.run([sys.executable, str(script), str(tmp_path)], check=True, capture_output=True)
    for name in DEMO_NAMES:
        fresh = hashlib.sha256((tmp_path / f"{name}.jpg").read_bytes()).hexdigest()
        committed = hashlib.sha256((DEMO / f"{name}.jpg").read_bytes()).hexdigest()
        assert fresh == committed, name


def test_demo_figure_is_upright_and_fast(tmp_path: Path) -> None:
    panels = tuple(DEMO / f"{name}.jpg" for name in DEMO_NAMES)
    spec = ComposeSpec(panels, 2, 2, 2008, labels=("A", "B", "C", "D"))
    started = time.perf_counter()
    path = compose_figure(spec, tmp_path)
    assert time.perf_counter() - started < 2.0  # about 0.15 s; generous for slow CI
    with Image.open(path) as im:
        assert im.size == (2008, 2 * 744 + 24)
        # every panel's dark caption banner is at the bottom of its cell: upright
        for left, top in ((0, 0), (1016, 0), (0, 768), (1016, 768)):
            assert sum(im.getpixel((left + 10, top + 740))) < 150  # type: ignore[arg-type]
            assert sum(im.getpixel((left + 100, top + 120))) > 450  # type: ignore[arg-type]


def test_unusable_icc_profile_is_ignored(tmp_path: Path) -> None:
    Image.new("RGB", (400, 300), BLUE).save(tmp_path / "icc.jpg", icc_profile=b"not a profile")
    assert close(compose(tmp_path, [tmp_path / "icc.jpg"]).getpixel((150, 100)), BLUE)


def test_corrupt_bytes_raise_only_figure_error(tmp_path: Path) -> None:
    """Random byte flips (half in the EXIF block) give a figure or a FigureError, nothing else."""
    buffer = io.BytesIO()
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x8825] = {1: "N", 2: (1.0, 2.0, 3.0)}
    Image.effect_noise((64, 48), 50).convert("RGB").save(buffer, "JPEG", exif=exif)
    rng = random.Random(7)
    for i in range(150):
        data = bytearray(buffer.getvalue())
        for _ in range(rng.randint(1, 6)):
            data[rng.randrange(160 if i % 2 else len(data))] = rng.randrange(256)  # EXIF or all
        (tmp_path / f"{i}.jpg").write_bytes(data)
        try:
            compose(tmp_path, [tmp_path / f"{i}.jpg"], width_px=40)
        except FigureError as exc:
            assert exc.panel_index == 0

"""Compose panel photos into one print-sized, metadata-free figure JPEG, cached by content."""

from __future__ import annotations

import hashlib
import io
import json
import math
import os
import re
import struct
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

VERSION = "figures-1"  # bump when the output for the same inputs changes
FORMATS = ("JPEG", "PNG", "TIFF", "WEBP")
FORMAT_NAMES = "JPEG, PNG, TIFF, WebP"
MAX_FILE_BYTES = 256 * 1024 * 1024
WHITE = (255, 255, 255)
LABEL_BOX = (0, 0, 0, 165)
SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})
TRANSPARENT_MODES = frozenset({"P", "PA", "RGBA", "RGBa", "LA"})
SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
MODES = TRANSPARENT_MODES | SIXTEEN_BIT_MODES | {"RGB", "CMYK", "YCbCr", "L", "1", "I", "F"}

# What Pillow's parsers raise on malformed bytes (a PNG text-chunk bomb raises ValueError).
CORRUPT = (
    OSError,
    EOFError,
    ValueError,
    SyntaxError,
    struct.error,
    IndexError,
    TypeError,
    KeyError,
)

_DIGESTS: dict[tuple[str, int, int, int], str] = {}
_DIGESTS_MAX = 4096


@dataclass(frozen=True)
class ComposeSpec:
    """What to compose: panel files, grid, printed width in pixels, labels and JPEG quality."""

    panels: tuple[Path, ...]
    rows: int
    columns: int
    width_px: int
    gutter_px: int = 24
    labels: tuple[str, ...] = ()
    quality: int = 90


class FigureError(Exception):
    """A figure cannot be composed; panel_index (0-based) and path say which panel, if one."""

    def __init__(self, panel_index: int | None, path: Path | None, message: str) -> None:
        self.panel_index = panel_index
        self.path = path
        self.message = message
        where = "" if panel_index is None else f"panels[{panel_index}]: "
        super().__init__(f"{path}: {where}{message}" if path is not None else where + message)


class _PanelProblem(Exception):
    """A panel-level problem whose message is already plain English."""


def compose_figure(spec: ComposeSpec, cache_dir: Path) -> Path:
    """Return the path of the composed baseline JPEG in cache_dir, computing it only on a miss."""
    _check_spec(spec)
    target = cache_dir / f"{_cache_key(spec)}.jpg"
    if target.is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    _write_atomic(_render(spec), target, spec.quality)
    return target


def _cache_key(spec: ComposeSpec) -> str:
    """Hex sha256 of the panels' contents, every spec parameter and the code version."""
    payload = {
        "version": VERSION,
        "panels": [_content_digest(i, path) for i, path in enumerate(spec.panels)],
        "rows": spec.rows,
        "columns": spec.columns,
        "width_px": spec.width_px,
        "gutter_px": spec.gutter_px,
        "labels": list(spec.labels),
        "quality": spec.quality,
    }
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


def _check_spec(spec: ComposeSpec) -> None:
    """Refuse a spec that cannot make a sensible figure."""
    cells = spec.rows * spec.columns
    layout = f"{spec.rows}x{spec.columns}"
    checks = (
        (not spec.panels, "a figure needs at least one panel"),
        (spec.rows < 1 or spec.columns < 1, f"layout {layout} needs at least 1 row and 1 column"),
        (
            cells < len(spec.panels),
            f"layout {layout} has {cells} cells for {len(spec.panels)} panels",
        ),
        (spec.gutter_px < 0, f"gutter must not be negative, got {spec.gutter_px}"),
        (
            spec.columns > 0 and _cell_width(spec) < 1,
            f"width {spec.width_px} px leaves no room for {spec.columns} columns",
        ),
        (
            bool(spec.labels) and len(spec.labels) != len(spec.panels),
            f"{len(spec.labels)} labels for {len(spec.panels)} panels",
        ),
        (not 1 <= spec.quality <= 100, f"JPEG quality must be 1-100, got {spec.quality}"),
    )
    problem = next((message for failed, message in checks if failed), None)
    if problem is not None:
        raise FigureError(None, None, problem)


def file_digest(path: Path) -> str:
    """Sha256 of a file's bytes, memoised like the panels' (shared with the build manifest)."""
    try:
        return _content_digest(0, path)
    except FigureError as exc:
        raise OSError(exc.message) from None


def _content_digest(index: int, path: Path) -> str:
    """Sha256 of a file's bytes, memoised on (path, size, mtime, inode)."""
    try:
        with path.open("rb") as file:
            st = os.fstat(file.fileno())
            key = (str(path), st.st_size, st.st_mtime_ns, st.st_ino)
            if key not in _DIGESTS:
                _remember(key, _hash_file(index, path, file, st.st_size))
    except OSError as exc:
        raise FigureError(index, path, f"cannot read file: {exc.strerror or exc}") from exc
    return _DIGESTS[key]


def _hash_file(index: int, path: Path, file: io.BufferedReader, size: int) -> str:
    """Hash an open file, refusing ones too large to be a photo."""
    if size > MAX_FILE_BYTES:
        raise FigureError(index, path, f"file too large: {size} bytes (limit {MAX_FILE_BYTES})")
    return hashlib.file_digest(file, "sha256").hexdigest()


def _remember(key: tuple[str, int, int, int], digest: str) -> None:
    """Store a digest, forgetting everything once the memo grows large."""
    if len(_DIGESTS) >= _DIGESTS_MAX:
        _DIGESTS.clear()
    _DIGESTS[key] = digest


def _cell_width(spec: ComposeSpec) -> int:
    """Width of one grid cell in pixels."""
    return (spec.width_px - (spec.columns - 1) * spec.gutter_px) // spec.columns


def _render(spec: ComposeSpec) -> Image.Image:
    """Decode, orient, fit and paste every panel onto a white canvas."""
    cell_w = _cell_width(spec)
    canvas: Image.Image | None = None
    cell = (cell_w, 1)
    for index, path in enumerate(spec.panels):
        with _open(index, path) as im:
            with _panel_errors(index, path):
                if canvas is None:
                    cell = (cell_w, _cell_height(im, cell_w))
                    canvas = _blank_canvas(spec, cell)
                upright = _decode(im, cell)
            canvas.paste(_fit(upright, cell), _cell_origin(spec, index, cell))
    assert canvas is not None  # _check_spec guarantees at least one panel
    if spec.labels:
        _draw_labels(canvas, spec, cell)
    return canvas


def _open(index: int, path: Path) -> Image.Image:
    """Open a panel lazily (header only), accepting only the allowed formats."""
    from PIL import Image

    with _panel_errors(index, path):
        return Image.open(path, formats=FORMATS)


@contextmanager
def _panel_errors(index: int, path: Path) -> Iterator[None]:
    """Turn whatever Pillow raises for a bad panel into a FigureError naming it."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings(), _truncation_is_an_error():
        warnings.simplefilter("ignore")  # Pillow's other warnings (corrupt EXIF, ...) are noise
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise FigureError(index, path, _too_large(exc)) from exc
        except _PanelProblem as exc:
            raise FigureError(index, path, str(exc)) from exc
        except UnidentifiedImageError as exc:
            message = f"not an image or not a supported format ({FORMAT_NAMES})"
            raise FigureError(index, path, message) from exc
        except FileNotFoundError as exc:
            raise FigureError(index, path, "file not found") from exc
        except CORRUPT as exc:
            raise FigureError(index, path, "image is truncated or corrupt") from exc


@contextmanager
def _truncation_is_an_error() -> Iterator[None]:
    """Decode strictly even if another library (importing weasyprint does) relaxed Pillow."""
    from PIL import ImageFile

    saved = ImageFile.LOAD_TRUNCATED_IMAGES
    ImageFile.LOAD_TRUNCATED_IMAGES = False
    try:
        yield
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES = saved


def _too_large(exc: Exception) -> str:
    """Plain-English message for a decompression-bomb refusal."""
    from PIL import Image

    found = re.search(r"\((\d+) pixels\)", str(exc))
    pixels = found.group(1) if found else "too many"
    return f"image too large: {pixels} pixels (limit {Image.MAX_IMAGE_PIXELS})"


def _orientation(im: Image.Image) -> int:
    """EXIF orientation 1-8 (1 when absent or nonsense)."""
    value = im.getexif().get(0x0112, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def _oriented_size(im: Image.Image) -> tuple[int, int]:
    """Size of the image as displayed, after its EXIF orientation."""
    return im.size[::-1] if _orientation(im) in SWAPPING_ORIENTATIONS else im.size


def _cell_height(im: Image.Image, cell_w: int) -> int:
    """Cell height that keeps the first panel's displayed aspect ratio."""
    width, height = _oriented_size(im)
    return max(1, round(cell_w * height / width))


def _blank_canvas(spec: ComposeSpec, cell: tuple[int, int]) -> Image.Image:
    """White RGB canvas holding the whole grid."""
    from PIL import Image

    height = spec.rows * cell[1] + (spec.rows - 1) * spec.gutter_px
    return Image.new("RGB", (spec.width_px, height), WHITE)


def _cell_origin(spec: ComposeSpec, index: int, cell: tuple[int, int]) -> tuple[int, int]:
    """Top-left pixel of the cell for panel `index` (row-major, grid centred horizontally)."""
    row, column = divmod(index, spec.columns)
    grid_w = spec.columns * cell[0] + (spec.columns - 1) * spec.gutter_px
    left = (spec.width_px - grid_w) // 2
    return left + column * (cell[0] + spec.gutter_px), row * (cell[1] + spec.gutter_px)


def _decode(im: Image.Image, cell: tuple[int, int]) -> Image.Image:
    """Decode at the smallest size that still covers the cell, upright, in a known mode.

    Orientation is applied here rather than by ImageOps.exif_transpose, which re-writes the
    EXIF afterwards and raises TypeError or struct.error on some corrupt tags.
    """
    im.draft("RGB", _draft_size(im, cell))
    im.load()  # truncation surfaces here
    if im.mode not in MODES:
        raise _PanelProblem(f"unsupported colour mode {im.mode}")
    method = _transposition(_orientation(im))
    return im if method is None else im.transpose(method)


def _transposition(orientation: int) -> Image.Transpose | None:
    """The transpose that shows an image upright, as ImageOps.exif_transpose picks it."""
    from PIL import Image

    return {
        2: Image.Transpose.FLIP_LEFT_RIGHT,
        3: Image.Transpose.ROTATE_180,
        4: Image.Transpose.FLIP_TOP_BOTTOM,
        5: Image.Transpose.TRANSPOSE,
        6: Image.Transpose.ROTATE_270,
        7: Image.Transpose.TRANSVERSE,
        8: Image.Transpose.ROTATE_90,
    }.get(orientation)


def _fit(upright: Image.Image, cell: tuple[int, int]) -> Image.Image:
    """8-bit sRGB tile exactly the cell's size."""
    if upright.mode in ("RGB", "CMYK"):
        return _to_srgb(_cover(upright, cell), upright.info.get("icc_profile"))
    return _cover(_to_rgb(upright), cell)


def _draft_size(im: Image.Image, cell: tuple[int, int]) -> tuple[int, int]:
    """Smallest stored-orientation size whose upright version still covers the cell."""
    width, height = _oriented_size(im)
    scale = max(cell[0] / width, cell[1] / height)
    return math.ceil(im.size[0] * scale), math.ceil(im.size[1] * scale)


def _cover(im: Image.Image, cell: tuple[int, int]) -> Image.Image:
    """Centre-crop to the cell's aspect ratio and resize with Lanczos."""
    from PIL import Image

    width, height = im.size
    scale = max(cell[0] / width, cell[1] / height)
    crop_w, crop_h = cell[0] / scale, cell[1] / scale
    left, top = max(0.0, (width - crop_w) / 2), max(0.0, (height - crop_h) / 2)
    box = (left, top, min(width, left + crop_w), min(height, top + crop_h))
    return im.resize(cell, Image.Resampling.LANCZOS, box=box, reducing_gap=3.0)


def _to_rgb(im: Image.Image) -> Image.Image:
    """8-bit RGB from any mode: 16/32-bit scaled, alpha and palettes flattened onto white."""
    if im.mode == "RGB":
        return im
    if im.mode in SIXTEEN_BIT_MODES:
        return im.convert("I").point(lambda v: v / 257).convert("L").convert("RGB")
    if im.mode in ("I", "F"):
        return _stretch(im).convert("RGB")
    if im.mode in TRANSPARENT_MODES:
        return _flatten(im)
    return im.convert("RGB")


def _stretch(im: Image.Image) -> Image.Image:
    """Map a 32-bit integer or float image's value range linearly onto 0-255."""
    low, high = im.getextrema()
    assert isinstance(low, int | float) and isinstance(high, int | float)
    span = high - low
    if span <= 0:
        return im.convert("L")
    return im.point(lambda v: (v - low) * (255 / span)).convert("L")


def _flatten(im: Image.Image) -> Image.Image:
    """Composite an image with (possible) transparency onto white."""
    from PIL import Image

    rgba = im.convert("RGBA")
    flat = Image.new("RGB", im.size, WHITE)
    flat.paste(rgba, mask=rgba.getchannel("A"))
    return flat


def _to_srgb(tile: Image.Image, icc: object) -> Image.Image:
    """Convert an RGB or CMYK tile to sRGB through its embedded ICC profile, if usable."""
    if isinstance(icc, bytes) and icc:
        converted = _icc_convert(tile, icc)
        if converted is not None:
            return converted
    return tile.convert("RGB")


def _icc_convert(tile: Image.Image, icc: bytes) -> Image.Image | None:
    """Apply an embedded profile; None when the profile is unusable."""
    from PIL import ImageCms

    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        srgb = ImageCms.createProfile("sRGB")
        return ImageCms.profileToProfile(tile, source, srgb, outputMode="RGB")
    except (ImageCms.PyCMSError, OSError, ValueError, TypeError):
        return None


def _draw_labels(canvas: Image.Image, spec: ComposeSpec, cell: tuple[int, int]) -> None:
    """White bold letters on dark translucent boxes at each panel's top-left corner."""
    from PIL import ImageDraw, ImageFont

    size = max(12, round(cell[0] * 0.045))
    font = ImageFont.load_default(size=size)
    stroke, pad = max(1, size // 18), max(3, size // 4)
    draw = ImageDraw.Draw(canvas, "RGBA")
    for index, label in enumerate(spec.labels):
        x, y = _cell_origin(spec, index, cell)
        box = draw.textbbox((0, 0), label, font=font, stroke_width=stroke)
        right, bottom = x + box[2] - box[0] + 2 * pad, y + box[3] - box[1] + 2 * pad
        draw.rectangle([x, y, right, bottom], fill=LABEL_BOX)
        position = (x + pad - box[0], y + pad - box[1])
        draw.text(position, label, font=font, fill=WHITE, stroke_width=stroke, stroke_fill=WHITE)


def _write_atomic(image: Image.Image, target: Path, quality: int) -> None:
    """Save pixels only (no EXIF, ICC or comment) as a baseline 300-dpi JPEG, atomically."""
    image.info.clear()  # Pillow would re-write an inherited comment
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=".figure-", suffix=".tmp")
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as file:
            image.save(
                file, "JPEG", quality=quality, optimize=True, progressive=False, dpi=(300, 300)
            )
        temp.chmod(0o644)
        temp.replace(target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise

"""Panel images in, clean 8-bit sRGB tiles out: formats, orientation, colour, problems.

Only JPEG, PNG, TIFF and WebP are opened. EXIF orientation is applied before the tag is
dropped; CMYK and tagged RGB go through their ICC profile; 16- and 32-bit images are
scaled by the depth they use, not clipped; palettes and alpha are flattened onto white;
an animated image gives its first frame. What Pillow raises for a bad file becomes a
FigureError naming the panel, and decompression-bomb warnings are errors.
"""

from __future__ import annotations

import io
import math
import re
import struct
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image

FORMATS = ("JPEG", "PNG", "TIFF", "WEBP")
FORMAT_NAMES = "JPEG, PNG, TIFF, WebP"
WHITE = (255, 255, 255)
SWAPPING_ORIENTATIONS = frozenset({5, 6, 7, 8})
TRANSPARENT_MODES = frozenset({"P", "PA", "RGBA", "RGBa", "LA"})
SIXTEEN_BIT_MODES = frozenset({"I;16", "I;16L", "I;16B", "I;16N"})
MODES = TRANSPARENT_MODES | SIXTEEN_BIT_MODES | {"RGB", "CMYK", "YCbCr", "L", "1", "I", "F"}
Crop = tuple[float, float, float, float]

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


class FigureError(Exception):
    """A figure cannot be composed; panel_index (0-based) and path say which panel, if one."""

    def __init__(self, panel_index: int | None, path: Path | None, message: str) -> None:
        self.panel_index = panel_index
        self.path = path
        self.message = message
        where = "" if panel_index is None else f"panels[{panel_index}]: "
        super().__init__(f"{path}: {where}{message}" if path is not None else where + message)


class PanelProblem(Exception):
    """A panel-level problem whose message is already plain English."""


MAX_ASPECT = 20  # a panel longer than 20 times its width is a strip, not a picture


def open_panel(index: int, path: Path) -> Image.Image:
    """Open a panel lazily (header only), accepting only the allowed formats and shapes."""
    from PIL import Image

    with panel_errors(index, path):
        image = Image.open(path, formats=FORMATS)
        width, height = image.size
        if max(width, height) > MAX_ASPECT * max(1, min(width, height)):
            image.close()
            ratio = max(width, height) / max(1, min(width, height))
            raise PanelProblem(
                f"{width}x{height} px is too elongated for a panel "
                f"(aspect ratio {ratio:.0f}:1, the limit is {MAX_ASPECT}:1)"
            )
        return image


@contextmanager
def panel_errors(index: int, path: Path) -> Iterator[None]:
    """Turn whatever Pillow raises for a bad panel into a FigureError naming it."""
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings(), _truncation_is_an_error():
        warnings.simplefilter("ignore")  # Pillow's other warnings (corrupt EXIF, ...) are noise
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            yield
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise FigureError(index, path, _too_large(exc)) from exc
        except PanelProblem as exc:
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


def frame_count(im: Image.Image) -> int:
    """Frames (animation) or pages (multi-page TIFF) in the file; 1 for a still image."""
    return int(getattr(im, "n_frames", 1) or 1)


def orientation(im: Image.Image) -> int:
    """EXIF orientation 1-8 (1 when absent or nonsense)."""
    value = im.getexif().get(0x0112, 1)
    return value if isinstance(value, int) and 1 <= value <= 8 else 1


def oriented_size(im: Image.Image) -> tuple[int, int]:
    """Size of the image as displayed, after its EXIF orientation."""
    return im.size[::-1] if orientation(im) in SWAPPING_ORIENTATIONS else im.size


def cover_crop(size: tuple[int, int], box: tuple[int, int]) -> Crop:
    """The centred part of an image (as fractions) that fills `box` at the box's aspect."""
    scale = max(box[0] / size[0], box[1] / size[1])
    width, height = min(1.0, box[0] / scale / size[0]), min(1.0, box[1] / scale / size[1])
    return (1 - width) / 2, (1 - height) / 2, width, height


def decode(im: Image.Image, box: tuple[int, int]) -> Image.Image:
    """Decode at the smallest size that still covers the box, upright, in a known mode.

    Orientation is applied here rather than by ImageOps.exif_transpose, which re-writes the
    EXIF afterwards and raises TypeError or struct.error on some corrupt tags.
    """
    im.draft("RGB", _draft_size(im, box))
    im.load()  # truncation surfaces here
    if im.mode not in MODES:
        raise PanelProblem(f"unsupported colour mode {im.mode}")
    method = _transposition(orientation(im))
    return im if method is None else im.transpose(method)


def _transposition(value: int) -> Image.Transpose | None:
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
    }.get(value)


def _draft_size(im: Image.Image, box: tuple[int, int]) -> tuple[int, int]:
    """Smallest stored-orientation size whose upright version still covers the box."""
    width, height = oriented_size(im)
    scale = max(box[0] / width, box[1] / height)
    return math.ceil(im.size[0] * scale), math.ceil(im.size[1] * scale)


def fit(upright: Image.Image, box: tuple[int, int]) -> Image.Image:
    """8-bit sRGB tile exactly the box's size."""
    if upright.mode in ("RGB", "CMYK"):
        return _to_srgb(_cover(upright, box), upright.info.get("icc_profile"))
    return _cover(to_rgb(upright), box)


def _cover(im: Image.Image, box: tuple[int, int]) -> Image.Image:
    """Centre-crop to the box's aspect ratio and resize with Lanczos."""
    from PIL import Image

    left, top, width, height = cover_crop(im.size, box)
    w, h = im.size
    region = (left * w, top * h, (left + width) * w, (top + height) * h)
    return im.resize(box, Image.Resampling.LANCZOS, box=region, reducing_gap=3.0)


def to_rgb(im: Image.Image) -> Image.Image:
    """8-bit RGB from any mode: 16/32-bit scaled, alpha and palettes flattened onto white."""
    if im.mode == "RGB":
        return im
    if im.mode in SIXTEEN_BIT_MODES:
        return _scale_16_bit(im).convert("RGB")
    if im.mode in ("I", "F"):
        return _stretch(im).convert("RGB")
    if im.mode in TRANSPARENT_MODES:
        return _flatten(im)
    return im.convert("RGB")


def _scale_16_bit(im: Image.Image) -> Image.Image:
    """8-bit grey from 16-bit, scaled by the depth the data use: 10, 12, 14 or 16 bits.

    Scanners fill all 16 bits; MRI and CT often store 12 bits in a 16-bit container, which
    divided by 257 would come out nearly black. Values are scaled, never clipped.
    """
    high = im.getextrema()[1]
    assert isinstance(high, int | float)
    full = next((2**bits - 1 for bits in (10, 12, 14) if high <= 2**bits - 1), 65535)
    return im.convert("I").point(lambda v: v * 255 / full).convert("L")


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

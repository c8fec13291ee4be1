"""Drawing on a panel's tile: its letter, arrows, circles and a microscopy scale bar.

Sizes are set in printed millimetres and points and converted with the figure's dpi, so
a label is 9 pt on paper whatever the image's pixel size. Arrows, circles and bars are
black or white, whichever stands out from the picture under them, with a thin outline of
the other; a letter gets the journal's colour, on a box where the photo is too dark
(or too light) for it to read.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from PIL import Image, ImageFont

MM_PER_INCH = 25.4
POINTS_PER_INCH = 72.0
BLACK, WHITE = (0, 0, 0), (255, 255, 255)
Colour = tuple[int, int, int]
Crop = tuple[float, float, float, float]  # left, top, width, height: fractions of the image
DIRECTIONS = {
    "down-right": (1, 1),
    "down-left": (-1, 1),
    "up-right": (1, -1),
    "up-left": (-1, -1),
    "down": (0, 1),
    "up": (0, -1),
    "left": (-1, 0),
    "right": (1, 0),
}


@dataclass(frozen=True)
class LabelStyle:
    """How the journal letters panels: corner, font, size, colour and contrast box."""

    position: Literal["top-left", "top-right", "bottom-left", "bottom-right"] = "top-left"
    font: str = "LiberationSans-Bold.ttf"
    size_pt: float = 9.0
    colour: Colour = WHITE
    box: Literal["auto", "always", "never"] = "always"
    box_colour: Colour = BLACK
    box_opacity: float = 0.65
    margin_mm: float = 0.0


@dataclass(frozen=True)
class Marks:
    """What to draw on one panel, in fractions of the whole (upright) source image."""

    arrows: tuple[tuple[float, float, str], ...] = ()  # tip x, tip y, direction
    circles: tuple[tuple[float, float, float], ...] = ()  # centre x, centre y, radius
    micrometres_per_pixel: float | None = None
    scale_bar_um: float | None = None


@dataclass(frozen=True)
class Tile:
    """A panel's tile and how it maps to its source: the visible crop and the source width."""

    image: Image.Image
    crop: Crop
    source_width: int
    dpi: int

    def mm(self, millimetres: float) -> int:
        return max(1, round(millimetres / MM_PER_INCH * self.dpi))

    def point(self, x: float, y: float) -> tuple[float, float]:
        """Tile pixel of a point given in fractions of the source image."""
        left, top, width, height = self.crop
        return (x - left) / width * self.image.width, (y - top) / height * self.image.height


def outside(crop: Crop, x: float, y: float) -> bool:
    """Whether a point of the source image is cropped away."""
    left, top, width, height = crop
    return not (left <= x <= left + width and top <= y <= top + height)


def draw_marks(tile: Tile, marks: Marks) -> None:
    """Arrows, circles and the scale bar, onto the tile."""
    for x, y, direction in marks.arrows:
        _arrow(tile, tile.point(x, y), DIRECTIONS[direction])
    for x, y, radius in marks.circles:
        _circle(tile, tile.point(x, y), radius / tile.crop[2] * tile.image.width)
    if marks.micrometres_per_pixel is not None:
        _scale_bar(tile, marks.micrometres_per_pixel, marks.scale_bar_um)


def draw_label(tile: Tile, text: str, style: LabelStyle) -> None:
    """The panel's letter in the journal's corner, on a contrast box where it needs one."""
    from PIL import ImageDraw

    font = _font(style.font, round(style.size_pt / POINTS_PER_INCH * tile.dpi))
    draw = ImageDraw.Draw(tile.image, "RGBA")
    left, top, right, bottom = draw.textbbox((0, 0), text, font=font)
    pad, margin = tile.mm(0.6), round(style.margin_mm / MM_PER_INCH * tile.dpi)
    box_w, box_h = right - left + 2 * pad, bottom - top + 2 * pad
    x = margin if style.position.endswith("left") else tile.image.width - margin - box_w
    y = margin if style.position.startswith("top") else tile.image.height - margin - box_h
    box = (x, y, x + box_w, y + box_h)
    if style.box == "always" or (
        style.box == "auto" and _contrast(style.colour, _mean(tile.image, box)) < 4.5
    ):
        draw.rectangle(box, fill=(*style.box_colour, round(255 * style.box_opacity)))
    draw.text((x + pad - left, y + pad - top), text, font=font, fill=style.colour)


def nice_length(visible: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^n) no longer than a quarter of `visible`."""
    target = visible / 4
    power = 10.0 ** math.floor(math.log10(target))
    return max(step * power for step in (1, 2, 5) if step * power <= target)


def _arrow(tile: Tile, tip: tuple[float, float], direction: tuple[int, int]) -> None:
    from PIL import ImageDraw

    norm = math.hypot(*direction)
    ux, uy = direction[0] / norm, direction[1] / norm
    length, head, shaft = tile.mm(5.0), tile.mm(1.8), tile.mm(0.5)
    colour = _ink(tile.image, tip, length)
    tail = (tip[0] - ux * length, tip[1] - uy * length)
    base = (tip[0] - ux * head, tip[1] - uy * head)
    wing = (-uy * head * 0.55, ux * head * 0.55)
    head_points = [
        tip,
        (base[0] + wing[0], base[1] + wing[1]),
        (base[0] - wing[0], base[1] - wing[1]),
    ]
    draw = ImageDraw.Draw(tile.image)
    outline = _other(colour)
    draw.line([tail, base], fill=outline, width=shaft + 2 * tile.mm(0.15))
    draw.polygon(head_points, fill=colour, outline=outline, width=tile.mm(0.15))
    draw.line([tail, base], fill=colour, width=shaft)


def _circle(tile: Tile, centre: tuple[float, float], radius: float) -> None:
    from PIL import ImageDraw

    colour = _ink(tile.image, centre, radius)
    box = [centre[0] - radius, centre[1] - radius, centre[0] + radius, centre[1] + radius]
    draw = ImageDraw.Draw(tile.image)
    stroke = tile.mm(0.4)
    draw.ellipse(box, outline=_other(colour), width=stroke + 2 * tile.mm(0.15))
    inner = tile.mm(0.15)
    draw.ellipse(
        [box[0] + inner, box[1] + inner, box[2] - inner, box[3] - inner],
        outline=colour,
        width=stroke,
    )


def _scale_bar(tile: Tile, um_per_px: float, length_um: float | None) -> None:
    from PIL import ImageDraw

    visible_um = tile.crop[2] * tile.source_width * um_per_px
    length_um = length_um or nice_length(visible_um)
    bar = length_um / visible_um * tile.image.width
    margin, thick = tile.mm(1.5), tile.mm(0.7)
    right, bottom = tile.image.width - margin, tile.image.height - margin
    font = _font("LiberationSans-Bold.ttf", round(7 / POINTS_PER_INCH * tile.dpi))
    text = f"{_number(length_um)} \u00b5m"
    colour = _ink(tile.image, (right - bar / 2, bottom - thick * 3), bar / 2)
    draw = ImageDraw.Draw(tile.image)
    draw.rectangle([right - bar, bottom - thick, right, bottom], fill=colour)
    draw.text(
        (right - bar / 2, bottom - thick - tile.mm(0.6)), text, font=font, fill=colour, anchor="md"
    )


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


@cache
def _font(name: str, size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """The named TrueType font at `size` px, or Pillow's own when it is not installed."""
    from PIL import ImageFont

    try:
        return ImageFont.truetype(name, size)
    except OSError:
        return ImageFont.load_default(size=size)


def _mean(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """Mean luminance (0-255) of `image` inside `box` (clipped to the image)."""
    from PIL import ImageStat

    left, top = max(0, int(box[0])), max(0, int(box[1]))
    right, bottom = min(image.width, int(box[2]) + 1), min(image.height, int(box[3]) + 1)
    if right <= left or bottom <= top:
        return 255.0
    region = image.crop((left, top, right, bottom)).convert("L")
    mean: float = ImageStat.Stat(region).mean[0]
    return mean


def _luminance(value: float) -> float:
    """Relative luminance of an sRGB grey level 0-255 (WCAG)."""
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _contrast(colour: Colour, background: float) -> float:
    """WCAG contrast ratio between a colour and a grey background level."""
    grey = 0.2126 * colour[0] + 0.7152 * colour[1] + 0.0722 * colour[2]
    a, b = _luminance(grey), _luminance(background)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def _ink(image: Image.Image, at: tuple[float, float], reach: float) -> Colour:
    """Black or white, whichever contrasts more with the picture around `at`."""
    box = (at[0] - reach, at[1] - reach, at[0] + reach, at[1] + reach)
    background = _mean(image, box)
    return BLACK if _contrast(BLACK, background) >= _contrast(WHITE, background) else WHITE


def _other(colour: Colour) -> Colour:
    return WHITE if colour == BLACK else BLACK

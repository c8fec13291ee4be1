"""Generate the four synthetic scalp illustrations of the demo case, byte for byte reproducibly."""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from PIL import ImageDraw as PILImageDraw
    from PIL import ImageFont as PILImageFont

SIZE = (4000, 3000)  # final pixels, 12 MP landscape
WORK = (2000, 1500)  # drawing resolution; upscaled 2x for smooth, compact JPEGs
QUALITY = 85
BLUR = 0.7  # working-pixel radius: softens strands so the JPEGs stay compact
CAPTION_SIZE = 120
CAPTION = "SYNTHETIC ILLUSTRATION \u2014 not a patient"
DEFAULT_OUTDIR = Path("cases/anifrolumab-alopecia")

HEAD_CENTRE = (1000.0, 770.0)  # in whole-head working coordinates
HEAD_RADII = (500.0, 620.0)
WHORL = (1040.0, 930.0)
SKIN = (226, 186, 160)
PATCH_SKIN = (236, 196, 186)
BACKGROUND = ((214, 222, 230), (176, 188, 200))
PATCHES = ((820.0, 640.0, 150.0, 120.0), (1210.0, 930.0, 120.0, 150.0), (960.0, 1120.0, 95.0, 80.0))


@dataclass(frozen=True)
class Panel:
    """What one demo image shows and how it is stored."""

    name: str
    seed: int
    before: bool
    zoom: float
    focus: tuple[float, float]
    date: str
    orientation: int = 1


PANELS = (
    Panel("before-1", 101, True, 1.0, HEAD_CENTRE, "2023:03:14 10:21:07"),
    Panel("before-2", 102, True, 2.4, PATCHES[0][:2], "2023:03:14 10:22:41"),
    Panel("after-1", 201, False, 1.0, HEAD_CENTRE, "2023:09:19 11:05:52"),
    Panel("after-2", 202, False, 2.4, PATCHES[0][:2], "2023:09:19 11:07:13", orientation=6),
)


def to_view(panel: Panel, x: float, y: float) -> tuple[float, float]:
    """Map whole-head working coordinates to this panel's working canvas."""
    return (
        (x - panel.focus[0]) * panel.zoom + WORK[0] / 2,
        (y - panel.focus[1]) * panel.zoom + WORK[1] / 2,
    )


def ellipse_box(panel: Panel, cx: float, cy: float, rx: float, ry: float) -> list[float]:
    """Bounding box of an ellipse given in whole-head coordinates."""
    x, y = to_view(panel, cx, cy)
    z = panel.zoom
    return [x - rx * z, y - ry * z, x + rx * z, y + ry * z]


def background() -> PILImage.Image:
    """Soft vertical grey-blue gradient."""
    from PIL import Image, ImageOps

    ramp = Image.linear_gradient("L").resize(WORK)
    return ImageOps.colorize(ramp, BACKGROUND[0], BACKGROUND[1]).convert("RGB")


def draw_head(panel: Panel, canvas: PILImage.Image) -> None:
    """Shadow, ears, nose and the shaded skin of a head seen from above."""
    from PIL import Image, ImageDraw, ImageFilter

    shadow = Image.new("L", WORK, 0)
    cx, cy = HEAD_CENTRE
    rx, ry = HEAD_RADII
    ImageDraw.Draw(shadow).ellipse(ellipse_box(panel, cx + 25, cy + 35, rx + 30, ry + 20), fill=110)
    shadow = shadow.filter(ImageFilter.GaussianBlur(30 * panel.zoom))
    canvas.paste((70, 80, 95), mask=shadow)
    draw = ImageDraw.Draw(canvas)
    for side in (-1, 1):
        ear = ellipse_box(panel, cx + side * (rx - 5), cy + 40, 60, 110)
        draw.ellipse(ear, fill=(214, 170, 146))
    draw.ellipse(ellipse_box(panel, cx, cy - ry + 10, 70, 60), fill=(220, 178, 152))
    draw.ellipse(ellipse_box(panel, cx, cy, rx, ry), fill=SKIN)
    draw_shading(panel, canvas)


def draw_shading(panel: Panel, canvas: PILImage.Image) -> None:
    """Darken the rim of the skull so it reads as a dome."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    mask = Image.new("L", WORK, 0)
    cx, cy = HEAD_CENTRE
    rx, ry = HEAD_RADII
    draw = ImageDraw.Draw(mask)
    draw.ellipse(ellipse_box(panel, cx, cy, rx, ry), fill=90)
    draw.ellipse(ellipse_box(panel, cx - 40, cy - 60, rx - 90, ry - 100), fill=0)
    mask = mask.filter(ImageFilter.GaussianBlur(45 * panel.zoom))
    clip = Image.new("L", WORK, 0)
    ImageDraw.Draw(clip).ellipse(ellipse_box(panel, cx, cy, rx, ry), fill=255)
    canvas.paste((150, 105, 85), mask=ImageChops.multiply(mask, clip))


def draw_patches(panel: Panel, canvas: PILImage.Image) -> None:
    """Pinkish bald patches with soft edges (only before treatment)."""
    from PIL import Image, ImageDraw, ImageFilter

    mask = Image.new("L", WORK, 0)
    draw = ImageDraw.Draw(mask)
    for cx, cy, rx, ry in PATCHES:
        draw.ellipse(ellipse_box(panel, cx, cy, rx * 0.9, ry * 0.9), fill=200)
    canvas.paste(PATCH_SKIN, mask=mask.filter(ImageFilter.GaussianBlur(18 * panel.zoom)))


def in_scalp(x: float, y: float) -> bool:
    """Whether a whole-head point is inside the hair-bearing scalp."""
    cx, cy = HEAD_CENTRE
    rx, ry = HEAD_RADII
    inside = ((x - cx) / (rx - 25)) ** 2 + ((y - cy) / (ry - 25)) ** 2 < 1
    return inside and y > cy - ry + 150 + 0.0006 * (x - cx) ** 2


def density(panel: Panel, x: float, y: float) -> float:
    """Probability of keeping a strand at a whole-head point."""
    if not panel.before:
        return 1.0
    keep = 0.45
    for cx, cy, rx, ry in PATCHES:
        d = math.hypot((x - cx) / rx, (y - cy) / ry)
        keep *= min(1.0, max(0.03, (d - 0.7) / 0.6))
    return keep


def strand(panel: Panel, rng: random.Random, x: float, y: float) -> list[tuple[float, float]]:
    """A short curved hair leaning away from the crown whorl, in view coordinates."""
    angle = math.atan2(y - WHORL[1], x - WHORL[0]) + 0.55 + rng.uniform(-0.35, 0.35)
    length = rng.uniform(26, 48) * panel.zoom
    bend = rng.uniform(-0.5, 0.5)
    px, py = to_view(panel, x, y)
    points = [(px, py)]
    for step in range(1, 4):
        a = angle + bend * step / 3
        px, py = px + math.cos(a) * length / 3, py + math.sin(a) * length / 3
        points.append((px, py))
    return points


def visible(points: list[tuple[float, float]]) -> bool:
    """Whether a strand touches the working canvas."""
    return any(-50 < x < WORK[0] + 50 and -50 < y < WORK[1] + 50 for x, y in points)


def draw_hair(panel: Panel, canvas: PILImage.Image) -> None:
    """Scatter strands over the scalp; sparse with bald patches before, dense after."""
    from PIL import ImageDraw

    rng = random.Random(panel.seed)
    draw = ImageDraw.Draw(canvas)
    width = max(2, round(2 * panel.zoom))
    cx, cy = HEAD_CENTRE
    rx, ry = HEAD_RADII
    for _ in range(26000):
        x, y = rng.uniform(cx - rx, cx + rx), rng.uniform(cy - ry, cy + ry)
        shade = rng.randint(0, 38)
        if not in_scalp(x, y) or rng.random() > density(panel, x, y):
            continue
        points = strand(panel, rng, x, y)
        colour = (58 + shade, 38 + shade, 26 + shade // 2)
        if visible(points):
            draw.line(points, fill=colour, width=width, joint="curve")


def draw_caption(panel: Panel, image: PILImage.Image) -> None:
    """A dark banner across the bottom saying this is not a patient."""
    from PIL import ImageDraw, ImageFont

    draw = ImageDraw.Draw(image)
    width, height = image.size
    draw.rectangle([0, height - 300, width, height], fill=(28, 32, 40))
    big = ImageFont.load_default(size=CAPTION_SIZE)
    draw_em_dashed(draw, (width / 2, height - 185), CAPTION, big)
    stage = "before" if panel.before else "after"
    detail = f"casereport demo \u00b7 {panel.name} \u00b7 {stage} treatment, drawn by a script"
    small = ImageFont.load_default(size=64)
    draw.text((width / 2, height - 70), detail, font=small, fill=(200, 206, 216), anchor="mm")


def draw_em_dashed(
    draw: PILImageDraw.ImageDraw,
    centre: tuple[float, float],
    text: str,
    font: PILImageFont.FreeTypeFont | PILImageFont.ImageFont,
) -> None:
    """Centred white text whose em dash is drawn as a bar (Pillow's built-in font lacks one)."""
    left, right = (part.strip() for part in text.split("\u2014"))
    gap, dash = draw.textlength(" ", font=font), 0.8 * CAPTION_SIZE
    widths = draw.textlength(left, font=font), draw.textlength(right, font=font)
    x, y = centre[0] - (widths[0] + widths[1] + dash) / 2 - gap, centre[1]
    draw.text((x, y), left, font=font, fill=(255, 255, 255), anchor="lm")
    x += widths[0] + gap
    draw.rectangle(
        [x, y - 0.06 * CAPTION_SIZE, x + dash, y + 0.01 * CAPTION_SIZE], fill=(255, 255, 255)
    )
    draw.text((x + dash + gap, y), right, font=font, fill=(255, 255, 255), anchor="lm")


def render(panel: Panel) -> PILImage.Image:
    """Draw one upright 4000x3000 illustration."""
    from PIL import Image, ImageFilter

    canvas = background()
    draw_head(panel, canvas)
    if panel.before:
        draw_patches(panel, canvas)
    draw_hair(panel, canvas)
    canvas = canvas.filter(ImageFilter.GaussianBlur(BLUR))
    image = canvas.resize(SIZE, Image.Resampling.BICUBIC)
    draw_caption(panel, image)
    return image


def gps_dms(value: float) -> tuple[float, float, float]:
    """Degrees, minutes, seconds of a positive angle."""
    degrees = math.floor(value)
    minutes = math.floor((value - degrees) * 60)
    return (float(degrees), float(minutes), round((value - degrees - minutes / 60) * 3600, 2))


def exif_bytes(panel: Panel) -> bytes:
    """Phone-like EXIF: camera, dates, fake GPS position, orientation."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Synthetica"  # Make
    exif[0x0110] = "DemoPhone 12"  # Model
    exif[0x0112] = panel.orientation
    exif[0x0131] = "casereport scripts/make_demo_images.py"  # Software
    exif[0x0132] = panel.date  # DateTime
    exif[0x8769] = {0x9003: panel.date, 0x9004: panel.date}  # DateTimeOriginal, DateTimeDigitized
    exif[0x8825] = {  # GPSInfo: a made-up point in the Atlantic Ocean
        0x0000: b"\x02\x02\x00\x00",
        0x0001: "N",
        0x0002: gps_dms(12.3456),
        0x0003: "W",
        0x0004: gps_dms(34.5678),
    }
    return exif.tobytes()


def stored(panel: Panel, image: PILImage.Image) -> PILImage.Image:
    """Pixels as a phone would store them for the panel's EXIF orientation."""
    from PIL import Image

    if panel.orientation == 6:  # viewer rotates 90 degrees clockwise to display
        return image.transpose(Image.Transpose.ROTATE_90)
    return image


def write(panel: Panel, outdir: Path) -> Path:
    """Render, then save one panel as a phone-like JPEG."""
    path = outdir / f"{panel.name}.jpg"
    comment = f"casereport synthetic demo image {panel.name}; not a patient".encode()
    image = stored(panel, render(panel))
    exif = exif_bytes(panel)
    image.save(path, "JPEG", quality=QUALITY, optimize=True, exif=exif, comment=comment)
    return path


def main(argv: list[str]) -> int:
    """Write the four demo images into OUTDIR (default: the demo case folder)."""
    outdir = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTDIR
    outdir.mkdir(parents=True, exist_ok=True)
    for panel in PANELS:
        print(write(panel, outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

"""Generate the synthetic panels of the DRESS case-report example, reproducibly.

    python scripts/make_case_report_images.py [OUTDIR]

Seven drawings, none of a patient, each 1200x900 and well under 200 KB:

* back-admission.jpg  "clinical photograph": the upper back with a morbilliform eruption of
                      red macules and papules, confluent in the centre
* face-admission.jpg  the lower half of a face (cropped below the eyes, as consent forms for
                      facial images ask) with oedema of the cheeks and lips and erythema
* back-week-8.jpg     the same back at resolution: faint brown macules and fine scale
* face-week-8.jpg     the same face at resolution: normal contours
* biopsy-100.jpg      "H&E" skin at low power: spongiosis, papillary dermal oedema and
                      superficial perivascular infiltrates
* biopsy-400-epidermis.jpg  "H&E" at high power: vacuolar change of the basal layer and
                      necrotic keratinocytes (one to circle: NECROTIC_KERATINOCYTE)
* biopsy-400-dermis.jpg     "H&E" at high power: a dermal venule cuffed by lymphocytes and
                      eosinophils (two to point at: EOSINOPHILS)

Every image says "SYNTHETIC - not a patient" in a corner. The marks the case file draws are
given as fractions of the image here, beside the drawing that puts the feature there.
"""

from __future__ import annotations

import math
import random
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from PIL import Image as PILImage
    from PIL import ImageDraw as PILImageDraw

DEFAULT_OUTDIR = Path("cases/dress-allopurinol")
CAPTION = "SYNTHETIC - not a patient"
SIZE = (1200, 900)
QUALITY = 84

SKIN = (222, 178, 150)
SKIN_SHADE = (188, 140, 112)
DRAPE = ((150, 176, 178), (104, 134, 140))
MACULE = (196, 58, 62)
FADED = (168, 120, 92)

SLIDE = (246, 243, 247)
EOSIN = (236, 170, 198)
EOSIN_PALE = (244, 212, 226)
HAEMATOXYLIN = (80, 48, 132)
EOSINOPHIL = (238, 96, 92)
RED_CELL = (226, 84, 88)

# Where the case file's marks point, as fractions of the image (x, y from the top-left).
NECROTIC_KERATINOCYTE = (0.55, 0.52)  # in biopsy-400-epidermis.jpg
EOSINOPHILS = ((0.30, 0.67), (0.73, 0.32))  # in biopsy-400-dermis.jpg


def caption(image: PILImage.Image, fill: tuple[int, int, int]) -> None:
    """A small 'not a patient' note in the bottom-left corner, on a light box."""
    from PIL import ImageDraw, ImageFont

    size = max(18, image.width // 48)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size)
    x, y = size, image.height - 2 * size
    left, top, right, bottom = draw.textbbox((x, y), CAPTION, font=font)
    draw.rectangle([left - 6, top - 4, right + 6, bottom + 4], fill=(246, 246, 246))
    draw.text((x, y), CAPTION, font=font, fill=fill)


def drape() -> PILImage.Image:
    """The blue-green drape behind a clinical photograph: a soft vertical gradient."""
    from PIL import Image, ImageOps

    ramp = Image.linear_gradient("L").resize(SIZE)
    return ImageOps.colorize(ramp, DRAPE[0], DRAPE[1]).convert("RGB")


def shaded_skin(mask: PILImage.Image, rng: random.Random) -> PILImage.Image:
    """Skin filling `mask`: darker towards its edges, with a faint mottled texture."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    inner = mask.filter(ImageFilter.GaussianBlur(60))
    skin = Image.composite(Image.new("RGB", SIZE, SKIN), Image.new("RGB", SIZE, SKIN_SHADE), inner)
    mottle = Image.new("L", SIZE, 128)
    draw = ImageDraw.Draw(mottle)
    for _ in range(5000):
        x, y, r = rng.uniform(0, SIZE[0]), rng.uniform(0, SIZE[1]), rng.uniform(2, 6)
        draw.ellipse([x - r, y - r, x + r, y + r], fill=rng.choice((116, 140)))
    mottle = mottle.filter(ImageFilter.GaussianBlur(3))
    return ImageChops.overlay(skin, Image.merge("RGB", (mottle, mottle, mottle)))


def spots(
    rng: random.Random,
    mask: PILImage.Image,
    count: int,
    colour: tuple[int, int, int],
    radius: tuple[float, float],
    alpha: tuple[int, int],
    centre: tuple[float, float],
    spread: float,
) -> PILImage.Image:
    """An RGBA layer of soft round spots, denser near `centre`, only inside `mask`."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    layer = Image.new("RGBA", SIZE, (*colour, 0))
    draw = ImageDraw.Draw(layer)
    for _ in range(count):
        x = rng.gauss(centre[0], spread * SIZE[0])
        y = rng.gauss(centre[1], spread * SIZE[1])
        rx, ry = rng.uniform(*radius), rng.uniform(*radius)
        draw.ellipse([x - rx, y - ry, x + rx, y + ry], fill=(*colour, rng.randint(*alpha)))
    layer = layer.filter(ImageFilter.GaussianBlur(2.2))
    layer.putalpha(ImageChops.multiply(layer.getchannel("A"), mask))
    return layer


def back_mask() -> PILImage.Image:
    """The silhouette of an upper back seen from behind: shoulders, flanks, waist."""
    from PIL import Image, ImageDraw, ImageFilter

    mask = Image.new("L", SIZE, 0)
    draw = ImageDraw.Draw(mask)
    width, height = SIZE
    left, right = [], []
    for step in range(0, 101):
        t = step / 100  # 0 at the top edge, 1 at the bottom edge
        y = -20 + t * (height + 40)
        half = 560 - 70 * math.sin(math.pi * min(1.0, t * 1.2)) ** 1.5 - 40 * t
        if t < 0.1:  # the neck and the slope of the shoulders
            half = 230 + (560 - 230) * math.sin(t / 0.1 * math.pi / 2)
        left.append((width / 2 - half, y))
        right.append((width / 2 + half, y))
    draw.polygon([*left, *reversed(right)], fill=255)
    return mask.filter(ImageFilter.GaussianBlur(2))


def back(admission: bool, seed: int) -> PILImage.Image:
    """The upper back at admission (eruption) or at resolution (faint pigment, fine scale)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    mask = back_mask()
    image = drape()
    skin = shaded_skin(mask, rng)
    relief = Image.new("RGBA", SIZE, (*SKIN_SHADE, 0))
    draw = ImageDraw.Draw(relief)
    draw.line([(600, 60), (604, 500), (598, 920)], fill=(*SKIN_SHADE, 130), width=26)  # spine
    for cx in (390, 810):  # the inner borders of the shoulder blades
        draw.arc([cx - 200, 90, cx + 200, 560], 60, 300 if cx < 600 else 240, (*SKIN_SHADE, 90), 18)
    skin.paste(
        relief.filter(ImageFilter.GaussianBlur(18)),
        (0, 0),
        relief.filter(ImageFilter.GaussianBlur(18)),
    )
    image.paste(skin, (0, 0), mask)
    if admission:
        blush = spots(rng, mask, 260, (214, 96, 92), (40, 80), (30, 60), (600, 420), 0.22)
        image.paste(blush, (0, 0), blush)
        for _ in range(3):
            rash = spots(rng, mask, 900, MACULE, (4, 11), (110, 200), (600, 440), 0.26)
            image.paste(rash, (0, 0), rash)
    else:
        faded = spots(rng, mask, 700, FADED, (4, 10), (30, 70), (600, 440), 0.26)
        image.paste(faded, (0, 0), faded)
        scale = Image.new("RGBA", SIZE, (250, 244, 236, 0))
        draw = ImageDraw.Draw(scale)
        for _ in range(450):  # fine collarettes of scale
            x, y = rng.gauss(600, 0.24 * SIZE[0]), rng.gauss(440, 0.26 * SIZE[1])
            r = rng.uniform(3, 7)
            start = rng.uniform(0, 360)
            draw.arc([x - r, y - r, x + r, y + r], start, start + 200, (250, 244, 236, 120), 2)
        scale.putalpha(Image.composite(scale.getchannel("A"), Image.new("L", SIZE, 0), mask))
        image.paste(scale, (0, 0), scale)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    caption(image, (40, 60, 70))
    return image


def face(admission: bool, seed: int) -> PILImage.Image:
    """The lower half of a face, cropped below the eyes: swollen and red, or normal."""
    from PIL import Image, ImageChops, ImageDraw, ImageFilter

    rng = random.Random(seed)
    swell = 1.12 if admission else 1.0
    rx, chin = 340 * swell, 690
    face_mask = Image.new("L", SIZE, 0)
    draw = ImageDraw.Draw(face_mask)
    # Cheeks down to the angles of the jaw, then a rounded chin.
    outline = []
    for step in range(0, 181, 3):
        a = math.radians(step)
        x = 600 + rx * math.cos(a)
        y = 90 + (chin - 90) * math.sin(a) ** 0.7
        outline.append((x, y))
    draw.polygon([(600 + rx, -10), *outline, (600 - rx, -10)], fill=255)
    face_mask = face_mask.filter(ImageFilter.GaussianBlur(3))
    neck_mask = Image.new("L", SIZE, 0)
    ImageDraw.Draw(neck_mask).rectangle([400, 420, 800, 900], fill=255)
    neck_mask = neck_mask.filter(ImageFilter.GaussianBlur(3))
    mask = ImageChops.lighter(face_mask, neck_mask)
    image = drape()
    skin = shaded_skin(mask, rng)
    neck = Image.composite(Image.new("RGB", SIZE, SKIN_SHADE), skin, Image.new("L", SIZE, 90))
    jaw_shadow = Image.new("L", SIZE, 0)
    ImageDraw.Draw(jaw_shadow).ellipse([440, chin - 60, 760, chin + 70], fill=170)
    neck = Image.composite(
        Image.new("RGB", SIZE, (150, 106, 84)),
        neck,
        jaw_shadow.filter(ImageFilter.GaussianBlur(30)),
    )
    image.paste(neck, (0, 0), neck_mask)
    features = Image.new("RGBA", SIZE, (0, 0, 0, 0))
    _nose_and_lips(ImageDraw.Draw(features), swell)
    soft = features.filter(ImageFilter.GaussianBlur(6))
    skin.paste(soft, (0, 0), soft)
    image.paste(skin, (0, 0), face_mask)
    if admission:
        cheeks = Image.new("L", SIZE, 0)
        cdraw = ImageDraw.Draw(cheeks)
        for cx in (600 - 220 * swell, 600 + 220 * swell):
            cdraw.ellipse([cx - 170, 100, cx + 170, 470], fill=150)
        cdraw.ellipse([490, 520, 710, 680], fill=90)  # the chin
        cheeks = cheeks.filter(ImageFilter.GaussianBlur(50))
        red = Image.new("RGB", SIZE, (206, 84, 80))
        image = Image.composite(red, image, ImageChops.multiply(cheeks, face_mask))
        rash = spots(rng, mask, 700, MACULE, (3, 8), (80, 160), (600, 360), 0.25)
        image.paste(rash, (0, 0), rash)
    image = image.filter(ImageFilter.GaussianBlur(0.6))
    caption(image, (40, 60, 70))
    return image


def _nose_and_lips(draw: PILImageDraw.ImageDraw, swell: float) -> None:
    """The tip and wings of the nose, nasolabial folds and the lips (fuller when swollen)."""
    draw.ellipse([520, 40, 680, 200], fill=(*SKIN_SHADE, 60))  # tip of the nose
    for cx in (552, 648):
        draw.ellipse([cx - 26, 176, cx + 26, 206], fill=(92, 56, 48, 220))  # nostrils
        draw.ellipse([cx - 60, 120, cx + 60, 215], outline=(*SKIN_SHADE, 140), width=10)  # wings
    for side in (-1, 1):  # nasolabial folds
        x0 = 600 + side * 120
        draw.line(
            [(x0, 210), (x0 + side * 40 * swell, 320), (x0 + side * 56 * swell, 400)],
            fill=(*SKIN_SHADE, 90),
            width=10,
        )
    lip = 1.0 + 0.5 * (swell - 1) / 0.12
    top, mid, bottom = 350 - 22 * lip, 372, 372 + 40 * lip
    upper = [
        (480, mid),
        (540, top + 4),
        (590, top + 14),
        (600, top + 18),
        (610, top + 14),
        (660, top + 4),
        (720, mid),
        (600, mid + 6),
    ]
    lower = [
        (480, mid),
        (600, mid + 6),
        (720, mid),
        (660, bottom - 4),
        (600, bottom),
        (540, bottom - 4),
    ]
    draw.polygon(upper, fill=(176, 92, 92, 235))
    draw.polygon(lower, fill=(190, 104, 102, 235))
    draw.line([(480, mid), (600, mid + 6), (720, mid)], fill=(110, 52, 56, 255), width=5)
    draw.arc([540, 470, 660, 540], 200, 340, (*SKIN_SHADE, 160), 10)  # the groove above the chin


def section_lines(
    rng: random.Random,
    draw: PILImageDraw.ImageDraw,
    box: tuple[int, int, int, int],
    colour: tuple[int, int, int],
    count: int,
    length: tuple[float, float],
) -> None:
    """Wavy collagen bundles inside `box`."""
    x0, y0, x1, y1 = box
    for _ in range(count):
        x, y = rng.uniform(x0, x1), rng.uniform(y0, y1)
        angle, size = rng.uniform(-0.5, 0.5), rng.uniform(*length)
        points = [
            (x + s * math.cos(angle), y + s * math.sin(angle) + 4 * math.sin(s / 9))
            for s in range(0, int(size), 6)
        ]
        if len(points) > 1:
            draw.line(points, fill=colour, width=3)


def cluster(
    rng: random.Random,
    draw: PILImageDraw.ImageDraw,
    centre: tuple[float, float],
    spread: float,
    count: int,
    radius: float,
) -> None:
    """Lymphocytes: small round dark nuclei gathered around a point."""
    for _ in range(count):
        r, a = abs(rng.gauss(0, spread)), rng.uniform(0, 2 * math.pi)
        x, y = centre[0] + 1.5 * r * math.cos(a), centre[1] + r * math.sin(a)
        draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=HAEMATOXYLIN)


def biopsy_100() -> PILImage.Image:
    """Low power: stratum corneum, spongiotic epidermis, oedematous papillary dermis with
    superficial perivascular infiltrates, and the denser reticular dermis below."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(71)
    width, height = SIZE
    image = Image.new("RGB", SIZE, SLIDE)
    draw = ImageDraw.Draw(image)

    def surface(x: float) -> float:
        return 150 + 16 * math.sin(x / 140) + 6 * math.sin(x / 37)

    def junction(x: float) -> float:  # rete ridges: the epidermis dips into the dermis
        return surface(x) + 110 + 40 * max(0.0, math.sin(x / 34)) ** 3

    xs = range(0, width + 8, 8)
    draw.polygon([(x, junction(x)) for x in xs] + [(width, height), (0, height)], fill=EOSIN_PALE)
    section_lines(rng, draw, (0, 470, width, height), (226, 150, 184), 1400, (40, 110))
    section_lines(
        rng, draw, (0, 300, width, 470), (236, 182, 206), 260, (20, 60)
    )  # loose, oedematous
    for _ in range(60):  # oedema: clear spaces in the papillary dermis
        x, y, r = rng.uniform(0, width), rng.uniform(300, 440), rng.uniform(6, 16)
        draw.ellipse([x - r, y - r * 0.6, x + r, y + r * 0.6], fill=(250, 240, 246))
    for cx, cy in (
        (170, 360),
        (420, 400),
        (700, 370),
        (980, 410),
        (560, 560),
        (1100, 600),
        (260, 640),
    ):
        cluster(rng, draw, (cx, cy), 32, 140, 4)
        draw.ellipse(
            [cx - 26, cy - 12, cx + 26, cy + 12],
            outline=(200, 110, 150),
            width=5,
            fill=(240, 214, 224),
        )
    epidermis = [(x, surface(x)) for x in xs] + [(x, junction(x)) for x in reversed(xs)]
    draw.polygon(epidermis, fill=(190, 118, 178))
    for _ in range(2600):  # keratinocyte nuclei
        x = rng.uniform(0, width)
        y = rng.uniform(surface(x) + 8, junction(x) - 4)
        draw.ellipse([x - 3, y - 2.5, x + 3, y + 2.5], fill=(110, 66, 150))
    for _ in range(220):  # spongiosis: small clear spaces between keratinocytes
        x = rng.uniform(0, width)
        y = rng.uniform(surface(x) + 40, junction(x) - 10)
        draw.ellipse([x - 4, y - 2, x + 4, y + 2], fill=(236, 214, 236))
    draw.line([(x, junction(x)) for x in xs], fill=HAEMATOXYLIN, width=4)  # basal layer
    for band in range(6):  # basket-weave stratum corneum
        offset = 14 + 7 * band
        draw.line(
            [(x, surface(x) - offset + 3 * math.sin(x / 11 + band)) for x in xs],
            fill=(236, 160, 196),
            width=2,
        )
    image = image.filter(ImageFilter.GaussianBlur(1.1))
    caption(image, (90, 60, 120))
    return image


def biopsy_400_epidermis() -> PILImage.Image:
    """High power: keratinocytes, vacuoles along the basal layer, lymphocytes in the lower
    epidermis and necrotic keratinocytes (bright pink, shrunken nucleus)."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(72)
    width, height = SIZE
    image = Image.new("RGB", SIZE, EOSIN_PALE)
    draw = ImageDraw.Draw(image)

    def junction(x: float) -> float:
        return 560 + 30 * math.sin(x / 160)

    section_lines(rng, draw, (0, 600, width, height), (230, 160, 192), 420, (60, 150))
    draw.polygon(
        [(x, junction(x)) for x in range(0, width + 10, 10)] + [(width, 0), (0, 0)],
        fill=(214, 146, 190),
    )
    for row in range(0, 600, 46):  # keratinocytes, row by row
        for col in range(-40, width + 40, 58):
            x, y = col + rng.uniform(-10, 10) + (row % 92) * 0.3, row + rng.uniform(-8, 8)
            if y > junction(x) - 30:
                continue
            draw.polygon(_cell(rng, x, y, 30, 22), fill=(218, 152, 194), outline=(188, 118, 168))
            draw.ellipse([x - 10, y - 8, x + 10, y + 8], fill=(112, 70, 152))
    for x in range(10, width, 54):  # vacuoles along the basal layer
        y = junction(x) - 8
        draw.ellipse([x - 18, y - 14, x + 18, y + 14], fill=(250, 240, 246))
    for _ in range(40):  # lymphocytes in the lower epidermis and upper dermis
        x = rng.uniform(0, width)
        y = junction(x) + rng.uniform(-90, 120)
        draw.ellipse([x - 9, y - 9, x + 9, y + 9], fill=HAEMATOXYLIN)
    for fx, fy in (NECROTIC_KERATINOCYTE, (0.21, 0.49), (0.83, 0.5)):
        x, y = fx * width, fy * height
        draw.ellipse(
            [x - 26, y - 24, x + 26, y + 24], fill=(236, 96, 150), outline=(250, 230, 240), width=4
        )
        draw.ellipse([x - 7, y - 6, x + 7, y + 6], fill=(60, 30, 90))
    for _ in range(10):  # eosinophils in the papillary dermis
        x, y = rng.uniform(40, width - 40), rng.uniform(700, 840)
        _eosinophil(draw, x, y, rng)
    image = image.filter(ImageFilter.GaussianBlur(1.0))
    caption(image, (90, 60, 120))
    return image


def biopsy_400_dermis() -> PILImage.Image:
    """High power: a dermal venule with red cells, cuffed by lymphocytes and eosinophils."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(73)
    width, height = SIZE
    image = Image.new("RGB", SIZE, EOSIN_PALE)
    draw = ImageDraw.Draw(image)
    section_lines(rng, draw, (0, 0, width, height), (228, 156, 190), 700, (60, 160))
    cx, cy, rx, ry = 600, 450, 230, 120
    draw.ellipse(
        [cx - rx - 20, cy - ry - 20, cx + rx + 20, cy + ry + 20], fill=(222, 150, 184)
    )  # wall
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=(248, 236, 240))  # lumen
    for _ in range(70):  # red cells in the lumen
        a, r = rng.uniform(0, 2 * math.pi), math.sqrt(rng.uniform(0, 1))
        x, y = cx + 0.85 * rx * r * math.cos(a), cy + 0.8 * ry * r * math.sin(a)
        draw.ellipse([x - 12, y - 12, x + 12, y + 12], fill=RED_CELL, outline=(196, 64, 70))
    for angle in range(0, 360, 24):  # endothelial nuclei
        a = math.radians(angle)
        x, y = cx + (rx + 6) * math.cos(a), cy + (ry + 6) * math.sin(a)
        draw.ellipse([x - 12, y - 5, x + 12, y + 5], fill=HAEMATOXYLIN)
    for _ in range(190):  # the perivascular cuff of lymphocytes
        a = rng.uniform(0, 2 * math.pi)
        r = 1 + abs(rng.gauss(0.28, 0.18))
        x, y = cx + (rx + 30) * r * math.cos(a), cy + (ry + 30) * r * math.sin(a)
        draw.ellipse([x - 10, y - 10, x + 10, y + 10], fill=HAEMATOXYLIN)
    for _ in range(14):
        a = rng.uniform(0, 2 * math.pi)
        r = 1 + abs(rng.gauss(0.45, 0.2))
        _eosinophil(draw, cx + (rx + 30) * r * math.cos(a), cy + (ry + 30) * r * math.sin(a), rng)
    for fx, fy in EOSINOPHILS:
        _eosinophil(draw, fx * width, fy * height, rng, size=1.15)
    image = image.filter(ImageFilter.GaussianBlur(1.0))
    caption(image, (90, 60, 120))
    return image


def _cell(
    rng: random.Random, x: float, y: float, rx: float, ry: float
) -> list[tuple[float, float]]:
    """A polygonal keratinocyte outline."""
    return [
        (
            x + rx * rng.uniform(0.85, 1.1) * math.cos(a),
            y + ry * rng.uniform(0.85, 1.1) * math.sin(a),
        )
        for a in (i * math.pi / 3 for i in range(6))
    ]


def _eosinophil(
    draw: PILImageDraw.ImageDraw, x: float, y: float, rng: random.Random, size: float = 1.0
) -> None:
    """Bright orange-pink granular cytoplasm around a two-lobed nucleus."""
    r = 22 * size
    draw.ellipse([x - r, y - r, x + r, y + r], fill=EOSINOPHIL, outline=(214, 70, 70))
    for _ in range(20):
        gx, gy = x + rng.uniform(-0.7, 0.7) * r, y + rng.uniform(-0.7, 0.7) * r
        draw.ellipse([gx - 2, gy - 2, gx + 2, gy + 2], fill=(250, 136, 116))
    for side in (-1, 1):
        lx = x + side * 0.38 * r
        draw.ellipse([lx - 0.34 * r, y - 0.4 * r, lx + 0.34 * r, y + 0.4 * r], fill=HAEMATOXYLIN)


def write_all(outdir: Path) -> list[Path]:
    written: list[Path] = []

    def save(name: str, draw: Callable[[], PILImage.Image]) -> None:
        path = outdir / name
        draw().save(path, "JPEG", quality=QUALITY, optimize=True)
        written.append(path)

    save("back-admission.jpg", lambda: back(admission=True, seed=61))
    save("face-admission.jpg", lambda: face(admission=True, seed=62))
    save("back-week-8.jpg", lambda: back(admission=False, seed=63))
    save("face-week-8.jpg", lambda: face(admission=False, seed=64))
    save("biopsy-100.jpg", biopsy_100)
    save("biopsy-400-epidermis.jpg", biopsy_400_epidermis)
    save("biopsy-400-dermis.jpg", biopsy_400_dermis)
    return written


def main(argv: list[str]) -> int:
    """Write the case's images into OUTDIR (default: the example case folder)."""
    outdir = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTDIR
    outdir.mkdir(parents=True, exist_ok=True)
    for path in write_all(outdir):
        print(path, path.stat().st_size)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

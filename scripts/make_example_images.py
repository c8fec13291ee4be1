"""Generate the synthetic panels of the histology-and-imaging example case, reproducibly.

    python scripts/make_example_images.py [OUTDIR]

Five drawings, none of a patient, each stored the awkward way real files come:

* biopsy-low.jpg   low-power "H&E" skin section, portrait, stored on its side with EXIF
                   orientation 6 (as a microscope camera mounted sideways writes it)
* biopsy-high.png  high-power "H&E", RGBA: the round field of view, transparent outside
* dif.jpg          "direct immunofluorescence", RGB with an ICC profile, camera EXIF,
                   GPS and a comment that must not reach the output
* mri-axial.png    "axial T2-weighted MRI", 16-bit greyscale with a left-to-right bias
                   gradient, and a text chunk naming a (made-up) patient
* mri-coronal.png  "coronal FLAIR MRI", 8-bit palette image
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

DEFAULT_OUTDIR = Path("cases/lupus-histology-imaging")
CAPTION = "SYNTHETIC - not a patient"
SLIDE = (246, 244, 247)
EOSIN = (236, 168, 196)
HAEMATOXYLIN = (84, 52, 138)


def caption(image: PILImage.Image, fill: tuple[int, ...] | int) -> None:
    """A small 'not a patient' note in the bottom-left corner."""
    from PIL import ImageDraw, ImageFont

    size = max(14, image.width // 60)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=size)
    draw.text((size, image.height - 2 * size), CAPTION, font=font, fill=fill)


def biopsy_low() -> PILImage.Image:
    """Portrait 1500x2000: slide, purple epidermis, pink dermis with infiltrates, fat."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(41)
    width, height = 1500, 2000
    image = Image.new("RGB", (width, height), SLIDE)
    draw = ImageDraw.Draw(image)
    top = [
        (x, 190 + 18 * math.sin(x / 90) + 8 * math.sin(x / 23)) for x in range(0, width + 10, 10)
    ]
    dermis = [*top, (width, 1500), (0, 1500)]
    draw.polygon(dermis, fill=EOSIN)
    for _ in range(2600):  # collagen bundles
        x, y = rng.uniform(0, width), rng.uniform(300, 1500)
        angle, length = rng.uniform(-0.4, 0.4), rng.uniform(30, 90)
        end = (x + length * math.cos(angle), y + length * math.sin(angle))
        draw.line([(x, y), end], fill=(226, 150, 184), width=3)
    band = [*top, *[(x, y + 95) for x, y in reversed(top)]]
    draw.polygon(band, fill=(176, 104, 170))  # epidermis
    draw.line([(x, y + 95) for x, y in top], fill=HAEMATOXYLIN, width=6)  # basal layer
    for cx, cy in ((300, 560), (900, 700), (520, 1020), (1150, 1180), (700, 1330)):
        draw.ellipse([cx - 90, cy - 60, cx + 90, cy + 60], outline=(170, 96, 160), width=14)
        for _ in range(420):  # perivascular and periadnexal lymphocytes
            r, a = abs(rng.gauss(0, 95)), rng.uniform(0, 2 * math.pi)
            x, y = cx + r * math.cos(a) * 1.3, cy + r * math.sin(a)
            draw.ellipse([x - 5, y - 5, x + 5, y + 5], fill=HAEMATOXYLIN)
    for _ in range(900):  # subcutaneous fat lobules
        x, y, r = rng.uniform(0, width), rng.uniform(1480, height), rng.uniform(30, 60)
        draw.ellipse(
            [x - r, y - r, x + r, y + r], fill=(250, 246, 248), outline=(214, 140, 176), width=3
        )
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    caption(image, (90, 60, 120))
    return image


def biopsy_high() -> PILImage.Image:
    """1600x1200 RGBA: keratinocytes, basal vacuoles and colloid bodies in a round field."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(42)
    width, height = 1600, 1200
    tissue = Image.new("RGB", (width, height), EOSIN)
    draw = ImageDraw.Draw(tissue)
    for _ in range(700):  # keratinocytes in the upper half
        x, y = rng.uniform(0, width), rng.uniform(0, 560)
        draw.ellipse(
            [x - 26, y - 20, x + 26, y + 20], fill=(214, 140, 186), outline=(196, 120, 170)
        )
        draw.ellipse([x - 8, y - 7, x + 8, y + 7], fill=HAEMATOXYLIN)
    for x in range(0, width, 46):  # vacuoles along the basal layer
        y = 590 + 14 * math.sin(x / 70)
        draw.ellipse([x - 15, y - 12, x + 15, y + 12], fill=(250, 240, 246))
    for _ in range(260):  # dermal lymphocytes
        x, y = rng.uniform(0, width), rng.uniform(650, height)
        draw.ellipse([x - 7, y - 7, x + 7, y + 7], fill=HAEMATOXYLIN)
    for cx, cy in COLLOID_BODIES:
        draw.ellipse(
            [cx - 24, cy - 24, cx + 24, cy + 24],
            fill=(226, 70, 118),
            outline=(250, 236, 242),
            width=5,
        )
    tissue = tissue.filter(ImageFilter.GaussianBlur(1.0))
    caption(tissue, (90, 60, 120))
    field = Image.new("L", (width, height), 0)
    ImageDraw.Draw(field).ellipse(
        [width / 2 - 590, height / 2 - 590, width / 2 + 590, height / 2 + 590], fill=255
    )
    tissue.putalpha(field.filter(ImageFilter.GaussianBlur(3)))
    return tissue


COLLOID_BODIES = ((640, 600), (980, 628))  # pixel centres in biopsy-high.png


def dif() -> PILImage.Image:
    """1200x900: dark field, a granular green band along a wavy junction."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(43)
    width, height = 1200, 900
    image = Image.new("RGB", (width, height), (6, 10, 8))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 2):
        y = 430 + 40 * math.sin(x / 110)
        for _ in range(3):
            dy = rng.gauss(0, 8)
            green = rng.randint(170, 255)
            draw.ellipse([x - 2.5, y + dy - 2.5, x + 2.5, y + dy + 2.5], fill=(40, green, 70))
    for _ in range(1500):  # faint autofluorescence
        x, y = rng.uniform(0, width), rng.uniform(0, height)
        draw.point((x, y), fill=(20, 60, 28))
    image = image.filter(ImageFilter.GaussianBlur(1.5))
    caption(image, (120, 200, 130))
    return image


def mri(seed: int, size: tuple[int, int], flair: bool) -> PILImage.Image:
    """Greyscale 'MRI' 0-1 floats drawn at 8 bits per step, returned as an 'F' image."""
    from PIL import Image, ImageDraw, ImageFilter

    rng = random.Random(seed)
    width, height = size
    head = Image.new("L", size, 0)
    draw = ImageDraw.Draw(head)
    cx, cy, rx, ry = width / 2, height / 2, width * 0.36, height * 0.44
    draw.ellipse([cx - rx, cy - ry, cx + rx, cy + ry], fill=235)  # scalp and skull rim
    draw.ellipse([cx - rx + 26, cy - ry + 26, cx + rx - 26, cy + ry - 26], fill=40)
    draw.ellipse([cx - rx + 40, cy - ry + 40, cx + rx - 40, cy + ry - 40], fill=120)  # brain
    ventricle = 60 if flair else 230
    draw.ellipse([cx - 70, cy - 110, cx - 14, cy + 60], fill=ventricle)
    draw.ellipse([cx + 14, cy - 110, cx + 70, cy + 60], fill=ventricle)
    for lx, ly in LESIONS:
        draw.ellipse([lx - 16, ly - 11, lx + 16, ly + 11], fill=250)
    for _ in range(160):
        x, y = rng.uniform(cx - rx + 60, cx + rx - 60), rng.uniform(cy - ry + 60, cy + ry - 60)
        draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill=rng.choice((105, 135)))
    head = head.filter(ImageFilter.GaussianBlur(2.5))
    caption(head, 200)
    return head


LESIONS = ((330.0, 330.0), (560.0, 360.0), (350.0, 560.0))  # in the 900x900 axial slice


def bias_16_bit(image: PILImage.Image) -> PILImage.Image:
    """An 8-bit slice as 16-bit, with a coil's bias field: darker left, brighter right."""
    from PIL import Image, ImageMath

    width, height = image.size
    ramp = Image.linear_gradient("L").rotate(90).resize((width, height))  # 0 left, 255 right
    scaled = image.convert("I").point(lambda v: v * 255)
    gain = ramp.convert("I").point(lambda v: v * 40 + 16000)
    deep = ImageMath.lambda_eval(lambda a: a["a"] * a["g"] / 26200, a=scaled, g=gain)
    return deep.convert("I").convert("I;16")  # at most 255 * 255: no value is clipped


def exif_bytes() -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "Synthetica"
    exif[0x0110] = "FluoroCam 3"
    exif[0x0132] = "2024:02:01 09:12:44"
    exif[0x8825] = {1: "N", 2: (12.0, 20.0, 44.0), 3: "W", 4: (34.0, 34.0, 4.0)}
    return exif.tobytes()


def fixed_profile(icc: bytes) -> bytes:
    """An ICC profile without its creation time and ID, so the output is reproducible."""
    data = bytearray(icc)
    data[24:36] = bytes(12)  # dateTimeNumber
    data[84:100] = bytes(16)  # profile ID: zero means "not computed"
    return bytes(data)


def write_all(outdir: Path) -> list[Path]:
    from PIL import Image, ImageCms, PngImagePlugin

    written: list[Path] = []

    def save(name: str, action: Callable[[Path], None]) -> None:
        path = outdir / name
        action(path)
        written.append(path)

    low = biopsy_low().transpose(Image.Transpose.ROTATE_90)  # stored on its side
    rotated = Image.Exif()
    rotated[0x0112] = 6
    save("biopsy-low.jpg", lambda p: low.save(p, "JPEG", quality=88, exif=rotated.tobytes()))
    save("biopsy-high.png", lambda p: biopsy_high().save(p, "PNG", optimize=True))
    srgb = fixed_profile(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    comment = b"synthetic example image; not a patient"
    save(
        "dif.jpg",
        lambda p: dif().save(
            p, "JPEG", quality=88, exif=exif_bytes(), icc_profile=srgb, comment=comment
        ),
    )
    text = PngImagePlugin.PngInfo()
    text.add_text("Patient", "DOE^JANE (made up)")
    axial = bias_16_bit(mri(44, (900, 900), flair=False))
    save("mri-axial.png", lambda p: axial.save(p, "PNG", pnginfo=text))
    coronal = mri(45, (900, 900), flair=True).convert(
        "P", palette=Image.Palette.ADAPTIVE, colors=64
    )
    save("mri-coronal.png", lambda p: coronal.save(p, "PNG", optimize=True))
    return written


def main(argv: list[str]) -> int:
    """Write the example case's images into OUTDIR (default: the example case folder)."""
    outdir = Path(argv[1]) if len(argv) > 1 else DEFAULT_OUTDIR
    outdir.mkdir(parents=True, exist_ok=True)
    for path in write_all(outdir):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

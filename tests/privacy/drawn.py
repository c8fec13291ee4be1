"""A face drawn with Pillow for the face check's tests: shaded as a lit face is (dark eye
sockets and mouth, a bright nose bridge), which is what OpenCV's Haar cascades look for."""

from __future__ import annotations

from pathlib import Path

from PIL import Image, ImageDraw, ImageFilter


def draw_face(file: Path, size: int = 400) -> Path:
    """Write a grey-level drawing of a frontal face, `size` pixels square, to `file`."""
    image = Image.new("L", (size, size), 90)
    draw = ImageDraw.Draw(image)

    def box(left: float, top: float, right: float, bottom: float) -> list[float]:
        return [v * size / 400 for v in (left, top, right, bottom)]

    draw.ellipse(box(95, 40, 305, 360), fill=170)  # the head
    draw.ellipse(box(125, 70, 275, 330), fill=200)  # its lit centre
    for x in (145, 255):
        draw.ellipse(box(x - 40, 130, x + 40, 185), fill=80)  # eye sockets
        draw.ellipse(box(x - 15, 148, x + 15, 170), fill=30)  # eyes
    draw.rectangle(box(185, 140, 215, 240), fill=215)  # the nose bridge
    draw.ellipse(box(175, 235, 225, 260), fill=120)  # under the nose
    draw.ellipse(box(150, 280, 250, 310), fill=70)  # the mouth
    image.filter(ImageFilter.GaussianBlur(6 * size / 400)).convert("RGB").save(file)
    return file

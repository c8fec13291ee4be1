"""Generated cases for the batch benchmark: the demo letter, varied, with small photos.

Each case has its own title, a shuffled body, its own four 1200x900 JPEG panels (drawn,
not copied, so every case composes its own figure) and the demo's references.
"""

from __future__ import annotations

import random
import re
import shutil
from pathlib import Path

DEMO = Path(__file__).resolve().parents[1] / "cases" / "anifrolumab-alopecia"
PANELS = ("before-1.jpg", "before-2.jpg", "after-1.jpg", "after-2.jpg")


def generate_cases(folder: Path, count: int) -> list[Path]:
    """Write `count` case folders into `folder`; return them."""
    text = (DEMO / "case.yaml").read_text(encoding="utf-8")
    cases = []
    for n in range(1, count + 1):
        case = folder / f"case-{n:02d}"
        case.mkdir(parents=True, exist_ok=True)
        shutil.copy(DEMO / "references.json", case / "references.json")
        rng = random.Random(n)
        for name in PANELS:
            _photo(case / name, rng)
        (case / "case.yaml").write_text(_varied(text, n, rng), encoding="utf-8")
        cases.append(case)
    return cases


def _varied(text: str, n: int, rng: random.Random) -> str:
    """The demo's case file with a numbered title, another age, and paragraphs reordered
    (the first, which cites first, stays first; the figure is still mentioned)."""
    text = text.replace("with anifrolumab: a case report", f"with anifrolumab: case {n}")
    text = text.replace("age: 59", f"age: {40 + n % 40}")
    head, body, tail = re.split(r"(?ms)^(body: \|\n.*?)(?=^figures:)", text, maxsplit=1)[0:3]
    paragraphs = body.removeprefix("body: |\n").rstrip("\n").split("\n\n")
    rest = paragraphs[1:]
    rng.shuffle(rest)
    body = "body: |\n" + "\n\n".join([paragraphs[0], *rest]) + "\n\n"
    return head + body + tail


def _photo(path: Path, rng: random.Random) -> None:
    """A 1200x900 photo-like JPEG: a gradient with random discs, about 100 KB."""
    from PIL import Image, ImageDraw, ImageFilter

    width, height = 1200, 900
    base = tuple(rng.randrange(60, 200) for _ in range(3))
    image = Image.new("RGB", (width, height), base)  # type: ignore[arg-type]
    draw = ImageDraw.Draw(image)
    for _ in range(120):
        x, y, r = rng.randrange(width), rng.randrange(height), rng.randrange(10, 90)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=colour)  # type: ignore[arg-type]
    image.filter(ImageFilter.GaussianBlur(3)).save(path, quality=88)

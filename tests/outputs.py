"""What a user gets from a build, reduced to what must be equal between two builds.

Two builds of the same inputs must agree on the HTML text, the build manifest (but for
times), the PDF's text and every embedded image's pixels, and the submission files. A
rebuild in a used folder, a warm `Session` rebuild and a batch build are each compared
with a fresh build in an empty folder through `snapshot`.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from pypdf import PdfReader


def pdf_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def pdf_images(path: Path) -> list[tuple[tuple[int, int], str, str]]:
    """Each embedded image: its size, mode and a digest of its decoded pixels."""
    found = []
    for page in PdfReader(path).pages:
        for image in page.images:
            pixels = image.image
            assert pixels is not None
            digest = hashlib.sha256(pixels.tobytes()).hexdigest()
            found.append((pixels.size, pixels.mode, digest))
    return found


def manifest(path: Path) -> dict[str, Any]:
    """build.json without what differs between equal builds (nothing today but kept as the
    one place to say so)."""
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def snapshot(out: Path) -> dict[str, Any]:
    """Everything a user reads in the build folder `out`, as comparable values."""
    taken: dict[str, Any] = {"html": (out / "letter.html").read_text(encoding="utf-8")}
    taken["build.json"] = manifest(out / "build.json")
    if (out / "letter.pdf").exists():
        taken["pdf text"] = pdf_text(out / "letter.pdf")
        taken["pdf images"] = pdf_images(out / "letter.pdf")
    for folder in ("figures", "submission"):
        for file in sorted((out / folder).glob("*")) if (out / folder).is_dir() else []:
            taken[f"{folder}/{file.name}"] = hashlib.sha256(file.read_bytes()).hexdigest()
    return taken

"""What a user gets from a build, reduced to what must be equal between two builds.

Two builds of the same inputs must agree on the HTML text, the build manifest (but for
times), the PDF's text and every embedded image's pixels, and the submission files. A
rebuild in a used folder, a warm `Session` rebuild and a batch build are each compared
with a fresh build in an empty folder through `snapshot`.
"""

from __future__ import annotations

import hashlib
import json
import re
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


def docx_text(path: Path) -> str:
    """The Word file as text for review: one line per paragraph, "Style: text" (a picture
    as its printed size), a table's rows as "Table: cell | cell" (its header row
    "Table header:"), in the order of the body."""
    from docx import Document
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = Document(str(path))
    lines = []
    for item in document.iter_inner_content():
        if isinstance(item, Paragraph):
            lines.append(f"{item.style.name if item.style else 'Normal'}: {_shown(item)}")
        elif isinstance(item, Table):
            for index, row in enumerate(item.rows):
                name = "Table header" if index == 0 else "Table"
                lines.append(f"{name}: " + " | ".join(c.text for c in row.cells))
    return "\n".join(lines) + "\n"


def _shown(paragraph: Any) -> str:
    """A paragraph's text, each picture in it as [picture W x H mm]."""
    pictures = [
        f"[picture {shape.width.mm:.1f} x {shape.height.mm:.1f} mm]"
        for run in paragraph.runs
        for shape in _inline_shapes(run)
    ]
    return " ".join([*pictures, paragraph.text]).strip().replace("\n", " / ")


def _inline_shapes(run: Any) -> list[Any]:
    from docx.shape import InlineShape

    return [InlineShape(i) for i in run._r.iter() if i.tag.endswith("}inline")]


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
    if (out / "letter.docx").exists():
        taken["letter.docx"] = hashlib.sha256((out / "letter.docx").read_bytes()).hexdigest()
    for folder in ("figures", "submission"):
        for file in sorted((out / folder).glob("*")) if (out / folder).is_dir() else []:
            taken[f"{folder}/{file.name}"] = hashlib.sha256(file.read_bytes()).hexdigest()
    return taken


_BACKLINKS = re.compile(r'<span class="backlinks">.*?</span>', re.S)
_LINK = re.compile(r'<a href="(?:#ref-\d+|https://doi\.org/[^"]*|mailto:[^"]*)">(.*?)</a>', re.S)
_CITATION_ID = re.compile(r'(<(?:span|sup) class="citation") id="cite-\d+"')


def unlinked(page: str) -> str:
    """The letter's HTML as printed before it was linked: the links of citations to their
    references, of DOIs and of the e-mail address unwrapped, citations' ids and the
    references' back-links dropped (for tests of what the style prints, compared with
    pandoc's or with literal markup)."""
    page = _BACKLINKS.sub("", page)
    page = _LINK.sub(r"\1", page)
    return _CITATION_ID.sub(r"\1", page)


def printed_html(path: Path) -> str:
    """`unlinked` of the HTML file at `path`."""
    return unlinked(path.read_text(encoding="utf-8"))

"""The bundle's MANIFEST.txt, its zip, and the check of its figure files.

The zip is made to be the same bytes for the same files: entries sorted by name, each with a
fixed time (1980-01-01, the earliest a zip can hold), fixed permissions and the same
compression; files that are compressed already (TIFF, JPEG, PDF, DOCX) are stored.
"""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.errors import Diagnostic, Problem

if TYPE_CHECKING:
    from casereport.journal import Journal

FIXED_TIME = (1980, 1, 1, 0, 0, 0)
STORED = (".tiff", ".tif", ".jpg", ".jpeg", ".png", ".pdf", ".docx", ".zip")
MIME = {".tiff": "TIFF", ".jpg": "JPEG", ".svg": "SVG"}
DPI_TOLERANCE = 0.5  # TIFF keeps dpi as a fraction: 299.9994 is 300


@dataclass(frozen=True)
class Header:
    """What MANIFEST.txt says before the files: which case, for which journal, made by which
    casereport from which inputs."""

    case: str
    journal: str
    journal_name: str
    article: str
    title: str
    version: str
    inputs: str  # SHA-256 over the build's inputs and their SHA-256 (build.json's `inputs`)
    warnings: tuple[Diagnostic, ...] = ()


def inputs_digest(build_json: bytes) -> str:
    """One SHA-256 for every input the build read (build.json's `inputs`: name → SHA-256)."""
    inputs = json.loads(build_json)["inputs"]
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def manifest(header: Header, files: Mapping[str, bytes]) -> bytes:
    """MANIFEST.txt: the header, then one line per file (size in bytes, SHA-256, name),
    sorted by name; accepted warnings (`--allow-warnings`) at the end."""
    lines = [
        "casereport submission bundle",
        f"case: {header.case}",
        f"journal: {header.journal} ({header.journal_name})",
        f"article: {header.article}",
        f"title: {header.title}",
        f"casereport: {header.version}",
        f"inputs: sha256:{header.inputs}",
        "",
        f"{'bytes':>10}  {'sha256':<64}  file",
    ]
    for name in sorted(files):
        data = files[name]
        lines.append(f"{len(data):>10}  {hashlib.sha256(data).hexdigest()}  {name}")
    if header.warnings:
        lines += ["", f"warnings accepted ({len(header.warnings)}):"]
        lines += [f"  {d.format()}" for d in header.warnings]
    return ("\n".join(lines) + "\n").encode("utf-8")


def deterministic_zip(files: Mapping[str, bytes]) -> bytes:
    """The files as a zip whose bytes depend on their names and contents only."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
            info.create_system = 3  # unix, so the permissions below are read
            info.external_attr = 0o100644 << 16
            stored = Path(name).suffix.lower() in STORED
            info.compress_type = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
            archive.writestr(info, files[name], compresslevel=None if stored else 9)
    return buffer.getvalue()


def figure_problems(figures: Sequence[Path], journal: Journal) -> list[Problem]:
    """What is wrong with the figure files as the journal asks for them: the name, the
    format, the resolution (raster files carry the journal's dpi) and the size limit. Each
    problem is at its figure (`figures[i]`)."""
    style = journal.figure_style
    problems: list[Problem] = []
    for index, path in enumerate(figures):
        number = index + 1
        expected = style.file_name.format(number=number)
        found = _figure_problem(path, expected, journal)
        if found:
            problems.append(Problem(("figures", index), f"submission/{path.name}: {found}"))
    return problems


def _figure_problem(path: Path, expected: str, journal: Journal) -> str | None:
    style = journal.figure_style
    if path.stem != expected:
        return f"named {path.stem!r}; the journal's files are named {expected!r}"
    size = path.stat().st_size / 1_000_000
    if style.max_mb is not None and size > style.max_mb:
        return (
            f"{size:.1f} MB; {journal.name} takes figure files of at most {style.max_mb:g} MB "
            "(crop it, or use fewer or smaller panels)"
        )
    if path.suffix == ".svg":
        return None
    wanted = ".tiff" if style.submission == "tiff" else ".jpg"
    if path.suffix != wanted:
        return f"a {path.suffix} file; {journal.name} takes {MIME[wanted]} (figure_style)"
    dpi = _dpi(path)
    if dpi is None or dpi + DPI_TOLERANCE < journal.dpi:
        return f"{dpi or 'no'} dpi; {journal.name} asks for {journal.dpi} dpi"
    return None


def _dpi(path: Path) -> float | None:
    """The smaller of the file's horizontal and vertical resolution, if it says."""
    from PIL import Image

    with Image.open(path) as image:
        found = image.info.get("dpi")
    return float(min(found)) if found else None

"""`casereport new`: a case folder to start from, for one journal's article type.

The case file (`scaffold_text.case_yaml`) has every field the article type uses, each
explained, with `TODO` placeholders that `validate` reports as warnings. Beside it:
`references.bib` with one real reference that the text cites, `images/` with a placeholder
image that the example figure shows, and `case.schema.json`, the schema the first line of
the case file points editors at.

The schema is a copy beside the case, named by a relative path, rather than the installed
package's file or a URL: the path travels with the folder (committed, shared, opened on
another machine or in CI), works offline and never names a user's home or virtual
environment; `casereport schema > case.schema.json` refreshes it after an upgrade.
"""

from __future__ import annotations

import difflib
import json
import os
import shutil
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

from casereport.articles import ARTICLE_TYPES
from casereport.case_schema import shipped_text
from casereport.errors import UsageError
from casereport.journal import Journal, JournalNotFound, load_journal, search_path
from casereport.scaffold_text import BIBLIOGRAPHY, IMAGE, SCHEMA_FILE, case_yaml

EXAMPLE_BIB = """\
% An example entry: the text cites it as [@gagnier2013]. Export your own references from
% Zotero (Better BibTeX), JabRef, EndNote or PubMed as BibTeX (.bib), CSL-JSON (.json) or
% RIS (.ris) and name the file under `bibliography:` in case.yaml.
@article{gagnier2013,
  author = {Gagnier, Joel J. and Kienle, Gunver and Altman, Douglas G. and Moher, David and
            Sox, Harold and Riley, David and {CARE Group}},
  title = {The {CARE} guidelines: consensus-based clinical case reporting guideline development},
  journal = {Journal of Medical Case Reports},
  year = {2013},
  volume = {7},
  pages = {223},
  doi = {10.1186/1752-1947-7-223},
}
"""

IMAGES_README = """\
Put the case's images here: photographs, micrographs, scans (JPEG, PNG, TIFF or WebP), each
named in case.yaml as a panel of a figure (`image: images/<file>`).

placeholder.png stands in for the example figure of the new case: replace it with your own
image, or delete the example figure and this file with it.

Images must not identify the patient (no face, name, date or record number in the image or
its metadata), and the patient's consent for them is needed. casereport removes every
metadata field (EXIF, GPS, XMP) from the images it writes.
"""


@dataclass(frozen=True)
class Scaffold:
    """What `new_case` wrote: the folder, the journal and article type, and each file."""

    folder: Path
    journal: Journal
    article: str
    files: tuple[Path, ...]


def new_case(
    folder: Path,
    journal: str = "care",
    article: str | None = None,
    templates: Path | None = None,
) -> Scaffold:
    """Write a new case folder for `journal`'s `article` (default: the first type it
    publishes); a UsageError for an unknown journal or article type, or a folder that
    exists (it is never written into)."""
    profile = _profile(journal, templates)
    kind = _article(profile, article)
    if folder.exists() or folder.is_symlink():
        raise UsageError(f"{folder}: already exists; casereport new never writes into a folder")
    schema = shipped_text()
    files = {
        "case.yaml": case_yaml(profile, kind, json.loads(schema)).encode("utf-8"),
        BIBLIOGRAPHY: EXAMPLE_BIB.encode("utf-8"),
        SCHEMA_FILE: schema.encode("utf-8"),
        IMAGE: placeholder_png(1200, 900),
        "images/README.txt": IMAGES_README.encode("utf-8"),
    }
    return Scaffold(folder, profile, kind, _write_folder(folder, files))


def _profile(journal: str, templates: Path | None) -> Journal:
    try:
        return load_journal(journal, search_path(templates))
    except JournalNotFound as exc:
        raise UsageError(f"--journal: {exc}") from None


def _article(profile: Journal, article: str | None) -> str:
    kind = article or profile.publishes[0]
    published = ", ".join(profile.publishes)
    if kind not in ARTICLE_TYPES:
        close = difflib.get_close_matches(kind, ARTICLE_TYPES, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else f" ({', '.join(ARTICLE_TYPES)})"
        raise UsageError(f"--article: unknown article type {kind!r}{hint}")
    if kind not in profile.publishes:
        raise UsageError(
            f"--article: {profile.name} ({profile.id}) publishes no {kind}; it publishes: "
            f"{published}"
        )
    return kind


def _write_folder(folder: Path, files: dict[str, bytes]) -> tuple[Path, ...]:
    """Write the files into a hidden folder beside `folder`, then rename it into place: a
    failure leaves no half-made case."""
    folder.parent.mkdir(parents=True, exist_ok=True)
    staging = folder.parent / f".{folder.name}.new-{os.getpid()}"
    try:
        for name, data in files.items():
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(data)
        staging.rename(folder)  # refused if `folder` appeared meanwhile with files in it
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return tuple(folder / name for name in files)


def placeholder_png(width: int, height: int) -> bytes:
    """A light grey PNG of that size (8-bit greyscale), made without an imaging library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = (b"\x00" + b"\xe0" * width) * height
    return b"".join(
        (
            b"\x89PNG\r\n\x1a\n",
            chunk(b"IHDR", header),
            chunk(b"IDAT", zlib.compress(rows, 9)),
            chunk(b"IEND", b""),
        )
    )

"""A build's outputs put in place together: the letter, its PDF, figures and build.json.

Every output is staged beside its destination (see `files.staging`) and all are renamed at
once, so a failed build leaves the previous outputs untouched. The PDF writer is passed in
(`PdfWriter`): a worker the caller started, or `pdf.write_pdf` in this process.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from casereport.errors import BuildError
from casereport.export.files import staging

if TYPE_CHECKING:
    from casereport.figures.stage import FigureFile


class PdfWriter(Protocol):
    """Writes `html` as a PDF at `dest`, loading only allowed files (export.pdf.write_pdf)."""

    def __call__(
        self,
        html: str,
        base: Path,
        dest: Path,
        *,
        allowed: Sequence[Path],
        staged_files: Mapping[Path, Path],
    ) -> int: ...


def submission_files(figures: Sequence[FigureFile], out: Path) -> dict[Path, Path]:
    """submission/figure-N.tiff, .jpg or .svg (as the journal asks), from the cache."""
    files: dict[Path, Path] = {}
    for figure in figures:
        source = figure.submission or figure.file
        suffix = {".tif": ".tiff"}.get(source.suffix, source.suffix)
        name = Path(figure.src).with_suffix(suffix).name
        files[out / "submission" / name] = source
    return files


def write_outputs(
    out: Path,
    html: str,
    staged_files: dict[Path, Path],
    pdf_writer: PdfWriter | None,
    texts: dict[Path, bytes],
    allowed: Sequence[Path],
    manifest: Callable[[list[Path]], bytes],
) -> tuple[tuple[Path, ...], int | None]:
    """Stage every output beside its destination, then put them all in place at once
    (holding the build folder's lock, so concurrent builds into it take turns). `allowed`:
    the folders the PDF may load files from; `manifest` makes build.json from the outputs
    written so far."""
    pages = None
    with staging(out) as outputs:
        for dest, source in staged_files.items():
            outputs.copy(source, dest)
        for dest, data in texts.items():
            outputs.write(dest, data)
        outputs.write(out / "letter.html", html.encode("utf-8"))
        if pdf_writer is not None:
            pdf_temp = outputs.temporary(out / "letter.pdf")
            pages = pdf_writer(html, out, pdf_temp, allowed=allowed, staged_files=staged_files)
        written = list(outputs.written)
        outputs.write(out / "build.json", manifest(written))
        outputs.commit()
    return tuple(written), pages


def file_sha256(path: Path) -> str:
    """The SHA-256 of an input file, for build.json."""
    from casereport.figures.compose import file_digest

    try:
        return file_digest(path)
    except OSError as exc:  # removed while the build ran: the next build reports it
        raise BuildError(f"{path}: {exc} (it changed during the build)") from None

"""The submission files: each figure as the journal asks for it, and legends.txt.

`submission/figure-N.tiff` (LZW) or `.jpg`, charts as `.svg`, from the build cache; the
legends as plain text, title first, one paragraph per figure, for the journal's upload form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from casereport.export.text import legends_text

if TYPE_CHECKING:
    from casereport.export.files import Outputs
    from casereport.export.writers import Job
    from casereport.manuscript import Manuscript


class Composed(Protocol):
    """A composed figure as the figures stage gives it (`figures.stage.FigureFile`)."""

    @property
    def file(self) -> Path: ...
    @property
    def src(self) -> str: ...
    @property
    def submission(self) -> Path | None: ...


def submission_files(figures: Sequence[Composed], out: Path) -> Mapping[Path, Path]:
    """submission/figure-N.tiff, .jpg or .svg (as the journal asks) → its file in the cache."""
    files: dict[Path, Path] = {}
    for figure in figures:
        source = figure.submission or figure.file
        suffix = {".tif": ".tiff"}.get(source.suffix, source.suffix)
        name = Path(figure.src).with_suffix(suffix).name
        files[out / "submission" / name] = source
    return files


def write(manuscript: Manuscript, job: Job, outputs: Outputs) -> None:
    """submission/: the figure files and legends.txt."""
    for dest, source in job.submission.items():
        outputs.copy(source, dest)
    legends = legends_text(manuscript).encode("utf-8")
    outputs.write(job.out / "submission" / "legends.txt", legends)

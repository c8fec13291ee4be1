"""The submission files: each figure as the journal asks for it, and legends.txt.

`submission/figure-N.tiff` (LZW) or `.jpg`, charts as `.svg`, from the build cache; the
legends as plain text, title first, one paragraph per figure, for the journal's upload form.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from casereport.errors import Problem
from casereport.export.text import legends_text

if TYPE_CHECKING:
    from casereport.export.files import Outputs
    from casereport.export.writers import Job
    from casereport.journal import FigureStyle
    from casereport.manuscript import Manuscript


class Composed(Protocol):
    """A composed figure as the figures stage gives it (`figures.stage.FigureFile`)."""

    @property
    def file(self) -> Path: ...
    @property
    def src(self) -> str: ...
    @property
    def submission(self) -> Path | None: ...


def submission_files(
    figures: Sequence[Composed], out: Path, style: FigureStyle
) -> tuple[Mapping[Path, Path], list[Problem]]:
    """submission/figure-N.tiff, .jpg or .svg (named and in the format the journal asks)
    → its file in the cache; and a warning for each file over the journal's size limit."""
    files: dict[Path, Path] = {}
    problems: list[Problem] = []
    for number, figure in enumerate(figures, start=1):
        source = figure.submission or figure.file
        suffix = {".tif": ".tiff"}.get(source.suffix, source.suffix)
        name = style.file_name.format(number=number) + suffix
        files[out / "submission" / name] = source
        size = source.stat().st_size / 1_000_000
        if style.max_mb is not None and size > style.max_mb:
            message = (
                f"submission/{name} is {size:.1f} MB; the journal takes figure files "
                f"of at most {style.max_mb:g} MB (crop it, or use fewer or smaller panels)"
            )
            problems.append(Problem(("figures", number - 1), message).as_warning())
    return files, problems


def write(manuscript: Manuscript, job: Job, outputs: Outputs) -> None:
    """submission/: the figure files and legends.txt."""
    for dest, source in job.submission.items():
        outputs.copy(source, dest)
    legends = legends_text(manuscript).encode("utf-8")
    outputs.write(job.out / "submission" / "legends.txt", legends)

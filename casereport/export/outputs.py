"""A build's outputs put in place together: what each writer writes, and build.json.

Every output is staged beside its destination (see `files.staging`) and all are renamed at
once, so a failed build leaves the previous outputs untouched. The writers are chosen from
the registry (`writers.WRITERS`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.errors import BuildError
from casereport.export.files import staging

if TYPE_CHECKING:
    from casereport.export.writers import Job, Writer
    from casereport.manuscript import Manuscript


def write_outputs(
    manuscript: Manuscript,
    job: Job,
    writers: Sequence[Writer],
    manifest: Callable[[list[Path]], bytes],
) -> tuple[tuple[Path, ...], int | None]:
    """Stage every writer's files beside their destinations, then put them all in place at
    once (holding the build folder's lock, so concurrent builds into it take turns).
    `manifest` makes build.json from the outputs written so far. Returns the outputs and
    the number of pages of the PDF (None when none was written)."""
    pages = None
    with staging(job.out) as outputs:
        for writer in writers:
            found = writer.write(manuscript, job, outputs)
            pages = found if found is not None else pages
        written = list(outputs.written)
        outputs.write(job.out / "build.json", manifest(written))
        outputs.commit()
    return tuple(written), pages


def file_sha256(path: Path) -> str:
    """The SHA-256 of an input file, for build.json."""
    from casereport.figures.compose import file_digest

    try:
        return file_digest(path)
    except OSError as exc:  # removed while the build ran: the next build reports it
        raise BuildError(f"{path}: {exc} (it changed during the build)") from None

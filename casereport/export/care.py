"""care-checklist.md, .csv and .html: the filled CARE checklist, ready to upload.

The checklist is about the case, not the printed article, so the build makes it
(`care.filled_checklist`, each place with its line in the case file) and hands it to this
writer in the `Job`, as it hands the HTML writer its composed figures: the writer reads no
case and imports no stage.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casereport.care.formats import to_csv, to_html, to_markdown
from casereport.errors import BuildError

if TYPE_CHECKING:
    from casereport.export.files import Outputs
    from casereport.export.writers import Job
    from casereport.manuscript import Manuscript

NAME = "care-checklist"


def write(manuscript: Manuscript, job: Job, outputs: Outputs) -> None:
    """Stage care-checklist.md, .csv and .html in the build folder."""
    checklist = job.care
    if checklist is None:
        raise BuildError("--to care: the build made no CARE checklist to write")
    for suffix, render in (("md", to_markdown), ("csv", to_csv), ("html", to_html)):
        outputs.write(job.out / f"{NAME}.{suffix}", render(checklist).encode("utf-8"))

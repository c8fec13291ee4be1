"""The Word writer: the Manuscript as letter.docx, the manuscript a journal asks for.

Everything the journal's HTML template prints, in the same order (a letter's title,
salutation, text, figures and tables, signature, correspondence, declarations and
references; a case report's title page, abstract, sections with their figures and tables
where first mentioned, declarations and references), in named Word styles (Title,
Heading 1-2, Normal, Caption, List Bullet, List Number, Bibliography) so that a journal's
template restyles it. The page follows the profile's `manuscript:` (type size, line
spacing, line and page numbers; figures embedded, or as separate files with a closing
"Figure legends" section). python-docx is imported only when a build asks for docx.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from casereport.export.docx.layout import compose

if TYPE_CHECKING:
    from casereport.export.files import Outputs
    from casereport.export.writers import Job
    from casereport.manuscript import Manuscript

FILE = "letter.docx"


def write(manuscript: Manuscript, job: Job, outputs: Outputs) -> None:
    """letter.docx in the build folder."""
    outputs.write(job.out / FILE, compose(manuscript, job))

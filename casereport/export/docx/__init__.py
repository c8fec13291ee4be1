"""The Word writer: the Manuscript as letter.docx, the manuscript a journal asks for.

Everything the journal's HTML template prints, in the same order (a letter's title,
salutation, text, figures and tables, signature, correspondence, declarations and
references; a case report's title page, abstract, sections with their figures and tables
where first mentioned, declarations and references), in named Word styles (Title,
Heading 1-2, Normal, Caption, List Bullet, List Number, Bibliography) so that a journal's
template restyles it. The page follows the profile's `manuscript:` (type size, line
spacing, line and page numbers; figures embedded, or as separate files with a closing
"Figure legends" section).

The file is kept in the build cache under a key of everything it is made from (the
manuscript, the profile's manuscript mode and figure widths, the composed figure files,
which the cache names by their content, and the date), so a new process building an
unchanged case copies it and imports no python-docx (about 0.1 s of a cold build);
python-docx is imported only when a build asks for docx and the file must be made.
"""

from __future__ import annotations

import hashlib
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.cache import content_key
from casereport.export.files import write_bytes_atomic

if TYPE_CHECKING:
    from datetime import datetime

    from casereport.export.files import Outputs
    from casereport.export.writers import Job
    from casereport.manuscript import Manuscript

FILE = "letter.docx"
HERE = Path(__file__).resolve().parent


def write(manuscript: Manuscript, job: Job, outputs: Outputs) -> None:
    """letter.docx in the build folder, from the build cache when made before."""
    outputs.write(job.out / FILE, docx_bytes(manuscript, job))


def docx_bytes(manuscript: Manuscript, job: Job) -> bytes:
    """The Word file's bytes: read from the cache, or made (and kept there)."""
    from casereport.export.docx.package import case_date

    date = case_date(job.case_file)
    if job.cache is None:
        return _compose(manuscript, job, date)
    kept = job.cache / "docx" / f"{_key(manuscript, job, date.isoformat())}.docx"
    try:
        return kept.read_bytes()
    except OSError:
        data = _compose(manuscript, job, date)
    write_bytes_atomic(kept, data)
    return data


def _compose(manuscript: Manuscript, job: Job, date: datetime) -> bytes:
    from casereport.export.docx.layout import compose

    return compose(manuscript, job, date)


def _key(manuscript: Manuscript, job: Job, date: str) -> str:
    """What the file is made from: the manuscript (its dataclass repr is its whole value),
    the profile's manuscript mode and figure widths, the figure files by name and cache
    path, the date, the installed python-docx and this writer's own code."""
    journal = job.journal
    mode = (journal.manuscript, journal.figure_width_mm) if journal is not None else None
    files = sorted((str(k.relative_to(job.out)), str(v)) for k, v in job.figures.items())
    made_by = (_python_docx_stamp(), _writer_digest())
    return content_key(repr(manuscript), repr(mode), repr(files), date, repr(made_by))


@cache
def _python_docx_stamp() -> tuple[str, int, int]:
    """Which python-docx is installed, without importing it (a cached file must not need
    it) nor asking importlib.metadata (46 ms of a 0.5 s cold build): its package file's
    path, size and modification time, which an upgrade changes."""
    import importlib.util

    spec = importlib.util.find_spec("docx")
    origin = Path(spec.origin) if spec is not None and spec.origin else None
    if origin is None:
        return ("", 0, 0)
    stat = origin.stat()
    return (str(origin), stat.st_size, stat.st_mtime_ns)


@cache
def _writer_digest() -> str:
    """A digest of this writer's modules (and of where floats are placed): an edited
    writer does not reuse a file the previous code made, as the version alone would."""
    digest = hashlib.sha256()
    for module in (*sorted(HERE.glob("*.py")), HERE.parent / "placement.py"):
        digest.update(module.read_bytes())
    return digest.hexdigest()

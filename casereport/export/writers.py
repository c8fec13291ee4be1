"""The output formats: a registry of writers, each one module that takes the Manuscript.

`casereport build CASE --to html,pdf,json` runs the writers named, in the registry's order
(the HTML's figure files are in place before the page that links them). Adding a format is a
module with a `write(manuscript, job)` function and one line in `WRITERS`; its module is
imported only when a build asks for it (WeasyPrint, pydantic's serialiser cost time).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from casereport.errors import UsageError

if TYPE_CHECKING:
    from casereport.care.checklist import Checklist
    from casereport.export.files import Outputs
    from casereport.journal import Journal
    from casereport.manuscript import Manuscript


# The PDFs a build can write (`--pdf-variant`): tagged PDF/UA-1, accessible, by default; and
# PDF/A-3b, archival, which is tagged too. WeasyPrint writes both (its `pdf_variant`).
PDF_VARIANTS = ("pdf/ua-1", "pdf/a-3b")
DEFAULT_PDF_VARIANT = PDF_VARIANTS[0]


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
        variant: str = DEFAULT_PDF_VARIANT,
    ) -> int: ...


WriteFunction = Callable[["Manuscript", "Job", "Outputs"], "int | None"]


@dataclass(frozen=True)
class Writer:
    """An output format: its name, the module whose `write` writes it, what it writes."""

    name: str
    module: str
    writes: str

    def write(self, manuscript: Manuscript, job: Job, outputs: Outputs) -> int | None:
        """Stage this format's files for `manuscript` in `outputs`; the number of pages of
        a paged format."""
        write: WriteFunction = importlib.import_module(self.module).write
        return write(manuscript, job, outputs)


WRITERS: dict[str, Writer] = {
    w.name: w
    for w in (
        Writer("html", "casereport.export.html", "letter.html, letter.css and figures/"),
        Writer("figures", "casereport.export.submission", "submission/: figure files, legends.txt"),
        Writer("pdf", "casereport.export.pdf", "letter.pdf"),
        Writer("json", "casereport.export.manuscript_json", "manuscript.json"),
        Writer("docx", "casereport.export.docx", "letter.docx: the Word manuscript"),
        Writer("care", "casereport.export.care", "care-checklist.md, .csv, .html: CARE items"),
    )
}
PDF = "pdf"
DEFAULT = ("html", PDF)


def writers(names: Sequence[str]) -> tuple[Writer, ...]:
    """The writers named, in the registry's order; an unknown name is a usage error."""
    unknown = [n for n in names if n not in WRITERS]
    if unknown:
        known = ", ".join(WRITERS)
        raise UsageError(f"unknown output format {unknown[0]!r}; choose from {known}")
    return tuple(w for name, w in WRITERS.items() if name in names)


def parse_formats(text: str) -> tuple[str, ...]:
    """`html,pdf` → ("html", "pdf"), checked against the registry."""
    names = tuple(dict.fromkeys(n.strip().lower() for n in text.split(",") if n.strip()))
    if not names:
        raise UsageError("--to: name at least one format")
    return tuple(w.name for w in writers(names))


def chosen_formats(to: str | None, *, html_only: bool, figures: bool) -> tuple[str, ...]:
    """The formats of the command line: `--to`, else html,pdf; `--html-only` (= `--to html`)
    and `--figures` (adds `figures`) as the older spellings."""
    if to is not None and html_only:
        raise UsageError("--html-only is --to html: give one of them")
    formats = parse_formats(to if to is not None else "html" if html_only else ",".join(DEFAULT))
    return (*formats, "figures") if figures and "figures" not in formats else formats


def renders_pdf(formats: Sequence[str]) -> bool:
    """Whether these formats need the PDF renderer (WeasyPrint, started early)."""
    return PDF in formats


@dataclass(frozen=True)
class Job:
    """Where and with what the writers of one build write.

    `figures`: each composed figure's build-folder path → its file in the cache (with
    `letter.css`, what the page links); `submission`: the submission files likewise;
    `allowed`: the folders the PDF may load files from; `render`: the letter's HTML through
    the journal's template (made once, for the HTML and the PDF writers); `care`: the
    filled CARE checklist, made when the build writes it (`--to care`); `pdf_variant`: the
    PDF standard the PDF conforms to (`PDF_VARIANTS`); `embed`: the HTML writer puts the
    stylesheet and figures inside letter.html instead (`--embed`); `journal`, `cache` and
    `case_file`: the profile, the build cache and the case file, for the Word writer."""

    out: Path
    figures: Mapping[Path, Path]
    submission: Mapping[Path, Path]
    allowed: Sequence[Path]
    render: Callable[[], str]
    pdf: PdfWriter | None = None
    care: Checklist | None = None
    pdf_variant: str = DEFAULT_PDF_VARIANT
    embed: bool = False
    journal: Journal | None = None
    cache: Path | None = None
    case_file: Path | None = None

    @cached_property
    def html(self) -> str:
        """The letter's HTML, rendered on first use."""
        return self.render()

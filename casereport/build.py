"""The build: case folder → letter.html, letter.pdf, figures/ and build.json in the build folder.

Every output is made in a temporary file first; only when all of them succeeded are they
renamed into place, so a failed build leaves the previous outputs byte-for-byte untouched.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from casereport.checks import check_limits
from casereport.errors import CaseError, Diagnostic, UsageError
from casereport.export.files import (
    copy_atomic,
    remove_stale_temporaries,
    staged,
    write_bytes_atomic,
)
from casereport.journal import Journal, JournalNotFound, load_journal, search_path
from casereport.load import Source, load_case_file
from casereport.model import Case
from casereport.refchecks import check_references
from casereport.references import lock_identifiers, lock_path
from casereport.reflist import CitationSetup, choose_style, reference_list
from casereport.render import FigureImage, plain_legends, render_letter
from casereport.resolve import Resolved, resolve
from casereport.stage_figures import FigureFile, make_figures
from casereport.validate import diagnostic, validate_case

CASE_FILE = "case.yaml"


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
    ) -> None: ...


FORMATS = ("html", "pdf")
SUBMISSION = "figures"  # a format: submission-ready figure files and legends.txt


@dataclass(frozen=True)
class Checked:
    """A case that loaded, validated and resolved: everything but the outputs."""

    source: Source
    case: Case
    journal: Journal
    resolved: Resolved
    warnings: tuple[Diagnostic, ...]
    citations: CitationSetup


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, and what it warned about."""

    out_dir: Path
    outputs: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...]
    words: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)


def case_file(path: Path) -> Path:
    """The case file for `path`, which names a case folder or its `case.yaml`."""
    candidate = path / CASE_FILE if path.is_dir() else path
    if not candidate.is_file():
        raise UsageError(f"{path}: no {CASE_FILE} here (give a case folder or its {CASE_FILE})")
    return candidate


def load_case(path: Path, *, cache_dir: Path | None = None) -> tuple[Source, Case]:
    """Load and validate the case at `path`; raise CaseError with every problem found.
    Bibliography files converted earlier are read back from `cache_dir` when given."""
    source = load_case_file(case_file(path))
    return source, validate_case(source, cache_dir=cache_dir)


def check_case(
    path: Path,
    *,
    templates: Path | None = None,
    style: str | None = None,
    offline: bool = False,
    cache_dir: Path | None = None,
) -> Checked:
    """Load, validate and resolve the case, and gather its warnings; write nothing but the
    lock file of references cited by DOI or PMID (`offline` forbids looking them up) and,
    given a `cache_dir`, the converted bibliography files."""
    source, case = load_case(path, cache_dir=cache_dir)
    try:
        journal = load_journal(case.journal, search_path(templates))
    except JournalNotFound as exc:
        raise CaseError([diagnostic(source, ("journal",), str(exc))]) from None
    citations = choose_style(source, case, journal, style)
    case = lock_identifiers(source, case, offline=offline)
    resolved = resolve(source, case, journal.figure_style.legend)
    reference_warnings = check_references(resolved.references, case.references)
    warnings = resolved.warnings + tuple(reference_warnings)
    warnings += tuple(check_limits(source, resolved, journal))
    return Checked(source, case, journal, resolved, warnings, citations)


def default_out_dir(path: Path) -> Path:
    """`build/<case folder name>` under the current directory."""
    return Path("build") / case_file(path).resolve().parent.name


def build_case(
    path: Path,
    out_dir: Path | None = None,
    *,
    formats: Sequence[str] = FORMATS,
    templates: Path | None = None,
    style: str | None = None,
    offline: bool = False,
) -> BuildResult:
    """Build the case at `path` into `out_dir`; nothing is replaced unless everything succeeds.

    `style` (a CSL style name or file) overrides the case's and the journal's; `offline`
    forbids looking up references cited by DOI or PMID that are not in the lock file yet.
    """
    with _pdf_writer(formats) as pdf_writer:
        started = time.perf_counter()
        out = (out_dir or default_out_dir(path)).resolve()
        cache = out / ".cache" / "sources"
        checked = check_case(
            path, templates=templates, style=style, offline=offline, cache_dir=cache
        )
        return _build(checked, started, out, formats, pdf_writer)


@contextmanager
def _pdf_writer(formats: Sequence[str]) -> Iterator[PdfWriter | None]:
    """The function that writes the PDF: in a worker started now, or in this process."""
    if "pdf" not in formats:
        yield None
        return
    from casereport.export import pdf

    if not pdf.use_worker():
        yield pdf.write_pdf
        return
    worker = pdf.PdfWorker()
    try:
        yield worker.write_pdf
    finally:
        worker.close()


def _build(
    checked: Checked,
    started: float,
    out: Path,
    formats: Sequence[str],
    pdf_writer: PdfWriter | None,
) -> BuildResult:
    timings = {"check": time.perf_counter() - started}
    made = make_figures(checked, out, submission=SUBMISSION in formats)
    figures = made.files
    warnings = checked.warnings + made.warnings
    timings["figures"] = time.perf_counter() - started - sum(timings.values())
    bibliography = reference_list(
        checked.citations, checked.journal, checked.resolved, out / ".cache" / "bibliography"
    )
    timings["references"] = time.perf_counter() - started - sum(timings.values())
    stylesheet = _stylesheet(checked.journal)
    images = [FigureImage(f.src, f.width_px, f.height_px) for f in figures]
    html = render_letter(
        checked.resolved,
        checked.journal,
        images,
        bibliography,
        "letter.css",
        out / ".cache" / "jinja",
    )
    timings["render"] = time.perf_counter() - started - sum(timings.values())
    staged_files = {out / f.src: f.file for f in figures}
    staged_files[out / "letter.css"] = stylesheet
    texts: dict[Path, bytes] = {}
    if SUBMISSION in formats:
        staged_files.update(_submission_files(figures, out))
        legends = plain_legends(checked.resolved, checked.journal)
        texts[out / "submission" / "legends.txt"] = legends.encode("utf-8")
    outputs = _write_outputs(checked, out, html, staged_files, pdf_writer, texts, warnings)
    timings["export"] = time.perf_counter() - started - sum(timings.values())
    seconds = time.perf_counter() - started
    return BuildResult(out, outputs, warnings, checked.resolved.body.words, seconds, timings)


def _submission_files(figures: Sequence[FigureFile], out: Path) -> dict[Path, Path]:
    """submission/figure-N.tiff, .jpg or .svg (as the journal asks), from the cache."""
    files: dict[Path, Path] = {}
    for figure in figures:
        source = figure.submission or figure.file
        suffix = {".tif": ".tiff"}.get(source.suffix, source.suffix)
        name = Path(figure.src).with_suffix(suffix).name
        files[out / "submission" / name] = source
    return files


def _stylesheet(journal: Journal) -> Path:
    for folder in journal.search_path:
        candidate = folder / journal.id / "style.css"
        if candidate.is_file():
            return candidate
    return journal.folder / "style.css"


def _write_outputs(
    checked: Checked,
    out: Path,
    html: str,
    staged_files: dict[Path, Path],
    pdf_writer: PdfWriter | None,
    texts: dict[Path, bytes],
    warnings: tuple[Diagnostic, ...],
) -> tuple[Path, ...]:
    """Make the PDF in a temporary file, then move every output into place."""
    outputs: list[Path] = []
    if out.is_dir():
        remove_stale_temporaries(out)
    pdf_dest = out / "letter.pdf"
    with staged(pdf_dest) as pdf_temp:
        if pdf_writer is not None:
            allowed = [checked.source.path.parent, checked.journal.folder]
            pdf_writer(html, out, pdf_temp, allowed=allowed, staged_files=staged_files)
        for dest, source in staged_files.items():
            copy_atomic(source, dest)
            outputs.append(dest)
        for dest, data in texts.items():
            write_bytes_atomic(dest, data)
            outputs.append(dest)
        write_bytes_atomic(out / "letter.html", html.encode("utf-8"))
        outputs.append(out / "letter.html")
        if pdf_writer is not None:
            pdf_temp.replace(pdf_dest)
            outputs.append(pdf_dest)
    _write_manifest(checked, out, outputs, warnings)
    return tuple(outputs)


def _write_manifest(
    checked: Checked, out: Path, outputs: list[Path], warnings: tuple[Diagnostic, ...]
) -> None:
    case_dir = checked.source.path.parent
    inputs = [checked.source.path]
    images = (case_dir / p.image for f in checked.case.figures for p in f.panels)
    inputs += list(dict.fromkeys(images))
    inputs += [case_dir / name for name in checked.case.bibliography_files]
    if lock_path(checked.source).is_file():
        inputs.append(lock_path(checked.source))
    manifest = {
        "case": str(case_dir),
        "journal": checked.journal.id,
        "style": checked.citations.style.label,
        "inputs": {str(p.relative_to(case_dir)): _sha256(p) for p in inputs},
        "outputs": sorted(str(p.relative_to(out)) for p in outputs),
        "words": checked.resolved.body.words,
        "references": len(checked.resolved.references),
        "figures": len(checked.resolved.figures),
        "tables": len(checked.resolved.tables),
        "warnings": [d.format() for d in warnings],
    }
    text = json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"
    write_bytes_atomic(out / "build.json", text.encode("utf-8"))


def _sha256(path: Path) -> str:
    from casereport.figures import file_digest

    return file_digest(path)

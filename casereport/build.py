"""The build: case folder → letter.html, letter.pdf, figures/ and build.json in the build folder.

Every output is made in a temporary file first; only when all of them succeeded are they
renamed into place, so a failed build leaves the previous outputs byte-for-byte untouched.
"""

from __future__ import annotations

import time
from collections.abc import Hashable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.cache import cache_root, prune
from casereport.checks import Checked, check_limits, check_placeholders
from casereport.errors import CaseError, Diagnostic, Problem, ProblemsFound, UsageError
from casereport.export.writers import DEFAULT, DEFAULT_PDF_VARIANT, Job, renders_pdf, writers
from casereport.journal import JournalNotFound, available_journals, load_journal, search_path
from casereport.load import Source, parse_case_bytes, read_case_bytes
from casereport.memo import Memo, digest
from casereport.positions import locate, positioned
from casereport.prose import Prose, parse_prose
from casereport.references.checks import check_references
from casereport.references.identifiers import cited_undefined, lock_identifiers, lock_path
from casereport.references.library import lock_library
from casereport.references.reflist import (
    CitationSetup,
    ReferenceList,
    choose_style,
    reference_inputs,
    reference_list,
    unprinted_locators,
)
from casereport.resolve import resolve
from casereport.retarget import for_journal, journal_folder, override_problems
from casereport.structure import check_structure, printed_texts
from casereport.timepoints import check_timepoints
from casereport.validate import validate_case, validation_key

if TYPE_CHECKING:
    from casereport.care import Checklist
    from casereport.export.writers import PdfWriter
    from casereport.figures.stage import Figures
    from casereport.journal import Journal
    from casereport.model import Case
    from casereport.numbered import Resolved

CASE_FILE = "case.yaml"


FORMATS = DEFAULT  # the writers a build runs unless told (`export.writers.WRITERS`)
SUBMISSION = "figures"  # the writer of submission-ready figure files and legends.txt
CARE = "care"  # the writer of the filled CARE checklist


@dataclass(frozen=True)
class BuildResult:
    """What a build wrote, and what it warned about."""

    out_dir: Path
    outputs: tuple[Path, ...]
    warnings: tuple[Diagnostic, ...]
    words: int
    seconds: float
    timings: dict[str, float] = field(default_factory=dict)
    pages: int | None = None
    references: int = 0
    figures: int = 0
    ran: tuple[str, ...] = ()

    @property
    def documents(self) -> tuple[Path, ...]:
        """The documents written (letter.html, letter.pdf, manuscript.json): the outputs at the
        top of the build folder but its stylesheet and build.json."""
        top = (p for p in self.outputs if p.parent == self.out_dir)
        return tuple(p for p in top if p.name not in ("letter.css", "build.json"))


def case_file(path: Path) -> Path:
    """The case file for `path`, which names a case folder or its `case.yaml`."""
    candidate = path / CASE_FILE if path.is_dir() else path
    if not candidate.is_file():
        raise UsageError(f"{path}: no {CASE_FILE} here (give a case folder or its {CASE_FILE})")
    return candidate


def load_case(
    path: Path, memo: Memo | None = None, *, cache_dir: Path | None = None
) -> tuple[Source, Case]:
    """Load and validate the case at `path`; raise CaseError with every problem found.
    Bibliography files converted earlier are read back from `cache_dir` when given."""
    source, case, _ = _load(path, memo or Memo(), cache_dir)
    return source, case


def _load(
    path: Path, memo: Memo, cache_dir: Path | None, journal: str | None = None
) -> tuple[Source, Case, Hashable]:
    """Source, Case, and the key of everything they were made from; built for `journal`
    (default: the case's own), with what the case writes for that journal in place."""
    file = case_file(path)
    raw = read_case_bytes(file)
    text_key = (str(file), digest(raw))
    source = memo.get("load", text_key, lambda: parse_case_bytes(file, raw))
    target = journal or source.data.get("journal")
    if isinstance(target, str):
        source = for_journal(source, target)
    key = (*text_key, target, validation_key(source))
    case = memo.get("validate", key, lambda: validate_case(source, cache_dir=cache_dir))
    return source, case, key


def check_case(
    path: Path,
    *,
    templates: Path | None = None,
    style: str | None = None,
    offline: bool = False,
    cache_dir: Path | None = None,
    memo: Memo | None = None,
    journal: str | None = None,
    libraries: tuple[Path, ...] = (),
) -> Checked:
    """Load, validate and resolve the case, and gather its warnings; write nothing but the
    lock file of references cited by DOI or PMID (`offline` forbids looking them up) and,
    given a `cache_dir`, the converted bibliography files. The stages below report problems
    by field path; here, where the case file is at hand, they get their lines."""
    memo = memo or Memo()
    source, case, key = _load(path, memo, cache_dir, journal)
    with positioned(source):
        profile = _journal(case, templates)
        citations = choose_style(source.path.parent, case, profile, style)
        lock, cited = lock_path(source.path.parent), cited_undefined(case)
        case = lock_identifiers(case, lock, offline=offline, cited=cited)
        case = lock_library(case, lock, libraries, cache_dir, cited=cited)
        shape = check_structure(case, profile)
        if any(p.severity == "error" for p in shape):
            raise ProblemsFound([p for p in shape if p.severity == "error"])
        inline = len(source.data.get("references") or ())
        resolved = _resolve(case, profile, inline, key, memo)
        warnings = [*shape, *_warnings(case, profile, resolved, citations)]
        if case.journals:
            warnings += override_problems(case, available_journals(profile.search_path))
    return Checked(source, case, profile, resolved, locate(source, warnings), citations)


def _journal(case: Case, templates: Path | None) -> Journal:
    try:
        return load_journal(case.journal, search_path(templates))
    except JournalNotFound as exc:
        raise ProblemsFound([Problem(("journal",), str(exc))]) from None


def _resolve(case: Case, journal: Journal, inline: int, key: Hashable, memo: Memo) -> Resolved:
    """The resolved case, kept in `memo` under the case's `key` and what the journal adds."""

    def parse(text: str, *, inline: bool = False) -> Prose:
        return memo.get("prose", (text, inline), lambda: parse_prose(text, inline=inline))

    rules = journal.article(case.article)
    texts = printed_texts(case, rules)
    legend_style = journal.figure_style.legend
    return memo.get(
        "resolve",
        (key, legend_style, journal.id, rules),
        lambda: resolve(case, legend_style, inline=inline, parse=parse, texts=texts),
    )


def _warnings(
    case: Case, journal: Journal, resolved: Resolved, citations: CitationSetup
) -> list[Problem]:
    """Every warning about the case, in the order they are printed."""
    return [
        *resolved.warnings,
        *check_references(resolved.references, case.references),
        *check_limits(resolved, journal),
        *check_timepoints(case),
        *unprinted_locators(resolved, citations),
        *check_placeholders(case),
    ]


def default_out_dir(path: Path, journal: str | None = None) -> Path:
    """`build/<case folder name>` under the current directory; for another journal
    (`--journal`), its folder inside."""
    out = Path("build") / case_file(path).resolve().parent.name
    return journal_folder(out, journal) if journal else out


def build_case(
    path: Path,
    out_dir: Path | None = None,
    *,
    formats: Sequence[str] = FORMATS,
    templates: Path | None = None,
    style: str | None = None,
    offline: bool = False,
    pdf_writer: PdfWriter | None = None,
    cache: Path | None = None,
) -> BuildResult:
    """Build the case at `path` into `out_dir`; nothing is replaced unless everything succeeds.

    A one-shot build: nothing is kept for a next one in this process (a `Session` keeps it).
    `style` (a CSL style name or file) overrides the case's and the journal's; `offline`
    forbids looking up references cited by DOI or PMID that are not in the lock file yet.
    `pdf_writer` is a PDF writer the caller started already (the CLI forks its `PdfWorker`
    before importing the pipeline); by default one is chosen here. `cache` is the build
    cache folder (default: the user's, see `casereport.cache`).
    """
    options = BuildOptions(
        formats=tuple(formats), templates=templates, style=style, offline=offline, cache=cache
    )
    return build_with(path, out_dir, options, pdf_writer=pdf_writer)


@dataclass(frozen=True)
class BuildOptions:
    """How to build: which outputs, which templates and style, whether lookups may happen,
    whether warnings are errors."""

    formats: tuple[str, ...] = FORMATS
    templates: Path | None = None
    style: str | None = None
    offline: bool = False
    strict: bool = False
    cache: Path | None = None  # the build cache; None: the user's (`cache.cache_root`)
    journal: str | None = None  # build for this journal (`--journal`), not the case's own
    libraries: tuple[Path, ...] = ()  # reference libraries outside the case (`--bibliography`)
    pdf_variant: str = DEFAULT_PDF_VARIANT  # the PDF's standard (`--pdf-variant`)
    embed: bool = False  # letter.html alone, with its stylesheet and figures inside (`--embed`)


def build_with(
    path: Path,
    out_dir: Path | None,
    options: BuildOptions,
    *,
    pdf_writer: PdfWriter | None = None,
) -> BuildResult:
    """`build_case` with its options in one value (as the command line and batches have)."""
    if pdf_writer is not None and renders_pdf(options.formats):
        return run_build(path, out_dir, options, pdf_writer, Memo())
    with _pdf_writer(options.formats) as writer:
        return run_build(path, out_dir, options, writer, Memo())


def strict_warnings(warnings: Sequence[Diagnostic]) -> None:
    """Under `--strict`, raise the warnings as errors (as `mkdocs build --strict` does)."""
    if warnings:
        raise CaseError(d.as_error() for d in warnings)


@contextmanager
def _pdf_writer(formats: Sequence[str]) -> Iterator[PdfWriter | None]:
    """The function that writes the PDF: in a worker started now, or in this process."""
    if not renders_pdf(formats):
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


def run_build(
    path: Path,
    out_dir: Path | None,
    options: BuildOptions,
    pdf_writer: PdfWriter | None,
    memo: Memo,
) -> BuildResult:
    """The build itself, for `build_case` and a `Session` alike: each stage's result is
    taken from `memo` when its inputs are unchanged."""
    from casereport.assemble import assemble
    from casereport.export.html import environment, render_letter
    from casereport.export.outputs import write_outputs
    from casereport.export.submission import submission_files
    from casereport.manifest import build_manifest
    from casereport.manuscript import Image

    started = time.perf_counter()
    timings: dict[str, float] = {}
    out = (out_dir or default_out_dir(path, options.journal)).resolve()
    cache = options.cache or cache_root()
    checked = check_case(
        path,
        templates=options.templates,
        style=options.style,
        offline=options.offline,
        cache_dir=cache / "sources",
        memo=memo,
        journal=options.journal,
        libraries=options.libraries,
    )
    timings["check"] = time.perf_counter() - started
    made = _figures(checked, cache, memo, SUBMISSION in options.formats)
    figures = made.files
    warnings = checked.warnings + made.warnings
    submission, oversize = (
        submission_files(figures, out, checked.journal.figure_style)
        if SUBMISSION in options.formats
        else ({}, [])
    )
    warnings += locate(checked.source, oversize)
    timings["figures"] = time.perf_counter() - started - sum(timings.values())
    bibliography = _bibliography(checked, cache / "bibliography", memo)
    timings["references"] = time.perf_counter() - started - sum(timings.values())
    stylesheet = checked.journal.stylesheet(cache / "css")
    images = [Image(f.src, f.width_px, f.height_px) for f in figures]
    style_name = checked.citations.style.label
    manuscript = assemble(checked.resolved, checked.journal, images, bibliography, style_name)
    memo.record("assemble")
    folders = tuple(str(p) for p in checked.journal.search_path)
    lineage = checked.journal.lineage
    env = memo.get("templates", folders, lambda: environment(folders, cache / "jinja"))

    def render() -> str:
        html = render_letter(
            manuscript, checked.journal.search_path, "letter.css", env=env, lineage=lineage
        )
        memo.record("render")
        return html

    timings["assemble"] = time.perf_counter() - started - sum(timings.values())
    page_files = {out / f.src: f.file for f in figures}
    page_files[out / "letter.css"] = stylesheet
    if options.strict:
        strict_warnings(warnings)
    job = Job(
        out,
        figures=page_files,
        submission=submission,
        allowed=(checked.source.path.parent, *checked.journal.folders),
        render=render,
        pdf=pdf_writer,
        care=_care(checked, options.formats),
        pdf_variant=options.pdf_variant,
        embed=options.embed and "html" in options.formats,
        journal=checked.journal,
        cache=cache,
        case_file=checked.source.path,
    )

    def manifest(written: list[Path]) -> bytes:
        return build_manifest(checked, out, written, warnings, manuscript.words, job)

    outputs, pages = write_outputs(manuscript, job, writers(options.formats), manifest)
    if pdf_writer is not None and renders_pdf(options.formats):
        memo.record("pdf")
    if {"figures", "chart", "bibliography"} & set(memo.ran):
        prune(cache)
    timings["export"] = time.perf_counter() - started - sum(timings.values())
    seconds = time.perf_counter() - started
    resolved = checked.resolved
    return BuildResult(
        out,
        outputs,
        warnings,
        manuscript.words,
        seconds,
        timings,
        pages,
        len(resolved.references),
        len(resolved.figures),
        tuple(memo.ran),
    )


def _figures(checked: Checked, cache: Path, memo: Memo, submission: bool) -> Figures:
    """The composed figures; the figures stage keeps what it may (see `make_figures`)."""
    from casereport.figures.stage import make_figures

    return make_figures(checked, cache, submission=submission, memo=memo)


def _care(checked: Checked, formats: Sequence[str]) -> Checklist | None:
    """The filled CARE checklist, when the build writes it (its writer reads no case)."""
    if CARE not in formats:
        return None
    from casereport.care import filled_checklist

    return filled_checklist(checked)


def _bibliography(checked: Checked, cache_dir: Path, memo: Memo) -> ReferenceList:
    """The formatted reference list, kept (in memory, and on disk for the next process)
    under the key of exactly what it is made from (`ReferenceInputs`)."""
    inputs = reference_inputs(checked.citations, checked.journal, checked.resolved)
    key = (inputs, str(cache_dir))
    return memo.get("bibliography", key, lambda: reference_list(inputs, cache_dir))

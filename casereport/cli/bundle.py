"""`casereport bundle`: the submission folder and zip for one journal, or every reason not."""

from __future__ import annotations

from pathlib import Path

import click

from casereport.cli.build import early_pdf_worker
from casereport.cli.options import (
    BIBLIOGRAPHY,
    CASE,
    JOURNAL,
    MAX_MEMORY,
    OFFLINE,
    STYLE,
    TEMPLATES,
    TIMEOUT,
    checked_journal,
    print_diagnostics,
    user_libraries,
)
from casereport.errors import UsageError
from casereport.limits import Ceilings, ceilings


@click.command()
@click.argument("case", type=CASE)
@JOURNAL
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="The build folder (default: build/<case>/<journal>); the bundle is its submission/ "
    "folder and the zip beside it.",
)
@click.option(
    "--allow-warnings",
    is_flag=True,
    help="Bundle even though `check --strict` finds warnings (errors still refuse it); they "
    "are printed and listed in MANIFEST.txt.",
)
@BIBLIOGRAPHY
@TEMPLATES
@STYLE
@OFFLINE
@TIMEOUT
@MAX_MEMORY
def bundle(
    case: Path,
    journal: str | None,
    out: Path | None,
    allow_warnings: bool,
    bibliography: tuple[Path, ...],
    templates: Path | None,
    style: str | None,
    offline: bool,
    timeout: float,
    max_memory: int,
) -> None:
    """Write CASE's submission bundle for a journal: manuscript.docx and .pdf, the figure
    files, legends, CARE checklist, cover letter, consent statement and MANIFEST.txt, in a
    folder and a zip. Refused (exit 1, nothing written) while `check --strict` finds anything."""
    if journal == "all":
        raise UsageError("--journal all: a bundle goes to one journal; name it (--journal ID)")
    checked_journal(journal, templates)
    libraries = user_libraries(bibliography)
    with ceilings(Ceilings(timeout, max_memory)), early_pdf_worker(enabled=True) as worker:
        from casereport.bundle import BundleOptions, bundle_case

        writer = worker.write_pdf if worker is not None else None
        options = BundleOptions(
            journal, out, allow_warnings, templates, style, offline, libraries=libraries
        )
        result = bundle_case(case, options, pdf_writer=writer)
    print_diagnostics(result.warnings)
    click.echo(
        f"bundled {result.folder}/ ({len(result.files)} files) and {result.archive} "
        f"in {result.seconds:.2f} s"
    )

"""Options and printing shared by the commands."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import click

from casereport.errors import Diagnostic
from casereport.limits import DEFAULT_MEMORY_MIB, DEFAULT_TIMEOUT_S

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


def print_diagnostics(diagnostics: Iterable[Diagnostic]) -> None:
    for d in diagnostics:
        click.echo(d.format(), err=True)


OUT = click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path, file_okay=False),
    help="Output folder (default: build/<case folder name>; for a folder of cases, "
    "build/ with one folder per case).",
)


JOURNAL = click.option(
    "--journal",
    metavar="ID",
    help="Build for this journal profile instead of the case's own (see `casereport "
    "journals`), into build/<case>/<ID>/; the case's `journals: {ID: ...}` fields apply.",
)


def checked_journal(journal: str | None, templates: Path | None, *, all_: bool = False) -> None:
    """A usage error (exit 2) for a `--journal` that names no profile."""
    if journal is None or (all_ and journal == "all"):
        return
    from casereport.errors import UsageError
    from casereport.journal import JournalNotFound, load_journal, search_path

    try:
        load_journal(journal, search_path(templates))
    except JournalNotFound as exc:
        raise UsageError(f"--journal: {exc}") from None


BIBLIOGRAPHY = click.option(
    "--bibliography",
    "bibliography",
    multiple=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="PATH",
    help="A reference library outside the case folder (your Zotero .bib or CSL-JSON export; "
    "repeatable): keys the case cites and does not define are copied from it into "
    "references.lock.json. Also read from bibliographies: in ~/.config/casereport/config.yaml.",
)


def user_libraries(given: tuple[Path, ...]) -> tuple[Path, ...]:
    """`--bibliography` paths and the configuration file's `bibliographies:`."""
    from casereport.config import libraries

    return libraries(given)

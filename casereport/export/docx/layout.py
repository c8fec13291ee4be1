"""The order of the Word manuscript: what each journal template prints, front to back.

A letter (clin-exp-rheumatol/letter.html.j2) and a case report, case series or clinical
image (care/case-report.html.j2 and those extending it) have different orders; the
parts they share are made by the same functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from casereport.cache import cache_root
from casereport.export.docx.floats import FigureFiles, add_figure, add_figure_legend, add_table
from casereport.export.docx.package import (
    docx_bytes,
    drop_unused_parts,
    set_properties,
)
from casereport.export.docx.page import BIBLIOGRAPHY, set_up, table_size
from casereport.export.docx.prose import (
    BOLD_LOOK,
    ITALIC_LOOK,
    Look,
    add_blocks,
    add_run,
    heading_in,
    paragraph_in,
)
from casereport.export.placement import gather_floats
from casereport.journal import ManuscriptStyle
from casereport.manuscript import Figure, Float, Manuscript, Section, Table

if TYPE_CHECKING:
    from datetime import datetime

    from docx.document import Document
    from docx.text.paragraph import Paragraph as WordParagraph

    from casereport.export.writers import Job

SUPER = Look(superscript=True)


@dataclass(frozen=True)
class Context:
    """What the layout reads besides the manuscript."""

    style: ManuscriptStyle
    files: FigureFiles

    @property
    def embedded(self) -> bool:
        """Whether figures go in the text (else only their legends, at the end)."""
        return self.style.figures == "embedded"


def compose(manuscript: Manuscript, job: Job, date: datetime) -> bytes:
    """The .docx file's bytes, dated `date`."""
    from docx import Document as new_document

    journal = job.journal
    style = journal.manuscript if journal is not None else ManuscriptStyle()
    widths = journal.figure_width_mm if journal is not None else {}
    files = {str(path.relative_to(job.out)): file for path, file in job.figures.items()}
    cache = job.cache or cache_root()  # never the build folder (see casereport.cache)
    context = Context(style, FigureFiles(files, widths, cache))
    document = new_document()
    set_up(document, style)
    if manuscript.article == "letter":
        _letter(document, manuscript, context)
    else:
        _case_report(document, manuscript, context)
    if not context.embedded and manuscript.figures:
        heading_in(document, "Figure legends", 1)
        for figure in manuscript.figures:
            add_figure_legend(document, figure)
    set_properties(document, manuscript, date)
    drop_unused_parts(document)
    return docx_bytes(document)


# A letter -----------------------------------------------------------------------------------


def _letter(document: Document, manuscript: Manuscript, context: Context) -> None:
    """A letter as clin-exp-rheumatol/letter.html.j2 prints it: the section's name and the
    title, a full-width Figure 1, the salutation and the text, the other figures and the
    tables, the signature, correspondence, declarations and references."""
    add_run(paragraph_in(document), "Letters to the Editor")
    heading_in(document, manuscript.title, 0)
    figures = manuscript.figures if context.embedded else ()
    lead = figures[:1] if figures and figures[0].width == "full" else ()
    for figure in lead:
        add_figure(document, figure, context.files)
    if manuscript.salutation:
        add_run(paragraph_in(document), manuscript.salutation)
    for section in manuscript.sections:
        _section_text(document, section)
    _letter_floats(document, figures[len(lead) :], manuscript.tables, context)
    _signature(document, manuscript)
    _letter_correspondence(document, manuscript)
    for declaration in manuscript.declarations:
        paragraph = paragraph_in(document)
        add_run(paragraph, f"{declaration.title}:", ITALIC_LOOK)
        add_run(paragraph, f" {declaration.text}")
    _references(document, manuscript)


def _section_text(document: Document, section: Section) -> None:
    """A section's text without headings or floats (a letter's body)."""
    add_blocks(document, section.blocks)
    for sub in section.sections:
        _section_text(document, sub)


def _letter_floats(
    document: Document, figures: Sequence[Figure], tables: Sequence[Table], context: Context
) -> None:
    """As the letter template prints them: the figures then the tables before the first
    wide one of their kind, then the rest of the figures, then the rest of the tables."""
    narrow_figures = _before_wide(figures, [f.width == "full" for f in figures])
    narrow_tables = _before_wide(tables, [t.wide for t in tables])
    for figure in narrow_figures:
        add_figure(document, figure, context.files)
    for table in narrow_tables:
        add_table(document, table, table_size(context.style))
    for figure in figures[len(narrow_figures) :]:
        add_figure(document, figure, context.files)
    for table in tables[len(narrow_tables) :]:
        add_table(document, table, table_size(context.style))


T = TypeVar("T")


def _before_wide(items: Sequence[T], wide: list[bool]) -> Sequence[T]:
    """The items before the first wide one (`export.html.before_wide`)."""
    return items[: wide.index(True)] if True in wide else items


def _signature(document: Document, manuscript: Manuscript) -> None:
    """The authors' names in capitals with their affiliation numbers and degrees, then the
    affiliations, each a paragraph."""
    marks = len(manuscript.affiliations) > 1
    for author in manuscript.authors:
        paragraph = paragraph_in(document)
        add_run(paragraph, author.name.upper())
        for mark in author.affiliations if marks else ():
            add_run(paragraph, str(mark), SUPER)
        if author.degrees:
            add_run(paragraph, ", " + ", ".join(author.degrees))
    for number, affiliation in enumerate(manuscript.affiliations, start=1):
        paragraph = paragraph_in(document)
        if marks:
            add_run(paragraph, str(number), SUPER)
        add_run(paragraph, affiliation if affiliation.endswith(".") else affiliation + ".")


def _letter_correspondence(document: Document, manuscript: Manuscript) -> None:
    """Where to write, one line each (line breaks in one paragraph)."""
    found = manuscript.correspondence
    if found is None:
        return
    paragraph = paragraph_in(document)
    add_run(paragraph, "Please address correspondence to:")
    last = len(found.address) - 1
    lines = [
        found.name,
        *(f"{line}{'.' if i == last else ','}" for i, line in enumerate(found.address)),
    ]
    for line in [*lines, f"E-mail: {found.email}"]:
        paragraph.add_run().add_break()
        add_run(paragraph, line)


# A case report ------------------------------------------------------------------------------

KINDS = {"case-series": "Case series", "clinical-image": "Clinical image"}


def _case_report(document: Document, manuscript: Manuscript, context: Context) -> None:
    """A case report (and case series, clinical image) as care/case-report.html.j2 prints
    it: the kind, running title, title and byline; the abstract and keywords; the sections
    (a clinical image: its figures, then the text); the declarations; the references."""
    add_run(paragraph_in(document), KINDS.get(manuscript.article, "Case report"))
    if manuscript.running_title:
        add_run(paragraph_in(document), f"Running title: {manuscript.running_title}")
    heading_in(document, manuscript.title, 0)
    _byline(document, manuscript)
    _abstract(document, manuscript, context.style)
    if manuscript.article == "clinical-image":
        for figure in manuscript.figures if context.embedded else ():
            add_figure(document, figure, context.files)
        for section in manuscript.sections:
            _section_text(document, section)
    else:
        for section in manuscript.sections:
            _section(document, manuscript, section, 1, context)
    if manuscript.declarations:
        heading_in(document, "Declarations", 1)
        for declaration in manuscript.declarations:
            heading_in(document, declaration.title, 2)
            add_run(paragraph_in(document), declaration.text)
    _references(document, manuscript)


def _byline(document: Document, manuscript: Manuscript) -> None:
    """The authors (degrees, affiliation numbers, the corresponding author's asterisk,
    ORCID), the affiliations and where to write."""
    marks = len(manuscript.affiliations) > 1
    paragraph = paragraph_in(document)
    for index, author in enumerate(manuscript.authors):
        degrees = f", {', '.join(author.degrees)}" if author.degrees else ""
        add_run(paragraph, ("" if index == 0 else ", ") + author.name + degrees)
        if marks:
            add_run(paragraph, ",".join(map(str, author.affiliations)), SUPER)
        if author.corresponding:
            add_run(paragraph, "*", SUPER)
        if author.orcid:
            add_run(paragraph, f" (ORCID {author.orcid})")
    for number, affiliation in enumerate(manuscript.affiliations, start=1):
        paragraph = paragraph_in(document)
        if marks:
            add_run(paragraph, str(number), SUPER)
            add_run(paragraph, " ")
        add_run(paragraph, affiliation)
    found = manuscript.correspondence
    if found is not None:
        paragraph = paragraph_in(document)
        add_run(paragraph, "*", SUPER)
        address = ", ".join(found.address)
        add_run(paragraph, f"Correspondence: {found.name}, {address}. E-mail: {found.email}")


def _abstract(document: Document, manuscript: Manuscript, style: ManuscriptStyle) -> None:
    """The abstract under the journal's heading, a structured one's parts with run-in bold
    headings (as BMC's and most journals' Word templates set them); the keywords."""
    if manuscript.abstract is not None:
        heading_in(document, style.abstract_heading, 1)
        for part in manuscript.abstract.parts:
            paragraphs = add_blocks(document, part.blocks)
            if part.heading and paragraphs:
                _run_in(paragraphs[0], f"{part.heading}: ")
    if manuscript.keywords:
        paragraph = paragraph_in(document)
        add_run(paragraph, "Keywords:", BOLD_LOOK)
        add_run(paragraph, " " + "; ".join(manuscript.keywords))


def _run_in(paragraph: WordParagraph, heading: str) -> None:
    """`heading` in bold at the start of `paragraph`."""
    first = paragraph.runs[0]._r if paragraph.runs else None
    add_run(paragraph, heading, BOLD_LOOK)
    if first is not None:
        first.addprevious(paragraph.runs[-1]._r)


def _section(
    document: Document, manuscript: Manuscript, section: Section, level: int, context: Context
) -> None:
    """A section under its heading, each figure and table after the paragraph that first
    mentions it (as the HTML places them), then its sub-sections one level down."""
    if section.heading:
        heading_in(document, section.heading, min(level, 2))
    figures = {f.number: f for f in manuscript.figures}
    tables = {t.number: t for t in manuscript.tables}
    for block in gather_floats(section.blocks):
        if not isinstance(block, Float):
            add_blocks(document, [block])
        elif block.target == "table":
            add_table(document, tables[block.number], table_size(context.style))
        elif context.embedded:
            add_figure(document, figures[block.number], context.files)
    for sub in section.sections:
        _section(document, manuscript, sub, level + 1, context)


def _references(document: Document, manuscript: Manuscript) -> None:
    """The reference list in the Bibliography style: each entry after its label as the
    style prints it ("1.", "[1]"), an unnumbered list without one."""
    references = manuscript.references
    if not references.entries:
        return
    heading_in(document, "References", 1)
    for entry in references.entries:
        paragraph = paragraph_in(document, BIBLIOGRAPHY)
        label = entry.label or (f"{entry.number}." if references.numbered else None)
        if label:
            add_run(paragraph, f"{label}\t")
        add_run(paragraph, entry.text)

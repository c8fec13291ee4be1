"""The HTML writer: a Manuscript → the letter's HTML, through the journal's Jinja template.

Pure: no file is written here. Autoescape and StrictUndefined are on; prose arrives as
Markup printed from the manuscript's tree (`html_prose`) and is never compiled as a template.
"""

from __future__ import annotations

import contextlib
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import jinja2
from markupsafe import Markup

from casereport.errors import BuildError
from casereport.export.html_links import (
    Citations,
    citations_in,
    inline_citations,
    link_doi,
    mailto,
)
from casereport.export.html_prose import blocks_html, inlines_html
from casereport.export.placement import gather_floats
from casereport.manuscript import (
    Abstract,
    Block,
    Figure,
    Float,
    Image,
    Manuscript,
    Reference,
    References,
    Section,
    Table,
)

if TYPE_CHECKING:
    from casereport.export.files import Outputs
    from casereport.export.writers import Job

BUILTIN_PREFIX = "!builtin"


@dataclass(frozen=True)
class FigureView:
    """A figure as the template prints it: the manuscript's, with its legend as HTML."""

    number: int
    image: Image
    title: str
    legend: Markup
    width: str
    label: str
    caption: str
    alt: str


@dataclass(frozen=True)
class ReferenceView:
    """An entry of the reference list as the template prints it: the manuscript's, its
    `html` with the DOI linked, and `backlinks` to each citation of it (for the screen)."""

    id: str
    number: int
    html: Markup
    text: str
    label: str | None
    item: dict[str, Any]
    backlinks: Markup


@dataclass(frozen=True)
class ReferencesView:
    """The reference list as the template prints it (the manuscript's `References`)."""

    style: str
    numbered: bool
    entries: tuple[ReferenceView, ...]


@dataclass(frozen=True)
class Part:
    """A run of a section's text as HTML, or the figure or table placed after it."""

    kind: Literal["html", "figure", "table"]
    html: Markup = field(default_factory=Markup)
    figure: FigureView | None = None
    table: Table | None = None
    number: int = 0  # of the figure or table, before it is put in place


@dataclass(frozen=True)
class SectionView:
    """A section of the text: its blocks as HTML (`html`, without the figures and tables),
    or as `parts` with them placed where first mentioned; its sub-sections likewise."""

    name: str
    heading: str | None
    html: Markup
    parts: tuple[Part, ...]
    sections: tuple[SectionView, ...]


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates on disk when the disk allows: a cache folder deleted while
    `serve` runs is made again, and one that cannot be read or written is skipped."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().load_bytecode(bucket)

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)


SHORT_TABLE_LINES = 40  # of a 7.5 pt table in one column of A4 in two: at most about 600 px
COLUMN_CHARACTERS = 60  # characters of a line across one column of a two-column page


def is_short_table(table: Table) -> bool:
    """Whether `table` fits in one column of a two-column page, by a pessimistic count of
    its lines (each cell gets an equal share of a column's line): a template marks it
    `short`, and the style keeps it whole. A longer table may break between rows, as one
    longer than a column must (WeasyPrint 70, asked to keep a table longer than a column
    whole, loses pages of text)."""
    per_cell = max(1, COLUMN_CHARACTERS // max(1, len(table.header)))
    lines = sum(max(-(-len(cell.text) // per_cell) for cell in row) for row in table.rows)
    return lines <= SHORT_TABLE_LINES


def is_wide(item: FigureView | Table) -> bool:
    """A figure or table as wide as the page: in two columns it spans both."""
    return item.width == "full" if isinstance(item, FigureView) else item.wide


def before_wide(items: Sequence[FigureView | Table]) -> list[FigureView | Table]:
    """The figures (or tables), in number order, before the first wide one: a two-column
    template prints these in the columns, the rest (`from_wide`) after them in order."""
    wide = [i for i, item in enumerate(items) if is_wide(item)]
    return list(items[: wide[0] if wide else len(items)])


def from_wide(items: Sequence[FigureView | Table]) -> list[FigureView | Table]:
    """The figures (or tables) from the first wide one on, in number order."""
    return list(items[len(before_wide(items)) :])


@lru_cache(maxsize=8)
def environment(search_path: tuple[str, ...], cache_dir: Path | None = None) -> jinja2.Environment:
    """One Jinja environment per template search path, kept for the life of the process;
    compiled templates are also kept in `cache_dir` for the next process."""
    bytecode_cache = None if cache_dir is None else _BytecodeCache(str(cache_dir))
    loader = jinja2.ChoiceLoader(
        [
            jinja2.FileSystemLoader(list(search_path)),
            jinja2.PrefixLoader({BUILTIN_PREFIX: jinja2.FileSystemLoader(search_path[-1])}),
        ]
    )
    env = jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
        bytecode_cache=bytecode_cache,
    )
    env.tests["short"] = is_short_table  # {% if table is short %}
    env.filters["before_wide"] = before_wide  # {% for table in tables | before_wide %}
    env.filters["from_wide"] = from_wide
    env.filters["mailto"] = mailto  # <a href="{{ correspondence.email | mailto }}">
    return env


def render_letter(
    manuscript: Manuscript,
    search_path: Sequence[Path],
    stylesheet: str,
    cache_dir: Path | None = None,
    *,
    env: jinja2.Environment | None = None,
    lineage: Sequence[str] = (),
) -> str:
    """The letter as a complete HTML document, through the journal's template found along
    `search_path`: `<journal>/<article>.html.j2`, else that of the nearest profile it
    extends (`lineage`: the journal, then its parents); `env`: an `environment()` kept by
    the caller."""
    env = env or environment(tuple(str(p) for p in search_path), cache_dir)
    names = [f"{j}/{manuscript.article}.html.j2" for j in lineage or (manuscript.journal,)]
    name = names[0]
    try:
        return env.select_template(names).render(template_context(manuscript, stylesheet))
    except jinja2.TemplateSyntaxError as exc:
        message = f"template error: {exc.message}"
        raise BuildError(message, file=exc.filename or name, line=exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        folders = ", ".join(map(str, search_path))
        tried = getattr(exc, "templates", None) or [exc.name]
        missing = " or ".join(repr(str(n)) for n in tried)
        raise BuildError(f"template {missing} not found in {folders}") from None
    except (MemoryError, RecursionError):
        raise
    except Exception as exc:  # a runtime error in the template: name its file and line
        file, line = _template_line(exc)
        detail = exc.message if isinstance(exc, jinja2.TemplateError) else exc
        message = f"template error: {type(exc).__name__}: {detail}"
        raise BuildError(message, file=file or name, line=line) from None


def _template_line(exc: BaseException) -> tuple[str | None, int | None]:
    """The template file and line where `exc` was raised: Jinja rewrites the traceback so
    that a template's frames carry its file name and line."""
    frames = traceback.extract_tb(exc.__traceback__)
    for frame in reversed(frames):
        if frame.filename.endswith((".j2", ".html", ".jinja")):
            return frame.filename, frame.lineno
    return None, None


def template_context(manuscript: Manuscript, stylesheet: str) -> dict[str, Any]:
    """What a journal template sees: the manuscript, and its parts ready to print (prose
    and legends as HTML, citations linked to the references and back). Documented in the
    README (Journal profiles and templates)."""
    citations = Citations(manuscript.references.numbered)
    abstract = _abstract(manuscript.abstract, citations)
    sections = [_section(s, citations) for s in manuscript.sections]
    figures = [_figure(f, citations) for f in manuscript.figures]
    floats = {
        **{("figure", f.number): Part("figure", figure=f) for f in figures},
        **{("table", t.number): Part("table", table=t) for t in manuscript.tables},
    }
    sections = [_placed(view, floats) for view in sections]
    return {
        "manuscript": manuscript,
        "title": manuscript.title,
        "stylesheet": stylesheet,
        "salutation": manuscript.salutation,
        "sections": sections,
        "abstract": abstract,
        "keywords": manuscript.keywords,
        "running_title": manuscript.running_title,
        "body": Markup("").join(view.html for view in sections),
        "figures": figures,
        "tables": manuscript.tables,
        "authors": manuscript.authors,
        "affiliations": manuscript.affiliations,
        "correspondence": manuscript.correspondence,
        "declarations": manuscript.declarations,
        "references": _references(manuscript.references, citations),
    }


def _figure(figure: Figure, citations: Citations) -> FigureView:
    first = citations.reserve(inline_citations(figure.legend))
    legend = inlines_html(figure.legend, citations.printer(first))
    return FigureView(
        figure.number,
        figure.image,
        figure.title,
        legend,
        figure.width,
        figure.label,
        figure.caption,
        figure.alt,
    )


def _references(references: References, citations: Citations) -> ReferencesView:
    entries = tuple(_reference(entry, citations) for entry in references.entries)
    return ReferencesView(references.style, references.numbered, entries)


def _reference(entry: Reference, citations: Citations) -> ReferenceView:
    doi = entry.item.get("DOI")
    html = Markup(link_doi(entry.html, doi if isinstance(doi, str) else None))
    links = citations.backlinks(entry.number)
    return ReferenceView(entry.id, entry.number, html, entry.text, entry.label, entry.item, links)


def write(manuscript: Manuscript, job: Job, outputs: Outputs) -> None:
    """letter.html, with the stylesheet and figure files it links; with `job.embed`,
    letter.html alone, holding them (`export.embed`)."""
    if job.embed:
        from casereport.export.embed import embedded

        page = embedded(job.html, job.out, job.figures)
        outputs.write(job.out / "letter.html", page.encode("utf-8"))
        return
    for dest, source in job.figures.items():
        outputs.copy(source, dest)
    outputs.write(job.out / "letter.html", job.html.encode("utf-8"))


def _section(section: Section, citations: Citations) -> SectionView:
    """A section's text with its citations numbered; its figures and tables are put in
    place by `_placed` once they are printed (their legends' citations come after the
    text's)."""
    first = citations.reserve(citations_in(section.blocks))
    html = blocks_html(section.blocks, citations.printer(first))
    parts: list[Part] = []
    run: list[Block] = []
    for block in [*gather_floats(section.blocks), None]:
        if isinstance(block, Float):
            parts += [Part("html", blocks_html(run, citations.printer(first)))] if run else []
            first += len(citations_in(run))
            parts.append(Part(block.target, number=block.number))
            run = []
        elif block is None:
            parts += [Part("html", blocks_html(run, citations.printer(first)))] if run else []
        else:
            run.append(block)
    subsections = tuple(_section(s, citations) for s in section.sections)
    return SectionView(section.name, section.heading, html, tuple(parts), subsections)


def _placed(view: SectionView, floats: dict[tuple[str, int], Part]) -> SectionView:
    """The section with its figures and tables in place of the marks `_section` left."""
    parts = tuple(floats[(p.kind, p.number)] if p.kind != "html" else p for p in view.parts)
    subsections = tuple(_placed(s, floats) for s in view.sections)
    return SectionView(view.name, view.heading, view.html, parts, subsections)


def _abstract(
    abstract: Abstract | None, citations: Citations
) -> list[tuple[str | None, Markup]] | None:
    """The abstract's parts as (heading, HTML)."""
    if abstract is None:
        return None
    printer = citations.printer
    return [
        (
            part.heading,
            blocks_html(part.blocks, printer(citations.reserve(citations_in(part.blocks)))),
        )
        for part in abstract.parts
    ]

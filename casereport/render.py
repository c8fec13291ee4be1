"""Render: a resolved case → the letter's HTML, through the journal's Jinja template.

Pure: no file is written here. Autoescape and StrictUndefined are on; prose arrives as
already-rendered Markup and is never compiled as a template.
"""

from __future__ import annotations

import contextlib
import re
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from casereport.clinical.tables import table_views
from casereport.errors import BuildError
from casereport.journal import Journal
from casereport.model import Author
from casereport.numbered import Resolved
from casereport.prose import CitationStyle, render_prose
from casereport.references.citations import compress
from casereport.references.reflist import ReferenceList

BUILTIN_PREFIX = "!builtin"


@dataclass(frozen=True)
class FigureImage:
    """A composed figure file, as the HTML links it (relative to the letter)."""

    src: str
    width_px: int
    height_px: int


@dataclass(frozen=True)
class FigureView:
    """What the template needs to print one figure."""

    number: int
    image: FigureImage
    title: str
    legend: Markup
    width: str


@dataclass(frozen=True)
class AuthorView:
    """An author as signed: name in capitals, degrees, affiliation marks."""

    name: str
    degrees: tuple[str, ...]
    marks: tuple[int, ...]


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
    return jinja2.Environment(
        loader=loader,
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=True,
        bytecode_cache=bytecode_cache,
    )


def render_letter(
    resolved: Resolved,
    journal: Journal,
    images: Sequence[FigureImage],
    bibliography: ReferenceList,
    stylesheet: str,
    cache_dir: Path | None = None,
    *,
    env: jinja2.Environment | None = None,
) -> str:
    """The letter as a complete HTML document (`env`: an `environment()` kept by the caller)."""
    env = env or environment(tuple(str(p) for p in journal.search_path), cache_dir)
    name = f"{journal.id}/{resolved.case.article}.html.j2"
    context = _context(resolved, journal, images, bibliography, stylesheet)
    try:
        return env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        message = f"template error: {exc.message}"
        raise BuildError(message, file=exc.filename or name, line=exc.lineno) from None
    except jinja2.TemplateNotFound as exc:
        folders = ", ".join(map(str, journal.search_path))
        raise BuildError(f"template {exc.name!r} not found in {folders}") from None
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


def _context(
    resolved: Resolved,
    journal: Journal,
    images: Sequence[FigureImage],
    bibliography: ReferenceList,
    stylesheet: str,
) -> dict[str, Any]:
    case = resolved.case
    affiliations = _affiliation_order(case.authors)
    style = bibliography.in_text
    cite = _citer(style)
    cited = bibliography.cited
    figures = [
        FigureView(
            f.number,
            image,
            f.figure.title,
            render_prose(f.legend, resolved.numbers, style, cite, cited),
            f.figure.width,
        )
        for f, image in zip(resolved.figures, images, strict=True)
    ]
    return {
        "case": case,
        "journal": journal,
        "stylesheet": stylesheet,
        "salutation": journal.salutation,
        "body": render_prose(resolved.body, resolved.numbers, style, cite, cited),
        "figures": figures,
        "tables": table_views(resolved.tables, case, style),
        "authors": [_author_view(a, affiliations) for a in case.authors],
        "affiliations": [case.affiliations[a] for a in affiliations],
        "references": [Markup(entry) for entry in bibliography.entries],
        "reference_labels": bibliography.labels,
        "references_numbered": bibliography.numbered,
        "numbers": resolved.numbers,
    }


def plain_legends(resolved: Resolved, journal: Journal) -> str:
    """Every figure's legend as plain text, title first, for a submission's legends.txt."""
    cite = _citer(journal.citations)
    paragraphs = []
    for f in resolved.figures:
        legend = render_prose(f.legend, resolved.numbers, journal.citations, cite)
        label = journal.citations.figure.format(numbers=f.number)
        text = f"{label}. {f.figure.title} {_plain(legend)}".strip()
        paragraphs.append(re.sub(r"[ \t\r\n]+", " ", text))  # no-break spaces stay
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""


def _plain(html: str) -> str:
    """Text of a fragment of rendered prose: tags dropped, entities decoded."""
    import html as entities

    return entities.unescape(re.sub(r"<[^>]+>", "", html))


def _citer(style: CitationStyle) -> Callable[[Sequence[int]], str]:
    def cite(numbers: Sequence[int]) -> str:
        return compress(
            numbers, range_sep=style.range_sep, list_sep=style.list_sep, min_run=style.min_run
        )

    return cite


def _affiliation_order(authors: Sequence[Author]) -> list[str]:
    return list(dict.fromkeys(a for author in authors for a in author.affiliations))


def _author_view(author: Author, order: Sequence[str]) -> AuthorView:
    marks = tuple(order.index(a) + 1 for a in author.affiliations) if len(order) > 1 else ()
    return AuthorView(author.name.upper(), author.degrees, marks)

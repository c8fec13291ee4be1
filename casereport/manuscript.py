"""The Manuscript: the assembled article, format-neutral, that every writer takes.

`assemble` makes it from the numbered case, the formatted reference list and the composed
figures; the HTML, PDF, figure-file and JSON writers (`export.WRITERS`) read nothing else.
Prose is a small typed tree — blocks (paragraphs, lists) of inlines (text, emphasis, super-
and subscript, code, line breaks, citations with their numbers, cross-references) — so a
writer never sees Markdown, and `casereport build CASE --to json` writes the whole value as
`manuscript.json` (its JSON Schema: `casereport/schemas/manuscript.schema.json`).

Text fields are plain text. The fields named `html` are fragments the citation processor
formatted (checked safe by `references.csl_html`); a writer for another format reads their
`text` twin. A leaf: this module imports nothing else of casereport.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

SCHEMA_VERSION = 1

# Inlines ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Text:
    """Characters as the author wrote them (entities and escapes already decoded)."""

    text: str
    type: Literal["text"] = "text"


@dataclass(frozen=True)
class Code:
    """Inline code, printed in a fixed-width face."""

    text: str
    type: Literal["code"] = "code"


@dataclass(frozen=True)
class Break:
    """A line break in the source: `hard` ones (two spaces or a backslash) print as one."""

    hard: bool = False
    type: Literal["break"] = "break"


@dataclass(frozen=True)
class Emphasis:
    """`*emphasis*`, printed in italics."""

    children: tuple[Inline, ...]
    type: Literal["emphasis"] = "emphasis"


@dataclass(frozen=True)
class Strong:
    """`**strong**`, printed in bold."""

    children: tuple[Inline, ...]
    type: Literal["strong"] = "strong"


@dataclass(frozen=True)
class Superscript:
    """`^superscript^`."""

    children: tuple[Inline, ...]
    type: Literal["superscript"] = "superscript"


@dataclass(frozen=True)
class Subscript:
    """`~subscript~`."""

    children: tuple[Inline, ...]
    type: Literal["subscript"] = "subscript"


@dataclass(frozen=True)
class Citation:
    """A citation of references, as the style prints it: `text` (plain) and `html`.

    `keys` and `numbers` are the cited references in the order written and their numbers in
    the reference list (in a style that does not number them, their places in the list).
    `superscript`: the style prints it raised, right after the word it follows."""

    keys: tuple[str, ...]
    numbers: tuple[int, ...]
    text: str
    html: str
    superscript: bool = False
    type: Literal["citation"] = "citation"


@dataclass(frozen=True)
class CrossReference:
    """A mention of figures or tables ("Fig. 1", "Tables I, II"), with their numbers."""

    target: Literal["figure", "table"]
    ids: tuple[str, ...]
    numbers: tuple[int, ...]
    text: str
    type: Literal["crossref"] = "crossref"


Inline = (
    Text | Code | Break | Emphasis | Strong | Superscript | Subscript | Citation | CrossReference
)

# Blocks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of inlines."""

    children: tuple[Inline, ...]
    type: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class ListItem:
    """One item of a list: its blocks (a tight list's paragraphs print without spacing)."""

    blocks: tuple[Block, ...]
    type: Literal["item"] = "item"


@dataclass(frozen=True)
class ListBlock:
    """A bulleted or numbered list (`start`: the first number, when not 1)."""

    ordered: bool
    items: tuple[ListItem, ...]
    tight: bool = True
    start: int | None = None
    type: Literal["list"] = "list"


@dataclass(frozen=True)
class Float:
    """Where a figure or table is placed: after the paragraph that first mentions it (a
    letter's template prints them after the text instead)."""

    target: Literal["figure", "table"]
    id: str
    number: int
    type: Literal["float"] = "float"


Block = Paragraph | ListBlock | Float


@dataclass(frozen=True)
class Section:
    """A part of the text, with its sub-sections: a letter has one, without a heading (`name`
    "body"); a case report's have the journal's headings. `words`: its own text's."""

    name: str
    heading: str | None
    blocks: tuple[Block, ...]
    words: int
    sections: tuple[Section, ...] = ()


@dataclass(frozen=True)
class AbstractPart:
    """One part of a structured abstract (`heading` None for a plain abstract)."""

    heading: str | None
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class Abstract:
    """The abstract, plain (one part without a heading) or structured; its word count."""

    parts: tuple[AbstractPart, ...]
    words: int


# Front and back matter ----------------------------------------------------------------------


@dataclass(frozen=True)
class Author:
    """An author as given, with the numbers of their affiliations (1-based, in the order
    the affiliations are listed)."""

    name: str
    degrees: tuple[str, ...] = ()
    affiliations: tuple[int, ...] = ()
    corresponding: bool = False
    email: str | None = None
    orcid: str | None = None


@dataclass(frozen=True)
class Correspondence:
    """Where to address correspondence."""

    name: str
    address: tuple[str, ...]
    email: str


@dataclass(frozen=True)
class Declaration:
    """A statement printed after the text: `kind` (funding, competing-interests, consent),
    the journal's `title` for it and the sentence(s) as printed."""

    kind: str
    title: str
    text: str


# Figures, tables and references -------------------------------------------------------------


@dataclass(frozen=True)
class Image:
    """A composed figure file, as the HTML links it (relative to the build folder)."""

    src: str
    width_px: int
    height_px: int


@dataclass(frozen=True)
class Figure:
    """A numbered figure: `label` as the text cites it, `caption` as its caption starts
    ("Fig. 1.", "Figure 1:"), title ('' when it has none: the caption is then the label and
    the legend), legend (inlines) and its file. `width`: the journal's column width it is
    set at ("column", "full"); `alt`: what the image shows, for who cannot see it, written
    from the panels' metadata (the caption is not repeated)."""

    id: str
    number: int
    label: str
    caption: str
    title: str
    legend: tuple[Inline, ...]
    width: str
    image: Image
    alt: str = ""


@dataclass(frozen=True)
class Cell:
    """One table cell: its text and, for a laboratory value, how it is out of range
    (`flag`: high, low or abnormal, and the `mark` printed beside it)."""

    text: str
    flag: Literal["high", "low", "abnormal"] | None = None
    mark: str = ""


@dataclass(frozen=True)
class Table:
    """A numbered table: header, rows of cells (the first one the row's heading), notes."""

    id: str
    number: int
    label: str
    title: str
    kind: str
    header: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...]

    @property
    def wide(self) -> bool:
        """Too many columns for one column of text: printed across the page."""
        return len(self.header) > 4


@dataclass(frozen=True)
class Reference:
    """One entry of the reference list: as the style formats it (`html`, `text`), its
    printed `label` when the style prints one other than "N.", and the item as CSL-JSON."""

    id: str
    number: int
    html: str
    text: str
    label: str | None = None
    item: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class References:
    """The reference list: `numbered` when the text cites by number (in citation order),
    else sorted as the style sorts it; `style`: the CSL style's title."""

    style: str
    numbered: bool
    entries: tuple[Reference, ...] = ()


@dataclass(frozen=True)
class Manuscript:
    """The whole article as a journal prints it, for every writer."""

    journal: str
    journal_name: str
    article: str
    lang: str
    title: str
    running_title: str | None
    abstract: Abstract | None
    keywords: tuple[str, ...]
    authors: tuple[Author, ...]
    affiliations: tuple[str, ...]
    correspondence: Correspondence | None
    salutation: str | None
    sections: tuple[Section, ...]
    figures: tuple[Figure, ...]
    tables: tuple[Table, ...]
    references: References
    declarations: tuple[Declaration, ...]
    words: int
    schema_version: int = SCHEMA_VERSION

"""Manuscript prose as Word runs and paragraphs: the inline tree becomes runs with bold,
italic, super- and subscript set on each; a block becomes paragraphs of a named style.

Every text is added as a run's characters (python-docx escapes them): nothing from the
case is read as markup or as a template.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from casereport.manuscript import (
    Block,
    Break,
    Citation,
    Code,
    CrossReference,
    Emphasis,
    Inline,
    ListBlock,
    Paragraph,
    Strong,
    Subscript,
    Superscript,
    Text,
)

if TYPE_CHECKING:
    from docx.document import Document
    from docx.text.paragraph import Paragraph as WordParagraph

CODE_FONT = "Courier New"


@dataclass(frozen=True)
class Look:
    """How a run is set: the formatting its enclosing inlines give it."""

    bold: bool = False
    italic: bool = False
    superscript: bool = False
    subscript: bool = False
    code: bool = False


BOLD_LOOK = Look(bold=True)
ITALIC_LOOK = Look(italic=True)


def paragraph_in(document: Document, style: str = "Normal") -> WordParagraph:
    """A new paragraph at the end of `document` in the style named `style`.

    The style is set by its id, which for the default template's styles and those made
    here is the name without spaces ("Heading 1" → Heading1): python-docx's lookup by name
    searches the 440 kB of the template's styles on every call (a third of a build)."""
    paragraph = document.add_paragraph()
    set_style(paragraph, style)
    return paragraph


def heading_in(document: Document, text: str, level: int) -> WordParagraph:
    """A heading: Title at level 0, else Heading `level`."""
    paragraph = paragraph_in(document, "Title" if level == 0 else f"Heading {level}")
    add_run(paragraph, text)
    return paragraph


def set_style(paragraph: WordParagraph, style: str) -> None:
    """Set the paragraph's style named `style` (Normal: none set, the default)."""
    if style != "Normal":
        paragraph._p.style = style.replace(" ", "")


def add_run(paragraph: WordParagraph, text: str, look: Look = Look()) -> None:
    """`text` as one run of `paragraph`, set as `look` says."""
    run = paragraph.add_run(text)
    run.bold = look.bold or None
    run.italic = look.italic or None
    if look.superscript:
        run.font.superscript = True
    elif look.subscript:
        run.font.subscript = True
    if look.code:
        run.font.name = CODE_FONT


def add_inlines(paragraph: WordParagraph, inlines: Sequence[Inline], look: Look = Look()) -> None:
    """The inlines as runs of `paragraph`."""
    for inline in inlines:
        _add_inline(paragraph, inline, look)


def _add_inline(paragraph: WordParagraph, inline: Inline, look: Look) -> None:
    if isinstance(inline, Text | CrossReference):
        add_run(paragraph, inline.text, look)
    elif isinstance(inline, Citation):
        add_run(paragraph, inline.text, replace(look, superscript=inline.superscript))
    elif isinstance(inline, Code):
        add_run(paragraph, inline.text, replace(look, code=True))
    elif isinstance(inline, Break):
        if inline.hard:
            paragraph.add_run().add_break()
        else:
            add_run(paragraph, " ", look)
    else:
        add_inlines(paragraph, inline.children, _nested(inline, look))


def _nested(inline: Emphasis | Strong | Superscript | Subscript, look: Look) -> Look:
    if isinstance(inline, Emphasis):
        return replace(look, italic=True)
    if isinstance(inline, Strong):
        return replace(look, bold=True)
    if isinstance(inline, Superscript):
        return replace(look, superscript=True, subscript=False)
    return replace(look, subscript=True, superscript=False)


def add_blocks(
    document: Document, blocks: Sequence[Block], style: str = "Normal"
) -> list[WordParagraph]:
    """Paragraphs and lists (a list's items in List Bullet or List Number); the floats
    among the blocks are left to the caller. The paragraphs added, in order."""
    added: list[WordParagraph] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            paragraph = paragraph_in(document, style)
            add_inlines(paragraph, block.children)
            added.append(paragraph)
        elif isinstance(block, ListBlock):
            added += _add_list(document, block)
    return added


def _add_list(document: Document, block: ListBlock) -> list[WordParagraph]:
    """A list: each item's paragraphs in the list style (a nested list's items too)."""
    style = "List Number" if block.ordered else "List Bullet"
    added: list[WordParagraph] = []
    for item in block.items:
        added += add_blocks(document, item.blocks, style)
    return added

"""Plain text of manuscript prose: for legends.txt, and for formats without markup.

Citations and cross-references print as the journal prints them; emphasis, super- and
subscript keep their text; a line break is a space.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from casereport.manuscript import Break, Citation, Code, CrossReference, Inline, Manuscript, Text


def inlines_text(inlines: Sequence[Inline]) -> str:
    """The text of a run of inlines."""
    return "".join(_text(i) for i in inlines)


def _text(inline: Inline) -> str:
    if isinstance(inline, Text | Code | Citation | CrossReference):
        return inline.text
    if isinstance(inline, Break):
        return "\n"
    return inlines_text(inline.children)


def legends_text(manuscript: Manuscript) -> str:
    """Every figure's legend as plain text, after its caption label and title, for a
    submission's legends.txt."""
    paragraphs = []
    for figure in manuscript.figures:
        text = f"{figure.caption} {figure.title} {inlines_text(figure.legend)}".strip()
        paragraphs.append(re.sub(r"[ \t\r\n]+", " ", text))  # no-break spaces stay
    return "\n\n".join(paragraphs) + "\n" if paragraphs else ""

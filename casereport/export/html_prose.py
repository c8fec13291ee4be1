"""Manuscript prose (blocks and inlines) → HTML, as markdown-it prints the same Markdown.

The tree is flattened into opening and closing tags and printed with markdown-it's rules for
line breaks between block tags, so the letter's HTML is byte-for-byte what rendering the
Markdown directly gave (tests/export/test_html_prose.py compares them on random prose).
Text is escaped here; the `html` of a citation is a fragment the citation processor made and
`references.csl_html` checked, printed as it is.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from markupsafe import Markup, escape

from casereport.manuscript import (
    Block,
    Break,
    Citation,
    Code,
    CrossReference,
    Emphasis,
    Float,
    Inline,
    Paragraph,
    Strong,
    Subscript,
    Superscript,
    Text,
)

_TAGS = {Emphasis: "em", Strong: "strong", Superscript: "sup", Subscript: "sub"}


Cite = Callable[[Citation], str]


def plain_citation(citation: Citation) -> str:
    """A citation as the style printed it, without id or links."""
    tag = "sup" if citation.superscript else "span"
    return f'<{tag} class="citation">{citation.html}</{tag}>'


def blocks_html(blocks: Sequence[Block], cite: Cite = plain_citation) -> Markup:
    """HTML of a section's blocks; `cite` prints each citation (`html_links` links them)."""
    return Markup(_print(list(_flatten(blocks, cite))))


def inlines_html(inlines: Sequence[Inline], cite: Cite = plain_citation) -> Markup:
    """HTML of a run of inlines (a legend)."""
    return Markup("".join(_inline(i, cite) for i in inlines))


def text_escape(text: str) -> str:
    """Text escaped as markdown-it escapes it (`'` stays)."""
    return html.escape(text, quote=True).replace("&#x27;", "'")


@dataclass(frozen=True)
class _Tag:
    """One block tag: opening (1) or closing (-1), or inline content (0)."""

    tag: str
    nesting: int
    hidden: bool = False
    attrs: str = ""
    content: str = ""


def _flatten(blocks: Sequence[Block], cite: Cite, hidden: bool = False) -> Iterator[_Tag]:
    for block in blocks:
        if isinstance(block, Float):  # placed by the template (see `html.SectionView`)
            continue
        if isinstance(block, Paragraph):
            yield _Tag("p", 1, hidden)
            yield _Tag("", 0, content="".join(_inline(i, cite) for i in block.children))
            yield _Tag("p", -1, hidden)
            continue
        tag = "ol" if block.ordered else "ul"
        attrs = f' start="{block.start}"' if block.start is not None else ""
        yield _Tag(tag, 1, attrs=attrs)
        for item in block.items:
            yield _Tag("li", 1)
            yield from _flatten(item.blocks, cite, hidden=block.tight)
            yield _Tag("li", -1)
        yield _Tag(tag, -1)


def _print(tags: list[_Tag]) -> str:
    """markdown-it's `renderToken` for block tags: a line break after a tag unless inline
    content or a hidden paragraph follows it, or its own closing tag."""
    out: list[str] = []
    for i, tag in enumerate(tags):
        if tag.nesting == 0:
            out.append(tag.content)
            continue
        if tag.hidden:
            continue
        if tag.nesting != -1 and i and tags[i - 1].hidden:
            out.append("\n")
        out.append(("</" if tag.nesting == -1 else "<") + tag.tag + tag.attrs)
        following = tags[i + 1] if i + 1 < len(tags) else None
        same = following is not None and following.nesting == -1 and following.tag == tag.tag
        inline_next = following is not None and (following.nesting == 0 or following.hidden)
        out.append(">" if tag.nesting == 1 and (inline_next or same) else ">\n")
    return "".join(out)


def _inline(inline: Inline, cite: Cite) -> str:
    if isinstance(inline, Text):
        return text_escape(inline.text)
    if isinstance(inline, Code):
        return f"<code>{text_escape(inline.text)}</code>"
    if isinstance(inline, Break):
        return "<br>\n" if inline.hard else "\n"
    if isinstance(inline, Citation):
        return cite(inline)
    if isinstance(inline, CrossReference):
        kind = "figref" if inline.target == "figure" else "tableref"
        return f'<span class="{kind}">{escape(inline.text)}</span>'
    tag = _TAGS[type(inline)]
    return f"<{tag}>" + "".join(_inline(i, cite) for i in inline.children) + f"</{tag}>"

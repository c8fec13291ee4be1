"""The manuscript's prose tree printed as HTML equals markdown-it rendering the same Markdown.

The letter used to be markdown-it's output; the tree must carry everything the Markdown
said (paragraphs, tight and loose lists, nesting, list starts, emphasis, super- and
subscript, code, breaks, escapes, entities) for the HTML writer to print the same bytes.
markdown-it is the oracle: its own renderer over the same tokens, with the old citation rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it.token import Token
from markupsafe import escape

from casereport.assemble import citer
from casereport.export.html_prose import blocks_html, inlines_html
from casereport.manuscript import Break, Citation, ListBlock, Paragraph, Text
from casereport.prose import CitationStyle, _markdown, parse_prose, prose_blocks, prose_inlines

NUMBERS = {"a": 1, "b": 2, "c": 3, "fig:x": 1, "tbl:t": 1}
FRAGMENTS = [
    "word", "Two words", "*", "**", "_", "^", "~", "`", "\\", "\\*", "&amp;", "&lt;", "&#169;",
    "<b>", "'", '"', " ", "  ", "\n", "\n\n", "  \n", "- ", "* ", "1. ", "3. ", "2) ", "   ",
    "[@a]", "[@b; @c]", "@a", "[see @a, p. 3]", "[@fig:x]", "[@tbl:t]", "x^2^", "H~2~O",
    "\n- ", "\n  - ", "\n\n1. ", "\u00a0", "é", "[not a cite]", "(", ")", ".",
]  # fmt: skip


def _old_citation(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    """The citation rule the letter was rendered with before the tree (figures and tables
    as cross-references, references as compressed numbers in the journal's form)."""
    style: CitationStyle = env["style"]
    cluster = tokens[idx].meta["cluster"]
    found = [NUMBERS[k] for k in cluster.keys]
    if cluster.is_table:
        return f'<span class="tableref">{escape(style.table.format(numbers="I"))}</span>'
    text = ", ".join(map(str, found))
    if cluster.is_figure:
        return f'<span class="figref">{escape(style.figure.format(numbers=text))}</span>'
    tag = "sup" if style.superscript else "span"
    return f'<{tag} class="citation">{escape(style.cite.format(numbers=text))}</{tag}>'


@pytest.fixture
def oracle() -> Iterator[None]:
    md = _markdown()
    md.add_render_rule("citation", _old_citation)
    yield
    del md.renderer.rules["citation"]


def _markdown_it(text: str, style: CitationStyle, *, inline: bool = False) -> str:
    md = _markdown()
    tokens = md.parseInline(text) if inline else md.parse(text)
    html = md.renderer.render(tokens, md.options, {"style": style})
    if style.superscript:  # what render_prose did for a superscript style
        html = re.sub(r"\s+(?=<sup class=\"citation\">)", "", html)
    return html


def _compress_free(style: CitationStyle) -> CitationStyle:
    return CitationStyle(**{**style.__dict__, "list_sep": ", ", "min_run": 99})


def _tree(text: str, style: CitationStyle, *, inline: bool = False) -> str:
    prose = parse_prose(text, inline=inline)
    cite = citer(NUMBERS, style)
    if inline:
        html = str(inlines_html(prose_inlines(prose, cite)))
    else:
        html = str(blocks_html(prose_blocks(prose, cite)))
    # The tree keeps a hard line break before a superscript citation as a break; the old
    # whitespace rule also removed the newline markdown-it prints after <br> (no visible
    # difference in HTML).
    return html.replace('<br>\n<sup class="citation">', '<br><sup class="citation">')


def _rejected(text: str, *, inline: bool = False) -> bool:
    """Prose that resolve rejects before anything is printed: an unreadable citation, or
    an unknown key."""
    prose = parse_prose(text, inline=inline)
    unknown = any(key not in NUMBERS for c in prose.clusters for key in c.keys)
    return bool(prose.problems) or unknown


texts = st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join)
readable = st.sampled_from([CitationStyle(), CitationStyle(cite="{numbers}", superscript=True)])


@pytest.mark.usefixtures("oracle")
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, style=readable)
def test_blocks_print_as_markdown_it_renders(text: str, style: CitationStyle) -> None:
    if _rejected(text):
        return
    style = _compress_free(style)
    assert _tree(text, style) == _markdown_it(text, style)


@pytest.mark.usefixtures("oracle")
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=texts, style=readable)
def test_legends_print_as_markdown_it_renders(text: str, style: CitationStyle) -> None:
    if _rejected(text, inline=True):
        return
    style = _compress_free(style)
    assert _tree(text, style, inline=True) == _markdown_it(text, style, inline=True)


def test_the_tree_has_the_parts_of_the_markdown() -> None:
    cite = citer(NUMBERS, CitationStyle())
    blocks = prose_blocks(parse_prose("One [@a].\nTwo\n\n3. x\n4. y\n\n- p\n\n- q\n"), cite)
    first, numbered, loose = blocks
    assert isinstance(first, Paragraph)
    assert first.children == (
        Text("One "),
        Citation(("a",), (1,), "(1)", "(1)"),
        Text("."),
        Break(),
        Text("Two"),
    )
    assert isinstance(numbered, ListBlock) and numbered.ordered and numbered.start == 3
    assert numbered.tight and len(numbered.items) == 2
    assert isinstance(loose, ListBlock) and not loose.ordered and not loose.tight


def test_a_superscript_citation_follows_its_word() -> None:
    cite = citer(NUMBERS, CitationStyle(cite="{numbers}", superscript=True))
    (paragraph,) = prose_blocks(parse_prose("As shown \n[@a; @b]."), cite)
    assert isinstance(paragraph, Paragraph)
    assert paragraph.children[:2] == (
        Text("As shown"),
        Citation(("a", "b"), (1, 2), "1-2", "1-2", superscript=True),
    )

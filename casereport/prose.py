"""Prose: a Markdown subset with citations `[@a; @b]`, figures `[@fig:id]`, tables `[@tbl:id]`.

Citations follow pandoc's syntax (see `citesyntax`): prefix, locator and suffix, `[-@k]`,
narrative `@k`, Quarto's `@fig-id`; a bracket that looks like a citation and cannot be
read is kept as a problem (`Prose.problems`) for `resolve` to report.

The text is parsed once into tokens (kept private); numbering happens elsewhere, and
`prose_blocks` / `prose_inlines` turn the tokens into the manuscript's typed tree, each
citation made by the caller's `Citer` with its numbers. Raw HTML, images and headings are
not part of the subset: HTML is kept as the characters the author typed, never passed
through, and nothing in the prose is ever compiled as a template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING

from casereport.manuscript import (
    Block,
    Break,
    Citation,
    Code,
    Emphasis,
    Inline,
    ListBlock,
    ListItem,
    Paragraph,
    Strong,
    Subscript,
    Superscript,
    Text,
)
from casereport.references.citesyntax import (
    FIGURE_PREFIX,
    TABLE_PREFIX,
    CiteItem,
    Cluster,
    looks_like_citation,
    normal_key,
    parse_bracket,
    parse_locator,
    read_key,
)
from casereport.references.citesyntax import (
    cluster as make_cluster,
)

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

__all__ = ["FIGURE_PREFIX", "TABLE_PREFIX", "CiteItem", "Cluster"]
_RAW_HTML = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_BEFORE_NARRATIVE = frozenset(" \t\n([{\"'\u201c\u2018\u00a0")
_AFTER_NARRATIVE = re.compile(r"[ \t]?\[([^\[\]@]*)\]")


@dataclass(frozen=True)
class CitationStyle:
    """How the journal prints citations in the text."""

    cite: str = "({numbers})"
    figure: str = "Fig.\u00a0{numbers}"
    figures: str = "Figs.\u00a0{numbers}"
    table: str = "Table\u00a0{numbers}"
    tables: str = "Tables\u00a0{numbers}"
    table_numbering: str = "roman"
    range_sep: str = "-"
    list_sep: str = ", "
    min_run: int = 2
    superscript: bool = False

    def table_number(self, number: int) -> str:
        """A table's number as the journal prints it: "II" or "2"."""
        return roman(number) if self.table_numbering == "roman" else str(number)


def roman(number: int) -> str:
    """Upper-case Roman numeral of a positive integer."""
    values = (
        (1000, "M"),
        (900, "CM"),
        (500, "D"),
        (400, "CD"),
        (100, "C"),
        (90, "XC"),
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    )
    text = ""
    for value, numeral in values:
        count, number = divmod(number, value)
        text += numeral * count
    return text


@dataclass(frozen=True, eq=False)
class Prose:
    """Parsed prose: its tokens (private) and the citation clusters in reading order."""

    text: str
    clusters: tuple[Cluster, ...]
    words: int
    raw_html: tuple[str, ...]
    _tokens: tuple[Token, ...]
    inline: bool
    problems: tuple[tuple[str, str], ...] = ()  # (text as written, what is wrong)


def parse_prose(text: str, *, inline: bool = False) -> Prose:
    """Parse Markdown prose; `inline` parses a single paragraph without block wrapping."""
    md = _markdown()
    tokens = md.parseInline(text) if inline else md.parse(text)
    clusters = tuple(
        child.meta["cluster"]
        for token in tokens
        for child in token.children or ()
        if child.type == "citation" and "cluster" in child.meta
    )
    problems = tuple(
        (child.meta["source"], child.meta["problem"])
        for token in tokens
        for child in token.children or ()
        if child.type == "citation" and "problem" in child.meta
    )
    raw_html = tuple(
        match.group()
        for token in tokens
        for child in token.children or ()
        if child.type == "text"
        for match in _RAW_HTML.finditer(child.content)
    )
    words = _count_words(tokens)
    return Prose(text, clusters, words, raw_html, tuple(tokens), inline, problems)


Citer = Callable[[Cluster], Inline]  # a citation as the manuscript prints it


def prose_blocks(prose: Prose, cite: Citer) -> tuple[Block, ...]:
    """The prose as manuscript blocks, each citation made an inline by `cite` (which numbers
    and prints it); for inline prose (a legend) use `prose_inlines`."""
    blocks, _ = _blocks(prose._tokens, 0, cite, closing="")
    return blocks


def prose_inlines(prose: Prose, cite: Citer) -> tuple[Inline, ...]:
    """Inline prose (`parse_prose(text, inline=True)`) as manuscript inlines."""
    return tuple(i for token in prose._tokens for i in _inlines(token.children or (), cite))


_WRAPPERS: dict[str, type[Emphasis | Strong | Superscript | Subscript]] = {
    "em": Emphasis,
    "strong": Strong,
    "sup": Superscript,
    "sub": Subscript,
}


def _blocks(
    tokens: Sequence[Token], start: int, cite: Citer, closing: str
) -> tuple[tuple[Block, ...], int]:
    """Blocks from `tokens[start:]` up to the token of type `closing`; and the index after."""
    found: list[Block] = []
    i = start
    while i < len(tokens) and tokens[i].type != closing:
        token = tokens[i]
        if token.type == "paragraph_open":
            found.append(Paragraph(tuple(_inlines(tokens[i + 1].children or (), cite))))
            i += 3
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            block, i = _list(tokens, i, cite)
            found.append(block)
        else:  # the subset has paragraphs and lists only
            raise ValueError(f"unexpected Markdown token {token.type!r}")
    return tuple(found), i + 1


def _list(tokens: Sequence[Token], start: int, cite: Citer) -> tuple[ListBlock, int]:
    opening = tokens[start]
    ordered = opening.type == "ordered_list_open"
    closing = "ordered_list_close" if ordered else "bullet_list_close"
    items: list[ListItem] = []
    i = start + 1
    while tokens[i].type != closing:  # list_item_open
        blocks, i = _blocks(tokens, i + 1, cite, "list_item_close")
        items.append(ListItem(blocks))
    tight = not any(  # markdown-it hides the paragraphs of a tight list
        t.type == "paragraph_open" and not t.hidden and t.level == opening.level + 2
        for t in tokens[start:i]
    )
    number = opening.attrs.get("start")
    start_at = int(number) if ordered and number is not None else None
    return ListBlock(ordered, tuple(items), tight, start_at), i + 1


def _inlines(children: Sequence[Token], cite: Citer) -> list[Inline]:
    """Inline tokens as a tree: wrappers (emphasis, super- and subscript) nest their children."""
    stack: list[list[Inline]] = [[]]
    for child in children:
        kind = child.type
        if kind.endswith("_open"):
            stack.append([])
        elif kind.endswith("_close"):
            inner = tuple(stack.pop())
            stack[-1].append(_WRAPPERS[child.tag](inner))
        elif kind == "text":
            stack[-1].append(Text(child.content))
        elif kind == "code_inline":
            stack[-1].append(Code(child.content))
        elif kind in ("softbreak", "hardbreak"):
            stack[-1].append(Break(hard=kind == "hardbreak"))
        elif kind == "citation":
            _add_citation(stack[-1], child, cite)
        else:
            raise ValueError(f"unexpected Markdown token {kind!r}")
    return stack[0]


def _add_citation(siblings: list[Inline], token: Token, cite: Citer) -> None:
    """A citation after its siblings; a superscript one sits right after the word it follows
    (the spaces and line breaks before it are dropped)."""
    if "cluster" not in token.meta:  # resolve reports it as an error: it never gets here
        raise ValueError(f"unreadable citation {token.meta['source']!r} reached the text")
    made = cite(token.meta["cluster"])
    if isinstance(made, Citation) and made.superscript:
        while siblings and isinstance(siblings[-1], Text | Break) and not _hard(siblings[-1]):
            last = siblings.pop()
            kept = last.text.rstrip() if isinstance(last, Text) else ""
            if kept:
                siblings.append(Text(kept))
                break
    siblings.append(made)


def _hard(inline: Inline) -> bool:
    return isinstance(inline, Break) and inline.hard


def _count_words(tokens: Sequence[Token]) -> int:
    count = 0
    for token in tokens:
        for child in token.children or ():
            if child.type == "text":
                count += sum(any(c.isalnum() for c in word) for word in child.content.split())
            elif child.type == "citation" and "cluster" in child.meta:
                found: Cluster = child.meta["cluster"]
                count += 2 if found.is_figure or found.is_table else 0
    return count


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt
    from mdit_py_plugins.subscript import sub_plugin
    from mdit_py_plugins.superscript import superscript_plugin

    md = MarkdownIt("zero", {"html": False, "typographer": False})
    md.enable(["paragraph", "list", "emphasis", "escape", "entity", "newline", "backticks"])
    md.use(superscript_plugin).use(sub_plugin)
    md.inline.ruler.before("link", "citation", _citation_rule)
    md.inline.ruler.before("link", "narrative_citation", _narrative_rule)
    return md


def _citation_rule(state: StateInline, silent: bool) -> bool:
    """A bracketed cluster, `[see @a, p. 3; @b]`, over as many lines as it takes."""
    src, start = state.src, state.pos
    if src[start] != "[":
        return False
    close = src.find("]", start + 1)
    nested = src.find("[", start + 1)
    if close < 0 or 0 <= nested < close:
        inner = src[start + 1 : nested if nested >= 0 else len(src)]
        if not looks_like_citation(inner):
            return False
        shown = src[start : start + 1 + len(inner)].split("\n")[0]
        _push_problem(state, silent, shown, "citation bracket is not closed with ']'")
        state.pos = start + 1
        return True
    inner = src[start + 1 : close]
    if not looks_like_citation(inner):
        return False
    written = src[start : close + 1]
    items = parse_bracket(inner)
    if isinstance(items, str):
        _push_problem(state, silent, written, f"cannot read this citation: {items}")
    elif _cross_reference_with_extras(items):
        message = "a figure or table reference takes no prefix, locator or suffix"
        _push_problem(state, silent, written, message)
    elif not silent:
        state.push("citation", "", 0).meta = {"cluster": make_cluster(items, written)}
    state.pos = close + 1
    return True


def _narrative_rule(state: StateInline, silent: bool) -> bool:
    """`@key` in the running text after a space or an opening bracket or quote, optionally
    followed by `[p. 4]` (not an e-mail address, nor `>@import` in text that is raw HTML)."""
    src, start = state.src, state.pos
    if src[start] != "@" or (start > 0 and src[start - 1] not in _BEFORE_NARRATIVE):
        return False
    found = read_key(src, start)
    if found is None:
        return False
    key, end = found
    locator = label = suffix = ""
    after = _AFTER_NARRATIVE.match(src, end)
    if after is not None:
        locator, label, suffix = parse_locator(", " + after.group(1).strip())
        suffix = suffix if locator else " " + after.group(1).strip()
        end = after.end()
    written = src[start:end]
    item = CiteItem(normal_key(key), "@" + key, "", locator, label, suffix, "author-in-text")
    if _cross_reference_with_extras([item]):
        message = "a figure or table reference takes no prefix, locator or suffix"
        _push_problem(state, silent, written, message)
    elif not silent:
        state.push("citation", "", 0).meta = {"cluster": make_cluster([item], written)}
    state.pos = end
    return True


def _cross_reference_with_extras(items: Sequence[CiteItem]) -> bool:
    cross = any(item.key.startswith((FIGURE_PREFIX, TABLE_PREFIX)) for item in items)
    return cross and any(item.extras for item in items)


def _push_problem(state: StateInline, silent: bool, written: str, message: str) -> None:
    if not silent:
        state.push("citation", "", 0).meta = {"source": written, "problem": message}

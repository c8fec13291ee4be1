"""Prose: a Markdown subset with citations `[@a; @b]`, figures `[@fig:id]`, tables `[@tbl:id]`.

Citations follow pandoc's syntax (see `citesyntax`): prefix, locator and suffix, `[-@k]`,
narrative `@k`, Quarto's `@fig-id`; a bracket that looks like a citation and cannot be
read is kept as a problem (`Prose.problems`) for `resolve` to report.

The text is parsed once into tokens; numbering happens elsewhere, and rendering takes the
numbers as arguments. Raw HTML, images and headings are not part of the subset: HTML is
printed as the characters the author typed, never passed through, and nothing in the
prose is ever compiled as a template.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from markupsafe import Markup, escape

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
_SPACE_BEFORE_SUP = re.compile(r"\s+(?=<sup class=\"citation\">)")


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


def render_prose(
    prose: Prose,
    numbers: Mapping[str, int],
    style: CitationStyle,
    compress: Callable[[Sequence[int]], str],
    cited: Mapping[tuple[tuple[str, ...], ...], str] | None = None,
) -> Markup:
    """HTML for the prose, citations printed with `numbers` (reference and figure keys).

    `cited` maps a cluster's `signature` to its text already formatted as HTML by the CSL
    processor (every cluster of a style that does not cite by number, and clusters with a
    prefix, locator or suffix in one that does); such clusters are printed as given.
    """
    md = _markdown()
    env = {"numbers": numbers, "style": style, "compress": compress, "cited": cited or {}}
    html = md.renderer.render(list(prose._tokens), md.options, env)
    if style.superscript:  # a superscript number sits right after the word it follows
        html = _SPACE_BEFORE_SUP.sub("", html)
    return Markup(html)


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
    md.add_render_rule("citation", _render_citation)
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


def _render_citation(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    meta = tokens[idx].meta
    if "cluster" not in meta:  # a problem, reported by resolve: never reaches a letter
        return str(escape(meta["source"]))
    cluster: Cluster = meta["cluster"]
    style: CitationStyle = env["style"]
    if cluster.signature in env["cited"]:
        return f'<span class="citation">{env["cited"][cluster.signature]}</span>'
    found = [env["numbers"][key] for key in cluster.keys if key in env["numbers"]]
    if len(found) != len(cluster.keys):
        return str(escape(cluster.source))
    if cluster.is_table:
        template = style.table if len(found) == 1 else style.tables
        listed = style.list_sep.join(style.table_number(n) for n in sorted(found))
        return f'<span class="tableref">{escape(template.format(numbers=listed))}</span>'
    numbers = env["compress"](found)
    if cluster.is_figure:
        template = style.figure if len(found) == 1 else style.figures
        return f'<span class="figref">{escape(template.format(numbers=numbers))}</span>'
    text = escape(style.cite.format(numbers=numbers))
    if style.superscript:
        return f'<sup class="citation">{text}</sup>'
    return f'<span class="citation">{text}</span>'

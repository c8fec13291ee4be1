"""Prose: a Markdown subset with citations `[@a; @b]`, figures `[@fig:id]`, tables `[@tbl:id]`.

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

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.rules_inline import StateInline
    from markdown_it.token import Token

FIGURE_PREFIX = "fig:"
TABLE_PREFIX = "tbl:"
_CLUSTER = re.compile(r"\[(@[^\[\]\n]*)\]")
_RAW_HTML = re.compile(r"<!--|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_KEY = re.compile(r"^@([A-Za-z0-9][A-Za-z0-9_.:/()-]*)$")
_SPACE_BEFORE_SUP = re.compile(r"\s+(?=<sup class=\"citation\">)")


@dataclass(frozen=True)
class Cluster:
    """One bracketed citation, `[@a; @b]`: its keys in the order written."""

    keys: tuple[str, ...]
    source: str

    @property
    def is_figure(self) -> bool:
        return all(key.startswith(FIGURE_PREFIX) for key in self.keys)

    @property
    def is_table(self) -> bool:
        return all(key.startswith(TABLE_PREFIX) for key in self.keys)


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


def parse_prose(text: str, *, inline: bool = False) -> Prose:
    """Parse Markdown prose; `inline` parses a single paragraph without block wrapping."""
    md = _markdown()
    tokens = md.parseInline(text) if inline else md.parse(text)
    clusters = tuple(
        child.meta["cluster"]
        for token in tokens
        for child in token.children or ()
        if child.type == "citation"
    )
    raw_html = tuple(
        match.group()
        for token in tokens
        for child in token.children or ()
        if child.type == "text"
        for match in _RAW_HTML.finditer(child.content)
    )
    return Prose(text, clusters, _count_words(tokens), raw_html, tuple(tokens), inline)


def render_prose(
    prose: Prose,
    numbers: Mapping[str, int],
    style: CitationStyle,
    compress: Callable[[Sequence[int]], str],
    cited: Mapping[tuple[str, ...], str] | None = None,
) -> Markup:
    """HTML for the prose, citations printed with `numbers` (reference and figure keys).

    `cited` maps a cluster's keys to its text already formatted as HTML by a CSL style that
    does not cite by number (author-date); such clusters are printed as given.
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
            elif child.type == "citation" and (
                child.meta["cluster"].is_figure or child.meta["cluster"].is_table
            ):
                count += 2
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
    md.add_render_rule("citation", _render_citation)
    return md


def _citation_rule(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith("[@", state.pos):
        return False
    match = _CLUSTER.match(state.src, state.pos)
    if match is None:
        return False
    keys = tuple(part.strip() for part in match.group(1).split(";"))
    parsed = [_KEY.match(key) for key in keys]
    if not all(parsed):
        return False
    if not silent:
        token = state.push("citation", "", 0)
        names = tuple(m.group(1) for m in parsed if m)
        token.meta = {"cluster": Cluster(names, match.group(0))}
    state.pos = match.end()
    return True


def _render_citation(
    self: Any, tokens: Sequence[Token], idx: int, options: Any, env: dict[str, Any]
) -> str:
    cluster: Cluster = tokens[idx].meta["cluster"]
    style: CitationStyle = env["style"]
    if cluster.keys in env["cited"]:
        return f'<span class="citation">{env["cited"][cluster.keys]}</span>'
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

"""The links of the letter's HTML, made from the manuscript's structured values.

A citation links each reference number it prints to that reference (`#ref-N`), and each
entry of the reference list links back to every citation of it (`#cite-K`, the K-th
citation of the text); a DOI the style printed links to `https://doi.org/…`, and the
correspondence address is a `mailto:` link. No URL is ever taken from a formatted fragment:
the citation processor's HTML (checked by `references.csl_html`) only decides *where* a
link goes around text it printed; the link's target is built here from a number, a DOI or
an e-mail address, and quoted.

A citation printed as a range ("2-4") links its ends, the numbers it prints; the back-links
of every reference it stands for, the middle ones included, lead to it. A style that cites
by author and year ("Smith 2020; Jones 2021") links the whole citation to its first
reference. Back-links are for the screen: the styles hide them in print.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import count
from urllib.parse import quote

from markupsafe import Markup, escape

from casereport.manuscript import (
    Block,
    Citation,
    Emphasis,
    Inline,
    Paragraph,
    Strong,
    Subscript,
    Superscript,
)

# A tag or a character reference of a checked fragment; the text between them is linked.
_MARKUP = re.compile(r"(<[^>]*>|&#?\w+;)")
_NUMBER = re.compile(r"\d+")
# What a DOI keeps unquoted in a URL (RFC 3986 path characters, as doi.org's own links).
_DOI_SAFE = "/:;()._-"

CitationPrinter = Callable[[Citation], str]


def citation_id(occurrence: int) -> str:
    """The id of the `occurrence`-th citation of the text (1-based)."""
    return f"cite-{occurrence}"


def doi_url(doi: str) -> str:
    """The resolver's URL of `doi`, quoted."""
    return "https://doi.org/" + quote(doi.strip(), safe=_DOI_SAFE)


def mailto(email: str) -> str:
    """A `mailto:` URL of an address that `model.Email` accepted, quoted."""
    return "mailto:" + quote(email, safe="@!$'*+,=._~-")


def _link(href: str, text: str) -> str:
    return f'<a href="{escape(href)}">{text}</a>'


def _outside_markup(fragment: str, link: Callable[[str], str]) -> str:
    """`fragment` with `link` applied to each run of its text between tags and references."""
    pieces = _MARKUP.split(fragment)
    return "".join(p if i % 2 else link(p) for i, p in enumerate(pieces))


def link_citation(fragment: str, numbers: Sequence[int], numbered: bool) -> str:
    """The citation's checked HTML with each printed reference number linked to its entry
    (`numbered`), or, when the style prints no numbers, all of it linked to the first."""
    if not numbers:
        return fragment
    if not numbered:
        return _link(f"#ref-{numbers[0]}", fragment)
    wanted = set(numbers)

    def number(match: re.Match[str]) -> str:
        value = int(match.group())
        return _link(f"#ref-{value}", match.group()) if value in wanted else match.group()

    return _outside_markup(fragment, lambda text: _NUMBER.sub(number, text))


def link_doi(fragment: str, doi: str | None) -> str:
    """A reference entry's checked HTML with the DOI it prints (with the resolver's prefix
    when printed with one) linked to the resolver; unchanged when it prints none."""
    if not doi or not doi.strip():
        return fragment
    printed = re.escape(str(escape(doi.strip())))
    found = re.compile(rf"(?:https?://(?:dx\.)?doi\.org/)?{printed}", re.IGNORECASE)
    done = False

    def first(text: str) -> str:
        nonlocal done
        if done:
            return text
        match = found.search(text)
        if match is None:
            return text
        done = True
        start, end = match.span()
        return text[:start] + _link(doi_url(doi), match.group()) + text[end:]

    return _outside_markup(fragment, first)


def citation_printer(first: int, numbered: bool) -> CitationPrinter:
    """Prints citations as they come, the first one as occurrence `first`: each with its id
    and its numbers linked."""
    occurrences = count(first)

    def cite(citation: Citation) -> str:
        tag = "sup" if citation.superscript else "span"
        html = link_citation(citation.html, citation.numbers, numbered)
        anchor = citation_id(next(occurrences))
        return f'<{tag} class="citation" id="{anchor}">{html}</{tag}>'

    return cite


def citations_in(blocks: Sequence[Block]) -> list[Citation]:
    """The citations of `blocks`, in the order printed."""
    found: list[Citation] = []
    for block in blocks:
        if isinstance(block, Paragraph):
            found += inline_citations(block.children)
        elif not hasattr(block, "items"):
            continue
        else:
            for item in block.items:
                found += citations_in(item.blocks)
    return found


def inline_citations(inlines: Sequence[Inline]) -> list[Citation]:
    """The citations of a run of inlines, in the order printed."""
    return list(_walk(inlines))


def _walk(inlines: Sequence[Inline]) -> Iterator[Citation]:
    for inline in inlines:
        if isinstance(inline, Citation):
            yield inline
        elif isinstance(inline, Emphasis | Strong | Superscript | Subscript):
            yield from _walk(inline.children)


@dataclass
class Citations:
    """The citations of one letter, numbered in the order the writer reserves them (the
    abstract, the sections, then the legends), with the references each stands for. Made
    afresh for each rendering; a part printed twice (a section as a whole and in runs
    around its figures) reserves its numbers once and prints from the same first number."""

    numbered: bool
    cited: list[tuple[int, ...]] = field(default_factory=list)

    def reserve(self, citations: Sequence[Citation]) -> int:
        """The occurrence number of the first of `citations`, the next ones following it."""
        first = len(self.cited) + 1
        self.cited += [c.numbers for c in citations]
        return first

    def printer(self, first: int) -> CitationPrinter:
        """Prints citations from occurrence `first` on."""
        return citation_printer(first, self.numbered)

    def backlinks(self, number: int) -> Markup:
        """The back-links of reference `number` to each citation of it, for the screen."""
        links = [
            f'<a href="#{citation_id(k)}" aria-label="Back to citation {k} in the text">\u21a9</a>'
            for k, numbers in enumerate(self.cited, start=1)
            if number in numbers
        ]
        return Markup(f' <span class="backlinks">{" ".join(links)}</span>' if links else "")

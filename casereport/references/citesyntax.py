"""Pandoc's citation syntax: `[see @k, pp. 33-35; also @j]`, `[-@k]`, narrative `@k`.

A bracketed cluster holds items separated by ``;``; each is an optional prefix, the key
(``-@key`` suppresses the author), then a locator after a comma (``p. 33``, ``chap. 2``,
a bare number is a page) and a suffix. ``@key`` outside brackets is a narrative
citation, optionally followed by ``[p. 4]``. Quarto's ``@fig-id`` and ``@tbl-id`` name
figures and tables, as ``@fig:id`` and ``@tbl:id`` do. An ``@`` that follows a letter or
digit (an e-mail address, ``a@b.org``) is never a citation, as in pandoc.

Nothing here knows the case: a bracket that looks like a citation but cannot be read is
returned as a problem, for `resolve` to report at its line and column.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIGURE_PREFIX = "fig:"
TABLE_PREFIX = "tbl:"
_QUARTO = {"fig-": FIGURE_PREFIX, "tbl-": TABLE_PREFIX}
_KEY = re.compile(r"[\w][\w:.#$%&+?~/()-]*")
_TRAILING = ".,:;?!-/#$%&+~"
# pandoc's locator terms → CSL locator labels
_LABELS = {
    "book": "book", "bk.": "book", "bks.": "book",
    "chapter": "chapter", "chapters": "chapter", "chap.": "chapter", "chaps.": "chapter",
    "ch.": "chapter",
    "column": "column", "columns": "column", "col.": "column", "cols.": "column",
    "figure": "figure", "figures": "figure", "fig.": "figure", "figs.": "figure",
    "folio": "folio", "folios": "folio", "fol.": "folio", "fols.": "folio",
    "line": "line", "lines": "line", "l.": "line", "ll.": "line",
    "note": "note", "notes": "note", "n.": "note", "nn.": "note",
    "number": "number", "numbers": "number", "no.": "number", "nos.": "number",
    "opus": "opus", "opera": "opus", "op.": "opus", "opp.": "opus",
    "page": "page", "pages": "page", "p.": "page", "pp.": "page",
    "paragraph": "paragraph", "paragraphs": "paragraph", "para.": "paragraph",
    "paras.": "paragraph", "¶": "paragraph", "¶¶": "paragraph",
    "part": "part", "parts": "part", "pt.": "part", "pts.": "part",
    "section": "section", "sections": "section", "sec.": "section", "secs.": "section",
    "§": "section", "§§": "section",
    "verse": "verse", "verses": "verse", "v.": "verse", "vv.": "verse",
    "volume": "volume", "volumes": "volume", "vol.": "volume", "vols.": "volume",
}  # fmt: skip
_LABEL = re.compile(
    r"(" + "|".join(re.escape(t) for t in sorted(_LABELS, key=len, reverse=True)) + r")\s*",
    re.IGNORECASE,
)
_LOCATOR = re.compile(r"[\w]*\d[\w]*(?:\s*[-\u2013,&]\s*[\w]*\d[\w]*)*|[ivxlcdm]+\b", re.I)


@dataclass(frozen=True)
class CiteItem:
    """One cited key with what surrounds it: `see @k, p. 33 and more`."""

    key: str
    written: str = ""
    prefix: str = ""
    locator: str = ""
    label: str = ""
    suffix: str = ""
    mode: str = ""  # "", "suppress-author" or "author-in-text"

    @property
    def extras(self) -> bool:
        """Whether the item has a prefix, locator or suffix."""
        return bool(self.prefix or self.locator or self.suffix)


@dataclass(frozen=True)
class Cluster:
    """One citation as written, bracketed `[@a; @b]` or narrative `@a`: keys in written order."""

    keys: tuple[str, ...]
    source: str
    items: tuple[CiteItem, ...] = ()

    @property
    def is_figure(self) -> bool:
        return all(key.startswith(FIGURE_PREFIX) for key in self.keys)

    @property
    def is_table(self) -> bool:
        return all(key.startswith(TABLE_PREFIX) for key in self.keys)

    @property
    def narrative(self) -> bool:
        return any(item.mode == "author-in-text" for item in self.items)

    @property
    def extras(self) -> bool:
        """Whether any item has a prefix, locator or suffix."""
        return any(item.extras for item in self.items)

    @property
    def signature(self) -> tuple[tuple[str, ...], ...]:
        """Everything that decides how the cluster prints (its cache key)."""
        return tuple(
            (i.key, i.prefix, i.locator, i.label, i.suffix, i.mode) for i in self.items
        ) or tuple((key,) for key in self.keys)


def cluster(items: list[CiteItem], source: str) -> Cluster:
    """A cluster of these items."""
    return Cluster(tuple(item.key for item in items), source, tuple(items))


def looks_like_citation(text: str) -> bool:
    """Whether `text` (inside a bracket) has an `@` that starts a key (not an e-mail)."""
    return any(_starts_key(text, m.start()) for m in re.finditer("@", text))


def _starts_key(text: str, at: int) -> bool:
    before = text[at - 1] if at > 0 else " "
    escaped = before == "\\"
    return not (before.isalnum() or before == "_" or escaped) and bool(_KEY.match(text, at + 1))


def read_key(text: str, at: int) -> tuple[str, int] | None:
    """The key of the `@` at `at` (trailing punctuation and unbalanced `)` left out)."""
    if not _starts_key(text, at):
        return None
    found = _KEY.match(text, at + 1)
    if found is None:
        return None
    key = found.group()
    while key and (key[-1] in _TRAILING or (key[-1] == ")" and key.count(")") > key.count("("))):
        key = key[:-1]
    return (key, at + 1 + len(key)) if key else None


def normal_key(key: str) -> str:
    """Quarto's `fig-id`/`tbl-id` as `fig:id`/`tbl:id`; other keys as written."""
    for quarto, prefix in _QUARTO.items():
        if key.startswith(quarto) and len(key) > len(quarto):
            return prefix + key[len(quarto) :]
    return key


def parse_bracket(inner: str) -> list[CiteItem] | str:
    """The items of a bracketed cluster's inside, or a message saying why it cannot be read."""
    items: list[CiteItem] = []
    for part in inner.split(";"):
        item = _parse_item(part)
        if isinstance(item, str):
            return item
        items.append(item)
    return items


def _parse_item(part: str) -> CiteItem | str:
    text = part.strip()
    ats = [m.start() for m in re.finditer("@", text) if _starts_key(text, m.start())]
    if not ats:
        return f"{text!r} has no @key (items are separated by ';')" if text else "an empty item"
    if len(ats) > 1:
        return f"{text!r} has two keys; separate them with ';'"
    at = ats[0]
    found = read_key(text, at)
    if found is None:
        return f"{text!r}: cannot read the key"
    key, end = found
    suppress = at > 0 and text[at - 1] == "-"
    prefix = text[: at - 1 if suppress else at]
    if prefix and not prefix[-1].isspace():
        return f"{text!r}: put a space between the prefix and the key"
    locator, label, suffix = parse_locator(text[end:])
    return CiteItem(
        normal_key(key),
        "@" + key,
        prefix,
        locator,
        label,
        suffix,
        "suppress-author" if suppress else "",
    )


def parse_locator(rest: str) -> tuple[str, str, str]:
    """`, pp. 33-35 and more` → ("33-35", "page", " and more"); no locator: ("", "", rest)."""
    if not rest.startswith(","):
        return "", "", rest
    text = rest[1:].lstrip()
    label = "page"
    term = _LABEL.match(text)
    if term is not None:
        label = _LABELS[term.group(1).lower()]
        text = text[term.end() :]
    value = _LOCATOR.match(text)
    if value is None or (term is None and not text[:1].isdigit()):
        return "", "", rest
    return value.group().strip(), label, text[value.end() :]

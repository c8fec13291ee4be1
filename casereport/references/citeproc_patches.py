"""The engine half of the citeproc-py fix-up layer (the data half is in `citations`).

citeproc-py 0.11 renders some CSL wrongly, and slowly; these replacements of its methods are
applied once, when the first style is loaded, and are checked against pandoc's citeproc by
tests/test_pandoc_parity.py:

* a variable used by a ``cs:substitute`` is suppressed in the rest of the entry (CSL 1.0.2,
  "Substitution"): citeproc-py repeated the editors of an edited book ("Wallace DJ, Hahn BH,
  editors. Dubois' lupus … Wallace DJ, Hahn BH, editors.") and the title of a web page
  without author; ``cs:names`` now honours that suppression too;
* a localized date keeps the delimiter of the locale's ``cs:date`` unless the calling date
  sets one ("2020 Jan 16", not "2020Jan16" in NLM styles);
* a page range is shortened as pandoc's citeproc does under every ``page-range-format``:
  citeproc-py compared digits of numbers of different lengths ("1-15" became "1–5" under
  ``minimal``), abbreviated ranges with letters ("12A-12F" became "12A–F") and dropped a
  shared prefix only in part ("S12-S19"); held to pandoc by tests/test_pandoc_parity.py;
* a name list ending in the literal name "others" (BibTeX's ``and others``, as pandoc
  reads it) prints the names before it and "et al.", as pandoc's citeproc does; citeproc-py
  printed an author called "others";
* a citation's prefix, suffix and locator, ``suppress-author`` and narrative citations
  (`cite_cluster`), as pandoc's citeproc prints them; ``is-numeric="locator"`` tests the
  locator (citeproc-py looked for a variable of the reference);
* the CSL 1.0.2 variables it lacks are added to its lists (`csl_variables`);
* XPath results are memoised per element of a loaded style (the elements are kept alive so
  that their ids stay unique), and a cited item's reference is looked up once: together
  they cut formatting 50 references with nlm-citation-sequence from about 150 to 75 ms.
"""

from __future__ import annotations

import string
from typing import Any

from casereport.references.csl_variables import teach_citeproc

_LOG = "casereport-substituted"
_ALIVE: dict[int, Any] = {}  # element id -> element of every loaded style and locale
_XPATH: dict[tuple[int, str], Any] = {}
_AUTHOR: dict[str, Any] = {}  # while a cite renders without its author, or only its author
_FORCED: dict[str, Any] = {}  # name options forced while a list ending in "others" renders


def keep_alive(*roots: Any) -> None:
    """Keep every element of these trees alive, so their XPath results may be memoised."""
    for tree in {id(t): t for t in roots}.values():
        _ALIVE.update((id(element), element) for element in tree.getroottree().iter())


def patch_citeproc() -> None:
    """Replace the citeproc-py methods listed in the module docstring; idempotent."""
    from citeproc import model, source

    if getattr(model, "_casereport_patched", False):
        return
    model._casereport_patched = True
    teach_citeproc()
    text_variable = model.Text._variable
    names = _names(model.Names.process)

    def variable(self: Any, item: Any, context: Any) -> Any:
        text = text_variable(self, item, context)
        log = context.get_layout().repressed.get(_LOG)
        if text is not None and log is not None:
            log.append((self.tag, self.get("variable")))
        return text

    xpath_search = model.CitationStylesElement.xpath_search

    def memoised_xpath(self: Any, expression: str) -> Any:
        if id(self) not in _ALIVE:
            return xpath_search(self, expression)
        key = (id(self), expression)
        if key not in _XPATH:
            _XPATH[key] = xpath_search(self, expression)
        return _XPATH[key]

    model.CitationStylesElement.xpath_search = memoised_xpath
    source.CitationItem.reference = property(_item_reference)
    model.Text._variable = variable
    model.Names.process = names
    model.Substitute.render = _substitute_render
    model.Date.render_single_date = _render_single_date
    model.FormatNumber._format_last_page = _format_last_page
    _patch_author_modes(model)
    _patch_others(model)
    is_numeric = model.If._is_numeric

    def locator_is_numeric(self: Any, item: Any) -> Any:
        found = is_numeric(self, item)
        names = self.get("is-numeric").split()
        if "locator" in names and item.has_locator:
            locator = bool(self.re_numeric.match(str(item.locator.identifier)))
            found[names.index("locator")] = locator
        return found

    model.If._is_numeric = locator_is_numeric
    model.Layout.render_citation = _render_citation


def _render_citation(self: Any, citation: Any, callback: Any) -> Any:
    """citeproc-py's, but a cluster in which an item has a prefix or suffix keeps its items
    in the order written, as pandoc's citeproc does (`[see @b; also @a]`)."""
    from citeproc.model import VariableError

    bibliography = citation.bibliography
    good = [cite for cite in citation.cites if not cite.is_bad()]
    bad = [cite for cite in citation.cites if cite.is_bad()]
    written = any(dict.get(c, "prefix") or dict.get(c, "suffix") for c in citation.cites)
    if not written:
        good.sort(key=lambda item: bibliography.keys.index(item.key))
        if self.getparent().sort is not None:
            good = self.getparent().sort.sort(good, self)
    out = []
    for item in good:
        self.repressed = {}
        try:
            output = self.render_children(item)
        except VariableError:
            continue
        if output is not None:
            out.append(item.get("prefix", "") + output + item.get("suffix", ""))
            self.getparent().cites.append(item)
    out.extend(callback(item) or f"{item.key}?" for item in bad)
    return self.format(self.wrap(self.join(out)))


def _names(names_process: Any) -> Any:
    """cs:names that honours substitution, suppress-author and author-only (see above)."""

    def names(
        self: Any, item: Any, names_context: Any = None, context: Any = None, **kw: Any
    ) -> Any:
        repressed = (context if context is not None else self).get_layout().repressed
        roles = self.get("variable", "").split()
        if roles and all(role in repressed.get(self.tag, ()) for role in roles):
            return None
        if _first_names("suppress-author"):
            return None
        text = names_process(self, item, names_context=names_context, context=context, **kw)
        if _first_names("author-only"):
            _AUTHOR["captured"] = text
        log = repressed.get(_LOG)
        if text is not None and log is not None:
            log.extend((self.tag, role) for role in roles)
        return text

    return names


def _first_names(mode: str) -> bool:
    """Whether the cite renders in `mode` and this is its first cs:names (the author)."""
    if _AUTHOR.get("mode") != mode or _AUTHOR.get("done"):
        return False
    _AUTHOR["done"] = True
    return True


def _patch_author_modes(model: Any) -> None:
    """A cite marked "suppress-author" renders without its first cs:names, one marked
    "author-only" renders as that cs:names alone (see `cite_cluster`)."""
    layout_children = model.Layout.render_children

    def render_children(self: Any, item: Any, *args: Any, **kw: Any) -> Any:
        mode = dict.get(item, "casereport-mode") if isinstance(item, dict) else None
        if mode not in ("suppress-author", "author-only"):
            return layout_children(self, item, *args, **kw)
        _AUTHOR.update(mode=mode, done=False, captured=None)
        try:
            text = layout_children(self, item, *args, **kw)
            return _AUTHOR["captured"] if mode == "author-only" else text
        finally:
            _AUTHOR.clear()

    model.Layout.render_children = render_children


def _patch_others(model: Any) -> None:
    """Names ending in the literal "others" end in "et al." (see the module docstring)."""
    get_option = model.Name.get_option
    process = model.Name.process

    def forced_option(self: Any, name: str, context: Any = None, sort_options: Any = None) -> Any:
        if name in _FORCED:
            return _FORCED[name]
        return get_option(self, name, context, sort_options)

    def process_others(
        self: Any,
        item: Any,
        variable: str,
        context: Any = None,
        sort_options: Any = None,
        **kw: Any,
    ) -> Any:
        names = item.reference.get(variable, [])
        if not names or dict(names[-1]) != {"literal": "others"}:
            return process(self, item, variable, context, sort_options, **kw)
        real = names[:-1]

        def option(name: str) -> Any:
            return get_option(self, name, context, sort_options)

        minimum = option("et-al-min")
        truncated = len(real) > 1 and minimum and len(real) >= minimum
        forced = (
            {} if truncated or not real else {"et-al-min": len(real), "et-al-use-first": len(real)}
        )
        item.reference[variable] = real
        _FORCED.update(forced)
        try:
            text = process(self, item, variable, context, sort_options, **kw)
        finally:
            item.reference[variable] = names
            _FORCED.clear()
        if len(real) != 1 or option("form") == "count" or not self.et_al():
            return text
        precedes = option("delimiter-precedes-et-al") == "always"
        return self.join([text, self.et_al()], option("delimiter") if precedes else " ")

    model.Name.get_option = forced_option
    model.Name.process = process_others


def cite_cluster(bibliography: Any, cites: list[dict[str, str]]) -> str:
    """One citation cluster as the style's citation prints it, with pandoc's extras: each cite
    is {id, prefix, suffix, locator, label, mode}. A narrative (author-in-text) cite prints
    the author as the citation's first cs:names does, then the citation without the author;
    a style whose citation prints no author (numeric) prints the citation alone, as pandoc
    does."""
    from citeproc import Citation

    citation = Citation([_citation_item(cite) for cite in cites])
    bibliography.register(citation)
    text = str(bibliography.cite(citation, _unknown_item))
    narrative = [cite for cite in cites if cite["mode"] == "author-in-text"]
    if not narrative:
        return text
    only = Citation([_citation_item({**narrative[0], "mode": "author-only"})])
    bibliography.register(only)
    layout = bibliography.style.root.citation.layout
    layout.repressed = {}
    author = layout.render_children(only.cites[0])
    return f"{author} {text}" if author else text


def _citation_item(cite: dict[str, str]) -> Any:
    from citeproc import CitationItem
    from citeproc.source import Locator

    extras = {name: cite[name] for name in ("prefix", "suffix") if cite.get(name)}
    if cite.get("locator"):
        extras["locator"] = Locator(cite.get("label") or "page", cite["locator"])
    item = CitationItem(cite["id"], **extras)
    mode = cite.get("mode")
    if mode in ("suppress-author", "author-in-text", "author-only"):
        item["casereport-mode"] = "author-only" if mode == "author-only" else "suppress-author"
    return item


def _unknown_item(item: Any) -> str:
    from casereport.errors import BuildError

    raise BuildError(f"citation of an unknown item {item.key!r}")


def _format_last_page(self: Any, first: str, last: str) -> str:
    """The second number of a page range as the style's `page-range-format` prints it."""
    return range_end(str(first), str(last), self.get_root().get_option("page-range-format"))


def range_end(first: str, last: str, range_format: str | None) -> str:
    """`last` shortened against `first` under a CSL `page-range-format` (None: as written).

    Both must have the same non-digit prefix ("S12", "S19") and end in digits; otherwise,
    or when the numbers differ in length, nothing is dropped ("1-15", "12A-12F").
    """
    prefix = first.rstrip(string.digits)
    x, y = first[len(prefix) :], last[len(prefix) :]
    if range_format is None or last.rstrip(string.digits) != prefix or not x or not y:
        return last
    if len(y) < len(x):  # "1496-504" is read as 1496-1504
        y = x[: len(x) - len(y)] + y
    if range_format == "expanded":
        return prefix + y
    if range_format in ("minimal", "minimal-two"):
        return _minimal(x, y, 1 if range_format == "minimal" else 2)
    if range_format in ("chicago", "chicago-15", "chicago-16"):
        return _chicago(x, y, fifteenth=range_format != "chicago-16")
    return last


def _chicago(x: str, y: str, *, fifteenth: bool) -> str:
    """The Chicago Manual's rules (15th edition: "1496-1504" stays whole)."""
    if len(x) < 3 or x.endswith("00"):
        return y
    if x[-2] == "0":
        return _minimal(x, y, 1)
    changed = sum(a != b for a, b in zip(x.ljust(len(y)), y, strict=True))
    if fifteenth and len(x) == 4 and changed >= 3:
        return y
    return _minimal(x, y, 2)


def _minimal(x: str, y: str, keep: int) -> str:
    """`y` without the digits it shares with `x`, keeping at least `keep` digits."""
    if len(x) != len(y):
        return y
    shared = next((i for i, (a, b) in enumerate(zip(x, y, strict=True)) if a != b), len(y))
    rest = y[shared:]
    return rest if len(rest) >= keep else y[-keep:]


def _item_reference(self: Any) -> Any:
    """The reference a citation item names, found once."""
    found = self.__dict__.get("_casereport_reference")
    if found is None:
        found = self.__dict__["_casereport_reference"] = self.bibliography.source[self.key]
    return found


def _substitute_render(self: Any, item: Any, context: Any = None, **kwargs: Any) -> Any:
    """The first child that renders stands in; what it rendered is suppressed afterwards."""
    from citeproc import model

    repressed = context.get_layout().repressed
    for child in self.getchildren():
        log: list[tuple[str, str]] = []
        outer = repressed.get(_LOG)
        repressed[_LOG] = log
        try:
            if isinstance(child, model.Names) and child.name is None:
                names = self.xpath_search("./parent::cs:names[1]")[0]
                text = child.render(item, names_context=names, context=context, **kwargs)
            else:
                text = child.render(item, context=context, **kwargs)
        except model.VariableError:
            continue
        finally:
            repressed[_LOG] = outer
        if text:
            for tag, name in log:
                repressed.setdefault(tag, []).append(name)
            if outer is not None:
                outer.extend(log)
            return text
    return None


def _render_single_date(self: Any, date: Any, show_parts: Any = None, context: Any = None) -> Any:
    """A date's parts joined by the locale date's delimiter unless the caller sets one."""
    parts = (
        self.parts(date, show_parts, context) if context != self else self.parts(date, show_parts)
    )
    if not parts:
        return None
    caller_sets = context is not None and context.get("delimiter") is not None
    joiner = context if self.is_locale_date() and caller_sets else self
    return joiner.join(parts)

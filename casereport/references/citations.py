"""Citation numbering, compressed citation lists and bibliographies formatted with citeproc-py.

Importing this module is cheap: citeproc-py is imported only when a style is loaded or a
bibliography is formatted.

citeproc-py 0.11 has gaps that matter for a printed letter. They are worked around in one thin
layer here (``_prepare_item`` before formatting, ``_finish`` after it) and nowhere else:

* its HTML output passes a style's affixes and literal text through unescaped, and it does not
  always escape field text: ``&``, ``<`` and ``>`` in any string field are replaced by
  private-use characters before formatting (text-case transforms leave private-use characters
  alone), and the processor writes through `csl_html`, which escapes everything it produced
  and allows only the formatting tags CSL can ask for. Rich-text markup in fields (``<i>``,
  ``<span class="nocase">``) is therefore printed as text, never as HTML;
* it doubles punctuation where a field ends in ``.``, ``?`` or ``!`` and a ``.`` follows
  (``?.``, ``et al..``, ``<i>et al.</i>.``): the second mark is dropped;
* it lower-cases reference ids (``Ref1`` and ``ref1`` collide): items get synthetic ids and
  entries are mapped back by position, never by id;
* it knows only the CSL 1.0 variables and warns about CSL-JSON keys it does not know (an
  error under ``-W error``): it is taught the CSL 1.0.2 ones (`csl_variables`; ``event-title``
  also fills in ``event``, and the other way round), only CSL variables are passed on, and
  ``journalAbbreviation`` is read as ``container-title-short``;
* DOIs are given without a resolver prefix, so a DOI already written as
  ``https://doi.org/...`` (or ``doi:...``) is not doubled by the style's prefix;
* straight apostrophes in field text become typographic ones (U+2019), as the CSL
  specification asks and citeproc-js and pandoc do;
* it numbers bibliography entries itself, glued to the entry where a style uses
  ``second-field-align``: the leading ``citation-number`` of the bibliography layout is taken
  out of the parsed style and kept as a label format (``[{n}]``, ``{n}.``) for the template;
* it renders some CSL wrongly (substituted variables repeated, locale date delimiters lost)
  and slowly (the same XPath queries thousands of times): the engine half of this layer,
  kept apart for size, replaces those methods (``citeproc_patches``, with the evidence).
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from casereport.errors import BuildError
from casereport.references.csl_variables import ALIASES, SYNONYMS, VARIABLES

# Sentinels already present in the input become U+FFFD so they cannot turn into entities.
_TO_SENTINEL = str.maketrans(
    {
        "\ue000": "\ufffd",
        "\ue001": "\ufffd",
        "\ue002": "\ufffd",
        "\ue003": "\ufffd",
        "\ue004": "\ufffd",
        "&": "\ue000",
        "<": "\ue001",
        ">": "\ue002",
    }
)

# An end mark (or "...") and closing tags, then a "." that ends the sentence: "?." -> "?".
_DOUBLED_PUNCTUATION = re.compile(r"(\.\.\.|(?<!\.)[.?!\u2026])((?:</[a-z]+>)*)\.(?=\s|<|$)")
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_NAME_KEYS = frozenset({"family", "given", "dropping-particle", "non-dropping-particle", "suffix"})

_render_lock = threading.Lock()


_NO_SMART_QUOTES = frozenset({"DOI", "URL", "PMID", "PMCID", "ISSN", "ISBN"})


@dataclass(frozen=True)
class CslStyle:
    """A parsed CSL style; equal (and cached alike) when path and modification time match.

    `label` is the bibliography's number format (``"{n}."``, ``"[{n}]"``) taken out of the
    entries, or None when the style prints no number there. `numeric` tells whether the
    style cites by number (else citeproc-py renders each citation, e.g. author-date).
    """

    path: Path
    mtime_ns: int
    style: Any = field(compare=False, repr=False)
    label: str | None = field(default=None, compare=False)
    numeric: bool = field(default=True, compare=False)


@dataclass(frozen=True)
class Cite:
    """One item of a citation cluster: the index of its item and pandoc's extras.

    `label` is a CSL locator label (``page``, ``chapter``, …); `mode` is ``""``,
    ``"suppress-author"`` (``[-@k]``) or ``"author-in-text"`` (narrative ``@k``).
    """

    index: int
    prefix: str = ""
    locator: str = ""
    label: str = ""
    suffix: str = ""
    mode: str = ""


@dataclass(frozen=True)
class Formatted:
    """A formatted reference list: entries in printed order and the citations in the text.

    `order[i]` is the index, in the items given, of the i-th printed entry (numeric styles
    print in cited order; author-date styles in the style's sort order). `citations` holds one
    HTML fragment per citation cluster given.
    """

    entries: tuple[str, ...]
    order: tuple[int, ...]
    citations: tuple[str, ...] = ()


def number_citations(cited_keys_in_order: Iterable[str]) -> dict[str, int]:
    """First-cited order numbering: first occurrence gets next number; repeats keep theirs."""
    numbers: dict[str, int] = {}
    for key in cited_keys_in_order:
        numbers.setdefault(key, len(numbers) + 1)
    return numbers


def compress(
    numbers: Iterable[int], *, range_sep: str = "-", list_sep: str = ", ", min_run: int = 2
) -> str:
    """Sorted, deduplicated, runs of `min_run`+ consecutive numbers collapsed: [1,2,3,6] ->
    '1-3, 6'. CSL styles collapse runs of three or more (`min_run=3`: [1,2] -> '1, 2')."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    parts: list[str] = []
    for run in runs:
        if len(run) >= max(min_run, 2):
            parts.append(f"{run[0]}{range_sep}{run[-1]}")
        else:
            parts.extend(str(number) for number in run)
    return list_sep.join(parts)


def load_style(path: Path) -> CslStyle:
    """Parse a CSL style file, once per resolved path and modification time.

    A dependent style (an alias that only names its parent) is replaced by its parent from
    the installed style collection: citeproc-py would load it and crash when rendering.
    """
    from casereport.references.styles import StyleNotFound, find_style

    try:
        resolved = find_style(str(path)).path.resolve()
        mtime_ns = resolved.stat().st_mtime_ns
    except StyleNotFound as exc:
        raise BuildError(f"cannot read CSL style {path}: {exc}") from exc
    except OSError as exc:
        raise BuildError(f"cannot read CSL style {path}: {exc}") from exc
    return _load_style(resolved, mtime_ns)


@lru_cache(maxsize=16)
def _load_style(path: Path, mtime_ns: int) -> CslStyle:
    """Parse the style at an already resolved path (without RelaxNG validation: 9 ms)."""
    from citeproc import CitationStylesStyle

    from casereport.references.citeproc_patches import keep_alive, patch_citeproc
    from casereport.references.styles import citation_format

    patch_citeproc()
    try:
        style = CitationStylesStyle(str(path), validate=False)
    except (OSError, ValueError, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        raise BuildError(f"cannot parse CSL style {path}: {exc}") from exc
    except AttributeError:  # the root element is not a CSL <style>
        raise BuildError(f"{path} is not a CSL style (its root is not <style>)") from None
    if style.root.bibliography is None:
        raise BuildError(f"CSL style {path} has no bibliography")
    label = _take_label(style.root.bibliography.layout)
    keep_alive(style.root, *style.root.locales)
    numeric = citation_format(path) in ("numeric", None)
    return CslStyle(path, mtime_ns, style, label, numeric)


def _take_label(layout: Any) -> str | None:
    """Remove the leading citation number from a bibliography layout; return its format."""
    for element in layout.iter():
        if element is layout or not any(k in element.attrib for k in ("variable", "macro")):
            continue
        if element.get("variable") != "citation-number":
            return None
        label = str(element.get("prefix", "")) + "{n}" + str(element.get("suffix", ""))
        element.getparent().remove(element)
        return label.strip()
    return None


def format_bibliography(style: CslStyle, items: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Format CSL-JSON items, already in cited order, as one HTML fragment each.

    Entries come back in the order given and do NOT include the citation number (the
    style's number format is `style.label`; the template numbers the list). Each fragment
    is safe to insert into HTML as it is (field text is escaped; only ``<i>``-like tags from
    the style are markup). An item of which the style renders nothing gives an empty string.
    Identical (style, items) calls are served from a cache and return the same tuple.
    """
    formatted = format_references(style, items, (), sort=False)
    return formatted.entries


def format_references(
    style: CslStyle,
    items: Sequence[Mapping[str, Any]],
    clusters: Sequence[Sequence[int | Cite]] = (),
    *,
    sort: bool | None = None,
) -> Formatted:
    """Format the items (in cited order) and each citation cluster (item indices, or `Cite`s
    with a prefix, locator, suffix or mode). The entries are sorted as the style says unless
    the style is numeric or `sort` is False. Served from a cache on (style, items, clusters)."""
    key = json.dumps(list(items), sort_keys=True, ensure_ascii=False, default=_plain_mapping)
    do_sort = (not style.numeric) if sort is None else sort
    cluster_key = tuple(
        tuple(c if isinstance(c, Cite) else Cite(c) for c in cluster) for cluster in clusters
    )
    return _format_cached(style, key, cluster_key, do_sort)


def _plain_mapping(value: object) -> dict[str, Any]:
    """Serialise a non-dict Mapping (a read-only view, say) as the dict it reads as."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"a CSL item holds {type(value).__name__}, which is not JSON data")


@lru_cache(maxsize=64)
def _format_cached(
    style: CslStyle, items_json: str, clusters: tuple[tuple[Cite, ...], ...], sort: bool
) -> Formatted:
    """Format the items serialised in ``items_json`` (the cache key) with ``style``."""
    items: list[dict[str, Any]] = json.loads(items_json)
    prepared = [_prepare_item(index, item) for index, item in enumerate(items)]
    with _render_lock:
        entries, order, cited = _render(style, prepared, clusters, sort)
    return Formatted(
        tuple(_finish(entry) for entry in entries),
        tuple(order),
        tuple(_finish(text) for text in cited),
    )


def _render(
    style: CslStyle,
    prepared: list[dict[str, Any]],
    clusters: tuple[tuple[Cite, ...], ...],
    sort: bool,
) -> tuple[list[str], list[int], list[str]]:
    """Cite every item once, in order, render the clusters, then each entry on its own."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography
    from citeproc.source.json import CiteProcJSON

    from casereport.references import csl_html
    from casereport.references.citeproc_patches import cite_cluster

    bibliography = CitationStylesBibliography(style.style, CiteProcJSON(prepared), csl_html)
    for item in prepared:
        bibliography.register(Citation([CitationItem(item["id"])]))
    ids = [item["id"] for item in prepared]
    cited = [
        cite_cluster(bibliography, [_hide_cite(c, ids) for c in cluster]) for cluster in clusters
    ]
    if sort:
        bibliography.sort()
    entries = [
        "".join(str(text) for text in style.style.render_bibliography([cite]))
        for cite in bibliography.items
    ]
    order = [int(cite.key.removeprefix("item")) - 1 for cite in bibliography.items]
    return entries, order, cited


def _hide_cite(cite: Cite, ids: list[str]) -> dict[str, str]:
    """A cite for `citeproc_patches.cite_cluster`: synthetic id, specials hidden in its text."""
    if not 0 <= cite.index < len(ids):
        raise BuildError(f"citation of an unknown item {cite.index}")
    return {
        "id": ids[cite.index],
        "prefix": _apostrophes(cite.prefix).translate(_TO_SENTINEL),
        "suffix": _apostrophes(cite.suffix).translate(_TO_SENTINEL),
        "locator": cite.locator.translate(_TO_SENTINEL),
        "label": cite.label,
        "mode": cite.mode,
    }


def _prepare_item(index: int, item: Mapping[str, Any]) -> dict[str, Any]:
    """Give the item a synthetic id, keep only CSL variables and hide HTML-special characters."""
    from citeproc import NAMES

    if "type" not in item:
        raise BuildError(f"reference {item.get('id', index + 1)!r} has no CSL 'type'")
    prepared: dict[str, Any] = {"id": f"item{index + 1}", "type": item["type"]}
    for key, value in item.items():
        csl_key = ALIASES.get(key, key)
        if csl_key in VARIABLES and (csl_key not in prepared or key == csl_key):
            text = value if csl_key in _NO_SMART_QUOTES else _apostrophes(value)
            prepared[csl_key] = _hide_specials(text)
    for key, other in SYNONYMS.items():
        if key in prepared and other not in prepared:
            prepared[other] = prepared[key]
    if "DOI" in prepared:
        prepared["DOI"] = _DOI_PREFIX.sub("", str(prepared["DOI"])).strip()
    for role in (name.replace("_", "-") for name in NAMES):
        if isinstance(prepared.get(role), list):
            prepared[role] = [_clean_name(name) for name in prepared[role]]
    return prepared


def _clean_name(name: object) -> dict[str, Any]:
    """Keep the name parts citeproc-py knows (a literal name stands alone)."""
    if not isinstance(name, Mapping):
        raise BuildError(f"a CSL name must be an object with 'family' and 'given', not {name!r}")
    if "literal" in name:
        return {"literal": name["literal"]}
    return {key: value for key, value in name.items() if key in _NAME_KEYS}


def _apostrophes(value: Any) -> Any:
    """Straight apostrophes in every string inside value become typographic ones."""
    if isinstance(value, str):
        return value.replace("'", "\u2019")
    if isinstance(value, list):
        return [_apostrophes(part) for part in value]
    if isinstance(value, Mapping):
        return {key: _apostrophes(part) for key, part in value.items()}
    return value


def _hide_specials(value: Any) -> Any:
    """Replace &, < and > in every string inside value by private-use sentinels (numbers
    outside names and dates become text)."""
    if isinstance(value, str):
        return value.translate(_TO_SENTINEL)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    if isinstance(value, list):
        return [_hide_specials(part) for part in value]
    if isinstance(value, dict):
        return {key: _hide_specials(part) for key, part in value.items()}
    return value


def _finish(entry: str) -> str:
    """Safe HTML (see `csl_html`), then doubled end punctuation dropped."""
    from casereport.references.csl_html import to_html

    return _DOUBLED_PUNCTUATION.sub(r"\1\2", to_html(entry))

"""Citation numbering, compressed citation lists and bibliographies formatted with citeproc-py.

Importing this module is cheap: citeproc-py is imported only when a style is loaded or a
bibliography is formatted.

citeproc-py 0.11 has gaps that matter for a printed letter. They are worked around in one thin
layer here (``_prepare_item`` before formatting, ``_finish`` after it) and nowhere else:

* it does not HTML-escape field text: ``&``, ``<`` and ``>`` in any string field are replaced by
  private-use characters before formatting and turned into ``&amp;``, ``&lt;`` and ``&gt;``
  afterwards (text-case transforms leave private-use characters alone). Rich-text markup in
  fields (``<i>``, ``<span class="nocase">``) is therefore printed as text, never as HTML;
* it doubles punctuation where a field ends in ``.``, ``?`` or ``!`` and a ``.`` follows
  (``?.``, ``et al..``, ``<i>et al.</i>.``): the second mark is dropped;
* it lower-cases reference ids (``Ref1`` and ``ref1`` collide): items get synthetic ids and
  entries are mapped back by position, never by id;
* it warns about CSL-JSON keys it does not know (an error under ``-W error``): only CSL
  variables are passed on, and ``journalAbbreviation`` is read as ``container-title-short``;
* DOIs are given without a resolver prefix, so a DOI already written as
  ``https://doi.org/...`` (or ``doi:...``) is not doubled by the style's prefix.
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

# Sentinels already present in the input become U+FFFD so they cannot turn into entities.
_TO_SENTINEL = str.maketrans(
    {
        "\ue000": "\ufffd",
        "\ue001": "\ufffd",
        "\ue002": "\ufffd",
        "&": "\ue000",
        "<": "\ue001",
        ">": "\ue002",
    }
)
_FROM_SENTINEL = str.maketrans({"\ue000": "&amp;", "\ue001": "&lt;", "\ue002": "&gt;"})

# An end mark (or "...") and closing tags, then a "." that ends the sentence: "?." -> "?".
_DOUBLED_PUNCTUATION = re.compile(r"(\.\.\.|(?<!\.)[.?!\u2026])((?:</[a-z]+>)*)\.(?=\s|<|$)")
_DOI_PREFIX = re.compile(r"^\s*(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_NAME_KEYS = frozenset({"family", "given", "dropping-particle", "non-dropping-particle", "suffix"})
_KEY_ALIASES = {"shortTitle": "title-short", "journalAbbreviation": "container-title-short"}

_render_lock = threading.Lock()


@dataclass(frozen=True)
class CslStyle:
    """A parsed CSL style; equal (and cached alike) when path and modification time match."""

    path: Path
    mtime_ns: int
    style: Any = field(compare=False, repr=False)


def number_citations(cited_keys_in_order: Iterable[str]) -> dict[str, int]:
    """First-cited order numbering: first occurrence gets next number; repeats keep theirs."""
    numbers: dict[str, int] = {}
    for key in cited_keys_in_order:
        numbers.setdefault(key, len(numbers) + 1)
    return numbers


def compress(numbers: Iterable[int], *, range_sep: str = "-", list_sep: str = ", ") -> str:
    """Sorted, deduplicated, runs of 2+ consecutive numbers collapsed: [1,2,3,6] -> '1-3, 6'."""
    runs: list[list[int]] = []
    for number in sorted(set(numbers)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    return list_sep.join(
        str(run[0]) if len(run) == 1 else f"{run[0]}{range_sep}{run[-1]}" for run in runs
    )


def load_style(path: Path) -> CslStyle:
    """Parse a CSL style file, once per resolved path and modification time."""
    resolved = path.resolve()
    try:
        mtime_ns = resolved.stat().st_mtime_ns
    except OSError as exc:
        raise BuildError(f"cannot read CSL style {path}: {exc}") from exc
    return _load_style(resolved, mtime_ns)


@lru_cache(maxsize=16)
def _load_style(path: Path, mtime_ns: int) -> CslStyle:
    """Parse the style at an already resolved path (without RelaxNG validation: 9 ms)."""
    from citeproc import CitationStylesStyle

    try:
        style = CitationStylesStyle(str(path), validate=False)
    except (OSError, ValueError, SyntaxError) as exc:  # lxml's XMLSyntaxError is a SyntaxError
        raise BuildError(f"cannot parse CSL style {path}: {exc}") from exc
    return CslStyle(path=path, mtime_ns=mtime_ns, style=style)


def format_bibliography(style: CslStyle, items: Sequence[Mapping[str, Any]]) -> tuple[str, ...]:
    """Format CSL-JSON items, already in cited order, as one HTML fragment each.

    Entries come back in the order given and do NOT include the citation number: the
    template prints them in an ordered list, which numbers them. Each fragment is safe to
    insert into HTML as it is (field text is escaped; only ``<i>``-like tags from the style
    are markup): wrap it in ``markupsafe.Markup`` or use ``|safe``. An item of which the
    style renders nothing gives an empty string. Identical (style, items) calls are served
    from a cache and return the same tuple.
    """
    key = json.dumps(list(items), sort_keys=True, ensure_ascii=False, default=_plain_mapping)
    return _format_cached(style, key)


def _plain_mapping(value: object) -> dict[str, Any]:
    """Serialise a non-dict Mapping (a read-only view, say) as the dict it reads as."""
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"a CSL item holds {type(value).__name__}, which is not JSON data")


@lru_cache(maxsize=64)
def _format_cached(style: CslStyle, items_json: str) -> tuple[str, ...]:
    """Format the items serialised in ``items_json`` (the cache key) with ``style``."""
    items: list[dict[str, Any]] = json.loads(items_json)
    prepared = [_prepare_item(index, item) for index, item in enumerate(items)]
    with _render_lock:
        rendered = _render(style, prepared)
    return tuple(_finish(entry) for entry in rendered)


def _render(style: CslStyle, prepared: list[dict[str, Any]]) -> list[str]:
    """Cite every item once, in order, and render each bibliography entry on its own."""
    from citeproc import Citation, CitationItem, CitationStylesBibliography, formatter
    from citeproc.source.json import CiteProcJSON

    bibliography = CitationStylesBibliography(style.style, CiteProcJSON(prepared), formatter.html)
    for item in prepared:
        bibliography.register(Citation([CitationItem(item["id"])]))
    return [
        "".join(str(text) for text in style.style.render_bibliography([cite]))
        for cite in bibliography.items
    ]


def _prepare_item(index: int, item: Mapping[str, Any]) -> dict[str, Any]:
    """Give the item a synthetic id, keep only CSL variables and hide HTML-special characters."""
    from citeproc import NAMES, VARIABLES

    if "type" not in item:
        raise BuildError(f"reference {item.get('id', index + 1)!r} has no CSL 'type'")
    known = {name.replace("_", "-") for name in VARIABLES}
    prepared: dict[str, Any] = {"id": f"item{index + 1}", "type": item["type"]}
    for key, value in item.items():
        csl_key = _KEY_ALIASES.get(key, key)
        if csl_key in known and (csl_key not in prepared or key == csl_key):
            prepared[csl_key] = _hide_specials(value)
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


def _hide_specials(value: Any) -> Any:
    """Replace &, < and > in every string inside value by private-use sentinels."""
    if isinstance(value, str):
        return value.translate(_TO_SENTINEL)
    if isinstance(value, list):
        return [_hide_specials(part) for part in value]
    if isinstance(value, dict):
        return {key: _hide_specials(part) for key, part in value.items()}
    return value


def _finish(entry: str) -> str:
    """Drop doubled end punctuation, then turn the sentinels into HTML entities."""
    return _DOUBLED_PUNCTUATION.sub(r"\1\2", entry).translate(_FROM_SENTINEL)

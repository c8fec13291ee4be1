"""The reference list of a letter: which CSL style, how citations look, the formatted entries.

The style is, in order: `--style` on the command line, `style:` in the case, `style:` in the
journal profile, else the profile's own `style.csl`. The in-text form comes from the journal
profile only when its own style is used and journal.yaml spells the form out (`citations:`);
any other numeric style gives its own form (brackets, parentheses, superscript), and a style
that does not cite by number (author-date) has every citation formatted by the CSL processor.

Formatting is cached in the build folder on (style file, items, citations), so a rebuild whose
references did not change neither imports citeproc-py nor formats anything.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from casereport.cache import content_key, read_json, write_json
from casereport.errors import Problem, ProblemsFound, UsageError
from casereport.inputs import MAX_STYLE_BYTES, file_problem
from casereport.journal import Journal
from casereport.model import Case
from casereport.numbered import Resolved
from casereport.prose import CitationStyle
from casereport.references.citations import Cite
from casereport.references.styles import (
    StyleChoice,
    StyleNotFound,
    find_style,
    in_text_form,
    prints_locator,
)


@dataclass(frozen=True)
class CitationSetup:
    """The style chosen for a case and the in-text form it gives (None: not numeric)."""

    style: StyleChoice
    in_text: CitationStyle | None


@dataclass(frozen=True)
class ReferenceList:
    """What the template needs: entries in printed order and how the text cites them."""

    entries: tuple[str, ...] = ()
    in_text: CitationStyle = field(default_factory=CitationStyle)
    label: str | None = None
    numbered: bool = True
    cited: Mapping[tuple[tuple[str, ...], ...], str] = field(default_factory=dict)
    items: tuple[Mapping[str, Any], ...] = ()  # the item (CSL-JSON) of each entry, in order

    @property
    def labels(self) -> tuple[str, ...]:
        """One printed label per entry when the style's number format is not "N."."""
        if not self.numbered or self.label in (None, "{n}."):
            return ()
        label = self.label or ""
        return tuple(label.replace("{n}", str(n)) for n in range(1, len(self.entries) + 1))


def choose_style(
    case_dir: Path, case: Case, journal: Journal, override: str | None = None
) -> CitationSetup:
    """The case's style and in-text form (a style file is named from `case_dir`); an unknown
    style is a usage error (`override`, from the command line) or a problem of the case."""
    try:
        choice = _find(case_dir, case, journal, override)
        own = override is None and case.style is None
        if own and journal.own_citations:
            return CitationSetup(choice, journal.citations)
        return CitationSetup(choice, in_text_form(choice.path, journal.citations))
    except StyleNotFound as exc:
        if override is not None:
            raise UsageError(f"--style: {exc}") from None
        if case.style is not None:
            raise ProblemsFound([Problem(("style",), str(exc))]) from None
        raise ProblemsFound([Problem(("journal",), f"{journal.id}: {exc}")]) from None


def _find(case_dir: Path, case: Case, journal: Journal, override: str | None) -> StyleChoice:
    if override is not None:
        return find_style(override, Path.cwd())
    if case.style is not None:
        if case.style.endswith(".csl") or "/" in case.style:
            problem = file_problem(case_dir, case.style, "style files", max_bytes=MAX_STYLE_BYTES)
            if problem:
                raise StyleNotFound(problem)
        return find_style(case.style, case_dir)
    if journal.style is not None:
        return find_style(journal.style, journal.folder)
    return find_style(str(journal.csl_path))


Signature = tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class ReferenceInputs:
    """Everything the reference list is made from, and nothing else: two equal values give
    equal lists, so this is the key of every cache of the list (in memory and on disk)."""

    style: Path
    style_bytes: bytes
    items: str  # the cited items as CSL-JSON, in citation order
    clusters: tuple[Signature, ...]  # the clusters the style formats, in reading order
    in_text: CitationStyle | None
    journal_citations: CitationStyle

    @property
    def key(self) -> str:
        """The content key of the formatted entries and clusters."""
        return content_key(self.style_bytes, json.dumps([self.items, self.clusters]))


def reference_inputs(setup: CitationSetup, journal: Journal, resolved: Resolved) -> ReferenceInputs:
    """What `reference_list` reads: the style's bytes, the cited items, the clusters of the
    text and the legends that the style formats, and the in-text forms."""
    refs = resolved.references
    items = json.dumps([ref.csl() for ref in refs], sort_keys=True)
    clusters = tuple(_clusters(resolved, numeric=setup.in_text is not None)) if refs else ()
    style_bytes = setup.style.path.read_bytes() if refs else b""
    return ReferenceInputs(
        setup.style.path, style_bytes, items, clusters, setup.in_text, journal.citations
    )


def reference_list(inputs: ReferenceInputs, cache_dir: Path) -> ReferenceList:
    """Format the cited references (from the build cache when made from equal inputs)."""
    in_text = inputs.in_text or inputs.journal_citations
    items: list[dict[str, Any]] = json.loads(inputs.items)
    if not items:
        return ReferenceList(in_text=in_text)
    index = {item["id"]: i for i, item in enumerate(items)}
    found = read_json(cache_dir, inputs.key)
    cached: dict[str, Any] = found if isinstance(found, dict) and _valid(found) else {}
    if not cached:
        cites = [_cites(c, index) for c in inputs.clusters]
        cached = _format(inputs.style, items, cites, sort=inputs.in_text is None)
        write_json(cache_dir, inputs.key, cached)
    return ReferenceList(
        entries=tuple(cached["entries"]),
        in_text=in_text,
        label=cached["label"],
        numbered=inputs.in_text is not None,
        cited=dict(zip(inputs.clusters, cached["cited"], strict=True)),
        items=tuple(items[i] for i in cached["order"]),
    )


def unprinted_locators(resolved: Resolved, setup: CitationSetup) -> list[Problem]:
    """A warning for each citation whose locator (`p. 33`) the style's citations cannot print:
    pandoc leaves it out silently; here the author is told."""
    if prints_locator(setup.style.path):
        return []
    texts = resolved.labelled_texts
    return [
        Problem(
            path,
            f"the citation style prints no locators: the locator of {cluster.source!r} is left out",
            needle=cluster.source,
        ).as_warning()
        for path, prose in texts
        for cluster in prose.clusters
        if any(item.locator for item in cluster.items)
    ]


def _clusters(resolved: Resolved, *, numeric: bool) -> list[Signature]:
    """The distinct reference clusters of the text and legends that the CSL processor prints,
    in reading order: every one for a style that does not cite by number, else those with a
    prefix, locator or suffix (the others print as compressed numbers)."""
    proses = resolved.proses
    found = (
        c.signature
        for prose in proses
        for c in prose.clusters
        if not (c.is_figure or c.is_table) and (c.extras or not numeric)
    )
    return list(dict.fromkeys(found))


def _cites(signature: Signature, index: Mapping[str, int]) -> list[Cite]:
    """A cluster's signature as the citations layer takes it."""
    return [Cite(index[part[0]], *part[1:]) for part in signature]


def _format(
    style_path: Path, items: list[dict[str, Any]], clusters: list[list[Cite]], *, sort: bool
) -> dict[str, Any]:
    from casereport.references.citations import format_references, load_style

    style = load_style(style_path)
    formatted = format_references(style, items, clusters, sort=sort)
    return {
        "entries": list(formatted.entries),
        "label": style.label,
        "cited": list(formatted.citations),
        "order": list(formatted.order),
    }


def _is_order(order: object, count: int) -> bool:
    """A permutation of the entries' indices (which cited item each entry prints)."""
    return isinstance(order, list) and sorted(order) == list(range(count))


def _valid(cached: object) -> bool:
    """A cached reference list of the right shape whose every fragment is safe HTML (a doctored
    cache entry is formatted again, never trusted)."""
    from casereport.references.csl_html import is_safe_fragment

    return (
        isinstance(cached, dict)
        and isinstance(cached.get("entries"), list)
        and isinstance(cached.get("cited"), list)
        and (cached.get("label") is None or isinstance(cached.get("label"), str))
        and _is_order(cached.get("order"), len(cached["entries"]))
        and all(is_safe_fragment(text) for text in [*cached["entries"], *cached["cited"]])
    )

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
from casereport.errors import CaseError, UsageError
from casereport.inputs import MAX_STYLE_BYTES
from casereport.journal import Journal
from casereport.load import Source
from casereport.model import Case
from casereport.prose import CitationStyle
from casereport.resolve import Resolved
from casereport.styles import StyleChoice, StyleNotFound, find_style, in_text_form
from casereport.validate import diagnostic, file_problem


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
    cited: Mapping[tuple[str, ...], str] = field(default_factory=dict)

    @property
    def labels(self) -> tuple[str, ...]:
        """One printed label per entry when the style's number format is not "N."."""
        if not self.numbered or self.label in (None, "{n}."):
            return ()
        label = self.label or ""
        return tuple(label.replace("{n}", str(n)) for n in range(1, len(self.entries) + 1))


def choose_style(
    source: Source, case: Case, journal: Journal, override: str | None = None
) -> CitationSetup:
    """The case's style and in-text form; an unknown style is a usage or case error."""
    try:
        choice = _find(source, case, journal, override)
        own = override is None and case.style is None
        if own and journal.own_citations:
            return CitationSetup(choice, journal.citations)
        return CitationSetup(choice, in_text_form(choice.path, journal.citations))
    except StyleNotFound as exc:
        if override is not None:
            raise UsageError(f"--style: {exc}") from None
        if case.style is not None:
            raise CaseError([diagnostic(source, ("style",), str(exc))]) from None
        raise CaseError([diagnostic(source, ("journal",), f"{journal.id}: {exc}")]) from None


def _find(source: Source, case: Case, journal: Journal, override: str | None) -> StyleChoice:
    if override is not None:
        return find_style(override, Path.cwd())
    if case.style is not None:
        if case.style.endswith(".csl") or "/" in case.style:
            problem = file_problem(
                source.path.parent, case.style, "style files", max_bytes=MAX_STYLE_BYTES
            )
            if problem:
                raise StyleNotFound(problem)
        return find_style(case.style, source.path.parent)
    if journal.style is not None:
        return find_style(journal.style, journal.folder)
    return find_style(str(journal.csl_path))


def reference_list(
    setup: CitationSetup, journal: Journal, resolved: Resolved, cache_dir: Path
) -> ReferenceList:
    """Format the cited references (from the build cache when style and items are unchanged)."""
    refs = resolved.references
    if not refs:
        return ReferenceList(in_text=setup.in_text or journal.citations)
    items = [ref.csl() for ref in refs]
    index = {ref.id: i for i, ref in enumerate(refs)}
    clusters = [] if setup.in_text else _clusters(resolved)
    style_bytes = setup.style.path.read_bytes()
    key = content_key(style_bytes, json.dumps([items, clusters], sort_keys=True))
    found = read_json(cache_dir, key)
    cached: dict[str, Any] = found if isinstance(found, dict) and _valid(found) else {}
    if not cached:
        cached = _format(setup, items, [[index[k] for k in c] for c in clusters])
        write_json(cache_dir, key, cached)
    return ReferenceList(
        entries=tuple(cached["entries"]),
        in_text=setup.in_text or journal.citations,
        label=cached["label"],
        numbered=setup.in_text is not None,
        cited={tuple(c): text for c, text in zip(clusters, cached["cited"], strict=True)},
    )


def _clusters(resolved: Resolved) -> list[list[str]]:
    """Every distinct reference cluster of the text and legends, in reading order."""
    proses = [resolved.body, *(f.legend for f in resolved.figures)]
    keys = (c.keys for prose in proses for c in prose.clusters if not c.is_figure)
    return [list(k) for k in dict.fromkeys(keys)]


def _format(
    setup: CitationSetup, items: list[dict[str, Any]], clusters: list[list[int]]
) -> dict[str, Any]:
    from casereport.citations import format_references, load_style

    style = load_style(setup.style.path)
    formatted = format_references(style, items, clusters, sort=setup.in_text is None)
    return {
        "entries": list(formatted.entries),
        "label": style.label,
        "cited": list(formatted.citations),
    }


def _valid(cached: object) -> bool:
    return (
        isinstance(cached, dict)
        and isinstance(cached.get("entries"), list)
        and isinstance(cached.get("cited"), list)
        and "label" in cached
    )

"""Checks that warn but never block a build (the journal's limits, a consent statement), and
`Checked`: the case once it loaded, validated, resolved and was checked, which the output
stages (figures, references, render, export) take."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from casereport.errors import Diagnostic, Problem
from casereport.journal import Journal
from casereport.load import Source
from casereport.model import Case
from casereport.numbered import Resolved
from casereport.references.reflist import CitationSetup


@dataclass(frozen=True)
class Checked:
    """A case that loaded, validated and resolved: everything but the outputs."""

    source: Source
    case: Case
    journal: Journal
    resolved: Resolved
    warnings: tuple[Diagnostic, ...]
    citations: CitationSetup


def check_limits(resolved: Resolved, journal: Journal) -> Iterator[Problem]:
    """Warnings for every limit of the journal's article type that the case exceeds."""
    limits = journal.limits_for(resolved.case.article)
    counts = {
        "words": (resolved.words, limits.words, ("body" if resolved.case.body else "sections",)),
        "references": (len(resolved.references), limits.references, ("references",)),
        "figures": (len(resolved.figures), limits.figures, ("figures",)),
        "authors": (len(resolved.case.authors), limits.authors, ("authors",)),
    }
    article = resolved.case.article
    for what, (count, limit, path) in counts.items():
        if limit is not None and count > limit:
            message = f"{count} {what}; {journal.name} allows {limit} in a {article}"
            yield Problem(path, message).as_warning()
    if not resolved.case.consent:
        message = "no consent statement: journals require the patient's consent for publication"
        yield Problem((), message).as_warning()

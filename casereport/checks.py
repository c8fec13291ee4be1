"""Checks that warn but never block a build (the journal's limits, a consent statement), and
`Checked`: the case once it loaded, validated, resolved and was checked, which the output
stages (figures, references, render, export) take."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from casereport.articles import ArticleRules, section_id
from casereport.errors import Diagnostic, PathKey, Problem
from casereport.journal import Journal
from casereport.journal_limits import Limits, count_words, title_phrase, words_in
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
    """Warnings for every limit of the journal's article type that the case exceeds, each at
    its field, naming the journal, the limit and the count (`--strict` makes them errors)."""
    case = resolved.case
    limits = journal.limits_for(case.article)
    rules = journal.article(case.article)
    over = Over(journal.name, case.article.replace("-", " "))
    yield from _words(resolved, limits, rules, over)
    yield from _section_words(resolved, limits, over)
    yield from _abstract_words(resolved, limits, rules, over)
    yield from _title(case, limits, over)
    yield from _floats(resolved, limits, over)
    yield from over(("authors",), len(case.authors), "authors", limits.authors)
    yield from _learning_points(case, limits, over)
    references = len(resolved.references)
    yield from over(_references_field(case), references, "references", limits.references)
    if not case.consent:
        message = "no consent statement: journals require the patient's consent for publication"
        yield Problem((), message).as_warning()


@dataclass(frozen=True)
class Over:
    """Makes the warning for a count over a journal's limit for an article type."""

    journal: str
    kind: str  # the article type as a reader says it: "case report"

    def __call__(
        self,
        path: PathKey,
        count: int,
        what: str,
        limit: int | None,
        within: str = "",
        again: str = "",
    ) -> Iterator[Problem]:
        """A warning when `count` of `what` passes `limit`; `within` names the part of the
        article the limit is for ("the abstract"), `again` names it a second time."""
        if limit is None or count <= limit:
            return
        where = f" in {within}" if within else ""
        part = f"{again or within} of " if within else ""
        message = f"{count} {what}{where}; {self.journal} allows {limit} in {part}a {self.kind}"
        yield Problem(path, message).as_warning()


def _words(
    resolved: Resolved, limits: Limits, rules: ArticleRules, over: Over
) -> Iterator[Problem]:
    """The words as the journal counts them (`journal_limits.count_words`)."""
    if limits.words is None:
        return
    counted = count_words(resolved, limits, rules=rules)
    path: PathKey = ("body",) if resolved.case.body is not None else ("sections",)
    yield from over(path, counted.total, f"words ({counted.counted})", limits.words)


def _abstract_words(
    resolved: Resolved, limits: Limits, rules: ArticleRules, over: Over
) -> Iterator[Problem]:
    """The abstract's words, against `abstract_words` or else the article type's own
    `abstract: words:`; an abstract the journal does not print is reported by `structure`."""
    limit = limits.abstract_words if limits.abstract_words is not None else rules.abstract.words
    words = [p.words for path, p in resolved.texts if path[0] == "abstract"]
    if words and rules.abstract.shape != "none":
        yield from over(("abstract",), sum(words), "words", limit, "the abstract")


def _section_words(resolved: Resolved, limits: Limits, over: Over) -> Iterator[Problem]:
    """Each section or sub-section with a cap of its own (`section_words`)."""
    if not limits.section_words:
        return
    for path in _section_paths(resolved.case):
        limit = limits.section_words.get(section_id(str(path[-1])))
        if limit is not None:
            words = sum(p.words for at, p in resolved.texts if at[: len(path)] == path)
            within = f"the section {path[-1]!r}"
            yield from over(path, words, "words", limit, within, "that section")


def _section_paths(case: Case) -> Iterator[PathKey]:
    for name, value in case.sections.items():
        yield ("sections", name)
        if isinstance(value, dict):
            yield from (("sections", name, sub) for sub in value)


def _title(case: Case, limits: Limits, over: Over) -> Iterator[Problem]:
    title = case.title
    yield from over(("title",), len(title), "characters", limits.title_chars, "the title")
    yield from over(("title",), words_in(title), "words", limits.title_words, "the title")
    if case.running_title is not None:
        count = len(case.running_title)
        limit = limits.running_title_chars
        yield from over(("running_title",), count, "characters", limit, "the running title")
    for phrase in limits.title_forbidden:
        if title_phrase(case.title, phrase):
            message = (
                f'the title contains "{phrase}", which {over.journal} does not allow in a title'
            )
            yield Problem(("title",), message).as_warning()
    for phrase in limits.title_required:
        if not title_phrase(case.title, phrase):
            message = f'{over.journal} asks for "{phrase}" in the title'
            yield Problem(("title",), message).as_warning()


def _floats(resolved: Resolved, limits: Limits, over: Over) -> Iterator[Problem]:
    figures, tables = len(resolved.figures), len(resolved.tables)
    yield from over(("figures",), figures, "figures", limits.figures)
    yield from over(("tables",), tables, "tables", limits.tables)
    both = f"figures and tables ({figures} figures, {tables} tables)"
    path: PathKey = ("figures",) if figures else ("tables",)
    yield from over(path, figures + tables, both, limits.figures_and_tables)


def _learning_points(case: Case, limits: Limits, over: Over) -> Iterator[Problem]:
    """Fewer learning points than the journal asks for, or more than it allows."""
    low, high = limits.learning_points
    name = next((n for n in case.sections if section_id(n) == "learning-points"), None)
    value = case.sections.get(name) if name is not None else None
    count = len(value) if isinstance(value, tuple) else int(bool(value))
    path: PathKey = ("sections", name) if name is not None else ("sections",)
    if count < low:
        written = f"{count} learning points" if count else "no learning points"
        message = f"{written}; {over.journal} asks for at least {low} in a {over.kind}"
        yield Problem(path, message, key=name is None).as_warning()
    yield from over(path, count, "learning points", high)


def _references_field(case: Case) -> PathKey:
    """Where the references are written: `references:` (items in the case file carry its
    line and column), else `bibliography:`, else nowhere in the case file."""
    if any(ref.origin[2] is not None for ref in case.references):
        return ("references",)
    return ("bibliography",) if case.bibliography else ()


PLACEHOLDER = re.compile(r"\bTODO\b")


def check_placeholders(case: Case) -> Iterator[Problem]:
    """A warning at each text of the case that still holds a `TODO` placeholder (`casereport
    new` writes them where the author has something to write), and at each such name of a
    mapping (an author's name among the contributions)."""
    yield from _placeholders((), case.model_dump(exclude={"references"}))


def _placeholders(path: PathKey, value: Any) -> Iterator[Problem]:
    message = "a TODO placeholder is left to fill"
    if isinstance(value, str) and PLACEHOLDER.search(value):
        yield Problem(path, message, needle=PLACEHOLDER).as_warning()
    elif isinstance(value, dict):
        for key, item in value.items():
            if isinstance(key, str) and PLACEHOLDER.search(key):
                yield Problem((*path, key), message, key=True).as_warning()
            yield from _placeholders((*path, key), item)
    elif isinstance(value, list | tuple):
        for i, item in enumerate(value):
            yield from _placeholders((*path, i), item)

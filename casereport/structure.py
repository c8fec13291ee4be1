"""Structure: the case's text laid out as the journal publishes its article type.

Which sections, in which order, under which heading; whether the article has an abstract
and of which shape; keywords; which declarations it prints. Everything the case gives and the
article type cannot print is reported (never dropped silently); everything it requires and the
case lacks is an error naming the journal.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from casereport.articles import (
    DECLARATIONS,
    TEXT_SHAPE,
    ArticleRules,
    declaration_field,
    known_section,
    section_id,
)
from casereport.errors import PathKey, Problem
from casereport.model import Case

if TYPE_CHECKING:
    from casereport.journal import Journal

@dataclass(frozen=True)
class PlacedSection:
    """A section of the case where the journal prints it: written `name`, id, heading, the
    field path of its value, and its sub-sections (for a mapping of them)."""

    name: str
    id: str
    heading: str
    path: PathKey
    text: str | None = None  # Markdown
    items: tuple[str, ...] = ()  # a list (learning points)
    parts: tuple[PlacedSection, ...] = ()


def placed_sections(case: Case, rules: ArticleRules) -> tuple[PlacedSection, ...]:
    """The case's sections in the journal's order: the ones it names in its order, each
    other one right after the section the author wrote before it."""
    written = [_placed(name, value, rules) for name, value in case.sections.items()]
    order = {rule.id: i for i, rule in enumerate(rules.sections)}
    keys: list[float] = []
    for n, section in enumerate(written):
        before = keys[-1] if keys else -1.0
        keys.append(order[section.id] if section.id in order else before + 0.001 * (n + 1))
    return tuple(s for _, s in sorted(zip(keys, written, strict=True), key=lambda p: p[0]))


def printed_texts(case: Case, rules: ArticleRules) -> tuple[tuple[PathKey, str], ...]:
    """The case's prose in the order the journal prints it: the abstract, then the body or
    the sections in the journal's order (each with its sub-sections and items)."""
    fields = case.prose_fields()
    abstract = [f for f in fields if f[0][0] == "abstract"]
    by_path = dict(fields)
    rest: list[tuple[PathKey, str]] = []
    if ("body",) in by_path:
        rest.append((("body",), by_path[("body",)]))
    for section in placed_sections(case, rules):
        rest += [f for f in fields if f[0][:2] == section.path]
    return (*abstract, *rest)


def _placed(
    name: str, value: str | tuple[str, ...] | dict[str, str], rules: ArticleRules
) -> PlacedSection:
    section = section_id(name)
    rule = rules.rule(section)
    known = known_section(section)
    heading = rule.heading if rule else known.heading if known else name
    path: PathKey = ("sections", name)
    if isinstance(value, str):
        return PlacedSection(name, section, heading, path, text=value)
    if isinstance(value, tuple):
        return PlacedSection(name, section, heading, path, items=value)
    parts = tuple(_part(sub, text, (*path, sub)) for sub, text in value.items())
    return PlacedSection(name, section, heading, path, parts=parts)


def _part(name: str, text: str, path: PathKey) -> PlacedSection:
    section = section_id(name)
    known = known_section(section)
    return PlacedSection(name, section, known.heading if known else name, path, text=text)


def check_structure(case: Case, journal: Journal) -> list[Problem]:
    """Errors and warnings about the case's shape for this journal's article type."""
    if case.article not in journal.publishes:
        kinds = ", ".join(k.replace("-", " ") for k in journal.publishes)
        message = (
            f"{journal.name} has no {_kind(case)} in its profile (it has: {kinds}); "
            "choose another `journal:` (`care` for a case report following CARE)"
        )
        return [Problem(("article",), message)]
    rules = journal.article(case.article)
    found = [
        *_sections(case, rules, journal),
        *_abstract(case, rules, journal),
        *_keywords(case, rules, journal),
        *_declarations(case, rules, journal),
        *_contributors(case),
        *_article_shape(case),
        *_float_sections(case),
    ]
    return found


def text_shape(data: dict[str, Any]) -> Iterator[Problem]:
    """A letter or an image has one text (`body:`); a case report or series has sections.
    Read from the plain data, so it is reported with the schema's own problems."""
    article = data.get("article", "letter")
    if article not in TEXT_SHAPE:
        return  # the schema reports it
    kind = article.replace("-", " ")
    has_body, has_sections = "body" in data, "sections" in data
    if TEXT_SHAPE[article] == "body":
        if has_sections:
            message = f"a {kind} has one text (`body:`), not sections; write it as `body: |`"
            yield Problem(("sections",), message, key=True)
        elif not has_body:
            yield Problem(("body",), "required field is missing")
        return
    if has_body:
        message = f"a {kind} is written in `sections:` (introduction, case presentation, ...)"
        yield Problem(("body",), message + ", not as one `body:`", key=True)
    elif not has_sections:
        yield Problem(("sections",), "required field is missing")


def _sections(case: Case, rules: ArticleRules, journal: Journal) -> Iterator[Problem]:
    if TEXT_SHAPE[case.article] != "sections":
        return
    given: dict[str, str] = {}
    for name in case.sections:
        section = section_id(name)
        if section in given:
            message = f"{name!r} is the same section as {given[section]!r}: write it once"
            yield Problem(("sections", name), message, key=True)
        given.setdefault(section, name)
        if rules.rule(section) is None and not rules.other_sections:
            allowed = [r.heading for r in rules.sections]
            close = difflib.get_close_matches(name, allowed, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = (
                f"{journal.name} prints no section {name!r} in a {_kind(case)} "
                f"(its sections: {', '.join(allowed)}){hint}"
            )
            yield Problem(("sections", name), message, key=True)
    for rule in rules.sections:
        if rule.required and rule.id not in given:
            message = f"{journal.name} requires a section {rule.heading!r} in a {_kind(case)}"
            yield Problem(("sections",), message, key=True)


def _abstract(case: Case, rules: ArticleRules, journal: Journal) -> Iterator[Problem]:
    shape = rules.abstract
    if case.abstract is None:
        if shape.required:
            message = f"{journal.name} requires an abstract in a {_kind(case)}"
            yield Problem(("abstract",), message)
        return
    if shape.shape == "none":
        message = f"{journal.name} prints no abstract in a {_kind(case)}: it would be left out"
        yield Problem(("abstract",), message, key=True).as_warning()
        return
    if isinstance(case.abstract, str) or shape.shape == "plain":
        if isinstance(case.abstract, dict):
            message = f"{journal.name} asks for an abstract without parts in a {_kind(case)}"
            yield Problem(("abstract",), message, key=True)
        return
    known = {section_id(p): p for p in shape.parts}
    for part in case.abstract:
        if section_id(part) not in known:
            close = difflib.get_close_matches(part, list(shape.parts), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            parts = ", ".join(shape.parts)
            message = f"{journal.name} knows no abstract part {part!r} (its parts: {parts}){hint}"
            yield Problem(("abstract", part), message, key=True)
    given = {section_id(p) for p in case.abstract}
    for part_id, part in known.items():
        if part_id not in given:
            message = f"{journal.name}'s abstract has a part {part!r}: it is missing"
            yield Problem(("abstract",), message, key=True)


def _keywords(case: Case, rules: ArticleRules, journal: Journal) -> Iterator[Problem]:
    wanted = rules.keywords
    count = len(case.keywords)
    path: PathKey = ("keywords",) if case.keywords else ()
    if count < wanted.min:
        message = f"{journal.name} asks for at least {wanted.min} keywords; there are {count}"
        yield Problem(path, message, key=True)
    if wanted.max is not None and count > wanted.max:
        message = f"{journal.name} takes at most {wanted.max} keywords; there are {count}"
        yield Problem(path, message, key=True).as_warning()
    lowered = {k.lower() for k in case.keywords}
    for term in wanted.require:
        if term.lower() not in lowered:
            message = f"{journal.name} asks for {term!r} among the keywords"
            yield Problem(path, message, key=True)


def _declarations(case: Case, rules: ArticleRules, journal: Journal) -> Iterator[Problem]:
    printed = dict(rules.declarations)
    for kind, _ in DECLARATIONS:
        name = declaration_field(kind)
        value = getattr(case, name)
        if value and kind not in printed:
            message = (
                f"{journal.name} prints no {kind.replace('-', ' ')} statement in a "
                f"{_kind(case)}: it would be left out"
            )
            yield Problem((name,), message, key=True).as_warning()
    for kind in rules.required_declarations:
        name = declaration_field(kind)
        if not getattr(case, name, None):
            title = printed.get(kind, kind)
            message = f"{journal.name} requires a statement {title!r} in a {_kind(case)}"
            yield Problem((name,), message)


def _article_shape(case: Case) -> Iterator[Problem]:
    """A clinical image has its figure; a case series one case presentation per patient."""
    if case.article == "clinical-image" and not case.figures:
        yield Problem(("figures",), "a clinical image needs its figure (`figures:`)")
    if case.article != "case-series":
        return
    presentation = next((n for n in case.sections if section_id(n) == "case-presentation"), None)
    value = case.sections.get(presentation) if presentation else None
    if presentation is not None and not (isinstance(value, dict) and len(value) >= 2):
        message = (
            "a case series presents each patient in a part of its own: "
            "`case presentation:` with one entry per patient (patient 1: ..., patient 2: ...)"
        )
        yield Problem(("sections", presentation), message, key=True)


def _float_sections(case: Case) -> Iterator[Problem]:
    """A figure's or table's `section:` names a section (or sub-section) of the case."""
    names = {section_id(n): n for n in case.sections}
    names |= {
        section_id(sub): sub
        for value in case.sections.values()
        if isinstance(value, dict)
        for sub in value
    }
    items = [("figures", i, f.section) for i, f in enumerate(case.figures)]
    items += [("tables", i, t.section) for i, t in enumerate(case.tables)]
    for field, i, section in items:
        if section is None:
            continue
        if TEXT_SHAPE[case.article] == "body":
            message = f"a {_kind(case)} has no sections: `section:` is not used"
            yield Problem((field, i, "section"), message).as_warning()
        elif section_id(section) not in names:
            close = difflib.get_close_matches(section, list(names.values()), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            yield Problem((field, i, "section"), f"the case has no section {section!r}{hint}")


def _contributors(case: Case) -> Iterator[Problem]:
    authors = [a.name for a in case.authors]
    for name in case.contributions:
        if name not in authors:
            close = difflib.get_close_matches(name, authors, n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            message = f"{name!r} is not one of the authors{hint}"
            yield Problem(("contributions", name), message, key=True)


def _kind(case: Case) -> str:
    """The article type as a reader says it: "case report"."""
    return case.article.replace("-", " ")

"""Where a case reports a CARE item: its sections, its structured parts, its words.

Each finder returns `Place`s: how a reader finds the place in the article ("Case presentation ›
Timeline (Table 1)"), and the field path (with the words matched, for a match in a text) that
`positions.locate` turns into the line of the case file. Nothing here reads the Source: the
stage that holds it gives the places their lines (`checklist.where_lines`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property

from casereport.articles import ArticleRules, known_section, section_id
from casereport.errors import PathKey
from casereport.journal import Journal
from casereport.journal_limits import title_phrase
from casereport.model import Case
from casereport.numbered import Resolved
from casereport.prose import Prose

CASE_REPORT = "case report"
_PARAGRAPH_BREAK = re.compile(r"\n(?:[ \t]*\n)+")
_WORD_REST = re.compile(r"[\w-]*")


@dataclass(frozen=True)
class Place:
    """Where an item is reported: as a reader finds it, and its field path in the case file
    (`needle`: the words matched inside a text; `key`: the line of the key, not its value)."""

    label: str
    path: PathKey
    needle: re.Pattern[str] | None = None
    key: bool = False


@dataclass(frozen=True)
class Reading:
    """The case as the checklist reads it: what was written, for which journal, and its
    texts as printed (abstract, then the body or the sections in the journal's order)."""

    case: Case
    journal: Journal
    resolved: Resolved

    @cached_property
    def rules(self) -> ArticleRules:
        return self.journal.article(self.case.article)

    def heading(self, path: PathKey) -> str:
        """A text's place as a reader finds it: "Case presentation › Patient information",
        "Abstract › Background", "Learning points, point 2", "Text"."""
        names = [str(p) for p in path[1:] if isinstance(p, str)]
        point = next((f", point {p + 1}" for p in path if isinstance(p, int)), "")
        if path[0] == "abstract":
            return " › ".join(["Abstract", *(self._abstract_part(n) for n in names)])
        if path[0] != "sections" or not names:
            return "Text"
        top = section_id(names[0])
        rule, known = self.rules.rule(top), known_section(top)
        first = rule.heading if rule else known.heading if known else names[0]
        return " › ".join([first, *(_sub_heading(n) for n in names[1:])]) + point

    def _abstract_part(self, name: str) -> str:
        part = section_id(name)
        return next((p for p in self.rules.abstract.parts if section_id(p) == part), name)

    @cached_property
    def texts(self) -> tuple[tuple[PathKey, Prose], ...]:
        """The printed texts but the abstract's (an abstract summarises the text)."""
        return tuple((p, prose) for p, prose in self.resolved.texts if p[0] != "abstract")

    def float_label(self, kind: str, index: int) -> str:
        """ "Case presentation › Patient information (Table 1)": a figure or table with its
        number, as the journal names it, after the section that first mentions it."""
        item = (self.case.tables if kind == "tables" else self.case.figures)[index]
        prefix = "tbl:" if kind == "tables" else "fig:"
        label = self._float_name(kind, item.id)
        for path, prose in self.texts:
            written = next((c.source for c in prose.clusters if prefix + item.id in c.keys), None)
            if written is not None:
                where = self.heading(path)
                if path[0] == "body":
                    where += f", paragraph {_paragraph(prose.text, prose.text.find(written))}"
                return f"{where} ({label})"
        return label

    def _float_name(self, kind: str, id_: str) -> str:
        style = self.journal.citations
        if kind == "tables":
            number = next((t.number for t in self.resolved.tables if t.table.id == id_), 0)
            name = style.table.format(numbers=style.table_number(number))
        else:
            number = next((f.number for f in self.resolved.figures if f.figure.id == id_), 0)
            name = style.figure.format(numbers=str(number))
        return name.replace("\u00a0", " ")


def _sub_heading(name: str) -> str:
    known = known_section(section_id(name))
    return known.heading if known else name


def _cites(prose: Prose) -> set[str]:
    """The references a text cites (not its figures or tables)."""
    return {k for c in prose.clusters if not (c.is_figure or c.is_table) for k in c.keys}


def section_places(reading: Reading, ids: tuple[str, ...]) -> Iterator[Place]:
    """Each section or sub-section written under one of `ids`."""
    for name, value in reading.case.sections.items():
        if section_id(name) in ids:
            yield Place(reading.heading(("sections", name)), ("sections", name), key=True)
        if isinstance(value, dict):
            for sub in value:
                path: PathKey = ("sections", name, sub)
                if section_id(sub) in ids:
                    yield Place(reading.heading(path), path, key=True)


def abstract_places(reading: Reading, ids: tuple[str, ...]) -> Iterator[Place]:
    """The abstract's parts of `ids`; a plain abstract holds every part."""
    abstract = reading.case.abstract
    if not ids:
        return
    if isinstance(abstract, str):
        yield Place("Abstract", ("abstract",), key=True)
    elif abstract:
        for part in abstract:
            if section_id(part) in ids:
                path: PathKey = ("abstract", part)
                yield Place(reading.heading(path), path, key=True)


def word_places(
    reading: Reading, words: re.Pattern[str], within: tuple[str, ...]
) -> Iterator[Place]:
    """The first match of `words` in the texts of the sections `within` (and in a letter's
    text): "Case presentation › Follow-up and outcomes: “adverse effect”"."""
    for path, prose in reading.texts:
        if path[0] != "body" and not _scoped(path) & set(within):
            continue
        found = words.search(prose.text)
        if found is not None:
            where = reading.heading(path)
            if path[0] == "body":
                where += f", paragraph {_paragraph(prose.text, found.start())}"
            rest = _WORD_REST.match(prose.text, found.end())  # the whole word: “antibodies”
            word = prose.text[found.start() : rest.end() if rest else found.end()]
            yield Place(f"{where}: “{word}”", path, needle=words)
            return


def _scoped(path: PathKey) -> set[str]:
    """The section ids a text counts as: a standard sub-section's own ("Patient information"
    is not where treatment is described), else its section's and its own."""
    ids = [section_id(p) for p in path[1:] if isinstance(p, str)]
    return {ids[-1]} if len(ids) > 1 and known_section(ids[-1]) else set(ids)


def _paragraph(text: str, offset: int) -> int:
    return len(_PARAGRAPH_BREAK.findall(text.strip("\n"), 0, max(offset - 1, 0))) + 1


def _title(reading: Reading) -> Iterator[Place]:
    if title_phrase(reading.case.title, CASE_REPORT):
        yield Place("Title", ("title",))
        return
    forbidden = reading.journal.limits_for(reading.case.article).title_forbidden
    if any(title_phrase(CASE_REPORT, phrase) for phrase in forbidden):
        yield Place(
            f"Title (without “{CASE_REPORT}”, which {reading.journal.name} forbids)", ("title",)
        )


def _keywords(reading: Reading) -> Iterator[Place]:
    if reading.case.keywords:
        yield Place("Keywords", ("keywords",))


def _opening(reading: Reading) -> Iterator[Place]:
    """A letter's first paragraph, when it cites the literature."""
    for path, prose in reading.texts:
        first = _PARAGRAPH_BREAK.split(prose.text.strip(), maxsplit=1)[0]
        cited = [c for c in prose.clusters if not (c.is_figure or c.is_table)]
        if path == ("body",) and any(c.source in first for c in cited):
            yield Place("Text, paragraph 1", path)


def _tables(reading: Reading, shows: str) -> Iterator[Place]:
    for i, table in enumerate(reading.case.tables):
        if table.shows == shows:
            yield Place(reading.float_label("tables", i), ("tables", i))


def _charts(reading: Reading) -> Iterator[Place]:
    for i, figure in enumerate(reading.case.figures):
        if figure.chart is not None:
            yield Place(reading.float_label("figures", i), ("figures", i))


def _panels(reading: Reading, *, clinical: bool) -> Iterator[Place]:
    """Figures of photographs (`clinical`), or of histology and imaging (a panel with a
    stain or a modality)."""
    for i, figure in enumerate(reading.case.figures):
        tests = any(p.stain or p.modality for p in figure.panels)
        if figure.panels and tests != clinical:
            yield Place(reading.float_label("figures", i), ("figures", i))


def _follow_up_labs(reading: Reading) -> Iterator[Place]:
    """Laboratory values at more than one time, in a table."""
    if len({lab.at for lab in reading.case.labs}) > 1:
        yield from _tables(reading, "labs")


def _literature(reading: Reading) -> Iterator[Place]:
    """The discussion (a letter: its text) and the references it cites."""
    for path, prose in reading.texts:
        in_discussion = path[0] == "body" or any(
            section_id(str(p)) == "discussion" for p in path[1:2]
        )
        cited = _cites(prose)
        if in_discussion and cited:
            count = f"{len(cited)} reference{'s' if len(cited) != 1 else ''} cited"
            yield Place(f"{reading.heading(path)} ({count})", path, key=True)


def _consent(reading: Reading) -> Iterator[Place]:
    if reading.case.consent:
        heading = dict(reading.rules.declarations).get("consent", "Consent")
        yield Place(f"{heading} (declaration)", ("consent",))


FIELDS: dict[str, Callable[[Reading], Iterable[Place]]] = {
    "title": _title,
    "keywords": _keywords,
    "opening": _opening,
    "photographs": lambda r: _panels(r, clinical=True),
    "imaging": lambda r: _panels(r, clinical=False),
    "timeline": lambda r: (*_tables(r, "timeline"), *_charts(r)),
    "labs": lambda r: _tables(r, "labs"),
    "follow-up-labs": _follow_up_labs,
    "scores": lambda r: (*_tables(r, "scores"), *_charts(r)),
    "literature": _literature,
    "consent": _consent,
}

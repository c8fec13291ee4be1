"""A journal's limits per article type, and its own rules for counting words.

Journals cap more than the words, and count the words differently: BMJ Case Reports
"excluding abstract and references", ARD without tables and acknowledgements, Cell Press
with the legends (shared/reference/journals.md). A profile's `limits:` says, per article
type, every cap and what counts toward the words; `parse_limits` reads it (a typo is an
error, never ignored) and `count_words` counts a case as that journal counts it.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from casereport.articles import (
    ARTICLE_TYPES,
    DECLARATIONS,
    ArticleRules,
    declaration_field,
    section_id,
)
from casereport.clinical.tables import table_views
from casereport.model import Case, Reference
from casereport.numbered import Resolved
from casereport.prose import CitationStyle

# What may count toward a journal's words, in the order a description lists them.
COUNT_PARTS = (
    "text",  # the body, or the sections but the two below
    "patient-perspective",
    "learning-points",
    "abstract",
    "title",
    "legends",  # figure titles and legends
    "tables",  # titles, header and body cells, notes
    "declarations",  # the statements printed after the text (not the abbreviations)
    "references",  # the printed reference list
)
DEFAULT_COUNT = frozenset({"text", "patient-perspective", "learning-points"})
# Sections of a case report that are count parts of their own rather than `text`.
OWN_PARTS = ("patient-perspective", "learning-points")


@dataclass(frozen=True)
class Limits:
    """What a journal accepts for one article type (None, or empty: no limit)."""

    words: int | None = None
    count: frozenset[str] = DEFAULT_COUNT  # the parts that count toward `words`
    abstract_words: int | None = None
    references: int | None = None
    figures: int | None = None
    tables: int | None = None
    figures_and_tables: int | None = None
    authors: int | None = None
    learning_points: tuple[int, int | None] = (0, None)  # (min, max)
    title_chars: int | None = None
    title_words: int | None = None
    running_title_chars: int | None = None
    title_forbidden: tuple[str, ...] = ()  # phrases, whole words, any case; "!" too
    title_required: tuple[str, ...] = ()
    section_words: dict[str, int] = field(default_factory=dict, hash=False)  # section id → cap

    @property
    def counted(self) -> str:
        """How the words are counted, as a reader says it: "excluding abstract and
        references", or "counting text, patient perspective and learning points"."""
        return counting_rule(self.count)

    def describe(self) -> str:
        """The limits in one line, as `casereport journals` lists them ("" for none)."""
        caps = [
            (self.abstract_words, "words in the abstract"),
            (self.references, "references"),
            (self.figures, "figures"),
            (self.tables, "tables"),
            (self.figures_and_tables, "figures and tables"),
            (self.authors, "authors"),
            (self.title_words, "words in the title"),
            (self.title_chars, "characters in the title"),
            (self.running_title_chars, "characters in the running title"),
        ]
        parts = [f"{self.words} words ({self.counted})"] if self.words is not None else []
        parts += [f"{value} {what}" for value, what in caps if value is not None]
        low, high = self.learning_points
        if low or high is not None:
            span = f"{low}-{high}" if high is not None else f"at least {low}"
            parts.append(f"{span} learning points")
        parts += [f"{words} words in {name}" for name, words in self.section_words.items()]
        quoted = ", ".join(f'"{p}"' for p in self.title_forbidden)
        parts += [f"no {quoted} in the title"] if self.title_forbidden else []
        quoted = ", ".join(f'"{p}"' for p in self.title_required)
        parts += [f"{quoted} in the title"] if self.title_required else []
        return ", ".join(parts)


def counting_rule(count: frozenset[str]) -> str:
    """The shorter of "counting <parts>" and "excluding <the others>"."""
    counted = [p for p in COUNT_PARTS if p in count]
    left_out = [p for p in COUNT_PARTS if p not in count]
    if not left_out:
        return "counting everything"
    if len(left_out) <= len(counted):
        return f"excluding {_listed(left_out)}"
    return f"counting {_listed(counted) or 'nothing'}"


def _listed(parts: Sequence[str]) -> str:
    names = [p.replace("-", " ") for p in parts]
    return ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)


# Reading a profile's `limits:` ----------------------------------------------------------------

NUMBERS = (
    "words",
    "abstract_words",
    "references",
    "figures",
    "tables",
    "figures_and_tables",
    "authors",
    "title_chars",
    "title_words",
    "running_title_chars",
)
PHRASES = ("title_forbidden", "title_required")
KEYS = (*NUMBERS, "words_include", "words_exclude", "learning_points", *PHRASES, "section_words")


def parse_limits(data: Mapping[str, Any]) -> dict[str, Limits]:
    """A profile's `limits:` (article type → its limits); a ValueError naming the article
    type and the key for an unknown article type, key or count part, or a wrong type."""
    if not isinstance(data, Mapping):
        raise ValueError(f"expected a mapping of article types, not {_kind_of(data)}")
    found = {}
    for article, values in data.items():
        if article not in ARTICLE_TYPES:
            raise ValueError(
                _unknown(f"{article!r} is not an article type", str(article), ARTICLE_TYPES)
            )
        try:
            found[article] = _limits(values if values is not None else {})
        except ValueError as exc:
            raise ValueError(f"{article}: {exc}") from None
    return found


def _limits(data: object) -> Limits:
    if not isinstance(data, Mapping):
        raise ValueError(f"expected a mapping of limits, not {_kind_of(data)}")
    for key in data:
        if key not in KEYS:
            raise ValueError(_unknown(f"unknown limit {key!r}", str(key), KEYS))
    values: dict[str, Any] = {key: _number(key, data[key]) for key in NUMBERS if key in data}
    values |= {key: _phrases(key, data[key]) for key in PHRASES if key in data}
    if "learning_points" in data:
        values["learning_points"] = _range("learning_points", data["learning_points"])
    if "section_words" in data:
        values["section_words"] = _section_words(data["section_words"])
    return Limits(count=_count(data), **values)


def _count(data: Mapping[str, Any]) -> frozenset[str]:
    """`words_include` (the parts that count) or `words_exclude` (those that do not)."""
    if "words_include" in data and "words_exclude" in data:
        raise ValueError("words_include and words_exclude: give one of them, not both")
    if "words_include" in data:
        included = _parts("words_include", data["words_include"])
        if not included:
            raise ValueError("words_include: name at least one part that counts")
        return included
    if "words_exclude" in data:
        return frozenset(COUNT_PARTS) - _parts("words_exclude", data["words_exclude"])
    return DEFAULT_COUNT


def _parts(key: str, value: object) -> frozenset[str]:
    parts = set()
    for written in _strings(key, value):
        part = "-".join(written.lower().replace("_", " ").replace("-", " ").split())
        if part not in COUNT_PARTS:
            message = f"{key}: {written!r} is not a part words are counted in"
            raise ValueError(_unknown(message, part, COUNT_PARTS, listing=True))
        parts.add(part)
    return frozenset(parts)


def _number(key: str, value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{key}: expected a whole number of 0 or more, not {value!r}")
    return value


def _range(key: str, value: object) -> tuple[int, int | None]:
    if not isinstance(value, Mapping) or not value or set(value) - {"min", "max"}:
        raise ValueError(f"{key}: expected {{min: N, max: N}} (either or both), not {value!r}")
    low = _number(f"{key}: min", value.get("min", 0))
    high = _number(f"{key}: max", value["max"]) if "max" in value else None
    if high is not None and high < low:
        raise ValueError(f"{key}: min {low} is more than max {high}")
    return low, high


def _phrases(key: str, value: object) -> tuple[str, ...]:
    phrases = tuple(" ".join(p.split()) for p in _strings(key, value))
    if not all(phrases):
        raise ValueError(f"{key}: an empty phrase")
    return phrases


def _section_words(value: object) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise ValueError(f"section_words: expected section name → words, not {_kind_of(value)}")
    found: dict[str, int] = {}
    for name, words in value.items():
        section = section_id(str(name))
        if section in found:
            raise ValueError(f"section_words: {name!r} names a section given already")
        found[section] = _number(f"section_words: {name}", words)
    return found


def _strings(key: str, value: object) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError(f"{key}: expected a list of text, not {value!r}")
    return value


def _unknown(message: str, written: str, known: Sequence[str], *, listing: bool = False) -> str:
    close = difflib.get_close_matches(written, list(known), n=1, cutoff=0.6)
    if close:
        return f"{message}; did you mean {close[0]!r}?"
    return f"{message} ({', '.join(known)})" if listing or len(known) < 12 else message


def _kind_of(value: object) -> str:
    return "nothing" if value is None else f"{type(value).__name__} {value!r}"


# Counting ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class WordCount:
    """A case's words as one journal counts them: every part's words, and which count."""

    parts: dict[str, int] = field(hash=False)  # every count part → its words
    count: frozenset[str] = DEFAULT_COUNT

    @property
    def total(self) -> int:
        """The words that count toward the journal's limit."""
        return sum(n for part, n in self.parts.items() if part in self.count)

    @property
    def counted(self) -> str:
        """How they were counted ("excluding abstract and references")."""
        return counting_rule(self.count)


def count_words(
    resolved: Resolved,
    limits: Limits,
    *,
    rules: ArticleRules | None = None,
    references: Sequence[str] | None = None,
) -> WordCount:
    """The case's words, per part and in total, as a journal with `limits` counts them.

    Words are counted as `Prose.words` counts them (a word has a letter or a digit; a
    citation counts none, a figure or table mention two). `rules` (the journal's article
    type) says which declarations are printed and whether the abstract is; without it,
    every declaration the case gives and its abstract count. `references` is the printed
    text of each entry of the reference list, when the caller has it (after the reference
    list is formatted); without it, each entry is estimated from its CSL item
    (`reference_words`)."""
    case = resolved.case
    parts = dict.fromkeys(COUNT_PARTS, 0)
    for path, prose in resolved.texts:
        if path[0] != "abstract":
            parts[_text_part(path)] += prose.words
        elif rules is None or rules.abstract.shape != "none":
            parts["abstract"] += prose.words
    parts["title"] = words_in(case.title)
    parts["legends"] = sum(words_in(f.figure.title) + f.legend.words for f in resolved.figures)
    parts["tables"] = _table_words(resolved)
    parts["declarations"] = sum(words_in(t) for t in declaration_texts(case, rules))
    if references is None:
        parts["references"] = sum(reference_words(r) for r in resolved.references)
    else:
        parts["references"] = sum(words_in(t) for t in references)
    return WordCount(parts, limits.count)


def words_in(text: str) -> int:
    """The words of plain text, counted as `Prose.words` counts a paragraph's."""
    return sum(any(c.isalnum() for c in word) for word in text.split())


def _text_part(path: tuple[str | int, ...]) -> str:
    """The count part a text of the body or the sections belongs to."""
    if path[0] == "sections" and section_id(str(path[1])) in OWN_PARTS:
        return section_id(str(path[1]))
    return "text"


def _table_words(resolved: Resolved) -> int:
    """Titles, header and body cells and notes of every table, as printed."""
    found = 0
    for table in table_views(resolved.tables, resolved.case, CitationStyle()):
        cells = (*table.header, *(c.text for row in table.rows for c in row), *table.notes)
        found += words_in(table.title) + sum(words_in(c) for c in cells)
    return found


def declaration_texts(case: Case, rules: ArticleRules | None = None) -> Iterable[str]:
    """The statements printed after the text that the case gives (all it gives, without
    `rules`), as `assemble` prints them; not the list of abbreviations, a glossary rather
    than a statement."""
    kinds = [k for k, _ in (rules.declarations if rules else DECLARATIONS)]
    for kind in kinds:
        if kind == "contributions":
            yield from (
                f"{name}: {', '.join(roles)}." for name, roles in case.contributions.items()
            )
        elif kind == "consent" and rules and rules.consent and _written(case.consent):
            yield rules.consent
        elif kind != "abbreviations":
            value = getattr(case, declaration_field(kind), None)
            if isinstance(value, str):
                yield value


def _written(consent: str | None) -> bool:
    return (consent or "").strip().lower() == "written"


def reference_words(reference: Reference) -> int:
    """About the words a Vancouver (NLM) entry prints for the item: the family name and
    initials of the first six authors ("et al." for the rest), the title, the journal (its
    short title if given), the year, one word for volume, issue and pages together and one
    for the DOI. An estimate, for when the formatted list is not at hand (within a few words
    of what the NLM style and Clin Exp Rheumatol's print, on the example cases)."""
    item = reference.csl()
    authors = item.get("author") or item.get("editor") or []
    names = sum(
        words_in(str(a.get("family") or a.get("literal") or "")) + bool(a.get("given"))
        for a in authors[:AUTHORS_LISTED]
    ) + 2 * (len(authors) > AUTHORS_LISTED)
    journal = str(item.get("container-title-short") or item.get("container-title") or "")
    title = words_in(str(item.get("title") or ""))
    where = any(item.get(k) for k in ("volume", "issue", "page"))
    return (
        names + title + words_in(journal) + bool(item.get("issued")) + where + bool(item.get("DOI"))
    )


AUTHORS_LISTED = 6  # Vancouver: six authors, then "et al."


# The title ----------------------------------------------------------------------------------


def title_phrase(title: str, phrase: str) -> bool:
    """Whether `title` contains `phrase`, any case, as whole words ("!" anywhere)."""
    words = [re.escape(w) for w in phrase.split()]
    pattern = r"\s+".join(words)
    if phrase[:1].isalnum():
        pattern = r"(?<!\w)" + pattern
    if phrase[-1:].isalnum():
        pattern += r"(?!\w)"
    return re.search(pattern, title, re.IGNORECASE) is not None

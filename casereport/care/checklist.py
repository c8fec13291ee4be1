"""The CARE checklist of a case: each item reported (and where), missing (and what would
satisfy it), or not applicable to the article type.

`care_checklist` reads a checked case (`checks.Checked`) and gives `CareItem`s whose places
keep their field paths; `where_lines` gives those places their lines in the case file, and
`filled_checklist` makes the plain rows the `care` writer and `casereport check` print.

Not applicable: an abstract item when the journal prints no abstract for the article type,
key words when it takes none (a letter, a clinical image), and what the data file's
`articles:` keeps to longer articles: a clinical image is a picture with a legend-length
text (who, what was seen, the diagnosis, the treatment and its outcome, consent), and a
letter has no room for the diagnostic challenges, the prognosis, the strengths and
limitations or the patient's perspective, which CARE asks of a full case report.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from casereport.articles import TEXT_SHAPE
from casereport.care.evidence import (
    FIELDS,
    Place,
    Reading,
    abstract_places,
    section_places,
    word_places,
)
from casereport.care.items import GUIDELINE, NUMBERINGS, Requirement, requirements
from casereport.checked import CheckedCase
from casereport.errors import Problem
from casereport.positions import locate

if TYPE_CHECKING:
    from casereport.load import Source

Status = Literal["reported", "missing", "not applicable"]


@dataclass(frozen=True)
class CareItem:
    """One item of the checklist in the numbering asked for: its number (`other`: in the
    other numbering), the guideline's topic, what it asks, its status, where the case
    reports it, and `hint`: what would satisfy it (missing) or why it does not apply."""

    item: str
    other: str
    name: str
    text: str
    status: Status
    where: tuple[Place, ...] = ()
    hint: str = ""


def care_checklist(checked: CheckedCase, numbering: str = GUIDELINE) -> tuple[CareItem, ...]:
    """Every CARE item of `checked`, in `numbering` ("care", the guideline's, or
    "care-statement", the care-statement.org checklist's)."""
    if numbering not in NUMBERINGS:
        raise ValueError(f"no CARE numbering {numbering!r} (choose from {', '.join(NUMBERINGS)})")
    reading = Reading(checked.case, checked.journal, checked.resolved)
    other = next(n for n in NUMBERINGS if n != numbering)
    groups: dict[str, list[Requirement]] = {}
    for requirement in requirements():
        groups.setdefault(requirement.number(numbering), []).append(requirement)
    return tuple(_item(number, parts, reading, other) for number, parts in groups.items())


def _item(number: str, parts: list[Requirement], reading: Reading, other: str) -> CareItem:
    """One item from its parts (two, where the other numbering splits it): reported when
    every applicable part is, missing with what each missing part needs, not applicable
    (and why) when none applies."""
    found = [(part, _status(part, reading)) for part in parts]
    applicable = [(part, places) for part, places in found if places is not None]
    missing = [part for part, places in applicable if not places]
    status: Status = "not applicable" if not applicable else "missing" if missing else "reported"
    where = tuple(dict.fromkeys(p for _, places in applicable for p in places or ()))
    hints = [part.hint for part in missing] if applicable else [_not_asked(parts[0], reading)]
    return CareItem(
        number,
        ", ".join(dict.fromkeys(part.number(other) for part in parts)),
        parts[0].name,
        (len(parts) > 1 and parts[0].care_text) or " ".join(part.text for part in parts),
        status,
        where,
        "; ".join(hints),
    )


def _status(part: Requirement, reading: Reading) -> tuple[Place, ...] | None:
    """Where the case reports `part` (none: missing); None when it does not apply."""
    if _not_asked(part, reading):
        return None
    look = part.look
    places = [
        *section_places(reading, look.sections),
        *(p for name in look.fields for p in FIELDS[name](reading)),
        *abstract_places(reading, look.abstract),
    ]
    if not places and look.words is not None:
        places += word_places(reading, look.words, look.within)
    return tuple(places)


def _not_asked(part: Requirement, reading: Reading) -> str:
    """Why `part` does not apply to the case's article type ("": it does)."""
    article = reading.case.article
    kind, journal = article.replace("-", " "), reading.journal.name
    if article not in part.articles:
        return f"not asked of a {kind}, which has no room for it (CARE is written for case reports)"
    if part.look.abstract and reading.rules.abstract.shape == "none":
        return f"{journal} prints no abstract in a {kind}"
    keywords = reading.rules.keywords
    takes_keywords = TEXT_SHAPE[article] == "sections" or keywords.min > 0 or keywords.require
    if "keywords" in part.look.fields and not takes_keywords:
        return f"{journal} takes no key words in a {kind}"
    return ""


def where_lines(item: CareItem, source: Source, *, file: str | None = None) -> tuple[str, ...]:
    """Each place of `item` with its line in the case file: "Case presentation › Timeline
    (Table 1) (case.yaml:212)"; `file` names the case file (default: as `source` has it)."""
    return tuple(
        f"{place.label} ({at})"
        for place, at in zip(item.where, _lines(item.where, source, file), strict=True)
    )


def _lines(places: Iterable[Place], source: Source, file: str | None) -> Iterator[str]:
    problems = (Problem(p.path, "", needle=p.needle, key=p.key) for p in places)
    for diagnostic in locate(source, problems):
        name = file or diagnostic.file
        yield f"{name}:{diagnostic.line}" if diagnostic.line is not None else name


@dataclass(frozen=True)
class Row:
    """A checklist row as printed: every value text, each place with its line."""

    item: str
    other: str
    name: str
    text: str
    status: Status
    where: tuple[str, ...]
    hint: str

    def as_dict(self) -> dict[str, object]:
        """The row for JSON (`casereport check --format json`)."""
        return {
            "item": self.item,
            "name": self.name,
            "status": self.status,
            "where": list(self.where),
            "hint": self.hint,
            "text": self.text,
            "other": self.other,
        }


@dataclass(frozen=True)
class Checklist:
    """The filled checklist of one case, as plain data for the writers."""

    title: str
    journal: str
    article: str
    numbering: str  # the numbering's name, as a reader knows it
    other: str  # the other numbering's name
    rows: tuple[Row, ...]


def filled_checklist(
    checked: CheckedCase, numbering: str = GUIDELINE, *, file: str | None = None
) -> Checklist:
    """The checklist of `checked` with each place at its line of the case file, ready to
    write; `file` names the case file (default: its name in its folder, `case.yaml:88`, so
    an uploaded checklist shows no folder of the author's)."""
    from casereport.care.items import numbering_names

    source = checked.source
    rows = tuple(
        Row(
            i.item,
            i.other,
            i.name,
            i.text,
            i.status,
            where_lines(i, source, file=file or source.path.name),
            i.hint,
        )
        for i in care_checklist(checked, numbering)
    )
    names = numbering_names()
    other = next(n for n in NUMBERINGS if n != numbering)
    case = checked.case
    return Checklist(
        case.title, checked.journal.name, case.article, names[numbering], names[other], rows
    )

"""The CARE 2013 checklist as data: every item and sub-item, and where a case reports it.

The items live in `care-2013.yaml` beside this module (data, reviewed as data); here they
become frozen `Requirement`s. Each is one thing a case report must say, at the finer of the
two numberings journals hand out (shared/reference/care-and-privacy.md): the guideline's own
(`care`: the 2017 Explanation and Elaboration and the EQUATOR checklist, 3a-3c and 5a-5c)
and the care-statement.org checklist (`care-statement`: 3a-3d and 5a-5d).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

DATA = Path(__file__).with_name("care-2013.yaml")
GUIDELINE = "care"  # the guideline's own numbering, the default
NUMBERINGS = ("care", "care-statement")


@dataclass(frozen=True)
class Look:
    """Where a requirement is reported; any one of these reports it."""

    sections: tuple[str, ...] = ()  # a section or sub-section of one of these ids
    fields: tuple[str, ...] = ()  # structured parts of the case (`evidence.FIELDS`)
    abstract: tuple[str, ...] = ()  # parts of a structured abstract (ids); any plain abstract
    words: re.Pattern[str] | None = None  # looked for in the texts of `within`
    within: tuple[str, ...] = ()  # section ids (a letter's or an image's text always counts)


@dataclass(frozen=True)
class Requirement:
    """One item or sub-item: its numbers in both numberings, the guideline's topic, what
    it asks in our words, where it is looked for, and what would satisfy it."""

    care: str  # the guideline's number: "5c"
    statement: str  # care-statement.org's: "5d"
    name: str  # the guideline's topic: "Patient information"
    text: str
    hint: str
    look: Look
    articles: tuple[str, ...]  # the article types it applies to
    care_text: str = ""  # the whole item's text, where `care` keeps as one what is split here

    def number(self, numbering: str) -> str:
        """Its number in `numbering` ("care" or "care-statement")."""
        return self.care if numbering == GUIDELINE else self.statement


@cache
def requirements() -> tuple[Requirement, ...]:
    """Every requirement, in checklist order."""
    data = yaml.safe_load(DATA.read_text(encoding="utf-8"))
    return tuple(_requirement(entry, data) for entry in data["items"])


@cache
def numbering_names() -> dict[str, str]:
    """Each numbering's id → its name as a reader knows it."""
    names: dict[str, str] = yaml.safe_load(DATA.read_text(encoding="utf-8"))["numberings"]
    return names


def _requirement(entry: dict[str, Any], data: dict[str, Any]) -> Requirement:
    words = entry.get("words") or ()
    pattern = "|".join(rf"\b(?:{w})" for w in words)
    look = Look(
        sections=tuple(entry.get("sections", ())),
        fields=tuple(entry.get("fields", ())),
        abstract=tuple(entry.get("abstract", ())),
        words=re.compile(pattern, re.IGNORECASE) if pattern else None,
        within=tuple(data["within"][entry["within"]]) if "within" in entry else (),
    )
    articles = tuple(data["articles"][entry.get("articles", "all")])
    return Requirement(
        care=str(entry["care"]),
        statement=str(entry["statement"]),
        name=str(entry["name"]),
        text=str(entry["text"]),
        hint=str(entry["hint"]),
        look=look,
        articles=articles,
        care_text=str(entry.get("care_text", "")),
    )

"""Article types and the sections casereport knows: the vocabulary journal profiles use.

A case writes its sections under names in plain English (`introduction:`, `case
presentation:`); a journal profile says, per article type, which sections it prints, in what
order, under which heading, which are required and which it forbids. The names below are the
standard ones (CARE 2013 and the journals of `shared/reference/journals.md`), each with the
other spellings authors use; a section the vocabulary does not know is printed under the
heading the author wrote, where the article type allows other sections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

ARTICLE_TYPES = ("letter", "case-report", "clinical-image", "case-series")
ArticleType = Literal["letter", "case-report", "clinical-image", "case-series"]
# How each article type's text is written: one `body`, or `sections`.
TEXT_SHAPE = {
    "letter": "body",
    "clinical-image": "body",
    "case-report": "sections",
    "case-series": "sections",
}


@dataclass(frozen=True)
class Known:
    """A standard section: its id, its usual heading, and the names authors give it."""

    id: str
    heading: str
    names: tuple[str, ...] = ()
    list_only: bool = False  # written as a list (learning points)


SECTIONS = tuple(
    Known(*entry)
    for entry in (
        ("introduction", "Introduction", ("background",)),
        ("case-presentation", "Case presentation", ("case report", "case", "case description")),
        ("patient-information", "Patient information", ()),
        ("clinical-findings", "Clinical findings", ()),
        ("timeline", "Timeline", ()),
        ("diagnostic-assessment", "Diagnostic assessment", ()),
        ("therapeutic-intervention", "Therapeutic intervention", ()),
        ("follow-up-and-outcomes", "Follow-up and outcomes", ("follow-up and outcome",)),
        ("investigations", "Investigations", ()),
        ("differential-diagnosis", "Differential diagnosis", ()),
        ("treatment", "Treatment", ()),
        ("outcome-and-follow-up", "Outcome and follow-up", ("outcome", "follow-up")),
        ("discussion", "Discussion", ()),
        ("conclusion", "Conclusions", ("conclusions",)),
        ("learning-points", "Learning points", ("take-home messages",), True),
        ("patient-perspective", "Patient's perspective", ("patient's perspective",)),
    )
)
# CARE's sub-sections of the case presentation (items 5-11 of the checklist).
CARE_PARTS = (
    "patient-information",
    "clinical-findings",
    "timeline",
    "diagnostic-assessment",
    "therapeutic-intervention",
    "follow-up-and-outcomes",
)
_BY_NAME = {
    name: known for known in SECTIONS for name in (known.id, known.heading.lower(), *known.names)
}


def section_id(name: str) -> str:
    """The id of a section written as `name`: a known section's id, else the name made into
    an id ("Skin biopsy" → "skin-biopsy")."""
    key = " ".join(name.strip().lower().replace("-", " ").split())
    known = _BY_NAME.get(key) or _BY_NAME.get(key.replace(" ", "-"))
    if known is not None:
        return known.id
    return re.sub(r"[^a-z0-9]+", "-", key).strip("-") or "section"


def known_section(section: str) -> Known | None:
    """The standard section of that id, if it is one."""
    return next((k for k in SECTIONS if k.id == section), None)


@dataclass(frozen=True)
class SectionRule:
    """How an article type treats one section: its printed heading, required or not."""

    id: str
    heading: str
    required: bool = False


@dataclass(frozen=True)
class AbstractRule:
    """The abstract an article type has: none, plain, or structured in named parts."""

    shape: Literal["none", "plain", "structured"] = "none"
    parts: tuple[str, ...] = ()  # part headings, for a structured abstract
    required: bool = False
    words: int | None = None


@dataclass(frozen=True)
class KeywordRule:
    """How many keywords, and which must be among them ("case report")."""

    min: int = 0
    max: int | None = None
    require: tuple[str, ...] = ()


DECLARATIONS = (
    ("abbreviations", "Abbreviations"),
    ("ethics", "Ethics approval"),
    ("consent", "Consent for publication"),
    ("competing-interests", "Competing interests"),
    ("funding", "Funding"),
    ("contributions", "Authors' contributions"),
    ("acknowledgements", "Acknowledgements"),
    ("data-availability", "Availability of data and materials"),
)


def declaration_field(kind: str) -> str:
    """The case field a declaration is written in: "competing-interests" → competing_interests."""
    return kind.replace("-", "_")


@dataclass(frozen=True)
class ArticleRules:
    """An article type as one journal publishes it."""

    type: str
    sections: tuple[SectionRule, ...] = ()
    other_sections: bool = True  # sections the journal does not name are allowed
    abstract: AbstractRule = field(default_factory=AbstractRule)
    keywords: KeywordRule = field(default_factory=KeywordRule)
    declarations: tuple[tuple[str, str], ...] = ()  # (kind, heading) in printed order
    required_declarations: tuple[str, ...] = ()
    consent: str | None = None  # the journal's prescribed consent sentence
    template: str = ""

    def rule(self, section: str) -> SectionRule | None:
        """The journal's rule for a section id, if it names it."""
        return next((r for r in self.sections if r.id == section), None)


# The fourteen CRediT contributor roles (ANSI/NISO Z39.104-2022), as printed.
CREDIT_ROLES = (
    "Conceptualization",
    "Data curation",
    "Formal analysis",
    "Funding acquisition",
    "Investigation",
    "Methodology",
    "Project administration",
    "Resources",
    "Software",
    "Supervision",
    "Validation",
    "Visualization",
    "Writing – original draft",
    "Writing – review & editing",
)
_CREDIT = {re.sub(r"[^a-z]+", " ", role.lower()).strip(): role for role in CREDIT_ROLES}
_CREDIT |= {key.replace("z", "s"): role for key, role in _CREDIT.items()}  # British spelling


def credit_role(written: str) -> str:
    """The CRediT role written as `written` ("writing - original draft", "conceptualisation"),
    as CRediT prints it; a ValueError naming the closest role when it is none."""
    import difflib

    key = re.sub(r"[^a-z]+", " ", written.lower()).replace(" and ", " ").strip()
    found = _CREDIT.get(key)
    if found is not None:
        return found
    close = difflib.get_close_matches(key, list(_CREDIT), n=1, cutoff=0.6)
    hint = f"; did you mean {_CREDIT[close[0]]!r}?" if close else ""
    raise ValueError(f"{written!r} is not a CRediT role{hint}")

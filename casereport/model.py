"""The case and its parts: frozen, typed models that `validate` produces from plain data.

The parts live beside it (`model_fields`, `model_clinical`, `model_figures`); every model is
importable from here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    StringConstraints,
    Tag,
    model_validator,
)

from casereport.articles import ArticleType, credit_role
from casereport.model_clinical import (
    SCORE_FIELDS,
    DoseStep,
    Event,
    Lab,
    Scores,
    Table,
    Treatment,
)
from casereport.model_fields import (
    MAX_BODY_CHARACTERS,
    MAX_ITEMS,
    Email,
    Identifier,
    Model,
    Orcid,
    ReferenceId,
    Text,
    When,
    as_list,
    shape,
)
from casereport.model_figures import (
    Arrow,
    Chart,
    Circle,
    Direction,
    Figure,
    Fraction,
    Layout,
    Panel,
    Span,
    Width,
)
from casereport.references import csl_variables

__all__ = [
    "MAX_BODY_CHARACTERS",
    "MAX_ITEMS",
    "SCORE_FIELDS",
    "Arrow",
    "Author",
    "Case",
    "Chart",
    "Circle",
    "Correspondence",
    "Direction",
    "DoseStep",
    "Email",
    "Event",
    "Figure",
    "Fraction",
    "Identifier",
    "Lab",
    "Layout",
    "Model",
    "Orcid",
    "Panel",
    "Patient",
    "Reference",
    "ReferenceId",
    "Scores",
    "Span",
    "Table",
    "Text",
    "Treatment",
    "When",
    "Width",
    "csl_problems",
]


class Author(Model):
    """One author as signed under the letter."""

    name: Text = Field(description='Name as printed, e.g. "G. Guggino".')
    degrees: tuple[Text, ...] = Field(default=(), description="Degrees, e.g. [MD, PhD].")
    affiliations: tuple[Identifier, ...] = Field(
        default=(), description="Ids of entries in `affiliations`."
    )
    corresponding: StrictBool = False
    email: Email | None = None
    orcid: Orcid | None = None


class Correspondence(Model):
    """Where readers write to: the corresponding author's full name and postal address."""

    name: Text
    address: tuple[Text, ...] = Field(min_length=1, description="Address lines, in order.")
    email: Email


class Patient(Model):
    """A de-identified summary of the patient."""

    age: StrictInt = Field(ge=0, le=130)
    sex: Literal["female", "male", "other"]
    diagnosis: Text
    diagnosed: StrictInt | None = Field(
        default=None, ge=1900, le=2100, description="Year of diagnosis."
    )


_NAME_ROLES = csl_variables.NAMES
_DATES = csl_variables.DATES


def _name_problem(value: object) -> str | None:
    if not isinstance(value, list) or not all(isinstance(n, dict) for n in value):
        return "must be a list of names like {family: Smith, given: J.} or {literal: WHO}"
    for name in value:
        if not any(isinstance(name.get(k), str) for k in ("family", "given", "literal")):
            return f"name {name!r} has no family, given or literal text"
    return None


def _date_problem(value: object) -> str | None:
    if not isinstance(value, dict):
        return "must be a date like {date-parts: [[2020, 1, 16]]}"
    parts = value.get("date-parts")
    if parts is None:
        ok = isinstance(value.get("literal") or value.get("raw"), str)
        return None if ok else "needs date-parts, literal or raw"
    valid = isinstance(parts, list) and all(
        isinstance(p, list) and p and all(str(x).lstrip("-").isdigit() for x in p) for p in parts
    )
    return None if valid and parts else "date-parts must be lists of numbers: [[2020, 1, 16]]"


def csl_problems(item: dict[str, Any]) -> list[str]:
    """What makes the CSL-JSON variables of `item` unusable (names, dates, text fields)."""
    problems = []
    for key, value in item.items():
        if key in _NAME_ROLES:
            problem = _name_problem(value)
        elif key in _DATES:
            problem = _date_problem(value)
        elif isinstance(value, bool) or value is None:
            problem = "must be text or a number"
        else:
            problem = None
        if problem:
            problems.append(f"{key}: {problem}")
    return problems


class Reference(BaseModel):
    """A reference as a CSL-JSON item; fields beyond `id` and `type` pass to the CSL processor."""

    model_config = ConfigDict(frozen=True, extra="allow", defer_build=True)

    id: ReferenceId
    type: Text = "article-journal"
    _origin: tuple[str, int | None, int | None] = PrivateAttr(default=("", None, None))

    @model_validator(mode="after")
    def _csl_shape(self) -> Reference:
        problems = csl_problems(dict(self.model_extra or {}))
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def csl(self) -> dict[str, Any]:
        """The item as CSL-JSON."""
        return self.model_dump(mode="json")

    @property
    def origin(self) -> tuple[str, int | None, int | None]:
        """Where the item was written: file, line and column (None when not known)."""
        return self._origin

    def located(self, file: str, line: int | None, col: int | None = None) -> Reference:
        """The same reference, remembering where it was written."""
        copy = self.model_copy()
        copy._origin = (file, line, col)
        return copy


CreditRole = Annotated[Text, AfterValidator(credit_role)]
Prose = Annotated[Text, StringConstraints(max_length=MAX_BODY_CHARACTERS)]
AbstractText = Annotated[
    Annotated[Prose, Tag("(text)")] | Annotated[dict[Text, Prose], Tag("(mapping)")],
    Discriminator(shape),
]
SectionText = Annotated[
    Annotated[Prose, Tag("(text)")]
    | Annotated[tuple[Text, ...], Tag("(list)")]
    | Annotated[dict[Text, Prose], Tag("(mapping)")],
    Discriminator(shape),
]


class JournalOverride(Model):
    """What the case says differently for one journal (`journals: {bmj-case-reports: …}`):
    building for that journal uses these in place of the case's own. A section given here
    replaces the case's section of that name, or adds it; `null` leaves it out."""

    title: Text | None = None
    running_title: Text | None = None
    abstract: AbstractText | None = None
    keywords: tuple[Text, ...] | None = Field(default=None, max_length=MAX_ITEMS["keywords"])
    body: Prose | None = None
    sections: dict[Text, SectionText | None] = Field(
        default_factory=dict, max_length=MAX_ITEMS["sections"]
    )


class Case(Model):
    """A clinical case, as the author wrote it."""

    journal: Text = "clin-exp-rheumatol"
    article: ArticleType = Field(
        default="letter", description="letter, case-report, clinical-image or case-series."
    )
    title: Text
    running_title: Text | None = None
    abstract: AbstractText | None = Field(
        default=None, description="Plain text, or the parts the journal names (background: …)."
    )
    keywords: tuple[Text, ...] = Field(default=(), max_length=MAX_ITEMS["keywords"])
    authors: tuple[Author, ...] = Field(min_length=1)
    affiliations: dict[Identifier, Text] = Field(default_factory=dict)
    correspondence: Correspondence | None = None
    competing_interests: Text
    funding: str | None = None
    consent: str | None = None
    ethics: Text | None = None
    acknowledgements: Text | None = None
    data_availability: Text | None = None
    contributions: dict[Text, tuple[CreditRole, ...]] = Field(
        default_factory=dict, description="Each author's CRediT roles, by the author's name."
    )
    abbreviations: dict[Text, Text] = Field(default_factory=dict)
    patient: Patient | None = None
    scores: tuple[Scores, ...] = Field(default=(), max_length=MAX_ITEMS["scores"])
    treatments: tuple[Treatment, ...] = Field(default=(), max_length=MAX_ITEMS["treatments"])
    labs: tuple[Lab, ...] = Field(default=(), max_length=MAX_ITEMS["labs"])
    timeline: tuple[Event, ...] = Field(default=(), max_length=MAX_ITEMS["timeline"])
    body: Prose | None = Field(default=None, description="The text of a letter or an image.")
    sections: dict[Text, SectionText] = Field(
        default_factory=dict,
        max_length=MAX_ITEMS["sections"],
        description="A case report's text: section name → Markdown, a list (learning points), "
        "or sub-sections (name → Markdown).",
    )
    journals: dict[Text, JournalOverride] = Field(
        default_factory=dict,
        max_length=MAX_ITEMS["journals"],
        description="Front matter and sections written differently for one journal "
        "(journal id → title, running_title, abstract, keywords, body, sections).",
    )
    figures: tuple[Figure, ...] = Field(default=(), max_length=MAX_ITEMS["figures"])
    tables: tuple[Table, ...] = Field(default=(), max_length=MAX_ITEMS["tables"])
    references: tuple[Reference, ...] = Field(default=(), max_length=MAX_ITEMS["references"])
    bibliography: Annotated[tuple[Text, ...], BeforeValidator(as_list)] = Field(
        default=(),
        max_length=MAX_ITEMS["bibliography"],
        description="Bibliography files beside the case: CSL-JSON (.json), BibTeX (.bib), "
        "RIS (.ris).",
    )
    style: Text | None = Field(
        default=None,
        description="A CSL style by name (e.g. nlm-citation-sequence) or a .csl file; "
        "overrides the journal's.",
    )

    def prose_fields(self) -> tuple[tuple[tuple[str | int, ...], str], ...]:
        """Every text written in Markdown with citations, as written in the case file (field
        path, text): the abstract's parts, the body or each section and sub-section (a list
        of learning points item by item). Legends are the figures'."""
        found: list[tuple[tuple[str | int, ...], str]] = []
        if isinstance(self.abstract, str):
            found.append((("abstract",), self.abstract))
        elif self.abstract:
            found += [(("abstract", part), text) for part, text in self.abstract.items()]
        if self.body is not None:
            found.append((("body",), self.body))
        for name, value in self.sections.items():
            found += _section_texts(("sections", name), value)
        return tuple(found)

    @property
    def bibliography_files(self) -> tuple[str, ...]:
        """The bibliography files named."""
        return self.bibliography


def _section_texts(
    path: tuple[str | int, ...], value: str | tuple[str, ...] | dict[str, str]
) -> list[tuple[tuple[str | int, ...], str]]:
    if isinstance(value, str):
        return [(path, value)]
    if isinstance(value, tuple):
        return [((*path, i), item) for i, item in enumerate(value)]
    return [((*path, name), text) for name, text in value.items()]

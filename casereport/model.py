"""The case and its parts: frozen, typed models that `validate` produces from plain data.

The parts live beside it (`model_fields`, `model_clinical`, `model_figures`); every model is
importable from here.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    model_validator,
)

from casereport.articles import ArticleType
from casereport.model_clinical import SCORE_FIELDS, DoseStep, Event, Lab, Scores, Table, Treatment
from casereport.model_fields import (
    MAX_BODY_CHARACTERS,
    MAX_ITEMS,
    AbstractText,
    CoverLetter,
    CreditRole,
    Email,
    Identifier,
    Lang,
    Model,
    Orcid,
    Prose,
    ReferenceId,
    SectionText,
    Text,
    When,
    as_list,
    consent_choices,
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
    corresponding: StrictBool = Field(
        default=False, description="true for the author readers write to (marked in the byline)."
    )
    email: Email | None = Field(default=None, description="E-mail address.")
    orcid: Orcid | None = Field(default=None, description="ORCID iD, e.g. 0000-0002-1825-0097.")


class Correspondence(Model):
    """Where readers write to: the corresponding author's full name and postal address."""

    name: Text = Field(description="The corresponding author's full name.")
    address: tuple[Text, ...] = Field(min_length=1, description="Address lines, in order.")
    email: Email = Field(description="E-mail address readers write to.")


class Patient(Model):
    """A de-identified summary of the patient."""

    age: StrictInt = Field(ge=0, le=130, description="Age in years at presentation.")
    sex: Literal["female", "male", "other"] = Field(description="female, male or other.")
    diagnosis: Text = Field(description="The main diagnosis, in words.")
    diagnosed: StrictInt | None = Field(
        default=None, ge=1900, le=2100, description="Year of diagnosis."
    )


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
        if key in csl_variables.NAMES:
            problem = _name_problem(value)
        elif key in csl_variables.DATES:
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

    id: ReferenceId = Field(
        description="Citation key, cited in the text as [@key]; or doi:… / pmid:… to look it up."
    )
    type: Text = Field(
        default="article-journal",
        description="CSL item type: article-journal, book, chapter, webpage, report, …",
    )
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


class JournalOverride(Model):
    """What the case says differently for one journal (`journals: {bmj-case-reports: …}`):
    building for that journal uses these in place of the case's own. A section given here
    replaces the case's section of that name, or adds it; `null` leaves it out."""

    title: Text | None = Field(default=None, description="The title for this journal.")
    running_title: Text | None = Field(
        default=None, description="The short title for this journal's page headers."
    )
    abstract: AbstractText | None = Field(
        default=None, description="The abstract for this journal: plain text, or its parts."
    )
    keywords: tuple[Text, ...] | None = Field(
        default=None, max_length=MAX_ITEMS["keywords"], description="Keywords for this journal."
    )
    body: Prose | None = Field(default=None, description="The text of a letter or an image.")
    sections: dict[Text, SectionText | None] = Field(
        default_factory=dict,
        max_length=MAX_ITEMS["sections"],
        description="Sections for this journal, by name: one given replaces or adds that "
        "section, null leaves it out.",
    )


class Case(Model):
    """A clinical case, as the author wrote it."""

    journal: Text = Field(
        default="clin-exp-rheumatol",
        description="The journal profile it is written for (see `casereport journals`), "
        "e.g. care, bmj-case-reports.",
    )
    article: ArticleType = Field(
        default="letter",
        description="The article type: letter, case-report, clinical-image or case-series.",
    )
    lang: Lang = Field(
        default="en", description="The language, as a tag (en, en-GB, it): the HTML's lang."
    )
    title: Text = Field(description="The title, as printed.")
    running_title: Text | None = Field(
        default=None, description="A short title for the page headers of a case report."
    )
    abstract: AbstractText | None = Field(
        default=None,
        description="Plain text, or the parts the journal names (background: …, case "
        "presentation: …, conclusions: …).",
    )
    keywords: tuple[Text, ...] = Field(
        default=(),
        max_length=MAX_ITEMS["keywords"],
        description="Keywords, as the journal asks (some require one, e.g. case report).",
    )
    authors: tuple[Author, ...] = Field(
        min_length=1, description="The authors, in the order of the byline."
    )
    affiliations: dict[Identifier, Text] = Field(
        default_factory=dict,
        description="Affiliations by a short id the authors name: id → department, "
        "institution, city, country.",
    )
    correspondence: Correspondence | None = Field(
        default=None, description="Where readers write to: name, postal address, e-mail."
    )
    competing_interests: Text = Field(
        description='Competing interests statement, e.g. "None declared."'
    )
    funding: str | None = Field(
        default=None, description="Funding statement (who paid for the work, or none)."
    )
    consent: str | None = Field(
        default=None,
        description="The patient's consent for publication: `written` prints the journal's "
        "own sentence; or write your own statement.",
        json_schema_extra=consent_choices,
    )
    ethics: Text | None = Field(
        default=None, description="Ethics approval, or why none was needed."
    )
    acknowledgements: Text | None = Field(default=None, description="Who helped, not an author.")
    data_availability: Text | None = Field(
        default=None, description="Where the data behind the case can be found."
    )
    contributions: dict[Text, tuple[CreditRole, ...]] = Field(
        default_factory=dict,
        description="Each author's CRediT roles, by the author's name as in `authors`.",
    )
    abbreviations: dict[Text, Text] = Field(
        default_factory=dict,
        description="Abbreviation → what it stands for (none: gathered from the text where "
        "the journal prints a list).",
    )
    patient: Patient | None = Field(
        default=None, description="A de-identified summary: age, sex, diagnosis."
    )
    scores: tuple[Scores, ...] = Field(
        default=(),
        max_length=MAX_ITEMS["scores"],
        description="Disease-activity scores, one entry per timepoint: at, then instrument: value.",
    )
    treatments: tuple[Treatment, ...] = Field(
        default=(),
        max_length=MAX_ITEMS["treatments"],
        description="Treatments with dose and period (for the clinical-course chart).",
    )
    labs: tuple[Lab, ...] = Field(
        default=(),
        max_length=MAX_ITEMS["labs"],
        description="Laboratory values with units and reference ranges.",
    )
    timeline: tuple[Event, ...] = Field(
        default=(),
        max_length=MAX_ITEMS["timeline"],
        description="The CARE timeline: when, and what happened, in the order written.",
    )
    body: Prose | None = Field(
        default=None,
        description="The text of a letter or a clinical image, in Markdown: paragraphs, "
        "*emphasis*, citations [@key], figures [@fig:id]; no headings.",
    )
    sections: dict[Text, SectionText] = Field(
        default_factory=dict,
        max_length=MAX_ITEMS["sections"],
        description="A case report's text: section name → Markdown, a list (learning points), "
        "or sub-sections (name → Markdown).",
    )
    cover_letter: CoverLetter | None = Field(
        default=None, description="What the cover letter (`bundle`) says: adds, prior_publication."
    )
    journals: dict[Text, JournalOverride] = Field(
        default_factory=dict,
        max_length=MAX_ITEMS["journals"],
        description="Front matter and sections written differently for one journal "
        "(journal id → title, running_title, abstract, keywords, body, sections).",
    )
    figures: tuple[Figure, ...] = Field(
        default=(),
        max_length=MAX_ITEMS["figures"],
        description="Figures: photos or images in panels, or a chart; cite as [@fig:id].",
    )
    tables: tuple[Table, ...] = Field(
        default=(),
        max_length=MAX_ITEMS["tables"],
        description="Tables made from the scores, labs or timeline; cite as [@tbl:id].",
    )
    references: tuple[Reference, ...] = Field(
        default=(),
        max_length=MAX_ITEMS["references"],
        description="References written in the case file, as CSL-JSON items.",
    )
    bibliography: Annotated[
        tuple[Text, ...], BeforeValidator(as_list, json_schema_input_type=str | list[str])
    ] = Field(
        default=(),
        max_length=MAX_ITEMS["bibliography"],
        description="Bibliography files beside the case (one, or a list): CSL-JSON (.json), "
        "BibTeX (.bib), RIS (.ris).",
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

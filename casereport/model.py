"""The case and its parts: frozen, typed models that `validate` produces from plain data."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    StrictBool,
    StrictInt,
    StringConstraints,
    model_validator,
)

MAX_BODY_CHARACTERS = 100_000  # about 15,000 words: far above any journal's limit

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:-]*$")]
# A reference id may also be an identifier key such as `doi:10.1056/nejmoa1912196`.
ReferenceId = Annotated[str, StringConstraints(pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/()-]*$")]

_ORCID = re.compile(r"^(https://orcid\.org/)?\d{4}-\d{4}-\d{4}-\d{3}[\dX]$")
_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")


def _check_email(value: str) -> str:
    if not _EMAIL.match(value):
        raise ValueError(f"{value!r} is not an e-mail address")
    return value


def _check_orcid(value: str) -> str:
    if not _ORCID.match(value):
        raise ValueError(f"{value!r} is not an ORCID iD (0000-0000-0000-0000)")
    return value


def _as_list(value: object) -> object:
    """One file name written alone stands for a list of one."""
    return [value] if isinstance(value, str) else value


Email = Annotated[str, AfterValidator(_check_email)]
Orcid = Annotated[str, AfterValidator(_check_orcid)]


class Model(BaseModel):
    """Common settings: immutable, unknown fields refused, strings stripped."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)


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


class Treatment(Model):
    """A treatment the patient received, with dose and period."""

    drug: Text
    dose: str | None = None
    start: str | None = None
    end: str | None = None
    outcome: str | None = None


class Scores(Model):
    """Disease-activity scores at one timepoint: `at` plus instrument: value pairs."""

    model_config = ConfigDict(frozen=True, extra="allow")

    at: Text

    @model_validator(mode="after")
    def _numbers_only(self) -> Scores:
        for name, value in (self.model_extra or {}).items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"score {name!r} must be a number, not {value!r}")
        return self

    @property
    def values(self) -> dict[str, float]:
        """Instrument name → value at this timepoint."""
        return dict(self.model_extra or {})


_NAME_ROLES = frozenset(
    [
        "author",
        "editor",
        "translator",
        "collection-editor",
        "composer",
        "container-author",
        "director",
        "editorial-director",
        "illustrator",
        "interviewer",
        "original-author",
        "recipient",
        "reviewed-author",
    ]
)
_DATES = frozenset(["issued", "accessed", "event-date", "original-date", "submitted"])


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

    model_config = ConfigDict(frozen=True, extra="allow")

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


class Layout(Model):
    """How panels are arranged in a figure."""

    rows: StrictInt = Field(default=1, ge=1, le=8)
    columns: StrictInt = Field(default=1, ge=1, le=8)


class Panel(Model):
    """One photo or image in a figure."""

    image: Text = Field(description="Image file, relative to the case folder.")
    timepoint: str | None = Field(default=None, description='e.g. "before treatment".')
    row: Literal["upper", "middle", "lower"] | None = None
    position: Literal["left", "centre", "right"] | None = None
    description: str | None = None


class Figure(Model):
    """A figure: its panels, and what the legend says about them."""

    id: Identifier
    title: Text
    subject: str | None = Field(default=None, description="What the panels show, for the legend.")
    layout: Layout = Layout()
    panels: tuple[Panel, ...] = Field(min_length=1)
    legend: str | None = Field(default=None, description="A hand-written legend; overrides.")
    width: Literal["single", "full"] = Field(
        default="single", description="Printed width: one column or the full page."
    )


class Case(Model):
    """A clinical case, as the author wrote it."""

    journal: Text = "clin-exp-rheumatol"
    article: Literal["letter"] = "letter"
    title: Text
    authors: tuple[Author, ...] = Field(min_length=1)
    affiliations: dict[Identifier, Text] = Field(default_factory=dict)
    correspondence: Correspondence | None = None
    competing_interests: Text
    funding: str | None = None
    consent: str | None = None
    patient: Patient | None = None
    scores: tuple[Scores, ...] = ()
    treatments: tuple[Treatment, ...] = ()
    body: Annotated[Text, StringConstraints(max_length=MAX_BODY_CHARACTERS)]
    figures: tuple[Figure, ...] = ()
    references: tuple[Reference, ...] = ()
    bibliography: Annotated[tuple[Text, ...], BeforeValidator(_as_list)] = Field(
        default=(),
        description="Bibliography files beside the case: CSL-JSON (.json), BibTeX (.bib), "
        "RIS (.ris).",
    )
    style: Text | None = Field(
        default=None,
        description="A CSL style by name (e.g. nlm-citation-sequence) or a .csl file; "
        "overrides the journal's.",
    )

    @property
    def bibliography_files(self) -> tuple[str, ...]:
        """The bibliography files named."""
        return self.bibliography

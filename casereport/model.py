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
    field_validator,
    model_validator,
)

from casereport.clinical.labs import Range, parse_range
from casereport.clinical.times import parse_duration, parse_time
from casereport.references import csl_variables

MAX_BODY_CHARACTERS = 100_000  # about 15,000 words: far above any journal's limit

Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]


def _year_as_text(value: object) -> object:
    """A year written bare in YAML (`when: 2005`) is read as the text "2005"."""
    return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


When = Annotated[
    str,
    BeforeValidator(_year_as_text),
    StringConstraints(strip_whitespace=True, min_length=1),
]
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


def _check_time(value: str) -> str:
    parse_time(value)  # raises TimeError, a ValueError, with the accepted forms
    return value


def _check_optional_time(value: str | None) -> str | None:
    return None if value is None else _check_time(value)


Email = Annotated[str, AfterValidator(_check_email)]
Orcid = Annotated[str, AfterValidator(_check_orcid)]


# How many of each a case may hold: far more than any letter or case report prints, few
# enough that no list makes a build take minutes (each item is drawn, typeset or decoded).
MAX_ITEMS = {
    "figures": 20,
    "panels": 64,  # an 8x8 layout
    "marks": 20,  # arrows, and circles, on one panel
    "tables": 20,
    "scores": 200,  # timepoints: the rows of a scores table, the points of a chart
    "treatments": 50,
    "doses": 200,
    "labs": 500,
    "timeline": 200,
    "references": 1000,
    "bibliography": 20,
}


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


class DoseStep(Model):
    """A dose that holds from `at` until the next step (or the treatment's end)."""

    at: When = Field(description='When the dose started, e.g. "month -2" or "2019-03".')
    value: float = Field(ge=0, description="The dose, in the treatment's `unit`.")

    _time = field_validator("at")(_check_time)


class Treatment(Model):
    """A treatment the patient received, with dose and period."""

    drug: Text
    dose: str | None = None
    start: When | None = Field(default=None, description='When it started: "month -6", "2019-03".')
    end: When | None = Field(default=None, description="When it stopped (absent: ongoing).")
    every: str | None = Field(
        default=None, description='Interval of infusions or injections, e.g. "4 weeks".'
    )
    unit: str | None = Field(default=None, description='Unit of `doses`, e.g. "mg/day".')
    doses: tuple[DoseStep, ...] = Field(
        default=(), max_length=MAX_ITEMS["doses"], description="A changing dose, step by step."
    )
    outcome: str | None = None

    @field_validator("every")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value


SCORE_FIELDS = frozenset({"at", "time"})


class Scores(Model):
    """Disease-activity scores at one timepoint: `at` plus instrument: value pairs."""

    model_config = ConfigDict(frozen=True, extra="allow")

    at: When
    time: When | None = Field(
        default=None, description='When, if `at` is not itself a time ("day 28", "2019-03").'
    )

    @model_validator(mode="after")
    def _numbers_only(self) -> Scores:
        for name, value in (self.model_extra or {}).items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"score {name!r} must be a number, not {value!r}")
        return self

    _time = field_validator("time")(_check_optional_time)

    @property
    def values(self) -> dict[str, float]:
        """Instrument name → value at this timepoint."""
        return dict(self.model_extra or {})

    @property
    def when(self) -> str:
        """The time expression of this timepoint: `time`, else the label `at`."""
        return self.time or self.at


class Lab(Model):
    """A laboratory result with its reference range."""

    name: Text
    value: int | float | Text
    unit: str | None = None
    range: tuple[float | None, float | None] | Text | None = Field(
        default=None,
        description='Reference range: [low, high] (null for open), "150-400", "<5", "negative".',
    )
    at: When | None = Field(default=None, description="Timepoint, if results were repeated.")

    @field_validator("range")
    @classmethod
    def _known_range(cls, value: object) -> object:
        if value is not None:
            limits = parse_range(value)
            if limits.low is not None and limits.high is not None and limits.low > limits.high:
                raise ValueError(f"range low {limits.low:g} is above high {limits.high:g}")
        return value

    @property
    def limits(self) -> Range | None:
        """The parsed reference range."""
        return None if self.range is None else parse_range(self.range)


class Event(Model):
    """One step of the timeline: when, and what happened."""

    when: When = Field(description='"2005", "2019-03", "month -6", "baseline", "day 28".')
    event: Text

    _time = field_validator("when")(_check_time)


class Table(Model):
    """A numbered table made from the case's structured data."""

    id: Identifier
    title: Text
    shows: Literal["scores", "labs", "timeline"]
    note: str | None = Field(default=None, description="A footnote printed under the table.")


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
    """How panels are arranged: a grid; no rows or columns given means a single row."""

    rows: int | None = Field(default=None, ge=1, le=8)
    columns: int | None = Field(default=None, ge=1, le=8)


class Span(Model):
    """How many grid cells a panel covers."""

    rows: StrictInt = Field(default=1, ge=1, le=8)
    columns: StrictInt = Field(default=1, ge=1, le=8)


Fraction = Annotated[float, Field(ge=0, le=1)]
Direction = Literal["down-right", "down-left", "up-right", "up-left", "down", "up", "left", "right"]


class Arrow(Model):
    """An arrow drawn on a panel, its tip at `at` (fractions of the image, from top-left)."""

    at: tuple[Fraction, Fraction]
    direction: Direction = Field(default="down-right", description="Which way the arrow points.")
    shows: str | None = Field(default=None, description="What it points at, for the legend.")


class Circle(Model):
    """A circle drawn on a panel around `at`; radius as a fraction of the image's width."""

    at: tuple[Fraction, Fraction]
    radius: float = Field(default=0.08, gt=0, le=0.5)
    shows: str | None = None


class Panel(Model):
    """One photo or image in a figure."""

    image: Text = Field(description="Image file, relative to the case folder.")
    timepoint: str | None = Field(default=None, description='e.g. "before treatment".')
    row: Literal["upper", "middle", "lower"] | None = None
    position: Literal["left", "centre", "right"] | None = None
    description: str | None = None
    span: Span = Span()
    stain: str | None = Field(default=None, description='e.g. "haematoxylin and eosin".')
    magnification: float | None = Field(
        default=None, gt=0, description="Original magnification, e.g. 200 (for ×200)."
    )
    modality: str | None = Field(default=None, description='e.g. "MRI", "CT", "ultrasound".')
    view: str | None = Field(default=None, description='e.g. "axial T2-weighted".')
    micrometres_per_pixel: float | None = Field(
        default=None, gt=0, description="Microscope calibration: draws a scale bar."
    )
    scale_bar: float | None = Field(
        default=None, gt=0, description="Scale bar length in µm (default: chosen to fit)."
    )
    arrows: tuple[Arrow, ...] = Field(default=(), max_length=MAX_ITEMS["marks"])
    circles: tuple[Circle, ...] = Field(default=(), max_length=MAX_ITEMS["marks"])


class Chart(Model):
    """A chart drawn from the case's data instead of panels."""

    kind: Literal["clinical-course"] = "clinical-course"
    instruments: tuple[Text, ...] = Field(
        default=(), description="Score instruments to plot (default: all)."
    )
    treatments: tuple[Text, ...] = Field(
        default=(), description="Drugs to draw as bars (default: all with a start)."
    )

    @model_validator(mode="before")
    @classmethod
    def _from_name(cls, value: object) -> object:
        return {"kind": value} if isinstance(value, str) else value


Width = Literal["single", "one-and-a-half", "full"]


class Figure(Model):
    """A figure: its panels (or a chart), and what the legend says about them."""

    id: Identifier
    title: Text
    subject: str | None = Field(default=None, description="What the panels show, for the legend.")
    layout: Layout = Layout()
    panels: tuple[Panel, ...] = Field(default=(), max_length=MAX_ITEMS["panels"])
    chart: Chart | None = Field(default=None, description='"clinical-course": scores over time.')
    legend: str | None = Field(default=None, description="A hand-written legend; overrides.")
    labels: bool | None = Field(
        default=None, description="Letter the panels (default: when the legend refers to letters)."
    )
    width: Width = Field(
        default="single", description="Printed width: one column, one and a half, or the page."
    )

    @model_validator(mode="after")
    def _panels_or_chart(self) -> Figure:
        if self.chart is None and not self.panels:
            raise ValueError("a figure needs panels (images) or a chart")
        if self.chart is not None and self.panels:
            raise ValueError("a figure has either panels or a chart, not both")
        return self


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
    scores: tuple[Scores, ...] = Field(default=(), max_length=MAX_ITEMS["scores"])
    treatments: tuple[Treatment, ...] = Field(default=(), max_length=MAX_ITEMS["treatments"])
    labs: tuple[Lab, ...] = Field(default=(), max_length=MAX_ITEMS["labs"])
    timeline: tuple[Event, ...] = Field(default=(), max_length=MAX_ITEMS["timeline"])
    body: Annotated[Text, StringConstraints(max_length=MAX_BODY_CHARACTERS)]
    figures: tuple[Figure, ...] = Field(default=(), max_length=MAX_ITEMS["figures"])
    tables: tuple[Table, ...] = Field(default=(), max_length=MAX_ITEMS["tables"])
    references: tuple[Reference, ...] = Field(default=(), max_length=MAX_ITEMS["references"])
    bibliography: Annotated[tuple[Text, ...], BeforeValidator(_as_list)] = Field(
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

    @property
    def bibliography_files(self) -> tuple[str, ...]:
        """The bibliography files named."""
        return self.bibliography

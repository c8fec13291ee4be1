"""The clinical parts of a case: treatments and their doses, scores, laboratory values, the
timeline and the tables that show them."""

from __future__ import annotations

from typing import Literal

from pydantic import (
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from casereport.clinical.labs import Range, parse_range
from casereport.clinical.times import parse_duration
from casereport.model_fields import (
    MAX_ITEMS,
    Identifier,
    Model,
    Text,
    When,
    check_optional_time,
    check_time,
)


class DoseStep(Model):
    """A dose that holds from `at` until the next step (or the treatment's end)."""

    at: When = Field(description='When the dose started, e.g. "month -2" or "2019-03".')
    value: float = Field(ge=0, description="The dose, in the treatment's `unit`.")

    _time = field_validator("at")(check_time)


class Treatment(Model):
    """A treatment the patient received, with dose and period."""

    drug: Text = Field(description="The drug (or other treatment), e.g. anifrolumab.")
    dose: str | None = Field(
        default=None, description='Dose as printed, e.g. "300 mg iv every 4 weeks".'
    )
    start: When | None = Field(default=None, description='When it started: "month -6", "2019-03".')
    end: When | None = Field(default=None, description="When it stopped (absent: ongoing).")
    every: str | None = Field(
        default=None, description='Interval of infusions or injections, e.g. "4 weeks".'
    )
    unit: str | None = Field(default=None, description='Unit of `doses`, e.g. "mg/day".')
    doses: tuple[DoseStep, ...] = Field(
        default=(), max_length=MAX_ITEMS["doses"], description="A changing dose, step by step."
    )
    outcome: str | None = Field(default=None, description='What came of it, e.g. "remission".')

    @field_validator("every")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value


SCORE_FIELDS = frozenset({"at", "time"})


class Scores(Model):
    """Disease-activity scores at one timepoint: `at` plus instrument: value pairs."""

    model_config = ConfigDict(
        frozen=True,
        extra="allow",
        defer_build=True,
        json_schema_extra={
            "additionalProperties": {
                "type": "number",
                "description": "A score instrument and its value, e.g. SLEDAI-2K: 9.",
            }
        },
    )

    at: When = Field(
        description='The timepoint: a time ("baseline", "week 8") or a label ("at relapse").'
    )
    time: When | None = Field(
        default=None, description='When, if `at` is not itself a time ("day 28", "2019-03").'
    )

    @model_validator(mode="after")
    def _numbers_only(self) -> Scores:
        for name, value in (self.model_extra or {}).items():
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ValueError(f"score {name!r} must be a number, not {value!r}")
        return self

    _time = field_validator("time")(check_optional_time)

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

    name: Text = Field(description='The test, e.g. "C-reactive protein".')
    value: int | float | Text = Field(
        description='The result: a number, a titre ("1:640") or a word ("positive").'
    )
    unit: str | None = Field(default=None, description='Unit, e.g. "mg/L".')
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
    """One step of the timeline: when, and what happened; an event without `when` keeps
    its place in the order the timeline is written."""

    when: When | None = Field(
        default=None,
        description='"2005", "2019-03", "month -6", "baseline", "day 28", "admission", '
        '"hospital day 3", "discharge"; none: told in order, undated.',
    )
    event: Text = Field(description="What happened.")

    _time = field_validator("when")(check_optional_time)


class Table(Model):
    """A numbered table made from the case's structured data."""

    id: Identifier = Field(description="A short id, to cite the table as [@tbl:id].")
    title: Text = Field(description="The table's title.")
    shows: Literal["scores", "labs", "timeline"] = Field(
        description="What it tabulates: scores, labs or timeline."
    )
    note: str | None = Field(default=None, description="A footnote printed under the table.")
    section: Text | None = Field(
        default=None,
        description="In a case report, the section it is printed at the end of when the text "
        "does not mention it (e.g. case presentation).",
    )

"""The figures of a case: layouts, panels and their marks (arrows, circles), charts."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import (
    Field,
    StrictInt,
    model_validator,
)

from casereport.model_fields import MAX_ITEMS, Identifier, Model, Text


class Layout(Model):
    """How panels are arranged: a grid; no rows or columns given means a single row."""

    rows: int | None = Field(default=None, ge=1, le=8, description="Rows of panels (1-8).")
    columns: int | None = Field(default=None, ge=1, le=8, description="Columns of panels (1-8).")


class Span(Model):
    """How many grid cells a panel covers."""

    rows: StrictInt = Field(default=1, ge=1, le=8, description="Rows it covers.")
    columns: StrictInt = Field(default=1, ge=1, le=8, description="Columns it covers.")


Fraction = Annotated[float, Field(ge=0, le=1)]
Direction = Literal["down-right", "down-left", "up-right", "up-left", "down", "up", "left", "right"]


class Arrow(Model):
    """An arrow drawn on a panel, its tip at `at` (fractions of the image, from top-left)."""

    at: tuple[Fraction, Fraction] = Field(
        description="Where its tip is: [x, y], fractions of the image from its top-left."
    )
    direction: Direction = Field(default="down-right", description="Which way the arrow points.")
    shows: str | None = Field(default=None, description="What it points at, for the legend.")


class Circle(Model):
    """A circle drawn on a panel around `at`; radius as a fraction of the image's width."""

    at: tuple[Fraction, Fraction] = Field(
        description="Its centre: [x, y], fractions of the image from its top-left."
    )
    radius: float = Field(
        default=0.08, gt=0, le=0.5, description="Radius, as a fraction of the image's width."
    )
    shows: str | None = Field(default=None, description="What it marks, for the legend.")


class Panel(Model):
    """One photo or image in a figure."""

    image: Text = Field(description="Image file, relative to the case folder.")
    timepoint: str | None = Field(
        default=None, description='When it was taken, e.g. "before treatment", "week 8".'
    )
    row: Literal["upper", "middle", "lower"] | None = Field(
        default=None, description="Its row: upper, middle or lower (checked against the layout)."
    )
    position: Literal["left", "centre", "right"] | None = Field(
        default=None, description="Its place in the row: left, centre or right."
    )
    description: str | None = Field(default=None, description="What it shows, for the legend.")
    span: Span = Field(
        default=Span.model_construct(),  # Span(), without building Span's validator now
        description="Grid cells it covers: {rows, columns}.",
    )
    stain: str | None = Field(
        default=None, description='Histology stain, e.g. "haematoxylin and eosin".'
    )
    magnification: float | None = Field(
        default=None, gt=0, description="Original magnification, e.g. 200 (for ×200)."
    )
    modality: str | None = Field(
        default=None, description='Imaging modality, e.g. "MRI", "CT", "ultrasound".'
    )
    view: str | None = Field(
        default=None, description='Imaging view or sequence, e.g. "axial T2-weighted".'
    )
    micrometres_per_pixel: float | None = Field(
        default=None, gt=0, description="Microscope calibration: draws a scale bar."
    )
    scale_bar: float | None = Field(
        default=None, gt=0, description="Scale bar length in µm (default: chosen to fit)."
    )
    arrows: tuple[Arrow, ...] = Field(
        default=(), max_length=MAX_ITEMS["marks"], description="Arrows drawn on the image."
    )
    circles: tuple[Circle, ...] = Field(
        default=(), max_length=MAX_ITEMS["marks"], description="Circles drawn on the image."
    )


class Chart(Model):
    """A chart drawn from the case's data instead of panels."""

    kind: Literal["clinical-course"] = Field(
        default="clinical-course", description="clinical-course: scores over treatments."
    )
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


def _chart_by_name(schema: dict[str, Any]) -> None:
    """`chart: clinical-course` stands for `{kind: clinical-course}` (`Chart._from_name`)."""
    schema["anyOf"] = [{"const": "clinical-course"}, *schema["anyOf"]]


class Figure(Model):
    """A figure: its panels (or a chart), and what the legend says about them."""

    id: Identifier = Field(description="A short id, to cite the figure as [@fig:id].")
    title: Text = Field(
        default="",
        description="Printed after the caption label (none: the caption is label and legend).",
    )
    subject: str | None = Field(default=None, description="What the panels show, for the legend.")
    layout: Layout = Field(
        default=Layout.model_construct(),  # Layout(), likewise
        description="The grid of panels: {rows, columns} (none: one row).",
    )
    panels: tuple[Panel, ...] = Field(
        default=(), max_length=MAX_ITEMS["panels"], description="Its photos or images."
    )
    chart: Chart | None = Field(
        default=None,
        description='"clinical-course": scores over time above the treatments, instead of panels.',
        json_schema_extra=_chart_by_name,
    )
    legend: str | None = Field(
        default=None,
        description="A legend written by hand, instead of the one made from the panels.",
    )
    labels: bool | None = Field(
        default=None,
        description="true or false: letter the panels (default: when the legend uses letters).",
    )
    width: Width = Field(
        default="single",
        description="Printed width: single (one column), one-and-a-half or full (the page).",
    )
    section: str | None = Field(
        default=None,
        description="In a case report, the section it is printed at the end of when the text "
        "does not mention it.",
    )

    @model_validator(mode="after")
    def _panels_or_chart(self) -> Figure:
        if self.chart is None and not self.panels:
            raise ValueError("a figure needs panels (images) or a chart")
        if self.chart is not None and self.panels:
            raise ValueError("a figure has either panels or a chart, not both")
        return self

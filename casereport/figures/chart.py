"""The clinical-course chart: score panels over treatment bars, one time axis, as SVG.

Why SVG through a Jinja template rather than a plotting library: the chart is a handful of
lines, bars and labels; matplotlib would add ~40 MB and ~0.5 s of import to every build
that draws one, and its SVG embeds glyphs as paths that WeasyPrint and browsers then
render differently from the letter's text. Here Python computes the geometry (in points:
the SVG's user unit is 1 pt, so sizes on paper are the numbers in the file) and the
template writes it, autoescaped. Nothing is smaller than 7 pt; the colours are Okabe and
Ito's colour-blind-safe set, and every series is also named and has its own marker, so
no colour has to be told apart. This module is imported only when a case draws a chart.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from casereport.clinical.course import MAX_ADMINISTRATIONS, Course, Lane, Series, administrations

if TYPE_CHECKING:
    import jinja2

PT_PER_MM = 72 / 25.4
FONT = "Liberation Sans, Arial, Helvetica, DejaVu Sans, sans-serif"
TEXT_PT, SMALL_PT, TITLE_PT = 7.5, 7.0, 7.5
COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")
MARKERS = ("circle", "square", "triangle", "diamond")
# Text is drawn on the chart's white ground (values, ticks, names) or on the grey of the
# dose steps (doses), at least WCAG AA's 4.5:1 against either.
BACKGROUND, DOSE_FILL, TEXT, TICK_TEXT = "#ffffff", "#d9d9d9", "#111111", "#333333"
MIN_CONTRAST = 4.5
PANEL_PT, LANE_PT, DOSE_LANE_PT, GAP_PT = 34.0, 9.0, 16.0, 7.0
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
TEMPLATE = "clinical-course.svg.j2"


@dataclass(frozen=True)
class Label:
    """A piece of text at (x, y) (baseline), its size in points, anchor and weight."""

    x: float
    y: float
    text: str
    size: float = SMALL_PT
    anchor: str = "start"
    bold: bool = False


@dataclass(frozen=True)
class PanelView:
    """One instrument: its frame, y ticks, line, markers and value labels."""

    name: Label
    top: float
    bottom: float
    ticks: tuple[tuple[float, Label], ...]
    line: str
    markers: tuple[str, ...]
    values: tuple[Label, ...]
    colour: str
    text_colour: str  # of the value labels: the series' colour darkened to MIN_CONTRAST


@dataclass(frozen=True)
class LaneView:
    """One treatment: its label, bar or dose steps, administration ticks."""

    name: Label
    top: float
    bottom: float
    bar: tuple[float, float] | None
    ongoing: str | None
    steps: str | None
    doses: tuple[Label, ...]
    ticks: tuple[float, ...]


@dataclass(frozen=True)
class ChartView:
    """The whole chart, in points."""

    width: float
    height: float
    left: float
    right: float
    font: str
    panels: tuple[PanelView, ...]
    lanes: tuple[LaneView, ...]
    axis_y: float
    axis_ticks: tuple[tuple[float, Label], ...]
    axis_title: Label
    baseline: float | None  # x of day 0 (baseline, or admission) when inside the axis
    description: str


@dataclass(frozen=True)
class Scale:
    """Days → x in points, with the axis ticks."""

    start: float
    end: float
    left: float
    right: float

    def x(self, days: float) -> float:
        span = self.end - self.start or 1.0
        return round(self.left + (days - self.start) / span * (self.right - self.left), 2)


@dataclass(frozen=True)
class ChartSvg:
    """A drawn chart: the SVG document and its printed size."""

    text: str
    width_mm: float
    height_mm: float


def render_chart(course: Course, width_mm: float, description: str) -> ChartSvg:
    """The chart as a standalone SVG document `width_mm` wide."""
    view = layout(course, width_mm, description)
    text = _template().render(chart=view, mm=lambda pt: f"{pt / PT_PER_MM:.2f}mm")
    return ChartSvg(text, width_mm, round(view.height / PT_PER_MM, 2))


def layout(course: Course, width_mm: float, description: str) -> ChartView:
    """Every position in the chart, in points."""
    width = width_mm * PT_PER_MM
    names = [s.name for s in course.series] + [_lane_name(lane) for lane in course.lanes]
    left = min(width * 0.34, max(_text_width(n, TEXT_PT, bold=True) for n in names) + 22)
    tick_days, unit = _axis(course)
    start, end = tick_days[0], tick_days[-1]
    scale = Scale(start, end, left, width - 14)
    y = 6.0
    panels = []
    for i, series in enumerate(course.series):
        panels.append(_panel(series, scale, y, i))
        y += PANEL_PT + GAP_PT
    lanes = []
    for lane in course.lanes:
        view = _lane(lane, scale, y)
        lanes.append(view)
        y = view.bottom + 4
    axis_y = y + 2
    ticks = _ticks(course, scale, tick_days, unit, axis_y)
    title = Label(
        (scale.left + scale.right) / 2, axis_y + 20, _axis_title(course, unit), TITLE_PT, "middle"
    )
    baseline = scale.x(0) if course.clock != "date" and start < 0 < end else None
    return ChartView(
        round(width, 2),
        round(axis_y + 25, 2),
        left,
        scale.right,
        FONT,
        tuple(panels),
        tuple(lanes),
        axis_y,
        ticks,
        title,
        baseline,
        description,
    )


def _panel(series: Series, scale: Scale, top: float, index: int) -> PanelView:
    high = _nice_ceiling(max(v for _, v in series.points))
    bottom = top + PANEL_PT

    def y(value: float) -> float:
        return round(bottom - value / high * (PANEL_PT - 3), 2)

    points = [(scale.x(t.days), y(v)) for t, v in series.points]
    ticks = tuple(
        (y(v), Label(scale.left - 3, y(v) + 2.4, _number(v), SMALL_PT, "end")) for v in (0, high)
    )
    values, last = [], -1e9
    for (x, py), (_, value) in zip(points, series.points, strict=True):
        if x - last >= 12:
            values.append(Label(x + 2.5, py - 3.5, _number(value), SMALL_PT))
            last = x
    shape = MARKERS[index % len(MARKERS)]
    return PanelView(
        Label(4, top + 7, series.name, TEXT_PT, bold=True),
        top,
        bottom,
        ticks,
        " ".join(f"{x},{py}" for x, py in points),
        tuple(_marker(shape, x, py) for x, py in points),
        tuple(values),
        COLOURS[index % len(COLOURS)],
        text_colour(COLOURS[index % len(COLOURS)]),
    )


def _lane(lane: Lane, scale: Scale, top: float) -> LaneView:
    height = DOSE_LANE_PT if lane.doses else LANE_PT
    bottom = top + height
    start = scale.x(lane.start.days)
    end = scale.x(lane.end.days) if lane.end else scale.right
    name = Label(4, top + height / 2 + 2.6, _lane_name(lane), TEXT_PT, bold=True)
    ongoing = None if lane.end else _ongoing(end, top, bottom)
    ticks: tuple[float, ...] = ()
    if lane.every_days:  # course() bounded the count up to the last day drawn
        count = min(int(administrations(lane, scale.end)), 2 * MAX_ADMINISTRATIONS)
        ticks = tuple(scale.x(lane.start.days + k * lane.every_days) for k in range(count))
    if not lane.doses:
        return LaneView(name, top, bottom, (start, end - start), ongoing, None, (), ticks)
    steps, doses = _steps(lane, scale, top, bottom, end)
    return LaneView(name, top, bottom, None, ongoing, steps, doses, ticks)


def _steps(
    lane: Lane, scale: Scale, top: float, bottom: float, end: float
) -> tuple[str, tuple[Label, ...]]:
    """A stepped band whose height follows the dose, with the dose written at each change."""
    high = max(v for _, v in lane.doses) or 1.0
    usable = bottom - top - 1

    def y(value: float) -> float:
        return round(bottom - max(value / high, 0.08) * usable, 2)

    xs = [scale.x(t.days) for t, _ in lane.doses] + [end]
    path = [f"M{xs[0]},{bottom}"]
    labels, last = [], -1e9
    for i, (_, value) in enumerate(lane.doses):
        path += [f"L{xs[i]},{y(value)}", f"L{xs[i + 1]},{y(value)}"]
        if xs[i] - last >= 16:
            labels.append(Label(xs[i] + 1.5, y(value) - 1.5, _number(value), SMALL_PT))
            last = xs[i]
    path.append(f"L{end},{bottom} Z")
    return " ".join(path), tuple(labels)


def _ongoing(x: float, top: float, bottom: float) -> str:
    """An arrowhead at the end of a bar that is still running."""
    middle = (top + bottom) / 2
    return f"M{x - 4},{top - 1} L{x + 1},{middle} L{x - 4},{bottom + 1} Z"


def _marker(shape: str, x: float, y: float) -> str:
    """An SVG path for a marker of 5 pt centred at (x, y)."""
    r = 2.5
    if shape == "circle":
        return f"M{x - r:.2f},{y:.2f} a{r},{r} 0 1,0 {2 * r},0 a{r},{r} 0 1,0 {-2 * r},0 Z"
    corners = {
        "square": ((-r, -r), (r, -r), (r, r), (-r, r)),
        "triangle": ((0, -r - 0.4), (r + 0.3, r), (-r - 0.3, r)),
        "diamond": ((0, -r - 0.5), (r + 0.5, 0), (0, r + 0.5), (-r - 0.5, 0)),
    }[shape]
    return "M" + " L".join(f"{x + dx:.2f},{y + dy:.2f}" for dx, dy in corners) + " Z"


def _axis(course: Course) -> tuple[tuple[float, ...], str]:
    """Tick positions in days (the first and last are the axis ends) and their unit."""
    first, last = course.span
    if course.clock == "date":
        return _month_ticks(first, last)
    span = last - first
    unit = "month" if span > 120 else "week" if span > 21 else "day"
    if course.clock == "admission":  # counted in hospital days, however long the stay
        unit = "day"
    size = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}[unit]
    step = _nice_step((last - first) / size / 6) * size
    start = math.floor(first / step + 1e-9) * step
    end = max(math.ceil(last / step - 1e-9) * step, start + step)
    count = round((end - start) / step)
    return tuple(start + k * step for k in range(count + 1)), unit


def _month_ticks(first: float, last: float) -> tuple[tuple[float, ...], str]:
    """Ticks on the first of every n-th month (or January of every n-th year)."""
    begin, finish = date.fromordinal(round(first)), date.fromordinal(round(last))
    low, high = begin.year * 12 + begin.month - 1, finish.year * 12 + finish.month
    step = max(1, math.ceil(_nice_step((high - low) / 6) - 1e-9))
    if step >= 10:
        step = 12 * int(_nice_step(step / 12))
    start = low // step * step
    end = max(-(-high // step) * step, start + step)
    months = range(start, end + 1, step)
    ticks = tuple(float(date(m // 12, m % 12 + 1, 1).toordinal()) for m in months)
    return ticks, "year" if step >= 12 else "month"


def _ticks(
    course: Course, scale: Scale, days: tuple[float, ...], unit: str, axis_y: float
) -> tuple[tuple[float, Label], ...]:
    return tuple(
        (
            scale.x(d),
            Label(scale.x(d), axis_y + 9.5, _tick_text(course, d, unit), SMALL_PT, "middle"),
        )
        for d in days
    )


def _tick_text(course: Course, days: float, unit: str) -> str:
    if course.clock == "date":
        day = date.fromordinal(max(1, round(days)))
        return str(day.year) if unit == "year" else f"{MONTHS[day.month - 1]} {day.year}"
    if course.clock == "admission":  # day 0 is the day of admission: hospital day 1
        return _number(round(days) + 1).replace("-", "\u2212")
    size = {"day": 1.0, "week": 7.0, "month": 365.25 / 12}[unit]
    return _number(round(days / size, 1)).replace("-", "\u2212")


def _axis_title(course: Course, unit: str) -> str:
    if course.clock == "date":
        return "Year" if unit == "year" else "Date"
    if course.clock == "admission":
        return "Hospital day"
    return f"{unit.capitalize()}s from baseline"


def _lane_name(lane: Lane) -> str:
    return f"{lane.label} ({lane.unit})" if lane.doses and lane.unit else lane.label


def _nice_step(raw: float) -> float:
    if raw <= 0:
        return 1.0
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 3, 6, 10) if m * power >= raw)


def _nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3 … x 10^n) at or above `value`."""
    if value <= 1:
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if m * power >= value)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _text_width(text: str, size: float, *, bold: bool = False) -> float:
    """A generous estimate of a sans-serif text's width in points."""
    return len(text) * size * (0.58 if bold else 0.53)


@cache
def _template() -> jinja2.Template:
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "charts")),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env.get_template(TEMPLATE)


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    """`#rrggbb` or `#rgb` as three numbers from 0 to 255."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    r, g, b = (int(digits[i : i + 2], 16) for i in (0, 2, 4))
    return r, g, b


def luminance(colour: str) -> float:
    """WCAG's relative luminance of a `#rrggbb` (or `#rgb`) colour."""
    r, g, b = _rgb(colour)
    return 0.2126 * _channel(r) + 0.7152 * _channel(g) + 0.0722 * _channel(b)


def contrast_ratio(first: str, second: str) -> float:
    """WCAG's contrast ratio of two `#rrggbb` colours, from 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_colour(colour: str, ground: str = BACKGROUND) -> str:
    """`colour`, darkened in steps of 5 % until text in it reaches MIN_CONTRAST on
    `ground`: a series' values keep its hue and stay readable."""
    r, g, b = _rgb(colour)
    shade = colour.lower()
    while contrast_ratio(shade, ground) < MIN_CONTRAST:
        r, g, b = (round(c * 0.95) for c in (r, g, b))
        shade = f"#{r:02x}{g:02x}{b:02x}"
    return shade

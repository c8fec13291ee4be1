"""The clinical course as data: score series and treatment periods on one time axis.

`select` picks what a chart shows; `course` parses every time and checks the clocks agree,
raising CourseError with the field path of the value at fault. Drawing is `chart`'s job.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from casereport.clinical.times import Clock, Time, TimeError, parse_duration, parse_time
from casereport.errors import PathKey
from casereport.model import Case, Chart, Treatment


@dataclass(frozen=True)
class Selection:
    """The instruments and treatments a chart draws."""

    instruments: tuple[str, ...]
    treatments: tuple[Treatment, ...]


@dataclass(frozen=True)
class Series:
    """One instrument's values over time."""

    name: str
    points: tuple[tuple[Time, float], ...]


@dataclass(frozen=True)
class Lane:
    """One treatment: its period, administrations and dose steps."""

    drug: str
    label: str
    start: Time
    end: Time | None
    every_days: float | None
    doses: tuple[tuple[Time, float], ...]
    unit: str | None


@dataclass(frozen=True)
class Course:
    """Everything a clinical-course chart draws, on one clock."""

    clock: Clock
    series: tuple[Series, ...]
    lanes: tuple[Lane, ...]

    @property
    def span(self) -> tuple[float, float]:
        """First and last day of anything drawn."""
        days = [t.days for s in self.series for t, _ in s.points]
        for lane in self.lanes:
            days += [lane.start.days] + [t.days for t, _ in lane.doses]
            days += [lane.end.days] if lane.end else []
        return min(days), max(days)


MAX_ADMINISTRATIONS = 500  # marks on one treatment's bar: more cannot be told apart


def administrations(lane: Lane, until: float) -> float:
    """How many administrations `every` marks on the lane, from its start to its end (or
    to `until` while ongoing): a float, as a tiny `every` makes it astronomically large."""
    if not lane.every_days:
        return 0.0
    end = lane.end.days if lane.end else until
    return math.floor((end - lane.start.days) / lane.every_days + 1e-9) + 1.0


class CourseError(ValueError):
    """A value the chart cannot use, and where it is in the case file."""

    def __init__(self, path: PathKey, message: str) -> None:
        super().__init__(message)
        self.path = path
        self.message = message


def instruments(case: Case) -> tuple[str, ...]:
    """Every instrument in the scores, in order of first appearance."""
    return tuple(dict.fromkeys(name for row in case.scores for name in row.values))


def select(case: Case, chart: Chart) -> Selection:
    """The chart's instruments and treatments: as named, or all that can be drawn."""
    names = chart.instruments or instruments(case)
    if chart.treatments:
        by_drug = {t.drug: t for t in case.treatments}
        chosen = tuple(by_drug[d] for d in chart.treatments if d in by_drug)
    else:
        chosen = tuple(t for t in case.treatments if t.start or t.doses)
    return Selection(tuple(n for n in names if n in instruments(case)), chosen)


def course(case: Case, chart: Chart, where: PathKey) -> Course:
    """Parse the chart's data; raise CourseError at the first value that does not fit."""
    _check_names(case, chart, where)
    chosen = select(case, chart)
    series = tuple(_series(case, name) for name in chosen.instruments)
    index = {id(t): i for i, t in enumerate(case.treatments)}
    lanes = tuple(_lane(t, ("treatments", index[id(t)])) for t in chosen.treatments)
    if not series and not lanes:
        raise CourseError(
            (*where, "chart"), "nothing to draw: the case has no scores or treatments with times"
        )
    clock = _one_clock(case, series, lanes)
    found = Course(clock, series, lanes)
    for treatment, lane in zip(chosen.treatments, lanes, strict=True):
        _check_administrations(found, lane, treatment, index[id(treatment)])
    return found


def _check_administrations(found: Course, lane: Lane, treatment: Treatment, i: int) -> None:
    count = administrations(lane, found.span[1])
    if count > MAX_ADMINISTRATIONS:
        shown = f"{count:,.0f}" if count < 1e15 else f"{count:.1e}"
        raise CourseError(
            ("treatments", i, "every"),
            f"{treatment.drug}: every {treatment.every!r} makes {shown} administrations on "
            f"the chart; the limit is {MAX_ADMINISTRATIONS} (check the interval)",
        )


def _check_names(case: Case, chart: Chart, where: PathKey) -> None:
    known = instruments(case)
    for i, name in enumerate(chart.instruments):
        if name not in known:
            listed = ", ".join(known) or "none"
            raise CourseError(
                (*where, "chart", "instruments", i),
                f"no scores for {name!r} (scores have: {listed})",
            )
    drugs = [t.drug for t in case.treatments]
    for i, drug in enumerate(chart.treatments):
        if drug not in drugs:
            listed = ", ".join(drugs) or "none"
            raise CourseError(
                (*where, "chart", "treatments", i), f"no treatment {drug!r} (treatments: {listed})"
            )


def _series(case: Case, name: str) -> Series:
    points: list[tuple[Time, float]] = []
    for i, row in enumerate(case.scores):
        if name in row.values:
            field = "time" if row.time else "at"
            hint = "" if row.time else " (or give the time in `time:`)"
            points.append((_time(row.when, ("scores", i, field), hint), row.values[name]))
    return Series(name, tuple(sorted(points, key=lambda p: p[0].days)))


def _lane(treatment: Treatment, where: PathKey) -> Lane:
    doses = tuple(
        (_time(step.at, (*where, "doses", i, "at")), step.value)
        for i, step in enumerate(treatment.doses)
    )
    if treatment.start is None and not doses:
        raise CourseError(
            (*where, "drug"), f"{treatment.drug}: give a `start` to draw it on the chart"
        )
    start = _time(treatment.start, (*where, "start")) if treatment.start else doses[0][0]
    end = _time(treatment.end, (*where, "end")) if treatment.end else None
    if end is not None and end.clock == start.clock and end.days < start.days:
        raise CourseError((*where, "end"), f"{treatment.drug} ends before it starts")
    every = parse_duration(treatment.every) if treatment.every else None
    label = treatment.drug[:1].upper() + treatment.drug[1:]
    return Lane(treatment.drug, label, start, end, every, doses, treatment.unit)


def _time(text: str, where: PathKey, hint: str = "") -> Time:
    try:
        return parse_time(text)
    except TimeError as exc:
        raise CourseError(where, f"{exc}{hint}") from None


def _one_clock(case: Case, series: tuple[Series, ...], lanes: tuple[Lane, ...]) -> Clock:
    """The clock every time uses; mixing dates and offsets from baseline is an error."""
    times = [t for s in series for t, _ in s.points]
    times += [t for lane in lanes for t in (lane.start, lane.end, *(d for d, _ in lane.doses)) if t]
    clocks = {t.clock for t in times}
    if len(clocks) > 1:
        first = times[0]
        odd = next(t for t in times if t.clock != first.clock)
        raise CourseError(
            _where_is(case, odd.text),
            f"{odd.text!r} is a {_clock_name(odd.clock)} but {first.text!r} is a "
            f"{_clock_name(first.clock)}; one chart uses one kind of time",
        )
    return clocks.pop()


def _clock_name(clock: Clock) -> str:
    return "date" if clock == "date" else "time from baseline"


def _where_is(case: Case, text: str) -> PathKey:
    """The first field holding the time text `text` (for the error's position)."""
    for i, row in enumerate(case.scores):
        if row.when == text:
            return ("scores", i, "time" if row.time else "at")
    for i, treatment in enumerate(case.treatments):
        for field in ("start", "end"):
            if getattr(treatment, field) == text:
                return ("treatments", i, field)
        for j, step in enumerate(treatment.doses):
            if step.at == text:
                return ("treatments", i, "doses", j, "at")
    return ("figures",)

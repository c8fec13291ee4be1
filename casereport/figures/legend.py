"""Figure legends written from the panels' metadata, in the journal's voice.

One place owns the phrasing rules.

* Positional (the journal prefers it, and the panels say only when they were taken):
  "Representative images of the rash before treatment (upper images) and after 3 months
  (lower images)." Panels that share a timepoint form a group, wherever they are in the
  figure; a group is located by its declared row or position when every panel in it shares
  one, and by letters otherwise. Groups located by letters that differ only in their first
  word share the rest: "before (A, C) and after (B, D) treatment".
* Lettered (the journal prefers it, or panels carry details a position cannot carry):
  "(A, B) Before treatment. (C) After 6 months: interface dermatitis (haematoxylin and
  eosin, original magnification ×200); arrows indicate colloid bodies." Technique goes in
  parentheses after what the panel shows: stain and magnification for histology, view and
  modality for imaging ("axial T2-weighted MRI"); then what the arrows and circles mark.
  Panels alike but for their magnification are told once, the magnifications in panel
  order: "(A, B) Haematoxylin and eosin, original magnification ×250 and ×400,
  respectively."
* Letters only where they tell panels apart: a single panel has none, and `labels: false`
  takes them out of the legend as well as off the image (groups are then located by the
  place the layout gives them, where it names one: "left images").
* Charts get a legend that says what is plotted and how treatments are drawn.

A hand-written legend replaces all of this; the figure's title is printed before either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from itertools import groupby
from typing import Literal

from casereport.model import Case, Figure, Panel

Phrasing = Literal["positional", "lettered"]


@dataclass(frozen=True)
class LegendStyle:
    """The journal's choice: positional or lettered phrasing, upper- or lower-case letters."""

    phrasing: Phrasing = "positional"
    letters: Literal["upper", "lower"] = "upper"


POSITIONAL = LegendStyle()


@dataclass(frozen=True)
class Legend:
    """A legend's text (after the title) and whether it refers to panel letters."""

    text: str
    lettered: bool


@dataclass(frozen=True)
class Details:
    """What the legend says of one panel: what it shows, its technique, what marks point at.
    `magnifications`: one per panel told (several when panels alike but for it are merged)."""

    shows: str = ""
    imaging: str = ""
    stain: str = ""
    magnifications: tuple[float, ...] = ()
    marks: str = ""

    def text(self) -> str:
        technique = ", ".join(p for p in (self.imaging, self.stain, self._magnification()) if p)
        if self.shows and technique:
            said = f"{self.shows} ({technique})"
        else:
            said = self.shows or technique
        return "; ".join(part for part in (said, self.marks) if part)

    def _magnification(self) -> str:
        values = [f"\u00d7{m:g}" for m in self.magnifications]
        if len(set(values)) <= 1:
            return f"original magnification {values[0]}" if values else ""
        return f"original magnification {_join(values)}, respectively"


def panel_letters(count: int, case: Literal["upper", "lower"] = "upper") -> tuple[str, ...]:
    """A, B, C … (or a, b, c …) for `count` panels."""
    first = "A" if case == "upper" else "a"
    return tuple(chr(ord(first) + i) for i in range(count))


def legend_letters(figure: Figure, style: LegendStyle = POSITIONAL) -> tuple[str, ...] | None:
    """The letters the legend may name the panels by; None when it may not (a single panel,
    or `labels: false`)."""
    if len(figure.panels) < 2 or figure.labels is False:
        return None
    return panel_letters(len(figure.panels), style.letters)


def generated_legend(figure: Figure, style: LegendStyle = POSITIONAL) -> str:
    """The legend text after the title, or '' when the panels say nothing to write about."""
    return figure_legend(figure, style).text


def figure_legend(
    figure: Figure, style: LegendStyle = POSITIONAL, case: Case | None = None
) -> Legend:
    """The generated legend of a figure of panels or a chart."""
    if figure.chart is not None:
        return Legend(chart_legend(figure, case), False)
    letters = legend_letters(figure, style)
    if style.phrasing == "positional" and not any(_details(p).text() for p in figure.panels):
        positional = _positional(figure, letters)
        if positional is not None:
            return positional
    text = _lettered(figure, letters)
    return Legend(text, bool(text) and letters is not None)


def draws_letters(figure: Figure, style: LegendStyle = POSITIONAL) -> bool:
    """Whether the panels get letters: never a single panel; else as the figure says, else
    when the legend uses them."""
    if figure.chart is not None or len(figure.panels) < 2:
        return False
    if figure.labels is not None:
        return figure.labels
    if figure.legend is not None:
        return style.phrasing == "lettered"
    return figure_legend(figure, style).lettered


# Grouping ------------------------------------------------------------------------------------

Group = list[tuple[int, Panel]]  # panels by their index in the figure


def _groups(figure: Figure) -> list[Group]:
    """Panels sharing a timepoint together, wherever they are (in order of their first
    panel); panels without one in runs of their own."""
    groups: list[Group] = []
    by_timepoint: dict[str, Group] = {}
    for index, panel in enumerate(figure.panels):
        if panel.timepoint is None:
            if groups and groups[-1][0][1].timepoint is None and groups[-1][-1][0] == index - 1:
                groups[-1].append((index, panel))
            else:
                groups.append([(index, panel)])
        elif panel.timepoint in by_timepoint:
            by_timepoint[panel.timepoint].append((index, panel))
        else:
            by_timepoint[panel.timepoint] = [(index, panel)]
            groups.append(by_timepoint[panel.timepoint])
    return groups


def _named(group: Group, letters: Sequence[str] | None) -> str:
    """ "(A, C) " for the group's panels, or '' when the legend names no letters."""
    return f"({', '.join(letters[i] for i, _ in group)}) " if letters else ""


# Positional ----------------------------------------------------------------------------------

Located = Literal["place", "letters", "none"]
Places = list[tuple[str | None, str | None]]  # each panel's row and column name


def _positional(figure: Figure, letters: Sequence[str] | None) -> Legend | None:
    groups = [g for g in _groups(figure) if g[0][1].timepoint]
    if not groups:
        return None
    if len(groups) == 1 and len(groups[0]) == len(figure.panels):  # all at one time
        located: list[tuple[str, Located]] = [("", "none")]
    else:
        places = _layout_places(figure) if letters is None else None
        located = [_locate(group, letters, places) for group in groups]
    timepoints = [group[0][1].timepoint or "" for group in groups]
    by_letters = all(kind != "place" for _, kind in located)
    phrase = _shared_tail(timepoints, [where for where, _ in located]) if by_letters else None
    if phrase is None:
        phrase = _join(
            [f"{t} {where}".strip() for t, (where, _) in zip(timepoints, located, strict=True)]
        )
    count = "images" if len(figure.panels) > 1 else "image"
    subject = f" of {figure.subject}" if figure.subject else ""
    lettered = any(kind == "letters" for _, kind in located)
    return Legend(f"Representative {count}{subject} {phrase}.", lettered)


def _locate(
    group: Group, letters: Sequence[str] | None, places: Places | None
) -> tuple[str, Located]:
    """Where a group is: "(upper images)" by its declared (or, without letters, its laid
    out) row or position, else "(A, C)", else nowhere."""
    noun = "images" if len(group) > 1 else "image"
    candidates: list[set[str | None]] = [{p.row for _, p in group}, {p.position for _, p in group}]
    if places is not None:
        candidates += [{places[i][0] for i, _ in group}, {places[i][1] for i, _ in group}]
    for place in candidates:
        if len(place) == 1 and None not in place:
            return f"({place.pop()} {noun})", "place"
    if letters:
        return f"({', '.join(letters[i] for i, _ in group)})", "letters"
    return "", "none"


def _layout_places(figure: Figure) -> Places | None:
    """Each panel's row and column name in the layout, when the layout can be made."""
    from casereport.figures.grid import GridError, figure_grid

    try:
        grid = figure_grid(figure)
    except GridError:
        return None
    return [(grid.row_name(i), grid.column_name(i)) for i in range(len(figure.panels))]


def _shared_tail(timepoints: list[str], wheres: list[str]) -> str | None:
    """ "before (A, C) and after (B, D) treatment": for timepoints that differ only in their
    first word; None when they do not."""
    words = [t.split() for t in timepoints]
    if len(words) < 2 or any(len(w) < 2 for w in words):
        return None
    tail = words[0][1:]
    if any([w.lower() for w in other[1:]] != [w.lower() for w in tail] for other in words):
        return None
    heads = [f"{w[0]} {where}".strip() for w, where in zip(words, wheres, strict=True)]
    return f"{_join(heads)} {' '.join(tail)}"


# Lettered ------------------------------------------------------------------------------------


def _lettered(figure: Figure, letters: Sequence[str] | None) -> str:
    """Sentences "(A, C) Timepoint: details." for the panels of each timepoint."""
    sentences: list[str] = []
    for group in _groups(figure):
        parts: list[tuple[Group, Details]] = []
        for details, same in groupby(group, key=lambda pair: _details(pair[1])):
            _add_part(parts, list(same), details)
        sentences += _sentences(group[0][1].timepoint, parts, letters)
    return " ".join(sentences)


def _add_part(parts: list[tuple[Group, Details]], panels: Group, details: Details) -> None:
    """A run of panels told alike; merged into the run before it when the two differ only in
    their magnification (kept one per panel, for "respectively")."""
    details = replace(details, magnifications=details.magnifications * len(panels))
    if parts and details.magnifications:
        before, told = parts[-1]
        if told.magnifications and replace(told, magnifications=()) == replace(
            details, magnifications=()
        ):
            merged = told.magnifications + details.magnifications
            parts[-1] = (before + panels, replace(told, magnifications=merged))
            return
    parts.append((panels, details))


def _sentences(
    timepoint: str | None, parts: list[tuple[Group, Details]], letters: Sequence[str] | None
) -> list[str]:
    if timepoint is None:
        return [f"{_named(group, letters)}{_capital(d.text())}." for group, d in parts if d.text()]
    everyone = [pair for group, _ in parts for pair in group]
    head = f"{_named(everyone, letters)}{_capital(timepoint)}"
    if len(parts) == 1:
        detail = parts[0][1].text()
        return [f"{head}: {detail}." if detail else f"{head}."]
    listed = "; ".join(f"{_named(g, letters)}{d.text()}" for g, d in parts if d.text())
    return [f"{head}: {listed}." if listed else f"{head}."]


def _details(panel: Panel) -> Details:
    """What a panel shows, its technique, and what its marks point at."""
    return Details(
        shows=(panel.description or "").strip().rstrip("."),
        imaging=" ".join(part for part in (panel.view, panel.modality) if part),
        stain=panel.stain or "",
        magnifications=(panel.magnification,) if panel.magnification else (),
        marks=_marks(panel),
    )


def _marks(panel: Panel) -> str:
    """ "arrows indicate X; circle marks Y" from the marks' `shows`."""
    clauses: list[str] = []
    for marks, one, many in (
        (panel.arrows, "the arrow indicates", "arrows indicate"),
        (panel.circles, "the circle marks", "circles mark"),
    ):
        named = [m.shows.strip().rstrip(".") for m in marks if m.shows]
        for shows in dict.fromkeys(named):
            clauses.append(f"{many if named.count(shows) > 1 else one} {shows}")
    return "; ".join(clauses)


def chart_legend(figure: Figure, case: Case | None) -> str:
    """What a clinical-course chart shows, in words, from the data it draws."""
    if case is None or figure.chart is None:
        return ""
    from casereport.clinical.course import select

    course = select(case, figure.chart)
    sentences = []
    if course.instruments:
        sentences.append(f"{_join(list(course.instruments))} over time, each on its own scale")
    bars = [t.drug for t in course.treatments if not t.doses]
    steps = [t for t in course.treatments if t.doses]
    if bars:
        sentences.append(f"bars show the periods of treatment with {_join(bars)}")
    if any(t.every for t in course.treatments):
        sentences.append("ticks mark each administration")
    for treatment in steps:
        unit = f" ({treatment.unit})" if treatment.unit else ""
        sentences.append(f"the stepped band shows the {treatment.drug} dose{unit}")
    if not sentences:
        return ""
    return _capital("; ".join(sentences)) + "."


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _join(phrases: list[str]) -> str:
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]

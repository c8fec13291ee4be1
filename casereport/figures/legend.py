"""Figure legends written from the panels' metadata, in the journal's voice.

One place owns the phrasing rules.

* Positional (the journal prefers it, and the panels say only when they were taken):
  "Representative images of the rash before treatment (upper images) and after 3 months
  (lower images)." Consecutive panels that share a timepoint form a group, located by its
  declared row or position when every panel in it shares one, and by letters otherwise.
* Lettered (the journal prefers it, or panels carry details a position cannot carry):
  "(A, B) Before treatment. (C) After 6 months: interface dermatitis (haematoxylin and
  eosin, original magnification ×200); arrows indicate colloid bodies." Technique goes in
  parentheses after what the panel shows: stain and magnification for histology, view and
  modality for imaging ("axial T2-weighted MRI"); then what the arrows and circles mark.
* Charts get a legend that says what is plotted and how treatments are drawn.

A hand-written legend replaces all of this; the figure's title is printed before either.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
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


def panel_letters(count: int, case: Literal["upper", "lower"] = "upper") -> tuple[str, ...]:
    """A, B, C … (or a, b, c …) for `count` panels."""
    first = "A" if case == "upper" else "a"
    return tuple(chr(ord(first) + i) for i in range(count))


def generated_legend(figure: Figure, style: LegendStyle = POSITIONAL) -> str:
    """The legend text after the title, or '' when the panels say nothing to write about."""
    return figure_legend(figure, style).text


def figure_legend(
    figure: Figure, style: LegendStyle = POSITIONAL, case: Case | None = None
) -> Legend:
    """The generated legend of a figure of panels or a chart."""
    if figure.chart is not None:
        return Legend(chart_legend(figure, case), False)
    letters = panel_letters(len(figure.panels), style.letters)
    if style.phrasing == "positional" and not any(_details(p) for p in figure.panels):
        positional = _positional(figure, letters)
        if positional is not None:
            return positional
    text = _lettered(figure, letters)
    return Legend(text, bool(text))


def draws_letters(figure: Figure, style: LegendStyle = POSITIONAL) -> bool:
    """Whether the panels get letters: as the figure says, else when the legend uses them."""
    if figure.labels is not None:
        return figure.labels
    if figure.chart is not None:
        return False
    if figure.legend is not None:
        return style.phrasing == "lettered" and len(figure.panels) > 1
    return figure_legend(figure, style).lettered


def _positional(figure: Figure, letters: Sequence[str]) -> Legend | None:
    indexed = list(zip(letters, figure.panels, strict=True))
    groups = [list(g) for _, g in groupby(indexed, key=lambda pair: pair[1].timepoint)]
    phrases = [_group_phrase(group) for group in groups if group[0][1].timepoint]
    if not phrases:
        return None
    count = "images" if len(figure.panels) > 1 else "image"
    subject = f" of {figure.subject}" if figure.subject else ""
    text = f"Representative {count}{subject} {_join([p for p, _ in phrases])}."
    return Legend(text, any(lettered for _, lettered in phrases))


def _group_phrase(group: list[tuple[str, Panel]]) -> tuple[str, bool]:
    """ "before treatment (upper images)", or with letters when the group has no one place."""
    timepoint = group[0][1].timepoint
    noun = "images" if len(group) > 1 else "image"
    for place in ({p.row for _, p in group}, {p.position for _, p in group}):
        if len(place) == 1 and None not in place:
            return f"{timepoint} ({place.pop()} {noun})", False
    return f"{timepoint} ({', '.join(letter for letter, _ in group)})", True


def _lettered(figure: Figure, letters: Sequence[str]) -> str:
    """Sentences "(A, B) Timepoint: details." for runs of panels sharing a timepoint."""
    rows = [
        (letter, p.timepoint, _details(p)) for letter, p in zip(letters, figure.panels, strict=True)
    ]
    sentences: list[str] = []
    for timepoint, run in groupby(rows, key=lambda row: row[1]):
        parts = [
            (tuple(letter for letter, _, _ in same), detail)
            for detail, same in ((d, list(s)) for d, s in groupby(run, key=lambda row: row[2]))
        ]
        sentences += _sentences(timepoint, parts)
    return " ".join(sentences)


def _sentences(timepoint: str | None, parts: list[tuple[tuple[str, ...], str]]) -> list[str]:
    if timepoint is None:
        return [f"({', '.join(ls)}) {_capital(detail)}." for ls, detail in parts if detail]
    everyone = tuple(letter for ls, _ in parts for letter in ls)
    head = f"({', '.join(everyone)}) {_capital(timepoint)}"
    if len(parts) == 1:
        detail = parts[0][1]
        return [f"{head}: {detail}." if detail else f"{head}."]
    listed = "; ".join(f"({', '.join(ls)}) {detail}" for ls, detail in parts if detail)
    return [f"{head}: {listed}." if listed else f"{head}."]


def _details(panel: Panel) -> str:
    """What a panel shows, its technique in parentheses, then what its marks point at."""
    technique = ", ".join(_technique(panel))
    shows = (panel.description or "").strip().rstrip(".")
    text = f"{shows} ({technique})" if shows and technique else shows or technique
    marks = _marks(panel)
    return "; ".join(part for part in (text, marks) if part)


def _technique(panel: Panel) -> list[str]:
    parts: list[str] = []
    imaging = " ".join(part for part in (panel.view, panel.modality) if part)
    if imaging:
        parts.append(imaging)
    if panel.stain:
        parts.append(panel.stain)
    if panel.magnification:
        parts.append(f"original magnification \u00d7{panel.magnification:g}")
    return parts


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

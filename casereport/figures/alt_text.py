"""A figure's alternative text, written from its panels' metadata (or a chart's data).

The caption is printed beside the image and a screen reader reads it there; the alt text
says what a sighted reader sees in the image instead: how many images of what kind, each
panel by the letter printed on it, with its technique, what it shows and what its marks
point at; for a clinical-course chart, each score's first and last value and when, and the
treatments drawn. It is the `alt` of the HTML image and the /Alt of the tagged PDF figure.

    Four photographs in two rows of two. A, B: before treatment. C, D: after 6-month
    treatment with anifrolumab.
"""

from __future__ import annotations

from collections.abc import Sequence

from casereport.figures.legend import POSITIONAL, LegendStyle, legend_letters
from casereport.model import Case, Figure, Panel

_COUNTS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def alt_text(figure: Figure, case: Case, style: LegendStyle = POSITIONAL) -> str:
    """The alternative text of `figure` of `case`, its panels lettered as `style` prints."""
    if figure.chart is not None:
        return chart_alt(figure, case)
    panels = figure.panels
    letters = legend_letters(figure, style) or tuple(str(n) for n in range(1, len(panels) + 1))
    head = _head(figure, panels)
    if len(panels) == 1:
        said = _panel_text(panels[0], kind=False)
        return f"{head}: {said}." if said else f"{head}."
    mixed = len({_kind(panel) for panel in panels}) > 1
    told = [
        (letter, _panel_text(panel, kind=mixed))
        for letter, panel in zip(letters, panels, strict=True)
    ]
    alike: dict[str, list[str]] = {}  # panels that tell the same, wherever they are
    for letter, text in told:
        if text:  # a panel with nothing to tell is counted in the head only
            alike.setdefault(text, []).append(letter)
    parts = [f"{', '.join(letters)}: {text}." for text, letters in alike.items()]
    return " ".join([f"{head}.", *parts])


def _head(figure: Figure, panels: Sequence[Panel]) -> str:
    """ "Four photographs in two rows of two", "A micrograph of the skin"."""
    kinds = list(dict.fromkeys(_kind(panel) for panel in panels))
    subject = f" of {figure.subject.strip().rstrip('.')}" if figure.subject else ""
    if len(panels) == 1:
        kind = kinds[0]
        article = "An" if kind[0] in "aeiouAEIOU" else "A"
        return f"{article} {kind}{subject}"
    count = _COUNTS[len(panels)] if len(panels) < len(_COUNTS) else str(len(panels))
    kind = f"{kinds[0]}s" if len(kinds) == 1 else "images"
    rows, columns = figure.layout.rows, figure.layout.columns
    grid = ""
    if rows and columns and rows * columns == len(panels) and rows > 1:
        grid = f" in {_COUNTS[rows]} rows of {_COUNTS[columns]}"
    return f"{count.capitalize()} {kind}{subject}{grid}"


def _kind(panel: Panel) -> str:
    """What kind of image a panel is, from its metadata."""
    if panel.modality:
        return f"{panel.modality} image"
    if panel.stain or panel.magnification or panel.micrometres_per_pixel:
        return "micrograph"
    return "photograph"


def _panel_text(panel: Panel, *, kind: bool) -> str:
    """One panel: its technique (with its `kind` of image when the panels differ), when it
    was taken, what it shows, what its marks point at."""
    technique = ", ".join(
        part
        for part in (
            _kind(panel) if kind else "",
            panel.view or "",
            panel.stain or "",
            f"\u00d7{panel.magnification:g}" if panel.magnification else "",
        )
        if part
    )
    marks = [
        f"{'arrows' if len(panel.arrows) > 1 else 'an arrow'} pointing at {shows}"
        for shows in dict.fromkeys(a.shows for a in panel.arrows if a.shows)
    ] + [
        f"a circle around {shows}"
        for shows in dict.fromkeys(c.shows for c in panel.circles if c.shows)
    ]
    said = [
        part.strip().rstrip(".")
        for part in (technique, panel.timepoint or "", panel.description or "")
        if part.strip()
    ]
    text = "; ".join(said)
    if marks:
        text += ("; " if text else "") + ", ".join(marks)
    return text[:1].upper() + text[1:] if text else ""


def chart_alt(figure: Figure, case: Case) -> str:
    """A clinical-course chart in words: each score from its first to its last value, and
    the treatments' periods, as the chart draws them."""
    from casereport.clinical.course import CourseError, course

    assert figure.chart is not None
    try:
        drawn = course(case, figure.chart, ("figures", case.figures.index(figure)))
    except CourseError:  # reported by the build where the chart is drawn
        return "Chart of the clinical course."
    sentences = ["Chart of the clinical course"]
    for series in drawn.series:
        if not series.points:
            continue
        (t0, v0), (t1, v1) = series.points[0], series.points[-1]
        if len(series.points) == 1:
            sentences.append(f"{series.name}: {v0:g} at {t0.text}")
            continue
        sentences.append(f"{series.name}: {v0:g} at {t0.text}, {v1:g} at {t1.text}")
    for lane in drawn.lanes:
        until = f" to {lane.end.text}" if lane.end else ", ongoing"
        sentences.append(f"{lane.label}: from {lane.start.text}{until}")
    return ". ".join(sentences) + "."

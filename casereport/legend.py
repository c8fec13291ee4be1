"""Figure legends written from the panels' metadata, in the journal's voice.

One place owns the phrasing rules. Consecutive panels that share a timepoint form a
group; a group is located by its row ("upper images") when every panel in it shares one,
and by panel letters ("(A, B)") otherwise.
"""

from __future__ import annotations

from itertools import groupby

from casereport.model import Figure, Panel


def panel_letters(count: int) -> tuple[str, ...]:
    """A, B, C … for `count` panels."""
    return tuple(chr(ord("A") + i) for i in range(count))


def generated_legend(figure: Figure) -> str:
    """The legend text after the title, or '' when the panels say nothing to write about."""
    letters = panel_letters(len(figure.panels))
    indexed = list(zip(letters, figure.panels, strict=True))
    groups = [list(g) for _, g in groupby(indexed, key=lambda pair: pair[1].timepoint)]
    phrases = [_group_phrase(group) for group in groups if group[0][1].timepoint]
    if not phrases:
        return " ".join(_described(letter, p) for letter, p in indexed if p.description)
    count = "images" if len(figure.panels) > 1 else "image"
    subject = f" of {figure.subject}" if figure.subject else ""
    return f"Representative {count}{subject} {_join(phrases)}."


def _group_phrase(group: list[tuple[str, Panel]]) -> str:
    timepoint = group[0][1].timepoint
    rows = {panel.row for _, panel in group}
    if len(rows) == 1 and None not in rows:
        noun = "images" if len(group) > 1 else "image"
        return f"{timepoint} ({rows.pop()} {noun})"
    return f"{timepoint} ({', '.join(letter for letter, _ in group)})"


def _described(letter: str, panel: Panel) -> str:
    text = (panel.description or "").rstrip(".")
    return f"({letter}) {text[:1].upper()}{text[1:]}."


def _join(phrases: list[str]) -> str:
    if len(phrases) == 1:
        return phrases[0]
    return ", ".join(phrases[:-1]) + " and " + phrases[-1]

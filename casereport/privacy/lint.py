"""The privacy lint of a checked case: its texts, its panels' image files and their faces.

Every finding is a warning at the field it is in, pointed at the matched text (`needle`), so
that `positions.locate` gives it the line and column of that text in the case file. A check
that cannot run (no face detector installed) adds one note and fails nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from casereport.checked import CheckedCase
from casereport.errors import PathKey, Problem
from casereport.privacy import faces, images
from casereport.privacy.fields import as_written, case_texts, known_people
from casereport.privacy.findings import Finding, Known, Rule, scan
from casereport.privacy.people import initials, names, places
from casereport.privacy.rules import ages, dates, emails, ips, numbers, phones, serials, urls

if TYPE_CHECKING:
    from casereport.model import Case

# From the most specific shape to the least: a finding hides later ones that overlap it.
RULES: tuple[Rule, ...] = (
    emails,
    urls,
    ips,
    numbers,
    serials,
    phones,
    dates,
    ages,
    places,
    initials,
    names,
)


@dataclass(frozen=True)
class PrivacyReport:
    """The lint's warnings, and notes on the checks it could not run."""

    problems: tuple[Problem, ...]
    notes: tuple[str, ...] = ()


def find_identifiers(text: str, known: Known | None = None) -> list[Finding]:
    """Every identifier the rules find in one text (`known`: the names and addresses the
    case prints on purpose, never reported)."""
    return scan(text, known or Known(), RULES)


def privacy_report(checked: CheckedCase) -> PrivacyReport:
    """Warnings for every identifier in the case's printed texts and panel image files."""
    case = checked.case
    known = Known.of(*known_people(case, checked.resolved.references))
    problems = list(_text_problems(checked.source.data, case, known))
    folder = Path(checked.source.path).parent
    panels = list(_panels(case, folder))
    for path, file in panels:
        problems += images.metadata(path, file, folder)
    found, notes = faces.face_problems(panels, folder)
    return PrivacyReport((*problems, *found), notes)


def privacy_problems(checked: CheckedCase) -> list[Problem]:
    """The lint's warnings alone (`privacy_report` has the notes too)."""
    return list(privacy_report(checked).problems)


def _text_problems(data: dict[str, Any], case: Case, known: Known) -> Iterator[Problem]:
    for path, value in case_texts(case):
        text = as_written(data, path, value)
        for found in find_identifiers(text, known):
            yield Problem(path, found.message, needle=_needle(text, found)).as_warning()


def _needle(text: str, found: Finding) -> str | re.Pattern[str]:
    """The matched text, or, when the same text comes earlier in the field, a pattern that
    finds this occurrence (by its offset) rather than the first."""
    if text.find(found.text) == found.start:
        return found.text
    return re.compile(rf"(?<=\A[\s\S]{{{found.start}}}){re.escape(found.text)}")


def _panels(case: Case, folder: Path) -> Iterator[tuple[PathKey, Path]]:
    for i, figure in enumerate(case.figures):
        for j, panel in enumerate(figure.panels):
            yield ("figures", i, "panels", j, "image"), folder / panel.image

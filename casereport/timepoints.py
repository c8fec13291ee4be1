"""Timepoint labels that look like another one: a typo that would add a table column.

Scores, labs, the timeline and figure panels name their timepoints with free labels
("baseline", "month 6"). The labs table makes one column per distinct label, so `mnth 6`
beside `month 6` silently adds a column with one value in it. A label that is not one of
the case's labels but is close to one (or names the same time in other words) is a warning
with "did you mean", at each place that uses the rarer spelling.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Iterator

from casereport.clinical.times import TimeError, parse_time
from casereport.errors import PathKey, Problem
from casereport.model import Case

SIMILAR = 0.75  # difflib ratio: "mnth 6"/"month 6" is 0.92, "month 3"/"month 6" is 0.86


def _uses(case: Case) -> list[tuple[str, PathKey]]:
    """Every timepoint label and where it is written."""
    uses: list[tuple[str, PathKey]] = [
        (row.at, ("scores", i, "at")) for i, row in enumerate(case.scores)
    ]
    uses += [(lab.at, ("labs", i, "at")) for i, lab in enumerate(case.labs) if lab.at]
    uses += [(event.when, ("timeline", i, "when")) for i, event in enumerate(case.timeline)]
    uses += [
        (panel.timepoint, ("figures", i, "panels", j, "timepoint"))
        for i, figure in enumerate(case.figures)
        for j, panel in enumerate(figure.panels)
        if panel.timepoint
    ]
    return uses


def _days(label: str) -> float | None:
    try:
        time = parse_time(label)
    except TimeError:
        return None
    return time.days if time.clock == "relative" else None


def _twin(label: str, counts: Counter[str]) -> str | None:
    """The more used label that `label` most likely means, if any."""
    others = [other for other in counts if other != label]
    days = _days(label)
    same_time = [o for o in others if days is not None and _days(o) == days]
    if days is None:  # not a time: perhaps a misspelt one ("mnth 6", "baseine")
        times = {o.lower(): o for o in others if _days(o) is not None}
        close = difflib.get_close_matches(label.lower(), list(times), 1, SIMILAR)
        same_time += [times[c] for c in close]
    plain = " ".join(label.lower().split())
    same_text = [o for o in others if " ".join(o.lower().split()) == plain]
    for candidate in (*same_text, *same_time):
        if (counts[candidate], candidate) > (counts[label], label):
            return candidate
    return None


def check_timepoints(case: Case) -> Iterator[Problem]:
    """A warning at each use of a label that most likely means another label of the case."""
    uses = _uses(case)
    counts = Counter(label for label, _ in uses)
    for label, path in uses:
        twin = _twin(label, counts)
        if twin is not None:
            message = (
                f"timepoint {label!r} matches no other timepoint of the case; "
                f"did you mean {twin!r}?"
            )
            yield Problem(path, message).as_warning()

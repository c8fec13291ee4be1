"""Which texts of a case the privacy lint reads, by field path: everything the journal prints
that a person wrote, except what is meant to name people and places (the authors, their
affiliations, the correspondence block) and the reference list.

The text is taken from the case file as written (`Source.data`) where it is a string there,
so that a finding's offset is the offset `positions.locate` searches; the case's own value
otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from casereport.errors import PathKey
from casereport.model import Case, Figure, JournalOverride, Reference

Text = tuple[PathKey, str]

DECLARATIONS = (
    "competing_interests",
    "funding",
    "consent",
    "ethics",
    "acknowledgements",
    "data_availability",
)


def case_texts(case: Case) -> Iterator[Text]:
    """Every printed text of the case with its field path."""
    yield ("title",), case.title
    if case.running_title:
        yield ("running_title",), case.running_title
    yield from ((("keywords", i), k) for i, k in enumerate(case.keywords))
    yield from case.prose_fields()
    for name in DECLARATIONS:
        value = getattr(case, name)
        if value:
            yield (name,), value
    yield from ((("abbreviations", k), v) for k, v in case.abbreviations.items())
    if case.patient is not None:
        yield ("patient", "diagnosis"), case.patient.diagnosis
    for i, figure in enumerate(case.figures):
        yield from _figure_texts(("figures", i), figure)
    yield from _clinical_texts(case)
    for journal, override in case.journals.items():
        yield from _override_texts(("journals", journal), override)


def _figure_texts(path: PathKey, figure: Figure) -> Iterator[Text]:
    for name in ("title", "subject", "legend"):
        value = getattr(figure, name)
        if value:
            yield (*path, name), value
    for j, panel in enumerate(figure.panels):
        at = (*path, "panels", j)
        for name in ("timepoint", "description", "stain", "modality", "view"):
            value = getattr(panel, name)
            if value:
                yield (*at, name), value
        for k, arrow in enumerate(panel.arrows):
            yield from _present((*at, "arrows", k), {"shows": arrow.shows})
        for k, circle in enumerate(panel.circles):
            yield from _present((*at, "circles", k), {"shows": circle.shows})


def _clinical_texts(case: Case) -> Iterator[Text]:
    """Tables, the timeline, treatments, laboratory values and scores: their words and times."""
    for i, table in enumerate(case.tables):
        yield from _present(("tables", i), {"title": table.title, "note": table.note})
    for i, event in enumerate(case.timeline):
        yield from _present(("timeline", i), {"event": event.event, "when": event.when})
    for i, treatment in enumerate(case.treatments):
        names = ("drug", "dose", "outcome", "start", "end")
        yield from _present(("treatments", i), {n: getattr(treatment, n) for n in names})
        for k, step in enumerate(treatment.doses):
            yield ("treatments", i, "doses", k, "at"), step.at
    for i, lab in enumerate(case.labs):
        value = lab.value if isinstance(lab.value, str) else None
        yield from _present(("labs", i), {"name": lab.name, "value": value, "at": lab.at})
    for i, scores in enumerate(case.scores):
        yield from _present(("scores", i), {"at": scores.at, "time": scores.time})


def _present(path: PathKey, values: dict[str, str | None]) -> Iterator[Text]:
    """The fields given (not None, not empty), each at its path."""
    yield from (((*path, name), value) for name, value in values.items() if value)


def _override_texts(path: PathKey, override: JournalOverride) -> Iterator[Text]:
    """A journal's own title, abstract, keywords, body and sections."""
    for name in ("title", "running_title", "body"):
        value = getattr(override, name)
        if value:
            yield (*path, name), value
    yield from (((*path, "keywords", i), k) for i, k in enumerate(override.keywords or ()))
    if isinstance(override.abstract, str):
        yield (*path, "abstract"), override.abstract
    elif override.abstract:
        yield from (((*path, "abstract", k), v) for k, v in override.abstract.items())
    for name, value in override.sections.items():
        yield from _section((*path, "sections", name), value)


def _section(path: PathKey, value: object) -> Iterator[Text]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, tuple):
        yield from (((*path, i), item) for i, item in enumerate(value))
    elif isinstance(value, dict):
        yield from (((*path, k), v) for k, v in value.items() if isinstance(v, str))


def as_written(data: dict[str, Any], path: PathKey, value: str) -> str:
    """The text at `path` as the case file has it, when it is a string there."""
    found: object = data
    for part in path:
        if isinstance(found, dict):
            found = found.get(part)
        elif isinstance(found, list) and isinstance(part, int) and part < len(found):
            found = found[part]
        else:
            return value
    return found if isinstance(found, str) else value


def known_people(case: Case, references: Iterable[Reference]) -> tuple[list[str], list[str]]:
    """The names the case prints on purpose (authors, correspondence, contributors, cited
    authors) and its own e-mail addresses."""
    names = [author.name for author in case.authors]
    names += list(case.contributions)
    emails = [author.email for author in case.authors if author.email]
    if case.correspondence is not None:
        names.append(case.correspondence.name)
        emails.append(case.correspondence.email)
    for reference in (*case.references, *references):
        for role in ("author", "editor"):
            for person in reference.csl().get(role, ()):
                if isinstance(person, dict) and person.get("family"):
                    names.append(str(person["family"]))
    return names, emails

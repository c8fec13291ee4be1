"""Checks of the references themselves: fields a style needs, DOIs, one paper under two ids.

Cited references missing a field their type needs get a warning naming the item and the
field (the style would print a hole); a malformed DOI in a cited reference is an error; one
DOI under two ids is a warning naming both places. Uncited and unknown references are
reported by `resolve`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from casereport.errors import Problem, ProblemsFound
from casereport.model import Reference
from casereport.references.bibliography import at, normal_doi, where
from casereport.references.csl_variables import unknown_fields

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
# For each CSL type, groups of fields of which at least one must be present.
_TITLE = ("title",)
_NAMES = ("author", "editor")
_DATE = ("issued",)
REQUIRED: dict[str, tuple[tuple[str, ...], ...]] = {
    "article-journal": (_TITLE, _NAMES, ("container-title", "container-title-short"), _DATE),
    "article-magazine": (_TITLE, ("container-title",), _DATE),
    "article-newspaper": (_TITLE, ("container-title",), _DATE),
    "book": (_TITLE, _NAMES, ("publisher",), _DATE),
    "chapter": (_TITLE, ("author",), ("container-title",), ("publisher",), _DATE),
    "paper-conference": (_TITLE, ("author",), ("container-title", "event-title"), _DATE),
    "report": (_TITLE, (*_NAMES, "publisher"), _DATE),
    "thesis": (_TITLE, ("author",), ("publisher",), _DATE),
    "webpage": (_TITLE, ("URL",)),
}


def check_references(
    cited: Sequence[Reference], everything: Sequence[Reference]
) -> list[Problem]:
    """Warnings about the references; raise ProblemsFound for malformed DOIs of cited ones."""
    errors = list(_malformed_dois(cited))
    if errors:
        raise ProblemsFound(errors)
    return [*_missing_fields(cited), *_duplicate_dois(everything), *_unknown_fields(cited)]


def _unknown_fields(refs: Sequence[Reference]) -> Iterator[Problem]:
    """One warning naming every field of the cited references that is not CSL (ignored)."""
    found = {ref.id: (ref, unknown_fields(ref.csl())) for ref in refs}
    found = {key: value for key, value in found.items() if value[1]}
    if not found:
        return
    fields = sorted({field for _, names in found.values() for field in names})
    ids = ", ".join(repr(key) for key in found)
    message = (
        f"field{'s' if len(fields) > 1 else ''} not defined by CSL 1.0.2, ignored: "
        f"{', '.join(repr(f) for f in fields)} (in {ids})"
    )
    yield at(next(iter(found.values()))[0], message).as_warning()


def _missing_fields(refs: Sequence[Reference]) -> Iterator[Problem]:
    for ref in refs:
        item = ref.csl()
        for group in REQUIRED.get(ref.type, (_TITLE,)):
            if not any(item.get(name) for name in group):
                alternatives = f" (or {', '.join(group[1:])})" if len(group) > 1 else ""
                message = f"reference {ref.id!r} ({ref.type}) has no {group[0]}{alternatives}"
                yield at(ref, message).as_warning()


def _malformed_dois(refs: Sequence[Reference]) -> Iterator[Problem]:
    for ref in refs:
        raw = ref.csl().get("DOI")
        doi = normal_doi(raw)
        if raw is not None and (doi is None or not _DOI.match(doi)):
            yield at(ref, f"reference {ref.id!r}: malformed DOI {raw!r} (expected 10.NNNN/…)")


def _duplicate_dois(refs: Sequence[Reference]) -> Iterator[Problem]:
    seen: dict[str, Reference] = {}
    for ref in refs:
        doi = normal_doi(ref.csl().get("DOI"))
        if not doi:
            continue
        first = seen.setdefault(doi, ref)
        if first is not ref:
            message = (
                f"references {first.id!r} and {ref.id!r} have the same DOI {doi}"
                f" (also at {where(first)})"
            )
            yield at(ref, message).as_warning()

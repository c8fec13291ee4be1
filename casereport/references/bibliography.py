"""Bibliography files named by `bibliography:` → references, each with where it came from.

One or several files, each read by the reader registered for its extension (`readers.READERS`:
CSL-JSON ``.json``, BibTeX/BibLaTeX ``.bib``, RIS ``.ris`` and ``.txt`` exports of EndNote).
Items written inline in the case win over file items with the same id; two *files* giving the
same id is an error naming both places, and one DOI under two ids is a warning naming both. A
file that cannot be read or parsed gets errors with its name and line. Nothing here touches
the network.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from casereport.cache import content_key, read_json, write_json
from casereport.errors import PathKey, Problem
from casereport.inputs import MAX_BIBLIOGRAPHY_BYTES, InputRefused, read_checked
from casereport.model import Reference
from casereport.references.parsed import Item, Parsed, ReadProblem
from casereport.references.readers import READERS, Reader


def bibliography_names(data: Mapping[str, Any]) -> list[tuple[str, PathKey]]:
    """The file names given by `bibliography:` (a string or a list) in the case's data, with
    their field paths."""
    value = data.get("bibliography")
    if isinstance(value, str):
        return [(value, ("bibliography",))]
    if isinstance(value, list):
        return [(v, ("bibliography", i)) for i, v in enumerate(value) if isinstance(v, str)]
    return []


def read_file(path: Path, cache_dir: Path | None = None) -> tuple[list[Reference], list[Problem]]:
    """The references in one bibliography file, or the problems (at its lines) that say why not.

    What a reader that is worth caching converted without problems is kept, as CSL-JSON, in
    `cache_dir` (keyed by the file's bytes), so a rebuild neither imports nor runs its parser."""
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        known = ", ".join(READERS)
        return [], [_in(path, ReadProblem(None, f"unknown bibliography type; use {known}"))]
    try:
        text = read_checked(path, path.name, MAX_BIBLIOGRAPHY_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, InputRefused) as exc:
        return [], [_in(path, ReadProblem(None, f"cannot read: {exc}"))]
    items, problems = _parse(reader, text, cache_dir)
    located, invalid = _validated(path, items)
    return located, [_in(path, problem) for problem in problems] + invalid


def _parse(reader: Reader, text: str, cache_dir: Path | None) -> Parsed:
    """What `reader` reads in `text`, from the cache when it was read before."""
    if not reader.cached or cache_dir is None:
        return reader.read(text)
    key = content_key(reader.name, text)
    cached = read_json(cache_dir, key)
    if isinstance(cached, list):
        return [(item, line) for item, line in cached], []
    items, problems = reader.read(text)
    if not problems:
        write_json(cache_dir, key, [[item, line] for item, line in items])
    return items, problems


def _in(path: Path, problem: ReadProblem) -> Problem:
    """A reader's problem, placed in the file it read."""
    return Problem(problem.path, problem.message, origin=(str(path), problem.line, problem.col))


def _validated(path: Path, items: Sequence[Item]) -> tuple[list[Reference], list[Problem]]:
    located: list[Reference] = []
    problems: list[Problem] = []
    for item, line in items:
        try:
            located.append(Reference.model_validate(item).located(str(path), line))
        except ValidationError as exc:
            label = item.get("id", "?")
            for error in exc.errors():
                where = "".join(f"{part}: " for part in error["loc"])
                text = error["msg"].removeprefix("Value error, ")
                message = f"reference {label!r}: {where}{text}"
                problems.append(_in(path, ReadProblem(line, message)))
    return located, problems


def merge(
    inline: Sequence[Reference], files: Sequence[Sequence[Reference]]
) -> tuple[tuple[Reference, ...], list[Problem]]:
    """Inline items first, then each file's items whose id is not inline; the same id in
    two files is an error naming both places."""
    chosen = {ref.id: ref for ref in inline}
    problems: list[Problem] = []
    from_files: dict[str, Reference] = {}
    for ref in (ref for refs in files for ref in refs):
        if ref.id in from_files:
            first = where(from_files[ref.id])
            problems.append(at(ref, f"duplicate reference id {ref.id!r} (also at {first})"))
            continue
        from_files[ref.id] = ref
        chosen.setdefault(ref.id, ref)
    return tuple(chosen.values()), problems


def where(ref: Reference) -> str:
    """`file:line` (or `file`) where the reference was written."""
    file, line, _ = ref.origin
    return f"{file}:{line}" if line else file


def at(ref: Reference, message: str) -> Problem:
    """An error at the place the reference was written."""
    return Problem((), message, origin=ref.origin)


def normal_doi(value: object) -> str | None:
    """A DOI without resolver prefix, lower-cased (DOIs ignore case), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return re.sub(r"^\s*(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.I).strip().lower()

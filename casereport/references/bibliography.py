"""Bibliography files named by `bibliography:` → references, each with where it came from.

One or several files, by extension: CSL-JSON (``.json``), BibTeX/BibLaTeX (``.bib``) and RIS
(``.ris``, ``.txt`` exports of EndNote). Items written inline in the case win over file items
with the same id; two *files* giving the same id is an error naming both places, and one DOI
under two ids is a warning naming both. A file that cannot be read or parsed gets errors with
its name and line. Nothing here touches the network.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from casereport.cache import content_key, read_json, write_json
from casereport.errors import Diagnostic
from casereport.inputs import MAX_BIBLIOGRAPHY_BYTES, InputRefused, read_checked
from casereport.load import Source
from casereport.model import Reference
from casereport.references.bibtex import Problem, read_bibtex
from casereport.references.ris import read_ris

READERS = {".json": "CSL-JSON", ".bib": "BibTeX", ".ris": "RIS", ".txt": "RIS"}


def bibliography_names(source: Source) -> list[tuple[str, tuple[str | int, ...]]]:
    """The file names given by `bibliography:` (a string or a list), with their field paths."""
    value = source.data.get("bibliography")
    if isinstance(value, str):
        return [(value, ("bibliography",))]
    if isinstance(value, list):
        return [(v, ("bibliography", i)) for i, v in enumerate(value) if isinstance(v, str)]
    return []


def read_file(
    path: Path, cache_dir: Path | None = None
) -> tuple[list[Reference], list[Diagnostic]]:
    """The references in one bibliography file, or the diagnostics that say why not.

    BibTeX and RIS files that converted without problems are kept, as CSL-JSON, in
    `cache_dir` (keyed by their bytes), so a rebuild neither imports nor runs the parsers."""
    kind = READERS.get(path.suffix.lower())
    if kind is None:
        known = ", ".join(READERS)
        return [], [
            Diagnostic(str(path), None, None, "", f"unknown bibliography type; use {known}")
        ]
    try:
        text = read_checked(path, path.name, MAX_BIBLIOGRAPHY_BYTES).decode("utf-8-sig")
    except (OSError, UnicodeDecodeError, InputRefused) as exc:
        return [], [Diagnostic(str(path), None, None, "", f"cannot read: {exc}")]
    if kind == "CSL-JSON":
        return _read_csl_json(path, text)
    key = content_key(kind, text)
    cached = read_json(cache_dir, key) if cache_dir is not None else None
    if isinstance(cached, list):
        return _validated(path, [(item, line) for item, line in cached])
    items, problems = read_bibtex(text) if kind == "BibTeX" else read_ris(text)
    if cache_dir is not None and not problems:
        write_json(cache_dir, key, [[item, line] for item, line in items])
    located, invalid = _validated(path, items)
    return located, [_problem(path, p) for p in problems] + invalid


def _problem(path: Path, problem: Problem) -> Diagnostic:
    return Diagnostic(str(path), problem.line, None, "", problem.message)


def _read_csl_json(path: Path, text: str) -> tuple[list[Reference], list[Diagnostic]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return [], [Diagnostic(str(path), exc.lineno, exc.colno, "", f"invalid JSON: {exc.msg}")]
    if not isinstance(data, list):
        return [], [Diagnostic(str(path), 1, 1, "", "a CSL-JSON file must hold a list of items")]
    lines = _id_lines(text)
    items = [(item, lines.get(str(item.get("id")))) for item in data if isinstance(item, dict)]
    problems = [
        Diagnostic(str(path), None, None, f"[{i}]", "a CSL-JSON item must be an object")
        for i, item in enumerate(data)
        if not isinstance(item, dict)
    ]
    located, invalid = _validated(path, items)
    return located, problems + invalid


def _id_lines(text: str) -> dict[str, int]:
    """The line of each `"id": "..."` in a JSON text (json.loads keeps no positions)."""
    found: dict[str, int] = {}
    line, counted = 1, 0  # lines counted once, from the last match on (not from the start)
    for match in re.finditer(r'"id"\s*:\s*"((?:[^"\\]|\\.)*)"', text):
        line += text.count("\n", counted, match.start())
        counted = match.start()
        found.setdefault(json.loads(f'"{match.group(1)}"'), line)
    return found


def _validated(
    path: Path, items: Sequence[tuple[dict[str, Any], int | None]]
) -> tuple[list[Reference], list[Diagnostic]]:
    located: list[Reference] = []
    problems: list[Diagnostic] = []
    for item, line in items:
        try:
            located.append(Reference.model_validate(item).located(str(path), line))
        except ValidationError as exc:
            label = item.get("id", "?")
            for error in exc.errors():
                where = "".join(f"{part}: " for part in error["loc"])
                text = error["msg"].removeprefix("Value error, ")
                message = f"reference {label!r}: {where}{text}"
                problems.append(Diagnostic(str(path), line, None, "", message))
    return located, problems


def merge(
    inline: Sequence[Reference], files: Sequence[Sequence[Reference]]
) -> tuple[tuple[Reference, ...], list[Diagnostic]]:
    """Inline items first, then each file's items whose id is not inline; the same id in
    two files is an error naming both places."""
    chosen = {ref.id: ref for ref in inline}
    problems: list[Diagnostic] = []
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


def at(ref: Reference, message: str) -> Diagnostic:
    """An error at the place the reference was written."""
    file, line, col = ref.origin
    return Diagnostic(file, line, col, "", message)


def normal_doi(value: object) -> str | None:
    """A DOI without resolver prefix, lower-cased (DOIs ignore case), or None."""
    if not isinstance(value, str) or not value.strip():
        return None
    return re.sub(r"^\s*(https?://(dx\.)?doi\.org/|doi:\s*)", "", value, flags=re.I).strip().lower()

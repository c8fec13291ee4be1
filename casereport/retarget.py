"""Retargeting: the same case built for another journal, into its own folder, with what the
case writes differently for that journal (`journals: {<id>: {title: …}}`) in place of its own.

`for_journal` makes the case file's `Source` as that journal's build reads it: the journal
set, the overrides moved into place, and their positions moved with them, so that a problem
with an override is reported at the override's own line. Everything downstream (validation,
structure, limits) then sees one ordinary case.
"""

from __future__ import annotations

import dataclasses
import difflib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from casereport.errors import PathKey, Problem, UsageError
from casereport.load import Position, Source
from casereport.model import Case, JournalOverride


def for_journal(source: Source, journal: str) -> Source:
    """The case as building it for `journal` reads it: `journal:` set, and the case's
    `journals: {<journal>: …}` fields in place of its own (sections one by one)."""
    data = dict(source.data)
    data["journal"] = journal
    positions, keys = dict(source.positions), dict(source.key_positions)
    blocks = set(source.block_scalars)
    tables = (positions, keys)
    if journal != source.data.get("journal"):
        for table in tables:  # the case's `journal:` line is where a problem with it shows
            table.pop(("journal",), None)
    given = source.data.get("journals")
    overrides: dict[str, Any] = given if isinstance(given, dict) else {}
    override = overrides.get(journal)
    if not isinstance(override, dict):
        return dataclasses.replace(source, data=data, positions=positions, key_positions=keys)
    here: PathKey = ("journals", journal)
    rest = {k: v for k, v in override.items() if k not in JournalOverride.model_fields}
    data["journals"] = {**overrides, journal: rest}  # what is left is checked where it is
    for field, value in override.items():
        if field in rest:
            continue
        if field == "sections" and isinstance(value, dict):
            sections = dict(data.get("sections") or {})
            for name, text in value.items():
                if text is None:
                    sections.pop(name, None)
                else:
                    sections[name] = text
                _move(tables, blocks, (*here, field, name), (field, name))
            data[field] = sections
            continue
        data[field] = value
        _move(tables, blocks, (*here, field), (field,))
    return dataclasses.replace(
        source, data=data, positions=positions, key_positions=keys, block_scalars=frozenset(blocks)
    )


def _move(
    tables: tuple[dict[PathKey, Position], ...], blocks: set[PathKey], old: PathKey, new: PathKey
) -> None:
    """Positions recorded under `old` now stand for `new` (whose own positions go)."""
    for table in tables:
        for path in [p for p in table if p[: len(new)] == new]:
            del table[path]
        for path in [p for p in table if p[: len(old)] == old]:
            table[(*new, *path[len(old) :])] = table[path]
    for path in [p for p in blocks if p[: len(new)] == new]:
        blocks.discard(path)
    for path in [p for p in blocks if p[: len(old)] == old]:
        blocks.add((*new, *path[len(old) :]))


def override_problems(case: Case, known: list[str]) -> Iterator[Problem]:
    """A warning for each `journals:` entry naming no journal profile: it would never be
    used (a misspelt id), which must not pass unnoticed."""
    for name in case.journals:
        if name not in known:
            close = difflib.get_close_matches(name, known, n=1)
            hint = f"did you mean {close[0]!r}?" if close else f"journals: {', '.join(known)}"
            message = f"no journal profile {name!r}, so this is never used; {hint}"
            yield Problem(("journals", name), message, key=True).as_warning()


def journal_folder(out: Path, journal: str) -> Path:
    """The folder a build for another journal writes into, inside the case's own."""
    from casereport.export.files import OUTPUT_FOLDERS

    if journal in OUTPUT_FOLDERS:
        raise UsageError(f"--journal {journal}: a journal cannot be named like an output folder")
    return out / journal


def targets(case: Case, known: list[str], publishes: dict[str, tuple[str, ...]]) -> list[str]:
    """The journals `--journal all` builds: every profile that publishes the case's type."""
    return [name for name in known if case.article in publishes[name]]


def table(rows: list[dict[str, Any]]) -> str:
    """The `--journal all` summary: one row per journal, columns aligned."""
    head = ["journal", "words", "refs", "figures", "errors", "warnings", "pages"]
    cells = [head, *([str(row.get(h, "")) for h in head] for row in rows)]
    widths = [max(len(line[i]) for line in cells) for i in range(len(head))]
    lines = ["  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)) for line in cells]
    return "\n".join(line.rstrip() for line in lines)

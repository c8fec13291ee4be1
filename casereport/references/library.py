"""A reference library outside the case folder: the one BibTeX or CSL-JSON file an author keeps
for all their work (Zotero with Better BibTeX exports one and keeps it up to date).

It is used only when named: `--bibliography PATH` on the command line, or `bibliographies:`
in the user's configuration file (`casereport.config`). A key the case cites and does not
define itself is looked up there, and the entry found is copied into the case's lock file
(`references.lock.json`, beside the entries looked up by DOI or PMID). Every later build reads
it from the lock file, with or without the library, so the case folder stays self-contained
and builds the same on a machine that has never seen the library.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from casereport.errors import CaseError, Diagnostic, PathKey
from casereport.model import Case, Reference
from casereport.prose import parse_prose
from casereport.references.bibliography import read_file
from casereport.references.citesyntax import FIGURE_PREFIX, TABLE_PREFIX
from casereport.references.identifiers import LOCK_FILE, read_lock, write_lock

_NOT_KEYS = (FIGURE_PREFIX, TABLE_PREFIX, "doi:", "pmid:")


def cited_elsewhere(case: Case) -> dict[str, PathKey]:
    """Keys cited in the text and hand-written legends that the case does not define (not a
    figure, a table or an identifier), with the field citing each first."""
    known = {ref.id for ref in case.references}
    found: dict[str, PathKey] = {}
    texts = [(path, text, False) for path, text in case.prose_fields()]
    texts += [
        (("figures", i, "legend"), f.legend, True) for i, f in enumerate(case.figures) if f.legend
    ]
    for path, text, inline in texts:
        for cluster in parse_prose(text, inline=inline).clusters:
            for key in cluster.keys:
                if not key.startswith(_NOT_KEYS) and key not in known:
                    found.setdefault(key, path)
    return found


def lock_library(
    case: Case, lock: Path, libraries: Sequence[Path], cache_dir: Path | None = None
) -> Case:
    """The case with a reference for every key it cites and does not define that the lock
    file holds, or (copied into the lock file first) one of `libraries` has. A key found in
    neither stays unknown, for the resolve stage to report at its citation."""
    if not libraries and not lock.is_file():
        return case  # nothing to look in (and no prose parsed for it)
    cited = cited_elsewhere(case)
    if not cited:
        return case
    locked = read_lock(lock)
    wanted = [key for key in cited if key not in locked]
    copied = _from_libraries(wanted, libraries, cache_dir) if wanted and libraries else {}
    if copied:
        write_lock(lock, {**locked, **copied})
    entries = {**locked, **copied}
    refs = tuple(_located(lock, key, entries[key]) for key in cited if key in entries)
    return case.model_copy(update={"references": case.references + refs}) if refs else case


def _from_libraries(
    wanted: list[str], libraries: Sequence[Path], cache_dir: Path | None
) -> dict[str, dict[str, object]]:
    """CSL-JSON items for the `wanted` keys, from the first library that has each. A library
    that cannot be read is an error naming it; problems with entries nobody cites are not."""
    found: dict[str, dict[str, object]] = {}
    for library in libraries:
        refs, problems = read_file(library, cache_dir)
        unreadable = [p for p in problems if p.origin is not None and p.origin[1] is None]
        if not refs and unreadable:
            message = f"bibliography library: {unreadable[0].message}"
            raise CaseError([Diagnostic(str(library), None, None, "", message)])
        for ref in refs:
            if ref.id in wanted and ref.id not in found:
                found[ref.id] = ref.csl()
    return found


def _located(lock: Path, key: str, item: dict[str, object]) -> Reference:
    try:
        return Reference.model_validate({**item, "id": key}).located(str(lock), None)
    except ValueError as exc:
        message = f"entry {key!r} in {LOCK_FILE} is not a usable CSL-JSON item: {exc}"
        raise CaseError([Diagnostic(str(lock), None, None, "", message)]) from None

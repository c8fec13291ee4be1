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
from casereport.model import Case
from casereport.references.bibliography import read_file
from casereport.references.identifiers import (
    SCHEMES,
    cited_undefined,
    locked_reference,
    read_lock,
    write_lock,
)


def lock_library(
    case: Case,
    lock: Path,
    libraries: Sequence[Path],
    cache_dir: Path | None = None,
    *,
    cited: dict[str, PathKey] | None = None,
) -> Case:
    """The case with a reference for every key it cites and does not define that the lock
    file holds, or (copied into the lock file first) one of `libraries` has. A key found in
    neither stays unknown, for the resolve stage to report at its citation. `cited`: the
    case's `cited_undefined` keys, when the caller has them already."""
    if not libraries and not lock.is_file():
        return case  # nothing to look in
    undefined = cited_undefined(case) if cited is None else cited
    keys = [key for key in undefined if not key.startswith(SCHEMES)]
    if not keys:
        return case
    locked = read_lock(lock)
    wanted = [key for key in keys if key not in locked]
    copied = _from_libraries(wanted, libraries, cache_dir) if wanted and libraries else {}
    if copied:
        write_lock(lock, {**locked, **copied})
    entries = {**locked, **copied}
    refs = tuple(locked_reference(lock, key, entries[key]) for key in keys if key in entries)
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

"""References cited by identifier, `[@doi:10.1056/nejmoa1912196]` or `[@pmid:31851795]`.

Such a reference needs no bibliography entry: its metadata is looked up once (see `lookup`),
normalised to CSL-JSON and kept in `references.lock.json` beside the case. Every later build
reads the lock file and opens no connection; `offline=True` turns an identifier missing from
the lock file into an error naming it. The lookup happens here, in the check stage, before
anything is rendered; it writes the lock file atomically and only when every lookup
succeeded, so a failed or interrupted lookup leaves the lock file as it was.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from casereport.errors import CaseError, Diagnostic, PathKey, Problem, ProblemsFound
from casereport.inputs import MAX_LOCK_BYTES, InputRefused, read_input
from casereport.model import Case, Reference
from casereport.prose import parse_prose
from casereport.references.citesyntax import FIGURE_PREFIX, TABLE_PREFIX

LOCK_FILE = "references.lock.json"
IDENTIFIER = re.compile(r"^(doi:10\.\d{4,9}/\S+|pmid:\d+)$")
SCHEMES = ("doi:", "pmid:")  # keys that cite by identifier
CROSS_REFERENCES = (FIGURE_PREFIX, TABLE_PREFIX)  # figure and table mentions, not references

Fetch = Callable[[str], dict[str, Any]]


def lock_path(case_dir: Path) -> Path:
    """Where the lock file of the case in `case_dir` lives."""
    return case_dir / LOCK_FILE


def cited_undefined(case: Case) -> dict[str, PathKey]:
    """Every reference key cited in the text and hand-written legends that names no
    reference given in the case or its bibliography (figure and table mentions aside), with
    the field citing it first."""
    known = {ref.id for ref in case.references}
    found: dict[str, PathKey] = {}
    texts = [(path, text, False) for path, text in case.prose_fields()]
    texts += [
        (("figures", i, "legend"), f.legend, True) for i, f in enumerate(case.figures) if f.legend
    ]
    for path, text, inline in texts:
        for cluster in parse_prose(text, inline=inline).clusters:
            for key in cluster.keys:
                if not key.startswith(CROSS_REFERENCES) and key not in known:
                    found.setdefault(key, path)
    return found


def lock_identifiers(
    case: Case,
    path: Path,
    *,
    offline: bool = False,
    fetch: Fetch | None = None,
    cited: dict[str, PathKey] | None = None,
) -> Case:
    """The case with a reference for every identifier it cites, from the lock file at `path`
    or, for the missing ones (unless `offline`), looked up and then added to that file.
    Raise ProblemsFound at the citations that cannot be had."""
    undefined = cited_undefined(case) if cited is None else cited  # (given: found once)
    cited = {k: where for k, where in undefined.items() if k.startswith(SCHEMES)}
    if not cited:
        return case
    locked = read_lock(path)
    missing = [key for key in cited if key not in locked]
    problems = [
        _at(cited[key], key, message) for key in cited if (message := _malformed(key)) is not None
    ]
    if offline:
        problems += [
            _at(cited[k], k, f"{k} is not in {LOCK_FILE} and --offline forbids looking it up")
            for k in missing
            if not _malformed(k)
        ]
    if problems:
        raise ProblemsFound(problems)
    fetched = dict(_fetch_all(cited, missing, fetch))
    if fetched:
        write_lock(path, {**locked, **fetched})
    entries = {**locked, **fetched}
    refs = tuple(locked_reference(path, key, entries[key]) for key in cited)
    return case.model_copy(update={"references": case.references + refs})


def _malformed(key: str) -> str | None:
    if IDENTIFIER.match(key):
        return None
    if key.startswith("doi:"):
        return (
            f"malformed DOI {key.removeprefix('doi:')!r} (a DOI looks like 10.1056/nejmoa1912196)"
        )
    return f"malformed PubMed id {key.removeprefix('pmid:')!r} (a PMID is a number)"


def _fetch_all(
    cited: dict[str, PathKey], missing: list[str], fetch: Fetch | None
) -> Iterator[tuple[str, dict[str, Any]]]:
    from casereport.references.lookup import LookupFailed
    from casereport.references.lookup import fetch as fetch_online

    results: list[tuple[str, dict[str, Any]]] = []
    problems: list[Problem] = []
    for key in missing:
        try:
            results.append((key, (fetch or fetch_online)(key)))
        except LookupFailed as exc:
            problems.append(_at(cited[key], key, f"cannot look up {key}: {exc}"))
    if problems:
        raise ProblemsFound(problems)
    yield from results


def locked_reference(path: Path, key: str, item: dict[str, Any]) -> Reference:
    """The lock file's entry `key` as a reference of the case (an error naming the lock
    file when it is not a usable CSL-JSON item)."""
    try:
        return Reference.model_validate({**item, "id": key}).located(str(path), None)
    except ValidationError as exc:
        problem = exc.errors()[0]["msg"].removeprefix("Value error, ")
        message = f"entry {key!r} is not a usable CSL-JSON item: {problem}"
        raise CaseError([Diagnostic(str(path), None, None, "", message)]) from None


def read_lock(path: Path) -> dict[str, dict[str, Any]]:
    """The locked entries, identifier key → CSL-JSON item (empty when there is no lock file)."""
    if not os.path.lexists(path):
        return {}
    try:
        text = read_input(path.parent, path.name, max_bytes=MAX_LOCK_BYTES).decode("utf-8")
    except InputRefused as exc:
        raise CaseError([Diagnostic(str(path), None, None, "", str(exc))]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise CaseError([Diagnostic(str(path), None, None, "", f"cannot read: {exc}")]) from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        error = Diagnostic(str(path), exc.lineno, exc.colno, "", f"invalid JSON: {exc.msg}")
        raise CaseError([error]) from None
    entries = data.get("references") if isinstance(data, dict) else None
    if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
        message = 'expected {"version": 1, "references": {"doi:…": {CSL-JSON item}, …}}'
        raise CaseError([Diagnostic(str(path), 1, 1, "", message)])
    return entries


def write_lock(path: Path, entries: dict[str, dict[str, Any]]) -> None:
    """Write the lock file atomically, sorted, so that it diffs well under version control."""
    from casereport.export.files import write_bytes_atomic

    data = {"version": 1, "references": dict(sorted(entries.items()))}
    text = json.dumps(data, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    write_bytes_atomic(path, text.encode("utf-8"))


def _at(path: PathKey, key: str, message: str) -> Problem:
    """A problem at the citation of `key` in the text at `path`."""
    from casereport.positions import key_pattern

    return Problem(path, message, needle=key_pattern(key))

"""Problems → `file:line:col` diagnostics: the one place that knows where in a file a problem is.

Every stage reports a `Problem` at a field path (`figures[0].panels[1].image`), at a piece
of text inside a field's value (a citation key in the body), or at a place it already knows
in another file (a reference's line in a bibliography file); `locate` turns each into a
`Diagnostic` with the line and column of the case file that `load` recorded. The stage that
holds the `Source` calls it once, or lets `positioned` do it for the problems that stop a
stage (`ProblemsFound`). It sits just above `load` so that every stage can use it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from casereport.errors import CaseError, Diagnostic, PathKey, Problem, ProblemsFound
from casereport.load import Position, Source


def locate(source: Source, problems: Iterable[Problem]) -> tuple[Diagnostic, ...]:
    """Each problem as a diagnostic at its line and column (of the case file, unless the
    problem names another file), in the order given."""
    return tuple(_diagnostic(source, problem) for problem in problems)


@contextmanager
def positioned(source: Source) -> Iterator[None]:
    """Raise the problems that stop a stage inside the block as a `CaseError`, located."""
    try:
        yield
    except ProblemsFound as exc:
        raise CaseError(locate(source, exc.problems)) from None


def field_path(path: PathKey) -> str:
    """`('figures', 0, 'panels', 1, 'image')` → `figures[0].panels[1].image`."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else f".{part}" if text else str(part)
    return text


def key_pattern(key: str) -> re.Pattern[str]:
    """`@key` where it stands whole (not the start of a longer key; a full stop may follow)."""
    return re.compile(re.escape("@" + key) + r"(?![\w]|[.:/()-][\w])")


def _diagnostic(source: Source, problem: Problem) -> Diagnostic:
    field = field_path(problem.path)
    if problem.origin is not None:
        return Diagnostic(*problem.origin, field, problem.message, problem.severity)
    found = source.position(problem.path, key=problem.key)
    if found is not None and problem.needle is not None:
        found = _in_text(source, problem.path, problem.needle, found)
    line, col = found or (None, None)
    return Diagnostic(str(source.path), line, col, field, problem.message, problem.severity)


def _in_text(
    source: Source, path: PathKey, needle: str | re.Pattern[str], start: Position
) -> Position:
    """Where `needle` is inside the text value at `path`, which starts at `start`; `start`
    when it is not there."""
    text = _value_at(source, path)
    if not isinstance(text, str):
        return start
    pattern = needle if isinstance(needle, re.Pattern) else re.compile(re.escape(needle))
    found = pattern.search(text)
    if found is None:
        return start
    offset = found.start()
    line_in_text = text.count("\n", 0, offset)
    col_in_line = offset - (text.rfind("\n", 0, offset) + 1)
    if path in source.block_scalars or line_in_text:
        line = start[0] + line_in_text + (path in source.block_scalars)
        return line, source.indent(line) + col_in_line + 1
    quoted = source.char_at(*start) in "\"'"
    return start[0], start[1] + col_in_line + quoted


def _value_at(source: Source, path: PathKey) -> object:
    value: object = source.data
    for part in path:
        value = value[part] if isinstance(value, dict | list) else None  # type: ignore[index]
    return value
